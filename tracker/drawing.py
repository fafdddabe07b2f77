"""Charts drawn as SVG text on the server, and where their marks fall (for links laid over them).

A chart the browser draws costs the reader's browser Vega's whole runtime (about 0.35-0.45 s of a page
load, docs/benchmarks.md); a chart drawn here arrives as finished SVG. The drawing is of the very spec
the page would hand Streamlit (`charts.for_the_page`, rows as DataFrames), at a width in pixels, so the
two ways of showing a chart never differ in what they say.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
from dataclasses import dataclass

import altair as alt
import vl_convert as vlc

from . import charts

# The Vega-Lite version Altair writes, as vl-convert names it ('v6_4').
VL_VERSION = "v" + "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


# Where vl-convert finds the fonts it measures and draws text with (its font database's folders on Linux; the
# same names elsewhere are simply absent): the same spec draws other bytes where other fonts are installed.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")


@functools.cache
def fonts_key() -> str:
    """The fonts installed where vl-convert looks (`FONT_FOLDERS`: each file's path, size and time), hashed:
    what a drawing kept between builds also depends on (fonts installed after it, such as the CJK fonts,
    draw it again). Once per process, as vl-convert reads the fonts once per process."""
    entries = []
    for folder in FONT_FOLDERS:
        for path, folders, files in os.walk(os.path.expanduser(folder)):
            folders.sort()
            for name in sorted(files):
                try:
                    found = os.stat(os.path.join(path, name))
                except OSError:
                    continue  # removed while looked at
                entries.append(f"{path}/{name}|{found.st_size}|{found.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()


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
    svg = vlc.vegalite_to_svg(_drawable(spec, width), vl_version=VL_VERSION)
    return svg[svg.find("<svg") :]


@dataclass(frozen=True)
class Placed:
    """Where one mark (a bar) of a drawing is, in the drawing's pixels, and the row of its dataset it shows."""

    row: int
    left: float
    top: float
    width: float
    height: float


# A mark's description in the scene that `place_marks` lays out: this tag, then the mark's row.
_ROW_TAG = "row:"
_ROW_FIELD = "drawing_row_"


def place_marks(spec: dict, width: int, dataset: str) -> tuple[Placed, ...]:
    """Where each mark drawn from the rows of `dataset` falls in `draw_page_chart(spec, width)`'s drawing,
    in the order drawn (a row with no mark, as a count of 0 filtered out, has none). vl-convert lays out
    the same spec (the marks described by their row's number instead of their words, which changes no
    position) and gives its scene graph: a page lays links over a drawing with it."""
    laid = _drawable(spec, width)
    laid["datasets"][dataset] = [{**row, _ROW_FIELD: n} for n, row in enumerate(laid["datasets"][dataset])]
    for part in (laid, *laid.get("layer", [])):
        if part.get("data", {}).get("name") == dataset and "mark" in part:
            mark = part["mark"] if isinstance(part["mark"], dict) else {"type": part["mark"]}
            part["mark"] = {**mark, "description": {"expr": f"'{_ROW_TAG}' + datum.{_ROW_FIELD}"}}
    scene = vlc.vegalite_to_scenegraph(laid, vl_version=VL_VERSION)
    left, top = scene.get("origin", (0, 0))
    return tuple(_placed_items(scene["scenegraph"], left, top))


def _placed_items(node: dict, left: float, top: float):
    """The tagged rectangles under a scene graph node, offset by their groups' positions."""
    for item in node.get("items", []):
        x, y = left + item.get("x", 0), top + item.get("y", 0)
        if node.get("marktype") == "group":
            for child in item.get("items", []):
                yield from _placed_items(child, x, y)
        elif node.get("marktype") == "rect" and str(item.get("description", "")).startswith(_ROW_TAG):
            w, h = item.get("width", 0), item.get("height", 0)  # a rectangle drawn leftwards has a negative width
            yield Placed(int(item["description"][len(_ROW_TAG) :]), min(x, x + w), min(y, y + h), abs(w), abs(h))


def _drawable(spec: dict, width: int) -> dict:
    """What vl-convert is given for a page's spec: its rows as JSON records, the page's theme under its own
    config, room for the outermost glyphs, `width` px wide (a new dict: the spec is left as it is)."""
    datasets = {name: json.loads(charts.vega_records(frame)) for name, frame in spec.get("datasets", {}).items()}
    # The embed options are Streamlit's; a drawing is SVG whatever they say.
    drawn = {key: value for key, value in spec.items() if key not in ("datasets", "usermeta")}
    drawn["config"] = page_config(drawn.get("config", {}))
    padding = drawn.get("padding", {})
    drawn["padding"] = {side: padding.get(side, 0) + EXTRA_PADDING for side in ("top", "left", "right", "bottom")}
    if "layer" in drawn:  # each layer a new dict, so that a caller may change one
        drawn["layer"] = [dict(layer) for layer in drawn["layer"]]
    return {**drawn, "datasets": datasets, "width": width}


def svg_size(svg: str) -> tuple[int, int] | None:
    """A drawing's width and height in pixels, as its SVG element says them."""
    size = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    return (int(size[1]), int(size[2])) if size else None


def svg_image(svg: str, label: str) -> str:
    """A drawn chart as an HTML image (its SVG as a data: address, which a sanitizer that keeps HTML but
    not SVG lets through), `label` its text alternative, its size the drawing's own."""
    size = svg_size(svg)
    box = f' width="{size[0]}" height="{size[1]}"' if size else ""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(label)}"{box}>'
