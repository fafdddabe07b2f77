"""The app's Streamlit config (.streamlit/config.toml) and the bundled status colours: what readers
see is readable (WCAG 2.x contrast) and carries no developer tools."""

from __future__ import annotations

import tomllib

import pytest
import yaml
from conftest import BUNDLED, ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
WHITE = (255, 255, 255)


def rgb(colour: str) -> tuple[float, ...]:
    return tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def luminance(colour: tuple[float, ...]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: tuple[float, ...], background: tuple[float, ...], opacity: float) -> tuple[float, ...]:
    return tuple(opacity * c + (1 - opacity) * b for c, b in zip(colour, background, strict=True))


def test_readers_get_no_developer_tools():
    assert CONFIG["client"]["toolbarMode"] == "viewer"  # no Deploy button, no rerun or cache menu


def test_tables_on_the_page_offer_no_csv_of_their_own():
    # st.dataframe's own CSV download writes cells as they are (a note =HYPERLINK(...) would stay a formula);
    # the page's Download offers tracker/exports.py's CSV instead.
    assert CONFIG["client"]["disableDataExport"] is True


@pytest.mark.parametrize("key", ["textColor", "primaryColor", "linkColor"])
def test_theme_text_passes_aa_on_both_backgrounds(key):
    theme = CONFIG["theme"]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(rgb(theme[key]), rgb(background)) >= 4.5, (key, background)


def test_captions_pass_aa_too():
    # Streamlit draws a caption as the text colour at 60% opacity.
    theme = CONFIG["theme"]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        caption = over(rgb(theme["textColor"]), rgb(background), 0.6)
        assert contrast(caption, rgb(background)) >= 4.5, background


def test_bundled_status_colours_stand_out_from_white_and_from_each_other():
    statuses = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["tracker"]["statuses"]
    for status in statuses:
        assert contrast(rgb(status["colour"]), WHITE) >= 3, status["id"]  # graphics: 3:1 (WCAG 1.4.11)
    assert len({status["colour"].lower() for status in statuses}) == len(statuses)
