"""The product's one clock: today and now, or a fixed day set by TRACKER_TODAY.

`TRACKER_TODAY=YYYY-MM-DD` pins "today" for the dashboard and every command (demos,
reproducible screenshots, tests). It pins the whole clock: "now" is the last second of that
day (UTC), so a run on a pinned day never depends on the real time either. The cost, in
that mode only: saves made that day share one record time. Every other module takes its
times as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timezone

from .errors import TrackerError

SETTING = "TRACKER_TODAY"
_DAY = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class BadClockSetting(TrackerError):
    """TRACKER_TODAY is set to something that is not a day."""


def fixed_day(environ: Mapping[str, str]) -> date | None:
    """The day TRACKER_TODAY pins, or None when it is unset. Raises BadClockSetting."""
    value = environ.get(SETTING, "").strip()
    if not value:
        return None
    try:
        if not _DAY.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise BadClockSetting(
            f"{SETTING} is set to '{value[:40]}', which is not a date; write it as YYYY-MM-DD or unset it."
        ) from None


def now(environ: Mapping[str, str]) -> datetime:
    """The current moment (UTC); the last second of the pinned day when TRACKER_TODAY is set."""
    day = fixed_day(environ)
    if day is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.utc)


def today(environ: Mapping[str, str]) -> date:
    """Today: the pinned day, or the real date (UTC)."""
    return now(environ).date()
