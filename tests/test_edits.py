"""Pure changes to a tracker, tested directly (the stores and the page apply these same functions)."""

from __future__ import annotations

import pytest
from conftest import RECORDED, TODAY

from tracker import edits
from tracker.errors import Conflict, NotFound, ValidationFailed


def _update(when: str, status: str = "partial", note: str = "Checked.") -> object:
    sources = [{"url": "https://example.org/e", "title": "Evidence", "kind": "news"}]
    return edits.build_update(
        {"date": when, "status": status, "note": note, "sources": sources, "author": "T", "recorded": RECORDED}
    )


def test_a_back_dated_update_lands_in_date_order(tracker):
    new = edits.insert_update(tracker, "joint-fund", _update("2024-05-01", note="Back-dated."), today=TODAY)
    notes = [u.note for u in edits.find_recommendation(new, "joint-fund").updates]
    assert notes.index("Back-dated.") == 2 and len(notes) == 4
    assert edits.find_recommendation(tracker, "joint-fund").updates[-1].note != "Back-dated."  # the input is kept


def test_an_update_before_the_baseline_is_refused(tracker):
    with pytest.raises(ValidationFailed) as failed:
        edits.insert_update(tracker, "joint-fund", _update("2021-01-01"), today=TODAY)
    assert "before this recommendation's baseline of 2022-07" in str(failed.value)


def test_an_unknown_id_is_not_found(tracker):
    with pytest.raises(NotFound) as missing:
        edits.find_recommendation(tracker, "no-such-id")
    assert str(missing.value) == "There is no recommendation with the id 'no-such-id'; check the id in the table."


def test_an_edit_someone_else_made_meanwhile_is_a_conflict(tracker):
    renamed = edits.edit_recommendation(
        tracker, "joint-fund", {"title": "First"}, expected={}, author="A", recorded=RECORDED, today=TODAY
    )
    with pytest.raises(Conflict):
        edits.edit_recommendation(
            renamed,
            "joint-fund",
            {"title": "Second"},
            expected={"title": "Joint fund"},
            author="B",
            recorded=RECORDED,
            today=TODAY,
        )


def test_triage_names_every_row_problem_before_saving_any(tracker):
    rows = [
        {"id": "joint-fund", "status": "implemented", "note": "", "source_url": ""},
        {"id": "trilateral-talks", "status": "in_progress", "note": "Talks.", "source_url": "https://e.org/x"},
        {"id": "gone", "status": "partial", "note": "x"},
    ]
    with pytest.raises(ValidationFailed) as failed:
        edits.apply_triage(tracker, rows, author="A", recorded=RECORDED, today=TODAY)
    assert [p.message for p in failed.value.problems] == [
        "'Joint fund': write a note saying what happened.",
        "'Joint fund': a status change needs a source; add its web address and title.",
        "'Trilateral talks': give the source a title.",
        "'Trilateral talks': say what kind of source it is (official, news, repost).",
        "There is no recommendation with the id 'gone'; check the id in the table.",
    ]
