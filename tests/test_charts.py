"""Chart builders, checked through their Vega-Lite specs."""

from __future__ import annotations

from datetime import date

from conftest import TODAY

from tracker import analysis, charts


def _frame(tracker):
    return analysis.statuses_as_of(tracker, TODAY)


def test_status_by_category_is_stacked_bars_in_taxonomy_colours(tracker):
    spec = charts.chart_status_by_category(
        analysis.count_by(_frame(tracker), "category", tracker.tracker), tracker.tracker
    ).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "count" and spec["encoding"]["y"]["field"] == "group_label"
    assert spec["encoding"]["color"]["scale"]["domain"][:2] == ["Not started", "In progress"]
    assert spec["encoding"]["color"]["scale"]["range"][:2] == ["#9e9e9e", "#1f77b4"]
    assert spec["params"][0]["name"] == charts.PICK_CATEGORY
    rows = next(iter(spec["datasets"].values()))
    assert {row["count"] for row in rows} >= {1} and all(row["count"] > 0 for row in rows)


def test_scorecard_has_one_group_per_addressee(tracker):
    counts = analysis.count_by(_frame(tracker), "addressee", tracker.tracker)
    spec = charts.chart_scorecard(counts, tracker.tracker).to_dict()
    assert spec["encoding"]["x"]["field"] == "group_label"
    assert spec["encoding"]["xOffset"]["field"] == "status_label"
    rows = next(iter(spec["datasets"].values()))
    assert {row["group_label"] for row in rows} == {"Japan", "South Korea", "United States"}


def test_status_over_time_marks_context_events(tracker):
    start = date(2022, 7, 1)
    chart = charts.chart_status_over_time(
        analysis.count_status_over_time(tracker, start, TODAY),
        analysis.list_context_events(tracker, start, TODAY),
        tracker.tracker,
    )
    spec = chart.to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "rule", "point"]
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"
    events = [rows for name, rows in spec["datasets"].items() if rows and "kind_label" in rows[0]]
    assert events and events[0][0]["title"] == "Tokyo summit"


def test_timeline_bands_and_update_points(tracker):
    periods = analysis.list_status_periods(tracker, TODAY)
    points = analysis.list_update_points(tracker, ["export-controls"], TODAY)
    spec = charts.chart_timeline(periods, points, tracker.tracker).to_dict()
    bands, dots = spec["layer"]
    assert bands["mark"]["type"] == "bar" and bands["encoding"]["x2"]["field"] == "end"
    assert [t["field"] for t in dots["encoding"]["tooltip"]][2:4] == ["note", "source_title"]
    assert len(points) == 3
