"""Altair charts. Each takes rows already aggregated by `analysis` and returns a
chart; nothing here draws, so the same charts serve the dashboard and exports.

A builder takes its rows as DataFrames, or as `alt.NamedData` placeholders: then
the chart is a template, turned into Vega-Lite once per taxonomy and given its
rows on every draw (`build_templates`, `fill_templates`). The dashboard draws
that way because Altair's conversion of a chart costs more than the rest of a
rerun together; exports use the DataFrames directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from . import analysis
from .language import ENGLISH, Words
from .model import Settings, Tracker, status_by_id
from .view import View, earliest_date, filter_recommendations

Rows = pd.DataFrame | alt.NamedData

# Which rows (datasets) each chart draws, keyed by chart name, so a page computes only the rows of the
# charts it shows; DATASETS, every dataset name, is what `build_all` takes.
CHART_DATASETS = {
    "status_by_category": ("category_counts",),
    "scorecard": ("addressee_counts",),
    "status_over_time": ("over_time", "events"),
    "timeline": ("periods", "points"),
}
CHART_NAMES = tuple(CHART_DATASETS)
DATASETS = tuple(dict.fromkeys(dataset for datasets in CHART_DATASETS.values() for dataset in datasets))

# Selection names the dashboard reads back when a reader clicks a mark.
PICK_CATEGORY = "pick_category"
PICK_ADDRESSEE = "pick_addressee"
PICK_RECOMMENDATION = "pick_recommendation"


LATIN_FONTS = "'Source Sans', 'Source Sans 3'"  # Streamlit's face, which draws the English charts
CHART_TEXT = "#3d3d3d"  # chart labels and titles: 10.9:1 on white
SCORECARD_HEIGHT = 100  # px, the plot's: the legend and axes add to it (see AUTOSIZE)
OVER_TIME_HEIGHT = 220  # px, the plot's: the numbered context events above it add to it
# Legends in three columns where the plot is wide enough for them, in two on a phone (a 390 px screen),
# where three were cut off: six statuses then fit, "Partially implemented" being the longest label.
LEGEND_COLUMNS = alt.expr("width < 365 ? 2 : 3")  # three columns of these labels take about 360 px
# Category bars and recommendation bands carry their name above the bar, inside the plot, so a long
# name never squeezes the plot on a phone: each band is this tall (px), its bar this thick.
CATEGORY_STEP, CATEGORY_BAR = 24, 10
TIMELINE_STEP, TIMELINE_BAR = 48, 12
TIMELINE_WRAP = 46  # characters per line of a recommendation's name above its band (two lines at most)
# In a timeline band the name takes the top (two lines of 11 px text), the bar and its dots the bottom.
TIMELINE_NAME_DY, TIMELINE_BAR_DY = -TIMELINE_STEP / 2 + 2, TIMELINE_STEP / 2 - TIMELINE_BAR / 2 - 6
# Context events are numbered in rows ("lanes") above the plot, so two numbers never overlap: a number
# takes a lane where it keeps clear of the one before it at the narrowest plot (a phone's).
MARKER_PLOT_PX, MARKER_DIGIT_PX, MARKER_LANE_PX = 300, 7, 15  # a lane a little taller than its text
# SVG, not canvas: each label is then an element a browser test can measure (nothing clipped, no
# two markers overlapping), and these charts have few marks.
EMBED = {"embedOptions": {"renderer": "svg"}}
# On the page a chart fits its column's width, but its height is its plot's (or its bands') and grows
# with what a narrow screen needs more of (legend rows, lanes of numbers): Streamlit's theme fits both,
# which on a phone squeezed the plot and clipped a title or a legend.
AUTOSIZE = {"type": "fit-x", "contains": "padding"}
# Room around a chart for the glyphs of its title and its rotated axis title, which otherwise reach a
# pixel or two past the chart's edge, where the page cuts them.
PADDING = {"top": 4, "left": 4, "right": 4, "bottom": 2}
LEGEND_SPACING = {
    "offset": 6,
    "padding": 0,
    "rowPadding": 2,
    "columnPadding": 12,
    "symbolSize": 100,
    "symbolStrokeWidth": 1.5,
}


def status_colours(settings: Settings) -> alt.Scale:
    """One colour per status, from the taxonomy, used by every chart."""
    statuses = list(status_by_id(settings).values())
    return alt.Scale(domain=[s.label for s in statuses], range=[s.colour for s in statuses])


def _status_colour(settings: Settings, w: Words = ENGLISH) -> alt.Color:
    return alt.Color(
        "status_label:N",
        title=w.t("Status"),
        scale=status_colours(settings),
        legend=alt.Legend(orient="bottom", columns=LEGEND_COLUMNS, title=None, labelLimit=150),
    )


# A time axis marks the years, labelled "2024": a month's label ("October") near the end of a phone's narrow
# axis ran past the chart's edge, and years are what a reader scans a span of years by.
_EDGE_LABELS = alt.Axis(format="%Y", tickCount="year", labelFlush=True, labelBound=PADDING["right"])


def _names_above(field: str, order, label_offset: float) -> alt.Y:
    """A band per name, the name written above its bar inside the plot (left-aligned), not beside it: a
    long name then never takes the plot's width away on a narrow screen."""
    axis = alt.Axis(
        title=None, domain=False, ticks=False, labelAlign="left", labelBaseline="bottom", labelPadding=0,
        labelOffset=label_offset, labelLimit=0, labelFontSize=11,
    )  # fmt: skip
    return alt.Y(field, title=None, sort=order, axis=axis)


# A dash pattern per status (in the taxonomy's order) on every bar's outline: statuses stay apart
# in greyscale and for any colour vision, as the research notes' palette tests advise.
DASHES = ([2, 2], [6, 2], [6, 2, 2, 2], [1, 0], [1, 3], [10, 3])


def _status_dash(settings: Settings) -> alt.StrokeDash:
    statuses = [s.label for s in status_by_id(settings).values()]
    dashes = [list(DASHES[n % len(DASHES)]) for n in range(len(statuses))]
    return alt.StrokeDash("status_label:N", scale=alt.Scale(domain=statuses, range=dashes), legend=None)


def _bar() -> dict:
    """A bar with a dark outline and a label a screen reader reads: 'Trade, Implemented: 2'."""
    label = alt.expr("datum.group_label + ', ' + datum.status_label + ': ' + datum['count']")
    return {"stroke": "#1f1f1f", "strokeWidth": 1.5, "description": label}


def _status_order() -> alt.Order:
    return alt.Order("status_order:Q", sort="ascending")


def chart_status_by_category(counts: Rows, settings: Settings, w: Words = ENGLISH) -> alt.Chart:
    """Stacked bars: how many recommendations of each category stand in each status."""
    pick = alt.selection_point(fields=["category"], name=PICK_CATEGORY)
    return (
        alt.Chart(counts, title=w.t("Status by category"), height=alt.Step(CATEGORY_STEP))
        .transform_filter(alt.datum["count"] > 0)  # no empty slices to hover
        .mark_bar(**_bar(), size=CATEGORY_BAR)
        .encode(
            strokeDash=_status_dash(settings),
            # No axis title: the chart's title and the sentence under it say what is counted, and the row
            # it took kept the Overview's legends out of a laptop's first screen.
            x=alt.X("count:Q", title=None, axis=alt.Axis(tickMinStep=1, labelFlush=True, labelBound=PADDING["right"])),
            y=_names_above("group_label:N", alt.SortField("group_order"), -(CATEGORY_BAR / 2 + 2)),
            color=_status_colour(settings, w),
            order=_status_order(),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("group_label:N", title=w.t("Category")),
                alt.Tooltip("status_label:N", title=w.t("Status")),
                alt.Tooltip("count:Q", title=w.t("Recommendations")),
            ],
        )
        .add_params(pick)
    )


def chart_scorecard(counts: Rows, settings: Settings, w: Words = ENGLISH) -> alt.Chart:
    """One column per addressee (Japan, South Korea, United States) with its status mix."""
    pick = alt.selection_point(fields=["addressee"], name=PICK_ADDRESSEE)
    statuses = [s.label for s in status_by_id(settings).values()]
    return (
        # As tall as the category chart's few bars, not Vega-Lite's 300 px: both fit a laptop's first screen.
        alt.Chart(counts, title=w.t("Scorecard by addressee"), height=SCORECARD_HEIGHT)
        .transform_filter(alt.datum["count"] > 0)
        .mark_bar(**_bar())
        .encode(
            strokeDash=_status_dash(settings),
            x=alt.X("group_label:N", title=None, sort=alt.SortField("group_order"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=w.t("Recommendations"), axis=alt.Axis(tickMinStep=1)),
            xOffset=alt.XOffset("status_label:N", sort=statuses),
            color=_status_colour(settings, w),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("group_label:N", title=w.t("Addressee")),
                alt.Tooltip("status_label:N", title=w.t("Status")),
                alt.Tooltip("count:Q", title=w.t("Recommendations")),
            ],
        )
        .add_params(pick)
    )


def chart_status_over_time(over_time: Rows, events: Rows, settings: Settings, w: Words = ENGLISH) -> alt.LayerChart:
    """Stacked steps: how many recommendations stood in each status on every date,
    with context events (summits, leadership changes, rulings) marked on the axis."""
    area = (
        alt.Chart(over_time)
        # One area per status, named by its status: Vega-Lite's default name, built for every row (three dates
        # and numbers formatted each), named each area after its first row ("date: 2022; ...; status_order: 1"),
        # and took a sixth of the chart's drawing at 10,000 recommendations.
        # No check of each row for a missing date or count (Vega-Lite's default `invalid` test, run on every row at
        # each drawing): `count_status_over_time` never gives one, so the drawing is the same without it.
        .mark_area(interpolate="step-after", description=alt.expr("datum.status_label"), invalid=None)
        .encode(
            x=alt.X("date:T", title=None, axis=_EDGE_LABELS),
            # No imputing of missing rows (Vega-Lite's default for a stacked area): `count_status_over_time` gives
            # every status on every date, so there are none, and it went over every row at each drawing.
            y=alt.Y("count:Q", title=w.t("Recommendations"), stack="zero", impute=None),
            color=_status_colour(settings, w),
            order=_status_order(),
            tooltip=[
                alt.Tooltip(
                    "date:T",
                    title=w.t("From"),
                    # TRANSLATORS: a day in a chart's tooltip, in d3-time-format ('16 Mar 2023'): %Y년 %-m월 %-d일
                    format=w.t("%d %b %Y"),
                ),
                alt.Tooltip("status_label:N", title=w.t("Status")),
                alt.Tooltip("count:Q", title=w.t("Recommendations")),
            ],
        )
    )
    rules = (
        alt.Chart(events)
        # Hidden from screen readers, as the numbers are: the list under the chart names each event once. Vega-Lite's
        # default name for each rule ("date: ...; Date: ...; Event: ...") repeated it with a field's name, in English
        # in every language, and was worked out for each rule at each drawing.
        .mark_rule(strokeDash=[3, 3], color="#555555", aria=False)
        .encode(
            x="date:T",
            tooltip=[
                alt.Tooltip("date_label:N", title=w.t("Date")),
                alt.Tooltip("kind_label:N", title=w.t("Event")),
                alt.Tooltip("title:N", title=w.t("What")),
            ],
        )
    )
    numbers = (
        alt.Chart(events)
        # Each number in its lane above the plot (`place_markers`); the list under the chart names each
        # numbered event, so a screen reader hears it there, once.
        .mark_text(
            fontWeight="bold",
            color=CHART_TEXT,
            aria=False,
            baseline="bottom",
            dy=alt.expr(f"-3 - {MARKER_LANE_PX} * datum.lane"),
        )  # fmt: skip
        .encode(
            x="date:T",
            y=alt.value(0),
            text="number:Q",
            tooltip=[
                alt.Tooltip("date_label:N", title=w.t("Date")),
                alt.Tooltip("kind_label:N", title=w.t("Event")),
                alt.Tooltip("title:N", title=w.t("What")),
            ],
        )
        .properties(name="event_numbers")
    )
    return alt.layer(area, rules, numbers, title=w.t("Status over time, with context events"), height=OVER_TIME_HEIGHT)


def place_markers(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """The context events with the lane (0 nearest the plot) each number is written in: the first lane
    where it keeps clear of the number before it, at a plot MARKER_PLOT_PX wide from `start` to `end` (a
    wider plot only spreads them further)."""
    span = max((pd.Timestamp(end) - pd.Timestamp(start)).days, 1)
    ends: list[float] = []  # per lane, where its last number ends (px)
    lanes = []
    for when, number in zip(events["date"], events["number"], strict=True):
        x = (pd.Timestamp(when) - pd.Timestamp(start)).days / span * MARKER_PLOT_PX
        half = MARKER_DIGIT_PX * len(str(number)) / 2 + 2  # its half width and a gap
        lane = next((n for n, right in enumerate(ends) if right <= x - half), len(ends))
        ends[lane : lane + 1] = [x + half]
        lanes.append(lane)
    return events.assign(lane=np.array(lanes, dtype="int64"))


def wrap_name(name: str, width: int = TIMELINE_WRAP) -> str:
    """A recommendation's name on at most two lines of `width` characters (a line break between them),
    the second cut with an ellipsis only when even two are not enough."""
    words, lines = name.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
        lines[1] = lines[1][: width - 1].rstrip() + "…" if len(lines[1]) > width else lines[1]
    return "\n".join(lines)


def chart_timeline(periods: Rows, points: Rows, settings: Settings, w: Words = ENGLISH) -> alt.LayerChart:
    """A band per status period of each recommendation, a point per update with its note and source."""
    pick = alt.selection_point(fields=["rec_id"], name=PICK_RECOMMENDATION)
    # Recommendations in the file's order; every layer sorts alike, so they share one band per name.
    order = alt.EncodingSortField(field="rec_order", op="min")
    bands = (
        alt.Chart(periods)
        .mark_bar(height=TIMELINE_BAR, yOffset=TIMELINE_BAR_DY)
        .encode(
            x=alt.X("start:T", title=None, axis=_EDGE_LABELS),
            x2="end:T",
            y=alt.Y("title:N", title=None, sort=order, axis=None),
            color=_status_colour(settings, w),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.4)),
            tooltip=[
                alt.Tooltip("title:N", title=w.t("Recommendation")),
                alt.Tooltip("status_label:N", title=w.t("Status")),
                alt.Tooltip("start:T", title=w.t("From"), format=w.t("%d %b %Y")),
                alt.Tooltip("end:T", title=w.t("Until"), format=w.t("%d %b %Y")),
            ],
        )
        .add_params(pick)
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, color="#222222", size=36, yOffset=TIMELINE_BAR_DY)
        .encode(
            x="start:T",
            y=alt.Y("title:N", sort=order),
            tooltip=[
                alt.Tooltip("date_label:N", title=w.t("Date")),
                alt.Tooltip("status_label:N", title=w.t("Status after")),
                alt.Tooltip("note:N", title=w.t("Note")),
                alt.Tooltip("source_title:N", title=w.t("Source")),
                alt.Tooltip("source_url:N", title=w.t("Link")),
            ],
        )
    )
    names = (
        alt.Chart(periods)
        # One name per recommendation (only its first band carries it: `name_bands`), written above its bar
        # on up to two lines; a screen reader hears each band's name from the band itself.
        .transform_filter(alt.datum.label != "")
        .mark_text(
            align="left",
            baseline="top",
            lineBreak="\n",
            dy=TIMELINE_NAME_DY,
            fontSize=11,
            color=CHART_TEXT,
            aria=False,
        )
        .encode(x=alt.value(0), y=alt.Y("title:N", sort=order), text="label:N")
    )
    # A band of TIMELINE_STEP px per recommendation, however many: the page scrolls, a band is never crushed.
    return alt.layer(bands, dots, names, title=w.t("Timeline per recommendation"), height=alt.Step(TIMELINE_STEP))


BUILDERS = {
    "status_by_category": lambda rows, settings, w: chart_status_by_category(rows["category_counts"], settings, w),
    "scorecard": lambda rows, settings, w: chart_scorecard(rows["addressee_counts"], settings, w),
    "status_over_time": lambda rows, settings, w: chart_status_over_time(
        rows["over_time"], rows["events"], settings, w
    ),
    "timeline": lambda rows, settings, w: chart_timeline(rows["periods"], rows["points"], settings, w),
}


def build_all(
    rows: Mapping[str, Rows], settings: Settings, names: tuple[str, ...] = CHART_NAMES, w: Words = ENGLISH
) -> dict:
    """The dashboard's charts `names` (all four by default) from their rows (keyed by DATASETS), their words
    in `w`'s language."""
    return {name: in_language(BUILDERS[name](rows, settings, w), w) for name in names}


def in_language(chart, w: Words):
    """A chart whose dates, numbers and text follow `w`'s language: Vega's own month and day names and
    number format (`config.locale`: Streamlit's embed takes no locale option, the spec carries it) and the
    language's fonts, a list ending in a generic family (a single missing family blanks every text in
    vl-convert). English charts are left as they always were."""
    if w.code == ENGLISH.code:
        return chart
    tag = w.language.locale.replace("_", "-")
    locale = {"number": vlc.get_format_locale(tag), "time": vlc.get_time_format_locale(tag)}
    # Latin text (an English label not yet translated, digits) in the page's own face, as in English, so
    # it keeps the width the legend was laid out for; Hangul and kana fall through to the language's fonts.
    return chart.configure(font=f"{LATIN_FONTS}, {w.language.fonts}", locale=locale)


def build_templates(settings: Settings, w: Words = ENGLISH) -> dict[str, dict]:
    """The four charts as Vega-Lite specs without their rows (named datasets), for `fill_templates`."""
    named = {name: alt.NamedData(name=name) for name in DATASETS}
    # Unvalidated: loading Vega-Lite's JSON schema would add a third of a second to a server's
    # first page; tests/test_charts.py validates the same templates.
    built = build_all(named, settings, w=w)
    return {name: for_the_page(chart.to_dict(validate=False)) for name, chart in built.items()}


def without_picking(spec: dict) -> dict:
    """A spec a reader cannot click (the Overview's summary charts): its selections and the highlight they
    drive left out, so the browser sets up no click handling for it."""
    unpicked = {key: value for key, value in spec.items() if key != "params"}
    if "encoding" in spec:
        unpicked["encoding"] = {channel: value for channel, value in spec["encoding"].items() if channel != "opacity"}
    if "layer" in spec:  # the timeline's selection is one layer's (its bands)
        unpicked["layer"] = [without_picking(layer) for layer in spec["layer"]]
    return unpicked


def for_the_page(spec: dict) -> dict:
    """A spec as the page draws it: readable text (`with_readable_text`), as SVG (EMBED), as wide as its
    column but as tall as it needs (AUTOSIZE), with room for its outermost glyphs (PADDING)."""
    return {**with_readable_text(spec), "usermeta": EMBED, "autosize": AUTOSIZE, "padding": PADDING}


def with_readable_text(spec: dict) -> dict:
    """A spec whose axis, legend and title text is dark enough to read: Streamlit's chart theme draws
    it in #808495 (3.7:1 on white), these reach 10.9:1 (the spec's config wins over the theme)."""
    config = dict(spec.get("config", {}))
    for part in ("axis", "legend"):
        config[part] = {**config.get(part, {}), "labelColor": CHART_TEXT, "titleColor": CHART_TEXT}
    config["axis"].setdefault("labelLimit", 220)
    config["title"] = {**config.get("title", {}), "color": CHART_TEXT, "subtitleColor": CHART_TEXT}
    # Tighter than Streamlit's theme, so both summary charts fit a laptop's first screen with their legends.
    config["legend"].update(LEGEND_SPACING)
    config["title"]["offset"] = 4
    return {**spec, "config": config}


def fill_templates(templates: Mapping[str, dict], rows: Mapping[str, pd.DataFrame]) -> dict[str, dict]:
    """Specs ready to draw: each template with the rows it names. The spec is a new
    dict, the templates are left as they are; dates go as ISO text, as Altair sends them."""
    specs = {}
    for name, template in templates.items():
        parts = [template, *template.get("layer", [])]
        used = dict.fromkeys(part["data"]["name"] for part in parts if "data" in part)  # once, if layers share
        specs[name] = {**template, "datasets": {key: _vega_rows(rows[key]) for key in used}}
    return specs


def vega_records(frame: pd.DataFrame) -> str:
    """A chart's rows as the JSON array of records a spec carries (dates as local ISO text, as Altair
    writes them)."""
    return _vega_rows(frame).to_json(orient="records")


def _vega_rows(frame: pd.DataFrame) -> pd.DataFrame:
    # Local-time ISO text, as Altair writes dates, so the browser shows the same day everywhere.
    dates = [column for column, kind in frame.dtypes.items() if pd.api.types.is_datetime64_any_dtype(kind)]
    if not dates:
        return frame
    return frame.assign(**{column: np.datetime_as_string(frame[column].to_numpy(), unit="s") for column in dates})


def chart_data(
    tracker: Tracker,
    view: View,
    log: pd.DataFrame | None = None,
    *,
    shown: pd.DataFrame | None = None,
    names: tuple[str, ...] = CHART_NAMES,
    given: Mapping[str, pd.DataFrame] | None = None,
    start: date | None = None,
    subset: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The rows the charts `names` draw for the recommendations a view shows, keyed by DATASETS.
    `shown` (the filtered statuses table) is computed from the view when not given; the datasets in `given`,
    the first day (`earliest_date`) and the log of the shown recommendations (`subset`), when given, are taken
    as they are (the caller made them as this would)."""
    settings = tracker.settings
    log = analysis.list_updates(tracker) if log is None else log
    if shown is None:
        shown = filter_recommendations(analysis.statuses_as_of(tracker, view.as_of, log), view)
    start = earliest_date(tracker) if start is None else start
    subset = log[log["rec_id"].isin(shown["id"])] if subset is None else subset
    # The timeline's rows are the costliest (one per status period), hence computed only when drawn.
    compute = {
        "category_counts": lambda: analysis.count_by(shown, "category", settings),
        "addressee_counts": lambda: analysis.count_by(shown, "addressee", settings),
        "over_time": lambda: analysis.count_status_over_time(tracker, start, view.as_of, subset),
        "events": lambda: place_markers(analysis.list_context_events(tracker, start, view.as_of), start, view.as_of),
        "periods": lambda: name_bands(analysis.list_status_periods(tracker, view.as_of, subset)),
        "points": lambda: analysis.list_update_points(tracker, shown["id"], view.as_of, subset),
    }
    wanted = dict.fromkeys(dataset for name in names for dataset in CHART_DATASETS[name])
    given = given or {}
    return {dataset: given[dataset] if dataset in given else compute[dataset]() for dataset in wanted}


def name_bands(periods: pd.DataFrame) -> pd.DataFrame:
    """The timeline's bands with the name written above a recommendation's first band (`wrap_name`; its
    other bands carry none, so the chart writes each name once without grouping rows in the browser)."""
    first = ~periods["rec_id"].duplicated()
    names = {title: wrap_name(title) for title in periods.loc[first, "title"]}
    return periods.assign(label=periods["title"].map(names).where(first, ""))


def build_charts(
    tracker: Tracker,
    view: View,
    log: pd.DataFrame | None = None,
    *,
    shown: pd.DataFrame | None = None,
    names: tuple[str, ...] = CHART_NAMES,
    w: Words = ENGLISH,
) -> dict[str, alt.Chart]:
    """The dashboard's charts `names` (all four by default) for the recommendations a view shows, keyed by
    chart name; only their rows are computed."""
    return build_all(chart_data(tracker, view, log, shown=shown, names=names), tracker.settings, names, w)
