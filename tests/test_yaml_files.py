"""What only the YAML store does: canonical bytes, file locks, crash safety, partial re-rendering.

The behaviours every store shares (date order, refusals, edits, conflicts) run against the
YAML file, SQLite and PostgreSQL alike in tests/test_database.py."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from conftest import RECORDED, TODAY, make_data, new_recommendation

from tracker.edits import build_update
from tracker.errors import StoreUnavailable, ValidationFailed
from tracker.storage.yaml_files import YamlStore
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
