"""The tracker as published at a moment: the record-time clock.

Every fact carries two times: when it happened in the world (`date`) and when the
tracker recorded it (`recorded`). A view fixes both. `as_published` keeps only what
had been recorded by a moment, so everything computed from its result (statuses,
counts, charts, history, exports, the fingerprint) is what a reader saw then.
Pure functions; the moment always comes in as an argument.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from .model import Recommendation, Tracker, format_timestamp, start_of


def describe_moment(moment: datetime) -> str:
    """A record time in words: '1 Dec 2026 at 14:05 UTC'."""
    moment = moment.astimezone(timezone.utc)
    return f"{moment.day} {moment:%b %Y} at {moment:%H:%M} UTC"


def end_of_day(day: date) -> datetime:
    """The last second of a day, UTC: what an old frozen link (`?as_of=D&frozen=1`) pins."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.utc)


def pin_older_link(tracker: Tracker, day: date) -> datetime:
    """The moment an older frozen link (`?as_of=D&frozen=1`, no record time) pins: the end of day D
    (UTC), or the tracker's first record when D is earlier (no link predates the tracker itself)."""
    moment = end_of_day(day)
    first = min((rec.updates[0].recorded for rec in tracker.recommendations), default=None)
    if first and first > format_timestamp(moment):
        return datetime.fromisoformat(first[:-1]).replace(tzinfo=timezone.utc)
    return moment


def _recommendation_as_published(rec: Recommendation, stamp: str) -> Recommendation | None:
    updates = [update for update in rec.updates if update.recorded <= stamp]
    if not updates or rec.updates[0].recorded > stamp:
        return None  # added to the tracker after the moment
    changes = [change for change in rec.metadata_changes if change.recorded <= stamp]
    later = [change for change in rec.metadata_changes if change.recorded > stamp]
    if len(updates) == len(rec.updates) and not later:
        return rec
    fields = rec.model_dump()
    # Undo later edits newest first, so a field edited twice returns to what it was at the moment.
    for change in sorted(later, key=lambda c: c.recorded, reverse=True):
        fields[change.field] = change.old
    # Validated again: an old value is plain data (an assessment is a mapping), not a model.
    return Recommendation.model_validate({**fields, "updates": updates, "metadata_changes": changes})


def as_published(tracker: Tracker, moment: datetime | None) -> Tracker:
    """The tracker holding only what was recorded by `moment` (None: everything).

    Updates and reviews recorded later are dropped, recommendations added later are
    absent, and a title or addressee edited later reads as it did at the moment.
    Context events without a record time count as always there."""
    if moment is None:
        return tracker
    stamp = format_timestamp(moment)
    recs = [kept for rec in tracker.recommendations if (kept := _recommendation_as_published(rec, stamp))]
    events = [event for event in tracker.context_events if not event.recorded or event.recorded <= stamp]
    unchanged = len(events) == len(tracker.context_events) and len(recs) == len(tracker.recommendations)
    if unchanged and all(kept is rec for kept, rec in zip(recs, tracker.recommendations, strict=True)):
        return tracker
    return tracker.model_copy(update={"recommendations": recs, "context_events": events})


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
    stamp = format_timestamp(moment)
    updates = corrections = added = 0
    for rec in tracker.recommendations:
        if rec.updates[0].recorded > stamp:
            added += start_of(rec.updates[0].date) <= as_of
            continue
        updates += sum(1 for u in rec.updates if u.recorded > stamp and start_of(u.date) <= as_of)
        corrections += sum(1 for c in rec.metadata_changes if c.recorded > stamp)
    events = sum(1 for e in tracker.context_events if e.recorded and e.recorded > stamp and start_of(e.date) <= as_of)
    return LaterRecords(updates, corrections, added, events)


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


def data_fingerprint(data: str | bytes) -> str:
    """The full sha256 (hex) of a data file's canonical text (`dump_tracker`);
    show its first FINGERPRINT_SHOWN characters where space is short."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return hashlib.sha256(payload).hexdigest()
