"""The static site in Chromium: every kind of page passes axe-core (no serious or critical finding) at a
laptop's and a phone's width, served by a plain static server under a sub-path, and the site reads and
navigates from a folder on disk (file://) with no script. The site is the one of two documents
(tests/test_site.py makes them): the pages about every document, and an item's paraphrase, years, parts
and links, are among the kinds.

Needs Debian's chromium and the playwright wheel, like tests/test_browser.py; axe-core from
`npm install --no-save axe-core@4`. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from datetime import datetime, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import helpers as ui
import pytest
from test_site import FIRST, SECOND, two_documents

from tracker import site
from tracker.language import words

pytestmark = [
    pytest.mark.skipif(not os.path.exists(ui.CHROMIUM), reason="chromium not installed (apt-get install chromium)"),
]
SUB_PATH = "sub/path"
BASE = "https://tracker.example/sub/path/public"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
OVERVIEW = site.page_path("index", document=FIRST)
# One page of each kind: (what, path from the site's root, its h1).
KINDS = [
    ("root", "", "Test tracker"),  # redirects to the first document's overview
    ("overview", OVERVIEW, "Test tracker"),
    ("list", site.page_path("recommendations", document=SECOND), "All commitments"),
    ("recommendation", site.page_path("recommendation", "whitelist", document=FIRST),
     "Restore each other to the trade whitelist"),
    ("paraphrase, years, links", site.page_path("recommendation", "meet-yearly", document=SECOND), "Meet every year"),
    ("parts, fact sheet", site.page_path("recommendation", "fund-support", document=SECOND), "Support the joint fund"),
    ("old address", site.page_path("recommendation", "gsomia"), "Normalise intelligence sharing"),
    ("timeline", site.page_path("timeline", document=FIRST), "Timeline"),
    ("methodology", site.page_path("methodology", document=SECOND), "Methodology"),
    ("all documents", site.portfolio_path("documents"), "All documents"),
    ("by addressee", site.portfolio_path("addressees"), "By addressee"),
    ("one addressee", site.portfolio_path("addressees", addressee="japan"), "Japan"),
    ("not found", "no/such/page.html", "Page not found"),
    ("editions", "editions/index.html", "Editions of Recommendation tracker"),
]  # fmt: skip


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        # A static host's 404 page, as GitHub Pages, Netlify or a CDN serve it.
        if code == 404 and (self.directory_root / "404.html").is_file():
            body = (self.directory_root / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def static_server(root, site_root):
    """`python -m http.server` in a thread, serving `root` (the site sits in `site_root`, a sub-path of it)."""
    handler = type("Handler", (_Quiet,), {"directory_root": site_root})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    """The two documents' site, an edition kept, in a folder under a sub-path of the served root."""
    root = tmp_path_factory.mktemp("served")
    folder = root / SUB_PATH / "public"
    site.build_site(two_documents(), folder, now=NOW, options=site.Options(base_url=BASE, keep_edition=True))
    return root, folder


@pytest.mark.parametrize("width", [1440, 390])
def test_every_kind_of_page_passes_axe(browser, public, width):
    root, folder = public
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    ui.STEPS[id(page)] = (f"site_browser_{width}", [])
    found = {}
    with static_server(root, folder) as url:
        for kind, path, heading in KINDS:
            page.goto(f"{url}/{SUB_PATH}/public/{path}", wait_until="load")
            if kind == "root":
                page.wait_for_url(f"**/{OVERVIEW}")
            ui.expect(page.locator("h1")).to_have_text(heading)
            # Its styles loaded (from the relative stylesheet under the sub-path), and nothing runs sideways.
            assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), kind
            ui.shot(page, f"{kind}-{width}")
            serious = [line for line in ui.axe_violations(page) if "(serious)" in line or "(critical)" in line]
            if serious:
                found[kind] = serious
    context.close()
    assert found == {}


def test_the_site_reads_and_navigates_from_a_folder_without_scripts(browser, public):
    _, folder = public
    context = browser.new_context(viewport=ui.VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    ui.STEPS[id(page)] = ("site_browser_file", [])
    page.goto((folder / "index.html").as_uri())
    page.wait_for_url(f"**/{OVERVIEW}")  # the root's refresh, with no script
    ui.expect(page.locator("h1")).to_have_text("Test tracker")
    ui.expect(page.locator("#chart-status_by_category svg")).to_be_attached()
    page.get_by_role("link", name="All recommendations", exact=True).click()
    ui.expect(page.locator("h1")).to_have_text("All recommendations")
    page.get_by_role("link", name="Joint fund for forced-labor victims").click()
    ui.expect(page.locator("h1")).to_have_text("Joint fund for forced-labor victims")
    assert page.evaluate("document.querySelector('img[alt^=\"Status badge\"]').naturalWidth") > 0
    page.get_by_role("link", name="Timeline").click()
    ui.expect(page.get_by_role("heading", name="Context events")).to_be_visible()
    ui.shot(page, "timeline-from-file")
    # Across documents: All documents, the second document, an item linked back to the first.
    page.get_by_role("link", name="All documents").click()
    page.get_by_role("link", name="Joint statement tracker").click()
    ui.expect(page.locator("h1")).to_have_text("Joint statement tracker")
    page.get_by_role("link", name="All 3 commitments").click()
    page.get_by_role("link", name="Meet every year").click()
    ui.expect(page.get_by_text("Paraphrase:")).to_be_visible()
    page.get_by_role("link", name="Resume trilateral exercises").click()
    ui.expect(page.locator("h1")).to_have_text("Resume trilateral exercises")
    ui.shot(page, "linked-from-file")
    context.close()


@pytest.fixture(scope="module")
def korean(tmp_path_factory):
    """A site in three languages with a few Korean texts (tests/test_site.py's `translated`), served under a
    sub-path."""
    from test_site import translated

    root = tmp_path_factory.mktemp("served-ko")
    folder = root / SUB_PATH / "public"
    site.build_site(translated(), folder, now=NOW, options=site.Options(base_url=BASE))
    return root, folder


# Korean pages of each kind: a translated title with the quote's translation, a text not yet translated (marked),
# an outdated translation (marked), the list, the overview.
KOREAN = [
    site.page_path("recommendation", "export-controls", lang="ko"),
    site.page_path("recommendation", "gsomia", lang="ko"),
    site.page_path("recommendation", "whitelist", lang="ko"),
    site.page_path("recommendations", lang="ko"),
    site.page_path("index", lang="ko"),
]


@pytest.mark.parametrize("width", [1440, 390])
def test_korean_pages_pass_axe(browser, korean, width):
    root, folder = korean
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    ui.STEPS[id(page)] = (f"site_browser_ko_{width}", [])
    found = {}
    with static_server(root, folder) as url:
        for path in KOREAN:
            page.goto(f"{url}/{SUB_PATH}/public/{path}", wait_until="load")
            assert page.evaluate("document.documentElement.lang") == "ko"
            ui.expect(page.get_by_role("navigation", name=words("ko").t("Language"))).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
            ui.shot(page, f"ko-{path.replace('/', '-')}-{width}")
            serious = [line for line in ui.axe_violations(page) if "(serious)" in line or "(critical)" in line]
            if serious:
                found[path] = serious
        # The switcher opens the same page in Japanese.
        page.goto(f"{url}/{SUB_PATH}/public/{KOREAN[0]}", wait_until="load")
        page.get_by_role("link", name="日本語").click()
        page.wait_for_url(f"**/{site.page_path('recommendation', 'export-controls', lang='ja')}")
    context.close()
    assert found == {}
