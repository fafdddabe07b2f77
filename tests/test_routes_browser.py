"""An update saved through the page (a real browser on `streamlit run app.py`) appears in
the feeds and the API on the next request; the page shows Follow and Embed.

Needs Debian's chromium and the playwright wheel, like tests/test_browser.py, whose page
helpers it uses. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import os
import time

import feedparser
import helpers as ui
import httpx
import pytest
from conftest import TODAY, make_demo_data
from helpers import ROUTES, app_server
from playwright.sync_api import sync_playwright

from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

pytestmark = [
    pytest.mark.skipif(not os.path.exists(ui.CHROMIUM), reason="chromium not installed (apt-get install chromium)"),
]
REC = "liaison-offices"  # no step found in the demo tracker


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=ui.CHROMIUM, args=ui.ARGS)
        context = browser.new_context(viewport=ui.VIEWPORT)
        context.set_default_timeout(ui.WAIT_MS)
        opened = context.new_page()
        ui.STEPS[id(opened)] = ("routes_browser", [])
        try:
            yield opened
        finally:
            ui.shot(opened, "last")
            browser.close()


def test_an_update_saved_on_the_page_is_in_the_feed_and_the_api(tmp_path, page):
    data = tmp_path / "recommendations.yaml"
    data.write_text(dump_tracker(validate_data(make_demo_data(), today=TODAY)), encoding="utf-8")
    with app_server(tmp_path, data_file=data, passcode=ui.PASSCODE) as url:
        client = httpx.Client(base_url=url + "/", timeout=30)
        before = {path: client.get(path).headers["etag"] for path in (f"feed/{REC}.atom", "api/v1/events.json")}
        note = f"Routes test {time.time_ns()}: arbitration <talks> & more."

        ui.open_page(page, f"{url}/?rec={REC}", 0, ui.TITLES[REC])  # the recommendation's page
        # The header links the tracker's feed; the detail offers Follow and Embed.
        ui.expect(page.get_by_role("link", name="Atom feed").first).to_have_attribute("href", f"{url}/feed.atom")
        page.get_by_text("Follow or embed this recommendation").click()
        ui.expect(page.get_by_role("link", name="Atom feed of its updates")).to_have_attribute(
            "href", f"{url}/feed/{REC}.atom"
        )
        ui.expect(page.get_by_test_id("stCode").first).to_contain_text(f"{url}/badge/{REC}.svg")
        ui.shot(page, "follow-embed")

        ui.unlock(page)
        page.get_by_test_id("stRadio").get_by_text("Record an update", exact=True).click()
        ui.pick(page, "upd_rec", ui.TITLES[REC])
        ui.expect(page.locator(".st-key-upd_status input")).to_have_value("No step found")
        ui.settle(page)
        ui.pick(page, "upd_status", "In progress")
        ui.expect(page.locator(".st-key-upd_status input")).to_have_value("In progress")
        page.locator(".st-key-upd_note textarea").fill(note)
        page.locator(".st-key-upd_url1 input").fill("https://example.org/routes-test?a=1&b=2")
        page.locator(".st-key-upd_title1 input").fill("Routes test source")
        ui.pick_kind(page)
        page.get_by_role("button", name="Save update").click()
        saved = f"Saved an update to '{ui.TITLES[REC]}': In progress"
        ui.expect(page.get_by_test_id("stToast").filter(has_text=saved)).to_be_visible()
        ui.shot(page, "saved")

        # The next request: new ETags, the update on top of the feed and in the API.
        for path, etag in before.items():
            response = client.get(path, headers={"If-None-Match": etag})
            assert response.status_code == 200 and response.headers["etag"] != etag, path
        entry = feedparser.parse(client.get(f"feed/{REC}.atom").content).entries[0]
        assert entry.title == f"{ui.TITLES[REC]}: No step found → In progress"
        assert "arbitration &lt;talks&gt; &amp; more." in entry.content[0].value
        assert feedparser.parse(client.get("feed.atom").content).entries[0].id == entry.id
        latest = client.get("api/v1/events.json").json()["events"][0]
        assert (latest["id"], latest["note"], latest["kind"]) == (entry.id, note, "change")
        assert latest["sources"] == [
            {"url": "https://example.org/routes-test?a=1&b=2", "title": "Routes test source", "kind": "news"}
        ]
        state = {r["id"]: r for r in client.get("api/v1/recommendations.json").json()["recommendations"]}
        assert state[REC]["status"]["id"] == "in_progress"
        assert "In progress" in client.get(f"badge/{REC}.svg").text
        # Nothing from the editors' side: not the editor's name, not the passcode.
        for path in ROUTES:
            body = client.get(path.replace("joint-fund", REC)).content
            assert b"Browser Test" not in body and ui.PASSCODE.encode() not in body, path
        client.close()
