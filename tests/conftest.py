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


# A tracker as busy as the bundled one, built here (tests never read the bundled data): 21 recommendations
# with long titles and assessments, sources of every kind (copies with long titles among them), and 24
# context events bunched as real ones are (several on one day, several within days).
_BUSY_TITLES = [
    "Japan lifts its export controls on semiconductor chemicals",
    "Japan puts South Korea back on its export white list",
    "South Korea puts Japan back on its export white list",
    "Korean and Japanese companies jointly fund compensation for forced-labor victims",
    "Settle the forced-labor dispute by arbitration under the 1965 Claims Agreement",
    "Resolve the comfort-women court cases and statue disputes bilaterally",
    "Resolve the Dokdo/Takeshima territorial dispute bilaterally",
    "Resolve the dispute over Japanese school textbook revisions",
    "Resolve the ambiguity of the 1965 Claims Agreement",
    "Expand civil-society exchanges and dialogues",
    "Re-establish the trilateral deputy-level mechanism on North Korea",
    "Resume trilateral military exercises (missile warning, tracking, interdiction)",
    "Reinvigorate the Defense Trilateral Talks",
    "Deepen economic and technology cooperation, notably through IPEF",
    "Washington urges Japan to address historical grievances",
    "The United States acknowledges its own historical role in the grievances",
    "Seoul and the victims assure Japan that a settlement is final",
    "Bring South Korea into the Quad at leadership level",
    "Open liaison offices at Combined Forces Command and U.S. Forces Japan headquarters",
    "Send observers to each other's bilateral exercises with the United States",
    "Normalise GSOMIA and deepen bilateral security cooperation",
]
_BUSY_EVENTS = [
    "2022-11-13", "2023-03-16", "2023-05-07", "2023-08-18", "2023-11-23", "2023-12-21", "2024-07-26", "2024-07-27",
    "2024-11-15", "2024-11-24", "2025-06-04", "2025-06-17", "2025-08-23", "2025-09-04", "2025-09-30", "2025-10-21",
    "2025-10-30", "2025-11-21", "2026-01-13", "2026-01-13", "2026-01-19", "2026-01-20", "2026-02-08", "2026-03-01",
]  # fmt: skip
_BUSY_SOURCES = {
    "news": ("https://en.yna.co.kr/view/AEN20230316", "Yonhap: the ministries announce the step after a long dialogue"),
    "official": ("https://www.mofa.go.jp/press/release/2023/0316.html", "Ministry of Foreign Affairs press release"),
    "repost": (
        "https://exbulletin.com/world/international/3076037/",
        "[ExBulletin: copy of the US-Japan-ROK foreign ministers' joint statement of 22 Sep 2025]",
    ),
    "aggregator": (
        "https://d33gy59ovltp76.cloudfront.net/news/us-defense-secretary-to-announce",
        "[US Defense Secretary to Announce Historic Military Partnership (unidentified site; title taken from the "
        "web address)]",
    ),
}


def make_busy_data() -> dict:
    """21 recommendations shaped like the bundled tracker's, for the pages' layout in a real browser."""
    data = make_demo_data()
    data["tracker"]["source_kinds"].append(
        {"id": "aggregator", "label": "Aggregator", "definition": "A summary site.", "supports_change": False}
    )
    categories = ["trade", "history", "security", "diplomacy"]
    addressees = [["japan"], ["japan", "south_korea"], ["united_states", "japan", "south_korea"], ["south_korea"]]
    steps = [
        [],
        [("2023-03-16", "implemented", "news")],
        [("2023-04-24", "in_progress", "official"), ("2025-09-22", "in_progress", "repost")],
        [("2024-07-28", "not_started", "aggregator")],
        [("2023-08-18", "implemented", "news"), ("2024-06-01", "stalled", "official")],
        [("2023-03", "partial", "news"), ("2026-01-14", "partial", "news")],
    ]
    recs = []
    for n, title in enumerate(_BUSY_TITLES):
        updates = [_update("2022-07", "not_started", "Baseline: the situation when the article was published.")]
        for when, status, kind in steps[n % len(steps)]:
            url, source_title = _BUSY_SOURCES[kind]
            updates.append(
                _update(when, status, f"{title}: a dated step reported by the source.", [(url, source_title)])
            )
            updates[-1]["sources"][0]["kind"] = kind
        updates.append(_update("2026-10-01", updates[-1]["status"], "Reviewed: no newer source was found."))
        recs.append(
            {
                "id": f"busy-{n:02d}",
                "title": title,
                "quote": f"{title}.",
                "addressees": addressees[n % len(addressees)],
                "category": categories[n % len(categories)],
                "priority": ["high", "medium", "low"][n % 3],
                "implied": False,
                "assessment": {
                    "date": "2026-11-01",
                    "text": f"{updates[-1]['status'].replace('_', ' ').capitalize()}. Since March 2023 the "
                    "ministries have held regular talks and announced several measures, but the step the article "
                    "asks for is judged from the dated sources listed on this page, as the methodology says.",
                },
                "criteria": "The measure is in place as the article asks.",
                "updates": updates,
            }
        )
    data["recommendations"] = recs
    data["context_events"] = [
        {
            "id": f"event-{n:02d}",
            "date": when,
            "kind": "summit",
            "title": f"Leaders meet ({when})",
            "note": "",
            "sources": [{"url": f"https://example.org/event-{n}", "title": "Summit report", "kind": "official"}],
        }
        for n, when in enumerate(_BUSY_EVENTS)
    ]
    return data


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, launched once per test module with the flags every browser test uses
    (helpers.ARGS); each test opens its own context."""
    from helpers import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
