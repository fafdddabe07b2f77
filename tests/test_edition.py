"""The record-time clock: a tracker as published at a moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import TODAY, new_recommendation

from tracker import edits, translation
from tracker.edition import (
    as_published,
    count_later_records,
    describe_moment,
    edition_at,
    end_of_day,
    pin_moment,
    record_times,
)
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


@pytest.mark.parametrize(
    "moment",
    [
        datetime(999, 12, 31, 23, 59, 59, tzinfo=timezone.utc),  # '999-12-31...' sorted after '2026' as text
        datetime(1, 1, 1, tzinfo=timezone.utc),
        datetime(2026, 11, 27, 11, 59, 59, tzinfo=timezone.utc),
        datetime(2026, 11, 27, 20, 59, 59, tzinfo=timezone(timedelta(hours=9))),  # 11:59:59 UTC
    ],
    ids=["year-999", "year-1", "a-second-before", "same-moment-in-tokyo"],
)
def test_a_moment_before_the_first_record_means_the_first_record(tracker, moment):
    first = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    assert pin_moment(tracker, moment) == first
    later = edits.add_recommendation(tracker, new_recommendation(recorded=LATER), today=TODAY)
    assert as_published(later, moment) == tracker  # the first edition, not everything and not nothing
    assert count_later_records(later, pin_moment(later, moment), TODAY).recommendations == 1


def test_times_are_compared_as_times_whatever_the_zone(tracker):
    changed = edits.insert_update(tracker, "trilateral-talks", _later_update("2024-01-01", "in_progress"), today=TODAY)
    tokyo = timezone(timedelta(hours=9))
    assert as_published(changed, datetime(2026, 11, 28, 17, 59, 59, tzinfo=tokyo)) == tracker  # 08:59:59 UTC
    assert as_published(changed, datetime(2026, 11, 28, 18, 0, 0, tzinfo=tokyo)) == changed  # 09:00 UTC
    assert as_published(changed, datetime(2026, 11, 28, 9, 0, 0)) == changed  # naive: UTC


def test_the_edition_of_a_moment_is_the_newest_record_time_at_or_before_it(tracker):
    changed = edits.insert_update(tracker, "trilateral-talks", _later_update("2024-01-01", "in_progress"), today=TODAY)
    times = record_times(changed)
    assert times == [PINNED, datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)]
    assert edition_at(times, datetime(999, 1, 1, tzinfo=timezone.utc)) is None
    assert edition_at(times, PINNED) == PINNED
    assert edition_at(times, datetime(2026, 11, 28, 8, 59, 59, tzinfo=timezone.utc)) == PINNED
    assert edition_at(times, datetime(2030, 1, 1, tzinfo=timezone.utc)) == times[-1]


def test_every_kind_of_record_starts_an_edition(tracker):
    """A review, a correction of the settings and a translation change what a view shows: each is an
    edition of its own, so answers kept per edition are never those of another."""
    times = {
        "2026-11-29T10:00:00Z": lambda t: edits.add_review(
            t, {"date": "2026-11-20", "note": "Searched.", "author": "Ana", "recorded": "2026-11-29T10:00:00Z"},
            today=TODAY),
        "2026-11-29T11:00:00Z": lambda t: translation.add_translation(
            t, {"lang": "ko", "target": "settings", "field": "title", "text": "추적기"}, author="Project",
            recorded="2026-11-29T11:00:00Z"),
    }  # fmt: skip
    changed = tracker
    for change in times.values():
        changed = change(changed)
    found = record_times(changed)
    for stamp in times:
        moment = datetime.fromisoformat(stamp[:-1]).replace(tzinfo=timezone.utc)
        assert moment in found
        assert as_published(changed, moment) != as_published(changed, moment - timedelta(seconds=1))


@pytest.mark.parametrize(
    "moment,shown",
    [
        (datetime(2026, 12, 1, 14, 5, tzinfo=timezone.utc), "1 Dec 2026 at 14:05 UTC"),
        (datetime(999, 12, 31, 23, 59, tzinfo=timezone.utc), "31 Dec 0999 at 23:59 UTC"),
        (datetime(2026, 12, 1, 23, 5, tzinfo=timezone(timedelta(hours=9))), "1 Dec 2026 at 14:05 UTC"),
    ],
)
def test_describe_moment(moment, shown):
    assert describe_moment(moment) == shown
