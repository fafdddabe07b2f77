"""Small SVG badges: a recommendation's status in the taxonomy's colour, and the progress score.

Accessible by construction: `role="img"` with a `<title>` (and `aria-label`) naming the
recommendation and its status, and text drawn in black or white, whichever contrasts
more with the badge colour (always at least 4.5:1, WCAG AA for text). Built with
xml.etree, so titles are escaped. Pure functions.
"""

from __future__ import annotations

import html
import unicodedata
import xml.etree.ElementTree as ET

from .feed import clean
from .language import ENGLISH, Words
from .model import Settings
from .records import Links, links_of

SVG = "http://www.w3.org/2000/svg"
LABEL_COLOUR = "#4a4a4a"  # the left half; white text on it is 8.9:1
PROGRESS_COLOUR = "#1f3a5f"
HEIGHT = 20
FONT = "Verdana,DejaVu Sans,sans-serif"
MIN_CONTRAST = 4.5


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_for(background: str) -> str:
    """Black or white, whichever reads better on `background` (the better one is always >= 4.58:1)."""
    return "#000000" if contrast_ratio(background, "#000000") >= contrast_ratio(background, "#ffffff") else "#ffffff"


def _text_width(text: str) -> int:
    # Close enough for 11px Verdana: wide capitals and digits, narrow i/l/punctuation; a Hangul syllable or a
    # Han or kana character is a full em (11 px) in any CJK font.
    narrow, wide = set("iljtf.,:;!|' ()[]"), set("MWmw@%")

    def width(ch: str) -> float:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return 11.0
        return 3.5 if ch in narrow else 10.0 if ch in wide else 7.0

    return int(sum(width(ch) for ch in text)) + 10


def render_badge(label: str, value: str, colour: str, title: str, w: Words = ENGLISH) -> bytes:
    """A two-part badge: `label` on grey, `value` on `colour`; `title` is its accessible name; its text is in
    `w`'s language (`xml:lang`) and fonts."""
    label, value, title = clean(label), clean(value), clean(title)
    left, right = _text_width(label), _text_width(value)
    width = left + right
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG,
            "width": str(width),
            "height": str(HEIGHT),
            "viewBox": f"0 0 {width} {HEIGHT}",
            "role": "img",
            "xml:lang": w.code,
            "aria-label": title,
        },
    )
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "rect", {"width": str(left), "height": str(HEIGHT), "fill": LABEL_COLOUR})
    ET.SubElement(root, "rect", {"x": str(left), "width": str(right), "height": str(HEIGHT), "fill": colour})
    font = FONT if w.code == ENGLISH.code else f"{FONT.rsplit(',', 1)[0]},{w.language.fonts}"
    group = ET.SubElement(root, "g", {"font-family": font, "font-size": "11", "text-anchor": "middle"})
    for x, text, fill in ((left / 2, label, "#ffffff"), (left + right / 2, value, text_colour_for(colour))):
        ET.SubElement(group, "text", {"x": f"{x:g}", "y": "14", "fill": fill}).text = text
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode()


def status_badge(settings: Settings, rec_title: str, status_id: str, w: Words = ENGLISH) -> bytes:
    """The badge of a recommendation's current status (`settings` and `rec_title` in `w`'s language)."""
    status = next(s for s in settings.statuses if s.id == status_id)
    # TRANSLATORS: the grey left half of a status badge (one short word)
    return render_badge(w.t("status"), status.label, status.colour, f"{rec_title}: {status.label}", w)


def progress_badge(settings: Settings, score: float, count: int, w: Words = ENGLISH) -> bytes:
    """The tracker's weighted progress score (0-100)."""
    value = f"{score:g} / 100"
    title = w.tn(
        "{title}: progress score {value} over {n} recommendation",
        "{title}: progress score {value} over {n} recommendations",
        count,
        title=settings.title,
        value=value,
    )
    # TRANSLATORS: the grey left half of the progress badge (one short word)
    return render_badge(w.t("progress"), value, PROGRESS_COLOUR, title, w)


def embed_snippets(base_url: str | Links, rec_id: str, rec_title: str) -> dict[str, str]:
    """Copyable Markdown and HTML that embed a recommendation's live badge, linked to its page."""
    links = links_of(base_url)
    badge_url, page_url = links.badge(rec_id), links.page(rec_id)
    alt = f"Status of {rec_title}"
    # Markdown alt text: brackets and backslashes would end or break it.
    markdown_alt = "".join("\\" + ch if ch in "\\[]" else ch for ch in alt)
    return {
        "markdown": f"[![{markdown_alt}]({badge_url})]({page_url})",
        "html": (
            f'<a href="{html.escape(page_url, quote=True)}">'
            f'<img src="{html.escape(badge_url, quote=True)}" alt="{html.escape(alt, quote=True)}"></a>'
        ),
    }
