"""Shared test machinery: a real `streamlit run` server, Chromium pages, a PostgreSQL server of
a test's own. Tests, benchmarks and scripts import it; nothing imports a test module."""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, TODAY, make_demo_data
from playwright.sync_api import expect

from tracker import analysis
from tracker.validation import validate_data
from tracker.view import View, filter_recommendations
from tracker.yaml_text import dump_tracker

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
WAIT_MS = 30_000  # generous: CI has 2 cores
if expect is not None:
    expect.set_options(timeout=WAIT_MS)
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PASSCODE = "opal-harbour-browser"

SETTINGS = make_demo_data()
TITLE = SETTINGS["tracker"]["title"]
TRADE = [rec["id"] for rec in SETTINGS["recommendations"] if rec["category"] == "trade"]


# Filters named as the tests name them (by what they hold) -> the filter table's parameters.
_BY_FIELD = {"statuses": "status", "addressees": "addressee", "categories": "category", "priorities": "priority"}


def reset_database(url) -> None:
    """Remove every table (the tracker's and its suggestions') from a test database, so the next store
    opened on it starts afresh."""
    from sqlalchemy import MetaData, create_engine

    from tracker.location import normalise_database_url

    engine = create_engine(normalise_database_url(str(url)) if isinstance(url, str) else url)
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()


def view_of(as_of, **fields) -> View:
    """A view from keywords: the filters by what they hold (statuses=, categories=...), the rest as View's."""
    chosen = {_BY_FIELD[name]: values for name, values in fields.items() if name in _BY_FIELD}
    return View(as_of=as_of, filters=chosen, **{k: v for k, v in fields.items() if k not in _BY_FIELD})


def count_shown(as_of, **filters) -> int:
    """How many rows the core says the table holds for a view of the demo tracker."""
    tracker = validate_data(SETTINGS, today=TODAY)
    return len(filter_recommendations(analysis.statuses_as_of(tracker, as_of), view_of(as_of, **filters)))


TITLES = {rec["id"]: rec["title"] for rec in SETTINGS["recommendations"]}
CATEGORIES = {cat["id"]: cat["label"] for cat in SETTINGS["tracker"]["categories"]}


# ---------------------------------------------------------------- machinery


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_streamlit(script: str, folder: Path, env: dict, *, base_path: str = ""):
    """`streamlit run SCRIPT` on a free loopback port with its own empty secrets; yields its URL
    once /_stcore/health answers, and stops the server afterwards."""
    secrets = folder / "secrets.toml"
    secrets.write_text("", encoding="utf-8")  # so a developer's .streamlit/secrets.toml cannot leak in
    port = free_port()
    command = [
        *(sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"),
        *("--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"),
        *("--secrets.files", str(secrets), "--server.fileWatcherType", "none"),
        *(["--server.baseUrlPath", base_path] if base_path else []),
    ]
    log = folder / f"server-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/_stcore/health", timeout=2).text == "ok":
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer /_stcore/health in 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        stop_server(proc)


def stop_server(proc: subprocess.Popen) -> None:
    """End a server: politely, then by force after 10 s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# Settings a test server never inherits from the shell that runs the tests.
CONFIGURED = (
    "TRACKER_EDITOR_PASSCODE",
    "TRACKER_EDITORS",
    "TRACKER_READ_ONLY",
    "TRACKER_DATABASE_URL",
    "TRACKER_SUGGESTIONS",
)


@contextlib.contextmanager
def streamlit_server(
    folder: Path,
    passcode: str | None = PASSCODE,
    database_url: str | None = None,
    base_path: str = "",
    source: Path | None = None,
    today: date = TODAY,
):
    """`streamlit run dashboard.py` on its own copy of the demo tracker (or on a database), on a
    fixed today; yields (url, data file)."""
    data = folder / "recommendations.yaml"
    if source is None:
        data.write_text(dump_tracker(validate_data(make_demo_data(), today=TODAY)), encoding="utf-8")
    else:
        shutil.copy(source, data)
    env = {key: value for key, value in os.environ.items() if key not in CONFIGURED}
    env["TRACKER_DATA"] = str(data)
    env["TRACKER_TODAY"] = today.isoformat()
    if database_url:
        env["TRACKER_DATABASE_URL"] = database_url
    if passcode:
        env["TRACKER_EDITOR_PASSCODE"] = passcode
    with serve_streamlit("dashboard.py", folder, env, base_path=base_path) as url:
        yield url, data


def own_database(url: str, name: str) -> str:
    """A database of the caller's own on the test server (created when missing), named for the pytest
    worker too, so tests that run at once in several workers never race each other's tables."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tracker.location import normalise_database_url

    name = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    server = make_url(normalise_database_url(url))
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


_SERVER_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "").strip()
PG_URL = own_database(_SERVER_URL, "tracker_test") if _SERVER_URL else ""
PG_SKIP = "PostgreSQL not available: set TRACKER_TEST_DATABASE_URL (scripts/postgres starts one)"
POSTGRES = pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP))

# Screenshots taken per page: the test's name and the files so far.
STEPS: dict[int, tuple[str, list[Path]]] = {}


def shot(page, step: str) -> Path:
    """Save a screenshot of this step as a test artifact under test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test, taken = STEPS.get(id(page), ("browser", []))
    safe = re.sub(r"[^\w.-]+", "_", test)
    path = ARTIFACTS / f"{safe}--{len(taken) + 1:02d}-{step}.png"
    page.screenshot(path=str(path))
    taken.append(path)
    return path


def charts(page):
    """The page's charts: the browser's (Streamlit's Vega-Lite element), the server's drawings and the
    Timeline's list of bands (ui/bands.py)."""
    return page.locator('[data-testid="stVegaLiteChart"], figure.drawn-chart, section.tl')


# What each page of the dashboard shows once drawn: its h1, how many charts, and its last section
# (once that is there the run has drawn everything above it).
PAGES = {
    "": (TITLE, 2, "Where things stand"),
    "recommendations": ("All recommendations", 0, "Download"),
    "timeline": ("Timeline", 2, "Context events"),
    "changes": ("Changes", 0, "What changed"),
    "methodology": ("Methodology", 0, "Limits of the data"),
}
LAST_SECTIONS = {title: last for title, _, last in PAGES.values()}
CHARTS_BY_TITLE = {title: n_charts for title, n_charts, _ in PAGES.values()}


def wait_rendered(page, n_charts: int | None = None, title: str = TITLE) -> None:
    """Wait until the page has its title, its last section, every chart drawn (svg or canvas) and
    the run is over (`n_charts`: how many; by default, as PAGES says of the page with that title)."""
    if n_charts is None:
        n_charts = CHARTS_BY_TITLE.get(title, 0)
    expect(page.locator("h1").first).to_contain_text(title)
    if title in LAST_SECTIONS:
        expect(page.get_by_role("heading", name=LAST_SECTIONS[title], level=2)).to_be_visible()
    expect(charts(page)).to_have_count(n_charts)
    for n in range(n_charts):
        expect(charts(page).nth(n).locator("svg, canvas, img, li").first).to_be_attached()  # li: the Timeline's rows
    settle(page)
    hold_still(page)


def hold_still(page, quiet_ms: int = 400) -> None:
    """Wait until the main area stops changing (after a page change, Streamlit can show a run's
    first elements with the status widget not yet up)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    previous = None
    while time.monotonic() < deadline:
        current = page.get_by_test_id("stMain").evaluate(
            "node => node.innerText.length + ':' + node.querySelectorAll('*').length"
        )
        if current == previous:
            return
        previous = current
        page.wait_for_timeout(quiet_ms)


def open_page(page, url: str, n_charts: int | None = None, title: str = TITLE) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_rendered(page, n_charts, title)


def go_to(page, name: str) -> None:
    """Follow a link of the sidebar's navigation, as a reader does (the session keeps the view)."""
    title, n_charts, _ = PAGES[name]
    nav_title = "Overview" if name == "" else title
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=nav_title).click()
    expect(page).to_have_url(re.compile(rf"/{name}(\?.*)?$"))
    wait_rendered(page, n_charts, title)


def table_grid(page):
    """The All recommendations table (ui/table.py)."""
    grid = page.locator(".st-key-table table.rec-table")
    expect(grid).to_be_visible()
    return grid


def grid_rows(page):
    """The rows of the All recommendations table in the browser."""
    return table_grid(page).locator("tbody tr")


def expect_table_of(page, n_rows: int, category: str) -> None:
    """The table holds `n_rows` rows, each of that category (its cell also says the priority)."""
    expect(grid_rows(page)).to_have_count(n_rows)
    cells = table_grid(page).locator('td[data-label="Category · priority"]')
    expect(cells).to_have_text([re.compile(rf"^{re.escape(category)} · ")] * n_rows)


def in_popover(page, shown: str, box: str):
    """What `shown` (a selector) finds inside a popover, the popover (its key `box`) opened first if it is
    closed: a popover's content is drawn only when opened."""
    found = page.locator(shown)
    if not found.is_visible():
        page.locator(f".st-key-{box} button").first.click()
    expect(found).to_be_visible()
    return found


def as_of_input(page):
    """The sidebar's as-of date."""
    return in_popover(page, ".st-key-f_as_of input", "as_of_box")


def rec_picker(page):
    """A recommendation's page's choice of another."""
    return in_popover(page, ".st-key-f_rec input", "rec_box")


def freeze_checkbox(page):
    """The sidebar's Freeze switch (its label: the input itself is drawn invisible)."""
    in_popover(page, ".st-key-share_freeze label", "freeze_box")
    return page.locator(".st-key-share_freeze input")


def no_exception(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.locator("body").inner_text()


def settle(page) -> None:
    """Wait until Streamlit has no script run in progress."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def filters_button(page):
    """The sidebar's filters popover, labelled with the filters in force."""
    return page.locator(".st-key-filters_box button").first


def pick(page, key: str, option: str) -> None:
    """Choose an option in a keyed selectbox or multiselect (a filter's popover is opened first)."""
    field = page.locator(f".st-key-{key} input")
    if key in ("f_status", "f_addressee", "f_category", "f_priority") and not field.is_visible():
        filters_button(page).click()
    field.click()
    page.get_by_role("option", name=option, exact=True).click()


def pick_kind(page, label: str = "News") -> None:
    """Choose the first source's kind (a selectbox with no default) by typing it, as a keyboard user would."""
    field = page.locator(".st-key-upd_kind1 input")
    field.click()
    field.fill(label)
    field.press("Enter")
    expect(field).to_have_value(label)


def unlock(page, name: str = "Browser Test") -> None:
    page.locator(".st-key-passcode input").fill(PASSCODE)
    page.get_by_role("button", name="Unlock editing").click()
    typed = page.locator(".st-key-editor_name input")
    typed.fill(name)
    typed.press("Enter")


# ---------------------------------------------------------------- tests


def _postgres(env, *action) -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / "postgres"), *action], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextlib.contextmanager
def own_postgres(prefix: str):
    """A PostgreSQL server of the test's own (scripts/postgres), which it may stop and start.
    Yields its URL and a function running `scripts/postgres [ACTION]` on it; destroyed afterwards."""
    base = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
    control = functools.partial(_postgres, {**os.environ, "TRACKER_PG_BASE": base, "TRACKER_PG_PORT": str(free_port())})
    try:
        started = control()
        if not started:
            pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin)")
        yield re.fullmatch(r"export TRACKER_TEST_DATABASE_URL=(\S+)\n", started).group(1), control
    finally:
        control("destroy")
        shutil.rmtree(base, ignore_errors=True)


# -- the app with its routes (feeds, API, badges) ------------------------------------------------

ROUTES = {
    "feed.atom": "application/atom+xml; charset=utf-8",
    "feed/joint-fund.atom": "application/atom+xml; charset=utf-8",
    "api/v1/recommendations.json": "application/json",
    "api/v1/events.json": "application/json",
    "badge/joint-fund.svg": "image/svg+xml",
    "badge/progress.svg": "image/svg+xml",
}


@contextlib.contextmanager
def app_server(
    folder: Path,
    *,
    data_file: Path | None = None,
    database_url: str | None = None,
    base_path: str = "",
    passcode: str | None = None,
):
    """`streamlit run app.py` on a data file or a database; yields the base URL. On the tests'
    day (TRACKER_TODAY); read-only unless a passcode lets the page edit."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env["TRACKER_TODAY"] = TODAY.isoformat()
    if passcode:
        env["TRACKER_EDITOR_PASSCODE"] = passcode
    else:
        env["TRACKER_READ_ONLY"] = "1"
    if data_file:
        env["TRACKER_DATA"] = str(data_file)
    if database_url:
        env["TRACKER_DATABASE_URL"] = database_url
    with serve_streamlit("app.py", folder, env, base_path=base_path) as url:
        yield url


# -- the page under AppTest ------------------------------------------------------------------------


DRAWN = re.compile(
    r'<figure class="drawn-chart drawn-([a-z_]+)">(.*?)</figure>', re.S
)  # a chart drawn on the server (ui/reader.py's render_drawn_chart)
DRAWING = re.compile(
    r'<div class="drawn-w(\d+)"><img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"[^>]*>(.*?)</div>', re.S
)
HIT = re.compile(r'<a class="drawn-hit" href="([^"]*)" title="([^"]*)" aria-label="([^"]*)" style="([^"]*)">')
TIMELINE_ROW = re.compile(
    r'<li><a href="([^"]*)"><span class="tl-name">([^<]*)</span><span class="tl-track" aria-hidden="true">(.*?)</span>'
    r'<span class="tl-said">: ([^<]*)</span></a></li>',
    re.S,
)


def drawn_charts(at) -> list[dict]:
    """The charts the server drew on the page, in order: each chart's name, its accessible name and its
    SVG text at each width, read back from the page's HTML elements."""
    found = []
    for element in at.get("html"):
        for name, figure in DRAWN.findall(element.proto.body):
            drawings = DRAWING.findall(figure)
            found.append({
                "name": name,
                "alt": {html.unescape(alt) for _, _, alt, _ in drawings},
                "svg": {int(width): base64.b64decode(data).decode() for width, data, _, _ in drawings},
                # The links laid over each drawing's bars: (address, name), by width.
                "links": {
                    int(width): [(html.unescape(href), html.unescape(said)) for href, _, said, _ in HIT.findall(hits)]
                    for width, _, _, hits in drawings
                },
            })  # fmt: skip
    return found


def timeline_rows(at) -> list[dict]:
    """The Timeline's rows (ui/bands.py), in order: each row's link, name, what a screen reader hears of its
    statuses, and the hover texts of its bands and dots."""
    rows = []
    for element in at.get("html"):
        for href, name, track, said in TIMELINE_ROW.findall(element.proto.body):
            rows.append({
                "link": html.unescape(href), "name": html.unescape(name), "said": html.unescape(said),
                "tips": [html.unescape(tip) for tip in re.findall(r'title="([^"]*)"', track)],
            })  # fmt: skip
    return rows


def plain(markdown: str) -> str:
    """What a reader sees of Markdown the page escaped: the text without its backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u2060", "")


def goto(at, page: str, **params: str):
    """Open one of the dashboard's pages (its address; "" is the overview) in the same session, as a
    click in the sidebar does: the address loses its query string (or gets `params`, as a link of the
    page does), the session keeps the view. Through AppTest's public switch_page and the page table."""
    from ui.registry import page as page_spec

    at.switch_page(str(page_spec(page).file.relative_to(ROOT)))
    at.query_params.clear()
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def page_paths(at) -> list[str]:
    """The url paths of the pages the last run offered (Edit only for editors)."""
    return list(at.session_state["_offered_pages"])


def edit_sections(at) -> list[str]:
    """The forms the Edit page offers, as its 'What to do' choice labels them (none off the Edit page)."""
    choices = [radio for radio in at.radio if radio.label == "What to do"]
    return list(choices[0].options) if choices else []


def open_section(at, section: str):
    """Show one of the Edit page's forms: update, review, triage, add, details or suggestions."""
    return at.radio(key="edit_section").set_value(section).run()


def page_titles(at) -> list[str]:
    """The titles of the pages the last run offered, as the sidebar lists them."""
    return list(at.session_state["_offered_pages"].values())


class _TableParser(HTMLParser):
    """The rows of the All recommendations table (ui/table.py): each cell's text, each row's links, and
    the lines a cell adds under its value (the title's "why": "_why"; the days in a status: "_days")."""

    ASIDES = {"rec-why": "_why", "rec-sub": "_days"}

    def __init__(self):
        super().__init__()
        self.headings, self.rows, self._cell, self._in_head, self._aside = [], [], None, False, None

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append({"_links": []})
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and self.rows and not self._in_head:
            self.rows[-1]["_links"].append(dict(attrs)["href"])
        elif tag == "span" and dict(attrs).get("class") in self.ASIDES and self.rows:
            self._aside = self.ASIDES[dict(attrs)["class"]]
            self.rows[-1][self._aside] = ""

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag == "span" and self._aside:
            self._aside = None
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._in_head:
                self.headings.append(text)
            else:
                row = self.rows[-1]
                row[self.headings[len([key for key in row if not key.startswith("_")])]] = text
            self._cell = None

    def handle_data(self, data):
        if self._aside:
            self.rows[-1][self._aside] += data
        elif self._cell is not None:
            self._cell.append(data)


def table_rows(at) -> list[dict[str, str]]:
    """All recommendations' table as a reader sees it (AppTest): a dict per row, by column heading, with
    its links under "_links" (the recommendation's page first)."""
    bodies = [element.proto.body for element in at.get("html") if 'class="rec-table"' in element.proto.body]
    assert len(bodies) == 1, f"{len(bodies)} tables on the page"
    parser = _TableParser()
    parser.feed(bodies[0])
    return parser.rows


def headline(at) -> dict[str, str]:
    """All recommendations' headline numbers (AppTest): the count per status from the status strip, the
    progress score, the stale and recently changed counts, and how many are shown."""
    strip = next(element.proto.body for element in at.get("html") if "Recommendations per status" in element.proto.body)
    numbers = dict(re.findall(r"</span>([^<]+?) <strong>(\d+)</strong>", strip))
    for markdown in at.markdown:
        numbers.update(re.findall(r"(Progress score|Stale|Changed since [^*]+?) \*\*([^*]+)\*\*", markdown.value))
        shown = re.match(r"\*\*Showing (\d+ of \d+)\*\*", markdown.value)
        if shown:
            numbers["Shown"] = shown.group(1)
    return numbers


# -- accessibility ---------------------------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # scripts/test installs it (npm install --no-save)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page (WCAG 2.1 A and AA, and best practice), one line per rule.
    axe takes every Streamlit page for a modal, so the h1 and heading order are checked above."""
    if not AXE.exists():
        pytest.skip("axe-core not installed: npm install --no-save axe-core (scripts/test does it)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations.map(
            v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.failureSummary).join(" | ")}`)""",
        AXE_TAGS,
    )
    return found
