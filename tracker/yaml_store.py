"""The YAML file store: the default, and the source of truth kept in git.

Every write re-reads under a lock, applies one pure change from `edits`,
validates, and replaces the file atomically, so concurrent writers lose
nothing and a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from filelock import FileLock, Timeout

from .edits import EditsThroughChange
from .errors import StoreUnavailable
from .model import Tracker
from .validation import check_problems, validate_data
from .yaml_text import (
    MAX_FILE_BYTES,
    RenderedTexts,
    gc_paused,
    has_document_marker,
    parse_yaml,
    read_file,
    render_tracker,
    texts_from_file,
)


class YamlStore(EditsThroughChange):
    """A tracker kept in one YAML file (the source of truth in git)."""

    def __init__(self, path, *, max_bytes: int = MAX_FILE_BYTES, lock_timeout: float = 30):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self._cache: tuple[tuple, Tracker] | None = None
        self._texts: RenderedTexts = {}

    def __repr__(self) -> str:
        return f"YamlStore({str(self.path)!r})"

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

    def save(self, tracker: Tracker, *, today: date) -> Tracker:
        """Replace the whole tracker (used by imports). Validates first."""
        return self._change(lambda _current: _checked(tracker, today), today=today, must_exist=False)

    def _target(self) -> Path:
        """The real file behind the path: a data file that is a link is written through, and the link kept."""
        return Path(os.path.realpath(self.path))

    def _change(self, apply: Callable[[Tracker], Tracker], *, today: date, must_exist: bool = True) -> Tracker:
        target = self._target()
        try:
            # The lock sits beside the real file, so writers through different links queue on one lock.
            with FileLock(str(target.with_name(target.name + ".lock")), timeout=self.lock_timeout):
                remove_stale_temp_files(target)
                current = self.load(today=today) if must_exist or self.path.exists() else None
                new = apply(current)
                if new is current:
                    return current
                text, texts = render_tracker(new, self._texts)
                if self._texts and has_document_marker(text):
                    text, texts = render_tracker(new)  # never write after a marker the old file carried
                write_atomically(target, text.encode("utf-8"))
                self._cache, self._texts = ((*self._identity(), today), new), texts
                return new
        except Timeout:
            raise StoreUnavailable(
                "Another save is still in progress and did not finish in time; wait a moment and try again."
            ) from None


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


def _checked(tracker: Tracker, today: date) -> Tracker:
    check_problems(tracker, today)
    return tracker
