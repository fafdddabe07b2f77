"""The database store, on real databases (a SQLite file, and PostgreSQL when one is available).

The same store behaviours run against the YAML file, SQLite and PostgreSQL. PostgreSQL
tests need TRACKER_TEST_DATABASE_URL (scripts/postgres starts a throwaway server and
prints it); without it they skip with a one-line reason. Each test starts from empty
tables. No mocks: a server that goes away is a real server, stopped and started again.
"""

from __future__ import annotations

import multiprocessing
import re
import subprocess
import sys
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone

import legacy_sql_v3
import pytest
from conftest import RECORDED, ROOT, TODAY, new_recommendation
from helpers import PG_SKIP, PG_URL, POSTGRES, free_port, own_postgres, reset_database
from sqlalchemy import event, inspect, select, text, update

from tracker import edition
from tracker.cli import main as cli_main
from tracker.decisions import accept_suggestion
from tracker.edits import add_review, build_update
from tracker.errors import Conflict, NotFound, StoreUnavailable, ValidationFailed
from tracker.location import configured_location, is_database_url, shown_location
from tracker.storage import Document, list_documents, open_store, read_revisions, read_titles
from tracker.storage import sql as sql_tables
from tracker.storage.sql import SqlStore
from tracker.storage.yaml_files import YamlStore
from tracker.suggestion import client_key, draft_sources, new_reference, validate_suggestion
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

CONNECT_ADVICE = (
    "Check that the database server is running and that the host, port, database name, user name and "
    "password in the database URL are right."
)


def _update(when="2024-01-01", status="partial", note="Checked.", url="https://example.org/n", author="Tester"):
    sources = [{"url": url, "title": "Evidence", "kind": "news"}] if url else []
    return build_update(
        {"date": when, "status": status, "note": note, "sources": sources, "author": author, "recorded": RECORDED}
    )


def _empty_postgres() -> str:
    """The test database with no tracker tables in it."""
    reset_database(PG_URL)
    return PG_URL


@dataclass
class Backend:
    """A store, and how to open a second one on the same data (which has no cache)."""

    kind: str
    location: str
    store: object
    opened: list = field(default_factory=list)

    def reopen(self):
        store = open_store(self.location)
        self.opened.append(store)
        return store

    def close(self):
        for store in [self.store, *self.opened]:
            if isinstance(store, SqlStore):
                store.dispose()


def _backend(kind, tmp_path, tracker, data_file) -> Backend:
    if kind == "yaml":
        return Backend(kind, str(data_file), YamlStore(data_file))
    location = f"sqlite:///{tmp_path / 'tracker.db'}" if kind == "sqlite" else _empty_postgres()
    store = SqlStore(location)
    store.replace(tracker, today=TODAY)
    return Backend(kind, location, store)


@pytest.fixture(params=["yaml", "sqlite", POSTGRES])
def any_store(request, tmp_path, tracker, data_file):
    backend = _backend(request.param, tmp_path, tracker, data_file)
    yield backend
    backend.close()


@pytest.fixture(params=["sqlite", POSTGRES])
def sql_store(request, tmp_path, tracker, data_file):
    backend = _backend(request.param, tmp_path, tracker, data_file)
    yield backend
    backend.close()


@pytest.fixture
def pg_url():
    if not PG_URL:
        pytest.skip(PG_SKIP)
    return _empty_postgres()


def _snapshot(backend: Backend):
    """What a newcomer would read: the revision and the whole tracker, from a store with no cache."""
    fresh = backend.reopen()
    return fresh.revision(), dump_tracker(fresh.load(today=TODAY))


# -- the same behaviours on every backend ----------------------------------------------------------


def test_load_equals_the_source_tracker(any_store, tracker):
    assert any_store.store.load(today=TODAY) == tracker
    loaded = any_store.reopen().load(today=TODAY)
    assert loaded == tracker
    assert dump_tracker(loaded) == dump_tracker(tracker)


def _with_logs(tracker):
    """The tracker with what only the tracker's own lists hold: a review, a correction of the settings
    with its reason, and a recommendation's metadata change with its reason."""
    later = "2026-11-27T13:00:00Z"
    methodology = tracker.settings.methodology
    data = tracker.model_dump(mode="json", by_alias=True)
    rec = tracker.recommendations[0]
    change = {
        "field": "title",
        "old": rec.title,
        "new": rec.title + " (corrected)",
        "author": "Editor",
        "recorded": later,
    }
    return validate_data(
        {
            **data,
            "reviews": [
                {"date": "2026-11-26", "note": "Searched the news of November.", "author": "Editor", "recorded": later}
            ],
            "settings_changes": [
                {
                    "field": "methodology",
                    "old": methodology + " Old words.",
                    "new": methodology,
                    "author": "Editor",
                    "recorded": later,
                    "reason": "A sentence that was wrong.",
                },
            ],
            "recommendations": [
                {
                    **data["recommendations"][0],
                    "title": change["new"],
                    "metadata_changes": [{**change, "reason": "The article's own words."}],
                },
                *data["recommendations"][1:],
            ],
        },
        today=TODAY,
    )


def test_reviews_corrections_and_their_reasons_round_trip(any_store, tracker):
    logged = _with_logs(tracker)
    assert logged.reviews and logged.settings_changes and logged.recommendations[0].metadata_changes[0].reason
    any_store.store.change(lambda _current: logged, today=TODAY)
    assert any_store.reopen().load(today=TODAY) == logged
    # A later write that touches only the review list is kept too (the delta writer sees it).
    review = {"date": "2026-11-27", "note": "Searched again.", "author": "Editor", "recorded": RECORDED}
    again = add_review(logged, review, today=TODAY)
    any_store.store.change(lambda _current: again, today=TODAY)
    assert any_store.reopen().load(today=TODAY).reviews == again.reviews


def test_append_lands_in_date_order(any_store):
    any_store.store.append_update("export-controls", _update("2023-03-10", "in_progress", "Back-dated."), today=TODAY)
    rec = any_store.reopen().load(today=TODAY).recommendations[0]
    assert [u.date for u in rec.updates] == ["2022-07", "2023-03-06", "2023-03-10", "2023-03-16"]
    assert rec.updates[2].note == "Back-dated."
    assert rec.updates[-1].status == "implemented"


def test_same_day_updates_keep_their_recording_order(any_store):
    any_store.store.append_update("joint-fund", _update("2026-10-01", "partial", "Second note that day."), today=TODAY)
    notes = [u.note for u in any_store.reopen().load(today=TODAY).recommendations[1].updates]
    assert notes[-2:] == ["Reviewed, no change.", "Second note that day."]


@pytest.mark.parametrize(
    "update,message",
    [
        (
            dict(when="2026-11-01", status="implemented", url=None),
            "recommendation 'joint-fund', the new update › sources: changes the status from partial to implemented but cites no "
            "source; add a source URL and title.",
        ),
        (
            dict(when="2027-01-01"),
            "recommendation 'joint-fund', the new update › date: 2027-01-01 is in the future (today is 2026-11-27).",
        ),
        (
            dict(when="2021-05-01"),
            "recommendation 'joint-fund', date: The date 2021-05-01 is before this recommendation's baseline of 2022-07.",
        ),
    ],
)
def test_refused_update_writes_nothing(any_store, update, message):
    before = _snapshot(any_store)
    with pytest.raises(ValidationFailed) as failed:
        any_store.store.append_update("joint-fund", _update(**update), today=TODAY)
    assert [str(p) for p in failed.value.problems] == [message]
    assert _snapshot(any_store) == before


def test_add_recommendation(any_store):
    fields = {
        "id": "quad-seat",
        "title": "Seat at the Quad",
        "quote": "South Korea can contribute.",
        "addressees": ["united_states", "south_korea"],
        "category": "security",
        "priority": "low",
        "assessment": {"date": "2026-11-01", "text": "Just added."},
        "criteria": "It is done.",
        "review_interval_days": 90,
        "updates": [
            {"date": "2022-07", "status": "not_started", "note": "Baseline.", "author": "A", "recorded": RECORDED}
        ],
    }
    returned = any_store.store.add_recommendation(fields, today=TODAY)
    loaded = any_store.reopen().load(today=TODAY)
    assert loaded == returned
    assert loaded.recommendations[-1].id == "quad-seat"
    assert loaded.recommendations[-1].addressees == ["united_states", "south_korea"]
    before = _snapshot(any_store)
    with pytest.raises(ValidationFailed, match="already used"):
        any_store.store.add_recommendation(fields, today=TODAY)
    assert _snapshot(any_store) == before


def test_metadata_edit_is_recorded_with_who_and_when(any_store):
    any_store.store.edit_recommendation(
        "joint-fund",
        {"title": "Joint compensation fund"},
        expected={"title": "Joint fund"},
        author="Editor",
        recorded="2026-11-27T13:00:00Z",
        today=TODAY,
    )
    rec = any_store.reopen().load(today=TODAY).recommendations[1]
    assert rec.title == "Joint compensation fund"
    change = rec.metadata_changes[-1]
    assert (change.field, change.old, change.new, change.author, change.recorded) == (
        "title",
        "Joint fund",
        "Joint compensation fund",
        "Editor",
        "2026-11-27T13:00:00Z",
    )


def test_metadata_edits_of_every_kind_round_trip(any_store):
    returned = any_store.store.edit_recommendation(
        "joint-fund",
        {"addressees": ["south_korea"], "implied": True, "review_interval_days": 60, "priority": "low"},
        expected={},
        author="Editor",
        recorded=RECORDED,
        today=TODAY,
    )
    returned = any_store.store.edit_recommendation(
        "joint-fund", {"review_interval_days": None}, expected={}, author="Editor", recorded=RECORDED, today=TODAY
    )
    loaded = any_store.reopen().load(today=TODAY)
    assert loaded == returned
    rec = loaded.recommendations[1]
    assert (rec.addressees, rec.implied, rec.review_interval_days, rec.priority) == (["south_korea"], True, None, "low")
    assert [(c.field, c.old, c.new) for c in rec.metadata_changes] == [
        ("addressees", ["japan", "south_korea"], ["south_korea"]),
        ("implied", False, True),
        ("review_interval_days", None, 60),
        ("priority", "high", "low"),
        ("review_interval_days", 60, None),
    ]


def test_conflicting_metadata_edit_is_refused(any_store):
    any_store.store.edit_recommendation(
        "joint-fund", {"priority": "low"}, expected={"priority": "high"}, author="First", recorded=RECORDED, today=TODAY
    )
    before = _snapshot(any_store)
    with pytest.raises(Conflict, match="Someone else changed the priority of 'joint-fund'"):
        any_store.reopen().edit_recommendation(
            "joint-fund",
            {"priority": "high", "title": "X"},
            expected={"priority": "high", "title": "Joint fund"},
            author="Second",
            recorded=RECORDED,
            today=TODAY,
        )
    assert _snapshot(any_store) == before


def test_unknown_recommendation_is_not_found(any_store):
    before = _snapshot(any_store)
    with pytest.raises(NotFound, match="There is no recommendation with the id 'nope'"):
        any_store.store.append_update("nope", _update(), today=TODAY)
    with pytest.raises(NotFound):
        any_store.store.edit_recommendation(
            "nope", {"title": "X"}, expected={}, author="A", recorded=RECORDED, today=TODAY
        )
    assert _snapshot(any_store) == before


def test_bad_metadata_value_is_refused(any_store):
    with pytest.raises(ValidationFailed, match="'culture' is not a defined category"):
        any_store.store.edit_recommendation(
            "joint-fund", {"category": "culture"}, expected={}, author="A", recorded=RECORDED, today=TODAY
        )


# -- the revision counter and the cache ------------------------------------------------------------


def _counter(store) -> int:
    return int(store.revision().split(":")[0])


def test_revision_bumps_on_each_write_and_only_then(sql_store):
    store = sql_store.store
    seen = [_counter(store)]
    store.append_update("joint-fund", _update("2026-11-01", note="One."), today=TODAY)
    seen.append(_counter(store))
    store.add_recommendation(
        new_recommendation(),
        today=TODAY,
    )
    seen.append(_counter(store))
    store.edit_recommendation("new-one", {"title": "Newer"}, expected={}, author="A", recorded=RECORDED, today=TODAY)
    seen.append(_counter(store))
    assert seen == [seen[0], seen[0] + 1, seen[0] + 2, seen[0] + 3]
    # Refused changes and changes that change nothing leave the counter alone.
    with pytest.raises(ValidationFailed):
        store.append_update("joint-fund", _update("2027-01-01"), today=TODAY)
    store.edit_recommendation("new-one", {"title": "Newer"}, expected={}, author="A", recorded=RECORDED, today=TODAY)
    assert _counter(store) == seen[-1]
    assert sql_store.reopen().revision() == store.revision()


def test_a_second_store_sees_the_first_ones_write(sql_store):
    first, second = sql_store.store, sql_store.reopen()
    assert len(second.load(today=TODAY).recommendations[1].updates) == 3
    first.append_update("joint-fund", _update("2026-11-01", note="From the first store."), today=TODAY)
    rec = second.load(today=TODAY).recommendations[1]
    assert [u.note for u in rec.updates][-1] == "From the first store."
    # And the other way round: the second store writes on top of the first one's update.
    second.append_update("joint-fund", _update("2026-11-02", note="From the second store."), today=TODAY)
    notes = [u.note for u in first.load(today=TODAY).recommendations[1].updates]
    assert notes[-2:] == ["From the first store.", "From the second store."]


def test_an_unchanged_database_costs_one_tiny_query(sql_store):
    store = sql_store.store
    first = store.load(today=TODAY)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        assert store.load(today=TODAY) is first
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert len(statements) == 1 and "FROM tracker_meta" in statements[0]


def test_tables_are_created_on_first_use_with_their_version(tmp_path):
    store = SqlStore(f"sqlite:///{tmp_path / 'new.db'}")
    with pytest.raises(StoreUnavailable) as empty:
        store.load(today=TODAY)
    assert str(empty.value) == (
        f"The SQLite database file {tmp_path / 'new.db'} holds no tracker yet; copy one in with "
        "`python -m tracker import data/recommendations.yaml --to DATABASE_URL`."
    )
    assert store.exists() is False
    with store.engine.connect() as conn:
        row = conn.execute(select(sql_tables.meta)).one()
    assert (row.id, row.schema_version, row.revision) == (1, sql_tables.DB_SCHEMA_VERSION, 0)
    store.dispose()


def test_tables_from_a_newer_version_are_refused(sql_store):
    with sql_store.store.engine.begin() as conn:
        conn.execute(update(sql_tables.meta).values(schema_version=sql_tables.DB_SCHEMA_VERSION + 1))
    with pytest.raises(StoreUnavailable, match="set up by a newer version of the tracker"):
        sql_store.reopen().load(today=TODAY)


def test_tables_of_version_1_are_upgraded_and_say_what_is_missing(sql_store):
    # Version 1 had no assessment, criteria or context-event record time (nor version 3's extra columns).
    with sql_store.store.engine.begin() as conn:
        for table, column in (
            ("tracker_recommendations", "assessment"),
            ("tracker_recommendations", "criteria"),
            ("tracker_context_events", "recorded"),
            ("tracker_recommendations", "extra"),
            ("tracker_updates", "extra"),
            ("tracker_context_events", "extra"),
            ("tracker_settings", "extra"),
            ("tracker_metadata_changes", "extra"),
        ):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(update(sql_tables.meta).values(schema_version=1))
    store = sql_store.reopen()
    with pytest.raises(ValidationFailed) as failed:
        store.load(today=TODAY)
    messages = [str(problem) for problem in failed.value.problems]
    assert "database, recommendation 'joint-fund', criteria: is required; fill it in." in messages
    assert len(messages) == 2 * 3  # an assessment and criteria for each of the three
    with store.engine.connect() as conn:
        assert conn.execute(select(sql_tables.meta.c.schema_version)).scalar() == sql_tables.DB_SCHEMA_VERSION


def test_tables_of_version_4_are_upgraded_to_keep_reviews_and_reasons(sql_store, tracker):
    # Version 4 had nowhere to keep the tracker's reviews, the corrections of its settings or a change's reason.
    with sql_store.store.engine.begin() as conn:
        for table in ("tracker_settings", "tracker_metadata_changes"):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN extra"))
        conn.execute(update(sql_tables.meta).values(schema_version=4))
    store = sql_store.reopen()
    assert store.load(today=TODAY) == tracker
    logged = _with_logs(tracker)
    store.change(lambda _current: logged, today=TODAY)
    assert sql_store.reopen().load(today=TODAY) == logged


def test_a_rebuilt_database_does_not_serve_a_stale_cache(tmp_path, tracker):
    location = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = SqlStore(location)
    store.replace(tracker, today=TODAY)
    store.load(today=TODAY)
    # Someone drops the tables and imports a different tracker: the counter starts again.
    reset_database(location)
    other = SqlStore(location)
    changed = tracker.model_copy(update={"recommendations": tracker.recommendations[:1]})
    other.replace(changed, today=TODAY)
    assert len(store.load(today=TODAY).recommendations) == 1
    store.dispose()
    other.dispose()


def test_save_replaces_the_whole_tracker(sql_store, tracker):
    sql_store.store.append_update("joint-fund", _update("2026-11-01"), today=TODAY)
    sql_store.store.replace(tracker, today=TODAY)
    assert sql_store.reopen().load(today=TODAY) == tracker


# -- import and export through the command line ----------------------------------------------------


def run(*args):
    """The command line as a real subprocess."""
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, capture_output=True, text=True)


def run_here(capsys, *args):
    """The command line in this process (quicker): (exit code, stdout, stderr)."""
    code = cli_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("kind", ["sqlite", POSTGRES])
def test_yaml_to_database_to_yaml_is_byte_identical(kind, tmp_path, demo_file):
    url = f"sqlite:///{tmp_path / 'tracker.db'}" if kind == "sqlite" else _empty_postgres()
    demo = YamlStore(demo_file).load(today=TODAY)
    updates = sum(len(rec.updates) for rec in demo.recommendations)
    imported = run("import", str(demo_file), "--to", url)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(f"Imported {len(demo.recommendations)} recommendations ({updates} updates) from ")
    out = tmp_path / "exported.yaml"
    exported = run("export", "--from", url, "--to", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == demo_file.read_bytes()


def test_other_commands_read_a_database(capsys, tmp_path, demo_file, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    demo = YamlStore(demo_file).load(today=TODAY)
    count, updates = len(demo.recommendations), sum(len(rec.updates) for rec in demo.recommendations)
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert run_here(capsys, "import", str(demo_file), "--to", url)[0] == 0
    code, out, _ = run_here(capsys, "export", "--data", url, "--format", "csv", "--as-of", "2026-11-27")
    assert code == 0 and out.startswith('"id","title",') and len(out.strip().splitlines()) == count + 1
    code, out, _ = run_here(capsys, "validate", url)
    assert (code, out.strip()) == (0, f"{url} is valid: {count} recommendations, {updates} updates.")
    code, out, _ = run_here(capsys, "summary", "--data", url, "--as-of", "2026-11-27")
    assert code == 0 and "Progress score:" in out


def test_import_does_not_overwrite_a_different_tracker_unless_told(capsys, tmp_path, data_file, demo_file):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert run_here(capsys, "import", str(demo_file), "--to", url)[0] == 0
    code, out, _ = run_here(capsys, "import", str(demo_file), "--to", url)
    assert (code, out.strip()) == (0, f"{url} already holds exactly this tracker; nothing was changed.")
    code, _, err = run_here(capsys, "import", str(data_file), "--to", url)
    assert (code, err.strip()) == (
        1,
        f"{url} already holds a different tracker; nothing was changed. "
        "Add --replace to overwrite it (export it first if you may need it).",
    )
    assert run_here(capsys, "import", str(data_file), "--to", url, "--replace")[0] == 0
    out_file = tmp_path / "back.yaml"
    assert run_here(capsys, "export", "--from", url, "--to", str(out_file))[0] == 0
    assert out_file.read_bytes() == data_file.read_bytes()


def test_import_of_an_invalid_file_writes_nothing(capsys, tmp_path, data_file):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    data_file.write_text(data_file.read_text().replace("status: partial", "status: done", 1))
    code, _, err = run_here(capsys, "import", str(data_file), "--to", url)
    assert code == 1
    assert "'done' is not a defined status" in err and err.strip().endswith("Nothing was saved.")
    assert SqlStore(url).exists() is False


def test_export_to_yaml_refuses_table_options_and_databases(capsys, data_file, tmp_path):
    code, _, err = run_here(
        capsys, "export", "--from", str(data_file), "--to", str(tmp_path / "x.yaml"), "--format", "json"
    )
    assert (code, err.strip()) == (2, "Error: --to writes the whole tracker as YAML; leave out --format (see --help)")
    code, _, err = run_here(capsys, "export", "--from", str(data_file), "--to", "sqlite:///x.db")
    assert code == 2 and "to copy a tracker into a database use: python -m tracker import" in err


# -- configuration ----------------------------------------------------------------------------------


def test_configured_location_order():
    secrets = {"database": {"url": "postgresql://app:pw@db.example.org/tracker"}}
    assert configured_location({"TRACKER_DATABASE_URL": "sqlite:///x.db", "TRACKER_DATA": "f.yaml"}, secrets) == (
        "sqlite:///x.db"
    )
    assert (
        configured_location({"TRACKER_DATA": "f.yaml"}, secrets) == "postgresql+psycopg://app:pw@db.example.org/tracker"
    )
    assert configured_location({}, {"database_url": "postgres://a@h/d"}) == "postgresql+psycopg://a@h/d"
    assert configured_location({"TRACKER_DATA": "f.yaml"}, {}) == "f.yaml"
    assert configured_location({}, None) == "data/documents.yaml"
    assert configured_location({"TRACKER_DATABASE_URL": " "}, None) == "data/documents.yaml"


def test_open_store_chooses_by_location(tmp_path):
    assert isinstance(open_store(tmp_path / "t.yaml"), YamlStore)
    assert isinstance(open_store("data/recommendations.yaml"), YamlStore)
    for url in ("postgresql://u:p@h/d", "postgresql+psycopg://u@h/d", f"sqlite:///{tmp_path / 't.db'}"):
        assert is_database_url(url)
        assert isinstance(open_store(url), SqlStore)
    assert open_store("postgresql://u:p@h/d").url.drivername == "postgresql+psycopg"
    assert repr(open_store("postgresql://u:secret@h/d")) == "SqlStore('postgresql+psycopg://u:***@h/d')"


def test_a_password_is_never_shown_even_when_badly_written():
    assert shown_location("postgresql://u:p@ss/w@rd@db.example.org/t") == "postgresql://u:***@db.example.org/t"
    with pytest.raises(StoreUnavailable) as failed:
        SqlStore("postgresql://u:p@ss/w@rd@db.example.org/t")
    assert str(failed.value) == (
        "The database URL has more than one @: write an @ (or another special character) in the user "
        "name or password percent-encoded, for example @ as %40."
    )
    assert SqlStore("postgresql://u:p%40ss@db.example.org/t").url.password == "p@ss"


# -- concurrency -------------------------------------------------------------------------------------


def _append_many(url, worker, count):
    store = SqlStore(url)
    for n in range(count):
        store.append_update("joint-fund", _update("2024-01-01", "partial", f"worker {worker} update {n}"), today=TODAY)
    store.dispose()


def _concurrent_appends(url, workers, count):
    store = SqlStore(url)
    before = len(store.load(today=TODAY).recommendations[1].updates)
    processes = [multiprocessing.Process(target=_append_many, args=(url, w, count)) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(180)
        assert process.exitcode == 0
    updates = SqlStore(url).load(today=TODAY).recommendations[1].updates
    assert len(updates) == before + workers * count
    notes = [u.note for u in updates]
    for w in range(workers):
        mine = [note for note in notes if note.startswith(f"worker {w} ")]
        # Nothing lost, and each worker's same-day updates in the order it made them.
        assert mine == [f"worker {w} update {n}" for n in range(count)]
    assert notes[-1] == "Reviewed, no change."  # back-dated: the 2026 update stays last
    with store.engine.connect() as conn:
        positions = conn.scalars(
            select(sql_tables.updates.c.position)
            .where(sql_tables.updates.c.recommendation_id == "joint-fund")
            .order_by(sql_tables.updates.c.position)
        ).all()
    assert positions == list(range(before + workers * count))
    store.dispose()


def test_concurrent_processes_lose_nothing_postgresql(pg_url, tracker):
    SqlStore(pg_url).replace(tracker, today=TODAY)
    _concurrent_appends(pg_url, workers=8, count=50)


def test_concurrent_processes_lose_nothing_sqlite(tmp_path, tracker):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    SqlStore(url).replace(tracker, today=TODAY)
    _concurrent_appends(url, workers=4, count=25)


# -- a database that goes away -----------------------------------------------------------------------


def test_wrong_port_is_one_plain_sentence_without_the_password():
    port = free_port()
    store = SqlStore(f"postgresql://tracker:hunter2-secret@127.0.0.1:{port}/tracker")
    with pytest.raises(StoreUnavailable) as failed:
        store.load(today=TODAY)
    assert str(failed.value) == (
        f"Could not connect to the PostgreSQL database 'tracker' on 127.0.0.1, port {port}: nothing answered "
        f"at that host and port (connection refused). {CONNECT_ADVICE}"
    )
    assert failed.value.__suppress_context__ and failed.value.__cause__ is None
    # The command line shows the same sentence alone: no traceback, no password.
    result = run("summary", "--data", f"postgresql://tracker:hunter2-secret@127.0.0.1:{port}/tracker")
    assert result.returncode == 1
    assert result.stderr.strip() == str(failed.value)
    assert "hunter2" not in result.stderr + result.stdout


def test_a_database_that_goes_away_and_comes_back(tracker):
    with own_postgres("tracker-pg-outage-") as (url, postgres):
        port = int(re.search(r":(\d+)/", url).group(1))
        # Trust authentication ignores the password; it must still never be shown.
        store = SqlStore(url.replace("postgres@", "postgres:pw-never-shown@"))
        store.replace(tracker, today=TODAY)
        assert store.load(today=TODAY) == tracker

        postgres("stop")
        expected = (
            f"Could not connect to the PostgreSQL database 'tracker_test' on 127.0.0.1, port {port}: "
            f"nothing answered at that host and port (connection refused). {CONNECT_ADVICE}"
        )
        for attempt in (
            lambda: store.load(today=TODAY),  # no stale cache served while the server is down
            store.revision,
            lambda: store.append_update("joint-fund", _update("2026-11-01"), today=TODAY),
        ):
            with pytest.raises(StoreUnavailable) as failed:
                attempt()
            assert str(failed.value) == expected
            assert "pw-never-shown" not in str(failed.value)

        assert re.fullmatch(r"export TRACKER_TEST_DATABASE_URL=(\S+)\n", postgres()).group(1) == url
        # The same store object works again, without a restart.
        assert store.load(today=TODAY) == tracker
        store.append_update("joint-fund", _update("2026-11-01", note="After the outage."), today=TODAY)
        assert SqlStore(url).load(today=TODAY).recommendations[1].updates[-1].note == "After the outage."
        store.dispose()


# -- several documents -------------------------------------------------------------------------------

KINDS = ["sqlite", POSTGRES]


def _database(kind, tmp_path) -> str:
    """An empty database of the kind (no tables)."""
    return f"sqlite:///{tmp_path / 'tracker.db'}" if kind == "sqlite" else _empty_postgres()


def _retitled(tracker, words):
    """The same recommendation ids, other titles: a document of its own."""
    recs = [rec.model_copy(update={"title": f"{rec.title} ({words})"}) for rec in tracker.recommendations]
    return tracker.model_copy(update={"recommendations": recs})


def _reader_suggestion(tracker, n=1, client="203.0.113.7", rec_id="joint-fund"):
    form = {
        "rec_id": rec_id,
        "note": f"Suggestion {n}: Japanese firms joined the fund.",
        "date": "2026-10-15",
        "status": "implemented",
        "sources": [{"url": f"https://example.org/suggested/{n}", "title": f"Report {n}"}],
        "contact": "reader@example.net",
    }
    return validate_suggestion(
        tracker, form, reference=new_reference(), client=client_key(client, "salt"), submitted=RECORDED, today=TODAY
    )


@pytest.mark.parametrize("kind", KINDS)
def test_tables_of_version_3_become_the_document_main(kind, tmp_path, tracker):
    """A database set up by the version-3 code (one tracker, no documents table) opens with today's code
    as the same tracker, its first document `main`: rows, revision and suggestions kept."""
    url = _database(kind, tmp_path)
    old = legacy_sql_v3.SqlStore(url)
    old.replace(tracker, today=TODAY)
    old.append_update("joint-fund", _update("2026-11-01", note="Saved by version 3."), today=TODAY)
    old.edit_recommendation(
        "joint-fund", {"title": "Joint compensation fund"}, expected={}, author="Ed", recorded=RECORDED, today=TODAY
    )
    saved = old.load(today=TODAY)
    suggestions = [_reader_suggestion(saved, 1), _reader_suggestion(saved, 2, client="198.51.100.2")]
    for item in suggestions:
        old.suggestions.submit(item, tracker=saved, now=datetime(2026, 11, 27, 12, tzinfo=timezone.utc))
    revision = old.revision()
    with old.engine.connect() as conn:
        assert conn.execute(select(legacy_sql_v3.meta.c.schema_version)).scalar() == 3
        assert not inspect(conn).has_table("tracker_documents")
    old.dispose()

    store = open_store(url)  # no #id: what every link and setting made before means
    assert store.load(today=TODAY) == saved
    assert dump_tracker(store.load(today=TODAY)) == dump_tracker(saved)
    assert store.revision() == revision  # the same tracker, the same revision: no cached copy goes stale
    assert store.suggestions.list() == suggestions
    assert sql_tables.list_documents(url) == ["main"]
    assert open_store(f"{url}#main").load(today=TODAY) == saved
    with store.engine.connect() as conn:
        assert conn.execute(select(sql_tables.meta.c.schema_version)).scalar() == sql_tables.DB_SCHEMA_VERSION == 5
        for table in (sql_tables.updates, sql_tables.recommendations, sql_tables.suggestions_table):
            assert conn.scalars(select(table.c.document).distinct()).all() == ["main"]
    # It goes on from there: its counter moves on, and a second document can sit beside it.
    after = store.append_update("trilateral-talks", _update("2026-11-02", "in_progress"), today=TODAY)
    assert _counter(store) == int(revision.split(":")[0]) + 1
    SqlStore(url, document="second").replace(tracker, today=TODAY)
    assert sql_tables.list_documents(url) == ["main", "second"]
    assert SqlStore(url).load(today=TODAY) == after
    store.dispose()


def test_suggestions_of_version_3_without_a_tracker_are_kept(tmp_path, tracker):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    old = legacy_sql_v3.SqlStore(url)
    item = _reader_suggestion(tracker)
    old.suggestions.submit(item, tracker=tracker, now=datetime(2026, 11, 27, 12, tzinfo=timezone.utc))
    old.dispose()
    store = SqlStore(url)
    assert store.suggestions.list() == [item]
    assert sql_tables.list_documents(url) == ["main"] and store.exists() is False
    with pytest.raises(StoreUnavailable, match="holds no tracker yet"):
        store.load(today=TODAY)
    store.replace(tracker, today=TODAY)
    assert SqlStore(url).load(today=TODAY) == tracker and store.suggestions.list() == [item]
    store.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_a_save_to_one_document_leaves_the_other_untouched(kind, tmp_path, tracker):
    url = _database(kind, tmp_path)
    first, second = SqlStore(url, document="first"), SqlStore(url, document="second")
    other = _retitled(tracker, "second document")
    first.replace(tracker, today=TODAY)
    second.replace(other, today=TODAY)
    seen = second.load(today=TODAY)
    revision, fingerprint = second.revision(), edition.fingerprint(seen)
    counter = _counter(first)

    first.append_update("joint-fund", _update("2026-11-01", note="Only in the first."), today=TODAY)
    first.edit_recommendation(
        "joint-fund", {"priority": "low"}, expected={}, author="A", recorded=RECORDED, today=TODAY
    )
    assert _counter(first) == counter + 2
    assert second.revision() == revision
    assert second.load(today=TODAY) is seen  # its cached copy still holds: nothing of it was read again
    fresh = SqlStore(url, document="second")
    assert fresh.revision() == revision
    assert fresh.load(today=TODAY) == other and dump_tracker(fresh.load(today=TODAY)) == dump_tracker(other)
    assert edition.fingerprint(fresh.load(today=TODAY)) == fingerprint
    # Recommendation ids are unique per document: the same ids, each document its own rows.
    changed = SqlStore(url, document="first").load(today=TODAY).recommendations[1]
    assert (changed.id, changed.priority, changed.updates[-1].note) == ("joint-fund", "low", "Only in the first.")
    assert other.recommendations[1].id == "joint-fund"

    # And the other way round.
    counter = _counter(first)
    second.append_update("joint-fund", _update("2026-11-03", note="Only in the second."), today=TODAY)
    assert _counter(first) == counter and _counter(second) == int(revision.split(":")[0]) + 1
    assert SqlStore(url, document="first").load(today=TODAY).recommendations[1].updates[-1].note == "Only in the first."
    for store in (first, second, fresh):
        store.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_list_documents_and_a_document_the_database_does_not_hold(kind, tmp_path, tracker, capsys):
    url = _database(kind, tmp_path)
    assert sql_tables.list_documents(url) == [] and list_documents(url) == []
    assert SqlStore(url).exists() is False
    code, _, err = run_here(capsys, "validate", url)
    assert code == 1 and "holds no tracker yet; copy one in with" in err
    for n, doc_id in enumerate(("zeta", "alpha", "mid-term")):
        SqlStore(url, document=doc_id).replace(_retitled(tracker, f"document {n}"), today=TODAY)
    assert sql_tables.list_documents(url) == ["zeta", "alpha", "mid-term"]
    assert list_documents(f"{url}#alpha") == [
        Document(doc_id, f"{url}#{doc_id}") for doc_id in ("zeta", "alpha", "mid-term")
    ]
    assert SqlStore(url).load(today=TODAY) == _retitled(tracker, "document 0")  # no id: the first
    assert open_store(f"{url}#mid-term").load(today=TODAY) == _retitled(tracker, "document 2")

    missing = SqlStore(url, document="nope")
    assert missing.exists() is False
    sentence = (
        " holds no document 'nope'; it holds 'zeta', 'alpha', 'mid-term'. Check the document id, or copy one in "
        "with `python -m tracker import FILE --to DATABASE_URL#nope`."
    )
    for attempt in (
        lambda: missing.load(today=TODAY),
        missing.revision,
        lambda: missing.append_update("joint-fund", _update("2026-11-01"), today=TODAY),
        missing.suggestions.list,
        lambda: missing.suggestions.replace_all([]),
    ):
        with pytest.raises(StoreUnavailable) as refused:
            attempt()
        assert str(refused.value).endswith(sentence) and "Traceback" not in str(refused.value)
    assert sql_tables.list_documents(url) == ["zeta", "alpha", "mid-term"]  # nothing was added
    missing.replace(tracker, today=TODAY)  # an import adds it, last
    assert sql_tables.list_documents(url) == ["zeta", "alpha", "mid-term", "nope"]
    assert missing.load(today=TODAY) == tracker
    with pytest.raises(StoreUnavailable, match="'Not valid' is not a valid document id"):
        SqlStore(url, document="Not valid")
    missing.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_has_its_own_suggestions(kind, tmp_path, tracker):
    url = _database(kind, tmp_path)
    first, second = SqlStore(url, document="first"), SqlStore(url, document="second")
    first.replace(tracker, today=TODAY)
    second.replace(tracker, today=TODAY)
    item = _reader_suggestion(tracker)
    now = datetime(2026, 11, 27, 12, tzinfo=timezone.utc)
    first.suggestions.submit(item, tracker=tracker, now=now)
    assert first.suggestions.list() == [item]
    assert second.suggestions.list() == [] and second.suggestions.list(state="pending") == []
    with pytest.raises(NotFound):
        second.suggestions.get(item.reference)
    # The same source is new to the second document, and even the same reference may be imported there.
    second.suggestions.submit(_reader_suggestion(tracker), tracker=tracker, now=now)
    second.suggestions.replace_all([item])
    assert second.suggestions.list() == [item] == first.suggestions.list()
    revision = second.revision()
    accept_suggestion(
        first, item.reference, editor="Ed", note=None, sources=draft_sources(item, ["news"]), now=now, today=TODAY
    )
    assert first.suggestions.get(item.reference).state == "accepted"
    assert second.suggestions.get(item.reference).state == "pending" and second.revision() == revision
    first.dispose()
    second.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_stores_of_one_database_share_one_engine_until_the_last_lets_go(kind, tmp_path, tracker):
    """A server showing a hundred documents holds one pool of connections, not a hundred: every store of a
    URL uses the same engine; disposing a store lets go of its share only, the last share closes the pool,
    and a store dropped without being disposed is freed at once and lets go too."""
    url = _database(kind, tmp_path)
    probe = SqlStore(url)
    shown = probe.describe()
    probe.dispose()
    first, second = SqlStore(url, document="first"), SqlStore(url, document="second")
    first.replace(tracker, today=TODAY)
    second.replace(_retitled(tracker, "second"), today=TODAY)
    assert first.engine is second.engine and sql_tables.ENGINES.held()[shown] == 2
    engine, pool = first.engine, first.engine.pool
    first.dispose()
    first.dispose()  # twice lets go once
    assert sql_tables.ENGINES.held()[shown] == 1
    assert second.load(today=TODAY) == _retitled(tracker, "second")
    assert second.engine is engine and engine.pool is pool and pool.checkedin() >= 1  # still open for `second`
    second.dispose()
    assert shown not in sql_tables.ENGINES.held() and pool.checkedin() == 0  # closed by the last to let go
    # A store used after it was disposed takes a share again, on a new engine once the old one was closed.
    assert first.load(today=TODAY) == tracker and first.engine is not engine
    assert sql_tables.ENGINES.held()[shown] == 1
    first.dispose()
    dropped = SqlStore(url, document="first")
    assert dropped.load(today=TODAY) == tracker and dropped.suggestions.list() == []
    assert sql_tables.ENGINES.held()[shown] == 1
    gone = weakref.ref(dropped)
    del dropped  # freed at once, its tracker with it: no cycle waits for the collector (which loads pause)
    assert gone() is None and shown not in sql_tables.ENGINES.held()


@pytest.mark.parametrize("kind", KINDS)
def test_every_documents_revision_and_title_in_one_query_without_loading(kind, tmp_path, tracker):
    """The sidebar names every document and All documents checks every revision: one query for all of
    them, which reads no document: a document that no longer loads still gives its title and revision."""
    url = _database(kind, tmp_path)
    assert list_documents(url) == [] and read_revisions(url) == {} and read_titles(url) == {}
    titles = {}
    for doc_id in ("a", "b", "c"):
        settings = tracker.settings.model_copy(update={"title": f"Document {doc_id.upper()}"})
        SqlStore(url, document=doc_id).replace(tracker.model_copy(update={"settings": settings}), today=TODAY)
        titles[doc_id] = f"Document {doc_id.upper()}"
    held = SqlStore(url, document="b")  # as the dashboard keeps the store of the document shown
    with held.engine.begin() as conn:  # `b` no longer validates: loading it fails
        recommendations = sql_tables.recommendations
        conn.execute(update(recommendations).where(recommendations.c.document == "b").values(category="nowhere"))
    with pytest.raises(ValidationFailed):
        held.load(today=TODAY)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(held.engine, "before_cursor_execute", record)
    try:
        assert read_titles(url) == titles
    finally:
        event.remove(held.engine, "before_cursor_execute", record)
    assert len(statements) == 1 and "tracker_recommendations" not in statements[0]
    assert read_revisions(url) == {doc_id: SqlStore(url, document=doc_id).revision() for doc_id in titles}
    before = read_revisions(url)
    SqlStore(url, document="c").append_update("joint-fund", _update("2026-11-01"), today=TODAY)
    assert read_revisions(url) == {**before, "c": SqlStore(url, document="c").revision()} != before
    held.dispose()


def test_writers_of_two_documents_do_not_wait_for_each_other(pg_url, tracker, monkeypatch):
    """A save to one document holds that document's lock only: another document's save, and a reader's
    suggestion to the same document, go ahead meanwhile; a second save to the same document waits."""
    busy, free = SqlStore(pg_url, document="busy"), SqlStore(pg_url, document="free")
    busy.replace(tracker, today=TODAY)
    free.replace(tracker, today=TODAY)
    monkeypatch.setattr(sql_tables, "LOCK_TIMEOUT", 1)
    with busy.engine.connect() as conn, conn.begin():
        documents = sql_tables.documents
        conn.execute(select(documents.c.id).where(documents.c.id == "busy").with_for_update(key_share=True)).one()
        started = time.perf_counter()
        free.append_update("joint-fund", _update("2026-11-01", note="Not kept waiting."), today=TODAY)
        SqlStore(pg_url, document="busy").suggestions.submit(
            _reader_suggestion(tracker), tracker=tracker, now=datetime(2026, 11, 27, 12, tzinfo=timezone.utc)
        )
        assert time.perf_counter() - started < 1
        with pytest.raises(StoreUnavailable, match="Another save is still in progress"):
            SqlStore(pg_url, document="busy").append_update("joint-fund", _update("2026-11-02"), today=TODAY)
    busy.append_update("joint-fund", _update("2026-11-02", note="Once the other save ended."), today=TODAY)
    assert SqlStore(pg_url, document="busy").load(today=TODAY).recommendations[1].updates[-1].note == (
        "Once the other save ended."
    )
    busy.dispose()
    free.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_loading_one_document_reads_only_its_rows(kind, tmp_path, tracker):
    """Every query of a cold load names the document, and on SQLite each one searches an index that
    starts with it (no table is scanned): the other documents' rows are never read."""
    url = _database(kind, tmp_path)
    for doc_id in ("a", "b", "c"):
        SqlStore(url, document=doc_id).replace(_retitled(tracker, doc_id), today=TODAY)
    store = SqlStore(url, document="b")
    store.revision()  # the tables are ready; what follows is a load
    recorded = []

    def record(conn, cursor, statement, parameters, context, executemany):
        recorded.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        assert store.load(today=TODAY) == _retitled(tracker, "b")
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    reads = [(s, p) for s, p in recorded if s.lstrip().upper().startswith("SELECT") and "tracker_" in s]
    data = [table.name for table in sql_tables._DATA_TABLES]
    assert {name for name in data if any(f"FROM {name}" in s for s, _ in reads)} == set(data)
    for statement, parameters in reads:
        values = parameters.values() if isinstance(parameters, dict) else parameters
        assert re.search(r"\.(document|id) = ", statement) and "b" in values, statement
    if kind == "sqlite":
        with store.engine.connect() as conn:
            for statement, parameters in reads:
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                steps = " | ".join(row[-1] for row in plan)
                assert not re.search(r"\bSCAN tracker_(?!meta\b)", steps), (statement, steps)
    store.dispose()


# -- several documents through the command line ------------------------------------------------------


def _index_of_two(folder, data_file, demo_file):
    """An index of two documents, as in data/: (index, {id: file})."""
    folder.mkdir()
    files = {"usip-2022": folder / "recommendations.yaml", "joint-2023": folder / "joint.yaml"}
    files["usip-2022"].write_bytes(data_file.read_bytes())
    files["joint-2023"].write_bytes(demo_file.read_bytes())
    index = folder / "documents.yaml"
    index.write_text(
        "# Two documents, in this order.\ndocuments:\n- id: usip-2022\n  file: recommendations.yaml\n"
        "- id: joint-2023\n  file: joint.yaml\n",
        encoding="utf-8",
    )
    return index, files


@pytest.mark.parametrize("kind", KINDS)
def test_an_index_of_documents_round_trips_through_a_database(
    kind, tmp_path, data_file, demo_file, capsys, monkeypatch
):
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    index, files = _index_of_two(tmp_path / "data", data_file, demo_file)
    demo = YamlStore(files["joint-2023"]).load(today=TODAY)
    item = _reader_suggestion(demo, client="198.51.100.4", rec_id=demo.recommendations[0].id)
    YamlStore(files["joint-2023"]).suggestions.replace_all([item])
    url = _database(kind, tmp_path)

    code, out, err = run_here(capsys, "import", str(index), "--to", url)
    assert code == 0, err
    assert out.splitlines()[1] == (
        f"Imported {len(demo.recommendations)} recommendations ({sum(len(r.updates) for r in demo.recommendations)} "
        f"updates) and 1 suggestions from {index}#joint-2023 into {url}#joint-2023."
    )
    assert sql_tables.list_documents(url) == ["usip-2022", "joint-2023"]  # the index's ids and order
    assert open_store(url).load(today=TODAY) == YamlStore(files["usip-2022"]).load(today=TODAY)  # the first
    assert open_store(f"{url}#joint-2023").suggestions.list() == [item]
    assert open_store(f"{url}#usip-2022").suggestions.list() == []
    code, out, _ = run_here(capsys, "import", str(index), "--to", url)
    assert code == 0 and out.count("already holds exactly this tracker") == 2

    # Every document, to a new folder with an index: the same bytes for every document.
    out_index = tmp_path / "out" / "documents.yaml"
    code, _, err = run_here(capsys, "export", "--from", url, "--to", str(out_index))
    assert code == 0, err
    assert (out_index.parent / "usip-2022.yaml").read_bytes() == files["usip-2022"].read_bytes()
    assert (out_index.parent / "joint-2023.yaml").read_bytes() == files["joint-2023"].read_bytes()
    assert (out_index.parent / "joint-2023.suggestions.yaml").exists()
    assert [doc.id for doc in list_documents(out_index)] == ["usip-2022", "joint-2023"]
    assert err.strip().endswith(f"Wrote the index of 2 documents to {out_index}.")
    # Into the index it came from: each document to the file the index names, the index as it was.
    before = {path: path.read_bytes() for path in [index, *files.values()]}
    assert run_here(capsys, "export", "--from", url, "--to", str(index))[0] == 0
    assert {path: path.read_bytes() for path in before} == before

    # One document: exported by its #id, imported alone by --document.
    one = tmp_path / "one.yaml"
    assert run_here(capsys, "export", "--from", f"{url}#joint-2023", "--to", str(one))[0] == 0
    assert one.read_bytes() == files["joint-2023"].read_bytes()
    code, _, err = run_here(capsys, "export", "--from", url, "--to", str(tmp_path / "both.yaml"))
    assert (code, err.strip()) == (
        1,
        f"{url} holds 2 documents and {tmp_path / 'both.yaml'} is one tracker file; copy them into an index of "
        "documents (FOLDER/documents.yaml), or pick one with #ID.",
    )
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, _ = run_here(capsys, "import", str(index), "--document", "joint-2023", "--to", other)
    assert code == 0 and out.strip().endswith(f"into {other}#joint-2023.")
    assert sql_tables.list_documents(other) == ["joint-2023"]
    code, _, err = run_here(capsys, "import", str(index), "--document", "nope", "--to", other)
    assert (code, err.strip()) == (
        1,
        f"{index} holds no document 'nope' (it holds 'usip-2022', 'joint-2023'); nothing was copied.",
    )


def test_importing_an_index_over_different_documents_changes_nothing(capsys, tmp_path, data_file, demo_file):
    index, files = _index_of_two(tmp_path / "data", data_file, demo_file)
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert run_here(capsys, "import", str(files["usip-2022"]), "--to", f"{url}#joint-2023")[0] == 0
    revision = open_store(f"{url}#joint-2023").revision()
    code, _, err = run_here(capsys, "import", str(index), "--to", url)
    assert (code, err.strip()) == (
        1,
        f"{url}#joint-2023 already holds a different tracker; nothing was changed. "
        "Add --replace to overwrite it (export it first if you may need it).",
    )
    assert sql_tables.list_documents(url) == ["joint-2023"] and open_store(f"{url}#joint-2023").revision() == revision
    assert run_here(capsys, "import", str(index), "--to", url, "--replace")[0] == 0
    assert sql_tables.list_documents(url) == ["joint-2023", "usip-2022"]  # one added after those it held
    assert open_store(f"{url}#joint-2023").load(today=TODAY) == YamlStore(files["joint-2023"]).load(today=TODAY)
