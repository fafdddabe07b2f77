"""Citable means immutable: a frozen link shows the same thing after any later record (AppTest, both stores)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import streamlit as st
from conftest import RECORDED, ROOT, TODAY, make_demo_data, new_recommendation
from helpers import (
    PG_URL,
    POSTGRES,
    drawn_charts,
    edit_sections,
    goto,
    headline,
    reset_database,
    table_rows,
    timeline_rows,
)
from streamlit.testing.v1 import AppTest

from tracker.edits import build_update
from tracker.storage.sql import SqlStore
from tracker.storage.yaml_files import YamlStore
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

APP = str(ROOT / "dashboard.py")
# The page runs the day after the demo tracker's records; the link was frozen an hour after them.
PAGE_DAY = TODAY + timedelta(days=1)
PINNED = "2026-11-27T13:00:00Z"
LATER = "2026-11-27T13:30:00Z"
FROZEN = {"as_of": TODAY.isoformat(), "frozen": "1", "published": PINNED, "rec": "liaison-offices"}


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(params=["yaml", POSTGRES])
def store(request, tmp_path, monkeypatch):
    """The demo tracker in a YAML file or in PostgreSQL, and the page pointed at it."""
    demo = validate_data(make_demo_data(), today=TODAY)
    monkeypatch.setenv("TRACKER_TODAY", PAGE_DAY.isoformat())
    for name in ("TRACKER_DATA", "TRACKER_DATABASE_URL", "TRACKER_EDITOR_PASSCODE", "TRACKER_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "yaml":
        path = tmp_path / "recommendations.yaml"
        path.write_text(dump_tracker(demo), encoding="utf-8")
        monkeypatch.setenv("TRACKER_DATA", str(path))
        yield YamlStore(path)
        return
    reset_database(PG_URL)
    database = SqlStore(PG_URL)
    database.replace(demo, today=TODAY)
    monkeypatch.setenv("TRACKER_DATABASE_URL", PG_URL)
    yield database
    database.dispose()


def open_page(**params):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def what_it_shows(at) -> dict:
    """Every number, the table, the charts' rows and the detail a reader sees, on every page the
    session visits after opening the link (it stays frozen from page to page)."""
    assert not at.exception

    def charts():
        # The charts the server drew, as drawn, and the Timeline's rows (ui/bands.py) with their dates.
        assert at.get("vega_lite_chart") == []
        return [drawn_charts(at), timeline_rows(at)]

    def detail():
        said = [block.value for block in at.markdown if "Assessment" in block.value or "—" in block.value]
        return said + [element.proto.body for element in at.get("html") if 'class="history"' in element.proto.body]

    landed = {"title": [t.value for t in at.title], "detail": detail(), "charts": charts()}
    goto(at, "")
    overview = {"text": [block.value for block in at.markdown], "charts": charts()}
    goto(at, "recommendations")
    assert not at.exception
    shown = {
        "metrics": headline(at),
        "table": {"Recommendation": [row["Recommendation"] for row in table_rows(at)], "rows": table_rows(at)},
        "charts": charts(),
    }
    goto(at, "timeline")
    shown["timeline"] = charts()
    goto(at, "recommendation")
    shown["detail"] = detail()
    return {**shown, "landed": landed, "overview": overview}


def record_later(store) -> None:
    """Three records made after the link was frozen: a back-dated status change, a title edit, a new
    recommendation (all dated on or before the link's as-of day)."""
    sources = [{"url": "https://example.org/later", "title": "Later report", "kind": "news"}]
    update = {"date": "2024-01-15", "status": "in_progress", "note": "Offices announced.", "author": "B"}
    store.append_update("liaison-offices", build_update({**update, "sources": sources, "recorded": LATER}), today=TODAY)
    store.edit_recommendation(
        "whitelist", {"title": "Whitelists restored"}, expected={}, author="B", recorded=LATER, today=TODAY
    )
    store.add_recommendation(new_recommendation("hotline", recorded=LATER, title="Open a hotline"), today=TODAY)


def test_a_frozen_link_shows_the_same_after_later_records(store):
    before = what_it_shows(open_page(**FROZEN))
    record_later(store)
    st.cache_resource.clear()
    frozen = open_page(**FROZEN)
    assert what_it_shows(frozen) == before
    notice = next(info.value for info in frozen.info if "This is a frozen link" in info.value)
    assert "as published on 27 Nov 2026 at 13:00 UTC, as of 27 Nov 2026" in notice
    assert "1 update, 1 correction of a detail, 1 new recommendation were recorded" in notice
    # The link lands on the recommendation's page; the way back leads to that page today.
    assert frozen.title[0].value == "Open liaison offices"
    assert "[See the current view](<http://localhost:8501/recommendation?rec=liaison-offices>)" in notice
    # The current view shows all three.
    current = what_it_shows(open_page(rec="liaison-offices"))
    assert "Open a hotline" in current["table"]["Recommendation"]
    assert "Whitelists restored" in current["table"]["Recommendation"]
    assert current["metrics"] != before["metrics"]


def test_the_fingerprint_is_stable_for_as_long_as_the_link(store):
    def fingerprint(at) -> str:
        notice = next(info.value for info in at.info if "This is a frozen link" in info.value)
        return notice.split("Data fingerprint `", 1)[1].split("`", 1)[0]

    first = fingerprint(open_page(**FROZEN))
    assert fingerprint(goto(open_page(**FROZEN), "timeline")) == first  # the same on every page
    record_later(store)
    st.cache_resource.clear()
    assert fingerprint(open_page(**FROZEN)) == first


def test_an_older_frozen_link_opens_the_same_view(store):
    older = {"as_of": "2023-03-10", "frozen": "1"}
    before = what_it_shows(open_page(**older))
    assert before["metrics"]["Implemented"] == "0"
    record_later(store)
    st.cache_resource.clear()
    at = open_page(**older)
    assert what_it_shows(at) == before
    assert at.sidebar.date_input(key="f_as_of").value == date(2023, 3, 10)


def test_unfreezing_leads_to_todays_view(store):
    at = open_page(**FROZEN)
    assert at.query_params["frozen"] == "1" and at.sidebar.date_input(key="f_as_of").disabled
    at.sidebar.checkbox(key="share_freeze").uncheck().run()
    assert not at.exception
    assert "frozen" not in at.query_params and "published" not in at.query_params
    assert at.sidebar.date_input(key="f_as_of").value == PAGE_DAY
    assert not [info for info in at.info if "This is a frozen link" in info.value]


def test_freezing_pins_both_clocks_in_the_link(store):
    at = open_page()
    at.sidebar.checkbox(key="share_freeze").check().run()
    link = next(md.value for md in at.sidebar.markdown if md.value.startswith("Link to this view")).split("](<")[1][:-2]
    assert link.endswith(f"/?as_of={PAGE_DAY.isoformat()}&frozen=1&published={PAGE_DAY.isoformat()}T23:59:59Z")
    assert at.query_params["frozen"] == "1"
    assert edit_sections(at) == []  # a frozen view is for reading, not editing
    assert RECORDED < at.query_params["published"]
