"""Shared fixtures: a small hand-written tracker and real files in tmp folders."""

from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from tracker.storage.yaml_files import YamlStore
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "recommendations.yaml"
TODAY = date(2026, 11, 27)
RECORDED = "2026-11-27T12:00:00Z"

STATUSES = [
    ("not_started", "No step found", "#868686", 0.0),  # the display label proposed for "Not started"
    ("in_progress", "In progress", "#332288", 0.4),
    ("partial", "Partially implemented", "#c68400", 0.6),
    ("implemented", "Implemented", "#007e59", 1.0),
    ("stalled", "Stalled", "#575725", 0.2),
    ("reversed", "Reversed", "#882255", 0.0),
]


def _update(when, status, note, sources=()):
    return {
        "date": when,
        "status": status,
        "note": note,
        "sources": [{"url": url, "title": title, "kind": "news"} for url, title in sources],
        "author": "Test analyst",
        "recorded": RECORDED,
    }


def new_recommendation(rec_id: str = "new-one", recorded: str = RECORDED, **fields) -> dict:
    """The fields of a recommendation to add: a not-started baseline recorded at `recorded`."""
    return {
        "id": rec_id,
        "title": "New",
        "quote": "New.",
        "addressees": ["japan"],
        "category": "trade",
        "priority": "low",
        "assessment": {"date": "2026-11-01", "text": "Just added."},
        "criteria": "It is done.",
        "updates": [
            {"date": "2022-07", "status": "not_started", "note": "Baseline.", "author": "A", "recorded": recorded}
        ],
        **fields,
    }


def make_data() -> dict:
    """A three-recommendation tracker that covers the main cases."""
    return {
        "schema_version": 1,
        "tracker": {
            "title": "Test tracker",
            "article": {
                "description": "A test article",
                "publisher": "Test Institute",
                "author": "A. Writer",
                "published": "2022-07",
                "url": "",
            },
            "methodology": "Statuses follow public sources.",
            "review_interval_days": 180,
            "statuses": [
                {
                    "id": i,
                    "label": label,
                    "definition": f"{label} means {label.lower()}.",
                    "colour": colour,
                    "weight": weight,
                    "order": n + 1,
                }
                for n, (i, label, colour, weight) in enumerate(STATUSES)
            ],
            "addressees": [
                {"id": "japan", "label": "Japan"},
                {"id": "south_korea", "label": "South Korea"},
                {"id": "united_states", "label": "United States"},
            ],
            "categories": [
                {"id": "trade", "label": "Trade"},
                {"id": "history", "label": "History"},
                {"id": "security", "label": "Security"},
            ],
            "priorities": [{"id": "high", "label": "High"}, {"id": "low", "label": "Low"}],
            "event_kinds": [{"id": "summit", "label": "Summit"}, {"id": "other", "label": "Other"}],
            "source_kinds": [
                {
                    "id": "official",
                    "label": "Official",
                    "definition": "A government statement.",
                    "supports_change": True,
                },
                {"id": "news", "label": "News", "definition": "An outlet's own reporting.", "supports_change": True},
                {
                    "id": "repost",
                    "label": "Repost",
                    "definition": "A copy of another article.",
                    "supports_change": False,
                },
            ],
        },
        "context_events": [
            {
                "id": "tokyo-summit",
                "date": "2023-03-16",
                "kind": "summit",
                "title": "Tokyo summit",
                "note": "",
                "sources": [{"url": "https://example.org/summit", "title": "Summit report", "kind": "official"}],
            },
        ],
        "recommendations": [
            {
                "id": "export-controls",
                "title": "Lift export controls",
                "quote": "Japan should lift them.",
                "addressees": ["japan"],
                "category": "trade",
                "priority": "high",
                "implied": False,
                "assessment": {"date": "2026-11-01", "text": "Judged from the updates below."},
                "criteria": "The measure is in place as the article asks.",
                "updates": [
                    _update("2022-07", "not_started", "Baseline."),
                    _update("2023-03-06", "in_progress", "Talks began.", [("https://example.org/a", "Talks")]),
                    _update("2023-03-16", "implemented", "Lifted.", [("https://example.org/b", "Lifted")]),
                ],
            },
            {
                "id": "joint-fund",
                "title": "Joint fund",
                "quote": "A joint fund.",
                "addressees": ["japan", "south_korea"],
                "category": "history",
                "priority": "high",
                "implied": False,
                "assessment": {"date": "2026-11-01", "text": "Judged from the updates below."},
                "criteria": "The measure is in place as the article asks.",
                "updates": [
                    _update("2022-07", "not_started", "Baseline."),
                    _update("2023-03", "partial", "Korean firms only.", [("https://example.org/c", "Fund")]),
                    _update("2026-10-01", "partial", "Reviewed, no change."),
                ],
            },
            {
                "id": "trilateral-talks",
                "title": "Trilateral talks",
                "quote": "Talk together.",
                "addressees": ["united_states", "japan", "south_korea"],
                "category": "security",
                "priority": "low",
                "implied": True,
                "assessment": {"date": "2026-11-01", "text": "Judged from the updates below."},
                "criteria": "The measure is in place as the article asks.",
                "review_interval_days": 30,
                "updates": [_update("2022-07", "not_started", "Baseline.")],
            },
        ],
    }


# A richer tracker for the page and the browser: every status but one, every vocabulary term.
_DEMO = [
    # id, title, addressees, category, priority, [(date, status, note, source)]
    (
        "export-controls",
        "Lift export controls",
        ["japan"],
        "trade",
        "high",
        [
            ("2023-03-06", "in_progress", "Talks on the controls began.", "talks"),
            ("2023-03-16", "implemented", "The controls were lifted.", "lifted"),
        ],
    ),
    (
        "whitelist",
        "Restore each other to the trade whitelist",
        ["japan", "south_korea"],
        "trade",
        "high",
        [
            ("2023-04-24", "partial", "Seoul restored Japan to its list.", "seoul-list"),
            ("2023-07-21", "implemented", "Tokyo restored South Korea to its list.", "tokyo-list"),
        ],
    ),
    (
        "forced-labor-joint-fund",
        "Joint fund for forced-labor victims",
        ["japan", "south_korea"],
        "history",
        "high",
        [
            ("2023-03", "partial", "A fund was set up, financed by Korean firms only.", "fund"),
            ("2026-10-01", "partial", "Reviewed, no change.", None),
        ],
    ),
    ("liaison-offices", "Open liaison offices", ["south_korea"], "diplomacy", "medium", []),
    (
        "quad-participation",
        "Invite South Korea to Quad working groups",
        ["united_states"],
        "diplomacy",
        "low",
        [
            ("2024-05-10", "stalled", "No invitation followed.", "quad"),
        ],
    ),
    (
        "trilateral-exercises",
        "Resume trilateral exercises",
        ["united_states", "japan", "south_korea"],
        "security",
        "high",
        [
            ("2023-08-18", "implemented", "Exercises resumed.", "exercises"),
            ("2024-06-01", "stalled", "Exercises paused again.", "paused"),
        ],
    ),
    (
        "history-dialogue",
        "Washington urges Japan on history",
        ["united_states"],
        "history",
        "low",
        [
            ("2023-01-10", "in_progress", "Officials raised the issue.", "dialogue"),
        ],
    ),
    (
        "gsomia",
        "Normalise intelligence sharing",
        ["south_korea"],
        "security",
        "medium",
        [
            ("2023-03-21", "implemented", "The agreement was normalised.", "gsomia"),
        ],
    ),
]


def make_demo_data() -> dict:
    """Eight recommendations with varied histories, for the page and the browser tests."""
    data = make_data()
    data["tracker"]["categories"].append({"id": "diplomacy", "label": "Diplomacy"})
    data["tracker"]["priorities"].insert(1, {"id": "medium", "label": "Medium"})
    data["recommendations"] = [
        {
            "id": rec_id,
            "title": title,
            "quote": f"{title}.",
            "addressees": addressees,
            "category": category,
            "priority": priority,
            "implied": False,
            "assessment": {"date": "2026-11-01", "text": "Judged from the updates below."},
            "criteria": "The measure is in place as the article asks.",
            "updates": [
                _update("2022-07", "not_started", "Baseline."),
                *(
                    _update(when, status, note, [(f"https://example.org/{source}", note)] if source else [])
                    for when, status, note, source in history
                ),
            ],
        }
        for rec_id, title, addressees, category, priority, history in _DEMO
    ]
    return data


@pytest.fixture
def demo_file(tmp_path) -> Path:
    """The demo tracker on disk, canonical, in a folder of its own."""
    path = tmp_path / "demo" / "recommendations.yaml"
    path.parent.mkdir()
    path.write_text(dump_tracker(validate_data(make_demo_data(), today=TODAY)), encoding="utf-8")
    return path


@pytest.fixture
def data() -> dict:
    return copy.deepcopy(make_data())


@pytest.fixture
def tracker(data):
    return validate_data(data, today=TODAY)


@pytest.fixture
def data_file(tmp_path, tracker) -> Path:
    """A canonical copy of the small tracker on disk."""
    path = tmp_path / "recommendations.yaml"
    path.write_text(dump_tracker(tracker), encoding="utf-8")
    return path


@pytest.fixture
def store(data_file) -> YamlStore:
    return YamlStore(data_file)


@pytest.fixture
def bundled_copy(tmp_path) -> Path:
    """A copy of the real bundled data, safe to write to."""
    path = tmp_path / "recommendations.yaml"
    shutil.copy(BUNDLED, path)
    return path


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
