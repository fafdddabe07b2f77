"""The Timeline: status over time with the context events marked (drawn on the server), a timeline per
recommendation (HTML rows, each a link to its recommendation: ui/bands.py), and the numbered context events."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from tracker import analysis
from tracker.model import labels_of, status_by_id
from tracker.text import escape_markdown
from tracker.view import earliest_date, view_to_params
from ui.bands import ROWS_SHOWN, render_timeline
from ui.context import Context, current
from ui.page_parts import filtered_rows, title_ui
from ui.reader import DRAWN_TIMELINE, drawn_chart_ui, page_address
from ui.registry import page
from ui.table import link_colour, render_context_events
from ui.words import current_words, number, t


def draw(ctx: Context) -> None:
    title_ui(ctx, t(page("timeline").title), "timeline")
    shown = filtered_rows(ctx)
    if shown is None:
        return
    sentences = ctx.sentences(shown)
    drawings = ctx.drawings(shown["id"], DRAWN_TIMELINE)
    drawn_chart_ui("status_over_time", drawings["status_over_time"], sentences["status_over_time"])
    rows = ctx.chart_rows(shown["id"], ("timeline",))
    colours = {status.id: status.colour for status in status_by_id(ctx.tracker.settings).values()}
    # A recommendation's link keeps the view (its filters stay with the visit, as from the sidebar).
    params = view_to_params(replace(ctx.view, rec=None), ctx.today)
    w = current_words()
    st.html(
        render_timeline(
            rows["periods"], rows["points"], colours, page_address(), params, w,
            title=w.t("Timeline per recommendation"), link_colour=link_colour(), limit=ROWS_SHOWN,
        )
    )  # fmt: skip
    caption = sentences["timeline"]
    if len(shown) > ROWS_SHOWN:
        caption += " " + t(
            "The timeline shows the first {shown} of {total}; narrow them with the filters in the sidebar.",
            shown=number(ROWS_SHOWN),
            total=number(len(shown)),
        )
    st.caption(escape_markdown(caption))
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
