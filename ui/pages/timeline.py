"""The Timeline: status over time with the context events marked, a timeline per recommendation, and the
numbered context events."""

from __future__ import annotations

import streamlit as st

from tracker import analysis
from tracker.model import labels_of
from tracker.view import earliest_date
from ui.context import Context, current
from ui.page_parts import filtered_rows, open_recommendation, title_ui
from ui.reader import remember_pick, timeline_charts_ui
from ui.registry import page
from ui.table import link_colour, render_context_events
from ui.words import current_words, t


def draw(ctx: Context) -> None:
    title_ui(ctx, t(page("timeline").title), "timeline")
    shown = filtered_rows(ctx)
    if shown is None:
        return
    specs = ctx.specs(shown["id"], ("status_over_time", "timeline"))
    sentences = ctx.sentences(shown)
    picked = timeline_charts_ui(specs, sentences)
    band = picked[0] if picked else None
    if remember_pick("band", band):
        open_recommendation(ctx, band)
    st.header(t("Context events"))
    # The same events, numbered the same way, as the chart marks (tracker.charts.chart_data).
    events = analysis.list_context_events(ctx.tracker, earliest_date(ctx.tracker), ctx.view.as_of, current_words())
    if events.empty:
        st.caption(t("No context event is recorded for this period."))
        return
    sources = analysis.event_sources(ctx.tracker)
    st.html(render_context_events(events, sources, labels_of(ctx.tracker.settings.source_kinds), link_colour()))


if __name__ == "__main__":
    draw(current())
