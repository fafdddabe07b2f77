"""A recommendation's page (`?rec=<id>`): where it stands, why, the quote, its dated history with sources,
and the links to share, follow or embed it."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ui.context import Context, current
from ui.page_parts import EMPTY_TRACKER
from ui.reader import header_ui, recommendation_ui
from ui.state import Key, read_state


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
    if ctx.suggesting:
        st.page_link(
            ctx.pages["suggest"],
            label="Seen news about this recommendation? Suggest an update →",
            query_params={"rec": st.session_state[Key.REC]},
        )


if __name__ == "__main__":
    draw(current())
