"""Altair charts. Each takes rows already aggregated by `analysis` and returns a
chart; nothing here draws, so the same charts serve the dashboard and exports.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .model import Settings, status_by_id

# Selection names the dashboard reads back when a reader clicks a mark.
PICK_CATEGORY = "pick_category"
PICK_ADDRESSEE = "pick_addressee"
PICK_RECOMMENDATION = "pick_recommendation"


def status_colours(settings: Settings) -> alt.Scale:
    """One colour per status, from the taxonomy, used by every chart."""
    statuses = list(status_by_id(settings).values())
    return alt.Scale(domain=[s.label for s in statuses], range=[s.colour for s in statuses])


def _status_colour(settings: Settings, legend_columns: int = 3) -> alt.Color:
    return alt.Color(
        "status_label:N",
        title="Status",
        scale=status_colours(settings),
        # Several columns, so all six statuses fit under a half-width chart.
        legend=alt.Legend(orient="bottom", columns=legend_columns, title=None, labelLimit=150),
    )


def _status_order() -> alt.Order:
    return alt.Order("status_order:Q", sort="ascending")


def chart_status_by_category(counts: pd.DataFrame, settings: Settings) -> alt.Chart:
    """Stacked bars: how many recommendations of each category stand in each status."""
    pick = alt.selection_point(fields=["category"], name=PICK_CATEGORY)
    rows = counts[counts["count"] > 0]
    return (
        alt.Chart(rows, title="Status by category")
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title="Recommendations", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("group_label:N", title=None, sort=alt.SortField("group_order"), axis=alt.Axis(labelLimit=220)),
            color=_status_colour(settings, legend_columns=2),  # its labels leave a narrow plot
            order=_status_order(),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("group_label:N", title="Category"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("count:Q", title="Recommendations"),
            ],
        )
        .add_params(pick)
    )


def chart_scorecard(counts: pd.DataFrame, settings: Settings) -> alt.Chart:
    """One column per addressee (Japan, South Korea, United States) with its status mix."""
    pick = alt.selection_point(fields=["addressee"], name=PICK_ADDRESSEE)
    rows = counts[counts["count"] > 0]
    statuses = [s.label for s in status_by_id(settings).values()]
    return (
        alt.Chart(rows, title="Scorecard by addressee")
        .mark_bar()
        .encode(
            x=alt.X("group_label:N", title=None, sort=alt.SortField("group_order"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Recommendations", axis=alt.Axis(tickMinStep=1)),
            xOffset=alt.XOffset("status_label:N", sort=statuses),
            color=_status_colour(settings),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("group_label:N", title="Addressee"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("count:Q", title="Recommendations"),
            ],
        )
        .add_params(pick)
    )


def chart_status_over_time(over_time: pd.DataFrame, events: pd.DataFrame, settings: Settings) -> alt.LayerChart:
    """Stacked steps: how many recommendations stood in each status on every date,
    with context events (summits, leadership changes, rulings) marked on the axis."""
    area = (
        alt.Chart(over_time)
        .mark_area(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("count:Q", title="Recommendations", stack="zero"),
            color=_status_colour(settings),
            order=_status_order(),
            tooltip=[
                alt.Tooltip("date:T", title="From", format="%d %b %Y"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("count:Q", title="Recommendations"),
            ],
        )
    )
    rules = (
        alt.Chart(events)
        .mark_rule(strokeDash=[3, 3], color="#555555")
        .encode(
            x="date:T",
            tooltip=[
                alt.Tooltip("date_label:N", title="Date"),
                alt.Tooltip("kind_label:N", title="Event"),
                alt.Tooltip("title:N", title="What"),
            ],
        )
    )
    marks = (
        alt.Chart(events)
        .mark_point(shape="triangle-down", filled=True, size=70, color="#333333")
        .encode(
            x="date:T",
            y=alt.value(0),
            tooltip=[
                alt.Tooltip("date_label:N", title="Date"),
                alt.Tooltip("kind_label:N", title="Event"),
                alt.Tooltip("title:N", title="What"),
            ],
        )
    )
    return alt.layer(area, rules, marks, title="Status over time (dashed lines: context events)")


def chart_timeline(periods: pd.DataFrame, points: pd.DataFrame, settings: Settings) -> alt.LayerChart:
    """A band per status period of each recommendation, a point per update with its note and source."""
    pick = alt.selection_point(fields=["rec_id"], name=PICK_RECOMMENDATION)
    order = list(dict.fromkeys(periods["title"]))
    # Streamlit fits axes and legend inside this height, so leave room for them.
    height = max(160, 26 * len(order) + 130)
    bands = (
        alt.Chart(periods)
        .mark_bar(height=16)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("title:N", title=None, sort=order, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
            color=_status_colour(settings),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.4)),
            tooltip=[
                alt.Tooltip("title:N", title="Recommendation"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("start:T", title="From", format="%d %b %Y"),
                alt.Tooltip("end:T", title="Until", format="%d %b %Y"),
            ],
        )
        .add_params(pick)
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, color="#222222", size=36)
        .encode(
            x="start:T",
            y=alt.Y("title:N", sort=order),
            tooltip=[
                alt.Tooltip("date_label:N", title="Date"),
                alt.Tooltip("status_label:N", title="Status after"),
                alt.Tooltip("note:N", title="Note"),
                alt.Tooltip("source_title:N", title="Source"),
                alt.Tooltip("source_url:N", title="Link"),
            ],
        )
    )
    return alt.layer(bands, dots, title="Timeline per recommendation").properties(height=height)
