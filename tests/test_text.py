"""Text from the data or a link, made safe for Markdown."""

from __future__ import annotations

import re

from tracker.text import escape_markdown, markdown_address, markdown_link


def test_markdown_is_escaped_so_text_shows_as_typed():
    assert escape_markdown("<script>alert(1)</script> [x](javascript:y)") == (
        "\\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(javascript\\:y\\)"
    )


def test_markdown_links_only_for_web_addresses():
    assert markdown_link("Report [1]", "https://example.org/a_(b)") == "[Report \\[1\\]](<https://example.org/a_(b)>)"
    assert markdown_link("Bad", "javascript:alert(1)") == "Bad"


def test_bare_addresses_stay_text():
    escaped = escape_markdown("see https://phish.example, www.phish.example or ana@phish.example")
    assert "://" not in escaped and "www." not in escaped and "a@" not in escaped
    assert (
        escaped.replace("\u2060", "").replace("\\", "")
        == "see https://phish.example, www.phish.example or ana@phish.example"
    )


def test_an_address_shows_as_itself_and_links_only_when_it_is_a_web_address():
    link = "http://host:8501/recommendations?status=implemented&as_of=2026-11-27&published=2026-11-27T13:00:00Z"
    shown = markdown_address(link)
    assert shown.endswith(f"](<{link}>)")
    assert re.sub(r"\\(.)", r"\1", shown[1 : shown.index("](<")]) == link  # it reads (and copies) as the address
    odd = "https://host/a_b*c[d]`e`~f$g"
    assert markdown_address(odd) == "[https://host/a\\_b\\*c\\[d\\]\\`e\\`\\~f\\$g](<https://host/a_b*c[d]`e`~f$g>)"
    assert markdown_address("javascript:alert(1)") == escape_markdown("javascript:alert(1)")
