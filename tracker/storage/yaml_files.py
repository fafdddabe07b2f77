"""The YAML files backend: the default, and the source of truth kept in git.

The tracker is one YAML file; readers' suggestions are `<stem>.suggestions.yaml` beside it. Every
write takes the file's lock, re-reads, applies one pure change, validates, and replaces the file
atomically, so concurrent writers lose nothing and a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import yaml
from filelock import FileLock, Timeout

from ..errors import NotFound, Problem, StoreUnavailable, ValidationFailed
from ..model import Tracker
from ..suggestion import LIMITS, SUGGESTIONS_SCHEMA_VERSION, Limits, Suggestion, SuggestionLog, check_abuse, check_log
from ..validation import check_problems, validate_data, validate_model
from ..yaml_text import (
    MAX_FILE_BYTES,
    RenderedTexts,
    gc_paused,
    has_document_marker,
    parse_yaml,
    read_file,
    render_tracker,
    texts_from_file,
)
from .contract import Change, Operations


class YamlStore(Operations):
    """A tracker kept in one YAML file (the source of truth in git)."""

    def __init__(self, path, *, max_bytes: int = MAX_FILE_BYTES, lock_timeout: float = 30):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self._cache: tuple[tuple, Tracker] | None = None
        self._texts: RenderedTexts = {}
        self.suggestions = YamlSuggestionStore(self)

    def __repr__(self) -> str:
        return f"YamlStore({str(self.path)!r})"

    def describe(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def _identity(self) -> tuple:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise StoreUnavailable(f"The data file {self.path} does not exist; check the path.") from None
        except OSError as error:
            raise StoreUnavailable(f"The data file {self.path} cannot be read ({error.strerror}).") from None
        # os.replace gives every write a new inode, so this changes on every save.
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def revision(self) -> str:
        """Changes whenever the file does; a cheap cache key."""
        return "-".join(str(part) for part in self._identity())

    def load(self, *, today: date) -> Tracker:
        """The validated tracker. Raises ValidationFailed or StoreUnavailable."""
        identity = (*self._identity(), today)
        if self._cache and self._cache[0] == identity:
            return self._cache[1]
        try:
            raw = read_file(self.path, self.max_bytes)
        except OSError as error:
            raise StoreUnavailable(f"The data file {self.path} cannot be read ({error.strerror}).") from None
        with gc_paused():
            data, node = parse_yaml(raw, self.path.name, self.max_bytes)
            tracker = validate_data(data, today=today, filename=self.path.name, node=node)
            self._texts = texts_from_file(raw.decode("utf-8"), node, tracker)
        self._cache = (identity, tracker)
        return tracker

    def change(self, apply: Change, *, today: date) -> Tracker:
        with self._locked():
            return self._change_locked(apply, today=today)

    def replace(self, tracker: Tracker, *, today: date) -> Tracker:
        """Replace the whole tracker (imports); the file need not exist yet."""
        check_problems(tracker, today)
        with self._locked():
            # The current file is not read: an import may replace one that no longer validates.
            return self._write(None, tracker, today)

    def _target(self) -> Path:
        """The real file behind the path: a data file that is a link is written through, and the link kept."""
        return Path(os.path.realpath(self.path))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        target = self._target()
        try:
            # The lock sits beside the real file, so writers through different links queue on one lock.
            with FileLock(str(target.with_name(target.name + ".lock")), timeout=self.lock_timeout):
                remove_stale_temp_files(target)
                yield
        except Timeout:
            raise StoreUnavailable(BUSY) from None

    def _change_locked(self, apply: Change, *, today: date) -> Tracker:
        """One change, the caller holding the lock (`_locked`)."""
        current = self.load(today=today)
        return self._write(current, apply(current), today)

    def _write(self, current: Tracker | None, new: Tracker, today: date) -> Tracker:
        if new is current:
            return current
        text, texts = render_tracker(new, self._texts)
        if self._texts and has_document_marker(text):
            text, texts = render_tracker(new)  # never write after a marker the old file carried
        write_atomically(self._target(), text.encode("utf-8"))
        self._cache, self._texts = ((*self._identity(), today), new), texts
        return new


BUSY = "Another save is still in progress and did not finish in time; wait a moment and try again."


def remove_stale_temp_files(path: Path) -> None:
    """Delete the temp files a killed save left beside `path` (call it holding the store's lock: no
    save of ours is then in progress, so any such file is stale)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace a file so that a crash leaves either the old bytes or the new ones."""
    path = Path(path)
    folder = path.parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(payload)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
    # The rename itself must reach the disk too.
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# -- readers' suggestions ----------------------------------------------------------------------------

MAX_SUGGESTIONS_BYTES = 16 * 1024 * 1024


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


def not_found(reference: str) -> NotFound:
    return NotFound(f"There is no suggestion with the reference '{reference[:43]}'; check the link.")


class YamlSuggestionStore:
    """Suggestions in `<stem>.suggestions.yaml` beside a tracker file, with their own lock file."""

    def __init__(self, store: YamlStore):
        self.store = store
        self.path = suggestions_path(store.path)
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
        return [item for item in self._read() if state is None or item.state == state]

    def get(self, reference: str) -> Suggestion:
        for item in self._read():
            if item.reference == reference:
                return item
        raise not_found(reference)

    def _change(self, apply: Callable[[list[Suggestion]], list[Suggestion]]) -> None:
        try:
            with FileLock(str(self.path.with_name(self.path.name + ".lock")), timeout=self.store.lock_timeout):
                remove_stale_temp_files(self.path)
                new = apply(self._read())
                # Validated as a whole (unique references) before anything is written.
                text = dump_suggestions(check_log(new))
                write_atomically(self.path, text.encode("utf-8"))
        except Timeout:
            raise StoreUnavailable(BUSY) from None

    def submit(self, suggestion: Suggestion, *, tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion:
        def add(current):
            check_abuse(current, suggestion, tracker=tracker, now=now, limits=limits)
            return [*current, suggestion]

        self._change(add)
        return suggestion

    def _replace_one(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Callable:
        decided: list[Suggestion] = []

        def change(current):
            for index, item in enumerate(current):
                if item.reference == reference:
                    decided.append(apply(item))
                    return [*current[:index], decided[0], *current[index + 1 :]]
            raise not_found(reference)

        return change, decided

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion:
        change, decided = self._replace_one(reference, apply)
        self._change(change)
        return decided[0]

    def decide_with_change(self, reference: str, change, decision, *, today: date) -> Suggestion:
        """The tracker's change goes through its store's lock, validation and atomic write, inside the
        suggestions' lock (taken first, always). If the process dies between the two writes, the tracker
        holds the change and the suggestion is still pending; `change` must therefore be safe to run
        again (accepting looks for its credit first)."""

        def both(item: Suggestion) -> Suggestion:
            with self.store._locked():
                after = self.store._change_locked(lambda tracker: change(tracker, item), today=today)
            return decision(item, after)

        return self.decide(reference, both)

    def replace_all(self, suggestions: list[Suggestion]) -> None:
        self._change(lambda _current: list(suggestions))
