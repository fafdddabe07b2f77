"""Words for problems: a link's for the page, a request's for the API, an update's for the Edit page.
The Edit page's table: each problem the core finds with an update, and the exact sentence an analyst reads."""

from __future__ import annotations

import pytest
from conftest import RECORDED, TODAY

from tracker.edits import build_update, insert_update
from tracker.errors import Problem, ValidationFailed
from tracker.messages import editor_words, link_words, request_words

STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "partial": "Partially implemented",
    "implemented": "Implemented",
}
SOURCE = {"url": "https://example.org/s", "title": "Fund report", "kind": "news"}


def problems_of(tracker, **fields) -> list[Problem]:
    """What the core says of an update to the joint fund with these fields (the date 1 Nov 2026 unless given)."""
    update = {"date": "2026-11-01", "status": "partial", "note": "Checked.", "sources": [SOURCE], "author": "Ana",
              "recorded": RECORDED, **fields}  # fmt: skip
    try:
        insert_update(tracker, "joint-fund", build_update(update), today=TODAY)
    except ValidationFailed as failed:
        return failed.problems
    return []


def words(problem: Problem, when: str = "1 Nov 2026") -> str:
    return editor_words(problem, title="Joint fund", when=when, statuses=STATUSES, kinds_words="official or news")


HEAD = "'Joint fund', the update of 1 Nov 2026: "


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"status": "implemented", "sources": []},
            HEAD + "it changes the status from Partially implemented to Implemented but cites no source. "
            "Add a source for this change (official or news), or keep the status.",
        ),
        (
            {"status": "implemented", "sources": [{**SOURCE, "kind": "repost"}]},
            HEAD + "it changes the status from Partially implemented to Implemented but cites only copies "
            "(reposts or aggregators). Add a source for this change (official or news), or keep the status.",
        ),
        (
            {"date": "2026-12-01"},
            HEAD + "the date is in the future (today is 27 Nov 2026). Pick the day it happened.",
        ),
        (
            {"date": "2021-03-01"},
            HEAD
            + "the date is before this recommendation's baseline (Jul 2022). Pick a date on or after the baseline.",
        ),
        ({"note": ""}, HEAD + "the note is empty. Write what happened, in your own words."),
        (
            {"note": "x" * 2001},
            HEAD + "the note is too long (2001 characters; the limit is 2000). Shorten it.",
        ),
        (
            {"note": "Bell\x07"},
            HEAD + "the note holds invisible control characters. Retype it as plain text.",
        ),
        (
            {"date": "2023-02-30"},
            HEAD + "the date is not a real date. Pick it in the calendar, or tick “Only the month is known”.",
        ),
        (
            {"sources": [{**SOURCE, "url": "javascript:alert(1)"}]},
            HEAD + "source 1's web address is not a web address. "
            "Paste the page's address, starting with http:// or https://.",
        ),
        ({"sources": [{**SOURCE, "title": ""}]}, HEAD + "source 1 has no title. Give the page's headline."),
        (
            {"sources": [{**SOURCE, "title": "Report\r=2+3"}]},
            HEAD + "source 1's title has a line break. Keep it on one line.",
        ),
        ({"sources": [{**SOURCE, "kind": None}]}, HEAD + "source 1 has no kind. Say what kind of source it is."),
        ({"status": "done"}, HEAD + "'done' is not a status. Choose one from the list."),
    ],
)
def test_each_problem_of_an_update_reads_in_the_analysts_words(tracker, fields, message):
    found = problems_of(tracker, **fields)
    assert [words(problem) for problem in found] == [message]


def test_the_same_update_twice_is_refused_in_plain_words(tracker):
    update = build_update({"date": "2026-11-01", "status": "partial", "note": "Checked.", "sources": [SOURCE],
                           "author": "Ana", "recorded": RECORDED})  # fmt: skip
    once = insert_update(tracker, "joint-fund", update, today=TODAY)
    with pytest.raises(ValidationFailed) as twice:
        insert_update(once, "joint-fund", update, today=TODAY)
    assert [words(p) for p in twice.value.problems] == [
        HEAD + "this update is already recorded. Nothing was added; it was saved before."
    ]


def test_a_link_and_a_request_word_the_same_problem_each_for_its_reader():
    problem = Problem(code="unknown_value", field="status", params={"values": ("done",)})
    assert (
        link_words(problem) == "The link asks for the status 'done', which this tracker does not have; it was ignored."
    )
    assert request_words(problem) == "The request asks for the status 'done', which this tracker does not have."
