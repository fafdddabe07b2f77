"""Tables as CSV or JSON, and charts as PNG or SVG images, for a reader to take away.

Pure functions: the as-of date comes in as an argument.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import altair as alt
import pandas as pd

from . import analysis
from .model import Tracker
from .view import View, describe_as_of, describe_filters

CHART_FORMATS = ("png", "svg")
# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): these first characters,
# also after leading spaces or line breaks, which some importers trim.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

RECOMMENDATION_COLUMNS = [
    "id",
    "title",
    "addressee_labels",
    "category_label",
    "priority_label",
    "implied",
    "status",
    "status_label",
    "since",
    "days_in_status",
    "last_update",
    "last_event",
    "stale",
    "last_source_url",
    "last_source_title",
    "assessment_date",
    "assessment",
    "criteria",
]
EVENT_COLUMNS = [
    "rec_id",
    "title",
    "date",
    "status",
    "previous_status",
    "is_change",
    "note",
    "sources",
    "author",
    "recorded",
]


def table_for_export(tracker: Tracker, what: str, as_of: date, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The recommendations table (as of a day) or the full event log, in export columns."""
    if what == "events":
        log = analysis.list_updates(tracker)
        return log[log["start"] <= pd.Timestamp(as_of)][EVENT_COLUMNS].reset_index(drop=True)
    frame = analysis.statuses_as_of(tracker, as_of) if frame is None else frame
    table = frame[RECOMMENDATION_COLUMNS].copy()
    table["since"] = table["since"].dt.date.astype(str)
    return table.rename(
        columns={"addressee_labels": "addressees", "category_label": "category", "priority_label": "priority"}
    )


def export_table(tracker: Tracker, *, what: str, fmt: str, as_of: date, frame: pd.DataFrame | None = None) -> str:
    """CSV or JSON text of `table_for_export`."""
    table = table_for_export(tracker, what, as_of, frame)
    if fmt == "json":
        # A missing value is null: NaN is not JSON, and strict readers refuse it.
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        return json.dumps(records, ensure_ascii=False, indent=2, default=str, allow_nan=False) + "\n"
    if "sources" in table:
        table = table.assign(
            sources=table["sources"].map(lambda items: " | ".join(f"{s['title']} <{s['url']}>" for s in items))
        )
    return to_csv(table)


def csv_cell(value):
    """A value as a CSV cell: text a spreadsheet would run as a formula (a note '=HYPERLINK(...)', a
    title '+1 (Kyodo)', '-3%') gets a leading apostrophe, so it is shown as the text it is; numbers,
    true/false and anything else stay as they are."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START)):
        return "'" + value
    return value


def to_csv(table: pd.DataFrame) -> str:
    """Every CSV the tracker writes: formula-like text defused (csv_cell) and every field quoted, so
    commas, quotes and line breaks inside a note stay inside its cell (RFC 4180, CRLF between rows)."""
    text_columns = [name for name in table.columns if not pd.api.types.is_numeric_dtype(table[name])]
    safe = table.assign(**{name: table[name].map(csv_cell, na_action="ignore") for name in text_columns})
    return safe.to_csv(index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


def title_of(chart) -> str:
    """A chart's title as plain text ("" when it has none)."""
    title = getattr(chart, "title", alt.Undefined)
    if isinstance(title, alt.TitleParams):
        title = title.text
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return title if isinstance(title, str) else ""


def stamp_chart(chart, view: View, tracker: Tracker):
    """The chart with a subtitle saying what it shows: the as-of date, the active
    filters and the tracker, so an exported image is never ambiguous."""
    text = title_of(chart) or tracker.settings.title
    subtitle = [f"{describe_as_of(view)} · {describe_filters(view, tracker)}", tracker.settings.title]
    return chart.properties(title=alt.TitleParams(text=text, subtitle=subtitle))


def export_chart(chart, fmt: str) -> bytes:
    """The chart drawn as PNG or SVG bytes by vl-convert (offline; no row limit)."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"Charts export as {' or '.join(CHART_FORMATS)}, not '{fmt}'.")
    with alt.data_transformers.disable_max_rows():
        if fmt == "png":
            buffer = io.BytesIO()
            chart.save(buffer, format="png")
            return buffer.getvalue()
        text = io.StringIO()
        chart.save(text, format="svg")
        return text.getvalue().encode("utf-8")
