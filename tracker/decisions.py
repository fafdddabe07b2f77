"""The editors' decisions on readers' suggestions, through any store of the contract.

Accepting changes the tracker and records the decision under the suggestions' lock (on a database,
in one transaction): a decline or a merge by another editor cannot come in between, and whichever
comes second is refused plainly and changes nothing. The rules themselves are the pure functions of
`suggestion` (`accept`, `decline`, `merge`); this module only runs them through a store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from .model import Source, format_timestamp
from .storage.contract import Store
from .suggestion import Suggestion, accept, decline, merge


def accept_suggestion(
    store: Store,
    reference: str,
    *,
    editor: str,
    note: str | None,
    sources: Sequence[Source],
    now: datetime,
    today: date,
) -> Suggestion:
    """Accept a pending suggestion: its update goes through the store's write path (validation, lock,
    re-read, atomic write or transaction), authored by `editor`, its note ending with the suggestion's
    credit; then the decision (who, when, which update) is recorded. On the YAML backend a process
    that dies between the two writes leaves the update and a pending suggestion; accepting again then
    only records the decision (`accept` finds the update by its credit)."""
    recorded = format_timestamp(now)
    outcome: dict[str, Suggestion] = {}

    def change(tracker, suggestion):
        after, outcome["decided"] = accept(
            tracker, suggestion, editor=editor, note=note, sources=sources, recorded=recorded, today=today
        )
        return after

    return store.suggestions.decide_with_change(
        reference, change, lambda _suggestion, _tracker: outcome["decided"], today=today
    )


def decline_suggestion(store: Store, reference: str, *, editor: str, reason: str, now: datetime) -> Suggestion:
    """Decline a pending suggestion with the editors' reason (the reader sees it)."""
    at = format_timestamp(now)
    return store.suggestions.decide(reference, lambda current: decline(current, editor=editor, reason=reason, at=at))


def merge_suggestion(
    store: Store, reference: str, *, editor: str, into, now: datetime, today: date, reason: str = ""
) -> Suggestion:
    """Mark a pending suggestion as merged into an update already recorded (the tracker is unchanged)."""
    tracker = store.load(today=today)
    at = format_timestamp(now)
    return store.suggestions.decide(
        reference, lambda current: merge(tracker, current, editor=editor, into=into, at=at, reason=reason)
    )
