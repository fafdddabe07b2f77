"""The Methodology: what the statuses mean, how the score is made, the sources policy and the data's limits."""

from __future__ import annotations

import streamlit as st

from tracker import analysis
from tracker.model import labels_of
from tracker.text import escape_markdown, render_status_table
from ui.context import Context, current
from ui.page_parts import status_strip, title_ui


def weak_sources_sentence(tracker) -> str:
    """The figure the methodology gives for weak sources, computed from the data the page shows (so it
    follows every update instead of being typed into the text)."""
    count = analysis.count_weakly_sourced(tracker)
    weak = [kind.label.lower() for kind in tracker.settings.source_kinds if not kind.supports_change]
    kinds = " or ".join(weak) if weak else "weak"
    things = "update or context event rests" if count == 1 else "updates and context events rest"
    return (
        f"In this edition {count} {things} only on sources of a kind that cannot carry a status change "
        f"({escape_markdown(kinds)}); none of them changes a status, and each source shows its kind."
    )


def draw(ctx: Context) -> None:
    settings = ctx.tracker.settings
    title_ui(ctx, "Methodology", "methodology")
    st.markdown(escape_markdown(settings.methodology))
    st.header("Statuses")
    st.caption("Each status has a colour, used on every chart, and always appears with its name.")
    status_strip(ctx.tracker)
    # A Markdown table wraps long definitions, where a data grid would cut them off.
    st.markdown(render_status_table(settings))
    st.header("Progress score")
    st.markdown(escape_markdown(analysis.describe_progress_formula(settings)))  # it names the status labels
    st.markdown(
        f"A recommendation is **stale** when it has had no update or review for "
        f"{settings.review_interval_days} days (some recommendations set their own interval)."
    )
    recs = ctx.tracker.recommendations
    if any(len(rec.addressees) > 1 for rec in recs) or any(rec.recurrence for rec in recs):
        st.header("Several addressees, yearly commitments")
    if any(len(rec.addressees) > 1 for rec in recs):
        st.markdown(escape_markdown(analysis.PARTS_RULE))
    if any(rec.recurrence for rec in recs):
        st.markdown(escape_markdown(analysis.RECURRENCE_RULE))
    st.header("Sources")
    st.markdown(
        "Every status change rests on at least one dated public source whose kind may carry a change; "
        "a review that finds nothing new keeps the status and resets the staleness clock."
    )
    rows = ["| Kind | Definition | May carry a status change |", "|---|---|---|"]
    for kind in settings.source_kinds:
        cells = [escape_markdown(" ".join(text.split())) for text in (kind.label, kind.definition)]
        rows.append(f"| {cells[0]} | {cells[1]} | {'yes' if kind.supports_change else 'no'} |")
    st.markdown("\n".join(rows))
    st.markdown(weak_sources_sentence(ctx.tracker))
    st.header("Limits of the data")
    labels = labels_of(settings.statuses)
    st.markdown(
        "- Only public sources are used: what happened out of view is not tracked.\n"
        "- A date known only to the month or year counts from its first day; no day is invented.\n"
        f"- A status is a judgement between {len(labels)} steps, explained in each recommendation's assessment.\n"
        "- The as-of date shows things as they stood in the world; a frozen link also pins what had been "
        "recorded by its moment."
    )


if __name__ == "__main__":
    draw(current())
