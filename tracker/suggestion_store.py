"""Where readers' suggestions are kept: beside the tracker, never in it until accepted.

- YAML: `<tracker file stem>.suggestions.yaml` beside the real tracker file (a tracker file that
  is a link is followed), with its own lock file; every write takes the lock, re-reads, checks,
  validates and replaces the file atomically (`yaml_store.write_atomically`), like the tracker.
- SQL: the `tracker_suggestions` table (`sql_suggestions`), written in a transaction.

The editors' decisions that change the tracker (accepting) go through the tracker store's normal
`append_update`, so an accepted suggestion is validated, locked and written like any update.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import yaml
from filelock import FileLock, Timeout

from .edits import insert_update
from .errors import NotFound, Problem, StoreUnavailable, ValidationFailed
from .model import Source, format_timestamp
from .suggestion import (
    LIMITS,
    SUGGESTIONS_SCHEMA_VERSION,
    Limits,
    Suggestion,
    SuggestionLog,
    build_accepted_update,
    check_abuse,
    check_log,
    decline,
    find_credited_update,
    mark_accepted,
    merge,
)
from .validation import validate_model
from .yaml_store import remove_stale_temp_files, write_atomically
from .yaml_text import MAX_FILE_BYTES, parse_yaml, read_file

MAX_SUGGESTIONS_BYTES = 16 * 1024 * 1024


class SuggestionStore(Protocol):
    """What the page and the CLI need from wherever suggestions are kept."""

    def submit(self, suggestion: Suggestion, *, tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion: ...

    def list(self, *, state: str | None = None) -> list[Suggestion]: ...

    def get(self, reference: str) -> Suggestion: ...

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion: ...

    def decide_with_tracker(self, reference: str, store, change, decision, *, today: date) -> Suggestion: ...

    def replace_all(self, suggestions: list[Suggestion]) -> None: ...


def not_found(reference: str) -> NotFound:
    shown = reference[:43]
    return NotFound(f"There is no suggestion with the reference '{shown}'; check the link.")


def suggestions_path(tracker_path) -> Path:
    """The suggestions file that belongs to a tracker file: same folder (of the real file), same stem."""
    target = Path(os.path.realpath(tracker_path))
    return target.with_name(f"{target.stem}.suggestions.yaml")


def parse_suggestions(raw: bytes, filename: str) -> list[Suggestion]:
    """A suggestions file's bytes, strictly parsed (yaml_text) and validated. Raises ValidationFailed."""
    data, _node = parse_yaml(raw, filename, MAX_SUGGESTIONS_BYTES)
    try:
        log = validate_model(SuggestionLog, data if isinstance(data, dict) else {"suggestions": data}, "suggestions")
    except ValidationFailed as failed:
        problems = [
            Problem(p.message.replace("Suggestions suggestions ", "Suggestion ", 1), filename) for p in failed.problems
        ]
        raise ValidationFailed(problems) from None
    return list(log.suggestions)


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_suggestions(suggestions: list[Suggestion]) -> str:
    """The canonical text of a suggestions file (keys in schema order, unset optional fields left out)."""
    data = {
        "schema_version": SUGGESTIONS_SCHEMA_VERSION,
        "suggestions": [item.model_dump(mode="json", exclude_none=True) for item in suggestions],
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


class YamlSuggestionStore:
    """Suggestions in `<stem>.suggestions.yaml` beside a tracker file."""

    def __init__(self, tracker_path, *, lock_timeout: float = 30):
        self.path = suggestions_path(tracker_path)
        self.lock_timeout = lock_timeout
        self._cache: tuple[tuple, list[Suggestion]] | None = None  # (the file's identity, its suggestions)

    def __repr__(self) -> str:
        return f"YamlSuggestionStore({str(self.path)!r})"

    def _read(self) -> list[Suggestion]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StoreUnavailable(f"The suggestions file {self.path} cannot be read ({error.strerror}).") from None
        # Every write replaces the file (a new inode), so an unchanged identity means unchanged content:
        # the Edit page, which reads the queue on every rerun, parses it only when it changed.
        identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if self._cache is not None and self._cache[0] == identity:
            return list(self._cache[1])
        try:
            raw = read_file(self.path, MAX_SUGGESTIONS_BYTES)
        except OSError as error:
            raise StoreUnavailable(f"The suggestions file {self.path} cannot be read ({error.strerror}).") from None
        suggestions = parse_suggestions(raw, self.path.name)
        self._cache = (identity, suggestions)
        return list(suggestions)

    def list(self, *, state: str | None = None) -> list[Suggestion]:
        """Every suggestion in the order submitted (only those in `state`, when given)."""
        return [item for item in self._read() if state is None or item.state == state]

    def get(self, reference: str) -> Suggestion:
        """One suggestion. Raises NotFound."""
        for item in self._read():
            if item.reference == reference:
                return item
        raise not_found(reference)

    def _change(self, apply: Callable[[list[Suggestion]], list[Suggestion]]) -> None:
        try:
            with FileLock(str(self.path.with_name(self.path.name + ".lock")), timeout=self.lock_timeout):
                remove_stale_temp_files(self.path)
                new = apply(self._read())
                # Validated as a whole (unique references) before anything is written.
                text = dump_suggestions(check_log(new))
                write_atomically(self.path, text.encode("utf-8"))
        except Timeout:
            raise StoreUnavailable(
                "Another save is still in progress and did not finish in time; wait a moment and try again."
            ) from None

    def submit(self, suggestion: Suggestion, *, tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion:
        """Add a reader's suggestion, checking the abuse rules against what is stored now (under the lock)."""

        def add(current):
            check_abuse(current, suggestion, tracker=tracker, now=now, limits=limits)
            return [*current, suggestion]

        self._change(add)
        return suggestion

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion:
        """Replace one suggestion by `apply(current)` (a pure decision), re-read under the lock."""
        decided: list[Suggestion] = []

        def change(current):
            for index, item in enumerate(current):
                if item.reference == reference:
                    decided.append(apply(item))
                    return [*current[:index], decided[0], *current[index + 1 :]]
            raise not_found(reference)

        self._change(change)
        return decided[0]

    def decide_with_tracker(self, reference: str, store, change, decision, *, today: date) -> Suggestion:
        """Change the tracker by `change(tracker, suggestion)` through `store` (its lock, validation and
        atomic write), then record `decision(suggestion, tracker after)`, all under the suggestions'
        lock (taken first, always), so no other decision on the suggestion can come in between.

        If the process dies between the two writes, the tracker holds the change and the suggestion is
        still pending; `change` must therefore be safe to run again (accepting checks for its credit)."""
        decided: list[Suggestion] = []

        def change_all(current):
            for index, item in enumerate(current):
                if item.reference == reference:
                    after = store._change(lambda tracker, item=item: change(tracker, item), today=today)
                    decided.append(decision(item, after))
                    return [*current[:index], decided[0], *current[index + 1 :]]
            raise not_found(reference)

        self._change(change_all)
        return decided[0]

    def replace_all(self, suggestions: list[Suggestion]) -> None:
        """Replace every suggestion (imports)."""
        self._change(lambda _current: list(suggestions))


def open_suggestions(store) -> SuggestionStore:
    """The suggestion store that belongs to a tracker store (YamlStore or SqlStore)."""
    from .yaml_store import YamlStore

    if isinstance(store, YamlStore):
        return YamlSuggestionStore(store.path, lock_timeout=store.lock_timeout)
    from .sql_suggestions import SqlSuggestionStore

    return SqlSuggestionStore(store)


# -- editors' decisions through both stores ---------------------------------------------------------


def accept_suggestion(
    store,
    suggestions: SuggestionStore,
    reference: str,
    *,
    editor: str,
    note: str | None,
    sources: list[Source],
    now: datetime,
    today: date,
) -> Suggestion:
    """Accept a pending suggestion: its update goes through the tracker store's write path (validation,
    lock, re-read, atomic write or transaction), authored by `editor`, its note ending with the
    suggestion's credit; then the decision (who, when, which update) is recorded.

    Both happen under the suggestions' lock (`decide_with_tracker`; on a database, in one
    transaction), so a decline or merge by another editor cannot come in between: whichever comes
    second is refused plainly and changes nothing. On the YAML store, a process that dies between
    the two writes leaves the update and a pending suggestion; accepting again then only records
    the decision (the update is added once: it is looked for by its credit).
    """
    recorded = format_timestamp(now)

    def add_once(tracker, suggestion):
        if find_credited_update(tracker, suggestion) is not None:
            return tracker
        update = build_accepted_update(
            tracker, suggestion, editor=editor, note=note, sources=sources, recorded=recorded
        )
        return insert_update(tracker, suggestion.rec_id, update, today=today)

    def decision(suggestion, tracker):
        return mark_accepted(suggestion, editor=editor, update=find_credited_update(tracker, suggestion), at=recorded)

    return suggestions.decide_with_tracker(reference, store, add_once, decision, today=today)


def decline_suggestion(suggestions: SuggestionStore, reference: str, *, editor: str, reason: str, now: datetime):
    """Decline a pending suggestion with the editors' reason."""
    at = format_timestamp(now)
    return suggestions.decide(reference, lambda current: decline(current, editor=editor, reason=reason, at=at))


def merge_suggestion(
    store, suggestions: SuggestionStore, reference: str, *, editor: str, into, now: datetime, today: date, reason=""
):
    """Mark a pending suggestion as merged into an update already recorded (the tracker is unchanged)."""
    tracker = store.load(today=today)
    at = format_timestamp(now)
    return suggestions.decide(
        reference,
        lambda current: merge(tracker, current, editor=editor, into=into, at=at, reason=reason),
    )


def read_suggestions_file(path: Path) -> list[Suggestion]:
    """A suggestions file by its own path (import and export). Raises ValidationFailed or OSError."""
    return parse_suggestions(read_file(Path(path), MAX_FILE_BYTES), Path(path).name)
