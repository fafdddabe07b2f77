"""Readers' suggestions in a real browser (Playwright, Debian's chromium): a reader suggests from a
recommendation's page and keeps the link; an editor accepts from the queue; the reader's link then
says so, and the update is in the data file. Both new pages pass axe-core."""

from __future__ import annotations

import os
import re
import time

import pytest
import yaml
from helpers import (
    CHROMIUM,
    STEPS,
    TITLES,
    VIEWPORT,
    WAIT_MS,
    axe_violations,
    no_exception,
    open_page,
    settle,
    shot,
    streamlit_server,
    unlock,
)
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed (apt-get install chromium)"),
]
REC = "forced-labor-joint-fund"


def new_page(browser, request, name):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    STEPS[id(page)] = (f"{request.node.name}-{name}", [])
    return page


def type_into(page, key: str, text: str, field: str = "input") -> None:
    page.locator(f".st-key-{key} {field}").fill(text)


def test_a_reader_suggests_and_an_editor_accepts(tmp_path, browser, request):
    note = f"Browser reader {time.time_ns()}: Japanese firms paid into the fund."
    with streamlit_server(tmp_path) as (url, data):
        reader = new_page(browser, request, "reader")
        open_page(reader, f"{url}/recommendation?rec={REC}", 0, TITLES[REC])
        reader.get_by_test_id("stMain").get_by_role("link", name=re.compile("Suggest an update")).click()
        expect(reader).to_have_url(re.compile(rf"/suggest\?rec={REC}$"))
        expect(reader.get_by_role("heading", name="Suggest an update", level=1)).to_be_visible()
        expect(reader.locator(".st-key-sug_rec input")).to_have_value(TITLES[REC])
        settle(reader)
        assert axe_violations(reader) == []
        # The trap field is there for bots only: no person sees or reaches it.
        expect(reader.locator(".st-key-sug_website input")).to_be_hidden()
        type_into(reader, "sug_note", note, "textarea")
        # The date field is three spin buttons (year, month, day) that a keyboard fills in turn.
        reader.get_by_role("spinbutton", name="year, When it happened").click()
        reader.keyboard.type("20261120")
        reader.keyboard.press("Tab")
        expect(reader.get_by_role("spinbutton", name="day, When it happened")).to_have_attribute("aria-valuenow", "20")
        type_into(reader, "sug_url1", "https://example.org/news/browser-fund")
        type_into(reader, "sug_title1", "Japanese firms pay into the fund")
        type_into(reader, "sug_contact", "reader-canary@example.net")
        shot(reader, "form-filled")
        reader.get_by_role("button", name="Send suggestion").click()
        sent = reader.get_by_test_id("stAlertContentSuccess")
        expect(sent).to_contain_text("Thank you: your suggestion was sent.")
        reference = re.search(r"Its reference is (\S+)\.", sent.inner_text()).group(1)
        reader.get_by_role("link", name="See what becomes of your suggestion").click()
        expect(reader).to_have_url(re.compile(rf"/suggestion\?ref={re.escape(reference)}$"))
        expect(reader.get_by_role("heading", name="Waiting for an editor")).to_be_visible()
        settle(reader)
        assert axe_violations(reader) == []
        assert "reader-canary" not in reader.locator("body").inner_text()
        status_link = reader.url
        shot(reader, "pending")

        editor = new_page(browser, request, "editor")
        open_page(editor, url + "/")
        unlock(editor)
        expect(editor.get_by_test_id("stSidebarNav").get_by_role("link", name="Edit (1 suggestion)")).to_be_visible()
        editor.get_by_test_id("stRadio").get_by_text("Suggestions (1 waiting)", exact=True).click()
        expect(editor.get_by_test_id("stText").filter(has_text=note)).to_be_visible()  # shown as text
        kind = editor.locator(f".st-key-q_kind1_{reference} input")
        kind.click()
        kind.fill("News")
        kind.press("Enter")
        expect(kind).to_have_value("News")
        shot(editor, "queue")
        settle(editor)
        assert axe_violations(editor) == []
        editor.get_by_role("button", name="Accept and record the update").click()
        accepted = f"Accepted suggestion {reference}: the update is recorded."
        expect(editor.get_by_test_id("stAlertContentSuccess").filter(has_text=accepted)).to_have_count(1)
        no_exception(editor)

        reader.goto(status_link, wait_until="domcontentloaded")
        expect(reader.get_by_role("heading", name="Accepted")).to_be_visible()
        expect(reader.get_by_text("It is part of the update dated 20 Nov 2026.")).to_be_visible()
        shot(reader, "accepted")
        on_disk = yaml.safe_load(data.read_text(encoding="utf-8"))
        last = next(rec for rec in on_disk["recommendations"] if rec["id"] == REC)["updates"][-1]
        assert last["note"] == f"{note}\n\n(Suggested by a reader: suggestion {reference}.)"
        assert last["author"] == "Browser Test" and str(last["date"]) == "2026-11-20"
        assert "reader-canary" not in data.read_text(encoding="utf-8")


PHONE = {"width": 390, "height": 844}


def test_the_edit_page_fits_a_phone(tmp_path, browser, request):
    """At 390 px every form of the Edit page can be chosen (the choices wrap, none runs off the screen),
    and no field's placeholder is cut (#23)."""
    with streamlit_server(tmp_path) as (url, _data):
        page = new_page(browser, request, "phone")
        open_page(page, f"{url}/")
        unlock(page)  # on a laptop's screen, then the same session on a phone's
        expect(page.get_by_role("heading", name="Edit the tracker", level=1)).to_be_visible()
        page.set_viewport_size(PHONE)
        settle(page)
        # The phone's layout is drawn after the resize, not with it: wait for the seven choices rather
        # than count a page still being redrawn (a count taken at once saw none on a slow machine).
        expect(page.get_by_role("radiogroup", name="What to do").get_by_role("radio")).to_have_count(7)
        shot(page, "edit-on-a-phone")
        for choice in page.get_by_role("radiogroup", name="What to do").locator("label").all():
            box = choice.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        # Each form opens, and no placeholder is wider than its field.
        sections = {  # each form, and what shows it is drawn
            "Record a review of the tracker": page.get_by_role("button", name="Save review"),
            "Triage several": page.get_by_role("button", name="Save triage changes"),
            "Add a recommendation": page.get_by_role("button", name="Add recommendation"),
            "Edit details": page.get_by_role("button", name="Save details"),
            "Suggestions": page.get_by_text("No suggestion is waiting."),
            "Translations": page.get_by_role("button", name="Save translation"),
            "Record an update": page.get_by_role("button", name="Save update"),
        }
        for name, marker in sections.items():
            page.get_by_test_id("stRadio").get_by_text(name, exact=True).click()
            expect(marker).to_be_visible()
            settle(page)
            cut = page.evaluate(
                """() => [...document.querySelectorAll('input[placeholder], [data-baseweb="select"]')]
                    .filter(el => el.offsetParent !== null)
                    .filter(el => el.scrollWidth > el.clientWidth + 1)
                    .map(el => el.getAttribute('placeholder') || el.innerText)"""
            )
            assert cut == [], (name, cut)
        shot(page, "every-form-reached")
