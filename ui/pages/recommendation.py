"""A recommendation's page (`?rec=<id>`): where it stands, why, the quote, its dated history with sources,
and the links to share, follow or embed it. An id the tracker does not have is said plainly, with the
closest ids and the list of all, never another recommendation in its place."""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from tracker import collection
from tracker.language import mark
from tracker.model import item_words
from tracker.text import escape_markdown
from tracker.view import find_close_recommendations, view_to_params
from ui.context import Context, current
from ui.page_parts import EMPTY_TRACKER
from ui.pages.documents import load_all
from ui.reader import header_ui, page_address, recommendation_ui
from ui.registry import page, titled
from ui.state import Key, read_state
from ui.table import link_colour, recommendation_link, render_recommendation_list
from ui.words import day, t


def draw(ctx: Context) -> None:
    tracker = ctx.tracker
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    if not titles:
        st.title(t(titled(page("recommendation").title, item_words(tracker.settings)[0])))
        st.info(t(EMPTY_TRACKER))
        return
    # The address names the recommendation; a link followed in this session changes it.
    asked = st.query_params.get("rec")
    if asked and asked not in titles:
        st.session_state[Key.UNKNOWN_REC] = asked  # the address keeps it (dashboard.py)
        unknown_recommendation_ui(ctx, asked, titles)
        return
    st.session_state.pop(Key.UNKNOWN_REC, None)
    if asked in titles and asked != read_state(Key.URL_REC, str):
        st.session_state[Key.REC] = asked
    if read_state(Key.REC, str) not in titles:
        st.session_state[Key.REC] = next(iter(titles))
    rec_id = st.session_state[Key.REC]
    st.session_state[Key.URL_REC] = rec_id
    site = t(SITE_TITLE)
    st.set_page_config(page_title=f"{titles[rec_id][:60]} · {site}")
    # Its own dates are in its status line: the tracker's latest ones would mislead here.
    header_ui(tracker, replace(ctx.view, rec=rec_id), ctx.log, ctx.frozen, title=titles[rec_id], page="recommendation",
              dates=False)  # fmt: skip
    # The picker in a popover, drawn only when opened: a list box is the costliest widget a reader's page
    # would load and draw for a choice most readers of a cited item never make (docs/benchmarks.md).
    item = item_words(tracker.settings)[0]
    st.popover(t(titled(ANOTHER, item)), icon=":material/swap_horiz:", key="rec_box").selectbox(
        t(titled(page("recommendation").title, item)),
        list(titles),
        key=Key.REC,
        format_func=titles.get,
        placeholder=t("Choose an option"),
    )
    recommendation_ui(tracker, ctx.view, ctx.log, ctx.frame, st.session_state[Key.REC], ctx.texts)
    links_ui(ctx, st.session_state[Key.REC])
    if ctx.suggesting:
        st.page_link(
            ctx.pages["suggest"],
            label=t("Seen news about this recommendation? Suggest an update →"),
            query_params={"rec": st.session_state[Key.REC]},
        )


# The words of a link, read from the item whose page it is.
RELATION_WORDS = {
    ("takes_up", "to"): mark("This takes up {item} ({document}): {status}{evidence}."),
    ("repeats", "to"): mark("This repeats {item} ({document}): {status}{evidence}."),
    ("supersedes", "to"): mark("This supersedes {item} ({document}): {status}{evidence}."),
    ("takes_up", "from"): mark("This is taken up by {item} ({document}): {status}{evidence}."),
    ("repeats", "from"): mark("This is repeated by {item} ({document}): {status}{evidence}."),
    ("supersedes", "from"): mark("This is superseded by {item} ({document}): {status}{evidence}."),
}
SITE_TITLE = mark("Recommendation tracker")
# TRANSLATORS: the button that opens the choice of another recommendation on a recommendation's page.
ANOTHER = mark("Another recommendation")


def links_ui(ctx: Context, rec_id: str) -> None:
    """The items of other documents this one takes up, repeats or supersedes, and those that take it up:
    each with its status and its latest evidence, credited to it without being copied here."""
    if not ctx.portfolio:
        return
    linked = collection.list_linked(load_all(ctx), ctx.document, rec_id, ctx.view.as_of)
    if linked.empty:
        return
    st.header(t("In other documents"))
    colour = html.escape(link_colour())
    lines = []
    for row in linked.itertuples():
        # TRANSLATORS: the {evidence} part of the sentences "This takes up ...", when the item has evidence.
        evidence = t("; latest evidence {date}", date=day(row.last_event)) if isinstance(row.last_event, str) else ""
        link = html.escape(recommendation_link(page_address(), row.id, {"doc": row.document}))
        # The sentence is translated whole (the catalogs are ours); what the data says is escaped into it.
        item = f'<a href="{link}" style="color:{colour}">{html.escape(row.title)}</a>'
        sentence = t(
            RELATION_WORDS[row.relation, row.direction],
            item=item,
            document=html.escape(row.document_title),
            status=html.escape(row.status_label),
            evidence=html.escape(evidence),
        )
        lines.append(f"<li>{sentence}</li>")
    named = html.escape(t("In other documents"))
    st.html(f'<ul aria-label="{named}">{"".join(lines)}</ul>')


def unknown_recommendation_ui(ctx: Context, asked: str, titles: dict[str, str]) -> None:
    """What a link to an id the tracker does not have shows: that it has none, the closest ids as links,
    then every recommendation as a link."""
    title, site = t("No such recommendation"), t(SITE_TITLE)
    st.set_page_config(page_title=f"{title} · {site}")
    st.title(t("No such recommendation"))
    st.warning(t("No recommendation with the id {id} is in this tracker.", id=escape_markdown(asked[:60])))
    params = view_to_params(replace(ctx.view, rec=None), ctx.today)
    close = find_close_recommendations(asked, ctx.tracker)
    if close:
        st.markdown(t("**Did you mean:**"))
        st.html(render_recommendation_list({rec_id: titles[rec_id] for rec_id in close}, page_address(), params,
                                           t("Closest recommendations"), link_colour()))  # fmt: skip
    else:
        st.markdown(t("No recommendation has a similar id."))
    every = t(titled(page("recommendations").title, item_words(ctx.tracker.settings)[0]))
    st.header(every)
    st.html(render_recommendation_list(titles, page_address(), params, every, link_colour()))


if __name__ == "__main__":
    draw(current())
