"""A reader's contact (and their client key) appears in no export, brief, feed, API answer, tracker
file or public status view; only the editors' suggestions file carries it."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from conftest import RECORDED, TODAY

from tracker import api
from tracker.brief import render_brief
from tracker.exports import export_table
from tracker.feed import build_feed
from tracker.records import feed_link, list_records
from tracker.storage.yaml_files import dump_suggestions
from tracker.suggestion import (
    accept,
    client_key,
    decline,
    draft_sources,
    merge,
    new_reference,
    public_view,
    validate_suggestion,
)
from tracker.view import View
from tracker.yaml_text import dump_tracker

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
CONTACT = "leak-canary-7Qx9@private-reader.example"
ADDRESS = "192.0.2.177"
BASE = "https://tracker.example/"


@pytest.fixture
def decided(tracker):
    """The tracker after one accepted suggestion, and four suggestions (accepted, declined, merged, pending)."""
    made = [
        validate_suggestion(
            tracker,
            {
                "rec_id": rec_id,
                "note": f"Reader note {n}.",
                "date": "2026-10",
                "status": status,
                "sources": [{"url": f"https://example.org/reader/{n}", "title": f"Reader source {n}"}],
                "contact": CONTACT,
            },
            reference=new_reference(),
            client=client_key(ADDRESS, "salt"),
            submitted=RECORDED,
            today=TODAY,
        )
        for n, (rec_id, status) in enumerate(
            [("joint-fund", "implemented"), ("export-controls", None), ("trilateral-talks", None), ("joint-fund", None)]
        )
    ]
    new, accepted = accept(
        tracker,
        made[0],
        editor="Ed",
        note=None,
        sources=draft_sources(made[0], ["news"]),
        recorded=RECORDED,
        today=TODAY,
    )
    declined = decline(made[1], editor="Ed", reason="Not about this recommendation.", at=RECORDED)
    merged = merge(new, made[2], editor="Ed", into=("trilateral-talks", 1), at=RECORDED)
    return new, [accepted, declined, merged, made[3]]


def _outputs(tracker) -> dict[str, str]:
    outputs = {
        f"export {what} {fmt}": export_table(tracker, what=what, fmt=fmt, as_of=TODAY)
        for what in ("recommendations", "events")
        for fmt in ("csv", "json")
    }
    view = View(as_of=TODAY)
    outputs["brief"] = render_brief(tracker, view, since=view.changes_since(), permalink=BASE, generated=NOW)
    records = list_records(tracker)
    outputs["feed"] = build_feed(
        tracker, records, base_url=BASE, feed_url=feed_link(BASE), title="t", feed_key="feed"
    ).decode("utf-8")
    outputs["feed joint-fund"] = build_feed(
        tracker,
        [record for record in records if record.rec_id == "joint-fund"],
        base_url=BASE,
        feed_url=feed_link(BASE, "joint-fund"),
        title="t",
        feed_key="feed/rec/joint-fund",
    ).decode("utf-8")
    query = api.parse_query({}, tracker, today=TODAY, now=NOW, allowed=api.event_parameters())
    outputs["api recommendations"] = api.to_json(api.recommendations_payload(tracker, query, BASE)).decode("utf-8")
    outputs["api events"] = api.to_json(api.events_payload(tracker, query, BASE)).decode("utf-8")
    outputs["tracker file"] = dump_tracker(tracker)
    return outputs


def test_contacts_appear_in_no_export_feed_api_brief_or_tracker_file(decided):
    tracker, suggestions = decided
    # The accepted suggestion is really in what is checked: its credited update is everywhere.
    assert "Reader note 0." in dump_tracker(tracker)
    outputs = _outputs(tracker)
    assert "Reader note 0." in outputs["api events"] and "Reader note 0." in outputs["feed"]
    secrets = (CONTACT, "leak-canary", "private-reader", ADDRESS, client_key(ADDRESS, "salt"))
    for name, text in outputs.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked into the {name}"
            assert secret not in json.dumps(text), f"{secret!r} leaked (escaped) into the {name}"


def test_the_public_status_view_shows_no_personal_data(decided):
    _, suggestions = decided
    for item in suggestions:
        shown = json.dumps(public_view(item))
        for secret in (CONTACT, ADDRESS, client_key(ADDRESS, "salt"), "Reader note", "Ed"):
            assert secret not in shown


def test_only_the_editors_suggestions_file_carries_the_contact(decided):
    _, suggestions = decided
    text = dump_suggestions(suggestions)
    assert text.count(CONTACT) == len(suggestions)
    assert ADDRESS not in text  # the client is stored as a key, never as its address
