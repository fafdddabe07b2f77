"""The words of the page in the reader's language.

The language lives in the session (`Key.LANG`, picked each run by dashboard.py), never in a global: a
module global or `builtins._` is shared by every session of the server, so one reader's language would
show on another's page (../shared/research/streamlit-1.67-i18n-notes.md, section 1). `t` and `tn` are the
extraction keywords (scripts/catalogs.py); the words themselves are tracker.language's."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st
from babel.dates import format_skeleton

from tracker.language import DEFAULT, LANGUAGES, Words, is_language, pick_language, words
from tracker.model import format_short_date, precision_of, start_of
from ui.state import Key


def lang() -> str:
    """The language of this session's page."""
    code = st.session_state.get(Key.LANG)
    return code if is_language(code) else DEFAULT


def current_words() -> Words:
    return words(lang())


def t(message: str, **params) -> str:
    """A word of the interface in the reader's language, its {placeholders} filled."""
    return words(lang()).t(message, **params)


def tn(singular: str, plural: str, n: int, **params) -> str:
    """The singular or plural form for `n` in the reader's language ({n} is filled too)."""
    return words(lang()).tn(singular, plural, n, **params)


def day(value: str | date) -> str:
    """A date (YYYY, YYYY-MM or YYYY-MM-DD, or a day) the way the reader's language writes it."""
    return words(lang()).date(value)


def short_day(value: str) -> str:
    """A date in few words, for lists and tables: '16 Mar 2023', 'Mar 2023', '2024' (English); '2023년 3월'
    in Korean: a date without its day reads as one whose day is unknown."""
    chosen = current_words()
    if chosen.code == DEFAULT:
        return format_short_date(value)
    if precision_of(value) == "day":
        return chosen.date(value)
    skeleton = "yMMMM" if precision_of(value) == "month" else "y"
    return format_skeleton(skeleton, start_of(value), locale=chosen.locale)


def moment(value: datetime) -> str:
    return words(lang()).moment(value)


def number(value: float | int) -> str:
    return words(lang()).number(value)


def choose_language() -> str:
    """The language of this run: on a session's first run the link's (?lang=), else the browser's
    (st.context.locale), else English; then the reader's choice in the switcher (`language_ui`)."""
    if not is_language(st.session_state.get(Key.LANG)):
        st.session_state[Key.LANG] = pick_language(st.query_params.get("lang"), st.context.locale)
    return st.session_state[Key.LANG]


def language_ui(where) -> None:
    """The switcher: each language named in itself, under a label in all three (a reader who cannot read
    the page's language still finds it); the choice is kept in every link (`View.lang`)."""
    where.segmented_control(
        "Language · 언어 · 言語",
        list(LANGUAGES),
        key=Key.LANG,
        format_func=lambda code: LANGUAGES[code].name,
        selection_mode="single",
        required=True,
    )


def mark_language() -> None:
    """Say the page's language to browsers, screen readers and fonts: Streamlit serves every page as
    <html lang="en"> with no setting to change it, so a script sets it once the page is drawn (the
    served HTML still says en: recorded in docs/i18n.md). Glyph shapes follow it: Han characters in a
    Korean page are drawn the Korean way only under lang="ko"."""
    st.html(f"<script>document.documentElement.lang = {lang()!r};</script>", unsafe_allow_javascript=True)
