"""The All recommendations table: one HTML table (a list on a phone), a page of rows at a time.

A plain HTML table instead of Streamlit's data grid: the grid's JavaScript (about 1.4 MB that a
reader's browser fetches and compiles) was the largest part of the page's wait (docs/benchmarks.md);
a table's text wraps, so it fits a laptop's width without scrolling sideways, and below 640 px each
row becomes a block of labelled lines. Each title links to that recommendation's page. Every value
from the data is escaped here; only http(s) sources become links.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from tracker.analysis import list_added_filters
from tracker.model import format_date, is_web_address, status_by_id

PAGE_ROWS = 50  # rows per page of the table; a longer list gets a page picker below it

SORTS = {
    # key: (label, the frame's columns to sort by, ascending)
    "order": ("As listed in the article", ["order"], True),
    "status": ("Status", ["status_order", "order"], True),
    "priority": ("Priority, highest first", ["priority_order", "order"], True),
    "days": ("Longest in its status", ["days_in_status", "order"], False),
    "reviewed": ("Least recently reviewed", ["last_update", "order"], True),
    "event": ("Latest event first", ["last_event", "order"], False),
}

COLUMNS = (  # (heading, its data-label on a phone)
    "Recommendation",
    "Status",
    "In status",
    "Last reviewed",
    "Latest event",
    "Category",
    "Priority",
    "Addressees",
    "Latest source",
)

# Scoped to the table's class; colours from the contrast-checked theme (.streamlit/config.toml).
STYLE = """<style>
.rec-table{width:100%;border-collapse:collapse;font-size:0.95rem;line-height:1.4}
.rec-table th,.rec-table td{text-align:left;vertical-align:top;padding:.45rem .6rem .45rem 0;
  border-bottom:1px solid #d9d9de;overflow-wrap:break-word}
.rec-table th{font-weight:600;border-bottom:2px solid #b9b9c0;white-space:nowrap}
.rec-table td.rec-title{min-width:14rem;font-weight:600}
.rec-table a{color:LINK_COLOUR}
.rec-table .rec-swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;
  vertical-align:-1px}
.rec-table .rec-stale,.rec-table td.rec-status{white-space:nowrap}
@media (max-width:640px){
  .rec-table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  .rec-table,.rec-table tbody,.rec-table tr,.rec-table td{display:block;width:100%}
  .rec-table tr{border-bottom:1px solid #b9b9c0;padding:.5rem 0}
  .rec-table td{border:0;padding:.1rem 0}
  .rec-table td:not(.rec-title)::before{content:attr(data-label) ": ";color:#4d4d57}
}
</style>"""


def render_status_badge(label: str, colour: str, detail: str = "") -> str:
    """'Status:' and a status as a badge (its colour as the outline and a swatch, its name in text, so
    colour is never the only sign), then `detail` (plain text), as one escaped line."""
    c = html.escape(colour)
    badge = (
        f'<span style="display:inline-flex;align-items:center;gap:.4rem;padding:0 .6rem;border:2px solid {c};'
        f'border-radius:999px;font-weight:600"><span aria-hidden="true" style="display:inline-block;width:.8rem;'
        f'height:.8rem;border-radius:2px;background:{c}"></span>{html.escape(label)}</span>'
    )
    return f'<p style="margin:0"><strong>Status:</strong> {badge} {html.escape(detail)}</p>'


def render_latest_changes(
    changes: pd.DataFrame, address: str, params: dict[str, str], link_colour: str = "#1d4f91"
) -> str:
    """The latest status changes as one compact list (escaped): when, which recommendation (a link to its
    page), from which status to which, and a link to the source it rests on (named in its title)."""
    items = []
    for row in changes.itertuples():
        link = html.escape(recommendation_link(address, row.rec_id, params))
        colour = f' style="color:{html.escape(link_colour)}"'
        what = f'<a href="{link}"{colour}>{html.escape(f"{row.date}: {row.title}")}</a>'
        move = html.escape(f"{row.before} → {row.after}")
        source = ""
        if is_web_address(row.source_url):
            # A short link keeps each change to a line or two beside the answer; its title names the source.
            title = html.escape(row.source_title or row.source_url)
            named = f'title="{title}" aria-label="Source: {title}"'
            source = f' (<a href="{html.escape(row.source_url)}" {named}{colour}>source</a>)'
        items.append(f'<li style="margin:0 0 .2rem 0">{what} — {move}{source}</li>')
    return f'<ul aria-label="Latest changes" style="padding-left:1.1rem;margin:0">{"".join(items)}</ul>'


def sort_rows(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows in one of the SORTS orders (an unknown key keeps the article's order)."""
    _, columns, ascending = SORTS.get(key, SORTS["order"])
    order = [ascending] + [True] * (len(columns) - 1)
    return frame.sort_values(columns, ascending=order, na_position="last", kind="stable")


def recommendation_link(address: str, rec_id: str, params: dict[str, str]) -> str:
    """The link to a recommendation's page from the app's address (`reader.page_address`), keeping the
    view's `params` (the filters then stay with the visit, as from the sidebar)."""
    return f"{address.rstrip('/')}/recommendation?" + urlencode({**params, "rec": rec_id}, safe=":,")


def render_table(
    frame: pd.DataFrame, settings, address: str, params: dict[str, str], link_colour: str = "#1d4f91"
) -> str:
    """The rows of a statuses table as one HTML table (escaped), with its style."""
    colours = {status.id: status.colour for status in status_by_id(settings).values()}
    # A filter added to the table (tracker.filters) brings its column, after the standard ones.
    added = list_added_filters()
    columns = (*COLUMNS, *(row.label for row in added))
    head = "".join(f'<th scope="col">{html.escape(name)}</th>' for name in columns)
    rows = []
    for row in frame.itertuples(index=False):
        if is_web_address(row.last_source_url):
            title = row.last_source_title or row.last_source_url
            source = f'<a href="{html.escape(row.last_source_url)}">{html.escape(title)}</a>'
        else:
            source = html.escape(row.last_source_title) if row.last_source_title else "—"
        link = html.escape(recommendation_link(address, row.id, params))
        swatch = html.escape(colours.get(row.status, "#777777"))
        stale = ' · <span class="rec-stale">⚠&nbsp;stale</span>' if row.stale else ""
        event = format_date(row.last_event) if isinstance(row.last_event, str) else "—"
        cells = (
            _cell("rec-title", f'<a href="{link}">{html.escape(row.title)}</a>'),
            _cell(
                "rec-status",
                f'<span class="rec-swatch" aria-hidden="true" style="background:{swatch}"></span>'
                + html.escape(row.status_label),
            ),
            _cell("", f"{row.days_in_status:,}&nbsp;days{stale}"),
            _cell("", html.escape(format_date(row.last_update))),
            _cell("", html.escape(event)),
            _cell("", html.escape(row.category_label)),
            _cell("", html.escape(row.priority_label)),
            _cell("", html.escape(row.addressee_labels)),
            _cell("", source),
            *(_cell("", html.escape(str(getattr(row, filter_row.label_column)))) for filter_row in added),
        )
        rows.append("<tr>" + "".join(cell(label) for cell, label in zip(cells, columns, strict=True)) + "</tr>")
    style = STYLE.replace("LINK_COLOUR", html.escape(link_colour))
    return (
        f'{style}<table class="rec-table" aria-label="Recommendations"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def link_colour() -> str:
    """The theme's link colour (contrast-checked in .streamlit/config.toml)."""
    return st.get_option("theme.linkColor") or "#1d4f91"


def _cell(kind: str, value: str):
    """A cell (its class and escaped content), given its column's label when written out."""
    classes = f' class="{kind}"' if kind else ""
    return lambda label: f'<td{classes} data-label="{label}">{value}</td>'


def table_ui(frame: pd.DataFrame, settings, address: str, params: dict[str, str]) -> None:
    """The table of the recommendations shown, in the order the reader picks, a page of rows at a time;
    each title links to its page (`address`: the app's; `params`: the view's query, kept by the link)."""
    # In a popover labelled with the order shown: its picker is drawn only when it is opened.
    current = st.session_state.get("table_sort")
    label = f"Order: {SORTS[current if current in SORTS else 'order'][0].lower()}"
    sort = st.popover(label, icon=":material/sort:", key="table_sort_box").selectbox(
        "Order", list(SORTS), key="table_sort", format_func=lambda key: SORTS[key][0], width=320
    )
    rows = sort_rows(frame, sort)
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    box = st.container(key="table")
    page = 1
    if pages > 1:
        # Keyed by the number of rows: a new filter starts again at the first page.
        page = st.pagination(pages, key=f"table_page_{len(rows)}")
        first, last = (page - 1) * PAGE_ROWS + 1, min(page * PAGE_ROWS, len(rows))
        st.caption(f"Rows {first:,}–{last:,} of {len(rows):,}.")
    box.html(
        render_table(rows.iloc[(page - 1) * PAGE_ROWS : page * PAGE_ROWS], settings, address, params, link_colour())
    )
