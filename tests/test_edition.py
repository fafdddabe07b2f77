"""The record-time clock: a tracker as published at a moment."""

from __future__ import annotations

from datetime import date, datetime, timezone

from conftest import TODAY, new_recommendation

from tracker import edits
from tracker.edition import as_published, count_later_records, end_of_day
from tracker.model import Update

PINNED = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
LATER = "2026-11-28T09:00:00Z"


def _later_update(when: str, status: str) -> Update:
    sources = [{"url": "https://example.org/later", "title": "Later report", "kind": "news"}]
    return Update(date=when, status=status, note="Recorded later.", sources=sources, author="B", recorded=LATER)


def test_nothing_recorded_later_gives_the_same_tracker(tracker):
    assert as_published(tracker, PINNED) is tracker
    assert as_published(tracker, None) is tracker


def test_a_back_dated_update_recorded_later_is_left_out(tracker):
    changed = edits.insert_update(tracker, "trilateral-talks", _later_update("2024-01-01", "in_progress"), today=TODAY)
    assert as_published(changed, PINNED) == tracker
    assert count_later_records(changed, PINNED, date(2026, 11, 27)).updates == 1
    # A view of a day before the update's date would not change.
    assert count_later_records(changed, PINNED, date(2023, 1, 1)).total == 0


def test_a_later_metadata_edit_reads_as_it_was(tracker):
    changed = edits.edit_recommendation(
        tracker, "joint-fund", {"title": "Renamed"}, expected={}, author="B", recorded=LATER, today=TODAY
    )
    assert as_published(changed, PINNED) == tracker
    assert count_later_records(changed, PINNED, TODAY).corrections == 1


def test_a_recommendation_added_later_is_absent(tracker):
    fields = new_recommendation(recorded=LATER)
    changed = edits.add_recommendation(tracker, fields, today=TODAY)
    assert as_published(changed, PINNED) == tracker
    assert count_later_records(changed, PINNED, TODAY).recommendations == 1


def test_end_of_day_is_the_last_second_utc():
    assert end_of_day(date(2026, 11, 30)) == datetime(2026, 11, 30, 23, 59, 59, tzinfo=timezone.utc)


def test_a_later_assessment_edit_reads_as_it_was(tracker):
    before = tracker.recommendations[0].assessment
    changed = edits.edit_recommendation(
        tracker,
        "export-controls",
        {"assessment": {"date": "2026-11-28", "text": "Reassessed."}},
        expected={},
        author="B",
        recorded=LATER,
        today=date(2026, 11, 28),
    )
    pinned = as_published(changed, PINNED)
    assert pinned.recommendations[0].assessment == before
    assert pinned == tracker
