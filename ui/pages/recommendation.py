"""A recommendation's page (`?rec=<id>`): where it stands, why, the quote, its dated history with sources,
and the links to share, follow or embed it."""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from tracker import analysis
from tracker.model import format_date
from ui.context import Context, current
from ui.page_parts import EMPTY_TRACKER
from ui.pages.documents import load_all
from ui.reader import header_ui, page_address, recommendation_ui
from ui.state import Key, read_state
from ui.table import link_colour, recommendation_link


def draw(ctx: Context) -> None:
    tracker = ctx.tracker
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    if not titles:
        st.title("Recommendation")
        st.info(EMPTY_TRACKER)
        return
    # The address names the recommendation; a link followed in this session changes it.
    asked = st.query_params.get("rec")
    if asked in titles and asked != read_state(Key.URL_REC, str):
        st.session_state[Key.REC] = asked
    if read_state(Key.REC, str) not in titles:
        st.session_state[Key.REC] = next(iter(titles))
    rec_id = st.session_state[Key.REC]
    st.session_state[Key.URL_REC] = rec_id
    st.set_page_config(page_title=f"{titles[rec_id][:60]} · Recommendation tracker")
    # Its own dates are in its status line: the tracker's latest ones would mislead here.
    header_ui(tracker, replace(ctx.view, rec=rec_id), ctx.log, ctx.frozen, title=titles[rec_id], page="recommendation",
              dates=False)  # fmt: skip
    st.selectbox("Recommendation", list(titles), key=Key.REC, format_func=titles.get)
    recommendation_ui(tracker, ctx.view, ctx.log, ctx.frame, st.session_state[Key.REC])
    links_ui(ctx, st.session_state[Key.REC])
    if ctx.suggesting:
        st.page_link(
            ctx.pages["suggest"],
            label="Seen news about this recommendation? Suggest an update →",
            query_params={"rec": st.session_state[Key.REC]},
        )


RELATIONS = {"takes_up": "takes up", "repeats": "repeats", "supersedes": "supersedes"}
INVERSE = {"takes_up": "is taken up by", "repeats": "is repeated by", "supersedes": "is superseded by"}


def links_ui(ctx: Context, rec_id: str) -> None:
    """The items of other documents this one takes up, repeats or supersedes, and those that take it up:
    each with its status and its latest evidence, credited to it without being copied here."""
    trackers = load_all(ctx) if ctx.portfolio else {}
    here = next(
        (
            doc
            for doc, tracker in trackers.items()
            if tracker is ctx.tracker or tracker.settings == ctx.tracker.settings
        ),
        None,
    )
    rec = next(item for item in ctx.tracker.recommendations if item.id == rec_id)
    found = []
    for link in rec.links:
        other = trackers.get(link.document)
        target = next((item for item in other.recommendations if item.id == link.rec), None) if other else None
        if target is not None:
            found.append((RELATIONS[link.relation], link.document, other, target))
    for doc_id, other in trackers.items():
        for item in other.recommendations:
            for link in item.links:
                if link.document == here and link.rec == rec_id:
                    found.append((INVERSE[link.relation], doc_id, other, item))
    if not found:
        return
    st.header("In other documents")
    colour = html.escape(link_colour())
    lines = []
    for relation, doc_id, other, item in found:
        frame = analysis.statuses_as_of(other, ctx.view.as_of)
        row = frame[frame["id"] == item.id]
        status = row["status_label"].iloc[0] if not row.empty else "not yet tracked"
        event = row["last_event"].iloc[0] if not row.empty else None
        evidence = f"; latest evidence {format_date(event)}" if isinstance(event, str) else ""
        link = html.escape(recommendation_link(page_address(), item.id, {"doc": doc_id}))
        lines.append(
            f'<li>This {html.escape(relation)} <a href="{link}" style="color:{colour}">{html.escape(item.title)}</a> '
            f"({html.escape(other.settings.title)}): {html.escape(status)}{html.escape(evidence)}.</li>"
        )
    st.html(f'<ul aria-label="In other documents">{"".join(lines)}</ul>')


if __name__ == "__main__":
    draw(current())
