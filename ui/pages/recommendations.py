"""All recommendations: the filtered table, the headline numbers, the two summary charts (a click narrows the
table) and the downloads."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from tracker.model import item_words
from tracker.view import filter_recommendations, view_to_params
from ui.context import Context, current
from ui.data import changes_cached
from ui.page_parts import SUMMARY, filtered_rows, status_strip, title_ui
from ui.reader import downloads_ui, metrics_ui, page_address, summary_charts_ui
from ui.registry import page, titled
from ui.table import table_ui
from ui.words import t


def draw(ctx: Context) -> None:
    title_ui(ctx, t(titled(page("recommendations").title, item_words(ctx.tracker.settings)[0])), "recommendations")
    shown = filtered_rows(ctx)  # a click on a chart narrows it like a filter (dashboard.py)
    if shown is None:
        return
    view = ctx.view
    ids = tuple(shown["id"])
    recent = changes_cached(
        ctx.location, ctx.revision, ctx.today, view.changes_since(), view.as_of, ids, view.published
    )
    # The strip, the headline numbers and the order picker above the table, in as few lines as they take,
    # so that ten rows or more fit a laptop's first screen.
    status_strip(ctx.tracker, shown)
    numbers, order = st.columns([3, 1], vertical_alignment="center")
    with numbers:
        metrics_ui(ctx.tracker, shown, view, recent)
    # A recommendation's link keeps the view (its filters stay with the visit, as from the sidebar).
    params = view_to_params(replace(view, rec=None), ctx.today)
    table_ui(shown, ctx.tracker.settings, page_address(), params, order_box=order)
    st.header(t("By category and addressee"))
    # The charts draw the view before any click, so a click shows as a highlight and can be undone.
    charted = filter_recommendations(ctx.frame, ctx.chart_view or view)
    summary_charts_ui(ctx.specs(charted["id"], SUMMARY), ctx.sentences(charted))
    downloads_ui(ctx.tracker, view, shown, ctx.today, source=ctx.source)


if __name__ == "__main__":
    draw(current())
