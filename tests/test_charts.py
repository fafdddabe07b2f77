"""Chart builders, checked through their Vega-Lite specs."""

from __future__ import annotations

import json
import re
from datetime import date

import altair as alt
import pandas as pd
import pytest
import vl_convert
from conftest import TODAY

from tracker import analysis, charts
from tracker.view import View


def _frame(tracker):
    return analysis.statuses_as_of(tracker, TODAY)


def test_status_by_category_is_stacked_bars_in_taxonomy_colours(tracker):
    spec = charts.chart_status_by_category(
        analysis.count_by(_frame(tracker), "category", tracker.settings), tracker.settings
    ).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "count" and spec["encoding"]["y"]["field"] == "group_label"
    assert spec["encoding"]["color"]["scale"]["domain"][:2] == ["No step found", "In progress"]
    assert spec["encoding"]["color"]["scale"]["range"][:2] == ["#868686", "#332288"]
    assert spec["params"][0]["name"] == charts.PICK_CATEGORY
    assert spec["transform"] == [{"filter": "(datum['count'] > 0)"}]  # empty slices are not drawn
    rows = next(iter(spec["datasets"].values()))
    assert {row["count"] for row in rows} >= {0, 1}


def test_scorecard_has_one_group_per_addressee(tracker):
    counts = analysis.count_by(_frame(tracker), "addressee", tracker.settings)
    spec = charts.chart_scorecard(counts, tracker.settings).to_dict()
    assert spec["encoding"]["x"]["field"] == "group_label"
    assert spec["encoding"]["xOffset"]["field"] == "status_label"
    rows = next(iter(spec["datasets"].values()))
    assert {row["group_label"] for row in rows} == {"Japan", "South Korea", "United States"}


def test_status_over_time_marks_context_events(tracker):
    start = date(2022, 7, 1)
    chart = charts.chart_status_over_time(
        analysis.count_status_over_time(tracker, start, TODAY),
        analysis.list_context_events(tracker, start, TODAY),
        tracker.settings,
    )
    spec = chart.to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "rule", "text"]
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"
    assert spec["layer"][2]["encoding"]["text"]["field"] == "number"  # each event's number, as listed beside it
    assert spec["layer"][2]["name"] == "event_numbers"  # the browser test finds the numbers by it
    events = [rows for name, rows in spec["datasets"].items() if rows and "kind_label" in rows[0]]
    assert events and events[0][0]["title"] == "Tokyo summit"


def _over_time(tracker, as_of=TODAY) -> alt.LayerChart:
    start = date(2022, 7, 1)
    return charts.chart_status_over_time(
        analysis.count_status_over_time(tracker, start, as_of),
        charts.place_markers(analysis.list_context_events(tracker, start, as_of), start, as_of),
        tracker.settings,
    )


@pytest.mark.parametrize("as_of", [TODAY, date(2023, 1, 1)], ids=["today", "earlier"])
def test_status_over_time_is_drawn_without_imputing_rows(tracker, as_of):
    """The over-time rows hold every status on every date, so the area skips Vega-Lite's imputing of missing rows
    (a pass over every row at each drawing): the same drawing as with it."""
    spec = _over_time(tracker, as_of).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["impute"] is None
    imputed = json.loads(json.dumps(spec))
    del imputed["layer"][0]["encoding"]["y"]["impute"]
    assert "impute" in json.dumps(vl_convert.vegalite_to_vega(imputed))  # what would run without it
    assert "impute" not in json.dumps(vl_convert.vegalite_to_vega(spec))
    assert vl_convert.vegalite_to_svg(spec) == vl_convert.vegalite_to_svg(imputed)


@pytest.mark.parametrize("as_of", [TODAY, date(2023, 1, 1)], ids=["today", "earlier"])
def test_status_over_time_is_drawn_without_checking_each_row(tracker, as_of):
    """The over-time rows never miss a date or a count, so the area skips Vega-Lite's check of every row for one
    (its `invalid` test, run at each drawing): the same drawing as with it."""
    spec = _over_time(tracker, as_of).to_dict()
    assert spec["layer"][0]["mark"]["invalid"] is None
    checked = json.loads(json.dumps(spec))
    del checked["layer"][0]["mark"]["invalid"]
    assert '"defined"' in json.dumps(vl_convert.vegalite_to_vega(checked))  # what would run without it
    assert '"defined"' not in json.dumps(vl_convert.vegalite_to_vega(spec))
    assert vl_convert.vegalite_to_svg(spec) == vl_convert.vegalite_to_svg(checked)


def test_status_over_time_hides_its_event_rules_from_screen_readers(tracker):
    """A context event is named once, in the list under the chart: its rule, like its number, is hidden from
    screen readers, so no rule is read out under Vega-Lite's default name (the fields' names, in English)."""
    svg = vl_convert.vegalite_to_svg(_over_time(tracker).to_dict())
    rules = re.search(r'<g class="mark-rule role-mark[^"]*"([^>]*)>(.*?)</g>', svg, re.S)
    assert rules is not None and 'aria-hidden="true"' in rules.group(1)
    events = analysis.list_context_events(tracker, date(2022, 7, 1), TODAY)
    assert rules.group(2).count("<line") == len(events) > 0 and "aria-label" not in rules.group(2)
    assert "date: " not in svg and 'aria-roledescription="rule"' not in svg


def test_status_over_time_names_each_area_by_its_status(tracker):
    """Each status's area is named by its status, not by its first row's fields (Vega-Lite's default)."""
    svg = vl_convert.vegalite_to_svg(_over_time(tracker).to_dict())
    named = re.findall(r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="area mark"', svg)
    assert named == [status.label for status in tracker.settings.statuses]


def test_timeline_bands_and_update_points(tracker):
    periods = analysis.list_status_periods(tracker, TODAY)
    points = analysis.list_update_points(tracker, ["export-controls"], TODAY)
    spec = charts.chart_timeline(charts.name_bands(periods), points, tracker.settings).to_dict()
    bands, dots, names = spec["layer"]
    assert bands["mark"]["type"] == "bar" and bands["encoding"]["x2"]["field"] == "end"
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "label"
    assert spec["height"] == {"step": charts.TIMELINE_STEP}  # a band never crushed, however many
    assert [t["field"] for t in dots["encoding"]["tooltip"]][2:4] == ["note", "source_title"]
    assert len(points) == 3


def _with_rows(spec: dict) -> dict:
    """A spec with its named datasets written in place, so two ways of drawing compare equal."""
    datasets = spec.get("datasets", {})

    def rows(name):
        value = datasets[name]
        return json.loads(value.to_json(orient="records")) if isinstance(value, pd.DataFrame) else value

    def resolve(part):
        if isinstance(part, dict):
            if set(part) == {"name"} and part["name"] in datasets:
                return {"values": rows(part["name"])}
            return {key: resolve(value) for key, value in part.items() if key != "datasets"}
        if isinstance(part, list):
            return [resolve(item) for item in part]
        # Altair names a layer's view after a hash of the chart, its rows included.
        return re.sub(r"^view_[0-9a-f]+_", "view_", part) if isinstance(part, str) else part

    return resolve(spec)


@pytest.mark.parametrize(
    "view",
    [
        View(as_of=TODAY),
        View(as_of=date(2023, 1, 1), filters={"status": ("not_started",)}),
        View(as_of=TODAY, query="summit"),
    ],
    ids=["everything", "as-of-and-status", "search"],
)
def test_templates_filled_with_rows_draw_what_the_charts_draw(tracker, view):
    """The dashboard draws from templates (converted once) and rows; exports from whole charts."""
    rows = charts.chart_data(tracker, view)
    templates = charts.build_templates(tracker.settings)
    filled = charts.fill_templates(templates, rows)
    whole = {name: chart.to_dict() for name, chart in charts.build_all(rows, tracker.settings).items()}
    assert list(filled) == list(whole) == list(charts.CHART_NAMES)
    for name in whole:
        assert _with_rows(filled[name]) == _with_rows(charts.for_the_page(whole[name])), name
    assert "datasets" not in templates["timeline"]
    assert templates["timeline"]["usermeta"] == {"embedOptions": {"renderer": "svg"}}  # measurable in a browser
    # The dashboard's templates skip Altair's schema validation; here they pass it.
    named = {name: alt.NamedData(name=name) for name in charts.DATASETS}
    assert {
        name: charts.for_the_page(chart.to_dict()) for name, chart in charts.build_all(named, tracker.settings).items()
    } == templates


@pytest.mark.parametrize("names", [(name,) for name in charts.CHART_NAMES] + [("status_by_category", "scorecard")])
def test_a_page_computes_only_the_rows_of_the_charts_it_draws(tracker, names):
    """A page asks for its charts only: it gets their rows, no others, and the same specs as from all rows."""
    view = View(as_of=date(2024, 6, 1))
    rows = charts.chart_data(tracker, view, names=names)
    assert list(rows) == list(dict.fromkeys(d for name in names for d in charts.CHART_DATASETS[name]))
    templates = charts.build_templates(tracker.settings)
    some = charts.fill_templates({name: templates[name] for name in names}, rows)
    every = charts.fill_templates(templates, charts.chart_data(tracker, view))
    assert list(some) == list(names)
    for name in names:
        assert _with_rows(some[name]) == _with_rows(every[name]), name


def test_timeline_lists_recommendations_in_the_files_order(tracker):
    """Both layers sort by the file's order, so they share one axis (checked by drawing it)."""
    chart = charts.build_charts(tracker, View(as_of=TODAY))["timeline"]
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    titles = [rec.title for rec in tracker.recommendations]
    drawn = [title for title in re.findall(r"<text[^>]*>([^<]+)</text>", svg) if title in titles]
    assert drawn[: len(titles)] == titles


def test_context_event_numbers_never_share_a_spot():
    """Events close in time take separate lanes: at the narrowest plot no two numbers in a lane overlap,
    and two events on one day never share a lane."""
    days = ["2023-01-01", "2023-01-01", "2023-01-05", "2023-06-01", "2024-01-13", "2024-01-13", "2024-01-19"]
    events = pd.DataFrame({"date": pd.to_datetime(days), "number": range(1, len(days) + 1)})
    placed = charts.place_markers(events, date(2022, 7, 1), date(2026, 12, 1))
    assert placed["lane"].tolist() == [0, 1, 2, 0, 0, 1, 2]
    span = (date(2026, 12, 1) - date(2022, 7, 1)).days
    x = [(when.date() - date(2022, 7, 1)).days / span * charts.MARKER_PLOT_PX for when in placed["date"]]
    for lane in set(placed["lane"]):
        spots = sorted(spot for spot, other in zip(x, placed["lane"], strict=True) if other == lane)
        assert all(b - a >= charts.MARKER_DIGIT_PX for a, b in zip(spots, spots[1:], strict=False))


def test_a_long_name_is_written_on_two_lines_above_its_band():
    name = "Open liaison offices at Combined Forces Command and U.S. Forces Japan headquarters"
    lines = charts.wrap_name(name).split("\n")
    assert len(lines) == 2 and all(len(line) <= charts.TIMELINE_WRAP for line in lines)
    assert " ".join(lines) == name and "…" not in charts.wrap_name(name)  # nothing cut when two lines hold it
    assert charts.wrap_name("Joint fund") == "Joint fund"
    assert charts.wrap_name("word " * 40).split("\n")[1].endswith("…")  # only a name too long for two lines


def test_legends_take_the_columns_the_width_allows(tracker):
    """Three columns of statuses where a chart is wide, two on a phone (where three were cut off)."""
    templates = charts.build_templates(tracker.settings)
    legends = [
        templates["status_by_category"]["encoding"]["color"]["legend"],
        templates["scorecard"]["encoding"]["color"]["legend"],
    ]
    assert all(legend["columns"] == {"expr": "width < 365 ? 2 : 3"} for legend in legends)
    assert all(spec["autosize"] == {"type": "fit-x", "contains": "padding"} for spec in templates.values())


def test_a_chart_that_cannot_be_clicked_carries_no_click_handling(tracker):
    templates = charts.build_templates(tracker.settings)
    static = charts.without_picking(templates["scorecard"])
    assert "params" in templates["scorecard"] and "opacity" in templates["scorecard"]["encoding"]
    assert "params" not in static and "opacity" not in static["encoding"]
    assert static["encoding"]["color"] == templates["scorecard"]["encoding"]["color"]  # the rest is the same
