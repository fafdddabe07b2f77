"""The product's one clock: today and now, or a fixed day set by TRACKER_TODAY.

`TRACKER_TODAY=YYYY-MM-DD` pins "today" for the dashboard and every command (demos,
reproducible screenshots, tests). The time of day stays real, so record times still
advance. Every other module takes its times as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timezone

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
    """The current moment (UTC), on the pinned day when TRACKER_TODAY is set."""
    real = datetime.now(timezone.utc).replace(microsecond=0)
    day = fixed_day(environ)
    return real if day is None else datetime.combine(day, real.timetz())


def today(environ: Mapping[str, str]) -> date:
    """Today: the pinned day, or the real date (UTC)."""
    return now(environ).date()
