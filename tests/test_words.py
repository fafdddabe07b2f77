"""The interface in the reader's language (ui/words.py): a pseudo-localisation of every page, in which each
word of the catalogs reads "⟦word⟧", proves that no English is left outside the catalogs (the data's own
texts excepted), with no translation needed; and the language of a link (?lang=) is kept by the page and
its links."""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
from html.parser import HTMLParser

import pytest
import streamlit as st
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from conftest import ROOT, TODAY, make_demo_data
from helpers import goto, open_section
from streamlit.testing.v1 import AppTest

from tracker import analysis, evidence, language

APP = str(ROOT / "dashboard.py")
PASSCODE = "opal-harbour-lantern"
OPEN, CLOSE = "⟦", "⟧"
CORE_OPEN, CORE_CLOSE = "⟪", "⟫"  # a sentence the core still writes in English (issue #27: the core's part)


def _catalogs_script():
    spec = importlib.util.spec_from_file_location("catalogs_script", ROOT / "scripts" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """Every word of the code, as `scripts/catalogs.py extract` finds it."""
    return _catalogs_script().extract()


def pseudo_translations(extracted: Catalog) -> gettext.GNUTranslations:
    """A Korean catalog in which every word reads ⟦word⟧ (its placeholders intact; Korean has one plural
    form, so a plural word reads as its plural)."""
    pseudo = Catalog(locale="ko", charset="utf-8")
    for message in extracted:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            pseudo.add(message.id, (OPEN + message.id[1] + CLOSE,))
        else:
            pseudo.add(message.id, OPEN + message.id + CLOSE)
    compiled = io.BytesIO()
    write_mo(compiled, pseudo)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@pytest.fixture
def pseudo(extracted, monkeypatch):
    """Korean reads as the pseudo-language (the catalog every `Words` reads: tracker.language.catalog)."""
    translations = pseudo_translations(extracted)
    monkeypatch.setattr(language, "catalog", lambda code: gettext.NullTranslations() if code == "en" else translations)
    return translations


# The core's sentences the pages show as they come (the lead is making the core speak every language): each
# is marked ⟪...⟫ here, so the test sees them for what they are, and the list shrinks as the core learns.
# Every sentence of the core now comes in the reader's language (their `w` parameter). A list's evidence
# names its source ("example.org, news": the site and the kind's label, data), so it is let through.
CORE_SENTENCES = ((evidence, "label_evidence"),)
CORE_CONSTANTS = ()


def _core(text: str) -> str:
    return f"{CORE_OPEN}{text}{CORE_CLOSE}" if text else text


@pytest.fixture
def core_marked(monkeypatch):
    """The core's English sentences marked ⟪...⟫ (see CORE_SENTENCES)."""
    for module, name in CORE_SENTENCES:
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _f=original, **k: _core(_f(*a, **k)))
    charts = analysis.describe_charts
    monkeypatch.setattr(
        analysis, "describe_charts", lambda *a, **k: {key: _core(text) for key, text in charts(*a, **k).items()}
    )
    for module, name in CORE_CONSTANTS:
        monkeypatch.setattr(module, name, _core(getattr(module, name)))


@pytest.fixture(autouse=True)
def fresh_caches(demo_file, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    for name in ("TRACKER_EDITORS", "TRACKER_READ_ONLY", "TRACKER_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    yield


# -- what a page shows ---------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")
        for name, value in attrs:
            if name in ("aria-label", "title", "data-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(body: str) -> str:
    parser = _Text()
    parser.feed(body)
    return " ".join(parser.parts)


TEXT_ELEMENTS = {"title", "header", "subheader", "caption", "markdown", "error", "warning", "info", "success", "toast"}


def shown_texts(at) -> list[tuple[str, str]]:
    """Every interface text of the page (kind, text): headings, captions, Markdown, alerts, the labels,
    help and placeholders of widgets, buttons, tabs, expanders and popovers, and the text of HTML parts."""
    found = []
    for root in (at.main, at.sidebar):
        for node in root:
            kind = getattr(node, "type", "")
            proto = getattr(node, "proto", None)
            if hasattr(node, "children"):  # a block: its own label (tabs, expanders, popovers)
                label = getattr(node, "label", None)
                if not isinstance(label, str):
                    label = getattr(getattr(proto, "popover", None), "label", None)
                if isinstance(label, str) and label:
                    found.append((kind, label))
                continue
            if kind in TEXT_ELEMENTS:
                found.append((kind, node.value))
            elif kind == "html":
                found.append((kind, html_text(proto.body)))
            else:
                for part in ("label", "help", "placeholder"):
                    value = getattr(proto, part, None) if proto is not None else None
                    if isinstance(value, str) and value:
                        found.append((f"{kind}.{part}", value))
    return found


def data_texts() -> list[str]:
    """Every text of the test tracker's data (titles, labels, notes, names...), longest first."""
    texts = set()

    def walk(value):
        if isinstance(value, str):
            texts.update({value, value.lower()})
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(make_demo_data())
    return sorted((text for text in texts if len(text) > 1), key=len, reverse=True)


def strip_wrapped(text: str) -> str:
    """The text without its pseudo-translated parts (nested ones too)."""
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        shorter = inner.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def english_left(text: str, data: list[str]) -> str:
    """The words of `text` that are neither pseudo-translated nor the data's own: what would stay in English."""
    text = re.sub(r"\\(.)", r"\1", text).replace("\xa0", " ")
    text = re.sub(r"\]\([^)]*\)", "] ", text)  # a Markdown link's address
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r":small\[", " ", text)  # Streamlit's small-text markup (a history entry's byline), not a word
    text = re.sub(f"{CORE_OPEN}[^{CORE_CLOSE}]*{CORE_CLOSE}", " ", text)
    text = strip_wrapped(text)
    text = re.sub(ENGLISH_DATE, " ", text)
    for item in data:
        text = text.replace(item, " ")
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    return " ".join(word for word in words if word not in NOT_WORDS)


# Names that are the same in every language (formats, standards, the time zone).
NOT_WORDS = {"UTC", "BibTeX", "RIS", "APA", "CSV", "JSON", "YAML", "HTML", "PNG", "SVG"}
# Dates the core writes in English in its tables (history_of, list_context_events, list_window_updates,
# list_latest_changes: their date columns), until it writes them in the reader's language.
ENGLISH_DATE = (
    r"(\b\d{1,2} )?\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}( \(day unknown\))?|\d{4} \(month unknown\)"
)
# The language switcher's label is in all three languages on purpose (ui/words.language_ui).
SWITCHER = "Language · 언어 · 言語"


READER_PAGES = ("", "recommendations", "recommendation", "timeline", "changes", "methodology", "suggest")


def english_on(at) -> list[tuple[str, str]]:
    data = data_texts()
    return [(kind, text) for kind, text in shown_texts(at) if text != SWITCHER and english_left(text, data)]


@pytest.mark.parametrize("page", READER_PAGES)
def test_every_reader_page_speaks_the_pseudo_language(pseudo, core_marked, page, monkeypatch):
    monkeypatch.setenv("TRACKER_SUGGESTIONS", "on")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ko"
    at.run()
    at = goto(at, page, lang="ko")
    assert not at.exception
    left = english_on(at)
    assert left == [], "\n".join(f"{kind}: {text!r}" for kind, text in left)


def test_the_check_finds_english_left_outside_the_catalogs():
    data = data_texts()
    assert english_left("⟦As of {date}⟧ · Lift export controls · 2023년 3월 16일", data) == ""
    assert english_left("⟦Filters⟧ Clear filters", data) == "Clear filters"
    assert english_left("⟦Shown⟧ ⟪The core's own sentence.⟫ 16 Mar 2023", data) == ""


def pseudo_app(page: str = "", **params):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ko"
    at.run()
    return goto(at, page, lang="ko", **params)


def test_the_pages_of_an_unknown_id_and_of_a_suggestion_speak_it_too(pseudo, core_marked):
    at = pseudo_app("recommendation", rec="no-such-thing")
    assert not at.exception
    assert at.title[0].value == "⟦No such recommendation⟧"
    assert english_on(at) == []
    at = pseudo_app("suggestion", ref="S-NOSUCH")
    assert not at.exception
    assert at.title[0].value == "⟦Your suggestion⟧"
    left = [(kind, text) for kind, text in english_on(at) if kind != "error"]  # NotFound: the core's words
    assert left == []


@pytest.mark.parametrize("section", ["update", "review", "triage", "add", "details", "suggestions"])
def test_the_edit_page_speaks_it_too(pseudo, core_marked, monkeypatch, section):
    monkeypatch.setenv("TRACKER_EDITOR_PASSCODE", PASSCODE)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ko"
    at.run()
    assert at.sidebar.text_input(key="passcode").label == "⟦Editor passcode⟧"
    at.sidebar.text_input(key="passcode").input(PASSCODE)
    at.sidebar.button(key="unlock").click().run()
    assert at.title[0].value == "⟦Edit the tracker⟧"  # unlocking opens the Edit page
    at.text_input(key="editor_name").input("Ana").run()
    at = open_section(at, section)
    assert not at.exception
    left = english_on(at)
    assert left == [], "\n".join(f"{kind}: {text!r}" for kind, text in left)
    # The sections are offered by their ids, shown in the reader's language.
    (choice,) = [radio for radio in at.radio if radio.key == "edit_section"]
    assert all(option.startswith(OPEN) for option in choice.options)


# -- the language of a link ------------------------------------------------------------------------------


def test_a_japanese_link_gives_japanese_and_its_links_keep_it():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ja"
    at.run()
    assert not at.exception
    assert at.session_state["f_lang"] == "ja"
    at = goto(at, "recommendations")  # a click in the sidebar: the address loses its query string
    assert at.session_state["f_lang"] == "ja"  # kept from page to page
    assert at.query_params["lang"] in ("ja", ["ja"])  # and written back into the address
    share = next(m.value for m in at.sidebar.markdown if "lang=ja" in m.value)
    assert "lang=ja" in share  # the link to this view
    table = next(h.proto.body for h in at.get("html") if "rec-table" in h.proto.body)
    assert "lang=ja" in table  # each recommendation's link


def test_english_is_the_default_and_adds_nothing_to_links():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.session_state["f_lang"] == "en"
    assert "lang" not in at.query_params
