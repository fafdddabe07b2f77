"""Things to hand to someone else: tables as CSV or JSON, charts as PNG or SVG,
and a self-contained HTML brief that works offline.

Every function is pure: the dates (as-of, since, generation time) come in as
arguments and nothing here reads the clock.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from datetime import date, datetime, timezone

import altair as alt
import pandas as pd

from . import analysis, charts
from .model import Tracker, format_date, status_by_id
from .view import View, describe_as_of, describe_filters, earliest_date, filter_recommendations
from .yaml_text import dump_tracker

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


# --- Charts -----------------------------------------------------------------

CHART_NAMES = ("status_by_category", "scorecard", "status_over_time", "timeline")
CHART_FORMATS = ("png", "svg")


def chart_data(
    tracker: Tracker, view: View, log: pd.DataFrame | None = None, *, shown: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The rows the four charts draw for the recommendations a view shows, keyed by
    charts.DATASETS. `shown` (the filtered statuses table) is computed from the view
    when not given."""
    settings = tracker.tracker
    log = analysis.list_updates(tracker) if log is None else log
    if shown is None:
        shown = filter_recommendations(analysis.statuses_as_of(tracker, view.as_of, log), view)
    start = earliest_date(tracker)
    subset = log[log["rec_id"].isin(shown["id"])]
    return {
        "category_counts": analysis.count_by(shown, "category", settings),
        "addressee_counts": analysis.count_by(shown, "addressee", settings),
        "over_time": analysis.count_status_over_time(tracker, start, view.as_of, subset),
        "events": analysis.list_context_events(tracker, start, view.as_of),
        "periods": analysis.list_status_periods(tracker, view.as_of, subset),
        "points": analysis.list_update_points(tracker, shown["id"], view.as_of, subset),
    }


def build_charts(
    tracker: Tracker, view: View, log: pd.DataFrame | None = None, *, shown: pd.DataFrame | None = None
) -> dict[str, alt.Chart]:
    """The dashboard's four charts for the recommendations a view shows, keyed by CHART_NAMES."""
    return charts.build_all(chart_data(tracker, view, log, shown=shown), tracker.tracker)


def _title_text(chart) -> str:
    title = getattr(chart, "title", alt.Undefined)
    if isinstance(title, alt.TitleParams):
        title = title.text
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return title if isinstance(title, str) else ""


def stamp_chart(chart, view: View, tracker: Tracker):
    """The chart with a subtitle saying what it shows: the as-of date, the active
    filters and the tracker, so an exported image is never ambiguous."""
    text = _title_text(chart) or tracker.tracker.title
    subtitle = [f"{describe_as_of(view)} · {describe_filters(view, tracker)}", tracker.tracker.title]
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


# --- Data fingerprint -------------------------------------------------------

FINGERPRINT_SHOWN = 12


def data_fingerprint(data: str | bytes) -> str:
    """The full sha256 (hex) of a data file's canonical text (`dump_tracker`);
    show its first FINGERPRINT_SHOWN characters where space is short."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return hashlib.sha256(payload).hexdigest()


# --- The HTML brief ---------------------------------------------------------

_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f<>\"']+$", re.IGNORECASE)
_RELATIVE_URL = re.compile(r"^(?:/(?!/)|\?)[^\s\x00-\x1f\x7f<>\"']*$|^/$")

BRIEF_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1d1d1f; background: #fff; margin: 0 auto; max-width: 1040px; padding: 28px 24px 48px; }
h1 { font-size: 1.65em; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 1.2em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
a { color: #0b57d0; }
code { font: 0.85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.source { color: #555; margin: 0 0 14px; }
.stamp { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0;
  padding: 10px 14px; background: #f5f6f8; border: 1px solid #e2e4e8; border-radius: 6px; font-size: 0.92em; }
.stamp dt { font-weight: 600; color: #444; }
.stamp dd { margin: 0; overflow-wrap: anywhere; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 0 0 12px; }
.counts li { border: 1px solid #e2e4e8; border-radius: 6px; padding: 6px 12px; min-width: 120px; }
.counts .n, .figures .n { display: block; font-size: 1.5em; font-weight: 650; }
.figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; }
.figures div { border: 1px solid #e2e4e8; border-radius: 6px; padding: 6px 12px; min-width: 160px; }
.formula, .note { color: #555; font-size: 0.88em; }
.badge { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; flex: none;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; max-width: 100%; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e6e6e6; }
th { background: #f5f6f8; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.stale { color: #a15c00; font-weight: 600; }
footer { margin-top: 36px; color: #666; font-size: 0.85em; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, tr, .stamp { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def _e(value) -> str:
    """Text from the data, safe inside HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str, text: str, *, allow_relative: bool = False) -> str:
    """A link when `url` is http(s) (or, if allowed, a relative link); plain escaped text otherwise."""
    url = url or ""
    if _SAFE_URL.match(url) or (allow_relative and _RELATIVE_URL.match(url)):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


def _badge(label: str, colour: str) -> str:
    colour = colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour or "") else "#999999"
    return f'<span class="badge"><span class="dot" style="background-color:{colour}"></span>{_e(label)}</span>'


def _inline_svg(chart, label: str) -> str:
    svg = export_chart(chart, "svg").decode("utf-8")
    svg = svg[svg.find("<svg") :]  # drop any XML prolog: the SVG sits inside HTML
    return svg.replace("<svg", f'<svg role="img" aria-label="{_e(label)}"', 1)


def _when(generated: datetime) -> str:
    if generated.tzinfo is None:
        return generated.isoformat(sep=" ", timespec="minutes")
    return generated.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _article(tracker: Tracker) -> str:
    article = tracker.tracker.article
    described = _link(article.url, article.description)
    by = ", ".join(_e(part) for part in (article.author, article.publisher) if part)
    return f"Source article: {described}. {by}{', ' if by else ''}{_e(format_date(article.published))}."


def _headline(tracker: Tracker, shown: pd.DataFrame, total: int, changes: pd.DataFrame, since: date) -> str:
    settings = tracker.tracker
    counts = analysis.count_by_status(shown, settings)
    items = "".join(
        f'<li data-status="{_e(row.status)}">{_badge(row.label, row.colour)}<span class="n">{row.count}</span></li>'
        for row in counts.itertuples()
    )
    changed = int(changes["changed"].sum()) if not changes.empty else 0
    figures = [
        ("Progress score", f"{analysis.score_progress(shown, settings):g} / 100"),
        ("Stale", str(int(shown["stale"].sum()))),
        (f"Changed since {format_date(since.isoformat())}", str(changed)),
        ("Shown", f"{len(shown)} of {total}"),
    ]
    boxes = "".join(f'<div>{_e(label)}<span class="n">{_e(value)}</span></div>' for label, value in figures)
    return (
        '<section id="headline"><h2>Headline numbers</h2>'
        f'<ul class="counts">{items}</ul><div class="figures">{boxes}</div>'
        f'<p class="formula">{_e(analysis.describe_progress_formula(settings))} '
        f"Stale: no update or review within the review interval "
        f"({settings.review_interval_days} days unless a recommendation sets its own).</p></section>"
    )


def _recommendations_table(tracker: Tracker, shown: pd.DataFrame) -> str:
    colours = {s.id: s.colour for s in tracker.tracker.statuses}
    if shown.empty:
        return '<p class="note">No recommendation matches these filters on this date.</p>'
    rows = []
    for row in shown.itertuples():
        source = _link(row.last_source_url, row.last_source_title) if row.last_source_title else "—"
        stale = '<span class="stale">stale</span>' if row.stale else ""
        rows.append(
            f'<tr id="rec-{_e(row.id)}" data-status="{_e(row.status)}">'
            f"<td>{_e(row.title)}</td><td>{_e(row.addressee_labels)}</td><td>{_e(row.category_label)}</td>"
            f"<td>{_badge(row.status_label, colours.get(row.status, ''))}</td>"
            f'<td>{_e(format_date(row.last_update))}</td><td class="num">{int(row.days_in_status)}</td>'
            f"<td>{stale}</td><td>{source}</td></tr>"
        )
    head = "".join(
        f"<th>{name}</th>"
        for name in (
            "Recommendation",
            "Addressees",
            "Category",
            "Status",
            "Latest update",
            "Days in status",
            "Stale",
            "Latest source",
        )
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _changes_table(changes: pd.DataFrame, since: date, as_of: date) -> str:
    if changes.empty:
        return (
            f'<p class="note">No update was recorded between {_e(format_date(since.isoformat()))} and '
            f"{_e(format_date(as_of.isoformat()))} for the recommendations shown.</p>"
        )
    rows = "".join(
        f'<tr id="change-{_e(row.id)}"><td>{_e(row.title)}</td><td>{_e(row.status_before)}</td>'
        f"<td>{_e(row.status_after)}</td><td>{'yes' if row.changed else 'no'}</td>"
        f'<td class="num">{int(row.updates)}</td><td>{_e(format_date(row.latest))}</td>'
        f"<td>{_e(row.latest_note)}</td></tr>"
        for row in changes.itertuples()
    )
    head = "".join(
        f"<th>{name}</th>"
        for name in ("Recommendation", "Before", "After", "Status changed", "Updates", "Latest", "Latest note")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _definitions(tracker: Tracker) -> str:
    settings = tracker.tracker
    items = "".join(
        f'<tr><td>{_badge(s.label, s.colour)}</td><td>{_e(s.definition)}</td><td class="num">{s.weight:g}</td></tr>'
        for s in status_by_id(settings).values()
    )
    methodology = "".join(f"<p>{_e(part)}</p>" for part in settings.methodology.split("\n\n") if part.strip())
    return (
        '<section id="about"><h2>Methodology and status definitions</h2>'
        f"{methodology}<table><thead><tr><th>Status</th><th>Definition</th><th>Weight</th></tr></thead>"
        f"<tbody>{items}</tbody></table></section>"
    )


# Widths for the page; the dashboard stretches the same charts to its columns.
_BRIEF_WIDTHS = {"status_over_time": 900, "timeline": 620}


def render_brief(tracker: Tracker, view: View, *, since: date, permalink: str, generated: datetime) -> str:
    """One self-contained HTML page (no script, no network) describing a view:
    stamp, headline numbers, the four charts as inline SVG, the recommendations
    table and what changed since `since`. All text from the data is escaped."""
    settings = tracker.tracker
    log = analysis.list_updates(tracker)
    frame = analysis.statuses_as_of(tracker, view.as_of, log)
    shown = filter_recommendations(frame, view)
    subset = log[log["rec_id"].isin(shown["id"])]
    changes = analysis.list_changes(tracker, since, view.as_of, subset)
    fingerprint = data_fingerprint(dump_tracker(tracker))
    latest = analysis.latest_update(log, view.as_of)
    as_of_text = describe_as_of(view)

    figures = []
    for name, chart in build_charts(tracker, view, log, shown=shown).items():
        if name in _BRIEF_WIDTHS:
            chart = chart.properties(width=_BRIEF_WIDTHS[name])
        figures.append(f'<figure id="chart-{name}">{_inline_svg(chart, _title_text(chart) or name)}</figure>')

    stamp = [
        ("As of", f"{format_date(view.as_of.isoformat())} ({view.as_of.isoformat()})"),
        ("Latest update", format_date(latest) if latest else "—"),
        ("Filters", describe_filters(view, tracker)),
    ]
    stamp_html = "".join(f"<dt>{_e(key)}</dt><dd>{_e(value)}</dd>" for key, value in stamp)
    stamp_html += (
        f'<dt>Data</dt><dd>sha256 <code title="sha256 of the canonical data file">{fingerprint}</code></dd>'
        f"<dt>Generated</dt><dd>{_e(_when(generated))}</dd>"
        f"<dt>Permalink</dt><dd>{_link(permalink, permalink, allow_relative=True)}</dd>"
    )
    since_text = format_date(since.isoformat())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="recommendation tracker">
<title>{_e(settings.title)} — {_e(as_of_text)}</title>
<style>{BRIEF_CSS}</style>
</head>
<body>
<header>
<h1>{_e(settings.title)}</h1>
<p class="source">{_article(tracker)}</p>
<dl class="stamp">{stamp_html}</dl>
</header>
<main>
{_headline(tracker, shown, len(frame), changes, since)}
<section id="charts"><h2>Charts</h2><div class="charts">{"".join(figures)}</div></section>
<section id="recommendations"><h2>Recommendations ({len(shown)})</h2>{_recommendations_table(tracker, shown)}</section>
<section id="changes"><h2>What changed since {_e(since_text)}</h2>{_changes_table(changes, since, view.as_of)}</section>
{_definitions(tracker)}
</main>
<footer>Generated {_e(_when(generated))} from data sha256 {fingerprint[:FINGERPRINT_SHOWN]}. {_e(as_of_text)}; \
{_e(describe_filters(view, tracker))}.</footer>
</body>
</html>
"""


# --- Downloads --------------------------------------------------------------

# Everything a reader can download: key -> (label, file extension, MIME type).
DOWNLOADS = {
    "brief": ("One-page brief (HTML, works offline)", "html", "text/html"),
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
        for name in CHART_NAMES
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
    key: str, tracker: Tracker, view: View, *, frame: pd.DataFrame | None, permalink: str, generated: datetime
) -> str | bytes:
    """The content of one download for a view (`frame`: the filtered recommendations table)."""
    if key == "brief":
        return render_brief(tracker, view, since=view.changes_since(), permalink=permalink, generated=generated)
    if key == "data-yaml":
        return dump_tracker(tracker)
    what, fmt = key.rsplit("-", 1)
    if what in ("recommendations", "events"):
        return export_table(tracker, what=what, fmt=fmt, as_of=view.as_of, frame=frame if what != "events" else None)
    chart = build_charts(tracker, view)[what]
    return export_chart(stamp_chart(chart, view, tracker), fmt)
