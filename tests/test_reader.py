"""The reader's widgets that are pure functions (ui/reader.py): the links laid over a drawing's bars."""

from __future__ import annotations

import re

import pytest

from tracker.drawing import Placed
from ui.reader import LINK_HEIGHT, render_drawn_chart, render_links

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><text>1</text></svg>'
BOX = re.compile(r'style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%"')


def test_a_link_is_placed_in_percent_of_the_drawing():
    (box,) = BOX.findall(render_links(SVG, [(Placed(0, 100, 50, 40, 100), "https://example.org/a", "A: 2")]))
    assert [float(value) for value in box] == [25.0, 25.0, 10.0, 50.0]


@pytest.mark.parametrize(
    ("top", "expected_top"),
    [(100, 100 - (LINK_HEIGHT - 10) / 2), (0, 0), (195, 200 - LINK_HEIGHT)],
    ids=["centred", "at-the-top", "at-the-bottom"],
)
def test_a_thin_bar_gets_a_link_tall_enough_to_hit_inside_the_drawing(top, expected_top):
    (box,) = BOX.findall(render_links(SVG, [(Placed(0, 10, top, 40, 10), "https://example.org/a", "A: 1")]))
    assert float(box[1]) == pytest.approx(100 * expected_top / 200, abs=0.001)
    assert float(box[3]) == pytest.approx(100 * LINK_HEIGHT / 200, abs=0.001)


@pytest.mark.parametrize(
    ("address", "name"),
    [('https://example.org/?a=1&b="2"', "Trade, <b>Implemented</b>: 2"), ('javascript:alert(1)" onclick="x', "x")],
    ids=["markup-in-name", "quote-in-address"],
)
def test_a_links_address_and_name_stay_text(address, name):
    out = render_links(SVG, [(Placed(0, 0, 0, 10, 30), address, name)])
    assert out.count("<a ") == 1 and "<b>" not in out and ' onclick="' not in out
    assert 'class="drawn-hit"' in out


def test_a_drawing_without_links_has_none_and_each_width_its_own():
    drawn = {400: SVG, 200: SVG.replace('width="400" height="200"', 'width="200" height="100"')}
    plain = render_drawn_chart("scorecard", drawn, "Label")
    assert "drawn-hit" not in plain.split("</style>")[1]
    links = {400: [(Placed(0, 0, 0, 40, 40), "https://example.org/a", "A")], 200: []}
    linked = render_drawn_chart("scorecard", drawn, "Label", links)
    wide, narrow = re.findall(r'<div class="drawn-w\d+">(.*?)</div>', linked)
    assert wide.count("<a ") == 1 and narrow.count("<a ") == 0
