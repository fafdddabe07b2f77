"""Retake the README screenshots with the browser-test machinery: .venv/bin/python scripts/screenshots.py"""
import sys, tempfile, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
import test_browser as tb
from playwright.sync_api import sync_playwright, expect

import os
os.environ["STREAMLIT_CLIENT_TOOLBAR_MODE"] = "viewer"  # no "Deploy" button: what a reader of the deployed app sees
tb.free_port = lambda: 8501  # the share link then reads like the README's local run
OUT = ROOT / "docs" / "screenshots"
with tempfile.TemporaryDirectory() as folder, tb.streamlit_server(Path(folder)) as (_url, data), sync_playwright() as p:
    url = "http://localhost:8501"
    browser = p.chromium.launch(executable_path=tb.CHROMIUM, args=tb.ARGS)
    ctx = browser.new_context(viewport=tb.VIEWPORT)
    ctx.set_default_timeout(tb.WAIT_MS)
    page = ctx.new_page()
    # 1. top of the page
    tb.open_page(page, url + "/")
    tb.settle(page); time.sleep(1.5)
    page.screenshot(path=str(OUT / "dashboard.png"))
    # 2. a recommendation's history
    tb.open_page(page, url + "/?rec=export-controls")
    heading = page.get_by_role("heading", name="Detail")
    heading.scroll_into_view_if_needed()
    page.locator('[data-testid="stMain"]').evaluate(
        "(main, el) => { main.scrollTop += el.getBoundingClientRect().top - 40; }", heading.element_handle())
    time.sleep(1.5)
    page.screenshot(path=str(OUT / "detail.png"))
    # 3. an editor recording an update (not saved)
    page = ctx.new_page()
    tb.open_page(page, url + "/")
    tb.unlock(page, "Ana Analyst")
    page.get_by_role("tab", name="Record an update").click()
    tb.pick(page, "upd_rec", tb.TITLES["forced-labor-joint-fund"])
    expect(page.locator(".st-key-upd_rec input")).to_have_value(tb.TITLES["forced-labor-joint-fund"])
    tb.settle(page)
    page.locator(".st-key-upd_note textarea").fill("Reviewed the foundation's 2026 report: payments continue, Japanese firms still not contributing. No change.")
    page.locator(".st-key-upd_url1 input").fill("https://example.org/foundation-annual-report-2026")
    page.locator(".st-key-upd_title1 input").fill("Foundation annual report 2026")
    page.locator(".st-key-upd_title1 input").blur()
    head = page.get_by_role("heading", name="Edit the tracker")
    head.scroll_into_view_if_needed()
    page.locator('[data-testid="stMain"]').evaluate(
        "(main, el) => { main.scrollTop += el.getBoundingClientRect().top - 40; }", head.element_handle())
    time.sleep(1.5)
    page.screenshot(path=str(OUT / "editing.png"))
    browser.close()
for f in sorted(OUT.glob("*.png")):
    print(f, f.stat().st_size)
