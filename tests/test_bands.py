"""The Timeline's timeline per recommendation as HTML rows (ui/bands.py): one link per recommendation, its
bands placed on one time scale, every text from the data escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd
import pytest
from conftest import TODAY, make_busy_data

from tracker import charts
from tracker.language import words
from tracker.validation import validate_data
from tracker.view import View
from ui.bands import place, render_timeline


@pytest.mark.parametrize(
    ("when", "expected"),
    [(date(2022, 7, 1), 0.0), (date(2026, 7, 1), 100.0), (date(2024, 7, 1), 50.0), (date(2020, 1, 1), 0.0),
     (date(2030, 1, 1), 100.0)],
    ids=["start", "end", "middle", "before", "after"],
)  # fmt: skip
def test_a_day_is_placed_on_the_scale_and_never_off_it(when, expected):
    assert place(when, date(2022, 7, 1), date(2026, 7, 1)) == pytest.approx(expected, abs=0.05)


def render(tracker, lang: str = "en") -> str:
    rows = charts.chart_data(tracker, View(as_of=TODAY), names=("timeline",))
    colours = {status.id: status.colour for status in tracker.settings.statuses}
    return render_timeline(rows["periods"], rows["points"], colours, "https://example.org/", {"lang": lang},
                           words(lang), title="Timeline per recommendation")  # fmt: skip


def test_each_recommendation_is_one_link_with_its_bands_in_order():
    tracker = validate_data(make_busy_data(), today=TODAY)
    page = render(tracker)
    links = re.findall(r'<li><a href="([^"]*)"><span class="tl-name">([^<]*)</span>', page)
    assert [html.unescape(name) for _, name in links] == [rec.title for rec in tracker.recommendations]
    assert links[0][0] == f"https://example.org/recommendation?lang=en&amp;rec={tracker.recommendations[0].id}"
    # The key names each status shown with its colour, in the statuses' order.
    key = re.findall(r'<li><span style="background:([^"]*)"></span>([^<]*)</li>', page)
    statuses = [(status.colour, status.label) for status in tracker.settings.statuses]
    assert key and key == [pair for pair in statuses if pair in key]
    for row in page.split("<li><a ")[1:]:
        lefts = [float(x) for x in re.findall(r'class="tl-band" style="left:([\d.]+)%', row)]
        widths = [float(x) for x in re.findall(r'class="tl-band" style="left:[\d.]+%;width:([\d.]+)%', row)]
        assert lefts == sorted(lefts) and lefts[0] == 0.0  # from the first tracked day, in order
        assert lefts[-1] + widths[-1] == pytest.approx(100.0, abs=0.01)  # up to the day shown
        assert '</span><span class="tl-said">: ' in row  # its statuses in words for a screen reader


def test_the_words_are_the_pages_language():
    tracker = validate_data(make_busy_data(), today=TODAY)
    page = render(tracker, "ko")
    said = re.findall(r'<span class="tl-said">: ([^<]*)</span>', page)
    assert said and all("부터" in line for line in said)


@pytest.mark.parametrize(
    "title",
    ['<img src=x onerror="alert(1)">', "Quotes \" and ' & ampersands", '=HYPERLINK("https://evil.example")'],
    ids=["markup", "quotes", "formula"],
)
def test_text_from_the_data_is_never_markup(title):
    periods = pd.DataFrame({
        "rec_id": ["x"], "rec_order": [0], "title": [title], "status": ["not_started"],
        "status_label": [title], "start": [pd.Timestamp("2022-07-01")], "end": [pd.Timestamp("2026-11-27")],
    })  # fmt: skip
    points = pd.DataFrame({
        "rec_id": ["x"], "start": [pd.Timestamp("2023-01-01")], "date_label": [title], "status_label": [title],
        "note": [title],
    })  # fmt: skip
    page = render_timeline(periods, points, {"not_started": '"><script>'}, "https://example.org/", {}, words("en"),
                           title=title)  # fmt: skip
    assert "<img" not in page and "<script" not in page and 'onerror="' not in page
    assert page.count("<a ") == 1


def test_no_period_draws_nothing():
    empty = pd.DataFrame(columns=["rec_id", "rec_order", "title", "status", "status_label", "start", "end"])
    assert render_timeline(empty, empty, {}, "https://example.org/", {}, words("en"), title="T") == ""


def test_a_limit_shows_the_first_recommendations_on_the_whole_views_scale():
    tracker = validate_data(make_busy_data(), today=TODAY)
    rows = charts.chart_data(tracker, View(as_of=TODAY), names=("timeline",))
    colours = {status.id: status.colour for status in tracker.settings.statuses}
    whole = render_timeline(
        rows["periods"], rows["points"], colours, "https://example.org/", {}, words("en"), title="T"
    )
    first = render_timeline(rows["periods"], rows["points"], colours, "https://example.org/", {}, words("en"), title="T",
                            limit=3)  # fmt: skip
    names = re.findall(r'<span class="tl-name">([^<]*)</span>', first)
    assert [html.unescape(name) for name in names] == [rec.title for rec in tracker.recommendations[:3]]
    rows_of = lambda page: re.findall(r"<li><a .*?</a></li>", page)  # noqa: E731
    assert rows_of(first) == rows_of(whole)[:3]  # each row as in the whole list: the same scale
    assert re.search(r'<p class="tl-years".*?</p>', first)[0] == re.search(r'<p class="tl-years".*?</p>', whole)[0]
