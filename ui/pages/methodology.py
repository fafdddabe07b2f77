"""The Methodology: a plain summary first (what is tracked, what the statuses mean, where the evidence comes
from, its limits, how to suggest a correction), then the detail: the statuses with their colours, the score,
the sources policy and the data's limits."""

from __future__ import annotations

import streamlit as st

from tracker import analysis, evidence
from tracker.model import labels_of, status_by_id
from tracker.text import escape_markdown
from ui.context import Context, current
from ui.page_parts import title_ui
from ui.registry import page
from ui.table import render_status_table
from ui.words import current_words, short_day, t, tn


def weak_sources_sentence(tracker) -> str:
    """The figure the methodology gives for weak sources, computed from the data the page shows (so it
    follows every update instead of being typed into the text)."""
    count = analysis.count_weakly_sourced(tracker)
    weak = [kind.label.lower() for kind in tracker.settings.source_kinds if not kind.supports_change]
    kinds = either(weak) if weak else t("weak")
    return tn(
        "In this edition {n} update or context event rests only on sources of a kind that cannot carry a status "
        "change ({kinds}); none of them changes a status, and each source shows its kind.",
        "In this edition {n} updates and context events rest only on sources of a kind that cannot carry a status "
        "change ({kinds}); none of them changes a status, and each source shows its kind.",
        count,
        kinds=escape_markdown(kinds),
    )


def draw(ctx: Context) -> None:
    settings = ctx.tracker.settings
    title_ui(ctx, t(page("methodology").title), "methodology")
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in summarise_method(ctx)))
    if ctx.suggesting:
        st.page_link(ctx.pages["suggest"], label=t("Suggest an update or a correction →"))
    # TRANSLATORS: the heading of the statuses' list (not started, in progress, implemented...).
    st.header(t("Statuses"))
    st.caption(t("Each status has a colour, used on every chart, and always appears with its name."))
    st.html(render_status_table(settings))
    st.header(t("Progress score"))
    st.markdown(
        escape_markdown(analysis.describe_progress_formula(settings, current_words()))
    )  # it names the status labels
    st.markdown(
        # TRANSLATORS: "stale": not checked for too long (the word the table and the numbers use).
        tn(
            "A recommendation is **stale** when it has had no update or review for {n} day (some recommendations "
            "set their own interval).",
            "A recommendation is **stale** when it has had no update or review for {n} days (some recommendations "
            "set their own interval).",
            settings.review_interval_days,
        )
    )
    recs = ctx.tracker.recommendations
    if any(len(rec.addressees) > 1 for rec in recs) or any(rec.recurrence for rec in recs):
        st.header(t("Several addressees, yearly commitments"))
    if any(len(rec.addressees) > 1 for rec in recs):
        st.markdown(escape_markdown(t(analysis.PARTS_RULE)))
    if any(rec.recurrence for rec in recs):
        st.markdown(escape_markdown(t(analysis.RECURRENCE_RULE)))
    st.header(t("Sources"))
    st.markdown(
        t(
            "Every status change rests on at least one dated public source whose kind may carry a change; "
            "a review that finds nothing new keeps the status and resets the staleness clock."
        )
    )
    heads = (t("Kind"), t("Definition"), t("May carry a status change"))
    rows = [f"| {' | '.join(escape_markdown(head) for head in heads)} |", "|---|---|---|"]
    answers = {True: t("yes"), False: t("no")}
    for kind in settings.source_kinds:
        cells = [escape_markdown(" ".join(text.split())) for text in (kind.label, kind.definition)]
        rows.append(f"| {cells[0]} | {cells[1]} | {answers[bool(kind.supports_change)]} |")
    st.markdown("\n".join(rows))
    st.markdown(weak_sources_sentence(ctx.tracker))
    st.header(t("How the facts were gathered"))
    st.markdown(escape_markdown(settings.methodology))
    st.header(t("Limits of the data"))
    labels = labels_of(settings.statuses)
    limits = (
        t("Only public sources are used: what happened out of view is not tracked."),
        t("A date known only to the month or year counts from its first day; no day is invented."),
        tn(
            "A status is a judgement between {n} step, explained in each recommendation's assessment.",
            "A status is a judgement between {n} steps, explained in each recommendation's assessment.",
            len(labels),
        ),
        t(
            "The as-of date shows things as they stood in the world; a frozen link also pins what had been "
            "recorded by its moment."
        ),
    )
    st.markdown("\n".join(f"- {line}" for line in limits))


def summarise_method(ctx: Context) -> list[str]:
    """The five short lines the page opens with, from the tracker's own settings and data."""
    settings = ctx.tracker.settings
    article = settings.article
    statuses = list(status_by_id(settings).values())
    kinds = labels_of(settings.source_kinds)
    carrying = [kind.label.lower() for kind in settings.source_kinds if kind.supports_change]
    gap = evidence.find_evidence_gap(ctx.tracker, ctx.log, ctx.view.as_of)
    limits = (
        t(
            "Its limits: only public sources are used; {gap}",
            gap=_lower_first(evidence.describe_evidence_gap(gap, current_words())),
        )
        if gap
        else t("Its limits: only public sources are used.")
    )
    ask = (
        t("To suggest a correction: use “Suggest an update” with a source; the editors check it and record it.")
        if ctx.suggesting
        else t("To suggest a correction: write to the tracker's editors, with a source.")
    )
    # The article by who wrote it, when and for whom (its long description is on every page's header).
    when = short_day(article.published)
    source = (
        t("{author}'s {date} article for {publisher}", author=article.author, date=when, publisher=article.publisher)
        if article.author and article.publisher
        else t("{description} ({date})", description=article.description, date=when)
    )
    return [
        tn(
            "What is tracked: the {n} recommendation of {source}, and what became of it.",
            "What is tracked: the {n} recommendations of {source}, and what became of each.",
            len(ctx.tracker.recommendations),
            source=source,
        ),
        t(
            "What the statuses mean: {statuses} — how far the addressees have gone, each defined under Statuses below.",
            statuses=", ".join(status.label for status in statuses),
        ),
        tn(
            "Where the evidence comes from: dated public sources of {n} kind ({kinds}); a status changes only on "
            "{carrying} sources.",
            "Where the evidence comes from: dated public sources of {n} kinds ({kinds}); a status changes only on "
            "{carrying} sources.",
            len(kinds),
            kinds=", ".join(label.lower() for label in kinds.values()),
            carrying=either(carrying),
        ),
        limits,
        ask,
    ]


def either(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c' (in the reader's language)."""
    if len(words) < 2:
        return "".join(words)
    return t("{some} or {last}", some=", ".join(words[:-1]), last=words[-1])


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


if __name__ == "__main__":
    draw(current())
