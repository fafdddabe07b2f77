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


def entry_html(record: Record, settings: Settings, base_url: str | Links) -> str:
    """The entry's content: what changed, the note, the sources as links and the page's link."""
    _, change = describe_record(record, settings)
    parts = [f"<p><strong>{html.escape(change)}</strong></p>", f"<p>{html.escape(describe_dates(record))}</p>"]
    if record.note:
        parts.append("<p>" + html.escape(record.note).replace("\n", "<br/>") + "</p>")
    if record.sources:
        links = "".join(
            f'<li><a href="{html.escape(source.url, quote=True)}">{html.escape(source.title)}</a></li>'
            for source in record.sources
            if is_web_address(source.url)
        )
        parts.append(f"<p>Sources:</p><ul>{links}</ul>")
    link = links_of(base_url).page(record.rec_id)
    what = "the recommendation" if record.rec_id else "the tracker"
    parts.append(f'<p><a href="{html.escape(link, quote=True)}">Open {what} on the dashboard</a></p>')
    return "".join(parts)


def _page_address(feed_url: str, page: int) -> str:
    return feed_url if page == 1 else f"{feed_url}?page={page}"


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
) -> bytes:
    """An Atom document of `records` (newest first), page `page` of them.

    `feed_key` makes the feed's own id (e.g. 'feed' or 'feed/rec/<id>'); `alternate` is the
    page readers open (default: the dashboard). `base_url` may be Links, where entries link elsewhere than
    the app's routes (the static site). Raises ValueError for a page past the last."""
    settings = tracker.settings
    links = links_of(base_url)
    pages = count_pages(records, page_size)
    if not 1 <= page <= pages:
        raise ValueError(f"There is no page {page} of this feed; it has {pages}.")
    shown = records[(page - 1) * page_size : page * page_size]
    labels = labels_of(settings.statuses)
    root = ET.Element("feed", {"xmlns": ATOM})
    _add(root, "id", TAG_PREFIX + feed_key)
    _add(root, "title", title)
    _add(root, "subtitle", "Status changes, reviews, edits and context events, newest first.")
    # Pinned to the data: the newest record time (or the article's date when nothing is recorded).
    _add(root, "updated", records[0].updated if records else _article_moment(settings))
    author = _add(root, "author")
    _add(author, "name", settings.article.publisher or settings.title)
    _add(root, "link", rel="self", href=_page_address(feed_url, page), type="application/atom+xml")
    _add(root, "link", rel="alternate", href=alternate or links.page(), type="text/html")
    if pages > 1:
        _add(root, "link", rel="first", href=_page_address(feed_url, 1))
        _add(root, "link", rel="last", href=_page_address(feed_url, pages))
        if page < pages:
            _add(root, "link", rel="next", href=_page_address(feed_url, page + 1))
        if page > 1:
            _add(root, "link", rel="previous", href=_page_address(feed_url, page - 1))
    _add(root, "generator", "Recommendation tracker")
    for record in shown:
        headline, _ = describe_record(record, settings)
        entry = _add(root, "entry")
        _add(entry, "id", record.id)
        _add(entry, "title", headline, type="text")
        _add(entry, "updated", record.updated)
        _add(entry, "link", rel="alternate", href=links.page(record.rec_id), type="text/html")
        for source in record.sources:
            _add(entry, "link", rel="related", href=source.url, title=source.title)
        _add(entry, "category", term=record.kind)
        if record.status:
            _add(entry, "category", term=f"status:{record.status}", label=labels.get(record.status, record.status))
        _add(entry, "content", entry_html(record, settings, base_url), type="html")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _article_moment(settings: Settings) -> str:
    return f"{start_of(settings.article.published).isoformat()}T00:00:00Z"


def count_pages(records: list[Record], page_size: int = PAGE_SIZE) -> int:
    """How many pages a feed of these records has (at least one, even when empty)."""
    return max(1, math.ceil(len(records) / page_size))
