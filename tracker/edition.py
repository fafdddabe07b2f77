"""The tracker as published at a moment: the record-time clock.

Every fact carries two times: when it happened in the world (`date`) and when the
tracker recorded it (`recorded`). A view fixes both. `as_published` keeps only what
had been recorded by a moment, so everything computed from its result (statuses,
counts, charts, history, exports, the fingerprint) is what a reader saw then.
Pure functions; the moment always comes in as an argument.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from .model import (
    ContextEvent,
    Recommendation,
    Settings,
    Tracker,
    Update,
    format_timestamp,
    parse_timestamp,
    start_of,
    statuses_in_force,
)
from .yaml_text import dump_tracker


def _utc(moment: datetime) -> datetime:
    """A moment as an aware UTC datetime (a naive one is taken as UTC, as record times are)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def describe_moment(moment: datetime) -> str:
    """A record time in words: '1 Dec 2026 at 14:05 UTC' (the year always in four digits)."""
    moment = _utc(moment)
    return f"{moment.day} {moment:%b} {moment.year:04d} at {moment:%H:%M} UTC"


def end_of_day(day: date) -> datetime:
    """The last second of a day, UTC: what an old frozen link (`?as_of=D&frozen=1`) pins."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.utc)


def pin_moment(tracker: Tracker, moment: datetime) -> datetime:
    """A publication moment as a view shows it: the moment itself, or the tracker's first record when
    the moment is earlier (no link predates the tracker itself; nothing shows an empty tracker)."""
    moment = _utc(moment)
    first = min((parse_timestamp(rec.updates[0].recorded) for rec in tracker.recommendations), default=None)
    return first if first is not None and first > moment else moment


def pin_older_link(tracker: Tracker, day: date) -> datetime:
    """The moment an older frozen link (`?as_of=D&frozen=1`, no record time) pins: the end of day D
    (UTC), or the tracker's first record when D is earlier."""
    return pin_moment(tracker, end_of_day(day))


def _undo_later(fields: dict, changes, stamp: str) -> dict:
    """An entity's fields (a plain dict with its `changes`-like log under `log`) as they were at `stamp`:
    the changes recorded later undone, newest first, so a field changed twice returns to what it was."""
    later = [change for change in changes if change.recorded > stamp]
    for change in sorted(later, key=lambda c: c.recorded, reverse=True):
        fields[change.field] = change.old
    return fields


def _update_as_published(update: Update, stamp: str) -> Update:
    if not any(change.recorded > stamp for change in update.changes):
        return update
    fields = _undo_later(update.model_dump(), update.changes, stamp)
    fields["changes"] = [change for change in fields["changes"] if change["recorded"] <= stamp]
    return Update.model_validate(fields)


def _recommendation_as_published(rec: Recommendation, stamp: str) -> Recommendation | None:
    updates = [_update_as_published(update, stamp) for update in rec.updates if update.recorded <= stamp]
    if not updates or rec.updates[0].recorded > stamp:
        return None  # added to the tracker after the moment
    changes = [change for change in rec.metadata_changes if change.recorded <= stamp]
    periods = [period for period in rec.periods if period.recorded <= stamp]
    later = len(changes) < len(rec.metadata_changes) or len(periods) < len(rec.periods)
    if (
        len(updates) == len(rec.updates)
        and not later
        and all(a is b for a, b in zip(updates, rec.updates, strict=True))
    ):
        return rec
    # Validated again: an old value is plain data (an assessment is a mapping), not a model.
    fields = _undo_later(rec.model_dump(), rec.metadata_changes, stamp)
    # A date corrected later moves an update back to where it stood then.
    updates = sorted(updates, key=lambda update: start_of(update.date))
    return Recommendation.model_validate({**fields, "updates": [u.model_dump() for u in updates],
                                          "metadata_changes": [c.model_dump() for c in changes],
                                          "periods": [p.model_dump() for p in periods]})  # fmt: skip


def _event_as_published(event: ContextEvent, stamp: str) -> ContextEvent:
    if not any(change.recorded > stamp for change in event.changes):
        return event
    fields = _undo_later(event.model_dump(), event.changes, stamp)
    fields["changes"] = [change for change in fields["changes"] if change["recorded"] <= stamp]
    return ContextEvent.model_validate(fields)


def as_published(tracker: Tracker, moment: datetime | None) -> Tracker:
    """The tracker holding only what was recorded by `moment` (None: everything).

    Updates, reviews and context events recorded later are dropped, recommendations added later are
    absent, and whatever was corrected later (a title, an update's date, a label of the settings)
    reads as it did at the moment. Context events without a record time count as always there. A
    moment before the first record means the first record (`pin_moment`)."""
    if moment is None:
        return tracker
    # Record times are compared in their one fixed-width form (four-digit years: format_timestamp), which
    # orders like the times themselves; a moment before the first record means the first record.
    stamp = format_timestamp(pin_moment(tracker, moment))
    recs = [kept for rec in tracker.recommendations if (kept := _recommendation_as_published(rec, stamp))]
    events = [
        _event_as_published(event, stamp)
        for event in tracker.context_events
        if not event.recorded or event.recorded <= stamp
    ]
    reviews = [review for review in tracker.reviews if review.recorded <= stamp]
    settings_changes = [change for change in tracker.settings_changes if change.recorded <= stamp]
    # Translations are a log: those recorded later (a new text, a review) are simply not there yet.
    translations = [item for item in tracker.translations if item.recorded <= stamp]
    unchanged = (
        len(events) == len(tracker.context_events)
        and all(a is b for a, b in zip(events, tracker.context_events, strict=False))
        and len(recs) == len(tracker.recommendations)
        and len(reviews) == len(tracker.reviews)
        and len(settings_changes) == len(tracker.settings_changes)
        and len(translations) == len(tracker.translations)
    )
    if unchanged and all(kept is rec for kept, rec in zip(recs, tracker.recommendations, strict=True)):
        return tracker
    settings = tracker.settings
    if len(settings_changes) < len(tracker.settings_changes):
        settings = Settings.model_validate(_undo_later(settings.model_dump(), tracker.settings_changes, stamp))
    return tracker.model_copy(
        update={
            "settings": settings,
            "recommendations": recs,
            "context_events": events,
            "reviews": reviews,
            "settings_changes": settings_changes,
            "translations": translations,
        }
    )


def published_text(tracker: Tracker) -> str:
    """The canonical text a view's fingerprint is made from: the data file's canonical dump, with each
    review reading the status in force (as files written before reviews stated none did), so the
    fingerprint of a view published then stays what it was after those files were migrated."""
    recs = []
    for rec in tracker.recommendations:
        if all(update.status is not None for update in rec.updates):
            recs.append(rec)
            continue
        held = statuses_in_force(rec.updates)
        updates = [
            update if update.status is not None else update.model_copy(update={"status": status})
            for update, status in zip(rec.updates, held, strict=True)
        ]
        recs.append(rec.model_copy(update={"updates": updates}))
    return dump_tracker(tracker.model_copy(update={"recommendations": recs}))


@dataclass(frozen=True)
class LaterRecords:
    """What was recorded after a pinned moment that would change a view of a day."""

    updates: int = 0
    corrections: int = 0  # metadata edits (a title, an addressee) recorded later
    recommendations: int = 0  # recommendations added later
    events: int = 0  # context events recorded later

    @property
    def total(self) -> int:
        return self.updates + self.corrections + self.recommendations + self.events


def count_later_records(tracker: Tracker, moment: datetime, as_of: date) -> LaterRecords:
    """How much recorded after `moment` would change the view of `as_of` (dated on or before it)."""
    moment = _utc(moment)

    def later(stamp: str | None) -> bool:
        return stamp is not None and parse_timestamp(stamp) > moment

    updates = corrections = added = 0
    for rec in tracker.recommendations:
        if later(rec.updates[0].recorded):
            added += start_of(rec.updates[0].date) <= as_of
            continue
        updates += sum(1 for u in rec.updates if later(u.recorded) and start_of(u.date) <= as_of)
        corrections += sum(1 for c in rec.metadata_changes if later(c.recorded))
    events = sum(1 for e in tracker.context_events if later(e.recorded) and start_of(e.date) <= as_of)
    return LaterRecords(updates, corrections, added, events)


def record_times(tracker: Tracker) -> list[datetime]:
    """Every distinct record time of a tracker, oldest first: whatever `as_published` can leave out
    (updates and their corrections, edits, context events and theirs, reviews, corrections of the
    settings, translations), so two moments between the same two record times show the same tracker."""
    stamps = set()
    for rec in tracker.recommendations:
        for update in rec.updates:
            stamps.add(update.recorded)
            stamps.update(change.recorded for change in update.changes)
        stamps.update(change.recorded for change in rec.metadata_changes)
    for event in tracker.context_events:
        if event.recorded:
            stamps.add(event.recorded)
        stamps.update(change.recorded for change in event.changes)
    stamps.update(review.recorded for review in tracker.reviews)
    stamps.update(change.recorded for change in tracker.settings_changes)
    stamps.update(item.recorded for item in tracker.translations)
    return sorted(parse_timestamp(stamp) for stamp in stamps)


def edition_at(times: list[datetime], moment: datetime) -> datetime | None:
    """The edition a moment shows: the newest record time at or before it (`times` from record_times),
    None when nothing was recorded by then. Every moment between two record times shows the same
    tracker, so this is what answers for a moment can be kept by."""
    index = bisect.bisect_right(times, _utc(moment))
    return times[index - 1] if index else None


class FutureMoment(ValueError):
    """A publication time that has not come yet."""


class NotARealMoment(ValueError):
    """A publication time written right that names no real moment (the 30th of February)."""


_MOMENT = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?Z)?\Z")


def parse_published(text: str, now: datetime) -> datetime:
    """A record time from a link or the command line: `YYYY-MM-DDTHH:MM:SSZ` (UTC), or a
    day (`YYYY-MM-DD`, meaning its end). Raises ValueError (FutureMoment for a time to come)
    with a plain sentence."""
    shown = text[:40]
    if not _MOMENT.match(text):
        raise ValueError(f"'{shown}' is not a publication time; write it as YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD.")
    try:
        if len(text) == 10:
            moment = end_of_day(date.fromisoformat(text))
        else:
            moment = datetime.fromisoformat(text[:-1]).replace(tzinfo=timezone.utc)
    except ValueError:
        raise NotARealMoment(f"'{shown}' is not a real date and time.") from None
    if moment > now and len(text) > 10:
        raise FutureMoment(f"The publication time {text} is in the future; the tracker cannot show it yet.")
    if len(text) == 10 and moment.date() > now.date():
        raise FutureMoment(f"The publication date {text} is in the future; the tracker cannot show it yet.")
    return min(moment, now)


FINGERPRINT_SHOWN = 12


def fingerprint(tracker: Tracker) -> str:
    """The fingerprint of a tracker as a view shows it (`published_text`)."""
    return data_fingerprint(published_text(tracker))


def data_fingerprint(data: str | bytes) -> str:
    """The full sha256 (hex) of a data file's canonical text (`dump_tracker`);
    show its first FINGERPRINT_SHOWN characters where space is short."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return hashlib.sha256(payload).hexdigest()
