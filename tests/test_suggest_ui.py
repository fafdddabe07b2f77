"""Readers' suggestions on the page (AppTest on real files, and on PostgreSQL): a reader suggests, an
editor accepts, declines or merges, and the reader sees the outcome at their link; what is refused
is refused plainly and writes nothing; a viewer cannot reach the editors' decisions."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import streamlit as st
from conftest import RECORDED, ROOT, TODAY
from helpers import PG_URL, edit_sections, goto, open_section, page_paths, page_titles, plain, reset_database
from streamlit.testing.v1 import AppTest

from tracker.storage import open_store
from tracker.storage.yaml_files import suggestions_path
from tracker.suggestion import client_key, new_reference, validate_suggestion

APP = str(ROOT / "dashboard.py")
PASSCODE = "opal-harbour-lantern"  # long and varied enough for the passcode rule
REC = "forced-labor-joint-fund"
CONTACT = "reader-canary@example.net"


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    for name in (
        "TRACKER_EDITOR_PASSCODE",
        "TRACKER_EDITORS",
        "TRACKER_READ_ONLY",
        "TRACKER_SUGGESTIONS",
        "TRACKER_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def data(demo_file, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    return demo_file


def open_app(secrets=None):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at.run()


def fill(
    at,
    *,
    note="The fund received its first Japanese contribution.",
    when=date(2026, 11, 20),
    month_only=False,
    status="implemented",
    sources=(("https://example.org/news/fund-contribution", "Japanese firms pay into the fund"),),
    contact=CONTACT,
    trap="",
    rec=REC,
):
    """The suggestion form, filled in (the page must be the suggest page)."""
    at.selectbox(key="sug_rec").select(rec).run()
    at.text_area(key="sug_note").input(note)
    at.date_input(key="sug_date").set_value(when)
    at.checkbox(key="sug_month_only").set_value(month_only)
    at.selectbox(key="sug_status").select(status or "")
    for n, (url, title) in enumerate(sources, start=1):
        at.text_input(key=f"sug_url{n}").input(url)
        at.text_input(key=f"sug_title{n}").input(title)
    at.text_input(key="sug_contact").input(contact)
    at.text_input(key="sug_website").input(trap)
    return at


def send(at):
    next(b for b in at.form_submit_button if b.label == "Send suggestion").click().run()
    return at


def suggest(at, **fields):
    """A reader's whole send, from the suggest page; returns the reference the page gave."""
    send(fill(goto(at, "suggest", rec=fields.get("rec", REC)), **fields))
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    success = at.success[0].value
    assert success.startswith("Thank you: your suggestion was sent.")
    return plain(success).split("Its reference is ")[1].split(".")[0].strip("*")


def texts(at) -> str:
    """Everything the page shows as text, to check what is (not) on it."""
    kinds = ("markdown", "text", "caption", "title", "header", "success", "error", "info", "warning")
    said = [str(element.value) for kind in kinds for element in at.get(kind)]
    # HTML the server wrote (the history, lists): its text, as a reader sees it.
    said += [html.unescape(re.sub(r"<[^>]+>", " ", element.proto.body)) for element in at.get("html")]
    return "\n".join(said)


def status_page(at, reference):
    return goto(at, "suggestion", ref=reference)


def as_editor(at, name="Ana"):
    goto(at, "edit")
    at.text_input(key="editor_name").input(name).run()
    return open_section(at, "suggestions")


def decide(at, reference, choice):
    at.radio(key=f"q_choice_{reference}").set_value(choice).run()
    return at


def click(at, label):
    next(b for b in at.form_submit_button if b.label == label).click().run()
    return at


def stored(demo_file):
    return open_store(str(demo_file)).suggestions.list()


# -- a reader suggests ----------------------------------------------------------------------------


def test_reader_suggests_from_a_recommendation_page_and_follows_it_at_a_link(data):
    before = data.read_bytes()
    at = goto(open_app(), "recommendation", rec=REC)
    links = [link for link in at.get("page_link") if "Suggest an update" in link.proto.label]
    assert len(links) == 1 and links[0].proto.query_string == f"rec={REC}"
    overview = goto(at, "")
    assert any("Suggest an update" in link.proto.label for link in overview.get("page_link"))
    at = goto(at, "suggest", rec=REC)
    assert at.selectbox(key="sug_rec").value == REC  # the link names the recommendation
    reference = suggest(at)
    # Nothing touches the tracker until an editor accepts; the suggestion waits beside it.
    assert data.read_bytes() == before
    (saved,) = stored(data)
    assert (saved.reference, saved.rec_id, saved.state, saved.status) == (reference, REC, "pending", "implemented")
    assert saved.date == "2026-11-20" and saved.contact == CONTACT
    assert saved.sources[0].url == "https://example.org/news/fund-contribution"
    # The reader's link: where it stands, and nothing personal (no email, no note, no source).
    at = status_page(at, reference)
    assert at.title[0].value == "Your suggestion"
    assert at.header[0].value == "Waiting for an editor"
    assert at.query_params["ref"] == reference  # kept in the address, so the link can be kept
    shown = plain(texts(at))
    assert reference in shown
    for private in (CONTACT, saved.client, "first Japanese contribution", "example.org/news"):
        assert private not in shown
    # Nothing to share there but the link the reader was given.
    assert [h.value for h in at.sidebar.header] == ["Filters"]


def test_month_only_and_no_change_are_kept_as_given(data):
    at = open_app()
    suggest(at, when=date(2026, 10, 5), month_only=True, status=None)
    (saved,) = stored(data)
    assert (saved.date, saved.status) == ("2026-10", None)


def test_unknown_or_hostile_reference_gets_a_plain_message(data):
    at = status_page(open_app(), "nope-<b>x</b>")
    assert not at.exception
    assert plain(at.error[0].value) == "There is no suggestion with the reference 'nope-<b>x</b>'; check the link."
    assert "\\<b\\>" in at.error[0].value  # escaped: shown as typed, never as markup
    at = goto(open_app(), "suggestion")
    assert at.info[0].value == "Open this page from the link you got when you sent a suggestion."


BAD_INPUT = [
    ({"note": ""}, ["Say what happened."]),
    ({"when": None}, ["Give the date it happened."]),
    # The picker takes no day after today or before the recommendation's baseline (the core refuses them too).
    ({"when": date(2026, 11, 28)}, ["Give the date it happened."]),
    ({"when": date(2022, 6, 30)}, ["Give the date it happened."]),
    ({"sources": ()}, ["Give at least one source: its web address and title."]),
    (
        {"sources": (("javascript:alert(1)", "Click"),)},
        ["Source 1: 'javascript:alert(1)' is not a web address; it must start with http:// or https://."],
    ),
    ({"sources": (("https://example.org/a", ""),)}, ["Source 1: give its title."]),
    ({"contact": "not an email"}, ["The email address does not look like one; correct it or leave it empty."]),
    ({"trap": "https://spam.example"}, ["This form could not be sent; reload the page and try again."]),
    (
        {"sources": (("https://example.org/fund", "Already cited"),)},
        ["The source https://example.org/fund is already cited for this recommendation."],
    ),
]


@pytest.mark.parametrize(("change", "expected"), BAD_INPUT, ids=[str(i) for i in range(len(BAD_INPUT))])
def test_bad_input_is_refused_plainly_and_nothing_is_written(data, change, expected):
    before = data.read_bytes()
    at = send(fill(goto(open_app(), "suggest", rec=REC), **change))
    assert not at.exception
    assert [plain(e.value) for e in at.error] == ["Your suggestion was not sent:", *expected]
    assert not at.success
    assert data.read_bytes() == before
    assert not suggestions_path(data).exists()
    assert at.text_area(key="sug_note").value == change.get("note", at.text_area(key="sug_note").value)


def test_a_source_already_waiting_is_refused(data):
    at = open_app()
    suggest(at)
    at.button(key="sug_again").click().run()
    send(fill(goto(at, "suggest", rec=REC)))
    assert [plain(e.value) for e in at.error] == [
        "Your suggestion was not sent:",
        "The source https://example.org/news/fund-contribution was already suggested and is waiting for an editor.",
    ]
    assert len(stored(data)) == 1


def test_rate_limit_per_client(data):
    at = open_app()
    for n in range(3):
        suggest(at, sources=((f"https://example.org/news/{n}", f"Report {n}"),))
        at.button(key="sug_again").click().run()
    send(fill(goto(at, "suggest", rec=REC), sources=(("https://example.org/news/4", "Report 4"),)))
    assert [plain(e.value) for e in at.error] == [
        "Your suggestion was not sent:",
        "3 suggestions came from your connection in the last 60 minutes, the most we take; please try again later.",
    ]
    assert len(stored(data)) == 3


def test_global_cap_on_pending_suggestions(data):
    store = open_store(str(data))
    tracker = store.load(today=TODAY)
    waiting = [
        validate_suggestion(
            tracker,
            {
                "rec_id": "whitelist",
                "note": f"Tip {n}.",
                "date": "2026-11",
                "sources": [{"url": f"https://example.org/tip/{n}", "title": f"Tip {n}"}],
            },
            reference=new_reference(),
            client=client_key(f"198.51.100.{n % 250}", f"salt {n}"),
            submitted=RECORDED,
            today=TODAY,
        )
        for n in range(200)
    ]
    store.suggestions.replace_all(waiting)
    at = send(fill(goto(open_app(), "suggest", rec=REC)))
    assert [plain(e.value) for e in at.error] == [
        "Your suggestion was not sent:",
        "The editors already have 200 suggestions to review, the most we hold; please try again in a few days.",
    ]
    assert len(stored(data)) == 200


def test_the_thanks_are_for_the_send_just_made(data):
    at = open_app()
    suggest(at)
    goto(at, "recommendation", rec="whitelist")
    at = goto(at, "suggest", rec="whitelist")  # from another recommendation's page: a new form for it
    assert not at.success
    assert at.selectbox(key="sug_rec").value == "whitelist"
    assert at.query_params["rec"] == "whitelist"


def test_a_broken_suggestions_file_is_for_the_editors_not_the_readers(data):
    at = open_app()
    reference = suggest(at)
    path = suggestions_path(data)
    path.write_text(path.read_text(encoding="utf-8").replace("client: ", "client: NOTHEX-"), encoding="utf-8")
    at.button(key="sug_again").click().run()
    at = send(fill(goto(at, "suggest", rec=REC), sources=(("https://example.org/other", "Other"),)))
    assert [e.value for e in at.error] == ["Suggestions cannot be taken just now; please try again later."]
    assert [e.value for e in status_page(at, reference).error] == [
        "Suggestions cannot be looked up just now; please try again later."
    ]
    at = as_editor(at)
    (shown,) = at.error
    assert plain(shown.value).startswith(
        "The suggestions cannot be read. recommendations.suggestions.yaml: Suggestion 1"
    )


def test_opening_the_form_when_suggestions_are_off_shows_no_form(data, monkeypatch):
    monkeypatch.setenv("TRACKER_SUGGESTIONS", "0")
    at = open_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not offered: no address opens it
        goto(at, "suggest", rec=REC)
    at.query_params["rec"] = REC
    at.run()
    assert not at.exception
    assert at.title[0].value != "Suggest an update" and not at.text_area


# -- editors decide -------------------------------------------------------------------------------


def test_editor_accepts_the_update_lands_with_the_credit(data):
    at = open_app()
    reference = suggest(at, note="A first Japanese contribution. <img src=x onerror=alert(1)> **bold**")
    at = as_editor(at)
    assert "Edit (1 suggestion)" in page_titles(at)
    assert edit_sections(at)[-1] == "Suggestions (1 waiting)"
    # What the reader typed is shown as text, and the editor sees how the status would change.
    assert "A first Japanese contribution. <img src=x onerror=alert(1)> **bold**" in [t.value for t in at.text]
    assert any(plain(m.value) == "Happened: 20 Nov 2026 · Partially implemented → Implemented." for m in at.markdown)
    assert any(CONTACT in plain(m.value) for m in at.markdown)  # editors only
    # The kind must be chosen: an editor judges the source.
    click(at, "Accept and record the update")
    assert [plain(e.value) for e in at.error] == [
        "Nothing was saved. Please fix:",
        "Source 1: choose what kind of source it is.",
    ]
    at.selectbox(key=f"q_kind1_{reference}").select("news")
    at.text_area(key=f"q_note_{reference}").input("Japanese firms made a first contribution to the fund.")
    click(at, "Accept and record the update")
    assert not at.exception and not at.error
    assert plain(at.success[0].value) == f"Accepted suggestion {reference}: the update is recorded."
    latest = open_store(str(data)).load(today=TODAY).recommendations[2].updates[-1]
    assert latest.status == "implemented" and latest.author == "Ana" and latest.date == "2026-11-20"
    assert latest.note == (
        f"Japanese firms made a first contribution to the fund.\n\n(Suggested by a reader: suggestion {reference}.)"
    )
    assert [(s.url, s.kind) for s in latest.sources] == [("https://example.org/news/fund-contribution", "news")]
    (decided,) = stored(data)
    assert (decided.state, decided.decision.by, decided.decision.at) == ("accepted", "Ana", "2026-11-27T23:59:59Z")
    # The queue is empty again, the decision is listed with who and when.
    assert edit_sections(at)[-1] == "Suggestions"
    assert any(f"| {reference} |" in plain(m.value) and "| Ana |" in m.value for m in at.markdown)
    # The reader's link and the recommendation's page show it.
    at = status_page(at, reference)
    assert at.header[0].value == "Accepted"
    assert any("It is part of the update dated 20 Nov 2026." == m.value for m in at.markdown)
    at = goto(at, "recommendation", rec=REC)
    assert f"(Suggested by a reader: suggestion {reference}.)" in plain(texts(at))


def test_editor_declines_with_a_reason_the_reader_sees(data):
    at = open_app()
    reference = suggest(at)
    at = decide(as_editor(at), reference, "Decline")
    click(at, "Decline")
    assert [plain(e.value) for e in at.error] == [
        "Nothing was saved. Please fix:",
        "Give the reason for declining; the reader will see it.",
    ]
    assert stored(data)[0].state == "pending"
    at.text_area(key=f"q_reason_{reference}").input("The report is about a <b>different</b> fund.")
    click(at, "Decline")
    assert plain(at.success[0].value) == f"Declined suggestion {reference}."
    at = status_page(at, reference)
    assert at.header[0].value == "Declined"
    assert [t.value for t in at.text] == ["The report is about a <b>different</b> fund."]


def test_editor_merges_into_an_update_already_recorded(data):
    before = data.read_bytes()
    at = open_app()
    reference = suggest(at, status=None, when=date(2023, 3, 20))
    at = decide(as_editor(at), reference, "Merge")
    at.selectbox(key=f"q_into_{reference}").select(("2023-03", RECORDED))
    click(at, "Merge")
    assert plain(at.success[0].value) == f"Merged suggestion {reference} into the update of 2023-03."
    assert data.read_bytes() == before  # merging changes no update
    (merged,) = stored(data)
    assert (merged.state, merged.decision.update.date) == ("merged", "2023-03")
    at = status_page(at, reference)
    assert at.header[0].value == "Merged into an update already recorded"


def test_a_viewer_cannot_reach_the_decisions_by_any_widget_trick(data):
    at = open_app()
    reference = suggest(at)
    viewer = open_app(secrets={"editor_passcode": PASSCODE})
    assert "edit" not in page_paths(viewer)
    # A forged unlock (any value a browser can send) and the queue's widget values.
    viewer.session_state["_editor_ok"] = True
    viewer.session_state["editor_name"] = "Mallory"
    viewer.session_state[f"q_choice_{reference}"] = "Decline"
    viewer.session_state[f"q_reason_{reference}"] = "forged"
    viewer.session_state[f"q_kind1_{reference}"] = "official"
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not offered: no address opens it
        goto(viewer, "edit")
    viewer.run()
    assert not viewer.exception
    assert "edit" not in page_paths(viewer)
    assert viewer.title[0].value != "Edit the tracker"
    assert not [b for b in viewer.form_submit_button if b.label in ("Accept and record the update", "Decline", "Merge")]
    assert stored(data)[0].state == "pending"


def test_the_queue_itself_refuses_anyone_who_may_not_edit(data):
    """The queue, drawn for a visitor who may not edit (as if a page offered it by mistake): it shows
    nothing, so no email is seen and no decision can be made."""
    reference = suggest(open_app())

    def queue_for_a_viewer():
        import os
        from types import SimpleNamespace

        from tracker import clock
        from tracker.access import Access
        from ui.data import open_cached_store
        from ui.suggest import queue_ui

        where = os.environ["TRACKER_DATA"]
        ctx = SimpleNamespace(
            location=where, revision=open_cached_store(where).revision(), today=clock.today(os.environ)
        )
        queue_ui(ctx, Access("passcode", False, author="Mallory"))

    viewer = AppTest.from_function(queue_for_a_viewer, default_timeout=60).run()
    assert not viewer.exception
    assert not viewer.radio and not viewer.form_submit_button and not viewer.markdown
    assert stored(data)[0].state == "pending" and reference


def test_switched_off_no_form_is_shown_but_links_keep_working(data, monkeypatch):
    reference = suggest(open_app())
    monkeypatch.setenv("TRACKER_SUGGESTIONS", "off")
    at = open_app()
    assert "suggest" not in page_paths(at)
    assert not any("Suggest an update" in link.proto.label for link in at.get("page_link"))
    at = goto(at, "recommendation", rec=REC)
    assert not any("Suggest an update" in link.proto.label for link in at.get("page_link"))
    assert status_page(at, reference).header[0].value == "Waiting for an editor"


def test_read_only_keeps_suggestions_off_and_a_bad_switch_says_why(data, monkeypatch):
    monkeypatch.setenv("TRACKER_READ_ONLY", "yes")
    assert "suggest" not in page_paths(open_app())
    monkeypatch.setenv("TRACKER_SUGGESTIONS", "perhaps")
    at = open_app()
    assert "suggest" not in page_paths(at)
    assert [plain(w.value) for w in at.sidebar.warning] == [
        "TRACKER_SUGGESTIONS is set to 'perhaps', which is neither true nor false; write 1 or 0 "
        "(or true or false). Suggestions are off until it is fixed."
    ]


# -- on PostgreSQL --------------------------------------------------------------------------------


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL not available: set TRACKER_TEST_DATABASE_URL")
def test_suggest_and_accept_on_postgresql(demo_file, monkeypatch):
    from conftest import make_demo_data

    from tracker.storage.sql import SqlStore
    from tracker.validation import validate_data

    reset_database(PG_URL)
    store = SqlStore(PG_URL)
    store.replace(validate_data(make_demo_data(), today=TODAY), today=TODAY)
    monkeypatch.setenv("TRACKER_DATABASE_URL", PG_URL)
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = open_app()
    reference = suggest(at)
    at = as_editor(at)
    at.selectbox(key=f"q_kind1_{reference}").select("official")
    click(at, "Accept and record the update")
    assert not at.error, [e.value for e in at.error]
    fresh = SqlStore(PG_URL)
    latest = fresh.load(today=TODAY).recommendations[2].updates[-1]
    assert latest.note.endswith(f"(Suggested by a reader: suggestion {reference}.)")
    assert fresh.suggestions.get(reference).state == "accepted"
    assert status_page(at, reference).header[0].value == "Accepted"
    fresh.dispose()
    store.dispose()
