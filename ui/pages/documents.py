"""All documents: every document the tracker follows (an article, a joint statement...), where its items
stand, its score and latest evidence; and a search across all of them."""

from __future__ import annotations

import html

import streamlit as st

from tracker import collection
from tracker.language import mark
from tracker.text import escape_markdown
from ui.context import Context, current
from ui.data import documents_cached, load_cached, open_cached_store
from ui.reader import page_address
from ui.registry import page
from ui.table import link_colour, recommendation_link
from ui.words import day, number, t, tn

KINDS = {"article": mark("Article"), "report": mark("Report"), "joint_statement": mark("Joint statement")}


def count_items(n: int, item_word: str) -> str:
    """'3 recommendations', '1 commitment' (a document names its items: `item_word`)."""
    if item_word == "commitment":
        return tn("{n} commitment", "{n} commitments", n)
    return tn("{n} recommendation", "{n} recommendations", n)


def load_all(ctx: Context) -> dict:
    """Each document's tracker, by id (each through the cache of its own revision)."""
    trackers = {}
    for document in documents_cached(ctx.portfolio):
        revision = open_cached_store(document.location).revision()
        trackers[document.id] = load_cached(document.location, revision, ctx.today)[0]
    return trackers


def draw(ctx: Context) -> None:
    st.title(t(page("documents").title))
    trackers = load_all(ctx)
    as_of = ctx.view.as_of
    st.markdown(
        t(
            "This tracker follows **{count} documents**. Each has its own pages, feed and data; choose one in the "
            "sidebar, or open it below. As of {date}.",
            count=number(len(trackers)),
            date=day(as_of),
        )
    )
    colour = html.escape(link_colour())
    for doc_id, tracker in trackers.items():
        summary = collection.summarise_document(tracker, as_of)
        with st.container(border=True):
            link = f"{page_address().rstrip('/')}/?doc={doc_id}"
            st.html(f'<h2 style="margin:0;font-size:1.3rem"><a href="{html.escape(link)}" style="color:{colour}">'
                    f"{html.escape(summary['title'])}</a></h2>")  # fmt: skip
            kind = t(KINDS[summary["kind"]]) if summary["kind"] in KINDS else summary["kind"]
            st.caption(
                escape_markdown(
                    f"{kind}: {summary['document_title'][:160]} · {summary['publisher']}, {day(summary['published'])}"
                )
            )
            counts = ", ".join(
                f"{row.label} {number(int(row.count))}" for row in summary["counts"].itertuples() if int(row.count)
            )
            event = day(summary["latest_event"]) if summary["latest_event"] else "—"
            st.markdown(
                escape_markdown(
                    t(
                        "{items}: {counts}. Progress score {score} / 100. Latest evidence: {event}.",
                        items=count_items(int(summary["items"]), summary["item_word"]),
                        counts=counts,
                        score=format(summary["score"], "g"),
                        event=event,
                    )
                )
            )
    st.header(t("Search every document"))
    words = st.text_input(t("Words in a title or a note"), key="all_docs_query", max_chars=100).strip()
    if words:
        found = collection.list_asked_of(trackers, "", as_of, words)
        if found.empty:
            st.info(t("Nothing in any document matches these words."))
        else:
            items = "".join(
                f'<li><a href="{html.escape(recommendation_link(page_address(), row.id, {"doc": row.document}))}" '
                f'style="color:{colour}">{html.escape(row.title)}</a> — {html.escape(row.status_label)} '
                f"({html.escape(row.document_title)})</li>"
                for row in found.itertuples()
            )
            named = html.escape(t("Found in every document"))
            st.html(f'<ul aria-label="{named}">{items}</ul>')


if __name__ == "__main__":
    draw(current())
