"""Readers' suggestions in the tracker's database: one table, `tracker_suggestions`, beside the
tracker tables, on the same engine (PostgreSQL or SQLite).

The table has its own MetaData and is created on first use (CREATE TABLE IF NOT EXISTS under
the same advisory lock the tracker tables use), so `sql_store`'s table version and migrations
are untouched: the tracker tables work the same with or without it. Each row keeps the
suggestion's indexed fields and the whole suggestion as JSON, validated on every read.

Every write is one transaction that first takes the suggestions' writers' lock (a transaction
advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), then re-reads, checks and writes, so
concurrent submissions queue and none is lost, and the abuse limits hold across app instances.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection

from .model import format_timestamp
from .suggestion import LIMITS, Limits, Suggestion, SuggestionLog, check_abuse, check_log
from .suggestion_store import not_found

_SUGGESTIONS_LOCK = 7301512024  # the tracker tables use 7301512023

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


def _row(item: Suggestion) -> dict:
    return {
        "reference": item.reference,
        "rec_id": item.rec_id,
        "state": item.state,
        "submitted": item.submitted,
        "client": item.client,
        "data": json.dumps(item.model_dump(mode="json", exclude_none=True), ensure_ascii=False, sort_keys=True),
    }


class SqlSuggestionStore:
    """Suggestions in the database of a SqlStore (sharing its engine and its plain error messages)."""

    def __init__(self, store):
        self.store = store
        self.engine = store.engine
        self.dialect = store.dialect
        self._ready = False

    def __repr__(self) -> str:
        return f"SqlSuggestionStore({self.store.display!r})"

    def _prepare(self) -> None:
        if self._ready:
            return
        with self.engine.connect() as conn:
            conn.execution_options(tracker_write=True)
            with conn.begin():
                self._lock(conn)
                suggestions_metadata.create_all(conn, checkfirst=True)
        self._ready = True

    def _lock(self, conn: Connection) -> None:
        if self.dialect == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({_SUGGESTIONS_LOCK})"))

    def _read(self, conn: Connection, state: str | None = None) -> list[Suggestion]:
        query = select(suggestions_table.c.data).order_by(suggestions_table.c.seq)
        if state is not None:
            query = query.where(suggestions_table.c.state == state)
        rows = [json.loads(value) for value in conn.scalars(query)]
        return list(SuggestionLog.model_validate({"schema_version": 1, "suggestions": rows}).suggestions)

    def _write(self, work: Callable[[Connection], object]):
        with self.store._guard(writing=True):
            self._prepare()
            with self.engine.connect() as conn:
                conn.execution_options(tracker_write=True)
                with conn.begin():
                    self._lock(conn)
                    return work(conn)

    def list(self, *, state: str | None = None) -> list[Suggestion]:
        """Every suggestion in the order submitted (only those in `state`, when given)."""
        with self.store._guard():
            self._prepare()
            with self.engine.connect() as conn:
                return self._read(conn, state)

    def get(self, reference: str) -> Suggestion:
        """One suggestion. Raises NotFound."""
        with self.store._guard():
            self._prepare()
            with self.engine.connect() as conn:
                value = conn.scalar(select(suggestions_table.c.data).where(suggestions_table.c.reference == reference))
        if value is None:
            raise not_found(reference)
        return Suggestion.model_validate(json.loads(value))

    def submit(self, suggestion: Suggestion, *, tracker, now: datetime, limits: Limits = LIMITS) -> Suggestion:
        """Add a reader's suggestion, checking the abuse rules inside the writers' lock."""

        def add(conn):
            # Only what the rules look at: the pending ones and this client's recent ones (decided
            # suggestions pile up; the unique reference column refuses a reused reference).
            c = suggestions_table.c
            since = format_timestamp(now - limits.window)
            query = select(c.data).where(
                or_(c.state == "pending", and_(c.client == suggestion.client, c.submitted > since))
            )
            rows = [json.loads(value) for value in conn.scalars(query.order_by(c.seq))]
            current = SuggestionLog.model_validate({"schema_version": 1, "suggestions": rows}).suggestions
            check_abuse(current, suggestion, tracker=tracker, now=now, limits=limits)
            conn.execute(insert(suggestions_table).values(_row(suggestion)))
            return suggestion

        return self._write(add)

    def decide(self, reference: str, apply: Callable[[Suggestion], Suggestion]) -> Suggestion:
        """Replace one suggestion by `apply(current)` (a pure decision), in one transaction."""

        def change(conn):
            value = conn.scalar(select(suggestions_table.c.data).where(suggestions_table.c.reference == reference))
            if value is None:
                raise not_found(reference)
            decided = apply(Suggestion.model_validate(json.loads(value)))
            row = _row(decided)
            conn.execute(update(suggestions_table).where(suggestions_table.c.reference == reference).values(**row))
            return decided

        return self._write(change)

    def decide_with_tracker(self, reference: str, store, change, decision, *, today) -> Suggestion:
        """Change the tracker by `change(tracker, suggestion)` and record `decision(suggestion, tracker
        after)`, in one transaction holding the suggestions' lock, then the tracker's (always in that
        order). `store` is the tracker store this suggestion store belongs to."""
        cache = []

        def both(conn):
            value = conn.scalar(select(suggestions_table.c.data).where(suggestions_table.c.reference == reference))
            if value is None:
                raise not_found(reference)
            current = Suggestion.model_validate(json.loads(value))
            after, new_cache = self.store._change_within(conn, lambda tracker: change(tracker, current), today=today)
            cache.append(new_cache)
            decided = decision(current, after)
            conn.execute(
                update(suggestions_table).where(suggestions_table.c.reference == reference).values(**_row(decided))
            )
            return decided

        decided = self._write(both)
        if cache and cache[0] is not None:
            self.store._cache = cache[0]
        return decided

    def replace_all(self, suggestions: list[Suggestion]) -> None:
        """Replace every suggestion (imports)."""
        checked = check_log(suggestions)

        def replace(conn):
            conn.execute(delete(suggestions_table))
            if checked:
                conn.execute(insert(suggestions_table), [_row(item) for item in checked])

        self._write(replace)

    def drop_table(self) -> None:
        """Remove the suggestions table (tests and clean reinstalls)."""
        with self.store._guard(writing=True):
            with self.engine.begin() as conn:
                suggestions_metadata.drop_all(conn, checkfirst=True)
        self._ready = False
