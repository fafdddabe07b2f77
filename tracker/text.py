"""Text from the data or a link, made safe for Markdown: shown exactly as typed, never as markup."""

from __future__ import annotations

from .model import Settings, is_web_address, status_by_id

_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$"


def escape_markdown(text: str) -> str:
    """Text that Markdown shows exactly as typed: no links, no HTML, no formatting."""
    escaped = "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text)
    return escaped.replace("\n", "  \n")


def render_status_table(settings: Settings) -> str:
    """The status taxonomy as a Markdown table (status, definition, weight, colour), in its order."""
    rows = ["| Status | Definition | Weight | Colour |", "|---|---|---:|---|"]
    for status in status_by_id(settings).values():
        cells = [escape_markdown(" ".join(text.split())) for text in (status.label, status.definition)]
        rows.append(f"| {cells[0]} | {cells[1]} | {status.weight:g} | `{status.colour}` |")
    return "\n".join(rows)


def markdown_link(title: str, url: str) -> str:
    """A Markdown link for a web address, or the title alone (as text) for anything else."""
    if not is_web_address(url):
        return escape_markdown(title)
    return f"[{escape_markdown(title)}](<{url}>)"
