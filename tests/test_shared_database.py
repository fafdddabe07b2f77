"""The dashboard on PostgreSQL: two app instances sharing one database, and a database
that goes away while the page is open. Real servers, no mocks."""

from __future__ import annotations

import contextlib
import os
import time
from datetime import date

import pytest
import streamlit as st
from conftest import ROOT, TODAY, make_demo_data
from helpers import goto, own_postgres, reset_database, table_rows
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from tracker import analysis
from tracker.storage.sql import SqlStore
from tracker.validation import validate_data

PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "").strip()
PG_SKIP = "PostgreSQL not available: set TRACKER_TEST_DATABASE_URL (scripts/postgres starts one)"
APP = str(ROOT / "dashboard.py")


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    for name in ("TRACKER_EDITOR_PASSCODE", "TRACKER_EDITORS", "TRACKER_READ_ONLY", "TRACKER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield


@contextlib.contextmanager
def fresh_database(server_url: str):
    """A new, empty database on the test server, dropped afterwards (other tests use the default one)."""
    name = f"tracker_shared_{os.getpid()}_{time.time_ns() % 1_000_000}"
    admin = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _bundled_into(url: str) -> None:
    reset_database(url)
    store = SqlStore(url)
    store.replace(validate_data(make_demo_data(), today=TODAY), today=TODAY)
    store.dispose()


def test_page_says_when_the_database_is_down_and_recovers(monkeypatch):
    with own_postgres("tracker-pg-page-") as (url, postgres):
        _bundled_into(url)
        monkeypatch.setenv("TRACKER_DATABASE_URL", url)
        monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
        at = goto(AppTest.from_file(APP, default_timeout=60).run(), "recommendations")
        assert not at.exception and not at.error
        assert len(table_rows(at)) == len(make_demo_data()["recommendations"])

        postgres("stop")
        at.sidebar.multiselect(key="f_status").set_value(["implemented"]).run()
        assert not at.exception
        message = at.error[0].value
        assert message.startswith("The tracker data cannot be reached. Could not connect to the PostgreSQL database")
        assert "Check that the database server is running" in message
        assert at.get("vega_lite_chart") == []  # no stale page passed off as current

        postgres()
        at.run()  # the next rerun of the same session, without restarting anything
        assert not at.exception and not at.error
        implemented = analysis.statuses_as_of(validate_data(make_demo_data(), today=TODAY), TODAY)
        # back, with the reader's filter kept
        assert len(table_rows(at)) == int((implemented["status"] == "implemented").sum())


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP)
def test_two_app_instances_share_one_database(tmp_path):
    import helpers as tb

    if not os.path.exists(tb.CHROMIUM) or sync_playwright is None:
        pytest.skip("chromium or playwright not installed (apt-get install chromium)")
    with fresh_database(PG_URL) as url:
        _two_instances(url, tmp_path, tb)


def _two_instances(url: str, tmp_path, tb) -> None:
    _bundled_into(url)
    rec_id = "liaison-offices"
    note = f"Shared-database test {time.time_ns()}: a liaison officer was posted."
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    tb.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        tb.streamlit_server(tmp_path / "a", database_url=url) as (first, _),
        tb.streamlit_server(tmp_path / "b", database_url=url) as (second, _),
        sync_playwright() as play,
    ):
        browser = play.chromium.launch(executable_path=tb.CHROMIUM, args=tb.ARGS)
        context = browser.new_context(viewport=tb.VIEWPORT)
        reader = context.new_page()
        tb.open_page(reader, second + f"/?rec={rec_id}", 0, tb.TITLES[rec_id])
        tb.expect(reader.get_by_role("heading", name=tb.TITLES[rec_id])).to_be_visible()
        assert reader.get_by_text(note).count() == 0

        editor = context.new_page()
        tb.open_page(editor, first + "/")
        tb.unlock(editor, "Shared Test")
        editor.get_by_test_id("stRadio").get_by_text("Record an update", exact=True).click()
        tb.pick(editor, "upd_rec", tb.TITLES[rec_id])
        tb.expect(editor.get_by_text("Current status: No step found")).to_be_visible()
        tb.settle(editor)
        editor.locator(".st-key-upd_note textarea").fill(note)
        editor.get_by_role("button", name="Save update").click()
        tb.expect(editor.get_by_test_id("stToast").filter(has_text="Saved an update")).to_be_visible()
        editor.screenshot(path=str(tb.ARTIFACTS / "shared-database--01-saved-on-first.png"))

        reader.reload(wait_until="domcontentloaded")
        tb.wait_rendered(reader, 0, tb.TITLES[rec_id])
        history = reader.get_by_label("History").locator("li").filter(has_text=note)
        tb.expect(history).to_contain_text("No step found")  # a review: same status, new note
        history.scroll_into_view_if_needed()
        reader.screenshot(path=str(tb.ARTIFACTS / "shared-database--02-shown-on-second.png"))
        browser.close()
    store = SqlStore(url)
    last = store.load(today=date.today())
    store.dispose()
    assert next(r for r in last.recommendations if r.id == rec_id).updates[-1].note == note


def test_a_save_during_an_outage_keeps_what_the_editor_typed(monkeypatch):
    with own_postgres("tracker-pg-typed-") as (url, postgres):
        _bundled_into(url)
        monkeypatch.setenv("TRACKER_DATABASE_URL", url)
        monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
        for name in ("TRACKER_EDITOR_PASSCODE", "TRACKER_READ_ONLY", "TRACKER_DATA"):
            monkeypatch.delenv(name, raising=False)
        at = goto(AppTest.from_file(APP, default_timeout=60).run(), "edit")
        at.text_input(key="editor_name").input("Ana").run()
        at.selectbox(key="upd_rec").select("liaison-offices").run()
        at.text_area(key="upd_note").input("Typed during an outage.")
        postgres("stop")
        next(button for button in at.form_submit_button if button.label == "Save update").click().run()
        assert not at.exception
        assert at.error[0].value.startswith("The tracker data cannot be reached.")
        postgres()
        at.run()
        assert not at.exception and not at.error
        assert at.text_area(key="upd_note").value == "Typed during an outage."
        assert at.title[0].value == "Edit the tracker"  # the page the editor was on
        assert at.text_input(key="editor_name").value == "Ana"
        store = SqlStore(url)
        notes = [u.note for u in store.load(today=TODAY).recommendations[3].updates]
        store.dispose()
        assert "Typed during an outage." not in notes  # nothing was saved while it was down
