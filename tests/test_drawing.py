"""Charts drawn on the server (tracker/drawing.py): the page's own specs, at the widths asked, whole."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import TODAY, make_busy_data

from tracker import charts, drawing
from tracker.language import words
from tracker.validation import validate_data
from tracker.view import View

SVG = "{http://www.w3.org/2000/svg}"
SUMMARY = ("status_by_category", "scorecard")


def page_specs(tracker, lang: str = "en") -> dict[str, dict]:
    """The summary charts' specs as the page fills them (rows as DataFrames), in a language."""
    rows = charts.chart_data(tracker, View(as_of=TODAY), names=SUMMARY)
    templates = charts.build_templates(tracker.settings, words(lang))
    return charts.fill_templates({name: templates[name] for name in SUMMARY}, rows)


@pytest.fixture(scope="module")
def busy():
    """Twenty-odd recommendations in every status and category, with the longest labels the tests have."""
    return validate_data(make_busy_data(), today=TODAY)


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
@pytest.mark.parametrize("width", [520, 430, 340])
@pytest.mark.parametrize("name", SUMMARY)
def test_a_chart_is_drawn_at_the_width_asked_with_no_label_cut(busy, name, width, lang):
    svg = drawing.draw_page_chart(charts.without_picking(page_specs(busy, lang)[name]), width)
    root = ET.fromstring(svg)  # well-formed XML: no prolog, one svg element
    assert root.tag == f"{SVG}svg" and root.get("width") == str(width)
    texts = [text.text or "" for text in root.iter(f"{SVG}text")]
    assert texts and not [text for text in texts if text.endswith("…")]  # Vega shortens a label it must cut
    # Every status's name is in the legend, in the page's language.
    assert {status.label for status in busy.settings.statuses} <= set(texts) or lang != "en"


def test_a_drawing_says_what_the_chart_the_browser_draws_says(busy):
    """The same marks from the same rows: each bar's accessible description (category, status, count)."""
    spec = page_specs(busy)["status_by_category"]
    svg = drawing.draw_page_chart(charts.without_picking(spec), 520)
    drawn = sorted(re.findall(r'aria-label="([^"]*: \d+)"', svg))
    rows = spec["datasets"]["category_counts"]
    expected = sorted(
        f"{row.group_label}, {row.status_label}: {row['count']}" for _, row in rows.iterrows() if row["count"] > 0
    )
    assert drawn and [label.split("; ")[-1] if "; " in label else label for label in drawn] == expected


def test_the_page_spec_is_left_as_it_is(busy):
    spec = page_specs(busy)["scorecard"]
    before = {key: value for key, value in spec.items() if key != "datasets"}
    drawing.draw_page_chart(spec, 340)
    assert {key: value for key, value in spec.items() if key != "datasets"} == before


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, drawing.PAGE_THEME["title"]),
        (
            {"title": {"color": "#3d3d3d", "offset": 4}},
            {**drawing.PAGE_THEME["title"], "color": "#3d3d3d", "offset": 4},
        ),
        ({"title": {"anchor": "middle"}}, {**drawing.PAGE_THEME["title"], "anchor": "middle"}),
    ],
    ids=["theme", "spec-adds", "spec-wins"],
)
def test_the_spec_config_wins_over_the_page_theme(config, expected):
    merged = drawing.page_config(config)
    assert merged["title"] == expected
    assert merged["axis"] == drawing.PAGE_THEME["axis"]  # untouched parts as the theme has them
    assert drawing.PAGE_THEME["title"]["anchor"] == "start"  # the theme itself is never changed


@pytest.mark.parametrize(
    "label",
    ['Status by category: "Trade" <b>2</b> & more', "カテゴリー別の状況", "javascript:alert(1)"],
    ids=["markup", "japanese", "address-like"],
)
def test_an_image_carries_its_drawing_and_its_label_as_text(label):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="340" height="180"><text>1</text></svg>'
    image = drawing.svg_image(svg, label)
    found = re.fullmatch(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"<>]*)" '
                         r'width="340" height="180">', image)  # fmt: skip
    assert found, image
    assert base64.b64decode(found[1]).decode() == svg
    assert "<" not in found[2] and '"' not in found[2]  # the label is text, never markup


BAR_PATH = re.compile(r'aria-label="([^"]*: \d+)"[^>]* d="M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h')


@pytest.mark.parametrize(
    ("name", "dataset"), [("status_by_category", "category_counts"), ("scorecard", "addressee_counts")]
)
@pytest.mark.parametrize("width", [520, 340])
def test_each_bar_is_placed_where_the_drawing_draws_it(busy, name, dataset, width):
    """Each placed bar is its row's, at the very box the drawing gives that row's bar (the drawing's own
    SVG, read back: its root translates by the padding), and only rows counted have one."""
    spec = charts.without_picking(page_specs(busy)[name])
    svg = drawing.draw_page_chart(spec, width)
    left, top = map(float, re.search(r'<g[^>]* transform="translate\(([-\d.]+),([-\d.]+)\)"', svg).groups())
    drawn = {
        label: (left + float(x), top + float(y), float(w), float(h)) for label, x, y, w, h in BAR_PATH.findall(svg)
    }
    rows = spec["datasets"][dataset]
    placed = drawing.place_marks(spec, width, dataset)
    assert sorted(mark.row for mark in placed) == [n for n in range(len(rows)) if rows.iloc[n]["count"] > 0]
    for mark in placed:
        row = rows.iloc[mark.row]
        box = drawn[f"{row.group_label}, {row.status_label}: {row['count']}"]
        assert (mark.left, mark.top, mark.width, mark.height) == pytest.approx(box, abs=0.01)
        assert 0 <= mark.left and mark.left + mark.width <= width  # inside the drawing


def test_placing_marks_leaves_the_spec_as_it_is(busy):
    spec = page_specs(busy)["status_by_category"]
    before = {key: value for key, value in spec.items() if key != "datasets"}
    rows = spec["datasets"]["category_counts"].copy()
    drawing.place_marks(spec, 520, "category_counts")
    assert {key: value for key, value in spec.items() if key != "datasets"} == before
    assert spec["datasets"]["category_counts"].equals(rows)


def test_the_size_of_a_drawing_is_its_svg_elements():
    assert drawing.svg_size('<svg xmlns="http://www.w3.org/2000/svg" width="340" height="180">') == (340, 180)
    assert drawing.svg_size("<svg>") is None


@pytest.fixture
def fonts_in(tmp_path, monkeypatch):
    """vl-convert's font folders pointed at an empty folder of the test's; the real key made again after."""
    folder = tmp_path / "fonts"
    monkeypatch.setattr(drawing, "FONT_FOLDERS", (str(folder),))
    drawing.fonts_key.cache_clear()
    yield folder
    drawing.fonts_key.cache_clear()


def test_the_fonts_key_changes_when_a_font_is_installed_and_is_read_once_per_process(fonts_in):
    empty = drawing.fonts_key()
    (fonts_in / "noto").mkdir(parents=True)
    (fonts_in / "noto" / "NotoSansCJK.ttc").write_bytes(b"a font")
    assert drawing.fonts_key() == empty  # vl-convert reads the fonts once per process: so does the key
    drawing.fonts_key.cache_clear()
    installed = drawing.fonts_key()
    assert installed != empty
    (fonts_in / "noto" / "NotoSansCJK.ttc").write_bytes(b"another font")
    drawing.fonts_key.cache_clear()
    assert drawing.fonts_key() not in (empty, installed)
