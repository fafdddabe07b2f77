"""Two documents for the tests of the routes, the pages and the command line: a small USIP-like tracker,
recorded over four years (so `published=` moments between its records show different editions), and a
second document that reuses its recommendation ids with other facts (so a leak of one document into the
other shows). Never the live data in data/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import TODAY, make_data, make_demo_data

from tracker.model import start_of
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

FIRST, SECOND = "usip-2022", "camp-david-2023"
FIRST_TITLE = "Test tracker"
SECOND_TITLE = "Second document tracker"


def _recorded(written: str, hours: int = 9) -> str:
    """A record time on the day after a (partial) date: records made as things happened, not all at once."""
    day = start_of(written) + timedelta(days=1)
    return f"{day.isoformat()}T{hours:02d}:00:00Z"


def usip_like_data() -> dict:
    """The demo tracker (eight recommendations, every status but one), its updates recorded on the day after
    each happened, with an edit of a detail and a context event recorded later."""
    data = make_demo_data()
    for rec in data["recommendations"]:
        for update in rec["updates"]:
            update["recorded"] = _recorded(update["date"])
    data["context_events"][0]["recorded"] = _recorded("2023-03-16", hours=15)
    whitelist = next(rec for rec in data["recommendations"] if rec["id"] == "whitelist")
    whitelist["metadata_changes"] = [
        {
            "field": "title",
            "old": "Restore the whitelist",
            "new": whitelist["title"],
            "author": "Test analyst",
            "recorded": "2024-02-01T10:00:00Z",
        }
    ]
    return data


def second_data() -> dict:
    """Another document with the same recommendation ids and context event id but other titles, statuses
    and record times (all recorded after the first document's last record)."""
    data = make_data()
    data["tracker"]["title"] = SECOND_TITLE
    data["tracker"]["article"]["description"] = "A second test document"
    data["tracker"]["article"]["published"] = "2023-08"
    data["context_events"][0]["title"] = "Second summit"
    for rec in data["recommendations"]:
        rec["title"] = f"Second {rec['title'].lower()}"
        for update in rec["updates"]:
            if update["date"] < "2023-08":
                update["date"] = "2023-08"
            update["recorded"] = "2026-11-27T14:00:00Z"
    export = data["recommendations"][0]
    export["updates"] = [export["updates"][0], {**export["updates"][2], "date": "2024-05-01", "status": "stalled"}]
    return data


def write_tracker(path: Path, data: dict) -> Path:
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    return path


def write_two_documents(folder: Path) -> tuple[Path, Path]:
    """In `folder`: the first document alone (`recommendations.yaml`, as served before there were several
    documents), the second (`second.yaml`), and an index listing both, the first first. Returns (the first
    document's file, the index)."""
    folder.mkdir(parents=True, exist_ok=True)
    first = write_tracker(folder / "recommendations.yaml", usip_like_data())
    write_tracker(folder / "second.yaml", second_data())
    index = folder / "documents.yaml"
    index.write_text(
        f"documents:\n- id: {FIRST}\n  file: recommendations.yaml\n- id: {SECOND}\n  file: second.yaml\n",
        encoding="utf-8",
    )
    return first, index
