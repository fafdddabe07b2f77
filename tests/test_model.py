"""Partial dates and small helpers of the schema."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.model import format_date, precision_of, slugify, start_of


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
