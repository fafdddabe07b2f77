"""The SQL backend: documents and their readers' suggestions in PostgreSQL (deployments) or SQLite.

A database holds several documents (`tracker_documents`, in order), each a tracker of its own: every
row of every other table carries its `document`, and every key includes it, so recommendation ids are
unique within a document only. A store is one document's (`SqlStore(url, document=id)`; no id: the
first document), and everything it reads or writes is that document's rows alone.

It behaves like the YAML backend, through the same contract (`contract.Store`). Every write
1. takes the document's writers' lock: its row of `tracker_documents` (SELECT ... FOR NO KEY UPDATE on
   PostgreSQL; BEGIN IMMEDIATE on SQLite), so writers of one document queue instead of racing, and
   writers of other documents never wait for them (on PostgreSQL);
2. reads the document's tracker (from the cache when its revision counter says nothing changed);
3. applies one pure change from `edits`, which validates what it changed;
4. writes only the difference (new rows, changed rows) and bumps the document's revision;
5. commits. A refused change rolls back and writes nothing.

Reads cost one tiny query while the document's revision counter is unchanged; otherwise a few bulk
SELECTs of the document's rows (each names it; every key and index starts with it) build the plain
data, which is validated exactly like a YAML file. Each table's columns are listed once (`_Fields`); a
model field that has no column of its own travels in the row's `extra` JSON, so an optional field added
to the schema needs no new column.

Suggestions live in `tracker_suggestions`, one row each with the whole suggestion as JSON, beside their
document's rows; accepting one changes the tracker and records the decision in one transaction.
"""

from __future__ import annotations

import collections
import json
import os
import re
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from ..errors import NotFound, StoreUnavailable
from ..location import DOCUMENT_ID, normalise_database_url
from ..model import Tracker, format_timestamp
from ..suggestion import LIMITS, Limits, Suggestion, SuggestionLog, check_abuse, check_log
from ..validation import check_problems, validate_data
from ..yaml_text import gc_paused
from .contract import Change, Operations

# The version of these tables (not of the tracker format); bump it with a migration.
DB_SCHEMA_VERSION = 5

# The id of the document a database of one tracker (tables of version 3 or older) moves into, and of the
# first document a store without a document id creates: every URL without `#id` opens it.
FIRST_DOCUMENT = "main"

CONNECT_TIMEOUT = 5  # seconds to wait for a PostgreSQL server before giving up
LOCK_TIMEOUT = 30  # seconds a writer waits for another writer to finish
_CHUNK = 5000  # rows per bulk INSERT
# PostgreSQL advisory locks: creating the tables (one key), writing one document's suggestions (this
# class, and the hash of the document's id).
_TABLES_LOCK = 7301512023
_SUGGESTIONS_LOCK_CLASS = 73015120
BUSY = "Another save is still in progress and did not finish in time; wait a moment and try again."


@dataclass(frozen=True)
class _Fields:
    """The model fields a table keeps in columns of their own, in column order; `json` are kept as
    JSON text. Everything else the model holds (but `children`, kept in tables of their own) goes
    in the `extra` column. Tables, SELECTs, row writers and readers are all made from this."""

    table: Table
    fields: tuple[str, ...]
    json: frozenset[str] = frozenset()
    children: frozenset[str] = frozenset()

    def select(self, document: str, *keys):
        """A SELECT of one document's rows: the `keys` columns, then every field column (JSON ones as
        text), then extra."""
        c = self.table.c
        columns = [c[key] for key in keys]
        columns += [_as_text(c[name]) if name in self.json else c[name] for name in self.fields]
        return select(*columns, c.extra).where(c.document == document)

    def read(self, rows, skip: int) -> list[dict]:
        """Plain data from the rows of `select` (after `skip` key columns); JSON decoded in bulk."""
        decoded = {
            name: _decode(row[skip + n] for row in rows) for n, name in enumerate(self.fields) if name in self.json
        }
        extras = _decode(row[-1] for row in rows)
        items = []
        for i, row in enumerate(rows):
            item = {
                name: decoded[name][i] if name in self.json else row[skip + n] for n, name in enumerate(self.fields)
            }
            items.append(item | (extras[i] or {}))
        return items

    def row(self, model, **keys) -> dict:
        """The row of one model object: its field columns, its other non-default fields as extra."""
        data = model.model_dump(mode="json", exclude=set(self.children))
        extra = {
            name: value
            for name, value in model.model_dump(mode="json", exclude_defaults=True, exclude=set(self.children)).items()
            if name not in self.fields
        }
        row = {**keys, **{name: data[name] for name in self.fields}}
        row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
        return row


metadata = MetaData()

# One row (id = 1): the version of these tables, and the documents' list: `revision` is bumped when a
# document is added, and the row's lock makes adding documents queue.
meta = Table(
    "tracker_meta",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("schema_version", Integer, nullable=False),
    Column("revision", BigInteger, nullable=False),
    # Changes when the tables are created afresh, so a cache never outlives a rebuilt database.
    Column("instance", String(32), nullable=False),
)

# One row per document, in order (the first is the default): its revision counter, which every write to
# the document bumps, and its writers' lock. `instance` is set when the document is added, so a
# document removed and added again never repeats a revision.
documents = Table(
    "tracker_documents",
    metadata,
    Column("id", Text, primary_key=True),
    Column("position", Integer, nullable=False, unique=True),
    Column("revision", BigInteger, nullable=False),
    Column("instance", String(32), nullable=False),
)


def _document(**options) -> Column:
    """The column that says whose row it is: every key starts with it."""
    return Column("document", Text, ForeignKey("tracker_documents.id", ondelete="CASCADE"), nullable=False, **options)


# One row per document: the tracker's own format version and its settings, kept as JSON.
settings_table = Table(
    "tracker_settings",
    metadata,
    _document(primary_key=True),
    Column("tracker_schema_version", Integer, nullable=False),
    Column("settings", JSON, nullable=False),
    # The tracker's other top-level lists (its reviews, the corrections of its settings, its translations) as JSON text,
    # or NULL when it has none: they are read and written whole, with the settings.
    Column("extra", Text, nullable=True),
)

context_events = Table(
    "tracker_context_events",
    metadata,
    _document(),
    Column("position", Integer, nullable=False, autoincrement=False),
    Column("id", Text, nullable=False),
    Column("date", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("recorded", Text, nullable=True),
    Column("extra", Text, nullable=True),
    PrimaryKeyConstraint("document", "position"),
    UniqueConstraint("document", "id"),
)

recommendations = Table(
    "tracker_recommendations",
    metadata,
    _document(),
    Column("id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("addressees", JSON, nullable=False),
    Column("category", Text, nullable=False),
    Column("priority", Text, nullable=False),
    Column("implied", Boolean, nullable=False),
    Column("review_interval_days", Integer, nullable=True),
    Column("assessment", JSON, nullable=True),
    Column("criteria", Text, nullable=True),
    Column("extra", Text, nullable=True),
    PrimaryKeyConstraint("document", "id"),
    UniqueConstraint("document", "position"),
)


def _of_recommendation() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["document", "recommendation_id"],
        ["tracker_recommendations.document", "tracker_recommendations.id"],
        ondelete="CASCADE",
    )


# `position` orders a recommendation's updates; a back-dated update shifts the later ones.
updates = Table(
    "tracker_updates",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("document", Text, nullable=False),
    Column("recommendation_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("date", Text, nullable=False),
    Column("status", Text, nullable=False),  # "" for a review, which states no status
    Column("note", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("author", Text, nullable=False),
    Column("recorded", Text, nullable=False),
    Column("extra", Text, nullable=True),
    _of_recommendation(),
    Index("tracker_updates_order", "document", "recommendation_id", "position"),
)

metadata_changes = Table(
    "tracker_metadata_changes",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("document", Text, nullable=False),
    Column("recommendation_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("field", Text, nullable=False),
    Column("old", JSON(none_as_null=False), nullable=True),
    Column("new", JSON(none_as_null=False), nullable=True),
    Column("author", Text, nullable=False),
    Column("recorded", Text, nullable=False),
    Column("extra", Text, nullable=True),  # the change's optional fields (its reason), as JSON
    _of_recommendation(),
    Index("tracker_metadata_changes_order", "document", "recommendation_id", "position"),
)

suggestions_table = Table(
    "tracker_suggestions",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    _document(),
    Column("reference", Text, nullable=False),
    Column("rec_id", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("submitted", Text, nullable=False),
    Column("client", Text, nullable=False),
    Column("data", Text, nullable=False),  # the whole suggestion as JSON text
    UniqueConstraint("document", "reference"),
    Index("tracker_suggestions_state", "document", "state"),
    Index("tracker_suggestions_client", "document", "client", "submitted"),
)

# A document's tracker, children first: the order to empty the tables in.
_DATA_TABLES = (metadata_changes, updates, recommendations, context_events, settings_table)
# Every table whose rows belong to a document, children first.
_DOCUMENT_TABLES = (suggestions_table, *_DATA_TABLES)

EVENT_FIELDS = _Fields(
    context_events, ("id", "date", "kind", "title", "note", "sources", "recorded"), frozenset({"sources"})
)
RECOMMENDATION_FIELDS = _Fields(
    recommendations,
    (
        "title",
        "quote",
        "addressees",
        "category",
        "priority",
        "implied",
        "review_interval_days",
        "assessment",
        "criteria",
    ),
    frozenset({"addressees", "assessment"}),
    frozenset({"id", "updates", "metadata_changes"}),
)
UPDATE_FIELDS = _Fields(updates, ("date", "status", "note", "sources", "author", "recorded"), frozenset({"sources"}))


_CHANGE_COLUMNS = ("field", "old", "new", "author", "recorded")
# The Tracker's own lists kept in the settings row's `extra` (the recommendations and the context
# events have tables of their own): read and written whole, with the settings, when one of them changes.
_HEAD_LISTS = ("reviews", "settings_changes", "translations")


def _change_row(document: str, rec_id: str, position: int, change) -> dict:
    data = change.model_dump(mode="json")
    extra = {
        name: value
        for name, value in change.model_dump(mode="json", exclude_defaults=True).items()
        if name not in _CHANGE_COLUMNS
    }
    return {
        "document": document,
        "recommendation_id": rec_id,
        "position": position,
        **{name: data[name] for name in _CHANGE_COLUMNS},
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None,
    }


def _head_extra(tracker: Tracker) -> str | None:
    data = tracker.model_dump(mode="json", include=set(_HEAD_LISTS), exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None


# -- migrations -------------------------------------------------------------------------------------


def _upgrade_1_to_2(conn: Connection) -> None:
    """Version 2 adds each recommendation's assessment and criteria, and context events' record times.

    Rows from version 1 have neither; the tracker then says what is missing, in plain words, until an
    import with --replace brings the new fields."""
    for table, column, kind in (
        ("tracker_recommendations", "assessment", "TEXT"),
        ("tracker_recommendations", "criteria", "TEXT"),
        ("tracker_context_events", "recorded", "TEXT"),
    ):
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))


def _upgrade_2_to_3(conn: Connection) -> None:
    """Version 3 gives recommendations, updates and context events an `extra` JSON column for the
    schema's optional fields (empty on every existing row: they hold none)."""
    for table in ("tracker_recommendations", "tracker_updates", "tracker_context_events"):
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN extra TEXT"))


def _upgrade_3_to_4(conn: Connection) -> None:
    """Version 4 holds several documents: the one tracker of the tables and its readers' suggestions
    become the document `main`, the first, with the tracker's revision counter and instance (so every
    link, setting and cached copy made before means the same tracker). See `_move_into_documents`."""
    _move_into_documents(conn)


def _upgrade_4_to_5(conn: Connection) -> None:
    """Version 5 keeps a tracker's reviews and corrections of its settings (in the settings row's new
    `extra`) and the reason of a metadata change (in its new `extra`); older rows have none of them."""
    look = inspect(conn)
    for table in ("tracker_settings", "tracker_metadata_changes"):
        # Tables rebuilt by the step from version 3 are today's and have the column already.
        if look.has_table(table) and "extra" not in {c["name"] for c in look.get_columns(table)}:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN extra TEXT"))


# Steps from one table version to the next.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _upgrade_1_to_2,
    2: _upgrade_2_to_3,
    3: _upgrade_3_to_4,
    4: _upgrade_4_to_5,
}


def _move_into_documents(conn: Connection) -> None:
    """Rebuild the tables of one tracker (version 3 or older, and a suggestions table made before any
    tracker) with a `document` column, their rows becoming the document `main`'s. SQLite cannot change
    a table's keys, so both databases do it the same way, in the caller's transaction: read every row
    through today's column types, drop the old tables, create today's, write the rows back. Each
    table's `seq` is given afresh, in the old order. Tables that already have the column (made by this
    version, then marked older by hand) are left as they are."""
    look = inspect(conn)
    present = [table for table in _DOCUMENT_TABLES if look.has_table(table.name)]
    if not present or any("document" in {c["name"] for c in look.get_columns(t.name)} for t in present):
        return
    rows = {}
    for table in present:
        # Only the columns the old table has (a column a later version added is left empty).
        old = {c["name"] for c in look.get_columns(table.name)}
        columns = [column for column in table.c if column.name in old and column.name not in ("document", "seq")]
        order = table.c.seq if "seq" in table.c else columns[0]
        rows[table.name] = [dict(row) for row in conn.execute(select(*columns).order_by(order)).mappings()]
    head = None
    if look.has_table(meta.name):
        head = conn.execute(select(meta.c.revision, meta.c.instance).where(meta.c.id == 1)).first()
    for table in present:  # children first
        table.drop(conn)
    metadata.create_all(conn, checkfirst=True)
    if not rows.get(settings_table.name) and not rows.get(suggestions_table.name):
        return  # no tracker and no suggestion: no document
    revision, instance = (int(head[0]), head[1]) if head is not None else (0, uuid.uuid4().hex)
    conn.execute(insert(documents).values(id=FIRST_DOCUMENT, position=0, revision=revision, instance=instance))
    if head is not None:
        conn.execute(update(meta).where(meta.c.id == 1).values(revision=meta.c.revision + 1))
    for table in reversed(present):  # parents first
        _insert(conn, table, [{"document": FIRST_DOCUMENT, **row} for row in rows[table.name]])


class SqlStore(Operations):
    """One document of a database: PostgreSQL (postgresql://...) or SQLite (sqlite:///path.db)."""

    def __init__(self, url: str | URL, document: str | None = None):
        # `document` names the document (None: the first one the database holds). Only `replace` adds a
        # document the database does not hold; everything else says plainly that there is none.
        if document is not None and not DOCUMENT_ID.match(document):
            raise StoreUnavailable(
                f"'{document[:60]}' is not a valid document id; use lowercase letters, digits and hyphens."
            )
        self.document = document
        self.url = _parse(url)
        self.dialect = self.url.get_backend_name()
        # The engine (and its pool of connections) is the database's, shared by every store of the URL
        # (ENGINES): a server showing a hundred documents holds one pool, not a hundred.
        self._share: _Share | None = None
        self._release = None
        self._acquire()
        self._ready = False
        # ((document id, revision counter, instance, today), the tracker)
        self._cache: tuple[tuple, Tracker] | None = None
        self._hidden = [self.url.password] if self.url.password else []

    @property
    def suggestions(self) -> SqlSuggestionStore:
        """The document's readers' suggestions, made on each use rather than kept: the suggestion store refers
        to this one, and a store referred to back would be freed only by the cyclic collector, which a load
        pauses (yaml_text.gc_paused) and then leaves to its rare full collections: every store the dashboard's
        cache let go of would keep its whole tracker in memory long after (as yaml_files.YamlStore)."""
        return SqlSuggestionStore(self)

    def __repr__(self) -> str:
        shown = self.describe()
        return f"SqlStore({shown!r})" if self.document is None else f"SqlStore({shown!r}, document={self.document!r})"

    def describe(self) -> str:
        """The URL with the password hidden (and `#id` for a named document), safe to print."""
        shown = self.url.render_as_string(hide_password=True)
        return shown if self.document is None else f"{shown}#{self.document}"

    # -- reading ---------------------------------------------------------------------------------

    def revision(self) -> str:
        """Changes on every write to this document (and only then); one tiny query."""
        with self._guard():
            self._prepare()
            _document, counter, instance = self._peek()
        return f"{counter}:{instance}"

    def load(self, *, today: date) -> Tracker:
        """The validated tracker. Raises StoreUnavailable or ValidationFailed."""
        with self._guard():
            self._prepare()
            document, counter, instance = self._peek()
            if document is None:
                raise self._absent()
            cached = self._cache
            if cached and cached[0] == (document, counter, instance, today):
                return cached[1]
            with self.engine.connect() as conn:
                if self.dialect == "postgresql":
                    # One consistent snapshot for the counter and every table.
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    found = self._document_row(conn, lock=False)
                    tracker = None if found is None else self._read(conn, found[0], today)
        if tracker is None:
            raise self._absent(held=found is not None)
        self._cache = ((*found, today), tracker)
        return tracker

    def exists(self) -> bool:
        """Whether a tracker was saved in this document (a new database, or a document it does not
        hold, holds none)."""
        with self._guard():
            self._prepare()
            with self.engine.connect() as conn:
                found = self._document_row(conn, lock=False)
                if found is None:
                    return False
                s = settings_table.c
                return conn.execute(select(s.document).where(s.document == found[0])).first() is not None

    def document_ids(self) -> list[str]:
        """The ids of every document the database holds, in order (see `list_documents`)."""
        with self._guard():
            self._prepare()
            with self.engine.connect() as conn:
                return list(conn.scalars(select(documents.c.id).order_by(documents.c.position)))

    # -- writing ---------------------------------------------------------------------------------

    def change(self, apply: Change, *, today: date) -> Tracker:
        return self._transaction(lambda conn: self._change_within(conn, apply, today=today))

    def replace(self, tracker: Tracker, *, today: date) -> Tracker:
        """Replace the whole tracker (imports), adding the document when the database does not hold it
        yet (last in order). Validates first."""
        check_problems(tracker, today)
        return self._transaction(
            lambda conn: self._change_within(conn, lambda _current: tracker, today=today, replace=True)
        )

    def _transaction(self, work: Callable[[Connection], tuple]):
        """Run `work` in one write transaction; it returns (result, the cache to keep once committed)."""
        with self._guard(writing=True):
            self._prepare()
            with self.engine.connect() as conn:
                conn.execution_options(tracker_write=True)
                with conn.begin():
                    result, cache = work(conn)
            if cache is not None:
                self._cache = cache
            return result

    def _change_within(self, conn: Connection, apply, *, today: date, replace: bool = False):
        """One change inside a write transaction the caller holds: returns the tracker after it and the
        cache to keep once the transaction commits (None when nothing changed)."""
        if self.dialect == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}s'")
        found = self._document_row(conn, lock=True)
        if found is None:
            if not replace:
                raise self._absent()
            found = self._add_document(conn)
        document, counter, instance = found
        # An import does not read what it replaces (which may no longer validate).
        current = None if replace else self._current(conn, (document, counter, instance, today))
        if current is None and not replace:
            raise self._absent(held=True)
        new = apply(current)
        if new is current and not replace:
            return current, None
        if replace:
            _write_all(conn, document, new)
        else:
            _write_delta(conn, document, current, new)
        conn.execute(update(documents).where(documents.c.id == document).values(revision=counter + 1))
        return new, ((document, counter + 1, instance, today), new)

    def _add_document(self, conn: Connection) -> tuple[str, int, str]:
        """Add this store's document after the others (an import into a document the database does not
        hold yet). The list's lock (the `tracker_meta` row) makes two imports at once add it once."""
        conn.execute(select(meta.c.revision).where(meta.c.id == 1).with_for_update()).one()
        found = self._document_row(conn, lock=True)  # added meanwhile by another import
        if found is not None:
            return found
        document = self.document or FIRST_DOCUMENT
        position = conn.scalar(select(func.coalesce(func.max(documents.c.position) + 1, 0)))
        instance = uuid.uuid4().hex
        conn.execute(insert(documents).values(id=document, position=position, revision=0, instance=instance))
        conn.execute(update(meta).where(meta.c.id == 1).values(revision=meta.c.revision + 1))
        return document, 0, instance

    def _current(self, conn: Connection, key: tuple) -> Tracker | None:
        cached = self._cache
        if cached and cached[0] == key:
            return cached[1]
        tracker = self._read(conn, key[0], key[3])
        if tracker is not None:
            self._cache = (key, tracker)
        return tracker

    # -- queries ---------------------------------------------------------------------------------

    def _peek(self, *, again: bool = True) -> tuple[str | None, int, str]:
        """(the document's id, its revision counter, its instance) in one small query that also reads the
        tables' version; (None, 0, the tables' instance) for the first document of a database that holds
        none yet."""
        m, d = meta.c, documents.c
        if self.document is not None:
            match = d.id == self.document
        else:
            first = documents.alias("first_document")
            match = d.position == select(func.min(first.c.position)).scalar_subquery()
        query = (
            select(m.schema_version, m.instance, d.id, d.revision, d.instance.label("document_instance"))
            .select_from(meta.outerjoin(documents, match))
            .where(m.id == 1)
        )
        with self._peek_engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise StoreUnavailable(f"The tracker tables in {self._where()} are incomplete (no revision row).")
        if row[0] != DB_SCHEMA_VERSION and again:
            # Another version of the app changed the tables since this store prepared them: migrate them
            # (or refuse newer ones) before reading anything.
            self._ready = False
            self._prepare()
            return self._peek(again=False)
        if row[2] is None:
            if self.document is not None:
                raise self._absent()
            return None, 0, row[1]
        return row[2], int(row[3]), row[4]

    def _document_row(self, conn: Connection, *, lock: bool) -> tuple[str, int, str] | None:
        """(id, revision counter, instance) of this store's document, or None when the database holds no
        such document. `lock` takes the document's writers' lock: FOR NO KEY UPDATE serializes
        PostgreSQL writers of this document, and lets rows that refer to it be written meanwhile
        (readers' suggestions); SQLite ignores it (BEGIN IMMEDIATE did that)."""
        d = documents.c
        query = select(d.id, d.revision, d.instance)
        if self.document is not None:
            query = query.where(d.id == self.document)
        else:
            query = query.order_by(d.position).limit(1)
        row = conn.execute(query.with_for_update(key_share=True) if lock else query).first()
        return None if row is None else (row[0], int(row[1]), row[2])

    def _read(self, conn: Connection, document: str, today: date) -> Tracker | None:
        """The document's tracker, validated exactly like a YAML file; None when none was saved."""
        with gc_paused():
            data = _fetch(conn, document)
            return None if data is None else validate_data(data, today=today, filename="database")

    # -- tables ----------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Create the tables on first use, or migrate them; once per store object."""
        if self._ready:
            return
        with self.engine.connect() as conn:
            found = self._table_version(conn)
            conn.rollback()
        if found != DB_SCHEMA_VERSION:
            with self.engine.connect() as conn:
                conn.execution_options(tracker_write=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        # Two first users at once: one creates, the other waits and finds the tables.
                        conn.execute(text(f"SELECT pg_advisory_xact_lock({_TABLES_LOCK})"))
                    found = self._table_version(conn)
                    if found is None:
                        _move_into_documents(conn)  # a suggestions table made before any tracker
                        metadata.create_all(conn, checkfirst=True)
                        conn.execute(
                            insert(meta).values(
                                id=1, schema_version=DB_SCHEMA_VERSION, revision=0, instance=uuid.uuid4().hex
                            )
                        )
                    elif found > DB_SCHEMA_VERSION:
                        raise StoreUnavailable(
                            f"The tables in {self._where()} were set up by a newer version of the tracker "
                            f"(table version {found}; this version knows {DB_SCHEMA_VERSION}). Update the app."
                        )
                    else:
                        for version in range(found, DB_SCHEMA_VERSION):
                            MIGRATIONS[version](conn)
                        conn.execute(update(meta).where(meta.c.id == 1).values(schema_version=DB_SCHEMA_VERSION))
        self._ready = True

    def _table_version(self, conn: Connection) -> int | None:
        if not inspect(conn).has_table(meta.name):
            return None
        row = conn.execute(select(meta.c.schema_version).where(meta.c.id == 1)).first()
        return None if row is None else int(row[0])

    # -- the shared engine --------------------------------------------------------------------------

    def _acquire(self) -> _Share:
        if self._share is None:
            self._share = ENGINES.acquire(self.url)
            # A store dropped without dispose() lets go of its share when it is collected.
            self._release = weakref.finalize(self, ENGINES.collected, self._share)
        return self._share

    @property
    def engine(self) -> Engine:
        """The database's engine, shared with every other store of the same URL."""
        return self._acquire().engine

    @property
    def _peek_engine(self) -> Engine:
        return self._acquire().peek

    def dispose(self) -> None:
        """Let go of this store's share of the database's engine: the last store of a URL to let go closes
        its pooled connections (the other stores of the URL keep theirs). A store used again after this
        takes a share again; disposing twice lets go once."""
        if self._release is not None and self._release.detach() is not None:  # a share is let go once
            ENGINES.release(self._share)
        self._share = self._release = None

    # -- errors ----------------------------------------------------------------------------------

    def _where(self) -> str:
        if self.dialect == "sqlite":
            return f"the SQLite database file {self.url.database}"
        host = self.url.host or "localhost"
        return f"the PostgreSQL database '{self.url.database or ''}' on {host}, port {self.url.port or 5432}"

    def _empty_message(self) -> str:
        return (
            f"{_capital(self._where())} holds no tracker yet; copy one in with "
            f"`python -m tracker import data/recommendations.yaml --to DATABASE_URL`."
        )

    def _absent(self, *, held: bool = False) -> StoreUnavailable:
        """Why there is nothing to read, in one plain sentence: the database holds no tracker yet (asked
        for its first document), no such document, or the document (`held`) holds no tracker yet."""
        if self.document is None:
            return StoreUnavailable(self._empty_message())
        where = _capital(self._where())
        copy = f"copy one in with `python -m tracker import FILE --to DATABASE_URL#{self.document}`."
        if held:
            return StoreUnavailable(f"{where} holds no tracker in the document '{self.document}' yet; {copy}")
        try:
            held_ids = self.document_ids()
        except StoreUnavailable:
            held_ids = []
        if not held_ids:
            return StoreUnavailable(f"{where} holds no document '{self.document}' (it holds none yet); {copy}")
        shown = ", ".join(f"'{doc_id}'" for doc_id in held_ids[:10])
        if len(held_ids) > 10:
            shown += f" and {len(held_ids) - 10} more"
        return StoreUnavailable(
            f"{where} holds no document '{self.document}'; it holds {shown}. Check the document id, or {copy}"
        )

    @contextmanager
    def _guard(self, *, writing: bool = False) -> Iterator[None]:
        """Turn driver errors into one plain StoreUnavailable sentence, without the password."""
        try:
            yield
        except sa_exc.DBAPIError as error:
            if not _connection_problem(error):
                # A table may have been removed behind our back: look again next time.
                self._ready = False
            raise StoreUnavailable(self._explain(error, writing)) from None
        except sa_exc.SQLAlchemyError as error:
            raise StoreUnavailable(f"Could not use {self._where()}: {self._scrub(str(error))}") from None

    def _scrub(self, message: str) -> str:
        first = message.strip().splitlines()[0] if message.strip() else "no details"
        for secret in self._hidden:
            first = first.replace(secret, "***")
        return first.rstrip(".")

    def _explain(self, error: sa_exc.DBAPIError, writing: bool) -> str:
        detail = str(error.orig) if error.orig is not None else str(error)
        low = detail.lower()
        where = self._where()
        if "lock timeout" in low or "database is locked" in low or "lock not available" in low:
            return "Another save is still in progress and did not finish in time; wait a moment and try again."
        if self.dialect == "sqlite":
            if "unable to open" in low:
                return f"Could not open {where}; check that its folder exists and that the app may write there."
            return f"Could not use {where} ({self._scrub(detail)})."
        if _lost(low):
            maybe = " The change may or may not have been saved; reload to check." if writing else ""
            return f"Lost the connection to {where}. Check that the database server is running, then try again.{maybe}"
        reason = _reason(low, self.url)
        if reason is not None:
            return (
                f"Could not connect to {where}: {reason}. Check that the database server is running and that "
                "the host, port, database name, user name and password in the database URL are right."
            )
        if "permission denied" in low:
            return (
                f"The database user may not read or change the tracker tables in {where} "
                f"({self._scrub(detail)}); ask the database owner to grant access."
            )
        return f"The database refused the request ({where}): {self._scrub(detail)}."


def _capital(text_: str) -> str:
    return text_[:1].upper() + text_[1:]


_LOST = (
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection is lost",
    "consuming input failed",
    "ssl connection has been closed",
    "connection not open",
    "could not receive data",
    "could not send data",
)


def _lost(low: str) -> bool:
    return not low.startswith("connection failed") and any(marker in low for marker in _LOST)


def _connection_problem(error: sa_exc.DBAPIError) -> bool:
    return bool(error.connection_invalidated) or isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError))


def _reason(low: str, url: URL) -> str | None:
    """Why a PostgreSQL connection failed, in plain words; None when it is not a connection failure."""
    if "password authentication failed" in low or "no password supplied" in low:
        return f"the user name '{url.username or ''}' or its password was refused"
    if re.search(r'database ".*" does not exist', low):
        return f"the server has no database named '{url.database or ''}'"
    if re.search(r'role ".*" does not exist', low):
        return f"the server has no user named '{url.username or ''}'"
    if "connection refused" in low:
        return "nothing answered at that host and port (connection refused)"
    if "could not translate host name" in low or "name or service not known" in low or "nodename nor" in low:
        return "the host name could not be found"
    if "timeout" in low or "timed out" in low:
        return f"the server did not answer within {CONNECT_TIMEOUT} seconds"
    if "pg_hba.conf" in low:
        return "the server does not accept connections from this machine or user (pg_hba.conf)"
    if "too many" in low and "connection" in low:
        return "the server has too many connections open"
    if "starting up" in low or "shutting down" in low or "in recovery mode" in low:
        return "the server is starting up or shutting down"
    if "ssl" in low or "tls" in low:
        return "the secure-connection settings do not match the server's (check sslmode in the URL)"
    if low.startswith("connection failed") or "connection to server" in low:
        return "the connection failed"
    return None


def _parse(url: str | URL) -> URL:
    if isinstance(url, str) and url.partition("://")[2].count("@") > 1:
        # SQLAlchemy would take part of the password for the host name, and show it in messages.
        raise StoreUnavailable(
            "The database URL has more than one @: write an @ (or another special character) in the user "
            "name or password percent-encoded, for example @ as %40."
        )
    try:
        parsed = make_url(normalise_database_url(url) if isinstance(url, str) else url)
    except sa_exc.ArgumentError:
        raise StoreUnavailable(
            "The database URL could not be read; write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE "
            "or sqlite:///path/to/file.db."
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise StoreUnavailable(f"Only PostgreSQL and SQLite databases are supported, not '{backend}'.")
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StoreUnavailable("An SQLite tracker needs a file: write the URL as sqlite:///path/to/file.db.")
    return parsed


@dataclass
class _Share:
    """One database's engine, and the stores holding it (`count`)."""

    key: str
    engine: Engine
    peek: Engine  # the same engine for the revision check, which needs no transaction: one statement
    count: int = 0


class Engines:
    """One engine per database URL, shared by the stores of that URL and reference-counted: a store takes
    a share when made (`acquire`) and lets go when disposed or collected (`release`); the last to let go
    closes the pool and the engine is forgotten, so tests that dispose their stores leave no connection
    open, and the next store of the URL makes a new engine."""

    def __init__(self):
        self._forget()
        # A process forked from this one (multiprocessing, a server's workers) must never use its parent's
        # connections: their sockets are the parent's. It starts with no engine, and leaves the parent's
        # open (closing them would close the parent's sockets too).
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()  # a lock another thread held at the fork would stay held
        self._shares: dict[str, _Share] = {}
        self._collected: collections.deque[_Share] = collections.deque()

    def acquire(self, url: URL) -> _Share:
        key = url.render_as_string(hide_password=False)
        with self._lock:
            closed = self._settle(keep=key)
            share = self._shares.get(key)
            if share is None:
                engine = _make_engine(url)
                if url.get_backend_name() == "postgresql":
                    peek = engine.execution_options(isolation_level="AUTOCOMMIT")
                else:
                    peek = engine.execution_options(tracker_no_begin=True)
                share = self._shares[key] = _Share(key, engine, peek)
            share.count += 1
        _close(closed)
        return share

    def release(self, share: _Share) -> None:
        with self._lock:
            self._collected.append(share)
            closed = self._settle()
        _close(closed)

    def collected(self, share: _Share) -> None:
        """A finalizer's release: only queued (deque.append takes no lock of ours), and counted by the next
        call that holds the lock. A collection may run anywhere, even inside `acquire` holding the lock, and
        closing a pool is no work for the collector."""
        self._collected.append(share)

    def _settle(self, keep: str | None = None) -> list[Engine]:
        """Count the queued releases (the lock held); returns the engines no store holds any more (but
        `keep`'s, about to be taken again)."""
        closed = []
        while self._collected:
            share = self._collected.popleft()
            if self._shares.get(share.key) is not share:
                continue  # closed already, or a parent process's (before a fork)
            share.count -= 1
            if share.count <= 0 and share.key != keep:
                del self._shares[share.key]
                closed.append(share.engine)
        return closed

    def held(self) -> dict[str, int]:
        """How many stores hold each database's engine (URLs with their passwords hidden)."""
        with self._lock:
            closed = self._settle()
            found = {make_url(key).render_as_string(hide_password=True): s.count for key, s in self._shares.items()}
        _close(closed)
        return found


def _close(engines: list[Engine]) -> None:
    for engine in engines:
        engine.dispose()


ENGINES = Engines()


def _make_engine(url: URL) -> Engine:
    try:
        if url.get_backend_name() == "postgresql":
            connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT}
            # pre-ping: a connection the server dropped is replaced, never reused.
            return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)
        engine = create_engine(url, pool_pre_ping=True, connect_args={"timeout": LOCK_TIMEOUT})
    except (ImportError, sa_exc.NoSuchModuleError, sa_exc.ArgumentError) as error:
        raise StoreUnavailable(
            f"The database driver for {url.drivername} cannot be loaded ({error}); "
            "install the packages in requirements.txt."
        ) from None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy, not the sqlite3 module, decides when a transaction begins (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # Readers keep reading while one writer writes.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer takes the write lock before it reads, so two writers queue instead of both
        # reading the same revision; readers get a consistent snapshot.
        options = conn.get_execution_options()
        if options.get("tracker_no_begin"):
            return  # the revision check: one SELECT, no transaction needed
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("tracker_write") else "BEGIN")

    return engine


# -- reading rows ------------------------------------------------------------------------------------


def _fetch(conn: Connection, document: str) -> dict | None:
    """A few bulk SELECTs of one document's rows into the plain data of a tracker file."""
    s = settings_table.c
    head = conn.execute(select(s.tracker_schema_version, s.settings, s.extra).where(s.document == document)).first()
    if head is None:
        return None
    rows = conn.execute(EVENT_FIELDS.select(document).order_by(context_events.c.position)).all()
    events = [
        {k: v for k, v in item.items() if not (k == "recorded" and v is None)} for item in EVENT_FIELDS.read(rows, 0)
    ]
    r = recommendations.c
    rows = conn.execute(RECOMMENDATION_FIELDS.select(document, "id").order_by(r.position)).all()
    recs = {
        row[0]: {"id": row[0], **item, "updates": [], "metadata_changes": []}
        for row, item in zip(rows, RECOMMENDATION_FIELDS.read(rows, 1), strict=True)
    }
    u = updates.c
    rows = conn.execute(
        UPDATE_FIELDS.select(document, "recommendation_id").order_by(u.recommendation_id, u.position)
    ).all()
    for row, item in zip(rows, UPDATE_FIELDS.read(rows, 1), strict=True):
        item["status"] = item["status"] or None  # "" is a review's
        recs[row[0]]["updates"].append(item)
    m = metadata_changes.c
    rows = conn.execute(
        select(m.recommendation_id, m.field, _as_text(m.old), _as_text(m.new), m.author, m.recorded, m.extra)
        .where(m.document == document)
        .order_by(m.recommendation_id, m.position)
    ).all()
    olds, news = _decode(row[2] for row in rows), _decode(row[3] for row in rows)
    extras = _decode(row[6] for row in rows)
    for row, old, new, extra in zip(rows, olds, news, extras, strict=True):
        recs[row[0]]["metadata_changes"].append(
            {"field": row[1], "old": old, "new": new, "author": row[4], "recorded": row[5]} | (extra or {})
        )
    return {
        "schema_version": head[0],
        "tracker": head[1],
        "context_events": events,
        **json.loads(head[2] or "{}"),
        "recommendations": list(recs.values()),
    }


def _as_text(column):
    """A JSON column read as its text, to decode a whole column at once (see _decode)."""
    return cast(column, Text)


def _decode(texts) -> list:
    """Many JSON texts decoded in one call: far quicker than one json.loads per row."""
    return json.loads("[" + ",".join("null" if item is None else item for item in texts) + "]")


# -- writing rows ------------------------------------------------------------------------------------


def _update_row(document: str, rec_id: str, position: int, item) -> dict:
    row = UPDATE_FIELDS.row(item, document=document, recommendation_id=rec_id, position=position)
    row["status"] = row["status"] or ""  # a review states no status
    return row


def _insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(table), rows[start : start + _CHUNK])


def _insert_recommendations(conn: Connection, document: str, numbered) -> None:
    recs, ups, changes = [], [], []
    for position, rec in numbered:
        recs.append(RECOMMENDATION_FIELDS.row(rec, document=document, id=rec.id, position=position))
        ups.extend(_update_row(document, rec.id, n, item) for n, item in enumerate(rec.updates))
        changes.extend(_change_row(document, rec.id, n, item) for n, item in enumerate(rec.metadata_changes))
    _insert(conn, recommendations, recs)
    _insert(conn, updates, ups)
    _insert(conn, metadata_changes, changes)


def _write_head(conn: Connection, document: str, tracker: Tracker) -> None:
    """The settings and the context events, rewritten whole (they are small)."""
    conn.execute(delete(context_events).where(context_events.c.document == document))
    conn.execute(delete(settings_table).where(settings_table.c.document == document))
    conn.execute(
        insert(settings_table).values(
            document=document,
            tracker_schema_version=tracker.schema_version,
            settings=tracker.settings.model_dump(mode="json"),
            extra=_head_extra(tracker),
        )
    )
    events = [EVENT_FIELDS.row(e, document=document, position=n) for n, e in enumerate(tracker.context_events)]
    _insert(conn, context_events, events)


def _delete_recommendations(conn: Connection, document: str) -> None:
    for table in (metadata_changes, updates, recommendations):
        conn.execute(delete(table).where(table.c.document == document))


def _write_all(conn: Connection, document: str, tracker: Tracker) -> None:
    """Replace every row of the document (an import)."""
    _delete_recommendations(conn, document)
    _write_head(conn, document, tracker)
    _insert_recommendations(conn, document, enumerate(tracker.recommendations))


def _write_delta(conn: Connection, document: str, old: Tracker, new: Tracker) -> None:
    """Write only what changed. `edits` copies the tracker shallowly: what a change did not touch is
    the very same object, so unchanged parts cost an identity test."""
    head_changed = (
        new.schema_version != old.schema_version
        or (new.settings is not old.settings and new.settings != old.settings)
        or any(getattr(new, name) != getattr(old, name) for name in _HEAD_LISTS)
    )
    if head_changed or (new.context_events is not old.context_events and new.context_events != old.context_events):
        _write_head(conn, document, new)
    before_ids = [rec.id for rec in old.recommendations]
    if [rec.id for rec in new.recommendations[: len(before_ids)]] != before_ids:
        # Removed or reordered (no edit does that today): rewrite every recommendation.
        _delete_recommendations(conn, document)
        _insert_recommendations(conn, document, enumerate(new.recommendations))
        return
    for before, after in zip(old.recommendations, new.recommendations, strict=False):
        if after is not before:
            _write_recommendation_delta(conn, document, before, after)
    count = len(old.recommendations)
    _insert_recommendations(conn, document, enumerate(new.recommendations[count:], start=count))


def _write_recommendation_delta(conn: Connection, document: str, before, after) -> None:
    before_row = RECOMMENDATION_FIELDS.row(before, id=before.id, position=0)
    after_row = RECOMMENDATION_FIELDS.row(after, id=after.id, position=0)
    changed = {name: value for name, value in after_row.items() if value != before_row[name] and name != "position"}
    r = recommendations.c
    if changed:
        conn.execute(update(recommendations).where(r.document == document, r.id == after.id).values(**changed))
    u = updates.c
    its_updates = and_(u.document == document, u.recommendation_id == after.id)
    inserted = _insertions(before.updates, after.updates)
    if inserted is None:
        # An update itself was corrected: rewrite this recommendation's updates.
        conn.execute(delete(updates).where(its_updates))
        _insert(conn, updates, [_update_row(document, after.id, n, item) for n, item in enumerate(after.updates)])
    else:
        length = len(before.updates)
        for index in inserted:
            if index < length:
                # A back-dated update: make room for it.
                conn.execute(update(updates).where(its_updates, u.position >= index).values(position=u.position + 1))
            conn.execute(insert(updates).values(_update_row(document, after.id, index, after.updates[index])))
            length += 1
    logged = len(before.metadata_changes)
    if after.metadata_changes[:logged] != before.metadata_changes:
        m = metadata_changes.c
        conn.execute(delete(metadata_changes).where(m.document == document, m.recommendation_id == after.id))
        logged = 0
    _insert(
        conn,
        metadata_changes,
        [_change_row(document, after.id, n, c) for n, c in enumerate(after.metadata_changes[logged:], start=logged)],
    )


def _insertions(old: list, new: list) -> list[int] | None:
    """Indexes in `new` of the items added to `old`, or None when an item of `old` was changed or
    removed (then the caller rewrites them all)."""
    added, kept = [], 0
    for index, item in enumerate(new):
        if kept < len(old) and (item is old[kept] or item == old[kept]):
            kept += 1
        else:
            added.append(index)
    return added if kept == len(old) else None


# -- readers' suggestions ----------------------------------------------------------------------------


def _suggestion_row(document: str, item: Suggestion) -> dict:
    return {
        "document": document,
        "reference": item.reference,
        "rec_id": item.rec_id,
        "state": item.state,
        "submitted": item.submitted,
        "client": item.client,
        "data": json.dumps(item.model_dump(mode="json", exclude_none=True), ensure_ascii=False, sort_keys=True),
    }


def _suggestions(values) -> list[Suggestion]:
    rows = [json.loads(value) for value in values]
    return list(SuggestionLog.model_validate({"schema_version": 1, "suggestions": rows}).suggestions)


def not_found(reference: str) -> NotFound:
    return NotFound(f"There is no suggestion with the reference '{reference[:43]}'; check the link.")


class SqlSuggestionStore:
    """One document's readers' suggestions: its rows of `tracker_suggestions`, beside its tracker's.
    Every write is one transaction that first takes the document's suggestions' writers' lock (a
    transaction advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), then re-reads, checks and
    writes, so concurrent submissions queue and the abuse limits hold across app instances. A
    suggestion never bumps the tracker's revision, and never waits for a save of the tracker."""

    def __init__(self, store: SqlStore):
        self.store = store

    def __repr__(self) -> str:
        return f"SqlSuggestionStore({self.store.describe()!r})"

    def _document(self, conn: Connection, *, required: bool) -> str | None:
        """The id of the store's document; None for the first document of a database that holds none
        yet, unless `required` (a write). A document the database does not hold is refused plainly."""
        found = self.store._document_row(conn, lock=False)
        if found is None and (required or self.store.document is not None):
            raise self.store._absent()
        return None if found is None else found[0]

    def _lock(self, conn: Connection, document: str) -> None:
        if self.store.dialect == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(CAST(:kind AS integer), hashtext(:document))"),
                {"kind": _SUGGESTIONS_LOCK_CLASS, "document": document},
            )

    def _write(self, work: Callable[[Connection, str], tuple]):
        """`work(conn, document)` returns (result, a tracker cache to keep or None), in one transaction
        holding the document's suggestions' lock."""
        with self.store._guard(writing=True):
            self.store._prepare()
            with self.store.engine.connect() as conn:
                conn.execution_options(tracker_write=True)
                with conn.begin():
                    document = self._document(conn, required=True)
                    self._lock(conn, document)
                    result, cache = work(conn, document)
        if cache is not None:
            self.store._cache = cache
        return result

    def list(self, *, state: str | None = None) -> list[Suggestion]:
        with self.store._guard():
            self.store._prepare()
            with self.store.engine.connect() as conn:
                document = self._document(conn, required=False)
                if document is None:
                    return []
                c = suggestions_table.c
                query = select(c.data).where(c.document == document).order_by(c.seq)
                if state is not None:
                    query = query.where(c.state == state)
                return _suggestions(conn.scalars(query))

    def _one(self, conn: Connection, document: str, reference: str) -> Suggestion:
        c = suggestions_table.c
        value = conn.scalar(select(c.data).where(c.document == document, c.reference == reference))
        if value is None:
            raise not_found(reference)
        return Suggestion.model_validate(json.loads(value))

    def get(self, reference: str) -> Suggestion:
        with self.store._guard():
            self.store._prepare()
            with self.store.engine.connect() as conn:
                document = self._document(conn, required=False)
                if document is None:
                    raise not_found(reference)
                return self._one(conn, document, reference)

    def submit(self, suggestion: Suggestion, *, tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion:
        def add(conn, document):
            # Only what the rules look at: the document's pending ones and this client's recent ones there
            # (decided suggestions pile up; the unique reference refuses a reused one).
            c = suggestions_table.c
            since = format_timestamp(now - limits.window)
            query = select(c.data).where(
                c.document == document,
                or_(c.state == "pending", and_(c.client == suggestion.client, c.submitted > since)),
            )
            check_abuse(_suggestions(conn.scalars(query.order_by(c.seq))), suggestion, tracker=tracker, now=now,
                        limits=limits)  # fmt: skip
            conn.execute(insert(suggestions_table).values(_suggestion_row(document, suggestion)))
            return suggestion, None

        return self._write(add)

    def _save_decision(self, conn: Connection, document: str, decided: Suggestion) -> None:
        c = suggestions_table.c
        row = _suggestion_row(document, decided)
        mine = and_(c.document == document, c.reference == decided.reference)
        conn.execute(update(suggestions_table).where(mine).values(**row))

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion:
        def change(conn, document):
            decided = apply(self._one(conn, document, reference))
            self._save_decision(conn, document, decided)
            return decided, None

        return self._write(change)

    def decide_with_change(self, reference: str, change, decision, *, today: date) -> Suggestion:
        """One transaction holding the document's suggestions' lock, then its tracker's (always in that
        order)."""

        def both(conn, document):
            current = self._one(conn, document, reference)
            after, cache = self.store._change_within(conn, lambda tracker: change(tracker, current), today=today)
            decided = decision(current, after)
            self._save_decision(conn, document, decided)
            return decided, cache

        return self._write(both)

    def replace_all(self, suggestions: list[Suggestion]) -> None:
        checked = check_log(suggestions)

        def replace(conn, document):
            conn.execute(delete(suggestions_table).where(suggestions_table.c.document == document))
            if checked:
                conn.execute(insert(suggestions_table), [_suggestion_row(document, item) for item in checked])
            return None, None

        self._write(replace)


def read_heads(url: str) -> dict[str, tuple[str, str | None]]:
    """Every document's revision (what its store's `revision` says) and title (None when it holds no
    tracker yet), by id in order, in one query: a page that names or sums up a hundred documents asks the
    database once, not once per document, and loads none of them. The title is the one stored, read
    without validating the document (loading it says what is wrong with it)."""
    store = SqlStore(url)
    try:
        with store._guard():
            try:
                rows = _read_heads(store)
            except sa_exc.DBAPIError:
                rows = None  # no tables yet, or a version's that lacks what is read: as any store would,
            if rows is None:  # make them this version's first (an error then is said plainly)
                store._prepare()
                rows = _read_heads(store) or []
        return {row[0]: (f"{int(row[1])}:{row[2]}", row[3]) for row in rows}
    finally:
        store.dispose()


def _read_heads(store: SqlStore) -> list | None:
    """The rows of read_heads, or None when the tables are another version's."""
    m, d, s = meta.c, documents.c, settings_table.c
    query = (
        select(m.schema_version, d.id, d.revision, d.instance, s.settings["title"].as_string())
        .select_from(meta.join(documents, true()).outerjoin(settings_table, s.document == d.id))
        .where(m.id == 1)
        .order_by(d.position)
    )
    with store._peek_engine.connect() as conn:
        rows = conn.execute(query).all()
    if rows and rows[0][0] != DB_SCHEMA_VERSION:
        return None
    if not rows:  # no document yet, or tables another version of the app has not migrated
        with store._peek_engine.connect() as conn:
            version = conn.scalar(select(m.schema_version).where(m.id == 1))
        return [] if version == DB_SCHEMA_VERSION else None
    return [row[1:] for row in rows]


def list_documents(url: str) -> list[str]:
    """The ids of the documents a database holds, in order (the first is the default; a new database:
    none). Older tables are migrated first, so a database of one tracker lists `main`."""
    store = SqlStore(url)
    try:
        return store.document_ids()
    finally:
        store.dispose()
