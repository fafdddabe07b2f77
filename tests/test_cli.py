"""The command line, run as a real subprocess on real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import yaml
from conftest import RECORDED, ROOT, TODAY

from tracker.edits import build_update


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
