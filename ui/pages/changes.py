"""Changes: what changed between two dates for the recommendations the filters keep."""

from __future__ import annotations

from ui.context import Context, current
from ui.page_parts import filtered_rows, title_ui
from ui.reader import changes_ui
from ui.registry import page
from ui.words import t


def draw(ctx: Context) -> None:
    title_ui(ctx, t(page("changes").title), "changes")
    shown = filtered_rows(ctx)
    if shown is None:
        return
    changes_ui(ctx.tracker, ctx.view, ctx.log, shown["id"], ctx.today)


if __name__ == "__main__":
    draw(current())
