"""All documents: every document the tracker follows (an article, a joint statement...), where its items
stand, its score and latest evidence; and a search across all of them."""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from tracker.collection import KIND_WORDS
from tracker.language import Words, words
from ui.context import Context, current
from ui.data import Trackers, document_revisions, documents_cached, list_asked_of, summaries
from ui.reader import page_address
from ui.registry import page
from ui.table import link_colour, recommendation_link
from ui.words import day, lang, number, t


def count_items(n: int, item_word: str, said: Words) -> str:
    """'3 recommendations', '1 commitment' (a document names its items: `item_word`)."""
    if item_word == "commitment":
        return said.tn("{n} commitment", "{n} commitments", n)
    return said.tn("{n} recommendation", "{n} recommendations", n)


def load_all(ctx: Context) -> Trackers:
    """Each document's tracker, by id, read when asked for (a hundred documents are never all held)."""
    return Trackers(documents_cached(ctx.portfolio), ctx.today)


def describe_document(summary: dict, said: Words) -> tuple[str, str, str]:
    """A document's card in words: its title, what it is (the caption) and where its items stand."""
    kind = said.t(KIND_WORDS[summary["kind"]]) if summary["kind"] in KIND_WORDS else summary["kind"]
    caption = f"{kind}: {summary['document_title'][:160]} · {summary['publisher']}, {said.date(summary['published'])}"
    counts = ", ".join(
        f"{row.label} {said.number(int(row.count))}" for row in summary["counts"].itertuples() if int(row.count)
    )
    event = said.date(summary["latest_event"]) if summary["latest_event"] else "—"
    standing = said.t(
        "{items}: {counts}. Progress score {score} / 100. Latest evidence: {event}.",
        items=count_items(int(summary["items"]), summary["item_word"], said),
        counts=counts,
        score=format(summary["score"], "g"),
        event=event,
    )
    return summary["title"], caption, standing


@st.cache_resource(max_entries=16, show_spinner=False)
def cards_cached(portfolio: str, revisions: tuple, today: date, as_of: date, lang: str) -> dict[str, tuple]:
    """Every document's card in words (describe_document), by id, for a day and a language: written once
    per revision of the documents (`revisions`: every (id, revision)), not on every draw, where a hundred
    documents' counts and dates through the language's formatting took longer than drawing them."""
    said = words(lang)
    summed_up = summaries(documents_cached(portfolio), today, as_of)
    return {doc_id: describe_document(summary, said) for doc_id, summary in summed_up.items()}


def draw(ctx: Context) -> None:
    st.title(t(page("documents").title))
    documents = documents_cached(ctx.portfolio)
    as_of = ctx.view.as_of
    # Each document summed up once per revision and day (ui.data), and put in words once per revision, day
    # and language (cards_cached): a rerun reads every revision (one query) and draws.
    revisions = document_revisions(documents)
    cards = cards_cached(ctx.portfolio, tuple(revisions.items()), ctx.today, as_of, lang())
    st.markdown(
        t(
            "This tracker follows **{count} documents**. Each has its own pages, feed and data; choose one in the "
            "sidebar, or open it below. As of {date}.",
            count=number(len(cards)),
            date=day(as_of),
        )
    )
    # Every card in one element: a hundred cards of a bordered container, a heading, a caption and a line
    # each (400 elements) took the browser longer to draw than the server took to send them. Each card
    # looks like the container it was: Streamlit's border and padding, its caption (the text at 60%
    # opacity, 4.95:1 on white: .streamlit/config.toml) and its paragraph.
    colour = html.escape(link_colour())
    address = page_address().rstrip("/")
    st.html(
        '<div style="display:flex;flex-direction:column;gap:1rem">'
        + "".join(
            f'<section style="border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;padding:calc(1rem - 1px)">'
            f'<h2 style="margin:0;font-size:1.3rem"><a href="{html.escape(f"{address}/?doc={doc_id}")}" '
            f'style="color:{colour}">{html.escape(title)}</a></h2>'
            f'<p style="margin:1rem 0 0;font-size:0.875rem;opacity:0.6">{html.escape(caption)}</p>'
            f'<p style="margin:1rem 0 0">{html.escape(standing)}</p></section>'
            for doc_id, (title, caption, standing) in cards.items()
        )
        + "</div>"
    )
    st.header(t("Search every document"))
    words = st.text_input(t("Words in a title or a note"), key="all_docs_query", max_chars=100).strip()
    if words:
        found = list_asked_of(documents, ctx.today, as_of, "", words)
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
