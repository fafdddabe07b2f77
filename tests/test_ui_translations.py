"""The Edit page's translations (#27): an editor writes a translation, sees it outdated once the English
changes, and marks one as reviewed; each a log entry with who and when. On a tracker the test builds."""

from __future__ import annotations

import pytest
import streamlit as st
import yaml
from conftest import ROOT, TODAY
from helpers import goto, open_section, plain
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "dashboard.py")


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    for name in ("TRACKER_EDITOR_PASSCODE", "TRACKER_EDITORS", "TRACKER_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def editor(demo_file, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "edit")
    at.text_input(key="editor_name").input("Ana").run()
    return open_section(at, "translations"), demo_file


def translations_of(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("translations", [])


def choose(at, shown: str):
    """Pick the text whose entry in the list ends with `shown` (the list names it, its id stays inside)."""
    box = at.selectbox(key="tr_key")
    [index] = [n for n, option in enumerate(box.options) if option.endswith(shown)]
    return box.select_index(index).run()


def test_an_editor_writes_then_reviews_a_translation(editor):
    at, path = editor
    assert not at.exception
    assert at.radio(key="tr_lang").value == "ko"
    at = choose(at, "“Normalise intelligence sharing” › title: Normalise intelligence sharing")
    assert at.text[0].value == "Normalise intelligence sharing"  # the English it translates, as it is
    at.text_input(key="tr_text_ko_recommendation|gsomia|title").input("정보 공유 정상화").run()
    at.button(key="tr_save").click().run()
    assert not at.exception and not at.error
    [saved] = translations_of(path)
    assert saved["lang"] == "ko" and saved["text"] == "정보 공유 정상화" and saved["author"] == "Ana"
    assert "reviewed_by" not in saved or saved["reviewed_by"] is None
    # The text is translated now: shown among all texts, and it can be reviewed.
    at.toggle(key="tr_open").set_value(False).run()
    at = choose(at, "“Normalise intelligence sharing” › title: Normalise intelligence sharing")
    said = [plain(caption.value) for caption in at.caption]
    assert "Translated: by Ana, 27 Nov 2026 at 23:59 UTC; not yet reviewed." in said
    at.text_input(key="editor_name").input("Ben").run()
    at.button(key="tr_review").click().run()
    latest = translations_of(path)[-1]
    assert latest["reviewed_by"] == "Ben" and latest["text"] == "정보 공유 정상화"


def test_an_empty_translation_saves_nothing_and_says_so(editor):
    at, path = editor
    at = choose(at, "“Normalise intelligence sharing” › title: Normalise intelligence sharing")
    at.button(key="tr_save").click().run()
    assert [error.value for error in at.error] == ["Nothing was saved: write the translation first."]
    assert translations_of(path) == []


def test_an_edit_of_the_english_marks_its_translation_outdated(editor):
    from tracker.storage.yaml_files import YamlStore
    from tracker.translation import describe_texts

    at, path = editor
    at = choose(at, "“Normalise intelligence sharing” › title: Normalise intelligence sharing")
    at.text_input(key="tr_text_ko_recommendation|gsomia|title").input("정보 공유 정상화").run()
    at.button(key="tr_save").click().run()
    store = YamlStore(path)
    store.edit_recommendation("gsomia", {"title": "Intelligence sharing restored"},
                              expected={"title": "Normalise intelligence sharing"},
                              author="Ana", recorded="2026-11-27T13:00:00Z", today=TODAY)  # fmt: skip
    shown = describe_texts(store.load(today=TODAY), "ko")
    assert shown[("recommendation", "gsomia", "title")].state == "outdated"
    st.cache_resource.clear()
    at = choose(at.run(), "“Intelligence sharing restored” › title: Intelligence sharing restored")
    assert any(
        plain(caption.value).startswith("Outdated (the English changed since): by Ana") for caption in at.caption
    )


# -- what a reader sees of translations (ui/reader.py) -------------------------------------------------


def test_a_reader_in_korean_sees_which_texts_are_english_outdated_or_translated(demo_file, monkeypatch):
    from tracker.language import words
    from tracker.storage.yaml_files import YamlStore
    from tracker.translation import add_translation
    from tracker.yaml_text import dump_tracker

    store = YamlStore(demo_file)
    tracker = store.load(today=TODAY)
    for field, text in (("title", "정보 공유 정상화"), ("quote", "정보 공유를 정상화해야 한다.")):
        fields = {"lang": "ko", "target": "recommendation", "id": "gsomia", "field": field, "text": text}
        tracker = add_translation(tracker, fields, author="Tracker project", recorded="2026-11-27T12:00:00Z")
    demo_file.write_text(dump_tracker(tracker), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ko"
    at = goto(at.run(), "recommendation", rec="gsomia")
    assert not at.exception
    w = words("ko")
    assert at.title[0].value == "정보 공유 정상화"
    captions = [plain(caption.value) for caption in at.caption]
    fields = w.commas([w.t("assessment"), w.t("what would count")])
    assert w.t("Not translated yet, shown in English: {fields}.", fields=fields) in captions
    # The quote stays in its words, as a quote; its translation follows, labelled, never as a quote.
    quote = tracker.recommendations[[r.id for r in tracker.recommendations].index("gsomia")].quote
    assert any(md.value.startswith("> ") and plain(md.value[2:]) == quote for md in at.markdown)
    label = w.t("Translation by {author}, not yet reviewed:", author="Tracker project")
    assert any(plain(md.value) == f"*{label}* 정보 공유를 정상화해야 한다." for md in at.markdown)
    # The English title corrected: its translation reads as outdated, and the page says so.
    store.edit_recommendation("gsomia", {"title": "Restore intelligence sharing"},
                              expected={"title": "Normalise intelligence sharing"},
                              author="Ana", recorded="2026-11-27T13:00:00Z", today=TODAY)  # fmt: skip
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ko"
    at = goto(at.run(), "recommendation", rec="gsomia")
    outdated = w.t(
        "Translation outdated (the English changed since; it will be updated): {fields}.", fields=w.t("title")
    )
    assert outdated in [plain(caption.value) for caption in at.caption]
