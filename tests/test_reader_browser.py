"""The reader's pages in a real browser (#24), on a tracker as busy as the bundled one (conftest's
`make_busy_data`: 21 long titles, sources of every kind, 24 context events bunched in time), at a laptop's
1,440 x 900 and a phone's 390 x 844: no chart label clipped, no two context-event numbers overlapping, ten
rows of the list in a laptop's first screen, and axe-core finding nothing serious on any page."""

from __future__ import annotations

import os

import pytest
from conftest import TODAY, make_busy_data
from helpers import CHROMIUM, STEPS, WAIT_MS, axe_violations, no_exception, settle, shot, streamlit_server
from playwright.sync_api import expect, sync_playwright

from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright not installed (pip install playwright)"),
]

WIDTHS = {"laptop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
BUSY = make_busy_data()
# address: (its h1, how many charts it draws)
PAGES = {
    "/": (BUSY["tracker"]["title"], 2),
    "/recommendations": ("All recommendations", 0),
    "/recommendation?rec=busy-18": (BUSY["recommendations"][18]["title"], 0),
    "/recommendation?rec=nonexistent": ("No such recommendation", 0),
    "/timeline": ("Timeline", 2),  # status over time (drawn on the server) and the rows of bands (HTML)
    "/changes?since=2023-01-01": ("Changes", 0),
    "/methodology": ("Methodology", 0),
}

# Every text a chart draws (axis and legend labels, titles, numbers), with its box, the chart's box, and
# the name of the mark it belongs to (Vega writes a mark's name into its group's class).
CHART_TEXTS = """
charts => charts.map(chart => {
  const box = chart.getBoundingClientRect();
  const texts = Array.from(chart.querySelectorAll('svg text')).filter(t => t.textContent.trim() !== '');
  return {
    box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    texts: texts.map(t => {
      const r = t.getBoundingClientRect();
      const group = t.closest('g.mark-text, g[class*="role-"]');
      return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
              mark: group ? group.getAttribute('class') : ''};
    }),
  };
})
"""


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("busy-server")
    source = folder / "busy.yaml"
    source.write_text(dump_tracker(validate_data(BUSY, today=TODAY)), encoding="utf-8")
    with streamlit_server(folder, source=source) as (url, _data):
        yield url


# The charts of a page: the browser's (Streamlit's Vega-Lite element) and the server's (ui/reader.py's
# figure of drawings, of which the one that fits its column shows).
ANY_CHART = '[data-testid="stVegaLiteChart"], figure.drawn-chart, section.tl'
# Each drawn chart's shown drawing: its image (loaded?), its size as shown and as drawn, and its figure's.
DRAWN_SHOWN = """
figures => figures.map(figure => Array.from(figure.querySelectorAll('img'))
  .filter(img => img.getBoundingClientRect().width > 0)
  .map(img => ({src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
                width: img.getBoundingClientRect().width, drawn: img.naturalWidth,
                right: img.getBoundingClientRect().right, figure: figure.getBoundingClientRect().width})))
"""


def open_complete(page, url: str, title: str, n_charts: int) -> None:
    """Open a page and wait until it is complete: its title, every chart drawn as SVG, the run over."""
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_contain_text(title)
    expect(page.locator(ANY_CHART)).to_have_count(n_charts)
    charts = page.get_by_test_id("stVegaLiteChart")
    for n in range(charts.count()):
        expect(charts.nth(n).locator("svg.marks text").first).to_be_attached()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('figure.drawn-chart img'))"
        ".every(img => img.getBoundingClientRect().width === 0 || (img.complete && img.naturalWidth > 0))"
    )
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'"
    )
    page.wait_for_timeout(300)  # Vega lays a chart out again once its container has its width


def check_drawn_charts(page, where: tuple) -> list[dict]:
    """Each chart the server drew shows one drawing, loaded, within its column and the screen, shrunk by no
    more than the page allows (ui/reader.py's NARROW_BELOW), with every text inside it and none cut: the
    texts measured on the drawing itself, laid out at its size on the page in a page of its own (an image
    sees no web font, so neither does that page)."""
    import base64

    from ui.reader import NARROW_BELOW

    measured = []
    for shown in page.locator("figure.drawn-chart").evaluate_all(DRAWN_SHOWN):
        assert len(shown) == 1, (where, shown)  # one drawing per chart, never both or neither
        (image,) = shown
        assert image["loaded"] and image["alt"], (where, image)
        assert image["width"] <= image["figure"] + 0.5 and image["right"] <= page.viewport_size["width"] + 1
        assert image["width"] >= NARROW_BELOW * image["drawn"] - 0.5, (where, image)
        svg = base64.b64decode(image["src"].split(",", 1)[1]).decode()
        scaled = svg.replace(f'width="{image["drawn"]}"', f'width="{image["width"]}"', 1)
        alone = page.context.new_page()
        try:
            alone.set_content(f'<body style="margin:0"><div id="drawn">{scaled}</div></body>')
            (chart,) = alone.locator("#drawn svg").evaluate_all(CHART_TEXTS.replace("svg text", "text"))
        finally:
            alone.close()
        box = chart["box"]
        assert chart["texts"], (where, "a drawing with no text")
        for text in chart["texts"]:
            inside = text["left"] >= box["left"] - 1 and text["right"] <= box["right"] + 1
            inside = inside and text["top"] >= box["top"] - 1 and text["bottom"] <= box["bottom"] + 1
            assert inside and not text["text"].endswith("…"), (where, text, box)
        measured.append(chart)
    return measured


def check_links_on_bars(page, where: tuple) -> None:
    """Each link laid over a drawing sits on it (inside the image shown) and has a name; a link of a hidden
    drawing is out of the way (no box)."""
    for image, links in page.locator("figure.drawn-chart > div").evaluate_all(LINKS_SHOWN):
        for link in links:
            assert link["name"] and link["href"], (where, link)
            if image["width"] == 0:
                assert link["width"] == 0, (where, link)
                continue
            assert image["left"] - 0.5 <= link["left"] and link["right"] <= image["right"] + 0.5, (where, link, image)
            assert image["top"] - 12.5 <= link["top"] and link["bottom"] <= image["bottom"] + 12.5, (where, link, image)


LINKS_SHOWN = """
blocks => blocks.map(block => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  return [box(block.querySelector('img')),
          Array.from(block.querySelectorAll('a.drawn-hit')).map(a => ({...box(a),
            name: a.getAttribute('aria-label'), href: a.getAttribute('href')}))];
})
"""


def check_timeline_rows(page, where: tuple) -> None:
    """The Timeline's rows: one per recommendation, each a link named by its title (never cut) with its
    bands inside the column, every band at least as tall as the chart's were and no name cut."""
    rows = page.locator("section.tl ol.tl-list > li").evaluate_all(
        """items => items.map(li => { const a = li.querySelector('a'), track = li.querySelector('.tl-track');
          const t = track.getBoundingClientRect(), n = li.querySelector('.tl-name');
          return {name: n.textContent, nameWidth: n.scrollWidth, nameBox: n.clientWidth, href: a.href,
                  left: t.left, right: t.right, height: t.height,
                  bands: Array.from(track.querySelectorAll('.tl-band')).map(b => { const r = b.getBoundingClientRect();
                    return {left: r.left, right: r.right}; })}; })"""
    )
    assert [row["name"] for row in rows] == [rec["title"] for rec in BUSY["recommendations"]], where
    for row in rows:
        assert "/recommendation?" in row["href"] and row["nameWidth"] <= row["nameBox"] + 1, (where, row)
        assert row["height"] >= 12 and row["right"] <= page.viewport_size["width"], (where, row)
        for band in row["bands"]:
            assert row["left"] - 0.5 <= band["left"] and band["right"] <= row["right"] + 0.5, (where, row)


def overlapping(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
        and a["top"] < b["bottom"] - slack
        and b["top"] < a["bottom"] - slack
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("address", list(PAGES))
def test_every_page_reads_whole_on_a_laptop_and_a_phone(busy_server, browser, request, address, width):
    context = browser.new_context(viewport=WIDTHS[width])
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    STEPS[id(page)] = (request.node.name, [])
    try:
        title, n_charts = PAGES[address]
        open_complete(page, busy_server + address, title, n_charts)
        shot(page, "complete")
        no_exception(page)
        charts = page.get_by_test_id("stVegaLiteChart")
        drawn = charts.evaluate_all(CHART_TEXTS) if n_charts else []
        for chart in drawn:
            box = chart["box"]
            assert chart["texts"], "a chart with no text"
            for text in chart["texts"]:
                # Inside the chart's own box (a label outside it is cut off), and never shortened with an ellipsis.
                inside = (
                    text["left"] >= box["left"] - 1
                    and text["right"] <= box["right"] + 1
                    and text["top"] >= box["top"] - 1
                    and text["bottom"] <= box["bottom"] + 1
                )
                assert inside, (address, width, text, box)
                assert not text["text"].endswith("…"), (address, width, text)
            assert box["right"] <= WIDTHS[width]["width"] + 1, (address, width, box)  # no chart wider than the screen
        measured = check_drawn_charts(page, (address, width))
        check_links_on_bars(page, (address, width))
        if address == "/timeline":
            check_timeline_rows(page, (address, width))
            numbers = [text for text in measured[0]["texts"] if "event_numbers" in text["mark"]]
            assert len(numbers) == len(BUSY["context_events"]), [text["mark"] for text in measured[0]["texts"]][:20]
            clashes = [
                (a["text"], b["text"]) for i, a in enumerate(numbers) for b in numbers[i + 1 :] if overlapping(a, b)
            ]
            assert clashes == [], (width, clashes)
        if address == "/recommendations" and width == "laptop":
            bottoms = page.locator(".rec-table tbody tr").evaluate_all(
                "rows => rows.map(row => row.getBoundingClientRect().bottom)"
            )
            assert sum(bottom <= WIDTHS[width]["height"] for bottom in bottoms) >= 10, bottoms[:12]
            # No copy's or unidentified page's long title headlines a row.
            table = page.locator(".rec-table").inner_text()
            assert "ExBulletin" not in table and "unidentified site" not in table
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"] + 1
        found = axe_violations(page)
        assert [line for line in found if "(serious)" in line or "(critical)" in line] == [], found
    finally:
        STEPS.pop(id(page), None)
        context.close()


# -- in Korean and Japanese (#27) ----------------------------------------------------------------------

# address: (the registry's title of its h1, or None for the tracker's own title; charts it draws)
IN_LANGUAGES = {
    "/": (None, 2),
    "/recommendations": ("All recommendations", 0),
    "/timeline": ("Timeline", 2),
    "/recommendation?rec=busy-18": (None, 0),
    "/methodology": ("Methodology", 0),
}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("address", list(IN_LANGUAGES))
@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_every_page_reads_whole_in_korean_and_japanese(busy_server, browser, request, lang, address, width):
    """The page says its language (<html lang>, set once drawn: Streamlit serves 'en'), its title is the
    catalog's, no chart label is cut, nothing runs off a phone's screen, and axe finds nothing serious."""
    from tracker.language import words

    heading, n_charts = IN_LANGUAGES[address]
    if heading is None:
        heading = BUSY["tracker"]["title"] if address == "/" else BUSY["recommendations"][18]["title"]
    else:
        heading = words(lang).t(heading)
    context = browser.new_context(viewport=WIDTHS[width])
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    STEPS[id(page)] = (request.node.name, [])
    try:
        joined = "&" if "?" in address else "?"
        open_complete(page, f"{busy_server}{address}{joined}lang={lang}", heading, n_charts)
        shot(page, "complete")
        no_exception(page)
        page.wait_for_function(f"() => document.documentElement.lang === {lang!r}")
        for chart in page.get_by_test_id("stVegaLiteChart").evaluate_all(CHART_TEXTS) if n_charts else []:
            box = chart["box"]
            for text in chart["texts"]:
                inside = text["left"] >= box["left"] - 1 and text["right"] <= box["right"] + 1
                assert inside and not text["text"].endswith("…"), (address, width, text, box)
        check_drawn_charts(page, (lang, address, width))
        check_links_on_bars(page, (lang, address, width))
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"] + 1
        found = axe_violations(page)
        assert [line for line in found if "(serious)" in line or "(critical)" in line] == [], found
    finally:
        STEPS.pop(id(page), None)
        context.close()
