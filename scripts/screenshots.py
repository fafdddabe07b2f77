"""Retake the README screenshots with the browser-test machinery, on the bundled data and a fixed today:
the Overview's first screen on a laptop (1,440 x 900) and on a phone (390 x 844), a recommendation's page
and the list on a phone, the Timeline's rows, a recommendation's history and an editor's form.

Run: .venv/bin/python scripts/screenshots.py  (needs Debian's chromium)
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
os.environ["STREAMLIT_CLIENT_TOOLBAR_MODE"] = "viewer"  # no "Deploy" button: what a reader of the deployed app sees

import helpers as tb  # noqa: E402 - needs the path above

from tracker.model import start_of  # noqa: E402

tb.free_port = lambda: 8501  # the share link then reads like the README's local run
DATA = ROOT / "data" / "recommendations.yaml"
LAPTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def screenshot_day() -> date:
    """The day the screenshots show (TRACKER_TODAY): the latest date in the bundled data, so they come
    out the same whenever they are retaken on the same data, and no date of it is in the future."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    dates = [u["date"] for rec in data["recommendations"] for u in rec["updates"]]
    dates += [rec["assessment"]["date"] for rec in data["recommendations"] if rec.get("assessment")]
    dates += [event["date"] for event in data["context_events"]]
    dates += [review["date"] for review in data.get("reviews", [])]  # a sweep that found nothing new is dated too
    return max(start_of(str(value)) for value in dates)


NOTE = "Reviewed the foundation's 2026 report: payments continue, Japanese firms still not contributing. No change."


def scroll_to(page, heading_name: str) -> None:
    scroll_to_element(page, page.get_by_role("heading", name=heading_name, exact=True))


def scroll_to_element(page, element, margin: int = 40) -> None:
    element.scroll_into_view_if_needed()
    page.locator('[data-testid="stMain"]').evaluate(
        "(main, [el, margin]) => { main.scrollTop += el.getBoundingClientRect().top - margin; }",
        [element.element_handle(), margin],
    )
    time.sleep(1.5)


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        tb.streamlit_server(Path(folder), source=DATA, today=screenshot_day()) as (url, _data),
        sync_playwright() as play,
    ):
        browser = play.chromium.launch(executable_path=tb.CHROMIUM, args=tb.ARGS)
        bundled = yaml.safe_load((ROOT / "data" / "recommendations.yaml").read_text(encoding="utf-8"))
        title = bundled["tracker"]["title"]
        titles = {rec["id"]: rec["title"] for rec in bundled["recommendations"]}
        # The first screen a reader sees, on a laptop and on a phone (the sizes the browser tests check).
        for name, size, path, charts, heading in (
            ("dashboard", LAPTOP, "/", 2, title),
            ("phone-overview", PHONE, "/", 2, title),
            ("phone-recommendation", PHONE, "/recommendation?rec=export-controls", 0, titles["export-controls"]),
            ("phone-list", PHONE, "/recommendations", 0, "All recommendations"),
            ("timeline", LAPTOP, "/timeline", 2, "Timeline"),
        ):
            context = browser.new_context(viewport=size)
            context.set_default_timeout(tb.WAIT_MS)
            page = context.new_page()
            tb.open_page(page, url + path, charts, heading)
            tb.settle(page)
            if name == "phone-list":
                scroll_to_element(page, page.locator(".st-key-table"), margin=80)  # below the page's own header
            if name == "timeline":  # the timeline per recommendation, under the chart of statuses over time
                scroll_to_element(page, page.locator("section.tl"), margin=80)
            time.sleep(1.5)
            page.screenshot(path=str(OUT / f"{name}.png"))
            context.close()
        context = browser.new_context(viewport=tb.VIEWPORT)
        context.set_default_timeout(tb.WAIT_MS)
        page = context.new_page()
        tb.open_page(page, url + "/?rec=export-controls", 0, titles["export-controls"])
        scroll_to(page, "History")
        page.screenshot(path=str(OUT / "detail.png"))
        # An editor filling in an update (not saved).
        page = context.new_page()
        tb.open_page(page, url + "/", title=title)
        tb.unlock(page, "Ana Analyst")  # opens the Edit page
        page.get_by_test_id("stRadio").get_by_text("Record an update", exact=True).click()
        tb.pick(page, "upd_rec", titles["forced-labor-joint-fund"])
        expect(page.locator(".st-key-upd_rec input")).to_have_value(titles["forced-labor-joint-fund"])
        tb.settle(page)
        page.locator(".st-key-upd_note textarea").fill(NOTE)
        page.locator(".st-key-upd_url1 input").fill("https://example.org/foundation-annual-report-2026")
        page.locator(".st-key-upd_title1 input").fill("Foundation annual report 2026")
        tb.pick_kind(page)
        page.locator(".st-key-upd_title1 input").blur()
        scroll_to(page, "Edit the tracker")
        page.screenshot(path=str(OUT / "editing.png"))
        browser.close()
    for shot in sorted(OUT.glob("*.png")):
        print(shot, shot.stat().st_size)


if __name__ == "__main__":
    main()
