"""The dashboard in a real browser: a live `streamlit run` server driven by
Playwright and Debian's chromium. Each step leaves a screenshot under
test-artifacts/browser/ (git-ignored) so a failure can be seen, not guessed at.

Needs `apt-get install chromium` and the playwright wheel (no `playwright install`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, make_demo_data, new_recommendation
from helpers import (
    CATEGORIES,
    CHROMIUM,
    SETTINGS,
    STEPS,
    TITLE,
    TITLES,
    TRADE,
    VIEWPORT,
    WAIT_MS,
    as_of_input,
    axe_violations,
    charts,
    count_shown,
    expect_table_of,
    filters_button,
    freeze_checkbox,
    go_to,
    grid_rows,
    in_popover,
    no_exception,
    open_page,
    pick,
    pick_kind,
    rec_picker,
    settle,
    shot,
    streamlit_server,
    table_grid,
    unlock,
    wait_rendered,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tracker.brief import render_brief
from tracker.edits import build_update
from tracker.storage.yaml_files import YamlStore
from tracker.validation import validate_data
from tracker.view import View

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright not installed (pip install playwright)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One viewer-mode server (a passcode is set) shared by the read-only tests."""
    with streamlit_server(tmp_path_factory.mktemp("browser-server")) as (url, _data):
        yield url


@pytest.fixture
def editing_server(tmp_path):
    """A server of its own, writing to its own copy of the data."""
    with streamlit_server(tmp_path) as running:
        yield running


@pytest.fixture
def page(browser, request):
    """A fresh browser context per test; its last screen is always kept (it shows a failure's state)."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    opened = context.new_page()
    STEPS[id(opened)] = (request.node.name, [])
    yield opened
    try:
        with contextlib.suppress(PlaywrightError):
            shot(opened, "last")
    finally:
        STEPS.pop(id(opened), None)
        context.close()


def test_page_loads_with_every_chart_drawn(server, page):
    # Vega reports a chart it cannot draw (a missing dataset, a bad field) only in the console.
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/", wait_until="domcontentloaded")
    shot(page, "loading")
    wait_rendered(page)
    shot(page, "rendered")
    assert page.title() == "Overview · Recommendation tracker"
    expect(page.get_by_label("Recommendations per status")).to_be_visible()
    boxes = [charts(page).nth(n).bounding_box() for n in range(2)]
    go_to(page, "timeline")
    assert page.title() == "Timeline · Recommendation tracker"
    boxes += [charts(page).nth(n).bounding_box() for n in range(2)]
    for n, box in enumerate(boxes):
        assert box and box["width"] > 200 and box["height"] > 100, f"chart {n} is {box}"
    # The timeline is as tall as its rows: its height is set for each view.
    assert boxes[3]["height"] > 20 * len(TITLES)
    go_to(page, "recommendations")
    expect(grid_rows(page)).to_have_count(len(TITLES))
    assert errors == []
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    no_exception(page)


def test_deep_link_reopens_the_same_view(server, page):
    # A link to the single page of old lands on the recommendation's own page.
    open_page(page, server + "/?category=trade&rec=export-controls&as_of=2023-03-10", 0, TITLES["export-controls"])
    trade = CATEGORIES["trade"]

    def same_view():
        expect(page.get_by_role("heading", name=TITLES["export-controls"], level=1)).to_be_visible()
        expect(rec_picker(page)).to_have_value(TITLES["export-controls"])
        expect(as_of_input(page)).to_have_value(re.compile(r"2023.*03.*10"))
        expect(page.get_by_test_id("stMain").get_by_text("As of 10 Mar 2023")).to_be_visible()
        expect(page.get_by_text("In progress").first).to_be_visible()
        assert page.title() == f"{TITLES['export-controls']} · Recommendation tracker"
        no_exception(page)

    same_view()
    expect(page).to_have_url(re.compile(r"/recommendation\?as_of=2023-03-10&rec=export-controls$"))
    shot(page, "deep-link")
    own_address = page.url
    # The link's filters stay with the visit: the table shows them, and its own address reopens it.
    go_to(page, "recommendations")
    expect_table_of(page, count_shown(date(2023, 3, 10), categories=("trade",)), trade)
    expect(page).to_have_url(re.compile(r"/recommendations\?category=trade&as_of=2023-03-10$"))
    page.reload(wait_until="domcontentloaded")
    wait_rendered(page, title="All recommendations")
    expect_table_of(page, count_shown(date(2023, 3, 10), categories=("trade",)), trade)
    shot(page, "after-reload")
    # A filter changed in the UI is written back into the address bar.
    expect(filters_button(page)).to_contain_text("Filtered by category")  # the filters in force, before opening
    pick(page, "f_status", "In progress")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"[?&]status=in_progress"))
    expect(filters_button(page)).to_contain_text("Filtered by status, category")
    expect_table_of(page, count_shown(date(2023, 3, 10), categories=("trade",), statuses=("in_progress",)), trade)
    assert "category=trade" in page.url and "as_of=2023-03-10" in page.url
    shot(page, "status-filter")
    # The recommendation page's own address reopens it too.
    open_page(page, own_address, 0, TITLES["export-controls"])
    same_view()


def test_clicking_a_bar_opens_the_list_narrowed_to_it(server, page):
    """A click on a bar of the Overview's 'Status by category' (a drawing with a link laid over each bar)
    opens All recommendations narrowed to that category and status, in a real browser: the table, the
    'Showing N of M' count, the address and the Share link all say it, and the link reopens the same."""
    open_page(page, server + "/", title=TITLE)
    settle(page)
    trade = CATEGORIES["trade"]
    bar = page.locator("figure.drawn-chart a.drawn-hit:visible")
    bars = [n for n in range(bar.count()) if (bar.nth(n).get_attribute("aria-label") or "").startswith(f"{trade}, ")]
    assert bars, "no bar of the trade category"
    chosen = bar.nth(bars[0])
    label = chosen.get_attribute("aria-label")
    assert chosen.get_attribute("title") == label  # its hover text says what it counts
    count = int(label.split(": ")[1])
    box = chosen.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # on the drawing, where the bar is
    wait_rendered(page, 0, title="All recommendations")
    shot(page, "clicked")
    expect_table_of(page, count, trade)
    expect(page.get_by_test_id("stMain").get_by_text(f"Showing {count} of {len(TITLES)}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/recommendations\?status=[a-z_]+&category=trade$"))
    expect(
        page.get_by_test_id("stSidebar").get_by_text(re.compile(r"/recommendations\?status=[a-z_]+&category=trade"))
    ).to_be_visible()
    no_exception(page)
    page.goto(page.url, wait_until="domcontentloaded")  # the link, opened afresh
    wait_rendered(page, 0, title="All recommendations")
    expect_table_of(page, count, trade)


def test_a_frozen_link_survives_later_records_and_unfreezes(editing_server, page):
    """An older frozen link, then a back-dated update, a title edit and a new recommendation recorded later:
    the link shows the same numbers and table; unticking Freeze leads to today's view."""
    url, data = editing_server
    # The demo tracker was first recorded at noon on TODAY; a link frozen on the day before pins that moment.
    link = f"{url}/?as_of={(TODAY - timedelta(days=1)).isoformat()}&frozen=1"
    open_page(page, link)
    notice = page.get_by_test_id("stAlertContentInfo").filter(has_text="This is a frozen link")
    expect(notice).to_contain_text("Nothing recorded since then changes this view.")
    expect(as_of_input(page)).to_be_disabled()
    page.keyboard.press("Escape")  # closes the popover
    expect(page.locator(".st-key-freeze_box button").first).to_contain_text("Frozen: a citable link")
    expect(freeze_checkbox(page)).to_be_checked()
    page.keyboard.press("Escape")
    answer = page.get_by_text(re.compile(r"^\d+ of \d+ implemented")).inner_text()
    # It stays frozen from page to page.
    go_to(page, "recommendations")
    expect(notice).to_contain_text("Nothing recorded since then changes this view.")
    expect(page).to_have_url(re.compile(r"/recommendations\?as_of=.*&frozen=1&published="))
    numbers = page.get_by_label("Recommendations per status").inner_text()
    rows = grid_rows(page).all_inner_texts()
    shot(page, "frozen")

    store = YamlStore(data)
    later = "2026-11-27T12:30:00Z"
    sources = [{"url": "https://example.org/later", "title": "Later report", "kind": "news"}]
    update = {"date": "2024-01-15", "status": "in_progress", "note": "Offices announced.", "author": "B"}
    store.append_update("liaison-offices", build_update({**update, "sources": sources, "recorded": later}), today=TODAY)
    store.edit_recommendation("whitelist", {"title": "Renamed"}, expected={}, author="B", recorded=later, today=TODAY)
    store.add_recommendation(new_recommendation("hotline", recorded=later, title="Open a hotline"), today=TODAY)

    page.reload(wait_until="domcontentloaded")
    wait_rendered(page, title="All recommendations")
    expect(notice).to_contain_text("1 update, 1 correction of a detail, 1 new recommendation were recorded")
    assert page.get_by_label("Recommendations per status").inner_text() == numbers
    assert grid_rows(page).all_inner_texts() == rows
    go_to(page, "")
    expect(notice).to_contain_text("1 update, 1 correction of a detail, 1 new recommendation were recorded")
    assert page.get_by_text(re.compile(r"^\d+ of \d+ implemented")).inner_text() == answer
    go_to(page, "recommendations")
    shot(page, "frozen-after-later-records")
    expect(freeze_checkbox(page)).to_be_checked()  # reopened from the link, the switch still says frozen

    freeze_checkbox(page)
    page.locator(".st-key-share_freeze label").click()
    expect(page).not_to_have_url(re.compile(r"frozen|published"))
    expect(notice).to_have_count(0)
    expect(as_of_input(page)).to_be_enabled()
    expect(grid_rows(page)).to_have_count(len(rows) + 1)  # the new one shows
    no_exception(page)
    shot(page, "unfrozen")


def test_viewer_sees_no_editing_controls(server, page):
    open_page(page, server + "/")
    expect(page.locator(".st-key-passcode input")).to_be_visible()
    expect(page.get_by_role("button", name="Unlock editing")).to_be_visible()
    expect(page.get_by_role("radiogroup", name="What to do")).to_have_count(0)
    expect(page.get_by_role("button", name="Save update")).to_have_count(0)
    expect(page.get_by_text("Edit the tracker")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)  # toolbarMode = "viewer"
    shot(page, "viewer")


def test_editor_records_an_update_that_survives_a_reload(editing_server, page):
    url, data = editing_server
    rec_id = "liaison-offices"
    note = f"Browser test {time.time_ns()}: arbitration talks opened."
    open_page(page, url + "/")
    unlock(page)  # unlocking opens the Edit page, where the name is typed first
    expect(page.get_by_role("heading", name="Edit the tracker", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/edit$"))
    page.get_by_test_id("stRadio").get_by_text("Record an update", exact=True).click()
    pick(page, "upd_rec", TITLES[rec_id])
    expect(page.locator(".st-key-upd_rec input")).to_have_value(TITLES[rec_id])
    expect(page.get_by_text("Current status: No step found")).to_be_visible()
    # Choosing a recommendation resets the status to its current one; let that land before changing it.
    expect(page.locator(".st-key-upd_status input")).to_have_value("No step found")
    settle(page)
    # A status change needs a source; the note says what happened.
    pick(page, "upd_status", "In progress")
    expect(page.locator(".st-key-upd_status input")).to_have_value("In progress")
    page.locator(".st-key-upd_note textarea").fill(note)
    page.locator(".st-key-upd_url1 input").fill("https://example.org/browser-test")
    page.locator(".st-key-upd_title1 input").fill("Browser test source")
    pick_kind(page)
    shot(page, "form-filled")
    page.get_by_role("button", name="Save update").click()
    saved = f"Saved an update to '{TITLES[rec_id]}': In progress"
    expect(page.get_by_test_id("stToast").filter(has_text=saved)).to_be_visible()
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text=saved)).to_have_count(1)
    expect(page.get_by_text("Current status: In progress")).to_be_visible()
    no_exception(page)
    shot(page, "saved")

    on_disk = yaml.safe_load(data.read_text(encoding="utf-8"))
    last = next(rec for rec in on_disk["recommendations"] if rec["id"] == rec_id)["updates"][-1]
    assert (last["status"], last["note"], last["author"]) == ("in_progress", note, "Browser Test")
    assert last["sources"] == [
        {"url": "https://example.org/browser-test", "title": "Browser test source", "kind": "news"}
    ]

    # A reload is a new session: editing needs the passcode again (the Edit page is not offered), but
    # the update is public.
    page.goto(url + "/", wait_until="domcontentloaded")
    wait_rendered(page)
    expect(page.locator(".st-key-passcode input")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("radiogroup", name="What to do")).to_have_count(0)
    expect(page.get_by_role("button", name="Save update")).to_have_count(0)
    shot(page, "reloaded")
    page.goto(url + f"/?rec={rec_id}", wait_until="domcontentloaded")
    wait_rendered(page, 0, TITLES[rec_id])
    expect(page.get_by_role("heading", name=TITLES[rec_id], level=1)).to_be_visible()
    history = page.get_by_label("History").locator("li").filter(has_text=note)  # its entry in the history
    expect(history).to_contain_text("In progress")
    history.scroll_into_view_if_needed()
    shot(page, "after-reload")


def open_downloads(page):
    """Open the Download popover; its picker."""
    return in_popover(page, ".st-key-download_what input", "download_box")


def download(page, label: str, button: str, folder: Path) -> Path:
    """Pick a download in the picker, click its button, and save what the browser receives."""
    picker = open_downloads(page)
    picker.click()
    picker.fill(label)
    picker.press("Enter")
    expect(picker).to_have_value(label)
    # The choice reruns the page: click the button only once it offers that format.
    expect(page.locator(".st-key-download button")).to_have_text(button)
    with page.expect_download() as info:
        page.locator(".st-key-download button").click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_table_download_is_a_real_csv(server, page, tmp_path):
    open_page(page, server + "/recommendations", title="All recommendations")
    target = download(page, "Recommendations table (CSV)", "Download CSV", tmp_path)
    assert target.suffix == ".csv"
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith('"id","title"')
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(TITLES) > 1
    assert {row["id"] for row in rows} == set(TITLES)
    shot(page, "downloaded")


def test_event_log_download_is_made_when_clicked(server, page, tmp_path):
    """The whole log is made on the server at the click, not on every rerun while it is picked."""
    open_page(page, server + "/recommendations", title="All recommendations")
    target = download(page, "Event log (CSV)", "Download CSV", tmp_path)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == sum(len(rec["updates"]) for rec in SETTINGS["recommendations"])
    assert {row["rec_id"] for row in rows} == set(TITLES)


def test_brief_download_is_a_self_contained_page(server, page, tmp_path):
    open_page(page, server + "/?category=trade", title="All recommendations")  # an older link: forwarded
    expect(open_downloads(page)).to_have_value("Brief (HTML, works offline)")
    expect(page.locator(".st-key-download button")).to_have_text("Download HTML")
    with page.expect_download(timeout=60_000) as info:  # made on the server when clicked
        page.locator(".st-key-download button").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    html = target.read_text(encoding="utf-8")
    assert target.suffix == ".html" and html.count("<svg") >= 4
    assert "<script" not in html and f"Category: {CATEGORIES['trade']}" in html
    shot(page, "brief-downloaded")


def test_runs_under_a_url_base_path(tmp_path, page):
    """As behind a reverse proxy that serves the app at /tracker/ (health answers there too)."""
    with streamlit_server(tmp_path, base_path="tracker") as (url, _data):
        assert url.endswith("/tracker")
        open_page(page, url + "/?category=trade", title="All recommendations")
        expect_table_of(page, len(TRADE), CATEGORIES["trade"])
        expect(page).to_have_url(re.compile(r"/tracker/recommendations\?category=trade$"))
        expect(page.get_by_test_id("stSidebar").get_by_text("/tracker/recommendations?category=trade")).to_be_visible()
        go_to(page, "timeline")
        expect(page).to_have_url(re.compile(r"/tracker/timeline\?category=trade$"))
        no_exception(page)
        shot(page, "base-path")


def test_text_in_a_link_stays_text(server, page):
    """Markdown, HTML and web addresses in a link's parameters show as typed: no live link, image or tag."""
    hostile = (
        "/?rec=[Click](https://phish.example)&status=![x](https://tracker.example/pixel.png)"
        "&category=:red[alarm]&q=<b>bold</b>&since=https://phish.example/&as_of=[a](https://phish.example)"
    )
    page.goto(server + hostile, wait_until="domcontentloaded")  # q matches nothing: no chart to wait for
    main = page.get_by_test_id("stMain")
    warnings = page.get_by_test_id("stAlertContentWarning")
    expect(warnings).to_have_count(5)
    # Word joiners (invisible) keep bare addresses from becoming links; a reader sees the text as typed.
    shown = " ".join(warnings.all_inner_texts()).replace("\u2060", "")
    assert "'[Click](https://phish.example)'" in shown
    assert "'![x](https://tracker.example/pixel.png)'" in shown and "':red[alarm]'" in shown
    expect(page.get_by_test_id("stAlertContentInfo").filter(has_text="No recommendation matches")).to_contain_text(
        "<b>bold</b>"
    )
    assert page.locator("a[href*='phish']").count() == 0
    assert page.locator("img[src*='pixel']").count() == 0
    assert main.locator("b").filter(has_text="bold").count() == 0
    no_exception(page)
    shot(page, "hostile-link")


# -- each page's first screen, on a desktop and on a phone -------------------------------------

FIRST_SCREEN = {
    # page address: (its h1, what the first screen must hold on both widths, and on a desktop too)
    "/": (TITLE, ["answer", "strip"], ["Latest changes", "chart", "second chart"]),
    "/recommendations": ("All recommendations", ["Showing 8 of 8"], ["table"]),
    "/?rec=export-controls": (TITLES["export-controls"], ["Status:"], ["Assessment"]),
    "/timeline": ("Timeline", ["Showing 8 of 8"], ["chart"]),
    "/changes": ("Changes", ["Showing 8 of 8"], ["From"]),
    "/methodology": ("Methodology", [], ["Statuses"]),
    "/suggest": ("Suggest an update", [], ["What happened"]),
}
WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def _locate(page, what: str):
    main = page.get_by_test_id("stMain")
    special = {
        "answer": main.get_by_text(re.compile(r"^\d+ of \d+ implemented")),
        "strip": main.get_by_label("Recommendations per status"),
        "table": page.locator(".st-key-table"),
        "chart": charts(page).first,
        "second chart": charts(page).nth(1),
    }
    return special.get(what) or main.get_by_text(what, exact=False).first


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("address", list(FIRST_SCREEN))
def test_each_page_opens_on_what_matters(server, browser, request, address, width):
    """The first screen (no scrolling) holds the page's title and its answer, at 1440 and 390 px wide;
    headings go down one level at a time, and there is one h1."""
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    STEPS[id(page)] = (request.node.name, [])
    try:
        title, always, desktop = FIRST_SCREEN[address]
        n_charts = 2 if address in ("/", "/timeline") else 0
        open_page(page, server + address, n_charts, title)
        shot(page, "first-screen")
        height = WIDTHS[width]["height"]
        wanted = [page.locator("h1").first, *(_locate(page, what) for what in always)]
        if width == "desktop":
            wanted += [_locate(page, what) for what in desktop]
        for element in wanted:
            box = element.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height, (address, width, box)
        if address == "/" and width == "desktop":  # the Overview's charts whole, their legends too
            for chart in (_locate(page, "chart"), _locate(page, "second chart")):
                drawn = chart.locator("svg, canvas, img:visible").first.bounding_box()
                assert drawn["y"] + drawn["height"] <= height, drawn
        levels = (
            page.get_by_test_id("stMain")
            .locator("h1, h2, h3, h4")
            .evaluate_all("nodes => nodes.map(node => Number(node.tagName[1]))")
        )
        assert levels[0] == 1 and levels.count(1) == 1, levels
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        if width == "phone":  # nothing is wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"] + 1
        no_exception(page)
        assert axe_violations(page) == []
    finally:
        STEPS.pop(id(page), None)
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_all_recommendations_fits_the_screen(server, browser, request, width):
    """All recommendations' table at 1440 px: every column fits beside the sidebar, nothing scrolls
    sideways; at 390 px each row is a block of labelled lines (a list), still without sideways scrolling."""
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    STEPS[id(page)] = (request.node.name, [])
    try:
        open_page(page, server + "/recommendations", title="All recommendations")
        shot(page, "table")
        grid, screen = table_grid(page), WIDTHS[width]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= screen + 1
        main = page.get_by_test_id("stMain")
        assert main.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        box = page.locator(".st-key-table").bounding_box()
        assert page.locator(".st-key-table").evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        cells = grid.locator("td, th" if width == "desktop" else "td")  # a phone's headings are hidden
        edges = cells.evaluate_all("nodes => nodes.map(node => node.getBoundingClientRect().right)")
        assert edges and max(edges) <= box["x"] + box["width"] + 1
        first_row = grid_rows(page).first.locator("td")
        tops = first_row.evaluate_all("nodes => nodes.map(node => node.getBoundingClientRect().top)")
        if width == "desktop":  # a table: the columns side by side, each row on one line of cells
            assert len(set(round(top) for top in tops)) == 1, tops
            headings = grid.locator("th").all_inner_texts()
            assert headings == ["Recommendation", "Status", "Status since", "Latest event", "Category · priority",
                                "Addressees", "Evidence"]  # fmt: skip
            widths = grid.locator("th").evaluate_all("nodes => nodes.map(node => node.getBoundingClientRect().width)")
            assert widths[0] >= 200 and min(widths) >= 60, widths  # no column squeezed to nothing
        else:  # a list: each row's lines one under another, each (but the title) labelled
            assert tops == sorted(tops) and len(set(round(top) for top in tops)) == len(tops), tops
            label = first_row.nth(1).evaluate("node => getComputedStyle(node, '::before').content")
            assert label == '"Status: "', label
            assert grid.locator("thead").bounding_box()["height"] <= 1
        no_exception(page)
    finally:
        STEPS.pop(id(page), None)
        context.close()


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    """A server in local mode (nothing configured): anyone may edit, so the Edit page is offered."""
    with streamlit_server(tmp_path_factory.mktemp("local-server"), passcode=None) as (url, _data):
        yield url


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_edit_page_opens_on_its_form(local_server, browser, request, width):
    """The Edit page: the editor's name, then the forms, on the first screen; the sidebar has no
    'Editing' section in local mode (no way in is needed), and the page passes axe-core."""
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    STEPS[id(page)] = (request.node.name, [])
    try:
        open_page(page, local_server + "/edit", 0, "Edit the tracker")
        shot(page, "edit-page")
        assert page.title() == "Edit · Recommendation tracker"
        height = WIDTHS[width]["height"]
        for element in (
            page.locator("h1").first,
            page.locator(".st-key-editor_name input"),
            page.get_by_test_id("stRadio").get_by_text("Record an update", exact=True),
        ):
            box = element.bounding_box()
            assert box and 0 <= box["y"] and box["y"] + box["height"] <= height, box
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_role("heading", name="Editing")).to_have_count(0)
        expect(sidebar.locator(".st-key-passcode")).to_have_count(0)
        no_exception(page)
        assert axe_violations(page) == []
    finally:
        STEPS.pop(id(page), None)
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_brief_passes_axe_and_fits_a_phone(browser, tmp_path, width):
    """The offline brief, opened from a file as a reader would: no accessibility violation, and on a phone
    nothing but its wide tables scrolls sideways (they scroll inside their own box)."""
    tracker = validate_data(make_demo_data(), today=TODAY)
    page_file = tmp_path / "brief.html"
    page_file.write_text(
        render_brief(
            tracker, View(as_of=TODAY), since=date(2026, 1, 1), permalink="/", generated=datetime(2026, 11, 27)
        ),
        encoding="utf-8",
    )
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    page.goto(page_file.as_uri())
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(page) == []
    context.close()
