"""Everything a reader can download, by key: its label, file name and content."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from . import charts
from .brief import render_brief
from .exports import CHART_FORMATS, export_chart, export_table, stamp_chart
from .model import Tracker
from .view import View
from .yaml_text import dump_tracker

# Everything a reader can download: key -> (label, file extension, MIME type).
DOWNLOADS = {
    "brief": ("Brief (HTML, works offline)", "html", "text/html"),
    "recommendations-csv": ("Recommendations table (CSV)", "csv", "text/csv"),
    "recommendations-json": ("Recommendations table (JSON)", "json", "application/json"),
    "events-csv": ("Event log (CSV)", "csv", "text/csv"),
    "events-json": ("Event log (JSON)", "json", "application/json"),
    "data-yaml": ("Data file (YAML)", "yaml", "application/x-yaml"),
    **{
        f"{name}-{fmt}": (
            f"Chart: {name.replace('_', ' ')} ({fmt.upper()})",
            fmt,
            "image/png" if fmt == "png" else "image/svg+xml",
        )
        for name in charts.CHART_NAMES
        for fmt in CHART_FORMATS
    },
}


def name_download(key: str, as_of: date) -> str:
    """The file name of a download, stamped with the as-of date."""
    extension = DOWNLOADS[key][1]
    if key == "data-yaml":
        return "recommendations.yaml"
    stem = key.rsplit("-", 1)[0] if key != "brief" else "brief"
    return f"{stem}-{as_of.isoformat()}.{extension}"


def build_download(
    key: str,
    tracker: Tracker,
    view: View,
    *,
    frame: pd.DataFrame | None,
    permalink: str,
    generated: datetime,
    publisher: str = "",
    source: Tracker | None = None,
) -> str | bytes:
    """The content of one download for a view (`frame`: the filtered recommendations table; `publisher`: who
    publishes the tracker, named in the brief's citation). `tracker` is as the page shows it (in the reader's
    language), `source` the data as stored: the data file and the brief are made from it (the brief reads
    its translations itself, in the view's language)."""
    stored = source if source is not None else tracker
    if key == "brief":
        return render_brief(
            stored, view, since=view.changes_since(), permalink=permalink, generated=generated, publisher=publisher
        )
    if key == "data-yaml":
        return dump_tracker(stored)
    what, fmt = key.rsplit("-", 1)
    if what in ("recommendations", "events"):
        return export_table(tracker, what=what, fmt=fmt, as_of=view.as_of, frame=frame if what != "events" else None)
    chart = charts.build_charts(tracker, view)[what]
    return export_chart(stamp_chart(chart, view, tracker), fmt)
