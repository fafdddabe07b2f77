"""The Timeline's per-recommendation timeline as HTML: one row per recommendation, a link to its page, its
status periods as coloured bands on a shared time scale and its updates as dots.

HTML rather than a chart the browser draws (Vega): the chart was most of the Timeline's extra load time
(docs/benchmarks.md), and a click on it opened the recommendation only through Streamlit's selection
events. Here each row is a plain link (it opens the recommendation in one click, keeps the view's
filters, and works with a keyboard and a screen reader), a name wraps instead of being cut, and the bands
take their width from the page, so a phone shows the same rows as a laptop without redrawing anything.
The rows are `charts.chart_data`'s (the same as the site's chart of them). Every value from the data is
escaped here.
"""

from __future__ import annotations

import functools
import html
import itertools
from datetime import date

import pandas as pd

from tracker.language import Words
from ui.table import recommendation_link

# The most recommendations the Timeline shows as rows (a page of 1,000 rows was 3.5 MB of HTML to send
# and lay out); beyond it the page says how many are left out and how to narrow them.
ROWS_SHOWN = 100

# Scoped to the timeline's classes, two deep where Streamlit styles the element itself (it indents lists);
# inset by half a dot, so that a dot on the first or last day stays inside the column; the bands are as
# tall as the chart's were (charts.TIMELINE_BAR).
STYLE = """<style>
.tl{margin:0 4px .5rem 4px;font-size:.85rem;line-height:1.25}
.tl-title{font-weight:700;font-size:1rem;margin:0 0 .25rem 0;color:#3d3d3d}
.tl-years{position:relative;height:1.1rem;margin:0;color:#3d3d3d;font-size:.75rem}
.tl-years span{position:absolute;top:0;white-space:nowrap}
.tl-body{position:relative}
.tl-grid{position:absolute;top:0;bottom:0;width:0;border-left:1px solid #e6eaf1}
.tl .tl-list{list-style:none;margin:0;padding:0;position:relative}
.tl .tl-list li{margin:0;padding:.2rem 0 .4rem 0}
.tl-list a{display:block;text-decoration:none;color:LINK_COLOUR}
.tl-list a:hover .tl-name,.tl-list a:focus-visible .tl-name{text-decoration:underline}
.tl-name{display:block;font-weight:600}
.tl-track{position:relative;display:block;height:12px;margin-top:.2rem}
.tl-band{position:absolute;top:0;bottom:0}
.tl-dot{position:absolute;top:2px;width:8px;height:8px;margin-left:-4px;border-radius:50%;background:#222222;
  box-shadow:0 0 0 1px #ffffff}
.tl-key{list-style:none;margin:0 0 .35rem 0;padding:0;font-size:.75rem;color:#3d3d3d}
.tl-key li{display:inline-flex;align-items:center;gap:.3rem;margin:0 .9rem 0 0}
.tl-key span{display:inline-block;width:.75rem;height:.75rem;border-radius:2px}
.tl-said{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
</style>"""


def place(when: date, start: date, end: date) -> float:
    """Where a day falls on the scale from `start` to `end`, in percent of its width (0-100)."""
    span = max((end - start).days, 1)
    return min(max((when - start).days / span * 100, 0.0), 100.0)


def render_timeline(
    periods: pd.DataFrame,
    points: pd.DataFrame,
    colours: dict[str, str],
    address: str,
    params: dict[str, str],
    w: Words,
    *,
    title: str,
    link_colour: str = "#1d4f91",
    limit: int | None = None,
) -> str:
    """The timeline per recommendation (`periods` and `points` as `charts.chart_data` gives them) from the
    first period's start to the last period's end, for the first `limit` recommendations (None: all); each
    row links to its recommendation's page with the view's `params`. A screen reader hears each row as its
    name and its statuses in words."""
    if periods.empty:
        return ""
    start, end = periods["start"].min().date(), periods["end"].max().date()
    said_day = functools.lru_cache(maxsize=None)(lambda when: w.date(when.isoformat()))  # a day is said once
    years = range(start.year + 1, end.year + 1)
    ticks = "".join(_year(year, place(date(year, 1, 1), start, end)) for year in years)
    grid = "".join(f'<span class="tl-grid" style="left:{place(date(y, 1, 1), start, end):.3f}%"></span>' for y in years)
    if limit is not None:  # only the rows shown are turned into records (the scale stays the whole view's)
        kept = periods.sort_values("rec_order", kind="stable")["rec_id"].drop_duplicates().iloc[:limit]
        periods, points = periods[periods["rec_id"].isin(kept)], points[points["rec_id"].isin(kept)]
    # Plain records, grouped once: pandas' per-group access cost seconds at 1,000 recommendations.
    dots: dict[str, list[dict]] = {}
    for dot in points.to_dict(orient="records"):
        dots.setdefault(dot["rec_id"], []).append(dot)
    ordered = periods.sort_values(["rec_order", "start"], kind="stable").to_dict(orient="records")
    rows = []
    for rec_id, group in itertools.groupby(ordered, key=lambda band: band["rec_id"]):
        bands = list(group)
        name = html.escape(str(bands[0]["title"]))
        link = html.escape(recommendation_link(address, str(rec_id), params))
        spans, said = [], []
        for band in bands:
            first, last = band["start"].date(), band["end"].date()
            left, right = place(first, start, end), place(last, start, end)
            tip = html.escape(f"{band['status_label']}: {said_day(first)} – {said_day(last)}")
            colour = html.escape(colours.get(band["status"], "#777777"))
            spans.append(
                f'<span class="tl-band" style="left:{left:.3f}%;width:{right - left:.3f}%;background:{colour}"'
                f' title="{tip}"></span>'
            )
            # TRANSLATORS: a recommendation's status from a day on, read out by a screen reader in the
            # Timeline ("Implemented from 16 Mar 2023").
            said.append(w.t("{status} from {date}", status=band["status_label"], date=said_day(first)))
        for dot in dots.get(rec_id, []):
            tip = html.escape(f"{dot['date_label']}: {dot['status_label']}. {dot['note']}".strip())
            spans.append(
                f'<span class="tl-dot" style="left:{place(dot["start"].date(), start, end):.3f}%" title="{tip}"></span>'
            )
        rows.append(
            f'<li><a href="{link}"><span class="tl-name">{name}</span>'
            f'<span class="tl-track" aria-hidden="true">{"".join(spans)}</span>'
            f'<span class="tl-said">: {html.escape("; ".join(said))}</span></a></li>'
        )
    # The key: each status shown, in the statuses' order, with its colour (the rows say it in words too).
    shown = dict(zip(periods["status"], periods["status_label"], strict=True))
    key = "".join(
        f'<li><span style="background:{html.escape(colour)}"></span>{html.escape(str(shown[status]))}</li>'
        for status, colour in colours.items()
        if status in shown
    )
    named = html.escape(title)
    return (
        STYLE.replace("LINK_COLOUR", html.escape(link_colour))
        + f'<section class="tl" aria-label="{named}"><p class="tl-title" aria-hidden="true">{named}</p>'
        f'<ul class="tl-key" aria-hidden="true">{key}</ul><p class="tl-years" aria-hidden="true">{ticks}</p>'
        f'<div class="tl-body">{grid}<ol class="tl-list">{"".join(rows)}</ol></div></section>'
    )


def _year(year: int, left: float) -> str:
    # A year's label starts at its line, except near the right edge, where it ends there (never cut).
    shift = "transform:translateX(-100%)" if left > 94 else "transform:translateX(-50%)" if left > 3 else ""
    return f'<span style="left:{left:.3f}%;{shift}">{year}</span>'
