"""The data in other languages (tracker.translation): fingerprints, the log in force, outdated and missing
texts, the quote kept in its words, frozen views, storage round trips, and the refusals."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_data

from tracker.edition import as_published
from tracker.edits import edit_recommendation
from tracker.errors import ValidationFailed
from tracker.model import parse_timestamp
from tracker.storage import open_store
from tracker.translation import (
    add_translation,
    apply_sheet,
    count_states,
    describe_texts,
    fingerprint_text,
    list_english,
    make_sheet,
    read_in,
    review_translation,
)
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker, parse_yaml

WRITTEN = "2026-11-27T12:00:00Z"
LATER = "2026-11-27T15:00:00Z"


def _tracker():
    return validate_data(make_data(), today=TODAY)


def _translated():
    tracker = _tracker()
    rec = tracker.recommendations[0]
    for field, text in (("title", "수출 규제"), ("quote", "번역된 인용문"), ("criteria", "기준")):
        tracker = add_translation(
            tracker,
            {"lang": "ko", "target": "recommendation", "id": rec.id, "field": field, "text": text},
            author="Tracker project",
            recorded=WRITTEN,
        )
    return add_translation(
        tracker,
        {"lang": "ko", "target": "status", "id": "implemented", "field": "label", "text": "이행 완료"},
        author="Tracker project",
        recorded=WRITTEN,
    )


def test_a_translation_records_the_fingerprint_of_the_english_it_translates():
    tracker = _translated()
    rec = tracker.recommendations[0]
    assert tracker.translations[0].english == fingerprint_text(rec.title) != fingerprint_text(rec.title + ".")
    assert len(fingerprint_text("x")) == 16


def test_read_in_a_language_translates_what_is_translated_and_keeps_the_quote():
    tracker = _translated()
    read, shown = read_in(tracker, "ko")
    rec, original = read.recommendations[0], tracker.recommendations[0]
    assert rec.title == "수출 규제" and rec.criteria == "기준"
    assert rec.quote == original.quote  # the quote stays in its words; its translation is shown beside it
    assert {s.id: s.label for s in read.settings.statuses}["implemented"] == "이행 완료"
    assert read.recommendations[1].title == tracker.recommendations[1].title  # missing: English
    assert shown[("recommendation", original.id, "title")].state == "translated"
    assert shown[("recommendation", tracker.recommendations[1].id, "title")].state == "missing"
    assert read_in(tracker, "en") == (tracker, {})


def test_an_edit_of_the_english_marks_its_translations_outdated():
    tracker = _translated()
    rec = tracker.recommendations[0]
    edited = edit_recommendation(
        tracker, rec.id, {"title": rec.title + " (corrected)"}, expected={}, author="Ana", recorded=LATER, today=TODAY
    )
    shown = describe_texts(edited, "ko")
    assert shown[("recommendation", rec.id, "title")].state == "outdated"
    assert shown[("recommendation", rec.id, "criteria")].state == "translated"
    # Still shown (marked outdated) until someone updates it; then current again.
    assert read_in(edited, "ko")[0].recommendations[0].title == "수출 규제"
    fixed = add_translation(
        edited,
        {"lang": "ko", "target": "recommendation", "id": rec.id, "field": "title", "text": "수출 규제 (수정)"},
        author="Tracker project",
        recorded=LATER,
    )
    assert describe_texts(fixed, "ko")[("recommendation", rec.id, "title")].state == "translated"
    assert read_in(fixed, "ko")[0].recommendations[0].title == "수출 규제 (수정)"


def test_a_review_is_a_new_entry_and_a_view_published_before_it_shows_none():
    tracker = _translated()
    key = ("recommendation", tracker.recommendations[0].id, "title")
    reviewed = review_translation(tracker, "ko", key, reviewer="Kim Min-ji", recorded=LATER)
    assert describe_texts(reviewed, "ko")[key].reviewed
    assert describe_texts(reviewed, "ko")[key].translation.reviewed_by == "Kim Min-ji"
    before = as_published(reviewed, parse_timestamp("2026-11-27T13:00:00Z"))
    assert not describe_texts(before, "ko")[key].reviewed
    assert len(before.translations) == len(tracker.translations)  # the review is not there yet
    counts = count_states(describe_texts(reviewed, "ko"))
    assert counts["reviewed"] == 1 and counts["translated"] == 4 and counts["outdated"] == 0
    assert counts["missing"] == len(list_english(reviewed)) - 4


def test_translations_round_trip_canonically_and_after_the_recommendations(tmp_path):
    tracker = _translated()
    text = dump_tracker(tracker)
    assert text.index("\nrecommendations:\n") < text.index("\ntranslations:\n")
    data, _ = parse_yaml(text.encode(), "t.yaml")
    assert dump_tracker(validate_data(data, today=TODAY)) == text
    assert "translations" not in dump_tracker(_tracker())  # none: nothing written


@pytest.mark.parametrize("kind", ["yaml", "sqlite"])
def test_translations_survive_every_store_and_a_save_keeps_them(kind, tmp_path):
    tracker = _translated()
    location = str(tmp_path / "t.yaml") if kind == "yaml" else f"sqlite:///{tmp_path / 't.db'}"
    store = open_store(location)
    store.replace(tracker, today=TODAY)
    assert open_store(location).load(today=TODAY).translations == tracker.translations
    key = ("recommendation", tracker.recommendations[0].id, "title")
    store.change(lambda t: review_translation(t, "ko", key, reviewer="Sato Yui", recorded=LATER), today=TODAY)
    assert len(open_store(location).load(today=TODAY).translations) == len(tracker.translations) + 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"lang": "fr"},
            "translation 1 › lang: 'fr' is not a language the tracker translates into; use one of: ko, ja.",
        ),
        ({"id": "no-such-rec"}, "translation 1 › id: the tracker has no recommendation 'no-such-rec' to translate."),
        (
            {"field": "addressees"},
            "translation 1: the field 'addressees' of a recommendation is not translated "
            "(title, quote, assessment, criteria are).",
        ),
        (
            {"english": "abc"},
            "translation 1 › english: must be the 16-character fingerprint of the English it translates.",
        ),
        ({"text": ""}, "translation 1 › text: must not be empty."),
        ({"reviewed_by": "Kim"}, "translation 1: a review names both who reviewed the translation and when."),
    ],
)
def test_a_bad_translation_is_refused_in_one_plain_sentence(entry, message):
    data = make_data()
    rec_id = data["recommendations"][0]["id"]
    good = {"lang": "ko", "target": "recommendation", "id": rec_id, "field": "title", "text": "제목",
            "english": "0" * 16, "author": "Tracker project", "recorded": WRITTEN}  # fmt: skip
    data["translations"] = [{**good, **entry}]
    with pytest.raises(ValidationFailed) as failed:
        validate_data(data, today=TODAY)
    assert [str(problem) for problem in failed.value.problems] == [message]


def test_a_worksheet_goes_out_with_the_english_and_comes_back_whole_or_not_at_all():
    tracker = _translated()
    sheet = make_sheet(tracker, "ko")
    keys = [(e["target"], e.get("id"), e["field"]) for e in sheet["texts"]]
    assert ("recommendation", tracker.recommendations[0].id, "title") not in keys  # translated already
    assert len(keys) == len(list_english(tracker)) - 4
    assert make_sheet(tracker, "ko", everything=True)["texts"][0] == {
        "target": "settings", "field": "title", "english": tracker.settings.title, "text": ""}  # fmt: skip
    sheet["texts"][0]["text"] = "추적기"
    sheet["texts"][1]["text"] = "방법"
    changed, added, problems = apply_sheet(tracker, sheet, author="Tracker project", recorded=LATER)
    assert (added, problems) == (2, [])
    assert read_in(changed, "ko")[0].settings.title == "추적기"
    # Applied again: nothing new.
    assert apply_sheet(changed, sheet, author="Tracker project", recorded=LATER)[1] == 0
    # An English that changed since the sheet was made refuses the sheet, in one sentence per text.
    sheet["texts"][1]["english"] = "Something else."
    _, _, problems = apply_sheet(tracker, sheet, author="Tracker project", recorded=LATER)
    assert [p.message for p in problems] == [
        "Text 2 (settings, methodology): the English has changed since the worksheet was made; make a new "
        "worksheet and translate the English as it now reads."
    ]
    assert apply_sheet(tracker, {"texts": []}, author="A", recorded=LATER)[2][0].message == (
        "The worksheet must have `lang` and a list of `texts`."
    )


def test_the_command_line_writes_a_sheet_and_applies_it_all_or_nothing(tmp_path, capsys, monkeypatch):
    import yaml

    from tracker.cli import main

    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    data = tmp_path / "t.yaml"
    data.write_text(dump_tracker(_tracker()), encoding="utf-8")
    sheet = tmp_path / "sheet.yaml"
    assert main(["translations", "sheet", "--data", str(data), "--lang", "ja", "--out", str(sheet)]) == 0
    filled = yaml.safe_load(sheet.read_text(encoding="utf-8"))
    filled["texts"][0]["text"] = "追跡"
    filled["texts"][1]["id"] = "nope"
    filled["texts"][1]["target"] = "recommendation"
    filled["texts"][1]["field"] = "title"
    filled["texts"][1]["text"] = "x"
    sheet.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    before = data.read_bytes()
    assert main(["translations", "apply", "--data", str(data), str(sheet), "--author", "Tracker project"]) == 1
    assert "Text 2: the tracker has no recommendation 'nope' to translate." in capsys.readouterr().err
    assert data.read_bytes() == before  # nothing written
    del filled["texts"][1]
    sheet.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    assert main(["translations", "apply", "--data", str(data), str(sheet), "--author", "Tracker project"]) == 0
    assert capsys.readouterr().out.startswith("Added 1 translation(s) to ")
    assert open_store(str(data)).load(today=TODAY).translations[0].text == "追跡"
