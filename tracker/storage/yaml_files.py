"""The YAML files backend: the default, and the source of truth kept in git.

The tracker is one YAML file; readers' suggestions are `<stem>.suggestions.yaml` beside it. Every
write takes the file's lock, re-reads, applies one pure change, validates, and replaces the file
atomically, so concurrent writers lose nothing and a crash leaves either the old file or the new one.

Parsing and validating YAML is slow (a tracker of 100 recommendations takes about 0.2 s, 10,000 about
12 s), so a store may keep what it read in a cache folder (`ParsedCache`, outside the data): the
validated tracker of each file, keyed by the SHA-256 of the file's bytes, which a restart then reads
back in a tenth of the time. The file stays the source of truth: it is read and hashed on every load,
and an entry that does not match it exactly is never used.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import io
import json
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pydantic
import pydantic_core
import yaml
from filelock import FileLock, Timeout

from .. import model
from ..errors import NotFound, Problem, StoreUnavailable, ValidationFailed
from ..model import Tracker
from ..suggestion import LIMITS, SUGGESTIONS_SCHEMA_VERSION, Limits, Suggestion, SuggestionLog, check_abuse, check_log
from ..validation import check_problems, check_tracker, validate_data, validate_model
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

    def __init__(
        self, path, *, max_bytes: int = MAX_FILE_BYTES, lock_timeout: float = 30, cache: ParsedCache | None = None
    ):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self.parsed = cache  # what earlier loads (of any process) parsed and validated, if kept
        self._cache: tuple[tuple, Tracker] | None = None
        self._texts: RenderedTexts = {}
        self._suggestions_path = suggestions_path(self.path)
        self._suggestions_read: tuple[tuple, list[Suggestion]] | None = None  # (the file's identity, its suggestions)

    def __repr__(self) -> str:
        return f"YamlStore({str(self.path)!r})"

    @property
    def suggestions(self) -> YamlSuggestionStore:
        """The suggestions beside the file, made on each use rather than kept: the suggestion store refers to
        this one, and a store referred to back would be freed only by the cyclic collector, which a load
        pauses (yaml_text.gc_paused) and then leaves to its rare full collections: a dropped store's
        tracker would stay in memory long after (what they parsed is kept here, so nothing is parsed twice)."""
        return YamlSuggestionStore(self)

    def describe(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def _identity(self) -> tuple:
        return file_identity(self.path)

    def revision(self) -> str:
        """Changes whenever the file does; a cheap cache key."""
        return file_revision(self.path)

    def load(self, *, today: date) -> Tracker:
        """The validated tracker. Raises ValidationFailed or StoreUnavailable."""
        return self._load(today, keep=True)

    def _load(self, today: date, *, keep: bool) -> Tracker:
        """`keep`: write what was parsed to the cache folder (not inside a save: the entry would be stale
        as soon as the save has written)."""
        identity = (*self._identity(), today)
        if self._cache and self._cache[0] == identity:
            return self._cache[1]
        try:
            raw = read_file(self.path, self.max_bytes)
        except OSError as error:
            raise StoreUnavailable(f"The data file {self.path} cannot be read ({error.strerror}).") from None
        digest = hashlib.sha256(raw).hexdigest()
        with gc_paused():
            found = self.parsed.read(self.path, digest) if self.parsed else None
            if found is not None and self._still_valid(found, today, digest, keep):
                tracker, lengths, _ = found
                self._texts = texts_of(raw.decode("utf-8"), tracker, lengths)
            else:
                data, node = parse_yaml(raw, self.path.name, self.max_bytes)
                tracker = validate_data(data, today=today, filename=self.path.name, node=node)
                self._texts = texts_from_file(raw.decode("utf-8"), node, tracker)
                if self.parsed and keep:
                    self.parsed.write(self.path, digest, tracker, lengths_of(tracker, self._texts), today)
        self._cache = (identity, tracker)
        return tracker

    def _still_valid(self, found: tuple, today: date, digest: str, keep: bool) -> bool:
        """Whether a cached tracker passes today's rules. Only the rules across fields depend on the day (a
        date may not be in the future): they run again on another day, and the entry is rewritten with
        that day; a tracker that fails them is parsed again, so the problems name their lines."""
        tracker, lengths, checked_on = found
        if checked_on == today:
            return True
        if check_tracker(tracker, today):
            return False
        if keep:
            self.parsed.write(self.path, digest, tracker, lengths, today)
        return True

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
        current = self._load(today, keep=False)
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


def file_identity(path: Path) -> tuple:
    """(inode, size, modification time) of a tracker file. Raises StoreUnavailable."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StoreUnavailable(f"The data file {path} does not exist; check the path.") from None
    except OSError as error:
        raise StoreUnavailable(f"The data file {path} cannot be read ({error.strerror}).") from None
    # os.replace gives every write a new inode, so this changes on every save.
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def file_revision(path: Path) -> str:
    """A tracker file's revision (what its store's `revision` says), from one stat."""
    return "-".join(str(part) for part in file_identity(path))


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


# -- the cache of parsed files ------------------------------------------------------------------------

CACHE_SETTING = "TRACKER_CACHE_DIR"
CACHE_FORMAT = 1
_MAGIC = b"tracker-parsed-yaml\n"
_STALE_ENTRY_S = 30 * 24 * 3600  # an entry no load has written for a month belongs to a file nobody reads
_STALE_TEMP_S = 3600  # a temporary file this old was left by a writer that was killed


def configured_cache(environ) -> ParsedCache | None:
    """The cache folder `TRACKER_CACHE_DIR` names ("off": none), else one of this user's under the
    system's temporary folder. Never inside the data: the data folder is what git reviews."""
    setting = (environ.get(CACHE_SETTING) or "").strip()
    if setting.lower() == "off":
        return None
    folder = Path(setting) if setting else Path(tempfile.gettempdir()) / f"tracker-cache-{os.getuid()}"
    return parsed_cache(str(folder.absolute()))


@functools.cache
def parsed_cache(folder: str) -> ParsedCache:
    """One cache object per folder and process, so its once-a-process sweep runs once."""
    return ParsedCache(Path(folder))


@functools.cache
def code_version() -> str:
    """What a parsed tracker depends on besides the file's bytes: this package's source (the schema, the
    parser, the rules across fields) and the versions of Python and of the libraries that build it."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode("utf-8") + b"\0" + source.read_bytes() + b"\0")
    digest.update(f"{sys.version}|{pydantic.VERSION}|{pydantic_core.__version__}|{yaml.__version__}".encode())
    return digest.hexdigest()


# What an entry may name when unpickled: the tracker's model classes, and dates.
_DATES = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = getattr(model, name, None) if module == model.__name__ else None
        if isinstance(found, type) and issubclass(found, pydantic.BaseModel):
            return found
        if (module, name) in _DATES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a tracker")


class ParsedCache:
    """Validated trackers kept between runs in a folder: one entry per data file (named by a hash of
    its real path), holding that path, the SHA-256 of the bytes it was parsed from, the code that parsed them
    (`code_version`), the day its rules were checked on and the tracker (with where each recommendation's
    text starts, for the partial re-render of the next write).

    An entry is pickled. Unpickling can run code, so an entry is read only from a folder that this user
    owns and nobody else may open (checked before every read; links refused): only this code, running as
    this user, can have written it. Its classes are further limited to the tracker's model, and it is used
    only when the file's bytes, the code and the payload's own SHA-256 (a torn write) all match; anything
    else is a miss, and the file is parsed as if there were no cache. Every write is atomic (a temporary
    file renamed over the entry), so concurrent writers leave one whole entry; a folder that cannot be
    written only makes loads slower."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._swept = False

    def __repr__(self) -> str:
        return f"ParsedCache({str(self.folder)!r})"

    def entry(self, path) -> Path:
        name = hashlib.sha256(os.fsencode(_real(path))).hexdigest()[:32]
        return self.folder / f"{name}.parsed"

    def serves(self, path) -> bool:
        """Whether this folder may keep what was parsed from `path`: never when it lies in the data file's
        own folder (or below it), which is what git reviews and what a deployment ships."""
        folder = Path(os.path.realpath(self.folder))
        data_folder = Path(os.path.realpath(path)).parent
        return folder != data_folder and data_folder not in folder.parents

    def _private(self, *, create: bool) -> bool:
        """Whether the folder is this user's alone (created so when missing and `create`)."""
        try:
            if create:
                os.makedirs(self.folder, mode=0o700, exist_ok=True)
            info = os.lstat(self.folder)
        except OSError:
            return False
        return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077

    def read(self, path, digest: str) -> tuple[Tracker, list[int] | None, date] | None:
        """(the tracker, its recommendations' text lengths, the day it was checked on) parsed from the bytes
        whose SHA-256 is `digest`, or None."""
        if not self.serves(path) or not self._private(create=False):
            return None
        try:
            handle = os.open(self.entry(path), os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
                return None
            with os.fdopen(os.dup(handle), "rb") as stream:
                blob = stream.read()
        except OSError:
            return None
        finally:
            os.close(handle)
        if not blob.startswith(_MAGIC):
            return None
        header_end = blob.find(b"\n", len(_MAGIC))
        if header_end < 0:
            return None
        try:
            header = json.loads(blob[len(_MAGIC) : header_end])
            payload = memoryview(blob)[header_end + 1 :]
            wanted = {"format": CACHE_FORMAT, "code": code_version(), "file": _real(path), "digest": digest}
            if any(header.get(key) != value for key, value in wanted.items()):
                return None
            if hashlib.sha256(payload).hexdigest() != header.get("payload"):
                return None
            tracker, lengths = _ModelUnpickler(io.BytesIO(payload)).load()
            checked_on = date.fromisoformat(header["checked_on"])
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, whatever unpickling it raises
            return None
        if not isinstance(tracker, Tracker) or not (lengths is None or isinstance(lengths, list)):
            return None
        return tracker, lengths, checked_on

    def write(self, path, digest: str, tracker: Tracker, lengths: list[int] | None, checked_on: date) -> None:
        """Keep a tracker validated on `checked_on`, parsed from the bytes whose SHA-256 is `digest`."""
        if not self.serves(path) or not self._private(create=True):
            return
        payload = pickle.dumps((tracker, lengths), protocol=pickle.HIGHEST_PROTOCOL)
        header = {
            "format": CACHE_FORMAT,
            "code": code_version(),
            "file": _real(path),
            "digest": digest,
            "checked_on": checked_on.isoformat(),
            "payload": hashlib.sha256(payload).hexdigest(),
        }
        entry = self.entry(path)
        try:
            handle, temp_name = tempfile.mkstemp(dir=self.folder, prefix=f".{entry.name}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as temp:  # mkstemp: readable and writable by this user only
                    temp.write(_MAGIC + json.dumps(header).encode("ascii") + b"\n")
                    temp.write(payload)
                os.replace(temp_name, entry)
            except BaseException:
                if os.path.exists(temp_name):
                    os.unlink(temp_name)
                raise
        except OSError:
            return  # a full or read-only disk: loads stay correct, only slower
        if not self._swept:
            self._swept = True
            self.sweep()

    def sweep(self, now: float | None = None) -> None:
        """Remove the entries no load has written for a month and the temporary files of killed writers."""
        now = time.time() if now is None else now
        for child in self.folder.glob("*"):
            limit = _STALE_TEMP_S if child.name.endswith(".tmp") else _STALE_ENTRY_S
            if not child.name.endswith((".tmp", ".parsed")):
                continue
            try:
                if now - child.lstat().st_mtime > limit:
                    child.unlink()
            except OSError:
                continue


def _real(path) -> str:
    """The file an entry belongs to: its real path (a link and its target share one entry)."""
    return os.fsdecode(os.path.realpath(path))


def lengths_of(tracker: Tracker, texts: RenderedTexts) -> list[int] | None:
    """The length of each recommendation's text in its file (None when the layout keeps none)."""
    if not texts:
        return None
    return [len(texts[id(rec)][1]) for rec in tracker.recommendations]


def texts_of(text: str, tracker: Tracker, lengths: list[int] | None) -> RenderedTexts:
    """Each recommendation's text in a file, from the lengths `lengths_of` kept: the recommendations are the
    file's last items, one after the other (`texts_from_file`)."""
    if not lengths or len(lengths) != len(tracker.recommendations) or sum(lengths) > len(text):
        return {}
    texts, start = {}, len(text) - sum(lengths)
    for rec, length in zip(tracker.recommendations, lengths, strict=True):
        texts[id(rec)] = (rec, text[start : start + length])
        start += length
    return texts


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
        self.path = store._suggestions_path

    def __repr__(self) -> str:
        return f"YamlSuggestionStore({str(self.path)!r})"

    def _read(self) -> list[Suggestion]:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StoreUnavailable(f"The suggestions file {self.path} cannot be read ({error.strerror}).") from None
        # Every write replaces the file (a new inode), so an unchanged identity means unchanged content:
        # the Edit page, which reads the queue on every rerun, parses it only when it changed.
        identity = (info.st_ino, info.st_size, info.st_mtime_ns)
        kept = self.store._suggestions_read
        if kept is not None and kept[0] == identity:
            return list(kept[1])
        try:
            raw = read_file(self.path, MAX_SUGGESTIONS_BYTES)
        except OSError as error:
            raise StoreUnavailable(f"The suggestions file {self.path} cannot be read ({error.strerror}).") from None
        suggestions = parse_suggestions(raw, self.path.name)
        self.store._suggestions_read = (identity, suggestions)
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
