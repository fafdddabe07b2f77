"""Changes: what changed between two dates for the recommendations the filters keep."""

from __future__ import annotations

from ui.context import Context, current
from ui.data import changes_cached
from ui.page_parts import filtered_rows, title_ui
from ui.reader import changes_ui


def draw(ctx: Context) -> None:
    title_ui(ctx, "Changes", "changes")
    shown = filtered_rows(ctx)
    if shown is None:
        return
    view = ctx.view
    ids = tuple(shown["id"])
    recent = changes_cached(
        ctx.location, ctx.revision, ctx.today, view.changes_since(), view.as_of, ids, view.published
    )
    changes_ui(ctx.tracker, view, ctx.log, shown["id"], recent)


if __name__ == "__main__":
    draw(current())
