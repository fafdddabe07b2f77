"""The languages the tracker speaks: their table, the catalogs of interface words, and dates and numbers
written the way each language writes them.

Nothing here holds a "current" language: a caller asks for the `Words` of a language and passes them on,
so two readers in two languages never share one (a process-wide language leaks between Streamlit
sessions: ../shared/research/streamlit-1.67-i18n-notes.md, section 1).

Interface words are gettext catalogs kept as text (tracker/locales/<lang>/LC_MESSAGES/messages.po, from
messages.pot), extracted from the code with Babel (`t`, `tn` and `mark` are the keywords) and compiled by
Babel when first read, so a catalog and what the app shows can never disagree. `scripts/check` fails when a
catalog misses a word, keeps a stale one or breaks a placeholder (tracker/catalog.py)."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .model import format_date as english_date
from .model import format_short_date as english_short_date
from .model import precision_of, start_of

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """One language: its code (as in ?lang=), its name in itself, the Babel locale its dates and numbers
    follow, and the fonts its text needs (a list ending in a generic family, so a missing font never
    blanks the text: vl-convert draws nothing for an unknown single family)."""

    code: str
    name: str
    locale: str
    fonts: str


# The languages, in the order the switcher offers them; the first is the default and the data's own.
LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "en_US", "'Source Sans 3', 'Noto Sans', 'Noto Sans CJK KR', sans-serif"),
    "ko": Language("ko", "한국어", "ko_KR", "'Noto Sans CJK KR', 'Noto Sans KR', 'Malgun Gothic', sans-serif"),
    "ja": Language("ja", "日本語", "ja_JP", "'Noto Sans CJK JP', 'Noto Sans JP', 'Yu Gothic', 'Meiryo', sans-serif"),
}
DEFAULT = "en"


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in LANGUAGES


def pick_language(asked: str | None, browser: str | None) -> str:
    """The language to show: the one the address asks for (?lang=), else the browser's (a tag such as
    'ko-KR'), else English."""
    if is_language(asked):
        return asked
    if browser:
        try:
            found = negotiate_locale([browser.replace("_", "-")], list(LANGUAGES), sep="-")
        except (ValueError, TypeError):
            found = None
        if found:
            return found
    return DEFAULT


@lru_cache(maxsize=None)
def catalog(code: str) -> gettext.NullTranslations:
    """The compiled catalog of a language (English is the words as written in the code). Read once per
    process: catalogs are read-only and shared by every session."""
    if code == DEFAULT:
        return gettext.NullTranslations()
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as file:
        parsed = read_po(file, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, parsed)  # fuzzy entries are left out, as pybabel compile leaves them
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def mark(message: str) -> str:
    """A word of the interface kept in a table and translated where it is shown (`Words.t`): marks it for
    extraction and returns it as it is."""
    return message


@dataclass(frozen=True)
class Words:
    """The interface words of one language, and its way of writing dates, numbers and lists."""

    code: str

    @property
    def language(self) -> Language:
        return LANGUAGES[self.code]

    @property
    def locale(self) -> Locale:
        return _locale(self.code)

    def t(self, message: str, **params) -> str:
        """The message in this language, its {placeholders} filled from `params`."""
        text = catalog(self.code).gettext(message)
        return text.format(**params) if params else text

    def tn(self, singular: str, plural: str, n: int, **params) -> str:
        """The singular or plural message for `n` (Korean and Japanese have one form), with {n} and `params`."""
        text = catalog(self.code).ngettext(singular, plural, n)
        return text.format(n=self.number(n), **params)

    def date(self, value: str | date) -> str:
        """A date as the sources give it (YYYY, YYYY-MM or YYYY-MM-DD), never inventing a day or a month:
        '16 Mar 2023', '2023년 3월 16일', '2023年3月16日'; 'Mar 2023 (day unknown)', '2023년 3월(일 미상)'."""
        text = value.isoformat() if isinstance(value, date) else value
        if self.code == DEFAULT:
            return english_date(text)
        start, precision = start_of(text), precision_of(text)
        if precision == "day":
            return babel_date(start, "long", locale=self.locale)
        if precision == "month":
            return self.t("{month} (day unknown)", month=format_skeleton("yMMMM", start, locale=self.locale))
        return self.t("{year} (month unknown)", year=format_skeleton("y", start, locale=self.locale))

    def short_date(self, value: str | date) -> str:
        """A date in few words, for lists: '16 Mar 2023', 'Mar 2023', '2024'; '2023년 3월', '2023年3月'."""
        text = value.isoformat() if isinstance(value, date) else value
        if self.code == DEFAULT:
            return english_short_date(text)
        start, precision = start_of(text), precision_of(text)
        if precision == "day":
            return babel_date(start, "long", locale=self.locale)
        return format_skeleton("yMMMM" if precision == "month" else "y", start, locale=self.locale)

    def day(self, value: date) -> str:
        """A whole day: '6 Dec 2026', '2026년 12월 6일', '2026年12月6日'."""
        return self.date(value.isoformat())

    def moment(self, value: datetime) -> str:
        """A record time to the minute, in UTC: '6 Dec 2026 at 14:05 UTC', '2026년 12월 6일 14:05 UTC'."""
        if self.code == DEFAULT:
            return f"{english_date(value.date().isoformat())} at {value:%H:%M} UTC"
        return f"{self.day(value.date())} {value:%H:%M} UTC"

    def number(self, value: float | int) -> str:
        """A number with this language's digits grouping: '1,234' (the three languages group alike)."""
        return format_decimal(value, locale=self.locale)

    def commas(self, items: list[str]) -> str:
        """Items in a run, as a count's parts: 'A, B, C' in English, 'A、B、C' in Japanese."""
        # TRANSLATORS: the separator between the items of a list such as '3 implemented, 2 stalled'.
        return self.t(", ").join(items)

    def join(self, items: list[str]) -> str:
        """'A, B and C', 'A, B 및 C', 'A、B、C'."""
        items = list(items)
        if self.code == DEFAULT:  # the English the tracker has always written (no serial comma)
            return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)
        return format_list(items, locale=self.locale) if items else ""


@lru_cache(maxsize=None)
def _locale(code: str) -> Locale:
    return Locale.parse(LANGUAGES[code].locale)


@lru_cache(maxsize=None)
def words(code: str) -> Words:
    """The words of a language (English for a code the tracker does not speak)."""
    return Words(code if is_language(code) else DEFAULT)


ENGLISH = words(DEFAULT)  # the core's words when a caller names no language: the code's own English
