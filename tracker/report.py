"""Things to hand to someone else: tables as CSV or JSON."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from . import analysis
from .model import Tracker

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
    "stale",
    "last_source_url",
    "last_source_title",
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
        return json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str) + "\n"
    if "sources" in table:
        table = table.assign(
            sources=table["sources"].map(lambda items: " | ".join(f"{s['title']} <{s['url']}>" for s in items))
        )
    return table.to_csv(index=False)
