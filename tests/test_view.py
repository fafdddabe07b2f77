"""Views and links: query parameters in, warnings for bad ones, links out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import TODAY

from tracker.messages import link_words
from tracker.view import View, build_link, find_close_recommendations, parse_view, view_to_params


def test_a_view_round_trips_through_its_link(tracker):
    view = View(
        as_of=date(2023, 3, 10),
        query="fund",
        rec="joint-fund",
        since=date(2023, 1, 1),
        filters={"status": ("partial",), "addressee": ("japan",), "category": ("trade",), "priority": ("low",)},
    )
    parsed, problems = parse_view(view_to_params(view, TODAY), tracker, TODAY)
    assert problems == [] and parsed == view


def test_defaults_are_left_out_of_links(tracker):
    assert view_to_params(View(as_of=TODAY), TODAY) == {}
    assert build_link("http://host/app", View(as_of=TODAY), TODAY) == "http://host/app"


NOW = datetime(2026, 11, 27, 14, 5, 0, tzinfo=timezone.utc)


def test_freeze_pins_the_as_of_date_and_the_moment(tracker):
    link = build_link("http://host/app", View(as_of=TODAY), TODAY, freeze_at=NOW)
    assert link == "http://host/app/?as_of=2026-11-27&frozen=1&published=2026-11-27T14:05:00Z"
    parsed, problems = parse_view(dict(parse_qsl(urlsplit(link).query)), tracker, TODAY, NOW)
    assert problems == [] and parsed.frozen and parsed.as_of == TODAY and parsed.published == NOW
    # A frozen view keeps its own moment when linked again.
    assert build_link("http://host/app", parsed, TODAY, freeze_at=NOW + timedelta(hours=1)) == link


def test_an_older_frozen_link_means_the_end_of_its_day(tracker):
    # The small tracker was first recorded on 27 Nov 2026 at noon.
    parsed, problems = parse_view({"as_of": "2026-11-27", "frozen": "1"}, tracker, TODAY, NOW)
    assert problems == [] and parsed.as_of == TODAY
    assert parsed.published == datetime(2026, 11, 27, 23, 59, 59, tzinfo=timezone.utc)
    # A day before the tracker existed pins its first record: such a link cannot be older than that.
    parsed, _ = parse_view({"as_of": "2023-03-10", "frozen": "1"}, tracker, TODAY, NOW)
    assert parsed.as_of == date(2023, 3, 10)
    assert parsed.published == datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", ["0999-12-31T23:59:59Z", "0999-12-31", "2026-11-27T11:59:59Z"])
def test_a_publication_time_before_the_tracker_pins_its_first_record(tracker, value):
    parsed, warnings = parse_view({"published": value}, tracker, TODAY, NOW)
    assert warnings == [] and parsed.published == datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
    assert parsed.as_of == TODAY  # the first record's day, not the year 999


@pytest.mark.parametrize(
    "value,warning",
    [
        (
            "yesterday",
            "The link's publication time 'yesterday' is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC); "
            "showing the tracker as published now.",
        ),
        (
            "2026-11-27T15:00:00Z",
            "The link's publication time 2026-11-27T15:00:00Z is in the future; showing the tracker as published now.",
        ),
    ],
)
def test_a_bad_publication_time_warns_and_shows_the_current_view(tracker, value, warning):
    parsed, problems = parse_view({"published": value}, tracker, TODAY, NOW)
    assert [link_words(p) for p in problems] == [warning] and not parsed.frozen


def test_bad_parameters_each_give_one_warning(tracker):
    params = {"status": "done,partial", "as_of": "2021-01-01", "rec": "x", "priority": "urgent,high"}
    view, problems = parse_view(params, tracker, TODAY)
    assert view == View(as_of=TODAY, filters={"status": ("partial",), "priority": ("high",)})
    assert [link_words(p) for p in problems] == [
        "The link's as-of date 2021-01-01 is before tracking began (2022-07-01); showing the default instead.",
        "The link points to a recommendation 'x' that this tracker does not have.",
        "The link asks for the status 'done', which this tracker does not have; it was ignored.",
        "The link asks for the priority 'urgent', which this tracker does not have; it was ignored.",
    ]


def test_a_priority_filter_keeps_those_recommendations_and_says_so(tracker):
    from tracker.analysis import statuses_as_of
    from tracker.view import describe_filters, filter_recommendations

    frame = statuses_as_of(tracker, TODAY)
    view = View(as_of=TODAY, filters={"priority": ("low",)})
    kept = filter_recommendations(frame, view)
    assert list(kept["id"]) == [rec.id for rec in tracker.recommendations if rec.priority == "low"] != []
    assert view.filtered and not View(as_of=TODAY).filtered
    assert describe_filters(view, tracker) == "Priority: Low"


def test_thousands_of_bogus_values_give_one_short_warning(tracker):
    params = {"status": ",".join(f"x{n}" for n in range(5000)) + ",partial", "category": "a,b"}
    view, problems = parse_view(params, tracker, TODAY)
    assert view.chosen("category") == ()
    assert [link_words(p) for p in problems] == [
        "The link asks for 200 statuses this tracker does not have ('x0', 'x1', 'x2' and 197 more); they were ignored.",
        "The link asks for 2 categories this tracker does not have ('a', 'b'); they were ignored.",
    ]


def test_links_name_their_page():
    view = View(as_of=date(2023, 3, 10), rec="joint-fund")
    assert build_link("http://host/app/", view, TODAY, page="recommendation") == (
        "http://host/app/recommendation?as_of=2023-03-10&rec=joint-fund"
    )
    assert build_link("http://host/app/", View(as_of=TODAY), TODAY, page="timeline") == "http://host/app/timeline"
    assert build_link("http://host/app/", view, TODAY) == "http://host/app/?as_of=2023-03-10&rec=joint-fund"


def test_each_page_keeps_only_what_it_shows():
    from ui.registry import page_view

    view = View(
        as_of=date(2023, 3, 10),
        query="fund",
        rec="joint-fund",
        since=date(2023, 1, 1),
        filters={"status": ("partial",)},
    )
    assert page_view(view, "") == View(as_of=date(2023, 3, 10))
    assert page_view(view, "recommendations") == View(
        as_of=date(2023, 3, 10), query="fund", filters={"status": ("partial",)}
    )
    assert page_view(view, "changes") == replace(page_view(view, "recommendations"), since=date(2023, 1, 1))
    assert page_view(view, "recommendation") == View(as_of=date(2023, 3, 10), rec="joint-fund")


@pytest.mark.parametrize(
    "params,page",
    [
        ({"rec": "joint-fund", "status": "partial"}, "recommendation"),
        ({"status": "partial", "as_of": "2023-03-10"}, "recommendations"),
        ({"q": "fund"}, "recommendations"),
        ({"priority": "high"}, "recommendations"),
        ({"since": "2023-01-01"}, "changes"),
        ({"as_of": "2023-03-10", "frozen": "1"}, None),
        ({"rec": "no-such-thing"}, None),  # a bad value is dropped (with a warning) before forwarding
    ],
)
def test_older_links_are_forwarded_to_the_page_that_shows_them(tracker, params, page):
    from ui.registry import forward_old_link

    view, _ = parse_view(params, tracker, TODAY)
    assert forward_old_link(view) == page


def test_a_mistyped_id_finds_the_closest_recommendations(tracker):
    assert find_close_recommendations("export-control", tracker) == ["export-controls"]
    assert find_close_recommendations("trilateral", tracker) == ["trilateral-talks"]  # a shortened id
    assert find_close_recommendations("Joint Fund!", tracker) == ["joint-fund"]  # by its title, in any case
    assert find_close_recommendations("nonexistent", tracker) == []
