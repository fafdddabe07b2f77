"""The recommendation tracker's dashboard: the page script of a multipage app (st.navigation).
It loads the data, reads the link, draws the sidebar and runs the page asked for; the pages are
in `ui/pages.py`, their widgets in `ui/`, every number, table and chart comes from `tracker/`.

Run with `scripts/dashboard` (or `streamlit run dashboard.py`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime

import altair as alt
import streamlit as st

from tracker import clock, edits
from tracker.clock import BadClockSetting
from tracker.text import escape_markdown
from tracker.view import forward_old_link, page_view
from ui.data import data_location, frozen_facts, load_cached, load_or_explain
from ui.editor import access_ui
from ui.pages import Context, build_pages, page_key
from ui.reader import filters_ui, keep_filters, narrow_by_chart_clicks, read_url_once, share_ui, sync_url
from ui.state import read_state, read_texts
from ui.suggest import pending_count, suggestions_switch

PAGE_TITLE = "Recommendation tracker"
# Pages that list recommendations, so the sidebar offers the filters there.
FILTERED = ("recommendations", "timeline", "changes")


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
    keep_filters()
    # What this editor had in front of them since they began editing (or last saved).
    seen = read_state("_seen", dict)
    if seen is None:
        seen = st.session_state["_seen"] = edits.count_updates(tracker)
    asked = read_url_once(tracker, today)
    # The sidebar's order: filters, share, then the way in for editors (decided before the pages).
    filters_box, share_box = st.sidebar.container(), st.sidebar.container()
    who = access_ui()
    frozen_view = read_state("_published", datetime) is not None
    suggesting, why_not = suggestions_switch()
    if why_not:
        st.sidebar.warning(escape_markdown(why_not))
    ctx = Context(tracker=tracker, log=log, view=None, location=location, revision=revision, today=today, who=who,
                  seen=seen, suggesting=suggesting)  # fmt: skip
    editing = who.can_edit and not frozen_view
    ctx.waiting = pending_count(location) if editing else 0
    pages = build_pages(ctx, editing=editing)
    ctx.pages = pages
    current = st.navigation(list(pages.values()))
    # The tab title follows the page (a page may set its own); without this the last one would stick.
    st.set_page_config(page_title=f"{current.title} · {PAGE_TITLE}")
    key = page_key(pages, current)
    if asked is not None and key == "":
        # A link shared before the dashboard had pages opens the page that shows what it names.
        target = forward_old_link(asked)
        if target:
            st.switch_page(pages[target], query_params=st.query_params.to_dict())
    if read_state("_go_edit", bool) and "edit" in pages:
        st.session_state.pop("_go_edit")
        st.switch_page(pages["edit"])
    # Messages quote titles and link values: shown as text, never as markup.
    for message in read_texts("_flash"):
        st.success(escape_markdown(message))
    st.session_state.pop("_flash", None)
    if read_state("_flash_toast", str):
        st.toast(escape_markdown(st.session_state.pop("_flash_toast")))
    for warning in read_texts("_warnings"):
        st.warning(escape_markdown(warning))
    view = filters_ui(tracker, today, filters_box, with_filters=key in FILTERED)
    view = page_view(view, key)
    if key == "recommendations":  # a click on a chart's bar narrows the table, its count and the link alike
        ctx.chart_view, view = view, narrow_by_chart_clicks(view, location, revision, today)
    # Nothing to share on the Edit page (and freezing would take it away under the editor), nor on the
    # suggestion pages (a reader's status link is the one they were given).
    if key not in ("edit", "suggest", "suggestion"):
        share_ui(view, today, share_box, page=key)
    if key != "suggest":
        st.session_state.pop("_sug_sent", None)  # the thanks are for the send just made
    if view.frozen:
        # Every page reads the tracker as published at the view's moment.
        ctx.frozen = frozen_facts(location, revision, today, view.published, view.as_of)
        ctx.tracker, ctx.log, _ = load_cached(location, revision, today, view.published)
    ctx.view = view
    current.run()
    if key == "recommendation":
        view = replace(view, rec=read_state("f_rec", str) or None)
    elif key == "suggest":
        view = replace(view, rec=read_state("sug_rec", str) or None)
    # A suggestion's status page keeps its reference in the address, so the link can be kept.
    sync_url(view, today, keep={"ref": read_state("_sug_ref", str)} if key == "suggestion" else None)


main()
