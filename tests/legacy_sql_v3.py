"""FROZEN for the migration tests: the SQL backend as it was at table version 3 (commit ea0814e,
`tracker/storage/sql.py`, one tracker per database, no documents table), verbatim but for its imports,
made absolute. `tests/test_sql.py` builds a version-3 database with it, then opens it with today's code.
Never change it; it is not used by the app.

The original docstring follows.

The SQL backend: a tracker and its readers' suggestions in PostgreSQL (deployments) or SQLite.

It behaves like the YAML backend, through the same contract (`contract.Store`). Every write
1. takes the writers' lock: the single row of `tracker_meta` (SELECT ... FOR UPDATE on PostgreSQL;
   BEGIN IMMEDIATE on SQLite), so writers queue instead of racing;
2. reads the current tracker (from the cache when the revision counter says nothing changed);
3. applies one pure change from `edits`, which validates what it changed;
4. writes only the difference (new rows, changed rows) and bumps the revision;
5. commits. A refused change rolls back and writes nothing.

Reads cost one tiny query while the revision counter is unchanged; otherwise a few bulk SELECTs build
the plain data, which is validated exactly like a YAML file. Each table's columns are listed once
(`_Fields`); a model field that has no column of its own travels in the row's `extra` JSON, so an
optional field added to the schema needs no new column.

Suggestions live in `tracker_suggestions`, one row each with the whole suggestion as JSON; accepting
one changes the tracker and records the decision in one transaction.
"""

from __future__ import annotations

import json
import re
import uuid
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
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    cast,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from tracker.errors import NotFound, StoreUnavailable
from tracker.location import normalise_database_url
from tracker.model import Tracker, format_timestamp
from tracker.storage.contract import Change, Operations
from tracker.suggestion import LIMITS, Limits, Suggestion, SuggestionLog, check_abuse, check_log
from tracker.validation import check_problems, validate_data
from tracker.yaml_text import gc_paused

# The version of these tables (not of the tracker format); bump it with a migration.
DB_SCHEMA_VERSION = 3


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


# Steps from one table version to the next.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _upgrade_1_to_2, 2: _upgrade_2_to_3}

CONNECT_TIMEOUT = 5  # seconds to wait for a PostgreSQL server before giving up
LOCK_TIMEOUT = 30  # seconds a writer waits for another writer to finish
_CHUNK = 5000  # rows per bulk INSERT
_TABLES_LOCK = 7301512023  # PostgreSQL advisory locks: creating the tables, writing suggestions
_SUGGESTIONS_LOCK = 7301512024
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

    def select(self, *keys):
        """A SELECT of the `keys` columns, then every field column (JSON ones as text), then extra."""
        c = self.table.c
        columns = [c[key] for key in keys]
        columns += [_as_text(c[name]) if name in self.json else c[name] for name in self.fields]
        return select(*columns, c.extra)

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

# One row (id = 1): the revision counter every write bumps, and the writers' lock.
meta = Table(
    "tracker_meta",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("schema_version", Integer, nullable=False),
    Column("revision", BigInteger, nullable=False),
    # Changes when the tables are created afresh, so a cache never outlives a rebuilt database.
    Column("instance", String(32), nullable=False),
)

# One row (id = 1): the tracker's own format version and its settings, kept as JSON.
settings_table = Table(
    "tracker_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("tracker_schema_version", Integer, nullable=False),
    Column("settings", JSON, nullable=False),
)

context_events = Table(
    "tracker_context_events",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("id", Text, nullable=False, unique=True),
    Column("date", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("recorded", Text, nullable=True),
    Column("extra", Text, nullable=True),
)

recommendations = Table(
    "tracker_recommendations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("position", Integer, nullable=False, unique=True),
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
)

# `position` orders a recommendation's updates; a back-dated update shifts the later ones.
updates = Table(
    "tracker_updates",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("recommendation_id", Text, ForeignKey("tracker_recommendations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("date", Text, nullable=False),
    Column("status", Text, nullable=False),  # "" for a review, which states no status
    Column("note", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("author", Text, nullable=False),
    Column("recorded", Text, nullable=False),
    Column("extra", Text, nullable=True),
    Index("tracker_updates_order", "recommendation_id", "position"),
)

metadata_changes = Table(
    "tracker_metadata_changes",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("recommendation_id", Text, ForeignKey("tracker_recommendations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("field", Text, nullable=False),
    Column("old", JSON(none_as_null=False), nullable=True),
    Column("new", JSON(none_as_null=False), nullable=True),
    Column("author", Text, nullable=False),
    Column("recorded", Text, nullable=False),
    Index("tracker_metadata_changes_order", "recommendation_id", "position"),
)

# Children first: the order to empty the tables in.
_DATA_TABLES = (metadata_changes, updates, recommendations, context_events, settings_table)

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


def _change_row(rec_id: str, position: int, change) -> dict:
    # Metadata changes keep no extra: their five fields are the whole model.
    return {"recommendation_id": rec_id, "position": position, **change.model_dump(mode="json")}


suggestions_metadata = MetaData()

suggestions_table = Table(
    "tracker_suggestions",
    suggestions_metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("reference", Text, nullable=False, unique=True),
    Column("rec_id", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("submitted", Text, nullable=False),
    Column("client", Text, nullable=False),
    Column("data", Text, nullable=False),  # the whole suggestion as JSON text
    Index("tracker_suggestions_state", "state"),
    Index("tracker_suggestions_client", "client", "submitted"),
)


class SqlStore(Operations):
    """A tracker in PostgreSQL (postgresql://...) or SQLite (sqlite:///path.db)."""

    def __init__(self, url: str | URL, document: str | None = None):
        # One document per database for now: `document` names it (None: the first and only one).
        self.document = document
        self.url = _parse(url)
        self.dialect = self.url.get_backend_name()
        self.engine = _make_engine(self.url)
        # The revision check needs no transaction: one statement, one round trip.
        if self.dialect == "postgresql":
            self._peek_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        else:
            self._peek_engine = self.engine.execution_options(tracker_no_begin=True)
        self._ready = False
        self._cache: tuple[tuple, Tracker] | None = None
        self._hidden = [self.url.password] if self.url.password else []
        self.suggestions = SqlSuggestionStore(self)

    def __repr__(self) -> str:
        return f"SqlStore({self.describe()!r})"

    def describe(self) -> str:
        """The URL with the password hidden, safe to print."""
        return self.url.render_as_string(hide_password=True)

    # -- reading ---------------------------------------------------------------------------------

    def revision(self) -> str:
        """Changes on every write; one tiny query."""
        with self._guard():
            self._prepare()
            counter, instance = self._peek()
        return f"{counter}:{instance}"

    def load(self, *, today: date) -> Tracker:
        """The validated tracker. Raises StoreUnavailable or ValidationFailed."""
        with self._guard():
            self._prepare()
            key = (*self._peek(), today)
            cached = self._cache
            if cached and cached[0] == key:
                return cached[1]
            with self.engine.connect() as conn:
                if self.dialect == "postgresql":
                    # One consistent snapshot for the counter and every table.
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    counter, instance = self._locked_meta(conn, lock=False)
                    tracker = self._read(conn, today)
        if tracker is None:
            raise StoreUnavailable(self._empty_message())
        self._cache = ((counter, instance, today), tracker)
        return tracker

    def exists(self) -> bool:
        """Whether a tracker was saved here (a new database holds none)."""
        with self._guard():
            self._prepare()
            with self.engine.connect() as conn:
                return conn.execute(select(settings_table.c.id)).first() is not None

    # -- writing ---------------------------------------------------------------------------------

    def change(self, apply: Change, *, today: date) -> Tracker:
        return self._transaction(lambda conn: self._change_within(conn, apply, today=today))

    def replace(self, tracker: Tracker, *, today: date) -> Tracker:
        """Replace the whole tracker (imports). Validates first."""
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
        counter, instance = self._locked_meta(conn, lock=True)
        # An import does not read what it replaces (which may no longer validate).
        current = None if replace else self._current(conn, (counter, instance, today))
        if current is None and not replace:
            raise StoreUnavailable(self._empty_message())
        new = apply(current)
        if new is current and not replace:
            return current, None
        if replace:
            _write_all(conn, new)
        else:
            _write_delta(conn, current, new)
        conn.execute(update(meta).where(meta.c.id == 1).values(revision=counter + 1))
        return new, ((counter + 1, instance, today), new)

    def _current(self, conn: Connection, key: tuple) -> Tracker | None:
        cached = self._cache
        if cached and cached[0] == key:
            return cached[1]
        tracker = self._read(conn, key[2])
        if tracker is not None:
            self._cache = (key, tracker)
        return tracker

    # -- queries ---------------------------------------------------------------------------------

    def _peek(self) -> tuple[int, str]:
        with self._peek_engine.connect() as conn:
            row = conn.execute(select(meta.c.revision, meta.c.instance).where(meta.c.id == 1)).first()
        if row is None:
            raise StoreUnavailable(f"The tracker tables in {self._where()} are incomplete (no revision row).")
        return int(row[0]), row[1]

    def _locked_meta(self, conn: Connection, *, lock: bool) -> tuple[int, str]:
        query = select(meta.c.revision, meta.c.instance).where(meta.c.id == 1)
        # FOR UPDATE serializes PostgreSQL writers; SQLite ignores it (BEGIN IMMEDIATE did that).
        row = conn.execute(query.with_for_update() if lock else query).one()
        return int(row[0]), row[1]

    def _read(self, conn: Connection, today: date) -> Tracker | None:
        """The tracker, validated exactly like a YAML file; None when none was saved."""
        with gc_paused():
            data = _fetch(conn)
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

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

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


def _as_text(column):
    """A JSON column read as its text, to decode a whole column at once (see _decode)."""
    return cast(column, Text)


def _decode(texts) -> list:
    """Many JSON texts decoded in one call: far quicker than one json.loads per row."""
    return json.loads("[" + ",".join("null" if item is None else item for item in texts) + "]")


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


def _fetch(conn: Connection) -> dict | None:
    """A few bulk SELECTs into the plain data of a tracker file."""
    head = conn.execute(select(settings_table.c.tracker_schema_version, settings_table.c.settings)).first()
    if head is None:
        return None
    rows = conn.execute(EVENT_FIELDS.select().order_by(context_events.c.position)).all()
    events = [
        {k: v for k, v in item.items() if not (k == "recorded" and v is None)} for item in EVENT_FIELDS.read(rows, 0)
    ]
    r = recommendations.c
    rows = conn.execute(RECOMMENDATION_FIELDS.select("id").order_by(r.position)).all()
    recs = {
        row[0]: {"id": row[0], **item, "updates": [], "metadata_changes": []}
        for row, item in zip(rows, RECOMMENDATION_FIELDS.read(rows, 1), strict=True)
    }
    u = updates.c
    rows = conn.execute(UPDATE_FIELDS.select("recommendation_id").order_by(u.recommendation_id, u.position)).all()
    for row, item in zip(rows, UPDATE_FIELDS.read(rows, 1), strict=True):
        item["status"] = item["status"] or None  # "" is a review's
        recs[row[0]]["updates"].append(item)
    m = metadata_changes.c
    rows = conn.execute(
        select(m.recommendation_id, m.field, _as_text(m.old), _as_text(m.new), m.author, m.recorded).order_by(
            m.recommendation_id, m.position
        )
    ).all()
    olds, news = _decode(row[2] for row in rows), _decode(row[3] for row in rows)
    for row, old, new in zip(rows, olds, news, strict=True):
        recs[row[0]]["metadata_changes"].append(
            {"field": row[1], "old": old, "new": new, "author": row[4], "recorded": row[5]}
        )
    return {
        "schema_version": head[0],
        "tracker": head[1],
        "context_events": events,
        "recommendations": list(recs.values()),
    }


def _as_text(column):
    """A JSON column read as its text, to decode a whole column at once (see _decode)."""
    return cast(column, Text)


def _decode(texts) -> list:
    """Many JSON texts decoded in one call: far quicker than one json.loads per row."""
    return json.loads("[" + ",".join("null" if item is None else item for item in texts) + "]")


# -- writing rows ------------------------------------------------------------------------------------


def _update_row(rec_id: str, position: int, item) -> dict:
    row = UPDATE_FIELDS.row(item, recommendation_id=rec_id, position=position)
    row["status"] = row["status"] or ""  # a review states no status
    return row


def _insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(table), rows[start : start + _CHUNK])


def _insert_recommendations(conn: Connection, numbered) -> None:
    recs, ups, changes = [], [], []
    for position, rec in numbered:
        recs.append(RECOMMENDATION_FIELDS.row(rec, id=rec.id, position=position))
        ups.extend(_update_row(rec.id, n, item) for n, item in enumerate(rec.updates))
        changes.extend(_change_row(rec.id, n, item) for n, item in enumerate(rec.metadata_changes))
    _insert(conn, recommendations, recs)
    _insert(conn, updates, ups)
    _insert(conn, metadata_changes, changes)


def _write_head(conn: Connection, tracker: Tracker) -> None:
    """The settings and the context events, rewritten whole (they are small)."""
    conn.execute(delete(context_events))
    conn.execute(delete(settings_table))
    conn.execute(
        insert(settings_table).values(
            id=1, tracker_schema_version=tracker.schema_version, settings=tracker.settings.model_dump(mode="json")
        )
    )
    _insert(conn, context_events, [EVENT_FIELDS.row(e, position=n) for n, e in enumerate(tracker.context_events)])


def _write_all(conn: Connection, tracker: Tracker) -> None:
    """Replace every row (an import)."""
    for table in _DATA_TABLES:
        conn.execute(delete(table))
    _write_head(conn, tracker)
    _insert_recommendations(conn, enumerate(tracker.recommendations))


def _write_delta(conn: Connection, old: Tracker, new: Tracker) -> None:
    """Write only what changed. `edits` copies the tracker shallowly: what a change did not touch is
    the very same object, so unchanged parts cost an identity test."""
    head_changed = new.schema_version != old.schema_version or (
        new.settings is not old.settings and new.settings != old.settings
    )
    if head_changed or (new.context_events is not old.context_events and new.context_events != old.context_events):
        _write_head(conn, new)
    before_ids = [rec.id for rec in old.recommendations]
    if [rec.id for rec in new.recommendations[: len(before_ids)]] != before_ids:
        # Removed or reordered (no edit does that today): rewrite every recommendation.
        for table in (metadata_changes, updates, recommendations):
            conn.execute(delete(table))
        _insert_recommendations(conn, enumerate(new.recommendations))
        return
    for before, after in zip(old.recommendations, new.recommendations, strict=False):
        if after is not before:
            _write_recommendation_delta(conn, before, after)
    count = len(old.recommendations)
    _insert_recommendations(conn, enumerate(new.recommendations[count:], start=count))


def _write_recommendation_delta(conn: Connection, before, after) -> None:
    before_row = RECOMMENDATION_FIELDS.row(before, id=before.id, position=0)
    after_row = RECOMMENDATION_FIELDS.row(after, id=after.id, position=0)
    changed = {name: value for name, value in after_row.items() if value != before_row[name] and name != "position"}
    if changed:
        conn.execute(update(recommendations).where(recommendations.c.id == after.id).values(**changed))
    inserted = _insertions(before.updates, after.updates)
    if inserted is None:
        # An update itself was corrected: rewrite this recommendation's updates.
        conn.execute(delete(updates).where(updates.c.recommendation_id == after.id))
        _insert(conn, updates, [_update_row(after.id, n, item) for n, item in enumerate(after.updates)])
    else:
        length = len(before.updates)
        for index in inserted:
            if index < length:
                # A back-dated update: make room for it.
                conn.execute(
                    update(updates)
                    .where(updates.c.recommendation_id == after.id, updates.c.position >= index)
                    .values(position=updates.c.position + 1)
                )
            conn.execute(insert(updates).values(_update_row(after.id, index, after.updates[index])))
            length += 1
    logged = len(before.metadata_changes)
    if after.metadata_changes[:logged] != before.metadata_changes:
        conn.execute(delete(metadata_changes).where(metadata_changes.c.recommendation_id == after.id))
        logged = 0
    _insert(
        conn,
        metadata_changes,
        [_change_row(after.id, n, c) for n, c in enumerate(after.metadata_changes[logged:], start=logged)],
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


def _suggestion_row(item: Suggestion) -> dict:
    return {
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
    """Suggestions in the tracker's database: one table, `tracker_suggestions`, beside the tracker
    tables, created on first use (under the same advisory lock), so the tracker tables' version and
    migrations are untouched. Every write is one transaction that first takes the suggestions'
    writers' lock (a transaction advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), then
    re-reads, checks and writes, so concurrent submissions queue and the abuse limits hold across
    app instances."""

    def __init__(self, store: SqlStore):
        self.store = store
        self._ready = False

    def __repr__(self) -> str:
        return f"SqlSuggestionStore({self.store.describe()!r})"

    def _prepare(self) -> None:
        if self._ready:
            return
        with self.store.engine.connect() as conn:
            conn.execution_options(tracker_write=True)
            with conn.begin():
                self._lock(conn)
                suggestions_metadata.create_all(conn, checkfirst=True)
        self._ready = True

    def _lock(self, conn: Connection) -> None:
        if self.store.dialect == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({_SUGGESTIONS_LOCK})"))

    def _write(self, work: Callable[[Connection], tuple]):
        """`work(conn)` returns (result, a tracker cache to keep or None), in one transaction holding
        the suggestions' lock."""
        with self.store._guard(writing=True):
            self._prepare()
            with self.store.engine.connect() as conn:
                conn.execution_options(tracker_write=True)
                with conn.begin():
                    self._lock(conn)
                    result, cache = work(conn)
        if cache is not None:
            self.store._cache = cache
        return result

    def list(self, *, state: str | None = None) -> list[Suggestion]:
        with self.store._guard():
            self._prepare()
            query = select(suggestions_table.c.data).order_by(suggestions_table.c.seq)
            if state is not None:
                query = query.where(suggestions_table.c.state == state)
            with self.store.engine.connect() as conn:
                return _suggestions(conn.scalars(query))

    def _one(self, conn: Connection, reference: str) -> Suggestion:
        value = conn.scalar(select(suggestions_table.c.data).where(suggestions_table.c.reference == reference))
        if value is None:
            raise not_found(reference)
        return Suggestion.model_validate(json.loads(value))

    def get(self, reference: str) -> Suggestion:
        with self.store._guard():
            self._prepare()
            with self.store.engine.connect() as conn:
                return self._one(conn, reference)

    def submit(self, suggestion: Suggestion, *, tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion:
        def add(conn):
            # Only what the rules look at: the pending ones and this client's recent ones (decided
            # suggestions pile up; the unique reference column refuses a reused reference).
            c = suggestions_table.c
            since = format_timestamp(now - limits.window)
            query = select(c.data).where(
                or_(c.state == "pending", and_(c.client == suggestion.client, c.submitted > since))
            )
            check_abuse(_suggestions(conn.scalars(query.order_by(c.seq))), suggestion, tracker=tracker, now=now,
                        limits=limits)  # fmt: skip
            conn.execute(insert(suggestions_table).values(_suggestion_row(suggestion)))
            return suggestion, None

        return self._write(add)

    def _save_decision(self, conn: Connection, decided: Suggestion) -> None:
        row = _suggestion_row(decided)
        conn.execute(update(suggestions_table).where(suggestions_table.c.reference == decided.reference).values(**row))

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion:
        def change(conn):
            decided = apply(self._one(conn, reference))
            self._save_decision(conn, decided)
            return decided, None

        return self._write(change)

    def decide_with_change(self, reference: str, change, decision, *, today: date) -> Suggestion:
        """One transaction holding the suggestions' lock, then the tracker's (always in that order)."""

        def both(conn):
            current = self._one(conn, reference)
            after, cache = self.store._change_within(conn, lambda tracker: change(tracker, current), today=today)
            decided = decision(current, after)
            self._save_decision(conn, decided)
            return decided, cache

        return self._write(both)

    def replace_all(self, suggestions: list[Suggestion]) -> None:
        checked = check_log(suggestions)

        def replace(conn):
            conn.execute(delete(suggestions_table))
            if checked:
                conn.execute(insert(suggestions_table), [_suggestion_row(item) for item in checked])
            return None, None

        self._write(replace)


def list_documents(url: str) -> list[str]:
    """The ids of the documents a database holds, in order (one for now: `main`)."""
    return ["main"]
