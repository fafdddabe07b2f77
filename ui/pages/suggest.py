"""Suggest an update: a reader's form to tell the editors what happened, with sources."""

from __future__ import annotations

from ui.context import Context, current
from ui.suggest import suggest_form_ui


def draw(ctx: Context) -> None:
    suggest_form_ui(ctx, ctx.pages["suggestion"])


if __name__ == "__main__":
    draw(current())
