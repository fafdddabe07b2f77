"""Where a tracker lives. The YAML file is the default store.

Every write re-reads under a lock, applies one pure change from `edits`,
validates, and replaces the file atomically, so concurrent writers lose
nothing and a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Protocol

import yaml
from filelock import FileLock, Timeout

from . import edits
from .errors import StoreUnavailable, ValidationFailed
from .model import Recommendation, Tracker, Update, precision_of
from .validation import MAX_FILE_BYTES, check_problems, gc_paused, parse_yaml, too_big, validate_data

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Block style, multi-line text as literal blocks, keys in schema order."""


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _as_yaml_date(value: str):
    # A known day is written as a YAML date (unquoted); a month or year stays text.
    return date.fromisoformat(value) if precision_of(value) == "day" else value


def _to_yaml(data) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def _recommendation_data(rec: Recommendation) -> dict:
    data = rec.model_dump(mode="python")
    if data["review_interval_days"] is None:
        del data["review_interval_days"]
    if not data["metadata_changes"]:
        del data["metadata_changes"]
    for update in data["updates"]:
        update["date"] = _as_yaml_date(update["date"])
    return data


def dump_recommendation(rec: Recommendation) -> str:
    """One recommendation's canonical text, exactly as it stands in the tracker file."""
    return _to_yaml([_recommendation_data(rec)])


# Rendered text of recommendations, keyed by id() and holding the object itself, so an id is
# only trusted while that very (immutable) object is alive and the same.
RenderedTexts = dict[int, tuple[Recommendation, str]]


def render_tracker(tracker: Tracker, known: RenderedTexts | None = None) -> tuple[str, RenderedTexts]:
    """The tracker's text, re-rendering only recommendations not in `known`; also returns the
    texts of the recommendations it now holds (for the next write)."""
    head = tracker.model_dump(mode="python", exclude={"recommendations"})
    head["tracker"]["article"]["published"] = _as_yaml_date(head["tracker"]["article"]["published"])
    for event in head["context_events"]:
        event["date"] = _as_yaml_date(event["date"])
        if event["recorded"] is None:
            del event["recorded"]
    if not tracker.recommendations:
        return _to_yaml({**head, "recommendations": []}), {}
    texts: RenderedTexts = {}
    for rec in tracker.recommendations:
        cached = (known or {}).get(id(rec))
        texts[id(rec)] = cached if cached and cached[0] is rec else (rec, dump_recommendation(rec))
    body = "".join(text for _, text in texts.values())
    return _to_yaml(head) + "recommendations:\n" + body, texts


def dump_tracker(tracker: Tracker) -> str:
    """The canonical YAML text of a tracker: same data, same bytes."""
    return render_tracker(tracker)[0]


def texts_from_file(text: str, node, tracker: Tracker) -> RenderedTexts:
    """Each recommendation's text as it stands in a loaded file, when the file has the
    canonical layout (recommendations last, one `- ` item per recommendation at column 0).

    A write then re-renders only what it changed: the rest keeps its bytes. Returns {} for
    any other layout, and the next write renders everything."""
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return {}
    last_key, sequence = node.value[-1]
    if last_key.value != "recommendations" or not isinstance(sequence, yaml.SequenceNode):
        return {}
    items = sequence.value
    if len(items) != len(tracker.recommendations) or not items:
        return {}
    starts = [item.start_mark.index - 2 for item in items]
    if any(
        item.start_mark.column != 2 or text[start : start + 2] != "- "
        for item, start in zip(items, starts, strict=True)
    ):
        return {}
    if text[: starts[0]][-len("recommendations:\n") :] != "recommendations:\n":
        return {}
    ends = [*starts[1:], len(text)]
    return {
        id(rec): (rec, text[start:end]) for rec, start, end in zip(tracker.recommendations, starts, ends, strict=True)
    }


class Store(Protocol):
    """What the dashboard and the CLI need from any backend."""

    def load(self, *, today: date) -> Tracker: ...

    def revision(self) -> str: ...

    def append_update(self, rec_id: str, update: Update, *, today: date) -> Tracker: ...

    def add_recommendation(self, fields: dict, *, today: date) -> Tracker: ...

    def edit_recommendation(
        self, rec_id: str, changes: dict, *, expected: dict, author: str, recorded: str, today: date
    ) -> Tracker: ...


class EditsThroughChange:
    """The writes every store offers: each applies one pure change from `edits` through the
    store's own `_change` (which reads, locks, validates and writes in its own way)."""

    def append_update(self, rec_id: str, update: Update, *, today: date) -> Tracker:
        """Add one update; it merges with whatever others saved meanwhile."""
        return self._change(lambda current: edits.insert_update(current, rec_id, update, today=today), today=today)

    def add_recommendation(self, fields: dict, *, today: date) -> Tracker:
        """Add a recommendation with its baseline."""
        return self._change(lambda current: edits.add_recommendation(current, fields, today=today), today=today)

    def edit_recommendation(
        self, rec_id: str, changes: dict, *, expected: dict, author: str, recorded: str, today: date
    ) -> Tracker:
        """Change metadata; refuses with Conflict what someone else changed meanwhile."""
        return self._change(
            lambda current: edits.edit_recommendation(
                current, rec_id, changes, expected=expected, author=author, recorded=recorded, today=today
            ),
            today=today,
        )


class YamlStore(EditsThroughChange):
    """A tracker kept in one YAML file (the source of truth in git)."""

    def __init__(self, path, *, max_bytes: int = MAX_FILE_BYTES, lock_timeout: float = 30):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.lock_timeout = lock_timeout
        self._lock_path = self.path.with_name(self.path.name + ".lock")
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
        if identity[1] > self.max_bytes:
            raise ValidationFailed([too_big(self.path.name, identity[1], self.max_bytes)])
        try:
            raw = self.path.read_bytes()
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

    def _change(self, apply: Callable[[Tracker], Tracker], *, today: date, must_exist: bool = True) -> Tracker:
        try:
            with FileLock(str(self._lock_path), timeout=self.lock_timeout):
                current = self.load(today=today) if must_exist or self.path.exists() else None
                new = apply(current)
                if new is current:
                    return current
                text, texts = render_tracker(new, self._texts)
                self._write(text.encode("utf-8"))
                self._cache, self._texts = ((*self._identity(), today), new), texts
                return new
        except Timeout:
            raise StoreUnavailable(
                "Another save is still in progress and did not finish in time; wait a moment and try again."
            ) from None

    def _write(self, payload: bytes) -> None:
        write_atomically(self.path, payload)


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


DEFAULT_LOCATION = "data/recommendations.yaml"
_DATABASE_URL = re.compile(r"^(?:postgres|postgresql|sqlite)(?:\+[a-z0-9_]+)?://", re.IGNORECASE)


def is_database_url(location: str | os.PathLike) -> bool:
    """Whether a location names a database (postgresql://, postgresql+psycopg://, sqlite:///) rather than a file."""
    return bool(_DATABASE_URL.match(str(location).strip()))


def normalise_database_url(url: str) -> str:
    """Plain postgresql:// (or postgres://) URLs use the installed psycopg 3 driver."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.lower().startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def shown_location(location: str | os.PathLike) -> str:
    """A location safe to print: a database URL with its password hidden."""
    # Up to the last @: a password with an unencoded @ in it is hidden whole too.
    return re.sub(r"^([a-z0-9+]+://[^:/@]*):.*@", r"\1:***@", str(location), flags=re.IGNORECASE)


def configured_location(environ: Mapping[str, str] | None = None, secrets: Mapping | None = None) -> str:
    """Where the tracker lives, first found of: $TRACKER_DATABASE_URL, the secrets' database URL
    ([database] url = "..." or database_url = "..."), $TRACKER_DATA, the bundled YAML file."""
    environ = os.environ if environ is None else environ
    url = environ.get("TRACKER_DATABASE_URL", "").strip()
    if not url and secrets is not None:
        try:
            database = secrets.get("database")
            if isinstance(database, Mapping):
                url = str(database.get("url") or "").strip()
            if not url:
                url = str(secrets.get("database_url") or "").strip()
        except FileNotFoundError:  # Streamlit raises it when there is no secrets file at all
            url = ""
    if url:
        return normalise_database_url(url)
    return environ.get("TRACKER_DATA", "").strip() or DEFAULT_LOCATION


def open_store(location: str | os.PathLike) -> Store:
    """The store for a location: SqlStore for a database URL, else YamlStore for a YAML file."""
    if is_database_url(location):
        from .database import SqlStore  # SQLAlchemy is imported only when a database is used

        return SqlStore(normalise_database_url(str(location)))
    return YamlStore(location)
