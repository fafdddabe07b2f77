"""Follow and embed: the feed links and badge snippets the page offers (served by app.py), and the link to a
page's static twin when the static site's address is configured (TRACKER_SITE_URL)."""

from __future__ import annotations

import os

import streamlit as st

from tracker.badge import embed_snippets
from tracker.records import feed_link
from tracker.site import twin_address
from tracker.text import markdown_link
from ui.words import lang, t

SITE_URL = "TRACKER_SITE_URL"


def follow_ui(rec_id: str, base_url: str, rec_title: str = "") -> None:
    """A recommendation's 'Follow' (its Atom feed) and 'Embed' (its live status badge)."""
    # In a popover, drawn only when opened: its code boxes load a syntax highlighter, which every visit to a
    # recommendation's page paid for before (docs/benchmarks.md).
    with st.popover(t("Follow or embed this recommendation"), icon=":material/rss_feed:", key="follow_box"):
        st.markdown(
            t(
                "**Follow**: {feed} (paste the link into any feed reader).",
                feed=markdown_link(t("Atom feed of its updates"), feed_link(base_url, rec_id)),
            )
        )
        snippets = embed_snippets(base_url, rec_id, rec_title or rec_id)
        st.markdown(t("**Embed** its live status badge. Markdown:"))
        st.code(snippets["markdown"], language="markdown", wrap_lines=True)
        st.markdown(t("HTML:"))
        st.code(snippets["html"], language="html", wrap_lines=True)


def follow_links(base_url: str) -> str:
    """The tracker's feed and API as Markdown links, for the line under a page's header."""
    # Built from the page's own address: made safe like any other link on the page.
    feed = markdown_link(t("Atom feed"), feed_link(base_url))
    base, _, doc = base_url.partition("#")  # a document other than the first (records.document_base)
    api = markdown_link(
        t("JSON API"), f"{base.rstrip('/')}/api/v1/recommendations.json" + (f"?document={doc}" if doc else "")
    )
    # TRANSLATORS: the feed and the API under a page's header ("follow" as in following news).
    return t("follow: {feed} · {api}", feed=feed, api=api)


def twin_link(page: str, rec_id: str | None = None) -> str:
    """A Markdown link to this page's static twin on the published site ('' when no site address is
    configured, or the page has no twin)."""
    twin = twin_address(os.environ.get(SITE_URL, "").strip().rstrip("/"), page, rec_id, lang=lang())
    return markdown_link(t("static page"), twin) if twin else ""
