"""Your suggestion (`?ref=<reference>`): what became of a reader's suggestion, nothing personal."""

from __future__ import annotations

from ui.context import Context, current
from ui.suggest import suggestion_status_ui


def draw(ctx: Context) -> None:
    suggestion_status_ui(ctx, ctx.pages["recommendation"])


if __name__ == "__main__":
    draw(current())
