"""Text from the data or a link, made safe for Markdown: shown exactly as typed, never as markup."""

from __future__ import annotations

import re

from .model import is_web_address

# ':' too: Streamlit reads `:red[...]` as coloured text and `:name:` as an icon.
_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"
# The page's Markdown also turns bare addresses (https://..., www...., a@b.org) into links, escapes or
# not; an invisible word joiner inside each keeps them text that reads and copies the same.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?=@)", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def escape_markdown(text: str) -> str:
    """Text that Markdown shows exactly as typed: no links, no HTML, no formatting."""
    text = _AUTOLINK.sub(_WORD_JOINER, text)
    escaped = "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text)
    return escaped.replace("\n", "  \n")


def markdown_link(title: str, url: str) -> str:
    """A Markdown link for a web address, or the title alone (as text) for anything else."""
    if not is_web_address(url):
        return escape_markdown(title)
    return f"[{escape_markdown(title)}](<{url}>)"


# Inside a link's text nothing becomes a link; these would still format it (or end it).
_LINK_TEXT_SPECIAL = "\\`*_[]<>~$"


def markdown_address(url: str) -> str:
    """A web address as a Markdown link that shows the address itself, so it reads and copies as it is
    (for the page's own links: no code font to load); anything else as text."""
    if not is_web_address(url):
        return escape_markdown(url)
    text = "".join("\\" + char if char in _LINK_TEXT_SPECIAL else char for char in url)
    return f"[{text}](<{url}>)"
