"""The recommendation tracker's dashboard. Layout only: the widgets live in `ui/`,
every number, table and chart comes from `tracker/`.

Run with `scripts/dashboard` (or `streamlit run dashboard.py`).
"""

from __future__ import annotations

import os
from dataclasses import replace

import altair as alt
import streamlit as st

from tracker import clock, edits
from tracker.clock import BadClockSetting
from tracker.model import format_date
from tracker.text import escape_markdown
from tracker.view import describe_filters, filter_recommendations
from ui.data import (
    changes_cached,
    chart_specs,
    data_location,
    frozen_facts,
    load_cached,
    load_or_explain,
    statuses_cached,
)
from ui.editor import access_ui, edit_mode_ui, editor_ui
from ui.reader import (
    changes_ui,
    charts_ui,
    detail_ui,
    downloads_ui,
    filters_ui,
    header_ui,
    metrics_ui,
    narrow_by_clicks,
    read_url_once,
    remember_pick,
    share_ui,
    sync_url,
    table_ui,
)
from ui.state import read_state, read_texts

PAGE_TITLE = "Recommendation tracker"
EMPTY_TRACKER = (
    "This tracker holds no recommendations yet. Editors can add the first one with "
    "“Add a recommendation” under the editing tools."
)


def main() -> None:
    st.set_page_config(page_title=PAGE_TITLE, page_icon="📋", layout="wide")
    alt.data_transformers.disable_max_rows()
    try:
        today = clock.today(os.environ)
    except BadClockSetting as error:
        st.error(str(error))
        st.stop()
    location = data_location()
    tracker, log, _, revision = load_or_explain(location, today)
    # What this editor had in front of them since they began editing (or last saved).
    seen = read_state("_seen", dict)
    if seen is None:
        seen = st.session_state["_seen"] = edits.count_updates(tracker)
    read_url_once(tracker, today)
    # Messages quote titles and link values: shown as text, never as markup.
    for message in read_texts("_flash"):
        st.success(escape_markdown(message))
    st.session_state.pop("_flash", None)
    if read_state("_flash_toast", str):
        st.toast(escape_markdown(st.session_state.pop("_flash_toast")))
    for warning in read_texts("_warnings"):
        st.warning(escape_markdown(warning))
    view = filters_ui(tracker, today)
    share_ui(view, today)
    who = access_ui()
    editing = edit_mode_ui(who) and not view.frozen
    published = view.published
    frozen = None
    if view.frozen:
        # Everything below reads the tracker as published at the view's moment.
        frozen = frozen_facts(location, revision, today, published, view.as_of)
        tracker, log, _ = load_cached(location, revision, today, published)
    header_ui(tracker, view, log, frozen)
    frame = statuses_cached(location, revision, today, view.as_of, published)
    if not tracker.recommendations:
        st.info(EMPTY_TRACKER)
        if editing:
            editor_ui(tracker, frame, location, who, today, seen)
        sync_url(view, today)
        return
    shown = filter_recommendations(frame, view)
    if shown.empty:
        st.info(
            f"No recommendation matches these filters ({escape_markdown(describe_filters(view, tracker))}) as of "
            f"{format_date(view.as_of.isoformat())}. Clear a filter in the sidebar to see more."
        )
        if editing:
            editor_ui(tracker, frame, location, who, today, seen)
        sync_url(view, today)
        return
    ids = tuple(shown["id"])
    recent = changes_cached(location, revision, today, view.changes_since(), view.as_of, ids, published)
    metrics_ui(tracker, shown, len(frame), view, recent)
    picked = charts_ui(chart_specs(location, revision, today, view.as_of, ids, published))
    narrowed = narrow_by_clicks(shown, picked)
    row_pick = table_ui(narrowed, picked)
    for name, value in (("row", row_pick), ("band", picked["rec"][0] if picked["rec"] else None)):
        if remember_pick(name, value):
            st.session_state["f_rec"] = value
    detail_ui(tracker, view, log, list(shown["id"]))
    changes_ui(tracker, view, log, shown["id"], recent)
    downloads_ui(tracker, view, shown, today)
    if editing:
        editor_ui(tracker, frame, location, who, today, seen)
    view = replace(view, rec=st.session_state.get("f_rec") or None)
    sync_url(view, today)


main()
