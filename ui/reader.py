"""What every reader sees: filters, header, numbers, charts, table, detail, changes,
sharing and downloads. Layout only; the numbers come from `tracker/`."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime
from functools import partial

import pandas as pd
import streamlit as st

from tracker import analysis, charts, clock, downloads
from tracker.edition import FINGERPRINT_SHOWN, describe_moment
from tracker.edits import find_recommendation
from tracker.model import format_date, is_web_address, labels_of, status_by_id
from tracker.text import escape_markdown, markdown_link, render_status_table
from tracker.view import View, build_link, earliest_date, parse_view, view_to_params
from ui.follow import feed_link_ui, follow_ui
from ui.state import read_state


def read_url_once(tracker, today: date) -> None:
    """On a session's first run, copy the link's query parameters into the filters."""
    if read_state("_url_read", bool):
        return
    view, warnings = parse_view(st.query_params.to_dict(), tracker, today, clock.now(os.environ))
    st.session_state.update(
        {
            "_url_read": True,
            "_warnings": warnings,
            "f_status": list(view.statuses),
            "f_addressee": list(view.addressees),
            "f_category": list(view.categories),
            "f_query": view.query,
            "f_as_of": view.as_of,
            "f_rec": view.rec or "",
            "f_since": view.since,
            "_published": view.published,
            "share_freeze": view.frozen,
        }
    )


def filters_ui(tracker, today: date) -> View:
    """Sidebar filters; returns the view they describe."""
    settings = tracker.settings
    labels = labels_of([*settings.statuses, *settings.addressees, *settings.categories])
    sidebar = st.sidebar
    sidebar.header("Filters")
    for label, terms, key, placeholder in (
        ("Status", list(status_by_id(settings).values()), "f_status", "All statuses"),
        ("Addressee", settings.addressees, "f_addressee", "All addressees"),
        ("Category", settings.categories, "f_category", "All categories"),
    ):
        sidebar.multiselect(
            label, [term.id for term in terms], key=key, format_func=labels.get, placeholder=placeholder
        )
    sidebar.text_input("Search", key="f_query", placeholder="Words in a title or note", max_chars=100)
    published = read_state("_published", datetime)
    sidebar.date_input(
        "As of",
        key="f_as_of",
        min_value=earliest_date(tracker),
        max_value=today,
        format="YYYY-MM-DD",
        disabled=published is not None,
        help="Show every number, chart and table as things stood on this day.",
    )
    if sidebar.button("Clear filters", key="clear_filters"):
        for key in ("f_status", "f_addressee", "f_category"):
            st.session_state[key] = []
        st.session_state["f_query"] = ""
        st.rerun()
    return View(
        as_of=st.session_state["f_as_of"] or today,
        statuses=tuple(st.session_state["f_status"]),
        addressees=tuple(st.session_state["f_addressee"]),
        categories=tuple(st.session_state["f_category"]),
        query=st.session_state["f_query"].strip(),
        rec=st.session_state.get("f_rec") or None,
        since=st.session_state.get("f_since"),
        published=published,
    )


def sync_url(view: View, today: date) -> None:
    """Keep the address bar in step with the view, so a copied link reopens it."""
    params = view_to_params(view, today)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def header_ui(tracker, view: View, log: pd.DataFrame, frozen: tuple | None = None) -> None:
    """The title, the freshness line and, for a frozen view, what it pins (`frozen`: its
    fingerprint and what was recorded later)."""
    settings = tracker.settings
    article = settings.article
    st.title(escape_markdown(settings.title))
    byline = f"{article.description}. {article.author}, {article.publisher}, {format_date(article.published)}."
    st.caption(escape_markdown(byline))
    reviewed = analysis.latest_update(log, view.as_of)
    event = analysis.latest_event(tracker, log, view.as_of)
    st.markdown(
        f"**As of {format_date(view.as_of.isoformat())}** · last reviewed {format_date(reviewed) if reviewed else '—'}"
        f" · latest event {format_date(event) if event else '—'}",
        help="Last reviewed: the latest update or review (someone checked the sources). Latest event: the latest "
        "thing that happened in the world (a status change, a sourced update or a summit, ruling or election).",
    )
    feed_link_ui(page_address())
    if view.frozen and frozen is not None:
        frozen_notice_ui(view, *frozen)
    with st.expander("Methodology and status definitions"):
        st.markdown(escape_markdown(settings.methodology))
        # A Markdown table wraps long definitions, where a data grid would cut them off.
        st.markdown(render_status_table(settings))
        st.markdown(analysis.describe_progress_formula(settings))
        st.markdown(
            f"A recommendation is **stale** when it has had no update or review for "
            f"{settings.review_interval_days} days (some recommendations set their own interval)."
        )


def frozen_notice_ui(view: View, fingerprint: str, later) -> None:
    """What a frozen link shows, how to check it, and the way back to the current view."""
    today = clock.today(os.environ)
    current = build_link(page_address(), replace(view, as_of=today, published=None, since=None), today)
    if later.total:
        parts = [
            (later.updates, "update"),
            (later.corrections, "correction of a detail"),
            (later.recommendations, "new recommendation"),
            (later.events, "context event"),
        ]
        counted = ", ".join(f"{n} {what}{'' if n == 1 else 's'}" for n, what in parts if n).replace(
            "correction of a details", "corrections of details"
        )
        since = f"Since then, {counted} were recorded that would change this view."
    else:
        since = "Nothing recorded since then changes this view."
    st.info(
        f"This is a frozen link: it shows the tracker as published on {describe_moment(view.published)}, about "
        f"{format_date(view.as_of.isoformat())}, even after later updates. Data fingerprint "
        f"`{fingerprint[:FINGERPRINT_SHOWN]}` (the brief made from this view carries the same one). {since} "
        f"{markdown_link('See the current view', current)}."
    )


def metrics_ui(tracker, shown: pd.DataFrame, total: int, view: View, recent: pd.DataFrame) -> None:
    settings = tracker.settings
    counts = analysis.count_by_status(shown, settings)
    grid = st.columns(len(counts))
    for column, row in zip(grid, counts.itertuples(), strict=True):
        column.metric(escape_markdown(row.label), row.count)
    since = view.changes_since()
    changed = int(recent["changed"].sum()) if not recent.empty else 0
    score = st.columns(4)
    score[0].metric(
        "Progress score",
        f"{analysis.score_progress(shown, settings):g} / 100",
        help=analysis.describe_progress_formula(settings),
    )
    score[1].metric("Stale", int(shown["stale"].sum()), help="No update or review within the review interval.")
    score[2].metric(f"Changed since {format_date(since.isoformat())}", changed)
    score[3].metric("Shown", f"{len(shown)} of {total}")


def charts_ui(specs: dict[str, dict]) -> dict:
    """The four charts; returns what the reader clicked."""
    left, right = st.columns([6, 5])  # the category chart's long labels need the extra width
    picked_category = left.vega_lite_chart(
        specs["status_by_category"], key="chart_category", on_select="rerun", width="stretch"
    )
    picked_addressee = right.vega_lite_chart(
        specs["scorecard"], key="chart_addressee", on_select="rerun", width="stretch"
    )
    st.vega_lite_chart(specs["status_over_time"], width="stretch")
    picked_rec = st.vega_lite_chart(specs["timeline"], key="chart_timeline", on_select="rerun", width="stretch")
    return {
        "category": clicked(picked_category, charts.PICK_CATEGORY, "category"),
        "addressee": clicked(picked_addressee, charts.PICK_ADDRESSEE, "addressee"),
        "rec": clicked(picked_rec, charts.PICK_RECOMMENDATION, "rec_id"),
    }


def clicked(event, selection: str, field: str) -> list:
    """Values a reader clicked in a chart (the event is dict-like in every runtime)."""
    points = (event or {}).get("selection", {}).get(selection) or []
    return [point[field] for point in points if field in point]


def narrow_by_clicks(frame: pd.DataFrame, picked: dict) -> pd.DataFrame:
    if picked["category"]:
        frame = frame[frame["category"].isin(picked["category"])]
    if picked["addressee"]:
        frame = frame[frame["addressees"].map(lambda items: bool(set(picked["addressee"]) & set(items)))]
    return frame


def table_ui(frame: pd.DataFrame, picked: dict) -> str | None:
    """The recommendations table; returns the id of a row the reader selected."""
    st.subheader("Recommendations")
    if picked["category"] or picked["addressee"]:
        st.caption("Narrowed by your click on a chart; click the chart's background to undo.")
    # Plain lists: for a page of rows, pandas' per-column machinery costs more than the work.
    table = pd.DataFrame(
        {
            "Recommendation": frame["title"].to_numpy(),
            "Addressees": frame["addressee_labels"].to_numpy(),
            "Category": frame["category_label"].to_numpy(),
            "Status": frame["status_label"].to_numpy(),
            "Last reviewed": [format_date(written) for written in frame["last_update"]],
            "Latest event": [
                format_date(written) if isinstance(written, str) else "—" for written in frame["last_event"]
            ],
            "Days in status": frame["days_in_status"].to_numpy(),
            "Stale": ["⚠ stale" if stale else "" for stale in frame["stale"]],
            "Latest source": frame["last_source_title"].to_numpy(),
            "Link": [url if is_web_address(url) else None for url in frame["last_source_url"]],
        }
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={"Link": st.column_config.LinkColumn("Link", display_text="Open ↗")},
    )
    rows = (event or {}).get("selection", {}).get("rows") or []
    return frame["id"].iloc[rows[0]] if rows else None


def remember_pick(name: str, value) -> bool:
    """True when a click (row or chart) is new since the last run."""
    key = f"_last_{name}"
    if st.session_state.get(key) == value:
        return False
    st.session_state[key] = value
    return bool(value)


def describe_source(source: dict, kinds: dict[str, str]) -> str:
    """A source as a link, with its kind and, when known, its own publication date."""
    published = f", {format_date(source['published'])}" if source.get("published") else ""
    kind = escape_markdown(kinds.get(source.get("kind"), source.get("kind") or ""))
    return f"{markdown_link(source['title'], source['url'])} ({kind}{escape_markdown(published)})"


def detail_ui(tracker, view: View, log: pd.DataFrame, ids: list[str]) -> None:
    st.subheader("Detail")
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    options = [""] + [rec_id for rec_id in titles if rec_id in ids or rec_id == st.session_state.get("f_rec")]
    st.selectbox(
        "Recommendation",
        options,
        key="f_rec",
        format_func=lambda rec_id: titles.get(rec_id, "Choose a recommendation…"),
    )
    rec_id = st.session_state["f_rec"]
    if not rec_id:
        st.caption("Choose a recommendation, click a row of the table or a band of the timeline to see its history.")
        return
    rec = find_recommendation(tracker, rec_id)
    st.markdown(f"#### {escape_markdown(rec.title)}")
    st.markdown(
        f"**Assessment** ({format_date(rec.assessment.date)}): {escape_markdown(rec.assessment.text)}  \n"
        f"**What would count as implemented:** {escape_markdown(rec.criteria)}"
    )
    st.markdown("> " + escape_markdown(rec.quote).replace("\n", "\n> "))
    st.caption("Verbatim from the article" + (" (implied by it)" if rec.implied else ""))
    follow_ui(rec_id, page_address(), rec.title)
    kinds = labels_of(tracker.settings.source_kinds)
    history = analysis.history_of(tracker, rec_id, view.as_of, log)
    if history.empty:
        st.info(f"Nothing was recorded for this recommendation by {format_date(view.as_of.isoformat())}.")
        return
    for row in history.itertuples():
        links = " · ".join(describe_source(source, kinds) for source in row.sources)
        st.markdown(
            f"**{row.date}** — {escape_markdown(row.status)}  \n{escape_markdown(row.note)}"
            + (f"  \nSources: {links}" if links else "")
        )
        st.caption(f"Recorded by {escape_markdown(row.author)} on {row.recorded[:10]}")
    for change in reversed(rec.metadata_changes):
        st.caption(
            escape_markdown(
                f"{change.author} changed the {change.field.replace('_', ' ')} on {change.recorded[:10]} "
                f"(it was {change.old!r})."
            )
        )


def changes_ui(tracker, view: View, log: pd.DataFrame, ids, recent: pd.DataFrame) -> None:
    st.subheader("What changed")
    # Keyed by the as-of date so moving it never leaves this date out of range.
    since = st.date_input(
        "Since",
        value=view.changes_since(),
        min_value=earliest_date(tracker),
        max_value=view.as_of,
        key=f"changes_since_{view.as_of}",
        format="YYYY-MM-DD",
    )
    if since == view.changes_since():
        changes = recent
    else:
        changes = analysis.list_changes(tracker, since, view.as_of, log[log["rec_id"].isin(ids)])
    if changes.empty:
        st.info(
            f"No update was recorded between {format_date(since.isoformat())} and "
            f"{format_date(view.as_of.isoformat())} for the recommendations shown."
        )
        return
    st.dataframe(
        changes.rename(
            columns={
                "title": "Recommendation",
                "status_before": "Before",
                "status_after": "After",
                "changed": "Status changed",
                "updates": "Updates",
                "latest": "Latest",
                "latest_note": "Latest note",
            }
        ).drop(columns=["id"]),
        hide_index=True,
        width="stretch",
    )


# ---------------------------------------------------------------- sharing


def page_address() -> str:
    """This page's address without its query string (works behind a base path too)."""
    url = st.context.url or "http://localhost:8501/"
    return url.split("?", 1)[0]


def _toggle_freeze(today: date) -> None:
    # Freezing pins both clocks (the as-of day and this moment); unfreezing goes back to today's view.
    if st.session_state["share_freeze"]:
        st.session_state["_published"] = clock.now(os.environ)
    else:
        st.session_state["_published"] = None
        st.session_state["f_as_of"] = today


def share_ui(view: View, today: date) -> None:
    """The link to this view; 'freeze' pins it for a citable permalink."""
    sidebar = st.sidebar
    sidebar.header("Share")
    sidebar.checkbox(
        "Freeze this view (a citable link that keeps showing exactly this)",
        key="share_freeze",
        on_change=_toggle_freeze,
        args=(today,),
    )
    link = build_link(page_address(), view, today)
    # Inline code, not st.code: a code block loads a syntax highlighter into every page.
    sidebar.markdown(f"Link to this view:  \n`{link}`")
    if view.frozen:
        sidebar.caption(
            f"It shows the tracker as published on {describe_moment(view.published)}, as of "
            f"{format_date(view.as_of.isoformat())}: later updates, even back-dated ones, never change it."
        )


def downloads_ui(tracker, view: View, shown: pd.DataFrame, today: date) -> None:
    """One picker for every export: tables, the data file, stamped chart images, the offline brief."""
    st.subheader("Download")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    key = left.selectbox(
        "What to download",
        list(downloads.DOWNLOADS),
        key="download_what",
        format_func=lambda choice: downloads.DOWNLOADS[choice][0],
    )
    build = partial(
        downloads.build_download,
        key,
        tracker,
        view,
        frame=shown,
        permalink=build_link(page_address(), view, today, freeze_at=clock.now(os.environ)),
        generated=clock.now(os.environ),
    )
    # The shown table is small and already computed: hand it over directly. Everything else
    # (the whole event log, the data file, chart images, the brief) grows with the tracker,
    # so it is made only when the button is clicked, not on every rerun while it is picked.
    right.download_button(
        f"Download {downloads.DOWNLOADS[key][1].upper()}",
        type="primary",
        data=build() if key.startswith("recommendations-") else build,
        file_name=downloads.name_download(key, view.as_of),
        mime=downloads.DOWNLOADS[key][2],
        key="download",
        on_click="ignore",
    )
    st.caption(
        "Exports follow the filters and the as-of date shown; chart images and the brief are stamped with "
        "them. The brief also carries the data's fingerprint and a frozen permalink."
    )
