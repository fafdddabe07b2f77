"""SVG badges: they parse, name the status, escape text and keep text readable on every colour."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import BUNDLED, STATUSES

from tracker.badge import (
    MIN_CONTRAST,
    contrast_ratio,
    embed_snippets,
    progress_badge,
    render_badge,
    status_badge,
    text_colour_for,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
BUNDLED_COLOURS = [s["colour"] for s in yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["tracker"]["statuses"]]


def parse(body: bytes) -> ET.Element:
    root = ET.fromstring(body)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def test_status_badge_names_the_status_accessibly(tracker):
    root = parse(status_badge(tracker.settings, "Joint fund", "partial"))
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Joint fund: Partially implemented"
    assert root.get("aria-label") == "Joint fund: Partially implemented"
    texts = [text.text for text in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["status", "Partially implemented"]
    fills = [rect.get("fill") for rect in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills[1] == "#c68400"  # the taxonomy's colour


def test_progress_badge(tracker):
    root = parse(progress_badge(tracker.settings, 53.3, 3))
    assert "progress score 53.3 / 100 over 3 recommendations" in root.find("svg:title", NS).text
    assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")][1] == "53.3 / 100"


def test_text_is_escaped():
    body = render_badge("a<b", 'c&"d', "#123456", "<script>alert(1)</script> & \x00")
    root = parse(body)
    assert b"<script>" not in body
    assert root.find("svg:title", NS).text == "<script>alert(1)</script> & "


@pytest.mark.parametrize("colour", [c for _, _, c, _ in STATUSES] + BUNDLED_COLOURS)
def test_text_contrast_on_every_status_colour(colour):
    root = parse(render_badge("status", "Label", colour, "t"))
    value = list(root.iter("{http://www.w3.org/2000/svg}text"))[1]
    assert contrast_ratio(value.get("fill"), colour) >= MIN_CONTRAST


def test_text_contrast_on_any_colour():
    for r, g, b in itertools.product(range(0, 256, 17), repeat=3):
        colour = f"#{r:02x}{g:02x}{b:02x}"
        assert contrast_ratio(text_colour_for(colour), colour) >= MIN_CONTRAST


def test_contrast_ratio_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#4a4a4a", "#ffffff") >= 7


def test_embed_snippets_link_the_badge_to_the_page():
    snippets = embed_snippets("https://t.example.org/x/", "joint-fund", 'Fund [A] <b> & "q"')
    assert snippets["markdown"] == (
        '[![Status of Fund \\[A\\] <b> & "q"](https://t.example.org/x/badge/joint-fund.svg)]'
        "(https://t.example.org/x/?rec=joint-fund)"
    )
    assert snippets["html"] == (
        '<a href="https://t.example.org/x/?rec=joint-fund"><img src="https://t.example.org/x/badge/joint-fund.svg" '
        'alt="Status of Fund [A] &lt;b&gt; &amp; &quot;q&quot;"></a>'
    )
