"""What only the YAML store does: canonical bytes, file locks, crash safety, partial re-rendering.

The behaviours every store shares (date order, refusals, edits, conflicts) run against the
YAML file, SQLite and PostgreSQL alike in tests/test_database.py."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import signal
import stat
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import RECORDED, TODAY, make_data, new_recommendation

from tracker.edits import build_update
from tracker.errors import StoreUnavailable, ValidationFailed
from tracker.storage import yaml_files
from tracker.storage.yaml_files import ParsedCache, YamlStore, configured_cache
from tracker.validation import find_problems, validate_data
from tracker.yaml_text import dump_tracker


def _update(when="2024-01-01", status="partial", note="Checked.", url="https://example.org/n", author="Tester"):
    sources = [{"url": url, "title": "Evidence", "kind": "news"}] if url else []
    return build_update(
        {"date": when, "status": status, "note": note, "sources": sources, "author": author, "recorded": RECORDED}
    )


def test_load_then_save_unchanged_is_byte_identical(store, data_file):
    before = data_file.read_bytes()
    tracker = store.load(today=TODAY)
    assert dump_tracker(tracker).encode() == before
    store.replace(tracker, today=TODAY)
    assert data_file.read_bytes() == before


def test_review_without_status_change_needs_no_source(store):
    tracker = store.append_update("joint-fund", _update("2026-11-01", "partial", "Reviewed.", url=None), today=TODAY)
    assert tracker.recommendations[1].updates[-1].note == "Reviewed."


@pytest.mark.parametrize(
    "fields,message",
    [
        (
            {"date": "yesterday"},
            "Update date: must be a date written YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known.",
        ),
        (
            {"sources": [{"url": "javascript:alert(1)", "title": "x", "kind": "news"}]},
            "Update source 1 › url: 'javascript:alert(1)' is not a web address; sources must start with http:// or https://.",
        ),
        ({"note": ""}, "Update note: must not be empty."),
        ({"note": "x" * 2001}, "Update note: is too long (2001 characters; the limit is 2000)."),
        ({"author": None}, "Update author: is required; fill it in."),
    ],
)
def test_bad_update_fields_are_explained(fields, message):
    base = {"date": "2024-01-01", "status": "partial", "note": "n", "sources": [], "author": "A", "recorded": RECORDED}
    with pytest.raises(ValidationFailed) as failed:
        build_update({**base, **fields})
    assert [str(p) for p in failed.value.problems] == [message]


def test_missing_file_is_a_plain_error(tmp_path):
    with pytest.raises(StoreUnavailable, match="does not exist; check the path"):
        YamlStore(tmp_path / "missing.yaml").load(today=TODAY)


def test_busy_lock_gives_a_plain_message(store, data_file):
    from filelock import FileLock

    with FileLock(str(data_file) + ".lock"):
        busy = YamlStore(data_file, lock_timeout=0.2)
        with pytest.raises(StoreUnavailable, match="Another save is still in progress"):
            busy.append_update("joint-fund", _update(), today=TODAY)


def _append_many(path, worker, count):
    store = YamlStore(path)
    for n in range(count):
        store.append_update("joint-fund", _update("2024-01-01", "partial", f"worker {worker} update {n}"), today=TODAY)


def test_concurrent_processes_lose_nothing(store, data_file):
    before = len(store.load(today=TODAY).recommendations[1].updates)
    workers = [multiprocessing.Process(target=_append_many, args=(data_file, w, 50)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    updates = YamlStore(data_file).load(today=TODAY).recommendations[1].updates
    assert len(updates) == before + 200
    notes = {u.note for u in updates}
    assert all(f"worker {w} update {n}" in notes for w in range(4) for n in range(50))


def _save_forever(path, saved, first=0):
    store = YamlStore(path)
    n = first  # each writer's notes are its own: the same update twice would be refused
    while True:
        n += 1
        store.append_update("joint-fund", _update("2024-01-01", "partial", f"save {n}"), today=TODAY)
        saved.value += 1


def _big_tracker_file(path, recommendations=300):
    data = make_data()
    template = data["recommendations"][1]
    data["recommendations"] += [{**template, "id": f"filler-{n}"} for n in range(recommendations)]
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")


def test_killed_writer_leaves_old_or_new_file(tmp_path):
    path = tmp_path / "recommendations.yaml"
    _big_tracker_file(path)
    completed = 0
    for round_ in range(12):
        saved = multiprocessing.Value("i", 0)
        writer = multiprocessing.Process(target=_save_forever, args=(path, saved, 1000 * round_))
        writer.start()
        # Wait for one whole save (however slow the machine), then kill at a varying point of the next.
        deadline = time.monotonic() + 60
        while saved.value < 1 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep((round_ % 6) * 0.013)
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        assert saved.value >= 1, "the writer never finished a save"
        completed += saved.value
        tracker = YamlStore(path).load(today=TODAY)  # must parse and validate
        saves = [u.note for u in tracker.recommendations[1].updates if u.note.startswith("save ")]
        # The file holds every finished save, plus at most the one that was being written.
        assert completed <= len(saves) <= completed + 1
        completed = len(saves)


def test_a_write_keeps_the_bytes_of_recommendations_it_did_not_change(store, data_file):
    # A hand-written detail (a comment) inside another recommendation survives an append there.
    text = data_file.read_text(encoding="utf-8")
    marked = text.replace("  title: Trilateral talks\n", "  title: Trilateral talks  # checked by hand\n")
    data_file.write_text(marked, encoding="utf-8")
    YamlStore(data_file).append_update(
        "export-controls", _update("2024-05-01", "implemented", "Still lifted."), today=TODAY
    )
    after = data_file.read_text(encoding="utf-8")
    assert "  title: Trilateral talks  # checked by hand\n" in after
    assert after.split("- id: trilateral-talks", 1)[1] == marked.split("- id: trilateral-talks", 1)[1]
    # The changed recommendation itself is written in canonical form.
    reloaded = YamlStore(data_file).load(today=TODAY)
    assert reloaded.recommendations[0].updates[-1].note == "Still lifted."
    assert dump_tracker(reloaded).split("- id: joint-fund")[0] == after.split("- id: joint-fund")[0]


def test_an_unusual_layout_is_rewritten_in_full(store, data_file):
    # Recommendations indented under their key: valid YAML, but not the canonical layout.
    text = data_file.read_text(encoding="utf-8")
    head, recs = text.split("recommendations:\n", 1)
    indented = head + "recommendations:\n" + "".join(f"  {line}\n" for line in recs.splitlines())
    data_file.write_text(indented, encoding="utf-8")
    store = YamlStore(data_file)
    tracker = store.append_update("joint-fund", _update("2026-11-01", "partial", "Checked."), today=TODAY)
    assert data_file.read_text(encoding="utf-8") == dump_tracker(tracker)


# -- files that are not plain files -------------------------------------------------------------------


NOT_A_FILE = (
    "is not a regular file (it is a device, a pipe or a folder, or a link to one); point to the tracker's YAML file."
)


@pytest.mark.parametrize("kind", ["device", "fifo", "link-to-device", "folder"])
def test_a_path_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "recommendations.yaml"
    if kind == "device":
        path = Path("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-device":
        path.symlink_to("/dev/urandom")
    else:
        path.mkdir()
    assert [str(problem) for problem in find_problems(path, today=TODAY)] == [f"{path.name}: {NOT_A_FILE}"]
    with pytest.raises(ValidationFailed) as failed:
        YamlStore(path).load(today=TODAY)
    assert [str(problem) for problem in failed.value.problems] == [f"{path.name}: {NOT_A_FILE}"]


def test_a_data_file_that_is_a_link_is_written_through(tmp_path, data_file):
    link = tmp_path / "linked.yaml"
    link.symlink_to(data_file)
    YamlStore(link).append_update("joint-fund", _update(note="Through the link."), today=TODAY)
    assert link.is_symlink() and link.resolve() == data_file.resolve()
    assert "Through the link." in data_file.read_text(encoding="utf-8")


def test_a_file_ending_in_a_document_marker_stays_valid_after_any_write(data_file):
    data_file.write_text(data_file.read_text(encoding="utf-8") + "...\n", encoding="utf-8")
    store = YamlStore(data_file)
    store.load(today=TODAY)
    store.add_recommendation(new_recommendation("hotline"), today=TODAY)
    assert find_problems(data_file, today=TODAY) == []
    assert YamlStore(data_file).load(today=TODAY).recommendations[-1].id == "hotline"


def test_the_next_write_removes_stale_temp_files(data_file):
    stale = data_file.with_name(f".{data_file.name}.killed.tmp")
    stale.write_bytes(b"half a file")
    other = data_file.with_name(".somebody-else.tmp")
    other.write_bytes(b"not ours")
    YamlStore(data_file).append_update("joint-fund", _update(), today=TODAY)
    assert not stale.exists() and other.exists()


# -- the cache of parsed files (ParsedCache) ------------------------------------------------------------


@pytest.fixture
def cached_file(tmp_path, data_file) -> Path:
    """The small tracker in a data folder of its own (a cache folder may not lie in the data's folder)."""
    folder = tmp_path / "data"
    folder.mkdir()
    return Path(data_file.rename(folder / data_file.name))


@pytest.fixture
def cache(tmp_path) -> ParsedCache:
    return ParsedCache(tmp_path / "cache")


def _never_parsed(monkeypatch):
    """Make any parse of YAML fail the test: the load must come from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("parsed the file although the cache held it")

    monkeypatch.setattr(yaml_files, "parse_yaml", refuse)


def _entry_of(cache, path):
    return cache.read(path, hashlib.sha256(path.read_bytes()).hexdigest())


def test_a_cached_load_equals_an_uncached_one(cached_file, cache, monkeypatch):
    first = YamlStore(cached_file, cache=cache).load(today=TODAY)
    assert _entry_of(cache, cached_file) is not None
    _never_parsed(monkeypatch)
    again = YamlStore(cached_file, cache=cache).load(today=TODAY)  # a new process would start like this
    monkeypatch.undo()
    uncached = YamlStore(cached_file).load(today=TODAY)
    assert again == uncached == first
    assert dump_tracker(again) == dump_tracker(uncached) == cached_file.read_text(encoding="utf-8")


def test_a_save_after_a_cached_load_writes_what_an_uncached_store_writes(tmp_path, cached_file, cache):
    YamlStore(cached_file, cache=cache).load(today=TODAY)
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(cached_file.read_bytes())
    store = YamlStore(cached_file, cache=cache)
    store.load(today=TODAY)  # from the cache, with where each recommendation's text starts
    store.append_update("joint-fund", _update(note="Saved."), today=TODAY)
    YamlStore(plain).append_update("joint-fund", _update(note="Saved."), today=TODAY)
    assert cached_file.read_bytes() == plain.read_bytes()


def test_a_changed_file_is_read_again(cached_file, cache):
    store = YamlStore(cached_file, cache=cache)
    store.load(today=TODAY)
    # Changed in place by hand, same size and the same modification time: only its bytes tell.
    before = cached_file.stat()
    text = cached_file.read_text(encoding="utf-8")
    changed = text.replace("title: Test tracker", "title: Test trackex")
    assert len(changed) == len(text) and changed != text
    with open(cached_file, "r+", encoding="utf-8") as handle:
        handle.write(changed)
    os.utime(cached_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    fresh = YamlStore(cached_file, cache=cache).load(today=TODAY)
    assert fresh.settings.title == "Test trackex"
    # Saved by another store (another process): the next load of every store sees it.
    YamlStore(cached_file).append_update("joint-fund", _update(note="From elsewhere."), today=TODAY)
    reloaded = store.load(today=TODAY)
    assert "From elsewhere." in {update.note for rec in reloaded.recommendations for update in rec.updates}
    assert YamlStore(cached_file, cache=cache).load(today=TODAY) == YamlStore(cached_file).load(today=TODAY)


def test_another_day_checks_the_dates_again(cached_file, cache):
    YamlStore(cached_file, cache=cache).load(today=TODAY)
    earlier = date(2024, 1, 2)  # before some of the fixture's updates: those dates are in the future then
    with pytest.raises(ValidationFailed) as uncached:
        YamlStore(cached_file).load(today=earlier)
    with pytest.raises(ValidationFailed) as cached:
        YamlStore(cached_file, cache=cache).load(today=earlier)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in uncached.value.problems]
    assert all(problem.line for problem in cached.value.problems)  # parsed again: the problems name lines


def _bytes_with_payload(blob: bytes, payload: bytes) -> bytes:
    """An entry whose payload is replaced and whose header vouches for it (as a forger would write it)."""
    header, _ = blob[len(yaml_files._MAGIC) :].split(b"\n", 1)
    facts = json.loads(header)
    facts["payload"] = hashlib.sha256(payload).hexdigest()
    return yaml_files._MAGIC + json.dumps(facts).encode() + b"\n" + payload


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


@pytest.mark.parametrize(
    "damage",
    ["empty", "garbage", "truncated", "flipped byte", "other code", "other file", "foreign class", "not a tracker"],
)
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(tmp_path, cached_file, cache, damage, monkeypatch):
    other = tmp_path / "data" / "other.yaml"
    other.write_bytes(cached_file.read_bytes())
    YamlStore(other, cache=cache).load(today=TODAY)
    YamlStore(cached_file, cache=cache).load(today=TODAY)
    entry = cache.entry(cached_file)
    blob = entry.read_bytes()
    if damage == "empty":
        entry.write_bytes(b"")
    elif damage == "garbage":
        entry.write_bytes(os.urandom(2000))
    elif damage == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flipped byte":
        entry.write_bytes(blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:])
    elif damage == "other code":
        entry.write_bytes(blob.replace(yaml_files.code_version().encode(), b"0" * 64))
    elif damage == "other file":  # the same bytes parsed, but kept for another file
        entry.write_bytes(cache.entry(other).read_bytes())
    elif damage == "foreign class":
        entry.write_bytes(_bytes_with_payload(blob, pickle.dumps((_Boom(), None))))
    else:
        entry.write_bytes(_bytes_with_payload(blob, pickle.dumps(({"not": "a tracker"}, None))))
    monkeypatch.chdir(tmp_path)
    assert _entry_of(cache, cached_file) is None
    assert YamlStore(cached_file, cache=cache).load(today=TODAY) == YamlStore(cached_file).load(today=TODAY)
    assert not (tmp_path / "pwned").exists()
    assert _entry_of(cache, cached_file) is not None  # rebuilt by that load


def test_a_folder_others_may_open_is_not_used(cached_file, cache):
    YamlStore(cached_file, cache=cache).load(today=TODAY)
    os.chmod(cache.folder, 0o777)
    assert _entry_of(cache, cached_file) is None
    assert YamlStore(cached_file, cache=cache).load(today=TODAY) == YamlStore(cached_file).load(today=TODAY)


def test_an_entry_that_is_a_link_is_not_read(tmp_path, cached_file, cache):
    YamlStore(cached_file, cache=cache).load(today=TODAY)
    entry = cache.entry(cached_file)
    kept = tmp_path / "kept.parsed"
    entry.rename(kept)
    entry.symlink_to(kept)
    assert _entry_of(cache, cached_file) is None


def test_the_cache_is_never_inside_the_data_folder(cached_file):
    for inside in (cached_file.parent, cached_file.parent / ".cache", cached_file.parent / "a" / "b"):
        cache = ParsedCache(inside)
        assert not cache.serves(cached_file)
        YamlStore(cached_file, cache=cache).load(today=TODAY)
        assert not list(cached_file.parent.rglob("*.parsed"))
    assert sorted(p.name for p in cached_file.parent.iterdir()) == [cached_file.name]


def test_the_cache_folder_is_configured(tmp_path):
    assert configured_cache({"TRACKER_CACHE_DIR": "off"}) is None
    assert configured_cache({"TRACKER_CACHE_DIR": str(tmp_path / "c")}).folder == tmp_path / "c"
    default = configured_cache({}).folder
    assert default.parent == Path(tempfile.gettempdir()) and str(os.getuid()) in default.name


def test_writes_are_atomic_and_leave_no_temporary_files(cached_file, cache):
    for n in range(3):
        YamlStore(cached_file).append_update("joint-fund", _update(note=f"Round {n}."), today=TODAY)
        YamlStore(cached_file, cache=cache).load(today=TODAY)
    assert [p.name for p in cache.folder.iterdir()] == [cache.entry(cached_file).name]
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.entry(cached_file).stat().st_mode) == 0o600


def _load_and_save_with_cache(path, folder, worker, count, results):
    store = YamlStore(path, cache=ParsedCache(folder))
    for n in range(count):
        store.append_update("joint-fund", _update("2024-01-01", "partial", f"worker {worker} update {n}"), today=TODAY)
        # A fresh store as a restarted process would have: whatever the cache holds, it loads the file as it is.
        raw = path.read_bytes()
        loaded = YamlStore(path, cache=ParsedCache(folder)).load(today=TODAY)
        if raw == path.read_bytes():  # unchanged by the other workers meanwhile
            assert dump_tracker(loaded).encode() == raw
    results.put(worker)


def test_two_processes_sharing_a_cache_do_not_clash(cached_file, cache):
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_load_and_save_with_cache, args=(cached_file, cache.folder, w, 15, results))
        for w in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(180)
        assert worker.exitcode == 0
    assert sorted(results.get(timeout=5) for _ in workers) == [0, 1]
    notes = {u.note for u in YamlStore(cached_file, cache=cache).load(today=TODAY).recommendations[1].updates}
    assert all(f"worker {w} update {n}" in notes for w in range(2) for n in range(15))
    assert YamlStore(cached_file, cache=cache).load(today=TODAY) == YamlStore(cached_file).load(today=TODAY)
    assert _entry_of(cache, cached_file) is not None
    assert not list(cache.folder.glob("*.tmp"))
