"""The storage contract (`tracker.storage.contract`), the same tests on every backend: a YAML file,
SQLite and PostgreSQL (and the second document of a PostgreSQL database of two), the tracker and its
readers' suggestions. A new backend passes these.

PostgreSQL tests use a database of their own (tracker_suggestions_test) on the server that
TRACKER_TEST_DATABASE_URL names, so they never touch the tables other tests use at the same
time; without that variable they skip with a one-line reason."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from conftest import RECORDED, TODAY
from helpers import PG_SKIP, PG_URL, POSTGRES, own_database, reset_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import main as cli_main
from tracker.decisions import accept_suggestion, decline_suggestion, merge_suggestion
from tracker.edits import build_update
from tracker.errors import NotFound, StoreUnavailable, ValidationFailed
from tracker.model import Source
from tracker.storage import open_store
from tracker.storage.contract import adding_update
from tracker.storage.sql import SqlStore
from tracker.storage.yaml_files import YamlStore, dump_suggestions, parse_suggestions
from tracker.suggestion import (
    Limits,
    Suggestion,
    client_key,
    credit_line,
    draft_sources,
    new_reference,
    validate_suggestion,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
CONTACT = "store.reader.k4@example.net"
MANY = Limits(per_client=10_000, max_pending=10_000)
_OWN_DATABASE = "tracker_suggestions_test"


def _suggestion(tracker, n=0, client="203.0.113.7", rec_id="joint-fund", status="implemented", url="") -> Suggestion:
    form = {
        "rec_id": rec_id,
        "note": f"Suggestion {n}: Japanese firms joined the fund.",
        "date": "2026-10-15",
        "status": status,
        "sources": [{"url": url or f"https://example.org/suggested/{n}", "title": f"Report {n}"}],
        "contact": CONTACT,
    }
    return validate_suggestion(
        tracker, form, reference=new_reference(), client=client_key(client, "salt"), submitted=RECORDED, today=TODAY
    )


def own_postgres_url() -> str:
    """A database of these tests' own on the test server, emptied of every table."""
    url = own_database(PG_URL, _OWN_DATABASE)
    reset_database(url)
    return url


@dataclass
class Place:
    """A tracker store, its suggestion store, and where they live (to open fresh ones)."""

    kind: str
    location: str
    store: object

    @property
    def suggestions(self):
        return self.store.suggestions

    def fresh_store(self):
        return open_store(self.location)

    def fresh(self):
        return self.fresh_store().suggestions


# The second document of a database of two: every test below runs on it, and must leave the first alone.
POSTGRES_SECOND = pytest.param("postgresql-second", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP))


@pytest.fixture(params=["yaml", "sqlite", POSTGRES, POSTGRES_SECOND])
def place(request, tmp_path, tracker, data_file):
    if request.param == "yaml":
        yield Place("yaml", str(data_file), YamlStore(data_file))
        return
    if request.param == "postgresql-second":
        yield from _second_document(tracker)
        return
    url = f"sqlite:///{tmp_path / 'tracker.db'}" if request.param == "sqlite" else own_postgres_url()
    store = SqlStore(url)
    store.replace(tracker, today=TODAY)
    yield Place(request.param, url, store)
    store.dispose()


def _second_document(tracker):
    """A database of two documents with the same recommendation ids; the store is the second one's. The
    first holds other titles and two suggestions whose sources and client the tests use too, so anything
    of the first's that leaked into the second (a row, a suggestion, an abuse count) would show. Afterwards
    the first must be exactly as it was: revision, tracker and suggestions."""
    url = own_postgres_url()
    recs = [rec.model_copy(update={"title": f"{rec.title} (first document)"}) for rec in tracker.recommendations]
    other = tracker.model_copy(update={"recommendations": recs})
    first = SqlStore(url, document="first")
    first.replace(other, today=TODAY)
    theirs = [_suggestion(other, 1), _suggestion(other, 2, client="198.51.100.2")]
    first.suggestions.replace_all(theirs)
    before = first.revision()
    first.dispose()
    store = SqlStore(url, document="second")
    store.replace(tracker, today=TODAY)
    yield Place("postgresql-second", f"{url}#second", store)
    store.dispose()
    after = SqlStore(url, document="first")
    assert (after.revision(), after.load(today=TODAY), after.suggestions.list()) == (before, other, theirs)
    after.dispose()


@pytest.fixture
def pg_url():
    if not PG_URL:
        pytest.skip(PG_SKIP)
    return own_postgres_url()


# -- the same behaviours on every store ---------------------------------------------------------------


# -- the tracker store ---------------------------------------------------------------------------


def _update(when: str, status: str = "partial", note: str = "Checked.", url: str = "https://example.org/n"):
    sources = [{"url": url, "title": "Evidence", "kind": "news"}] if url else []
    return build_update(
        {"date": when, "status": status, "note": note, "sources": sources, "author": "Ana", "recorded": RECORDED}
    )


def test_exists_load_revision_and_replace(place, tracker, tmp_path):
    assert place.store.exists() and place.store.load(today=TODAY) == tracker
    revision = place.store.revision()
    assert place.store.revision() == revision  # a read changes nothing
    assert place.store.describe() and "@" not in place.store.describe().split("//")[-1].split("/")[0].split("@")[0]
    changed = tracker.model_copy(update={"recommendations": tracker.recommendations[:1]})
    place.store.replace(changed, today=TODAY)
    assert place.store.revision() != revision
    assert place.fresh_store().load(today=TODAY) == changed
    empty = open_store(str(tmp_path / "none.yaml")) if place.kind == "yaml" else None
    if empty is not None:
        assert not empty.exists()


def test_a_change_lands_and_a_refused_change_writes_nothing(place):
    after = place.store.change(adding_update("joint-fund", _update("2026-11-01"), today=TODAY), today=TODAY)
    assert after.recommendations[1].updates[-1].date == "2026-11-01"
    assert place.fresh_store().load(today=TODAY) == after
    revision = place.store.revision()
    with pytest.raises(ValidationFailed, match="cites no source"):
        place.store.change(adding_update("joint-fund", _update("2026-11-02", "implemented", url=""), today=TODAY),
                           today=TODAY)  # fmt: skip
    assert place.store.revision() == revision and place.fresh_store().load(today=TODAY) == after


def test_a_batch_that_fails_midway_saves_nothing(place, tracker):
    """Three changes, the third refused: none of them is saved, on every backend."""
    revision = place.store.revision()

    def fails(_tracker):
        raise StoreUnavailable("The disk is full.")

    batches = [
        [adding_update("joint-fund", _update("2026-11-01"), today=TODAY),
         adding_update("trilateral-talks", _update("2026-11-01", "in_progress"), today=TODAY),
         adding_update("joint-fund", _update("2026-11-02", "implemented", url=""), today=TODAY)],
        [adding_update("joint-fund", _update("2026-11-01"), today=TODAY), fails],
    ]  # fmt: skip
    for batch, error in zip(batches, (ValidationFailed, StoreUnavailable), strict=True):
        with pytest.raises(error):
            place.store.change_all(batch, today=TODAY)
        assert place.store.revision() == revision
        assert place.fresh_store().load(today=TODAY) == tracker
    after = place.store.change_all(batches[0][:2], today=TODAY)
    assert [len(rec.updates) for rec in after.recommendations] == [
        len(rec.updates) + (rec.id in ("joint-fund", "trilateral-talks")) for rec in tracker.recommendations
    ]


def test_two_writers_at_once_lose_nothing(place):
    def write(n):
        store = place.fresh_store()
        store.append_update("joint-fund", _update(f"2026-10-{n + 1:02d}", note=f"Writer {n}."), today=TODAY)
        getattr(store, "dispose", lambda: None)()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    notes = [u.note for u in place.fresh_store().load(today=TODAY).recommendations[1].updates]
    assert sorted(note for note in notes if note.startswith("Writer")) == [f"Writer {n}." for n in range(6)]


def test_round_trip(place, tracker):
    first, second = _suggestion(tracker, 1), _suggestion(tracker, 2, client="198.51.100.2")
    for item in (first, second):
        place.suggestions.submit(item, tracker=tracker, now=NOW)
    fresh = place.fresh()
    assert fresh.list() == [first, second]
    assert fresh.get(second.reference) == second
    decline_suggestion(
        place.fresh_store(), first.reference, editor="Ed", reason="Not about this recommendation.", now=NOW
    )
    again = place.fresh()
    assert [item.reference for item in again.list(state="pending")] == [second.reference]
    declined = again.get(first.reference)
    assert (declined.state, declined.decision.by, declined.decision.reason) == (
        "declined",
        "Ed",
        "Not about this recommendation.",
    )
    with pytest.raises(NotFound, match="There is no suggestion with the reference 'nope'; check the link."):
        again.get("nope")


def test_suggestions_never_touch_the_tracker_until_accepted(place, tracker):
    revision = place.store.revision()
    place.suggestions.submit(_suggestion(tracker), tracker=tracker, now=NOW)
    assert place.store.revision() == revision
    if place.kind == "yaml":
        beside = place.store.path.with_name("recommendations.suggestions.yaml")
        assert beside.exists() and CONTACT in beside.read_text(encoding="utf-8")
        assert CONTACT not in place.store.path.read_text(encoding="utf-8")


def test_abuse_rules_hold_in_the_store_and_write_nothing(place, tracker):
    for n in range(3):
        place.suggestions.submit(_suggestion(tracker, n), tracker=tracker, now=NOW)
    with pytest.raises(ValidationFailed, match="3 suggestions came from your connection in the last 60 minutes"):
        place.suggestions.submit(_suggestion(tracker, 9), tracker=tracker, now=NOW)
    with pytest.raises(ValidationFailed, match="already suggested and is waiting"):
        place.suggestions.submit(_suggestion(tracker, 0, client="other"), tracker=tracker, now=NOW)
    # The same address with a newsletter's tracking parameters and the default port is the same source.
    tracked = _suggestion(
        tracker, 0, client="another", url="https://EXAMPLE.org:443/suggested/0/?utm_source=newsletter&utm_medium=email"
    )
    with pytest.raises(ValidationFailed) as refused:
        place.suggestions.submit(tracked, tracker=tracker, now=NOW)
    assert [str(problem) for problem in refused.value.problems] == [
        "The source https://EXAMPLE.org:443/suggested/0/?utm_source=newsletter&utm_medium=email was already "
        "suggested and is waiting for an editor."
    ]
    assert len(place.fresh().list()) == 3


def test_an_accepted_suggestion_lands_as_an_update_crediting_it(place, tracker):
    suggestion = _suggestion(tracker)
    place.suggestions.submit(suggestion, tracker=tracker, now=NOW)
    accepted = accept_suggestion(
        place.store,
        suggestion.reference,
        editor="Ed Itor",
        note="Japanese firms joined the fund.",
        sources=draft_sources(suggestion, ["news"]),
        now=NOW,
        today=TODAY,
    )
    assert accepted.state == "accepted" and accepted.decision.by == "Ed Itor"
    rec = open_store(place.location).load(today=TODAY).recommendations[1]
    assert rec.updates[-1].status == "implemented" and rec.updates[-1].author == "Ed Itor"
    assert rec.updates[-1].note.endswith(credit_line(suggestion.reference))
    assert place.fresh().get(suggestion.reference).state == "accepted"
    with pytest.raises(ValidationFailed, match=f"Suggestion {suggestion.reference} was already accepted by Ed Itor"):
        accept_suggestion(
            place.store,
            suggestion.reference,
            editor="Other",
            note=None,
            sources=draft_sources(suggestion, ["news"]),
            now=NOW,
            today=TODAY,
        )
    assert len(open_store(place.location).load(today=TODAY).recommendations[1].updates) == len(rec.updates)


class _FailsOnce:
    """A store whose first accept fails after the tracker write, as if the process died between the two
    writes (possible on the YAML files; a database does both in one transaction). Public members only."""

    def __init__(self, inner):
        self.inner, self.failed = inner, False
        self.suggestions = self

    def __getattr__(self, name):
        return getattr(self.inner.suggestions, name)

    def decide_with_change(self, reference, change, decision, *, today):
        if not self.failed:
            # The tracker write lands; recording the decision then fails.
            self.failed = True
            suggestion = self.inner.suggestions.get(reference)
            self.inner.change(lambda tracker: change(tracker, suggestion), today=today)
            raise StoreUnavailable("Another save is still in progress and did not finish in time.")
        return self.inner.suggestions.decide_with_change(reference, change, decision, today=today)


def test_a_retried_accept_adds_the_update_once(place, tracker):
    suggestion = _suggestion(tracker)
    place.suggestions.submit(suggestion, tracker=tracker, now=NOW)
    flaky = _FailsOnce(place.store)
    arguments = dict(editor="Ed", note=None, sources=draft_sources(suggestion, ["news"]), now=NOW, today=TODAY)
    with pytest.raises(StoreUnavailable):
        accept_suggestion(flaky, suggestion.reference, **arguments)
    assert place.fresh().get(suggestion.reference).state == "pending"
    accept_suggestion(flaky, suggestion.reference, **arguments)
    updates = open_store(place.location).load(today=TODAY).recommendations[1].updates
    assert sum(1 for u in updates if u.note.endswith(credit_line(suggestion.reference))) == 1
    assert place.fresh().get(suggestion.reference).state == "accepted"


def test_an_accept_and_a_decline_at_once_never_contradict_each_other(place, tracker):
    """Two editors decide the same suggestions at the same moment, one accepting, one declining:
    each suggestion ends accepted with exactly one update crediting it, or declined with none."""
    made = [_suggestion(tracker, n, client=f"198.51.100.{n}") for n in range(6)]
    for item in made:
        place.suggestions.submit(item, tracker=tracker, now=NOW, limits=MANY)
    outcomes = {}

    def accept(reference):
        try:
            accept_suggestion(
                open_store(place.location), reference, editor="Ana", note=None,
                sources=[Source(url="https://example.org/accepted", title="Report", kind="news")], now=NOW, today=TODAY,
            )  # fmt: skip
            outcomes[reference, "accept"] = "done"
        except ValidationFailed as refused:
            outcomes[reference, "accept"] = str(refused.problems[0])

    def decline(reference):
        try:
            decline_suggestion(place.fresh_store(), reference, editor="Ben", reason="Covered already.", now=NOW)
            outcomes[reference, "decline"] = "done"
        except ValidationFailed as refused:
            outcomes[reference, "decline"] = str(refused.problems[0])

    threads = [threading.Thread(target=work, args=(item.reference,)) for item in made for work in (accept, decline)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    updates = open_store(place.location).load(today=TODAY).recommendations[1].updates
    for item in made:
        state = place.fresh().get(item.reference).state
        credited = sum(1 for update in updates if update.note.endswith(credit_line(item.reference)))
        assert (state, credited) in (("accepted", 1), ("declined", 0)), (state, credited)
        winner = "accept" if state == "accepted" else "decline"
        loser = "decline" if winner == "accept" else "accept"
        assert outcomes[item.reference, winner] == "done"
        assert outcomes[item.reference, loser].startswith(f"Suggestion {item.reference} was already ")


def test_merge_records_the_update_and_leaves_the_tracker(place, tracker):
    suggestion = _suggestion(tracker)
    place.suggestions.submit(suggestion, tracker=tracker, now=NOW)
    revision = place.store.revision()
    merged = merge_suggestion(
        place.store, suggestion.reference, editor="Ed", into=("joint-fund", 2), now=NOW, today=TODAY
    )
    assert merged.state == "merged" and merged.decision.update.date == "2023-03"
    assert place.store.revision() == revision


def test_a_refused_decision_writes_nothing(place, tracker):
    suggestion = _suggestion(tracker)
    place.suggestions.submit(suggestion, tracker=tracker, now=NOW)
    with pytest.raises(ValidationFailed, match="Give the reason for declining"):
        decline_suggestion(place.store, suggestion.reference, editor="Ed", reason="", now=NOW)
    assert place.fresh().get(suggestion.reference) == suggestion


# -- the YAML file -----------------------------------------------------------------------------------


def test_a_store_that_read_the_file_sees_what_another_wrote_since(data_file, tracker):
    reader, writer = YamlStore(data_file).suggestions, YamlStore(data_file).suggestions
    assert reader.list() == []
    first = writer.submit(_suggestion(tracker, 1), tracker=tracker, now=NOW)
    assert reader.list() == [first]  # read and kept
    second = writer.submit(_suggestion(tracker, 2, client="198.51.100.9"), tracker=tracker, now=NOW)
    assert reader.list() == [first, second]
    # A hand edit of the file (same size, a new inode or not) is seen too.
    text = reader.path.read_text(encoding="utf-8")
    reader.path.write_text(text.replace("Report 2", "Report 3"), encoding="utf-8")
    assert reader.get(second.reference).sources[0].title == "Report 3"


def test_the_file_sits_beside_the_real_tracker_file_and_is_strictly_parsed(tmp_path, data_file, tracker):
    link = tmp_path / "elsewhere" / "link.yaml"
    link.parent.mkdir()
    link.symlink_to(data_file)
    store = YamlStore(link).suggestions
    assert store.path == data_file.with_name("recommendations.suggestions.yaml")
    store.submit(_suggestion(tracker), tracker=tracker, now=NOW)
    assert parse_suggestions(store.path.read_bytes(), store.path.name) == store.list()
    store.path.write_text(store.path.read_text() + "extra: &a 1\nmore: *a\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="anchor and alias"):
        store.list()
    store.path.write_text("schema_version: 1\nsuggestions:\n- reference: x\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        store.list()
    assert str(failed.value.problems[0]).startswith("recommendations.suggestions.yaml: Suggestion 1 › reference: ")


def test_a_reused_reference_is_refused_plainly(place, tracker):
    first = _suggestion(tracker, 1)
    again = _suggestion(tracker, 2).model_copy(update={"reference": first.reference})
    with pytest.raises(ValidationFailed) as failed:
        place.suggestions.replace_all([first, again])
    assert [str(p) for p in failed.value.problems] == [
        f"Suggestions: the reference '{first.reference}' is used twice; references must be unique."
    ]
    assert place.fresh().list() == []


_any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=60)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.lists(st.tuples(_any_text, _any_text), min_size=1, max_size=4))
def test_any_text_survives_the_file_as_typed(tracker, notes):
    items = []
    for n, (note, title) in enumerate(notes):
        try:
            item = validate_suggestion(
                tracker,
                {
                    "rec_id": "joint-fund",
                    "note": note,
                    "date": "2026-10",
                    "sources": [{"url": f"https://example.org/{n}", "title": title}],
                },
                reference=new_reference(),
                client=client_key(str(n), "s"),
                submitted=RECORDED,
                today=TODAY,
            )
        except ValidationFailed:
            assert not note.strip() or not title.strip()
            continue
        items.append(item)
    assert parse_suggestions(dump_suggestions(items).encode("utf-8"), "s.yaml") == items


def test_a_busy_lock_gives_a_plain_message(data_file, tracker):
    from filelock import FileLock

    store = YamlStore(data_file, lock_timeout=0.2).suggestions
    with FileLock(str(store.path) + ".lock"):
        with pytest.raises(StoreUnavailable, match="Another save is still in progress"):
            store.submit(_suggestion(tracker), tracker=tracker, now=NOW)


def _submit_forever(path, saved, first):
    tracker = YamlStore(path).load(today=TODAY)
    store = YamlStore(path).suggestions
    n = first
    while True:
        n += 1
        store.submit(_suggestion(tracker, n), tracker=tracker, now=NOW, limits=MANY)
        saved.value += 1


def test_a_killed_writer_leaves_the_old_file_or_the_new_one(data_file, tracker):
    store = YamlStore(data_file).suggestions
    # A big file, so that a write takes long enough to be interrupted.
    filler = [_suggestion(tracker, 10_000 + n, client=str(n)) for n in range(300)]
    store.replace_all(filler)
    completed = 0
    for round_ in range(8):
        saved = multiprocessing.Value("i", 0)
        writer = multiprocessing.Process(target=_submit_forever, args=(data_file, saved, 1000 * (round_ + 1)))
        writer.start()
        deadline = time.monotonic() + 60
        while saved.value < 1 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep((round_ % 4) * 0.011)
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        assert saved.value >= 1, "the writer never finished a save"
        completed += saved.value
        found = len(store.list()) - len(filler)  # must parse and validate
        assert completed <= found <= completed + 1
        completed = found
    # The next write removes what a killed one left behind.
    store.submit(_suggestion(tracker, 99_999, client="last"), tracker=tracker, now=NOW, limits=MANY)
    assert not list(data_file.parent.glob(".recommendations.suggestions.yaml.*.tmp"))


# -- concurrency ------------------------------------------------------------------------------------


def _submit_many(location, worker, count):
    # 400 whole-file rewrites queue on one lock; on a loaded 2-core machine a writer can wait longer
    # than the 30 s a page waits. What is tested is that nothing is lost, not the wait.
    store = (
        YamlStore(location, lock_timeout=300)
        if not location.startswith("sqlite") and "://" not in location
        else open_store(location)
    )
    tracker = store.load(today=TODAY)
    suggestions = store.suggestions
    for n in range(count):
        item = _suggestion(tracker, worker * 1000 + n, client=f"worker-{worker}")
        suggestions.submit(item, tracker=tracker, now=NOW, limits=MANY)
    getattr(store, "dispose", lambda: None)()


def _concurrent_submissions(location, workers=8, count=50):
    processes = [multiprocessing.Process(target=_submit_many, args=(location, w, count)) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(600)  # what is tested is that nothing is lost, not the wait
        assert process.exitcode == 0
    store = open_store(location)
    stored = store.suggestions.list()
    for w in range(workers):
        mine = [item.note for item in stored if item.client == client_key(f"worker-{w}", "salt")]
        assert mine == [f"Suggestion {w * 1000 + n}: Japanese firms joined the fund." for n in range(count)]
    assert len(stored) == workers * count
    getattr(store, "dispose", lambda: None)()


def test_concurrent_processes_lose_no_suggestion_yaml(data_file):
    _concurrent_submissions(str(data_file))


def test_concurrent_processes_lose_no_suggestion_sqlite(tmp_path, tracker):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = SqlStore(url)
    store.replace(tracker, today=TODAY)
    store.dispose()
    _concurrent_submissions(url, workers=4, count=25)


def test_concurrent_processes_lose_no_suggestion_postgresql(pg_url, tracker):
    store = SqlStore(pg_url)
    store.replace(tracker, today=TODAY)
    store.dispose()
    _concurrent_submissions(pg_url)


# -- import and export carry them -------------------------------------------------------------------


def test_export_and_import_carry_the_suggestions(tmp_path, data_file, tracker, capsys):
    suggestions = YamlStore(data_file).suggestions
    items = [_suggestion(tracker, n, client=str(n)) for n in range(3)]
    suggestions.replace_all(items)
    database = f"sqlite:///{tmp_path / 'copy.db'}"
    assert cli_main(["import", str(data_file), "--to", database]) == 0
    assert "3 suggestions" in capsys.readouterr().out
    assert open_store(database).suggestions.list() == items
    exported = tmp_path / "out" / "exported.yaml"
    exported.parent.mkdir()
    assert cli_main(["export", "--from", database, "--to", str(exported)]) == 0
    assert "3 suggestions" in capsys.readouterr().err
    beside = exported.with_name("exported.suggestions.yaml")
    assert beside.read_text(encoding="utf-8") == dump_suggestions(items)
    assert exported.read_bytes() == data_file.read_bytes()


def test_a_tracker_without_suggestions_exports_no_suggestions_file(tmp_path, data_file, capsys):
    exported = tmp_path / "exported.yaml"
    assert cli_main(["export", "--from", str(data_file), "--to", str(exported)]) == 0
    assert not exported.with_name("exported.suggestions.yaml").exists()
