"""Shared fixtures: a small hand-written tracker and real files in tmp folders."""

from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from tracker.validation import validate_data
from tracker.yaml_store import YamlStore
from tracker.yaml_text import dump_tracker

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "recommendations.yaml"
TODAY = date(2026, 11, 27)
RECORDED = "2026-11-27T12:00:00Z"

STATUSES = [
    ("not_started", "Not started", "#9e9e9e", 0.0),
    ("in_progress", "In progress", "#1f77b4", 0.4),
    ("partial", "Partially implemented", "#f2a93b", 0.6),
    ("implemented", "Implemented", "#2e7d32", 1.0),
    ("stalled", "Stalled", "#8d6e63", 0.2),
    ("reversed", "Reversed", "#c62828", 0.0),
]


def _update(when, status, note, sources=()):
    return {
        "date": when,
        "status": status,
        "note": note,
        "sources": [{"url": url, "title": title} for url, title in sources],
        "author": "Test analyst",
        "recorded": RECORDED,
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
        },
        "context_events": [
            {
                "id": "tokyo-summit",
                "date": "2023-03-16",
                "kind": "summit",
                "title": "Tokyo summit",
                "note": "",
                "sources": [{"url": "https://example.org/summit", "title": "Summit report"}],
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
                "review_interval_days": 30,
                "updates": [_update("2022-07", "not_started", "Baseline.")],
            },
        ],
    }


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
