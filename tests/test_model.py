"""Partial dates, record times, the text rules and small helpers of the schema."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from tracker.model import (
    EDITABLE_FIELDS,
    MetadataChange,
    Source,
    Update,
    format_date,
    format_timestamp,
    parse_timestamp,
    precision_of,
    slugify,
    start_of,
)


@pytest.mark.parametrize(
    "value,start,precision,shown",
    [
        ("2023-03-16", date(2023, 3, 16), "day", "16 Mar 2023"),
        ("2023-03", date(2023, 3, 1), "month", "Mar 2023 (day unknown)"),
        ("2024", date(2024, 1, 1), "year", "2024 (month unknown)"),
    ],
)
def test_partial_dates(value, start, precision, shown):
    assert start_of(value) == start
    assert precision_of(value) == precision
    assert format_date(value) == shown


@pytest.mark.parametrize(
    "title,slug",
    [
        ("Lift Japan's export controls!", "lift-japan-s-export-controls"),
        ("  ", "recommendation"),
        ("Ré-établir le mécanisme", "r-tablir-le-m-canisme"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


# -- one-line and multi-line text ------------------------------------------------------------------

SOURCE = {"url": "https://example.org/a", "kind": "news"}
UPDATE = {"date": "2023-03", "status": "partial", "author": "Ana", "recorded": "2026-11-27T12:00:00Z"}


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"], ids=repr)
def test_a_one_line_field_refuses_every_line_break(brk):
    with pytest.raises(ValidationError) as refused:
        Source(**SOURCE, title=f"Briefing{brk}=2+3")
    assert [(e["loc"], e["msg"]) for e in refused.value.errors()] == [
        (("title",), "Value error, must be one line; remove the line break")
    ]


def test_multi_line_fields_keep_their_line_breaks():
    note = "First line.\r\nSecond line.\nThird.\r=2+3"
    assert Update(**UPDATE, note=note).note == note


# -- metadata changes: old and new are values of the field they name -------------------------------


def change(field, old, new):
    return MetadataChange(field=field, old=old, new=new, author="Ana", recorded="2026-11-27T13:00:00Z")


@pytest.mark.parametrize(
    "field,old,new",
    [
        ("title", "Old title", "New title"),
        ("quote", "Line one.\nLine two.", "Q."),
        ("addressees", ["japan"], ["japan", "south_korea"]),
        ("category", "trade", "history"),
        ("priority", "high", "low"),
        ("implied", False, True),
        ("review_interval_days", None, 30),
        ("assessment", {"date": "2026-10-01", "text": "Then."}, {"date": "2026-11-01", "text": "Now."}),
        ("criteria", "Done.", "Done, and kept."),
    ],
)
def test_every_editable_field_takes_values_of_its_own_type(field, old, new):
    assert EDITABLE_FIELDS.count(field) == 1
    assert (change(field, old, new).old, change(field, old, new).new) == (old, new)


@pytest.mark.parametrize(
    "field,old,message",
    [
        ("title", None, "does not fit the field 'title': it must be text"),
        ("title", "", "does not fit the field 'title': it must not be empty"),
        ("title", "Two\nlines", "does not fit the field 'title': it must be one line; remove the line break"),
        ("title", "x" * 161, "does not fit the field 'title': it is too long (the limit is 160 characters)"),
        ("addressees", "japan", "does not fit the field 'addressees': it must be a list"),
        ("addressees", [], "does not fit the field 'addressees': it must not be empty"),
        ("implied", "maybe", "does not fit the field 'implied': it must be true or false"),
        ("implied", float("nan"), "holds NaN or infinity, which is not a number; write a real number"),
        ("review_interval_days", 0, "does not fit the field 'review_interval_days': it must be at least 1"),
        ("review_interval_days", float("inf"), "holds NaN or infinity, which is not a number; write a real number"),
        ("assessment", {"date": "2026-10-01"}, "does not fit the field 'assessment': its text is missing"),
        ("assessment", "Judged.", "does not fit the field 'assessment': it must be a set of fields"),
        ("colour", [1.0, float("nan")], "holds NaN or infinity, which is not a number; write a real number"),
    ],
)
def test_a_value_that_does_not_fit_its_field_is_refused(field, old, message):
    with pytest.raises(ValidationError) as refused:
        change(field, old, None if field == "review_interval_days" else old)
    errors = refused.value.errors()
    assert errors[0]["loc"] == ("old",) and errors[0]["msg"] == f"Value error, {message}"


# -- record times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment,stamp",
    [
        (datetime(999, 12, 31, 23, 59, 59, tzinfo=timezone.utc), "0999-12-31T23:59:59Z"),
        (datetime(1, 1, 1, tzinfo=timezone.utc), "0001-01-01T00:00:00Z"),
        (datetime(2026, 11, 27, 12, 0, 0, 987654), "2026-11-27T12:00:00Z"),  # naive means UTC; no fractions
        (datetime(2026, 11, 27, 21, 0, tzinfo=timezone(timedelta(hours=9))), "2026-11-27T12:00:00Z"),
    ],
)
def test_record_times_are_written_with_four_digit_years(moment, stamp):
    assert format_timestamp(moment) == stamp
    assert parse_timestamp(stamp) == moment.replace(microsecond=0, tzinfo=moment.tzinfo or timezone.utc)


def test_years_before_1000_are_shown_with_four_digits():
    assert format_date("0999-12-31") == "31 Dec 0999"
