"""Charts drawn as SVG text on the server, for pages that show a chart no reader clicks.

A chart the browser draws costs the reader's browser Vega's whole runtime (about 0.35-0.45 s of a page
load, docs/benchmarks.md); a chart drawn here arrives as finished SVG. The drawing is of the very spec
the page would hand Streamlit (`charts.for_the_page`, rows as DataFrames), at a width in pixels, so the
two ways of showing a chart never differ in what they say.
"""

from __future__ import annotations

import base64
import html
import json
import re

import altair as alt
import vl_convert as vlc

from . import charts

# The Vega-Lite version Altair writes, as vl-convert names it ('v6_4').
VL_VERSION = "v" + "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


# What Streamlit's chart theme gives a chart the browser draws on the page (Streamlit 1.67, light theme, the
# values that change how a chart looks), so a chart drawn here looks like the same chart drawn there; the
# spec's own config wins, as it does over the theme (`charts.with_readable_text`).
PAGE_THEME = {
    "font": "'Source Sans', 'Source Sans 3', sans-serif",
    "title": {"anchor": "start", "align": "left", "fontSize": 16, "fontWeight": 700},
    "axis": {
        "labelFontSize": 12, "titleFontSize": 14, "titleFontWeight": 400, "ticks": False, "domain": False,
        "gridColor": "#e6eaf1", "labelPadding": 8,
    },
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": 400},
    "view": {"strokeWidth": 0, "stroke": "transparent"},
}  # fmt: skip


# Room (px, on every side) for the glyphs the browser's fonts draw taller or wider than vl-convert measured
# them (a Korean title reached 1.5 px above a drawing's top): the image would cut them.
EXTRA_PADDING = 4


def page_config(config: dict) -> dict:
    """A spec's config over PAGE_THEME (one level deep, as the theme's parts are)."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in PAGE_THEME.items()}
    for key, value in config.items():
        merged[key] = (
            {**merged[key], **value} if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
        )
    return merged


def draw_page_chart(spec: dict, width: int) -> str:
    """A page's chart spec (`charts.for_the_page` with its rows as DataFrames, as `charts.fill_templates`
    makes it) drawn `width` px wide as SVG text, without its XML prolog. The spec is left as it is."""
    datasets = {name: json.loads(charts.vega_records(frame)) for name, frame in spec.get("datasets", {}).items()}
    # The embed options are Streamlit's; a drawing is SVG whatever they say.
    drawn = {key: value for key, value in spec.items() if key not in ("datasets", "usermeta")}
    drawn["config"] = page_config(drawn.get("config", {}))
    padding = drawn.get("padding", {})
    drawn["padding"] = {side: padding.get(side, 0) + EXTRA_PADDING for side in ("top", "left", "right", "bottom")}
    svg = vlc.vegalite_to_svg({**drawn, "datasets": datasets, "width": width}, vl_version=VL_VERSION)
    return svg[svg.find("<svg") :]


def svg_image(svg: str, label: str) -> str:
    """A drawn chart as an HTML image (its SVG as a data: address, which a sanitizer that keeps HTML but
    not SVG lets through), `label` its text alternative, its size the drawing's own."""
    size = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    box = f' width="{size[1]}" height="{size[2]}"' if size else ""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(label)}"{box}>'
