"""All recommendations: the filtered table, the headline numbers and the downloads.

The charts by category and addressee are the Overview's (drawn there on the server): on this page the
browser's drawing of them (Vega's runtime) was most of what made the list slower to open than a trivial
app, and the list is what a reader comes here for (docs/benchmarks.md, #24)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from tracker.model import item_words
from tracker.view import view_to_params
from ui.context import Context, current
from ui.data import changes_cached
from ui.page_parts import filtered_rows, status_strip, title_ui
from ui.reader import downloads_ui, metrics_ui, page_address
from ui.registry import page, titled
from ui.table import table_ui
from ui.words import t


def draw(ctx: Context) -> None:
    title_ui(ctx, t(titled(page("recommendations").title, item_words(ctx.tracker.settings)[0])), "recommendations")
    shown = filtered_rows(ctx)
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
    downloads_ui(ctx.tracker, view, shown, ctx.today, source=ctx.source)


if __name__ == "__main__":
    draw(current())
