"""The storage contract: what every backend offers, and nothing else callers may use.

A backend is one module (`yaml_files`, `sql`) with a tracker store and the readers' suggestions that
belong to it. Writing a new backend means implementing the two protocols below; the shared test suite
`tests/test_storage_contract.py` then runs against it like against the others.

Every write goes through `change` (or `change_all`): the backend locks, re-reads the current tracker,
applies the pure change (a function from `edits`, which validates what it changed), and writes the
result atomically, so concurrent writers lose nothing and a failed change writes nothing. Several
changes are one change: `change_all` composes them, so a batch is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import reduce
from typing import Protocol

from ..edits import add_recommendation, edit_recommendation, insert_update
from ..model import Tracker, Update
from ..suggestion import LIMITS, Limits, Suggestion

Change = Callable[[Tracker], Tracker]
"""A pure change: the tracker as it stands -> the tracker after it (the very same object: nothing to write)."""


def compose(changes: Sequence[Change]) -> Change:
    """One change that applies `changes` in order: the first that refuses refuses them all."""
    return lambda tracker: reduce(lambda current, change: change(current), changes, tracker)


class SuggestionStore(Protocol):
    """Readers' suggestions, kept beside the tracker (never in it until accepted)."""

    def list(self, *, state: str | None = None) -> list[Suggestion]:
        """Every suggestion in the order submitted (only those in `state`, when given)."""

    def get(self, reference: str) -> Suggestion:
        """One suggestion. Raises NotFound."""

    def submit(self, suggestion: Suggestion, *, tracker: Tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion:
        """Add a reader's suggestion, checking the abuse rules against what is stored, under the lock."""

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion:
        """Replace one suggestion by `apply(current)` (a pure decision), re-read under the lock."""

    def decide_with_change(
        self,
        reference: str,
        change: Callable[[Tracker, Suggestion], Tracker],
        decision: Callable[[Suggestion, Tracker], Suggestion],
        *,
        today: date,
    ) -> Suggestion:
        """Change the tracker this store belongs to by `change(tracker, suggestion)` and record
        `decision(suggestion, tracker after)`, so that no other decision on the suggestion can come in
        between (the suggestions' lock is held throughout; on a database, one transaction)."""

    def replace_all(self, suggestions: list[Suggestion]) -> None:
        """Replace every suggestion (imports)."""


class Store(Protocol):
    """A tracker's storage. `suggestions` is the suggestion store of the same backend."""

    suggestions: SuggestionStore

    def describe(self) -> str:
        """Where the tracker is kept, safe to print (a database's password hidden)."""

    def exists(self) -> bool:
        """Whether a tracker was saved here (a new database or a missing file holds none)."""

    def revision(self) -> str:
        """Changes on every write: a cheap key for caches. Raises StoreUnavailable."""

    def load(self, *, today: date) -> Tracker:
        """The validated tracker. Raises ValidationFailed or StoreUnavailable."""

    def change(self, apply: Change, *, today: date) -> Tracker:
        """Apply one change under the lock to the tracker as it stands; returns the tracker after it.
        A change that raises writes nothing."""

    def change_all(self, changes: Sequence[Change], *, today: date) -> Tracker:
        """Apply several changes as one: all of them are saved, or none."""

    def replace(self, tracker: Tracker, *, today: date) -> Tracker:
        """Replace the whole tracker (imports), checked first."""


class Operations:
    """The writes callers use, each one pure change from `edits` through the backend's `change`;
    a backend class inherits them and writes only the contract's methods."""

    def change_all(self, changes: Sequence[Change], *, today: date) -> Tracker:
        return self.change(compose(changes), today=today)

    def append_update(self, rec_id: str, update: Update, *, today: date) -> Tracker:
        """Add one update; it merges with whatever others saved meanwhile."""
        return self.change(adding_update(rec_id, update, today=today), today=today)

    def add_recommendation(self, fields: dict, *, today: date) -> Tracker:
        """Add a recommendation with its baseline."""
        return self.change(lambda current: add_recommendation(current, fields, today=today), today=today)

    def edit_recommendation(
        self, rec_id: str, changes: dict, *, expected: dict, author: str, recorded: str, today: date
    ) -> Tracker:
        """Change metadata; refuses with Conflict what someone else changed meanwhile."""
        return self.change(
            lambda current: edit_recommendation(
                current, rec_id, changes, expected=expected, author=author, recorded=recorded, today=today
            ),
            today=today,
        )


def adding_update(rec_id: str, update: Update, *, today: date) -> Change:
    """The change that inserts one update in date order."""
    return lambda current: insert_update(current, rec_id, update, today=today)
