"""Atom 1.0 feeds of what the tracker recorded (the whole tracker, or one recommendation).

Built with xml.etree, which escapes every text and attribute; characters XML 1.0 cannot
hold are removed first. The output depends only on the data and the addresses passed in:
the feed's <updated> is the newest record time, never the clock, so the same data gives
the same bytes. Long feeds are paged (RFC 5005, "paged feeds"):
the subscription document holds the newest PAGE_SIZE entries and links to the next page.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .language import ENGLISH, Words, mark
from .model import Settings, Tracker, is_web_address, labels_of, start_of
from .records import TAG_PREFIX, Links, Record, describe_dates, describe_record, links_of

ATOM = "http://www.w3.org/2005/Atom"
PAGE_SIZE = 200
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text) -> str:
    """Text XML 1.0 can hold (tabs and newlines are kept)."""
    return _NOT_XML.sub("", str(text))


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: clean(value) for key, value in attributes.items()})
    if text is not None:
        element.text = clean(text)
    return element


def entry_html(record: Record, settings: Settings, base_url: str | Links, w: Words = ENGLISH) -> str:
    """The entry's content: what changed, the note, the sources as links and the page's link."""
    _, change = describe_record(record, settings, w)
    parts = [f"<p><strong>{html.escape(change)}</strong></p>", f"<p>{html.escape(describe_dates(record, w))}</p>"]
    if record.note:
        parts.append("<p>" + html.escape(record.note).replace("\n", "<br/>") + "</p>")
    if record.sources:
        links = "".join(
            f'<li><a href="{html.escape(source.url, quote=True)}">{html.escape(source.title)}</a></li>'
            for source in record.sources
            if is_web_address(source.url)
        )
        said = w.t("Sources:")  # outside the f-string: Babel does not extract a call inside one
        parts.append(f"<p>{html.escape(said)}</p><ul>{links}</ul>")
    link = links_of(base_url).page(record.rec_id)
    what = (
        w.t("Open the recommendation on the dashboard") if record.rec_id else w.t("Open the tracker on the dashboard")
    )
    parts.append(f'<p><a href="{html.escape(link, quote=True)}">{html.escape(what)}</a></p>')
    return "".join(parts)


def _page_address(feed_url: str, page: int) -> str:
    if page == 1:
        return feed_url
    # A document's feed already carries `?doc=`: the page joins it.
    return f"{feed_url}{'&' if '?' in feed_url else '?'}page={page}"


def build_feed(
    tracker: Tracker,
    records: list[Record],
    *,
    base_url: str | Links,
    feed_url: str,
    title: str,
    feed_key: str,
    alternate: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    w: Words = ENGLISH,
) -> bytes:
    """An Atom document of `records` (newest first), page `page` of them, its words in `w`'s language
    (`xml:lang`; the tracker and records given in that language too).

    `feed_key` makes the feed's own id (e.g. 'feed' or 'feed/rec/<id>'); `alternate` is the
    page readers open (default: the dashboard). `base_url` may be Links, where entries link elsewhere than
    the app's routes (the static site). Raises ValueError for a page past the last."""
    settings = tracker.settings
    links = links_of(base_url)
    shown, root = _start_feed(
        records, feed_key=feed_key, title=title, feed_url=feed_url, alternate=alternate or links.page(), page=page,
        page_size=page_size, subtitle=w.t(SUBTITLE), updated=_article_moment(settings),
        author=settings.article.publisher or settings.title, lang=w.code,
    )  # fmt: skip
    for record in shown:
        _add_entry(root, record, settings, base_url, w=w)
    return _finish(root)


SUBTITLE = mark("Status changes, reviews, edits and context events, newest first.")
DOCUMENTS_FEED_KEY = "feeds/all"  # the whole tracker's feed's own id: minted once, never changed


@dataclass(frozen=True)
class DocumentRecords:
    """One document's part of a feed of several: its id, its tracker (the labels its entries use), its log
    (`records.list_records`, whose ids carry the document) and the address its links are built on
    (`records.document_base`)."""

    id: str
    tracker: Tracker
    records: list[Record]
    base_url: str | Links


def build_documents_feed(
    documents: list[DocumentRecords],
    *,
    feed_url: str,
    title: str,
    feed_key: str,
    alternate: str,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> bytes:
    """An Atom document of every document's records, newest record time first (a tie keeps the documents'
    order), page `page` of them. Each entry keeps the id it has in its own document's feed (a reader that
    follows both sees it once), names its document in its title, a `document:<id>` category and its author,
    and links to its own document's pages. Raises ValueError for a page past the last."""
    merged = [(document, record) for document in documents for record in document.records]
    # A stable sort: within a document its log's order stands, between documents the index's order.
    merged.sort(key=lambda item: (item[1].updated, start_of(item[1].date)), reverse=True)
    first = documents[0].tracker.settings if documents else None
    shown, root = _start_feed(
        [record for _, record in merged], feed_key=feed_key, title=title, feed_url=feed_url, alternate=alternate,
        page=page, page_size=page_size, updated=_article_moment(first) if first else "1970-01-01T00:00:00Z",
        subtitle="Status changes, reviews, edits and context events of every document, newest first; each "
        "entry's title names its document.",
    )  # fmt: skip
    offset = (page - 1) * page_size
    for document, record in merged[offset : offset + len(shown)]:
        settings = document.tracker.settings
        entry = _add_entry(root, record, settings, document.base_url, document=f" ({settings.title})")
        # Readers and scripts may group or filter the entries by document.
        _add(entry, "category", term=f"document:{document.id}", label=settings.title)
        author = _add(entry, "author")
        _add(author, "name", settings.article.publisher or settings.title)
    return _finish(root)


def _start_feed(
    records, *, feed_key, title, feed_url, alternate, page, page_size, subtitle, updated, author=None, lang="en"
):
    """The feed's head (id, title, dates, links, pages) and the records its page shows; `lang` its language
    (xml:lang, which feed readers take for every entry)."""
    pages = count_pages(records, page_size)
    if not 1 <= page <= pages:
        raise ValueError(f"There is no page {page} of this feed; it has {pages}.")
    shown = records[(page - 1) * page_size : page * page_size]
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _add(root, "id", TAG_PREFIX + feed_key)
    _add(root, "title", title)
    _add(root, "subtitle", subtitle)
    # Pinned to the data: the newest record time (or the document's date when nothing is recorded).
    _add(root, "updated", records[0].updated if records else updated)
    if author is not None:
        _add(_add(root, "author"), "name", author)
    _add(root, "link", rel="self", href=_page_address(feed_url, page), type="application/atom+xml")
    _add(root, "link", rel="alternate", href=alternate, type="text/html")
    if pages > 1:
        _add(root, "link", rel="first", href=_page_address(feed_url, 1))
        _add(root, "link", rel="last", href=_page_address(feed_url, pages))
        if page < pages:
            _add(root, "link", rel="next", href=_page_address(feed_url, page + 1))
        if page > 1:
            _add(root, "link", rel="previous", href=_page_address(feed_url, page - 1))
    _add(root, "generator", "Recommendation tracker")
    return shown, root


def _add_entry(
    root, record: Record, settings: Settings, base_url: str | Links, document: str = "", w: Words = ENGLISH
) -> ET.Element:
    """One record as an entry; `document` is added to its title (a feed of several documents)."""
    links = links_of(base_url)
    labels = labels_of(settings.statuses)
    headline, _ = describe_record(record, settings, w)
    entry = _add(root, "entry")
    _add(entry, "id", record.id)
    _add(entry, "title", headline + document, type="text")
    _add(entry, "updated", record.updated)
    _add(entry, "link", rel="alternate", href=links.page(record.rec_id), type="text/html")
    for source in record.sources:
        _add(entry, "link", rel="related", href=source.url, title=source.title)
    _add(entry, "category", term=record.kind)
    if record.status:
        _add(entry, "category", term=f"status:{record.status}", label=labels.get(record.status, record.status))
    _add(entry, "content", entry_html(record, settings, base_url, w), type="html")
    return entry


def _finish(root: ET.Element) -> bytes:
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _article_moment(settings: Settings) -> str:
    return f"{start_of(settings.article.published).isoformat()}T00:00:00Z"


def count_pages(records: list[Record], page_size: int = PAGE_SIZE) -> int:
    """How many pages a feed of these records has (at least one, even when empty)."""
    return max(1, math.ceil(len(records) / page_size))
