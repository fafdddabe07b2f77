"""The All recommendations table: one HTML table (a list on a phone), a page of rows at a time.

A plain HTML table instead of Streamlit's data grid: the grid's JavaScript (about 1.4 MB that a
reader's browser fetches and compiles) was the largest part of the page's wait (docs/benchmarks.md);
a table's text wraps, so it fits a laptop's width without scrolling sideways, and below 640 px each
row becomes a block of labelled lines. Rows are short so that a laptop's first screen holds ten or
more: each title has a one-line "why" under it (the assessment's first sentence) and the evidence is
named in a few words ("yna.co.kr, news"); the full sources are on the recommendation's page, which the
title links to. Every value from the data is escaped here.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from tracker.analysis import list_added_filters, summarise_assessment
from tracker.language import mark
from tracker.model import is_web_address, labels_of, status_by_id
from ui.words import day, number, short_day, t, tn

PAGE_ROWS = 50  # rows per page of the table; a longer list gets a page picker below it

SORTS = {
    # key: (label, the frame's columns to sort by, ascending)
    "order": (mark("As listed in the article"), ["order"], True),
    "status": (mark("Status"), ["status_order", "order"], True),
    "priority": (mark("Priority, highest first"), ["priority_order", "order"], True),
    "days": (mark("Longest in its status"), ["days_in_status", "order"], False),
    "reviewed": (mark("Least recently reviewed"), ["last_update", "order"], True),
    "event": (mark("Latest event first"), ["last_event", "order"], False),
}

COLUMNS = (  # each heading, also each cell's label on a phone (translated where shown)
    mark("Recommendation"),
    # TRANSLATORS: a column of the table: where a recommendation stands (not started, implemented...).
    mark("Status"),
    # TRANSLATORS: a column of the table: the day the recommendation's status was last changed (set).
    mark("Status since"),
    mark("Latest event"),
    mark("Category · priority"),
    mark("Addressees"),
    mark("Evidence"),
)

# Scoped to the table's class; colours from the contrast-checked theme (.streamlit/config.toml). The
# widths keep a row to two or three short lines on a laptop: the title's column is the widest (a title
# on one or two lines, its "why" on one line cut with an ellipsis), the days in a status go under it.
STYLE = """<style>
.rec-table{width:100%;border-collapse:collapse;font-size:0.85rem;line-height:1.3;table-layout:fixed}
.rec-table th,.rec-table td{text-align:left;vertical-align:top;padding:.25rem .5rem .25rem 0;
  border-bottom:1px solid #d9d9de;overflow-wrap:break-word}
.rec-table th{font-weight:600;border-bottom:2px solid #b9b9c0;overflow-wrap:normal}
.rec-table .rec-c-title{width:37%}.rec-table .rec-c-status{width:11.5%}.rec-table .rec-c-date{width:7.5%}
.rec-table .rec-c-category{width:11%}.rec-table .rec-c-addressees{width:12.5%}.rec-table .rec-c-evidence{width:13%}
.rec-table td.rec-title a{font-weight:600}
.rec-table .rec-why{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#4d4d57}
.rec-table .rec-sub{display:block;color:#4d4d57}
.rec-table a{color:LINK_COLOUR}
.rec-table .rec-swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;
  vertical-align:-1px}
.rec-table .rec-stale{white-space:nowrap}
@media (max-width:640px){
  .rec-table{table-layout:auto}
  .rec-table thead,.rec-table colgroup{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  .rec-table,.rec-table tbody,.rec-table tr,.rec-table td{display:block;width:100%}
  .rec-table tr{border-bottom:1px solid #b9b9c0;padding:.5rem 0}
  .rec-table td{border:0;padding:.1rem 0}
  .rec-table td:not(.rec-title)::before{content:attr(data-label) ": ";color:#4d4d57}
  .rec-table .rec-why{white-space:normal;display:-webkit-box;-webkit-line-clamp:2;line-clamp:2;
    -webkit-box-orient:vertical}
  .rec-table .rec-sub{display:inline}
  .rec-table .rec-sub::before{content:" · "}
}
</style>"""
_COLUMN_CLASSES = ("title", "status", "date", "date", "category", "addressees", "evidence")


def render_status_badge(label: str, colour: str, detail: str = "", evidence: str = "") -> str:
    """'Status:' and a status as a badge (its colour as the outline and a swatch, its name in text, so
    colour is never the only sign), then `detail` (plain text), as one escaped line; with `evidence` (the
    sentence of `evidence.describe_evidence`), how sure that status is, right under it."""
    c = html.escape(colour)
    badge = (
        f'<span style="display:inline-flex;align-items:center;gap:.4rem;padding:0 .6rem;border:2px solid {c};'
        f'border-radius:999px;font-weight:600"><span aria-hidden="true" style="display:inline-block;width:.8rem;'
        f'height:.8rem;border-radius:2px;background:{c}"></span>{html.escape(label)}</span>'
    )
    evidence_word = html.escape(t("Evidence:"))
    sure = f"<br><strong>{evidence_word}</strong> {html.escape(evidence)}" if evidence else ""
    # TRANSLATORS: before a recommendation's status badge ("Status: Implemented since ...").
    status = html.escape(t("Status:"))
    return f'<p style="margin:0"><strong>{status}</strong> {badge} {html.escape(detail)}{sure}</p>'


def render_status_table(settings) -> str:
    """The status taxonomy as a table (escaped), in its order: each status as its colour's swatch and its
    name, its definition and its weight in the progress score."""
    rows = "".join(
        f'<tr><td style="white-space:nowrap"><span aria-hidden="true" style="display:inline-block;width:.9rem;'
        f'height:.9rem;border-radius:2px;margin-right:.4rem;vertical-align:-2px;background:{html.escape(s.colour)}">'
        f"</span>{html.escape(s.label)}</td><td>{html.escape(' '.join(s.definition.split()))}</td>"
        f'<td style="text-align:right">{s.weight:g}</td></tr>'
        for s in status_by_id(settings).values()
    )
    named = html.escape(t("Statuses"))
    heads = "".join(f'<th scope="col">{html.escape(head)}</th>' for head in (t("Status"), t("Definition"), t("Weight")))
    cell = "text-align:left;padding:.3rem .8rem .3rem 0;border-bottom:1px solid #d9d9de;vertical-align:top"
    return (
        f"<style>.status-table td,.status-table th{{{cell}}}</style>"
        f'<table class="status-table" aria-label="{named}" '
        f'style="border-collapse:collapse;width:100%"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def render_context_events(
    events: pd.DataFrame, sources: dict[str, list[dict]] | None = None, kinds: dict[str, str] | None = None,
    link_colour: str = "#1d4f91",
) -> str:  # fmt: skip
    """The context events as a numbered list (escaped), numbered as the chart marks them: date, title, kind
    and every one of its sources (`sources`: analysis.event_sources, by event id; without it, the one the
    chart's rows name), each a link (http(s) only) with its publisher, kind and own date when known. HTML
    rather than Markdown: a long list of Markdown cost the reader's browser more to parse than the chart."""
    colour = f' style="color:{html.escape(link_colour)}"'
    kinds = kinds or {}
    items = []
    for event in events.itertuples():
        listed = sources.get(event.id, []) if sources is not None else [
            {"url": event.source_url, "title": event.source_title}
        ]  # fmt: skip
        links = [_source_link(source, kinds, colour) for source in listed if is_web_address(source.get("url"))]
        items.append(
            f'<li value="{int(event.number)}"><strong>{html.escape(event.date_label)}</strong> — '
            f"{html.escape(event.title)} ({html.escape(event.kind_label)})"
            + (": " + " · ".join(links) if links else "")
            + "</li>"
        )
    named = html.escape(t("Context events"))
    return f'<ol aria-label="{named}" style="padding-left:1.6rem;margin:0">{"".join(items)}</ol>'


def render_history(history: pd.DataFrame, kinds: dict[str, str], link_colour: str = "#1d4f91") -> str:
    """A recommendation's dated history (`analysis.history_of`), newest first, as one list (escaped): each
    entry its date, its status (or that a review found it unchanged), its note, its sources (each a link,
    http(s) only, with its publisher, kind and own date) and who recorded it when, in small text. HTML
    rather than Markdown: a long history of Markdown made this page the slowest to open (docs/benchmarks.md)."""
    colour = f' style="color:{html.escape(link_colour)}"'
    entries = []
    for item in history.itertuples():
        # A review states no status: it says the status found still held.
        what = t("review, no change found (still {status})", status=item.status) if item.review else item.status
        # A note's own line breaks stay line breaks.
        note = html.escape(item.note).replace("\n", "<br>")
        lines = [f"<strong>{html.escape(item.date)}</strong> — {html.escape(what)}", note]
        links = [_source_link(source, kinds, colour) for source in item.sources if is_web_address(source.get("url"))]
        if links:
            # The sentence escaped, then its links (HTML made here) put in its place.
            lines.append(html.escape(t("Sources: {links}", links="\x00")).replace("\x00", " · ".join(links)))
        # Who recorded it in small text under the entry (the page's text colour: grey would fall below 4.5:1).
        recorded = t("Recorded by {author} on {date}", author=item.author, date=day(item.recorded[:10]))
        lines.append(f"<small>{html.escape(recorded)}</small>")
        entries.append(f"<li>{'<br>'.join(lines)}</li>")
    named = html.escape(t("History"))
    return (
        f'<ul class="history" aria-label="{named}" style="list-style:none;padding:0;margin:0">'
        + "".join(entry.replace("<li>", '<li style="margin:0 0 .9rem 0">', 1) for entry in entries)
        + "</ul>"
    )


def _source_link(source: dict, kinds: dict[str, str], colour: str) -> str:
    """A source as a link, then its publisher, kind and own publication date where known."""
    name = html.escape(source.get("title") or source["url"])
    details = [source.get("publisher") or "", kinds.get(source.get("kind"), source.get("kind") or "")]
    if source.get("published"):
        details.append(day(source["published"]))
    said = ", ".join(detail for detail in details if detail)
    return f'<a href="{html.escape(source["url"])}"{colour}>{name}</a>' + (f" ({html.escape(said)})" if said else "")


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
            said = html.escape(t("Source: {title}", title=row.source_title or row.source_url))
            named = f'title="{title}" aria-label="{said}"'
            word = html.escape(t("source"))
            source = f' (<a href="{html.escape(row.source_url)}" {named}{colour}>{word}</a>)'
        items.append(f'<li style="margin:0 0 .2rem 0">{what} — {move}{source}</li>')
    named = html.escape(t("Latest changes"))
    return f'<ul aria-label="{named}" style="padding-left:1.1rem;margin:0">{"".join(items)}</ul>'


def render_recommendation_list(titles: dict[str, str], address: str, params: dict[str, str], label: str,
                               link_colour: str = "#1d4f91") -> str:  # fmt: skip
    """Recommendations as a list of links to their pages (escaped; `titles`: id -> title, in order)."""
    colour = f' style="color:{html.escape(link_colour)}"'
    items = "".join(
        f'<li><a href="{html.escape(recommendation_link(address, rec_id, params))}"{colour}>{html.escape(title)}</a>'
        f' <span style="color:#4d4d57">({html.escape(rec_id)})</span></li>'
        for rec_id, title in titles.items()
    )
    return f'<ul aria-label="{html.escape(label)}" style="padding-left:1.1rem;margin:0">{items}</ul>'


def render_changes(
    changes: pd.DataFrame, updates: pd.DataFrame, address: str, params: dict[str, str], link_colour: str = "#1d4f91"
) -> str:
    """What changed in a window as one readable list (escaped): per recommendation (`changes`, from
    `analysis.list_changes`) its title as a link to its page and its status before → after, then each of
    its updates (`updates`, from `analysis.list_window_updates`) with its date, what kind it was and its note."""
    colour = f' style="color:{html.escape(link_colour)}"'
    named = html.escape(t("What changed"))
    by_rec = {rec_id: rows for rec_id, rows in updates.groupby("rec_id", sort=False)}
    items = []
    for row in changes.itertuples():
        link = html.escape(recommendation_link(address, row.id, params))
        move = (
            f"{row.status_before} → {row.status_after}" if row.changed else t("still {status}", status=row.status_after)
        )
        entries = []
        for update in by_rec.get(row.id, updates.iloc[:0]).itertuples():
            if update.baseline:
                kind = t("tracking began: {status}", status=update.after)
            elif update.change:
                kind = t("status change: {before} → {after}", before=update.before, after=update.after)
            else:
                kind = t("review, nothing new") if update.review else t("update")
            entries.append(
                f"<li><strong>{html.escape(update.date_label)}</strong> · {html.escape(kind)}: "
                f"{html.escape(update.note)}</li>"
            )
        items.append(
            f'<li style="margin:0 0 .6rem 0"><a href="{link}"{colour}><strong>{html.escape(row.title)}</strong></a>'
            f" — {html.escape(move)}"
            f'<ul style="margin:.2rem 0 0 0;padding-left:1.1rem">{"".join(entries)}</ul></li>'
        )
    return f'<ul aria-label="{named}" style="padding-left:1.1rem;margin:0">{"".join(items)}</ul>'


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
    names = labels_of(settings.addressees)
    # A filter added to the table (tracker.filters) brings its column, after the standard ones.
    added = list_added_filters()
    labels = (*(t(name) for name in COLUMNS), *(t(row.label) for row in added))
    columns = "".join(f'<col class="rec-c-{kind}">' for kind in (*_COLUMN_CLASSES, *("added" for _ in added)))
    head = "".join(f'<th scope="col">{html.escape(name)}</th>' for name in labels)
    rows = []
    stale_word = html.escape(t("stale"))
    for row in frame.itertuples(index=False):
        link = html.escape(recommendation_link(address, row.id, params))
        why = html.escape(summarise_assessment(row.assessment, settings))
        swatch = html.escape(colours.get(row.status, "#777777"))
        # TRANSLATORS: a recommendation with no update or review within its review interval.
        stale = f' · <span class="rec-stale">⚠&nbsp;{stale_word}</span>' if row.stale else ""
        event = short_day(row.last_event) if isinstance(row.last_event, str) else "—"
        days = html.escape(tn("{n} day", "{n} days", int(row.days_in_status))).replace(" ", "&nbsp;")
        cells = (
            _cell("rec-title", f'<a href="{link}">{html.escape(row.title)}</a><span class="rec-why">{why}</span>'),
            _cell(
                "rec-status",
                f'<span class="rec-swatch" aria-hidden="true" style="background:{swatch}"></span>'
                + html.escape(row.status_label)
                + f'<span class="rec-sub">{days}{stale}</span>',
            ),
            # When its status was set, which differs from row to row: a sweep reviewing every recommendation on
            # one day made a "last reviewed" column read the same on every row (#23; the header says the sweep).
            _cell("", html.escape(short_day(row.since.date().isoformat()))),
            _cell("", html.escape(event)),
            _cell("", html.escape(f"{row.category_label} · {row.priority_label}")),
            # A line breaks between two addressees, never inside one ("South Korea": a no-break space).
            _cell("", ", ".join(html.escape(names.get(a, a)).replace(" ", "&nbsp;") for a in row.addressees)),
            _cell("", html.escape(row.evidence_label) or "—"),
            *(_cell("", html.escape(str(getattr(row, filter_row.label_column)))) for filter_row in added),
        )
        rows.append("<tr>" + "".join(cell(label) for cell, label in zip(cells, labels, strict=True)) + "</tr>")
    style = STYLE.replace("LINK_COLOUR", html.escape(link_colour))
    named = html.escape(t("Recommendations"))
    return (
        f'{style}<table class="rec-table" aria-label="{named}">'
        f"<colgroup>{columns}</colgroup>"
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def link_colour() -> str:
    """The theme's link colour (contrast-checked in .streamlit/config.toml)."""
    return st.get_option("theme.linkColor") or "#1d4f91"


def _cell(kind: str, value: str):
    """A cell (its class and escaped content), given its column's label when written out."""
    classes = f' class="{kind}"' if kind else ""
    return lambda label: f'<td{classes} data-label="{label}">{value}</td>'


def table_ui(frame: pd.DataFrame, settings, address: str, params: dict[str, str], order_box=None) -> None:
    """The table of the recommendations shown, in the order the reader picks (its picker in `order_box`, else
    above the table), a page of rows at a time; each title links to its page (`address`: the app's; `params`:
    the view's query, kept by the link)."""
    # In a popover labelled with the order shown: its picker is drawn only when it is opened.
    current = st.session_state.get("table_sort")
    label = t("Order: {order}", order=t(SORTS[current if current in SORTS else "order"][0]).lower())
    sort = (
        (order_box or st)
        .popover(label, icon=":material/sort:", key="table_sort_box")
        .selectbox(
            # TRANSLATORS: the order of the table's rows (sorting).
            t("Order"),
            list(SORTS),
            key="table_sort",
            format_func=lambda key: t(SORTS[key][0]),
            width=320,
            placeholder=t("Choose an option"),
        )
    )
    rows = sort_rows(frame, sort)
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    box = st.container(key="table")
    page = 1
    if pages > 1:
        # Keyed by the number of rows: a new filter starts again at the first page.
        page = st.pagination(pages, key=f"table_page_{len(rows)}")
        first, last = (page - 1) * PAGE_ROWS + 1, min(page * PAGE_ROWS, len(rows))
        st.caption(
            t("Rows {first}–{last} of {total}.", first=number(first), last=number(last), total=number(len(rows)))
        )
    box.html(
        render_table(rows.iloc[(page - 1) * PAGE_ROWS : page * PAGE_ROWS], settings, address, params, link_colour())
    )
