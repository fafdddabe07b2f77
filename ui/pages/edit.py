"""Edit: for someone who may edit only: the editor's name, the forms and the readers' suggestions."""

from __future__ import annotations

from ui.context import Context, current
from ui.editor import editor_ui
from ui.suggest import queue_ui
from ui.translations import translations_ui
from ui.words import t, tn


def draw(ctx: Context) -> None:
    # TRANSLATORS: a section of the Edit page: the readers' suggestions, with how many wait for an editor.
    label = (
        tn("Suggestions ({n} waiting)", "Suggestions ({n} waiting)", ctx.waiting) if ctx.waiting else t("Suggestions")
    )
    queue = (label, lambda: queue_ui(ctx, ctx.who))
    # Editors edit the data as stored (English), whatever the page's language.
    source = ctx.source or ctx.tracker
    translations = (t("Translations"), lambda: translations_ui(source, ctx.location, ctx.who, ctx.today))
    editor_ui(source, ctx.source_frame, ctx.location, ctx.who, ctx.today, ctx.seen, queue=queue,
              more={"translations": translations})  # fmt: skip


if __name__ == "__main__":
    draw(current())
