"""The command line, run as a real subprocess on real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
import yaml
from conftest import RECORDED, ROOT, TODAY
from helpers import PG_SKIP, PG_URL, own_database, reset_database
from two_documents import FIRST, FIRST_TITLE, SECOND, SECOND_TITLE, write_two_documents

from tracker import cli
from tracker.edition import FINGERPRINT_SHOWN, fingerprint
from tracker.edits import build_update
from tracker.storage.yaml_files import YamlStore


def run(*args, env=None):
    # A fixed day: nothing here depends on the real date.
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat(), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, capture_output=True, text=True, env=env)


def test_validate_ok(data_file):
    result = run("validate", str(data_file))
    assert result.returncode == 0
    assert result.stdout.strip() == f"{data_file} is valid: 3 recommendations, 7 updates."


def test_summary_prints_a_table(data_file):
    result = run("summary", "--data", str(data_file), "--as-of", "2023-03-10")
    assert result.returncode == 0
    assert "As of 2023-03-10" in result.stdout
    line = next(line for line in result.stdout.splitlines() if line.startswith("Lift export controls"))
    assert "In progress" in line and "2023-03-06" in line
    assert "Progress score:" in result.stdout


def test_update_appends_and_reports(data_file):
    result = run(
        "update",
        "joint-fund",
        "--data",
        str(data_file),
        "--status",
        "implemented",
        "--date",
        "2026-11-20",
        "--note",
        "Japanese firms joined.",
        "--source-url",
        "https://example.org/j",
        "--source-title",
        "Report",
        "--source-kind",
        "news",
        "--author",
        "Analyst",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Saved: 'Joint fund' is now implemented (4 updates)."
    last = yaml.safe_load(data_file.read_text())["recommendations"][1]["updates"][-1]
    assert last["status"] == "implemented" and last["sources"][0]["url"] == "https://example.org/j"


def test_update_of_unknown_id_is_one_plain_line(data_file):
    before = data_file.read_bytes()
    result = run(
        "update",
        "nope",
        "--data",
        str(data_file),
        "--status",
        "partial",
        "--date",
        "2024-01-01",
        "--note",
        "x",
        "--author",
        "A",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "There is no recommendation with the id 'nope'; check the id in the table."
    assert data_file.read_bytes() == before


def test_bad_as_of_is_a_usage_error(data_file):
    result = run("summary", "--data", str(data_file), "--as-of", "31/12/2022")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: Invalid value for '--as-of': '31/12/2022' is not a date; write it as YYYY-MM-DD (see --help)"
    )


def test_export_csv_and_json(data_file, tmp_path):
    result = run("export", "--data", str(data_file), "--format", "csv", "--as-of", "2026-11-27")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in rows] == ["export-controls", "joint-fund", "trilateral-talks"]
    assert rows[0]["status"] == "implemented" and rows[0]["last_source_url"] == "https://example.org/b"
    out = tmp_path / "events.json"
    result = run("export", "--data", str(data_file), "--what", "events", "--format", "json", "--out", str(out))
    assert result.returncode == 0
    events = json.loads(out.read_text())
    assert len(events) == 7 and events[2]["sources"][0]["title"] == "Lifted"


def test_data_path_from_environment(data_file):
    import os

    result = run("validate", env={**os.environ, "TRACKER_DATA": str(data_file)})
    assert result.returncode == 0 and "3 recommendations" in result.stdout


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "summary", "update", "export"):
        assert command in result.stdout


def test_summary_and_export_as_published_leave_out_later_records(store, data_file):
    later = {"date": "2024-01-01", "status": "in_progress", "note": "Recorded later.", "author": "A"}
    sources = [{"url": "https://example.org/later", "title": "Later", "kind": "news"}]
    store.append_update(
        "trilateral-talks", build_update({**later, "sources": sources, "recorded": "2026-11-27T18:00:00Z"}), today=TODAY
    )
    pinned = ("--data", str(data_file), "--published", RECORDED)
    line = next(row for row in run("summary", *pinned).stdout.splitlines() if row.startswith("Trilateral talks"))
    assert "No step found" in line
    now = next(
        row for row in run("summary", "--data", str(data_file)).stdout.splitlines() if row.startswith("Trilateral")
    )
    assert "In progress" in now
    events = json.loads(run("export", "--what", "events", "--format", "json", *pinned).stdout)
    assert "Recorded later." not in [event["note"] for event in events]
    future = run("summary", "--data", str(data_file), "--published", "2026-11-28T00:00:00Z")
    assert future.returncode == 2 and "Traceback" not in future.stderr
    assert "is in the future" in future.stderr and len(future.stderr.strip().splitlines()) == 1


def test_summary_as_published_before_the_tracker_shows_its_first_record(data_file):
    result = run("summary", "--data", str(data_file), "--published", "0999-12-31")
    assert result.returncode == 0, result.stderr
    line = next(row for row in result.stdout.splitlines() if row.startswith("Lift export controls"))
    assert "Implemented" in line  # as first recorded (everything was recorded at once), not an empty tracker


def test_a_wrongly_typed_old_value_is_one_plain_line_not_a_traceback(data_file):
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    data["recommendations"][0]["metadata_changes"] = [
        {"field": "title", "old": None, "new": "Lift export controls", "author": "A", "recorded": RECORDED}
    ]
    data_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = data_file.read_text(encoding="utf-8").splitlines().index("    old: null") + 1
    for command in (("summary", "--published", "2026-11-27T11:00:00Z"), ("export", "--published", RECORDED)):
        result = run(*command, "--data", str(data_file))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == (
            f"{data_file.name}, line {line}, recommendation 'export-controls', metadata change 1 › old: does not fit "
            "the field 'title': it must be text."
        )


# -- --document: one document of an index of documents (or of a database) ------------------------------


@pytest.fixture
def two(tmp_path, monkeypatch, capsys):
    """An index of two documents, and the command line run in this process on it: (index, first document's
    file, second document's file, run), run(*args) giving (exit code, stdout, stderr)."""
    first, index = write_two_documents(tmp_path / "documents")
    for name in ("TRACKER_DATA", "TRACKER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())

    def run_here(*args):
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return index, first, index.parent / "second.yaml", run_here


def test_summary_of_a_document(two):
    index, _, _, run_here = two
    code, out, _ = run_here("summary", "--data", str(index), "--document", SECOND)
    assert code == 0 and out.splitlines()[0] == SECOND_TITLE
    line = next(row for row in out.splitlines() if row.startswith("Second lift export controls"))
    assert "Stalled" in line and "2024-05-01" in line
    assert "Normalise intelligence sharing" not in out and "Progress score: 26.7 / 100" in out
    # No --document, or the first one named: the first document, as before there were several.
    first = run_here("summary", "--data", str(index))
    assert first[1].splitlines()[0] == FIRST_TITLE and "Normalise intelligence sharing" in first[1]
    assert run_here("summary", "--data", str(index), "--document", FIRST) == first
    # --document may come before --data: the documents are read from --data all the same.
    assert run_here("summary", "--document", SECOND, "--data", str(index))[1] == out


def test_export_of_a_document(two, tmp_path):
    index, _, second_file, run_here = two
    for source in ("--data", "--from"):
        code, out, _ = run_here("export", source, str(index), "--document", SECOND, "--format", "json")
        assert code == 0, source
        assert [(rec["id"], rec["title"]) for rec in json.loads(out)] == [
            ("export-controls", "Second lift export controls"),
            ("joint-fund", "Second joint fund"),
            ("trilateral-talks", "Second trilateral talks"),
        ], source
    code, out, _ = run_here("export", "--from", str(index), "--document", SECOND, "--what", "events", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 6 and {row["title"] for row in rows} >= {"Second joint fund"}
    assert not [row for row in rows if not row["title"].startswith("Second")]
    # The whole document as YAML: exactly that document's file.
    target = tmp_path / "copy.yaml"
    code, _, err = run_here("export", "--from", str(index), "--document", SECOND, "--to", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == second_file.read_text(encoding="utf-8")


def test_report_of_a_document_links_that_document(two, tmp_path):
    index, _, second_file, run_here = two
    out = tmp_path / "brief.html"
    code, said, _ = run_here("report", "--data", str(index), "--document", SECOND, "--out", str(out),
                             "--link", "https://tracker.example")  # fmt: skip
    assert code == 0
    second = YamlStore(second_file).load(today=TODAY)
    assert f"(3 recommendations, data {fingerprint(second)[:FINGERPRINT_SHOWN]})" in said
    page = out.read_text(encoding="utf-8")
    assert SECOND_TITLE in page and FIRST_TITLE not in page
    # The permalink opens this document again, frozen; the first document's names none, as every older link.
    assert f"published={TODAY.isoformat()}T23:59:59Z&amp;doc={SECOND}" in page
    run_here(
        "report", "--data", str(index), "--document", FIRST, "--out", str(out), "--link", "https://tracker.example"
    )
    assert "doc=" not in out.read_text(encoding="utf-8")


def test_update_of_a_document_leaves_the_other_untouched(two):
    index, first_file, second_file, run_here = two
    before = first_file.read_bytes()
    code, out, err = run_here(
        "update", "export-controls", "--data", str(index), "--document", SECOND, "--status", "implemented",
        "--date", "2026-11-20", "--note", "Lifted at last.", "--source-url", "https://example.org/l",
        "--source-title", "Lifted", "--source-kind", "news", "--author", "Analyst",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "Saved: 'Second lift export controls' is now implemented (3 updates)."
    assert first_file.read_bytes() == before
    saved = yaml.safe_load(second_file.read_text(encoding="utf-8"))["recommendations"][0]["updates"][-1]
    assert (saved["status"], saved["note"]) == ("implemented", "Lifted at last.")


@pytest.mark.parametrize("command", ["summary", "export", "report", "update"])
def test_an_unknown_document_is_one_plain_line_and_changes_nothing(two, command, tmp_path):
    index, first_file, second_file, run_here = two
    before = (first_file.read_bytes(), second_file.read_bytes())
    extra = {
        "report": ["--out", str(tmp_path / "brief.html")],
        "update": [
            "export-controls",
            "--status",
            "implemented",
            "--date",
            "2026-11-20",
            "--note",
            "x",
            "--author",
            "A",
        ],  # fmt: skip
    }.get(command, [])
    code, out, err = run_here(command, *extra, "--data", str(index), "--document", "no-such")
    assert code == 2 and out == ""
    assert err == (
        f"Error: Invalid value for '--document': there is no document 'no-such'; the documents are {FIRST}, "
        f"{SECOND} (see --help)\n"
    )
    assert (first_file.read_bytes(), second_file.read_bytes()) == before
    assert not (tmp_path / "brief.html").exists()


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP)
def test_a_document_of_a_database(two):
    index, _, _, run_here = two
    url = own_database(PG_URL, "tracker_cli_documents")
    reset_database(url)
    try:
        assert run_here("import", str(index), "--to", url)[0] == 0
        code, out, _ = run_here("summary", "--data", url, "--document", SECOND)
        assert code == 0 and out.splitlines()[0] == SECOND_TITLE
        code, out, _ = run_here("export", "--from", url, "--document", SECOND, "--format", "json")
        assert code == 0 and json.loads(out)[0]["title"] == "Second lift export controls"
        assert run_here("summary", "--data", url)[1].splitlines()[0] == FIRST_TITLE
    finally:
        reset_database(url)
