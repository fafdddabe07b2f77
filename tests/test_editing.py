"""Editing from the dashboard (AppTest on real files): who may edit, what is saved,
what is refused, and that nothing is lost when two analysts save at once."""

from __future__ import annotations

import html
import re
import threading
from datetime import date, timedelta

import pytest
import streamlit as st
import yaml
from conftest import ROOT, TODAY
from helpers import (
    PG_URL,
    POSTGRES,
    edit_sections,
    goto,
    open_section,
    own_database,
    page_paths,
    plain,
    reset_database,
    table_rows,
)
from streamlit.testing.v1 import AppTest

from tracker.access import client_network
from tracker.model import current_status, start_of
from tracker.storage import open_store
from tracker.storage.sql import SqlStore
from tracker.storage.yaml_files import YamlStore

APP = str(ROOT / "dashboard.py")
PASSCODE = "opal-harbour-lantern"  # long and varied enough for the passcode rule
REC = "forced-labor-joint-fund"


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    for name in ("TRACKER_EDITOR_PASSCODE", "TRACKER_EDITORS", "TRACKER_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def data(demo_file, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    return demo_file


def open_app(secrets=None, user=None):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return at.run()


def as_editor(at, name="Ana"):
    show_tools(at)
    at.text_input(key="editor_name").input(name).run()  # at the top of the Edit page
    return at


def show_tools(at):
    """The Edit page, which the navigation offers to editors only."""
    assert "edit" in page_paths(at)
    return goto(at, "edit")


def fill_update(
    at,
    status="implemented",
    note="Japanese firms joined the fund.",
    url="https://example.org/x",
    title="Report",
    when=None,
    rec=REC,
):
    at.selectbox(key="upd_rec").select(rec).run()  # choosing a recommendation resets the status to its current one
    at.selectbox(key="upd_status").select(status)
    if when is not None:
        at.date_input(key="upd_date").set_value(when)
    at.text_area(key="upd_note").input(note)
    at.text_input(key="upd_url1").input(url)
    at.text_input(key="upd_title1").input(title)
    if url:
        at.selectbox(key="upd_kind1").select("news")
    return at


def submit(at, label):
    next(button for button in at.form_submit_button if button.label == label).click().run()
    return at


def updates_of(path, rec_id=REC):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(rec for rec in data["recommendations"] if rec["id"] == rec_id)["updates"]


def editing_controls(at):
    offered = "edit" in page_paths(at)
    return offered + len(edit_sections(at)) + len(at.form_submit_button) + len(at.get("arrow_data_frame_editor") or [])


def test_viewer_in_passcode_mode_sees_no_editing_controls(data):
    at = open_app(secrets={"editor_passcode": PASSCODE})
    assert not at.exception
    assert edit_sections(at) == []
    assert at.form_submit_button.len == 0 and at.data_editor.len == 0
    assert at.sidebar.text_input(key="passcode")  # only the way in
    assert at.sidebar.toggle.len == 0 and "edit" not in page_paths(at)


def test_read_only_switch_hides_everything(data, monkeypatch):
    monkeypatch.setenv("TRACKER_READ_ONLY", "1")
    at = open_app()
    assert edit_sections(at) == [] and "edit" not in page_paths(at)
    assert [h.value for h in at.sidebar.header] == ["Filters", "Share"]  # no "Editing" section


def test_local_mode_says_editing_is_open(data):
    at = open_app()
    assert edit_sections(at) == []  # the tools stay on their own page
    assert [h.value for h in at.sidebar.header] == ["Filters", "Share"]  # no way in to show: it is open
    show_tools(at)
    assert at.title[0].value == "Edit the tracker"
    assert [h.value for h in at.sidebar.header] == ["Filters"]  # no Share: freezing would end editing
    assert any("Local mode: editing is open" in info.value for info in at.info)
    assert edit_sections(at) == [
        "Record an update",
        "Record a review of the tracker",
        "Triage several",
        "Add a recommendation",
        "Edit details",
        "Translations",
        "Suggestions",
    ]


def test_wrong_passcode_refused_then_lockout_engages(data):
    at = open_app(secrets={"editor_passcode": PASSCODE})
    for attempt in range(1, 6):
        at.sidebar.text_input(key="passcode").input(f"guess-{attempt}")
        at.sidebar.button(key="unlock").click().run()
        assert edit_sections(at) == [] and "edit" not in page_paths(at)
    assert at.sidebar.error[0].value == "That passcode is not right. Further tries must now wait."
    # Even the right passcode now has to wait (from this session: no address tells visitors apart here).
    at.sidebar.text_input(key="passcode").input(PASSCODE)
    at.sidebar.button(key="unlock").click().run()
    assert at.sidebar.error[0].value in (
        "Too many wrong passcodes. Wait 30 seconds, then try again.",
        "Too many wrong passcodes. Wait 29 seconds, then try again.",
    )
    assert edit_sections(at) == []


def try_passcode(at, typed):
    at.sidebar.text_input(key="passcode").input(typed)
    return at.sidebar.button(key="unlock").click().run()


def test_strangers_wrong_tries_never_keep_the_editor_out(data, monkeypatch):
    # Each session's address as the server would see it: strangers guess from several addresses (IPv6 ones
    # in two /64s), the editor tries right after their guesses and gets in at once.
    seen_from = {"address": None}
    monkeypatch.setattr("ui.editor.client_network", lambda: client_network(seen_from["address"]))

    def as_client(at, address, typed=None):
        seen_from["address"] = address
        return try_passcode(at, typed) if typed is not None else at.run()

    def session():
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["editor_passcode"] = PASSCODE
        return at

    sessions = [
        (address, as_client(session(), address)) for address in ("203.0.113.5", "2001:db8:7:1::5", "2001:db8:7:2::9")
    ]
    for attempt in range(6):
        for address, at in sessions:
            as_client(at, address, f"guess-{attempt}")
    for _, at in sessions:
        assert at.sidebar.error[0].value in (
            "Too many wrong passcodes. Wait 30 seconds, then try again.",
            "Too many wrong passcodes. Wait 29 seconds, then try again.",
        )
    # A new tab from a stranger's network is still that stranger: its first try waits too.
    again = as_client(session(), "2001:db8:7:1::77")
    as_client(again, "2001:db8:7:1::77", PASSCODE)
    assert again.sidebar.error[0].value.startswith("Too many wrong passcodes. Wait ")
    editor = session()
    as_client(editor, "198.51.100.20")
    as_client(editor, "198.51.100.20", PASSCODE)
    assert editor.title[0].value == "Edit the tracker" and "edit" in page_paths(editor)


def test_a_weak_passcode_keeps_editing_off_and_says_why(data):
    at = open_app(secrets={"editor_passcode": "opal-harbour"})
    assert [plain(warning.value) for warning in at.sidebar.warning] == [
        "The editor passcode is too weak: it has 12 characters, 9 of them different, and needs at least 16, with "
        'at least 8 different; choose a longer one at random (four random words, or python -c "import secrets; '
        'print(secrets.token_urlsafe(16))"). Editing is off until it is fixed.'
    ]
    assert editing_controls(at) == 0 and not at.sidebar.text_input  # no way in is offered


def test_right_passcode_unlocks_and_update_is_saved(data):
    at = open_app(secrets={"editor_passcode": PASSCODE})
    at.sidebar.text_input(key="passcode").input(PASSCODE)
    at.sidebar.button(key="unlock").click().run()
    assert at.title[0].value == "Edit the tracker"  # unlocking opens the Edit page
    as_editor(at)
    submit(fill_update(at), "Save update")
    assert not at.exception
    last = updates_of(data)[-1]
    assert (last["status"], last["author"], last["sources"][0]["url"]) == (
        "implemented",
        "Ana",
        "https://example.org/x",
    )
    assert plain(at.toast[0].value).startswith("Saved an update to")
    # The form is emptied, so a second click cannot save the same update twice.
    assert at.text_area(key="upd_note").value == "" and at.text_input(key="upd_url1").value == ""
    assert at.selectbox(key="upd_rec").value == REC and at.selectbox(key="upd_status").value == "implemented"
    goto(at, "recommendations")
    row = next(row for row in table_rows(at) if row["Recommendation"] == "Joint fund for forced-labor victims")
    assert row["Status"] == "Implemented"  # the pages show the new state at once


def test_status_change_without_source_is_refused(data):
    before = data.read_bytes()
    at = as_editor(open_app())
    submit(fill_update(at, url="", title=""), "Save update")
    assert not at.exception
    assert (
        "it changes the status from Partially implemented to Implemented but cites no source. "
        "Add a source for this change (official or news), or keep the status."
    ) in " ".join(plain(e.value) for e in at.error)
    assert data.read_bytes() == before


def test_update_without_name_is_refused(data):
    before = data.read_bytes()
    at = show_tools(open_app())
    submit(fill_update(at), "Save update")
    assert "type your name at the top of this page first" in at.error[0].value
    assert data.read_bytes() == before


@pytest.mark.parametrize(
    "when,message",
    [
        (TODAY + timedelta(days=3), "the date is in the future (today is 27 Nov 2026). Pick the day it happened."),
        (date(2021, 3, 1), "the date is before this recommendation's baseline (Jul 2022). Pick a date on or after"),
    ],
)
def test_bad_dates_are_refused(data, when, message):
    before = data.read_bytes()
    at = as_editor(open_app())
    submit(fill_update(at, when=when), "Save update")  # the date picker sets no limit: the core checks
    assert message in " ".join(plain(e.value) for e in at.error)
    assert data.read_bytes() == before


def test_review_with_same_status_needs_no_source(data):
    at = as_editor(open_app())
    submit(fill_update(at, status="partial", note="Checked again; no change.", url="", title=""), "Save update")
    assert not at.error
    assert updates_of(data)[-1]["note"] == "Checked again; no change."


def test_month_only_date_is_stored_as_a_month(data):
    at = as_editor(open_app())
    fill_update(at, status="partial", note="Seen in a monthly digest.", url="", title="", when=date(2025, 12, 17))
    at.checkbox(key="upd_month_only").check()
    submit(at, "Save update")
    saved = next(u for u in updates_of(data) if u["note"] == "Seen in a monthly digest.")
    assert saved["date"] == "2025-12"


def test_script_in_a_note_is_stored_and_shown_inert(data):
    note = "<script>alert('x')</script> **bold** [link](javascript:alert(1))"
    at = as_editor(open_app())
    submit(fill_update(at, note=note), "Save update")
    assert updates_of(data)[-1]["note"] == note
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["rec"] = REC
    at.run()
    # The history is HTML written by the server: the note is its text, escaped, never markup or a link.
    shown = [element.proto.body for element in at.get("html") if "alert" in element.proto.body]
    assert shown and all("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; **bold**" in text for text in shown)
    assert all("<script" not in text and 'href="javascript' not in text for text in shown)
    assert not [md.value for md in at.markdown if "<script>" in md.value]


# Two AppTests run at once in threads share Streamlit's one Runtime per process: the first to end tears it
# down while the other's script thread, its script already run, clears its media files. That thread's error
# is the harness's, not the app's: the app's own errors are asserted below (`exception`, `error`).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_two_sessions_saving_at_once_both_land(data):
    first, second = as_editor(open_app(), "Ana"), as_editor(open_app(), "Ben")
    fill_update(first, status="partial", note="Ana's review.", url="", title="")
    fill_update(second, status="implemented", note="Ben's review.", url="", title="", rec="export-controls")
    failures = []

    def save(app):
        try:
            submit(app, "Save update")
        except Exception as error:  # noqa: BLE001 - reported below, with what the page said
            failures.append(repr(error))

    threads = [threading.Thread(target=save, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    said = [(error.value, app.session_state["editor_name"]) for app in (first, second) for error in app.error]
    assert failures == [] and said == [] and not first.exception and not second.exception
    assert updates_of(data)[-1]["note"] == "Ana's review."
    assert updates_of(data, "export-controls")[-1]["note"] == "Ben's review."


def test_editor_is_told_what_else_changed(data):
    at = as_editor(open_app(), "Ana")
    # Someone else saves through another channel after Ana opened the form.
    other = YamlStore(data)
    from tracker.edits import build_update

    other.append_update(
        "export-controls",
        build_update(
            {
                "date": TODAY.isoformat(),
                "status": "implemented",
                "note": "Still lifted.",
                "sources": [],
                "author": "Ben",
                "recorded": "2026-11-27T13:00:00Z",
            }
        ),
        today=TODAY,
    )
    submit(fill_update(at, status="partial", note="Ana's review.", url="", title=""), "Save update")
    messages = [plain(s.value) for s in at.success]
    assert messages[1] == "While you were editing, others saved changes too:"
    assert "got 1 other update(s)" in messages[2] and "(latest by Ben)" in messages[2]
    assert updates_of(data)[-1]["note"] == "Ana's review."


def test_triage_saves_several_and_validates_each(data):
    at = open_section(as_editor(open_app()), "triage")
    ids = [rec["id"] for rec in yaml.safe_load(data.read_text())["recommendations"]]
    first, second = ids.index("export-controls"), ids.index("liaison-offices")
    liaison = {
        "New status": "In progress",
        "Note": "Talks on liaison officers.",
        "Source web address": "https://example.org/l",
        "Source title": "Liaison",
        "Source kind": "News",
    }

    def edit_rows(rows: dict) -> None:
        at.session_state["triage_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
        at.run()

    edit_rows({first: {"New status": "Reversed", "Note": "Curbs reimposed."}, second: liaison})  # no source: refused
    before = data.read_bytes()
    at.button(key="triage_save").click().run()
    errors = " ".join(plain(e.value) for e in at.error)
    assert "a status change needs a source" in errors and data.read_bytes() == before
    edit_rows({first: {"New status": "Implemented", "Note": "Reviewed, still lifted."}, second: liaison})
    at.button(key="triage_save").click().run()
    assert not at.error, [plain(e.value) for e in at.error]
    assert updates_of(data, "liaison-offices")[-1]["status"] == "in_progress"
    assert updates_of(data, "export-controls")[-1]["note"] == "Reviewed, still lifted."


def test_triage_rejects_an_injected_status(data):
    at = open_section(as_editor(open_app()), "triage")
    at.session_state["triage_0"] = {
        "edited_rows": {0: {"New status": "bogus", "Note": "x"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    before = data.read_bytes()
    at.button(key="triage_save").click().run()
    assert "'bogus' is not a status; choose one from the list." in plain(at.error[1].value)
    assert data.read_bytes() == before


def test_add_recommendation(data):
    at = open_section(as_editor(open_app()), "add")
    at.text_input(key="add_title").input("Open a Seoul–Tokyo hotline")
    at.text_area(key="add_quote").input("Bilateral security cooperation is very limited")
    at.multiselect(key="add_addressees").set_value(["japan", "south_korea"])
    at.text_area(key="add_note").input("Not in place at publication.")
    at.text_area(key="add_assessment").input("Nothing has been found yet.")
    at.text_area(key="add_criteria").input("A hotline in use.")
    submit(at, "Add recommendation")
    assert not at.error, [plain(e.value) for e in at.error]
    recs = yaml.safe_load(data.read_text())["recommendations"]
    assert recs[-1]["id"] == "open-a-seoul-tokyo-hotline" and recs[-1]["updates"][0]["author"] == "Ana"
    assert recs[-1]["assessment"] == {"date": TODAY, "text": "Nothing has been found yet."}
    assert recs[-1]["criteria"] == "A hotline in use."


def test_a_change_of_details_is_named_in_the_readers_language(data):
    """A change of a recommendation's category is said with the catalog's word for it (Korean here)."""
    from tracker.language import words

    current = next(r for r in yaml.safe_load(data.read_text())["recommendations"] if r["id"] == "quad-participation")
    other = "trade" if current["category"] != "trade" else "security"
    YamlStore(data).edit_recommendation(
        "quad-participation", {"category": other}, expected={"category": current["category"]}, author="Ana",
        recorded="2026-11-27T14:00:00Z", today=TODAY,
    )  # fmt: skip
    detail = AppTest.from_file(APP, default_timeout=60)
    detail.query_params["rec"] = "quad-participation"
    detail.query_params["lang"] = "ko"
    detail.run()
    word = words("ko").t("category")
    assert word != "category"
    assert any(word in caption.value and "Ana" in caption.value for caption in detail.caption), [
        caption.value for caption in detail.caption
    ]


def test_metadata_edit_is_recorded_and_conflict_refused(data):
    at = open_section(as_editor(open_app()), "details")
    at.selectbox(key="meta_rec").select("quad-participation").run()
    at.text_input(key="meta_title_quad-participation").input("South Korea joins Quad working groups")
    submit(at, "Save details")
    rec = next(r for r in yaml.safe_load(data.read_text())["recommendations"] if r["id"] == "quad-participation")
    assert rec["title"] == "South Korea joins Quad working groups"
    assert rec["metadata_changes"][-1]["author"] == "Ana"
    detail = AppTest.from_file(APP, default_timeout=60)
    detail.query_params["rec"] = "quad-participation"
    detail.run()
    assert any("Ana changed the title on" in caption.value for caption in detail.caption)
    # Ben opened the same form before Ana's save and now changes the title too.
    ben = open_section(as_editor(open_app(), "Ben"), "details")
    ben.selectbox(key="meta_rec").select("quad-participation").run()
    YamlStore(data).edit_recommendation(
        "quad-participation",
        {"title": "Changed by Cleo"},
        expected={"title": "South Korea joins Quad working groups"},
        author="Cleo",
        recorded="2026-11-27T14:00:00Z",
        today=TODAY,
    )
    before = data.read_bytes()
    ben.text_input(key="meta_title_quad-participation").input("Ben's title")
    submit(ben, "Save details")
    assert "Someone else changed the title of 'quad-participation'" in plain(ben.error[0].value)
    assert data.read_bytes() == before


def test_login_mode_allows_listed_user_and_refuses_another(data):
    secrets = {"auth": {"client_id": "x"}, "editors": ["ana@example.org"]}
    at = open_app(secrets=secrets, user={"is_logged_in": True, "email": "ana@example.org", "name": "Ana Analyst"})
    show_tools(at)
    assert edit_sections(at)[0] == "Record an update"
    submit(fill_update(at, status="partial", note="Login review.", url="", title=""), "Save update")
    assert updates_of(data)[-1]["author"] == "Ana Analyst"
    other = open_app(secrets=secrets, user={"is_logged_in": True, "email": "eve@example.org", "name": "Eve"})
    assert edit_sections(other) == [] and "edit" not in page_paths(other)
    assert "eve@example.org, who is not on the editors list" in " ".join(plain(c.value) for c in other.sidebar.caption)
    anonymous = open_app(secrets=secrets, user={"is_logged_in": False})
    assert edit_sections(anonymous) == [] and anonymous.sidebar.button(key="login")
    assert "edit" not in page_paths(anonymous)


@pytest.mark.parametrize("value", ["true", "yes", "TRUE", " 1", "on"])
def test_read_only_switch_takes_the_usual_spellings(data, monkeypatch, value):
    monkeypatch.setenv("TRACKER_READ_ONLY", value)
    at = open_app()
    assert not at.exception and editing_controls(at) == 0 and at.sidebar.toggle.len == 0


def test_an_unreadable_read_only_switch_keeps_editing_off_and_says_why(data, monkeypatch):
    monkeypatch.setenv("TRACKER_READ_ONLY", "maybe")
    at = open_app()
    assert not at.exception and editing_controls(at) == 0 and at.sidebar.toggle.len == 0
    assert [plain(w.value) for w in at.sidebar.warning] == [
        "TRACKER_READ_ONLY is set to 'maybe', which is neither true nor false; write 1 or 0 (or true or false). "
        "Editing is off until it is fixed."
    ]


@pytest.mark.parametrize(
    "key,value",
    [
        ("_editor_ok", True),
        ("_editor_ok", "1"),
        ("_published", "2026-11-27T12:00:00Z"),
        ("_warnings", "[x](https://phish.example)"),
        ("_flash", [{"not": "a message"}]),
        ("_meta_seen", "x"),
        ("_triage_round", "x"),
        ("_seen", ["x"]),
        ("_url_read", "yes"),
    ],
)
def test_forged_session_state_is_refused_without_a_traceback(data, key, value):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["editor_passcode"] = PASSCODE
    at.session_state[key] = value
    at.run()
    assert not at.exception
    assert editing_controls(at) == 0  # still a viewer: nothing forged unlocks editing
    assert at.sidebar.text_input(key="passcode")


# -- the analyst's path: late news, a double click, a triage that fails midway (#23) ---------------------


@pytest.fixture(params=["yaml", POSTGRES])
def stored(request, demo_file, monkeypatch):
    """The demo tracker in a YAML file or in PostgreSQL, the page pointed at it; returns its store."""
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    if request.param == "yaml":
        monkeypatch.setenv("TRACKER_DATA", str(demo_file))
        monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
        yield YamlStore(demo_file)
        return
    url = own_database(PG_URL, "tracker_editing_test")
    reset_database(url)
    store = SqlStore(url)
    store.replace(YamlStore(demo_file).load(today=TODAY), today=TODAY)
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    yield store
    store.dispose()


def history(store, rec_id=REC):
    return (
        open_store(store.describe() if "://" in store.describe() else str(store.path))
        .load(today=TODAY)
        .recommendations[[rec.id for rec in store.load(today=TODAY).recommendations].index(rec_id)]
        .updates
    )


def test_late_news_dated_before_the_last_review_is_recorded(stored):
    """The joint fund was reviewed on 1 Oct 2026 (an older file's review: it restates its status). News found
    late, dated 20 Sep 2026, changes the status: it lands before the review, which stays a review."""
    at = as_editor(open_app())
    submit(fill_update(at, status="implemented", note="Japanese firms joined the fund.", when=date(2026, 9, 20)),
           "Save update")  # fmt: skip
    assert not at.exception and not at.error, [plain(e.value) for e in at.error]
    updates = history(stored)
    assert [(u.date, u.status) for u in updates[-2:]] == [("2026-09-20", "implemented"), ("2026-10-01", "partial")]
    rec = next(r for r in stored.load(today=TODAY).recommendations if r.id == REC)
    assert current_status(rec) == "implemented"  # the review states nothing: the late news holds
    assert [u.date for u in updates] == sorted((u.date for u in updates), key=start_of)
    # The page reads it in date order, the review as a review.
    page = goto(at, "recommendation", rec=REC)
    # The history is one element, an entry an item.
    (listed,) = [element.proto.body for element in page.get("html") if 'class="history"' in element.proto.body]
    lines = [html.unescape(re.sub(r"<[^>]+>", "", entry)) for entry in re.split(r"<li[^>]*>", listed)[1:]]
    assert lines[0].startswith("1 Oct 2026 — review, no change found (still Implemented)")
    assert "Reviewed, no change." in lines[0]
    assert "20 Sep 2026 — Implemented" in lines[1] and "Japanese firms joined the fund." in lines[1]


def test_the_same_update_saved_twice_is_recorded_once(stored):
    at = as_editor(open_app())
    submit(fill_update(at, when=date(2026, 11, 2)), "Save update")
    assert not at.error
    # The form is empty now, and a lasting confirmation says what was saved, with a link to it.
    assert at.text_area(key="upd_note").value == ""
    assert plain(at.success[0].value).startswith(
        "Saved an update to 'Joint fund for forced-labor victims': Implemented, dated 2 Nov 2026."
    )
    count = len(history(stored))
    submit(fill_update(at, when=date(2026, 11, 2)), "Save update")  # the very same update again
    assert [plain(e.value) for e in at.error] == [
        "Nothing was saved. Please fix:",
        "'Joint fund for forced-labor victims', the update of 2 Nov 2026: this update is already recorded. "
        "Nothing was added; it was saved before.",
    ]
    assert len(history(stored)) == count


def test_a_triage_that_fails_on_its_third_row_saves_nothing(stored):
    at = open_section(as_editor(open_app()), "triage")
    ids = [rec.id for rec in stored.load(today=TODAY).recommendations]
    good = {"Note": "Checked the news.", "Source web address": "https://example.org/t", "Source title": "Report",
            "Source kind": "News"}  # fmt: skip
    rows = {
        ids.index("liaison-offices"): {"New status": "In progress", **good},
        ids.index("gsomia"): {"New status": "Stalled", **good},
        ids.index("quad-participation"): {"New status": "In progress", "Note": "Talk of an invitation."},  # no source
    }
    at.session_state["triage_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    revision = stored.revision()
    at.button(key="triage_save").click().run()
    errors = [plain(e.value) for e in at.error]
    assert errors == [
        "Nothing was saved. Please fix:",
        "'Invite South Korea to Quad working groups': a status change needs a source; add its web address and title.",
    ]
    assert stored.revision() == revision  # the first two rows were not saved either
