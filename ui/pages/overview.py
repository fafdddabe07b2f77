"""The Overview: the answer in one sentence, the status strip, the score, the latest changes and the two
summary charts, all in a laptop's first screen."""

from __future__ import annotations

import streamlit as st

from tracker import analysis, evidence
from tracker.text import escape_markdown
from ui.context import Context, current
from ui.page_parts import EMPTY_TRACKER, latest_changes_ui, status_strip
from ui.reader import BAR_FILTERS, DRAWN_SUMMARY, FRESHNESS, bar_links, drawn_charts_ui, header_ui
from ui.words import current_words, t


def draw(ctx: Context) -> None:
    tracker, view, log = ctx.tracker, ctx.view, ctx.log
    header_ui(tracker, view, log, ctx.frozen, dates=not tracker.recommendations)  # the answer says them
    if not tracker.recommendations:
        st.info(t(EMPTY_TRACKER))
        return
    frame = ctx.frame
    reviewed, event = analysis.latest_update(log, view.as_of, tracker), analysis.latest_event(tracker, log, view.as_of)
    answer = escape_markdown(analysis.describe_overview(frame, tracker.settings, reviewed, event, current_words()))
    # The answer beside the latest changes, the charts under both: all of it in a laptop's first screen;
    # on a phone the columns stack, the answer and the strip first (a medium gap: a large one would open a
    # blank screen between the stacked columns).
    left, right = st.columns([2, 3], gap="medium")
    with left:
        st.markdown(f"**{answer}**", help=t(FRESHNESS))
        gap = evidence.find_evidence_gap(tracker, log, view.as_of)
        # Said once, right under the answer it qualifies.
        status_strip(tracker, frame, note=evidence.describe_evidence_gap(gap, current_words()) if gap else "")
        score = analysis.score_progress(frame, tracker.settings)
        st.markdown(
            t("Progress score **{score} / 100**", score=format(score, "g")),
            help=escape_markdown(analysis.describe_progress_formula(tracker.settings, current_words()))
            + " "
            + t("See the Methodology page."),
        )
        if ctx.suggesting:
            st.page_link(ctx.pages["suggest"], label=t("Seen news? Suggest an update →"))
    with right:
        latest_changes_ui(ctx)
        st.page_link(ctx.pages["changes"], label=t("What changed in a period →"))
    st.header(t("Where things stand"))
    # A click on a bar opens All recommendations showing what it counts (the view's filters and the bar's).
    datasets = {name: BAR_FILTERS[name][0] for name in DRAWN_SUMMARY}
    marks = ctx.marks(frame["id"], DRAWN_SUMMARY, datasets)
    links = bar_links(marks, ctx.chart_rows(frame["id"], tuple(DRAWN_SUMMARY)), view, ctx.today)
    drawn_charts_ui(ctx.drawings(frame["id"], DRAWN_SUMMARY), ctx.sentences(frame), links)


if __name__ == "__main__":
    draw(current())
