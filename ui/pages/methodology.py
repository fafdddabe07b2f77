"""The Methodology: a plain summary first (what is tracked, what the statuses mean, where the evidence comes
from, its limits, how to suggest a correction), then the detail: the statuses with their colours, the score,
the sources policy and the data's limits."""

from __future__ import annotations

import streamlit as st

from tracker import analysis, evidence
from tracker.model import format_short_date, labels_of, status_by_id
from tracker.text import escape_markdown
from ui.context import Context, current
from ui.page_parts import title_ui
from ui.table import render_status_table


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
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in summarise_method(ctx)))
    if ctx.suggesting:
        st.page_link(ctx.pages["suggest"], label="Suggest an update or a correction →")
    st.header("Statuses")
    st.caption("Each status has a colour, used on every chart, and always appears with its name.")
    st.html(render_status_table(settings))
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
    st.header("How the facts were gathered")
    st.markdown(escape_markdown(settings.methodology))
    st.header("Limits of the data")
    labels = labels_of(settings.statuses)
    st.markdown(
        "- Only public sources are used: what happened out of view is not tracked.\n"
        "- A date known only to the month or year counts from its first day; no day is invented.\n"
        f"- A status is a judgement between {len(labels)} steps, explained in each recommendation's assessment.\n"
        "- The as-of date shows things as they stood in the world; a frozen link also pins what had been "
        "recorded by its moment."
    )


def summarise_method(ctx: Context) -> list[str]:
    """The five short lines the page opens with, from the tracker's own settings and data."""
    settings = ctx.tracker.settings
    article = settings.article
    statuses = list(status_by_id(settings).values())
    kinds = labels_of(settings.source_kinds)
    carrying = [kind.label.lower() for kind in settings.source_kinds if kind.supports_change]
    gap = evidence.find_evidence_gap(ctx.tracker, ctx.log, ctx.view.as_of)
    limits = "only public sources are used" + (f"; {_lower_first(evidence.describe_evidence_gap(gap))}" if gap else ".")
    ask = (
        "use “Suggest an update” with a source; the editors check it and record it."
        if ctx.suggesting
        else "write to the tracker's editors, with a source."
    )
    # The article by who wrote it, when and for whom (its long description is on every page's header).
    when = format_short_date(article.published)
    source = (
        f"{article.author}'s {when} article for {article.publisher}"
        if article.author and article.publisher
        else f"{article.description} ({when})"
    )
    return [
        f"What is tracked: the {len(ctx.tracker.recommendations)} recommendations of {source}, and what became "
        "of each.",
        "What the statuses mean: "
        + ", ".join(status.label for status in statuses)
        + " — how far the addressees have gone, each defined under Statuses below.",
        f"Where the evidence comes from: dated public sources of {len(kinds)} kinds "
        f"({', '.join(label.lower() for label in kinds.values())}); a status changes only on {_either(carrying)} "
        "sources.",
        f"Its limits: {limits}",
        f"To suggest a correction: {ask}",
    ]


def _either(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return " or ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


if __name__ == "__main__":
    draw(current())
