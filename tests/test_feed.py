"""The Atom feeds, read back by a real feed client (feedparser) and a strict XML parser."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import RECORDED, TODAY

from tracker import edits
from tracker.edits import build_update
from tracker.feed import PAGE_SIZE, build_feed, clean
from tracker.records import feed_link, list_records, page_link
from tracker.validation import validate_data

BASE = "https://tracker.example.org/sub"
HOSTILE = 'Buy <script>alert("x")</script> AT&T & Co ]]> end'


def tracker_feed(tracker, **options) -> bytes:
    records = options.pop("records", None) or list_records(tracker)
    return build_feed(
        tracker, records, base_url=BASE, feed_url=feed_link(BASE), title=tracker.settings.title, feed_key="feed",
        **options,
    )  # fmt: skip


def later_tracker(tracker):
    """The small tracker plus a status change recorded later, and a title edit."""
    update = build_update(
        {
            "date": "2026-11-01",
            "status": "implemented",
            "note": HOSTILE,
            "sources": [{"url": "https://example.org/d?x=1&y=2", "title": "Fund <report> & notes", "kind": "news"}],
            "author": "Secret Editor",
            "recorded": "2026-11-27T13:00:00Z",
        }
    )
    tracker = edits.insert_update(tracker, "joint-fund", update, today=TODAY)
    return edits.edit_recommendation(
        tracker,
        "trilateral-talks",
        {"title": "Trilateral talks & summits"},
        expected={"title": "Trilateral talks"},
        author="editor@example.org",
        recorded="2026-11-27T14:00:00Z",
        today=TODAY,
    )


def test_feedparser_reads_the_feed_and_its_entries_match_the_event_log(tracker):
    records = list_records(tracker)
    parsed = feedparser.parse(tracker_feed(tracker))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.id for entry in parsed.entries] == [record.id for record in records]
    assert [entry.link for entry in parsed.entries] == [page_link(BASE, record.rec_id) for record in records]
    # Three updates each for two recommendations, one baseline, one context event.
    assert len(parsed.entries) == 3 + 3 + 1 + 1
    assert parsed.feed.links[0].href == f"{BASE}/feed.atom"
    assert parsed.feed.updated == RECORDED


def test_entries_say_what_changed_with_dates_note_and_sources(tracker):
    parsed = feedparser.parse(tracker_feed(tracker))
    by_title = {entry.title: entry for entry in parsed.entries}
    lifted = by_title["Lift export controls: In progress → Implemented"]
    assert "Dated 16 Mar 2023; recorded 27 Nov 2026." in lifted.content[0].value
    assert "Lifted." in lifted.content[0].value
    assert '<a href="https://example.org/b">Lifted</a>' in lifted.content[0].value
    assert lifted.link == f"{BASE}/?rec=export-controls"
    assert "Joint fund: reviewed, no change (Partially implemented)" in by_title
    assert "Trilateral talks: baseline: No step found" in by_title
    assert "Summit: Tokyo summit" in by_title


def test_newest_record_first_and_updated_pinned_to_it(tracker):
    newer = later_tracker(tracker)
    parsed = feedparser.parse(tracker_feed(newer))
    assert not parsed.bozo
    assert parsed.feed.updated == "2026-11-27T14:00:00Z"
    assert parsed.entries[0].title == "Trilateral talks & summits: title edited"
    assert parsed.entries[1].title == "Joint fund: Partially implemented → Implemented"
    times = [entry.updated for entry in parsed.entries]
    assert times == sorted(times, reverse=True)


def test_same_data_same_bytes(tracker):
    assert tracker_feed(tracker) == tracker_feed(validate_data(tracker.model_dump(mode="json"), today=TODAY))


def test_hostile_text_is_escaped_and_round_trips(tracker):
    body = tracker_feed(later_tracker(tracker))
    ET.fromstring(body)  # strict XML
    assert b"<script>" not in body
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    entry = parsed.entries[1]
    shown_text = html.unescape(re.sub(r"<[^>]+>", "", entry.content[0].value))
    assert HOSTILE in shown_text
    related = [link for link in entry.links if link.rel == "related"]
    assert related[0].href == "https://example.org/d?x=1&y=2"
    assert related[0].title == "Fund <report> & notes"


def test_control_characters_are_removed():
    assert clean("a\x00b\x07c\x1bd\te\nf\ufffe") == "abcd\te\nf"


def test_editors_names_never_appear(tracker):
    body = tracker_feed(later_tracker(tracker))
    for name in (b"Test analyst", b"Secret Editor", b"editor@example.org"):
        assert name not in body


def test_entry_ids_survive_a_back_dated_update(tracker):
    before = {record.key for record in list_records(tracker)}
    back_dated = build_update(
        {
            "date": "2022-12-01",
            "status": "in_progress",
            "note": "Found later.",
            "sources": [{"url": "https://example.org/e", "title": "Old news", "kind": "news"}],
            "author": "Analyst",
            "recorded": "2026-11-27T15:00:00Z",
        }
    )
    after = {
        record.key for record in list_records(edits.insert_update(tracker, "export-controls", back_dated, today=TODAY))
    }
    assert before < after and len(after - before) == 1


def test_one_recommendation_feed(tracker):
    records = [record for record in list_records(tracker) if record.rec_id == "export-controls"]
    body = tracker_feed(tracker, records=records, alternate=page_link(BASE, "export-controls"))
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    assert len(parsed.entries) == 3
    assert {entry.link for entry in parsed.entries} == {f"{BASE}/?rec=export-controls"}


def test_long_feeds_are_paged_and_the_pages_hold_every_record(tracker):
    records = list_records(tracker)
    seen, page = [], 1
    while True:
        parsed = feedparser.parse(tracker_feed(tracker, page=page, page_size=3))
        assert not parsed.bozo
        seen += [entry.id for entry in parsed.entries]
        nexts = [link.href for link in parsed.feed.links if link.rel == "next"]
        if not nexts:
            break
        assert nexts == [f"{BASE}/feed.atom?page={page + 1}"]
        page += 1
    assert seen == [record.id for record in records]
    assert page == 3
    with pytest.raises(ValueError, match="no page 4"):
        tracker_feed(tracker, page=4, page_size=3)
    assert PAGE_SIZE >= 100
