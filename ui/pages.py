"""The dashboard's pages (st.navigation): what each one shows, in reading order.

Every page gets the same `Context` from the page script (dashboard.py), which loads the data,
reads the link, draws the sidebar and then runs the page the reader asked for. Each page has its
own address (its url path) and browser-tab title; older links to `/` that name a recommendation,
filters or a 'since' date are forwarded to the page that shows them (tracker.view.forward_old_link).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from tracker import analysis
from tracker.model import Tracker, format_date, labels_of, status_by_id
from tracker.text import escape_markdown, markdown_link, render_status_table
from tracker.view import View, describe_filters, earliest_date, filter_recommendations, view_to_params
from ui.data import changes_cached, chart_specs, statuses_cached
from ui.editor import editor_ui
from ui.reader import (
    FRESHNESS,
    changes_ui,
    downloads_ui,
    frozen_notice_ui,
    header_ui,
    metrics_ui,
    page_address,
    recommendation_ui,
    remember_pick,
    summary_charts_ui,
    timeline_charts_ui,
)
from ui.state import read_state
from ui.suggest import queue_ui, suggest_form_ui, suggestion_status_ui
from ui.table import link_colour, render_latest_changes, table_ui

EMPTY_TRACKER = (
    "This tracker holds no recommendations yet. Editors can add the first one with "
    "“Add a recommendation” on the Edit page."
)
LATEST_CHANGES = 5
SUMMARY = ("status_by_category", "scorecard")  # the two summary charts (Overview, All recommendations)


@dataclass
class Context:
    """What every page reads: the data as the view shows it, and who is looking."""

    tracker: Tracker
    log: pd.DataFrame
    view: View
    location: str
    revision: str
    today: date
    who: object
    seen: dict
    # All recommendations: the view before a click on a chart narrowed it (what its charts draw).
    chart_view: View | None = None
    frozen: tuple | None = None
    pages: dict | None = None
    suggesting: bool = False  # readers may suggest updates (the switch)
    waiting: int = 0  # suggestions waiting for an editor (counted for editors only)

    @property
    def frame(self) -> pd.DataFrame:
        """Every recommendation's status on the view's day."""
        return statuses_cached(self.location, self.revision, self.today, self.view.as_of, self.view.published)

    def specs(self, ids, names: tuple[str, ...]) -> dict[str, dict]:
        """The charts `names` for some recommendations (only their rows are computed)."""
        view = self.view
        return chart_specs(self.location, self.revision, self.today, view.as_of, tuple(ids), view.published, names)

    def recent(self, ids) -> pd.DataFrame:
        """What changed for some recommendations in the view's 'what changed' window."""
        view = self.view
        return changes_cached(
            self.location, self.revision, self.today, view.changes_since(), view.as_of, tuple(ids), view.published
        )

    def sentences(self, shown: pd.DataFrame) -> dict[str, str]:
        start = earliest_date(self.tracker)
        events = len(analysis.list_context_events(self.tracker, start, self.view.as_of))
        return analysis.describe_charts(shown, self.tracker.settings, start, self.view.as_of, events)


def _filtered(ctx: Context, page: str) -> pd.DataFrame | None:
    """The recommendations the filters keep, after a sentence naming the filters; None when none is kept."""
    if not ctx.tracker.recommendations:
        st.info(EMPTY_TRACKER)
        return None
    frame = ctx.frame
    shown = filter_recommendations(frame, ctx.view)
    words = escape_markdown(describe_filters(ctx.view, ctx.tracker))
    as_of = format_date(ctx.view.as_of.isoformat())
    if shown.empty:
        st.info(
            f"No recommendation matches these filters ({words}) as of {as_of}. "
            "Clear a filter in the sidebar to see more."
        )
        return None
    clicked = ctx.chart_view is not None and ctx.chart_view != ctx.view
    where = "filters are in the sidebar" + (
        "; narrowed by your click on a chart, click its background to undo" if clicked else ""
    )
    st.markdown(f"**Showing {len(shown)} of {len(frame)}** · {words} · as of {as_of} ({where}).")
    return shown


def title_ui(ctx: Context, title: str, page: str) -> None:
    """A page's heading and, on a frozen view, what it pins (the overview and a recommendation's page
    say it under their header)."""
    st.title(title)
    if ctx.view.frozen and ctx.frozen is not None:
        frozen_notice_ui(ctx.view, *ctx.frozen, page=page)


def _open_recommendation(ctx: Context, rec_id: str) -> None:
    st.switch_page(ctx.pages["recommendation"], query_params={"rec": rec_id})


def status_strip(tracker: Tracker, frame: pd.DataFrame | None = None) -> None:
    """One compact line per status: its colour swatch, label and (with `frame`) count; never colour alone."""
    counts = frame["status"].value_counts() if frame is not None else None
    items = "".join(
        '<li style="display:inline-flex;align-items:center;gap:.35rem;margin:0 1rem .25rem 0">'
        f'<span aria-hidden="true" style="display:inline-block;width:.9rem;height:.9rem;border-radius:2px;'
        f'background:{html.escape(status.colour)}"></span>'
        f"{html.escape(status.label)}"
        + (f" <strong>{int(counts.get(status.id, 0))}</strong>" if counts is not None else "")
        + "</li>"
        for status in status_by_id(tracker.settings).values()
    )
    st.html(f'<ul aria-label="Recommendations per status" style="list-style:none;padding:0;margin:0">{items}</ul>')


def overview_page(ctx: Context) -> None:
    tracker, view, log = ctx.tracker, ctx.view, ctx.log
    header_ui(tracker, view, log, ctx.frozen, dates=not tracker.recommendations)  # the answer says them
    if not tracker.recommendations:
        st.info(EMPTY_TRACKER)
        return
    frame = ctx.frame
    reviewed, event = analysis.latest_update(log, view.as_of), analysis.latest_event(tracker, log, view.as_of)
    answer = escape_markdown(analysis.describe_overview(frame, tracker.settings, reviewed, event))
    # The answer beside the latest changes, the charts under both: all of it in a laptop's first screen;
    # on a phone the columns stack, the answer and the strip first.
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.markdown(f"**{answer}**", help=FRESHNESS)
        status_strip(tracker, frame)
        score = analysis.score_progress(frame, tracker.settings)
        st.markdown(
            f"Progress score **{score:g} / 100**",
            help=escape_markdown(analysis.describe_progress_formula(tracker.settings)) + " See the Methodology page.",
        )
        st.page_link(ctx.pages["changes"], label="Everything that changed in a period →")
        if ctx.suggesting:
            st.page_link(ctx.pages["suggest"], label="Seen news? Suggest an update →")
    with right:
        latest_changes_ui(ctx)
    st.header("Where things stand")
    summary_charts_ui(ctx.specs(frame["id"], SUMMARY), ctx.sentences(frame), clickable=False)


def latest_changes_ui(ctx: Context) -> None:
    """The latest status changes: one compact list, each linking to its recommendation's page and its source."""
    st.header("Latest changes")
    changes = analysis.list_latest_changes(ctx.tracker, ctx.log, ctx.view.as_of, LATEST_CHANGES)
    if changes.empty:
        st.caption("No status has changed yet.")
    else:
        st.html(render_latest_changes(changes, page_address(), view_to_params(ctx.view, ctx.today), link_colour()))


def recommendations_page(ctx: Context) -> None:
    title_ui(ctx, "All recommendations", "recommendations")
    shown = _filtered(ctx, "recommendations")  # a click on a chart narrows it like a filter (dashboard.py)
    if shown is None:
        return
    view = ctx.view
    ids = tuple(shown["id"])
    recent = changes_cached(
        ctx.location, ctx.revision, ctx.today, view.changes_since(), view.as_of, ids, view.published
    )
    status_strip(ctx.tracker, shown)
    metrics_ui(ctx.tracker, shown, view, recent)
    st.header("Recommendations")
    st.caption("Each title opens that recommendation's page.")
    # A recommendation's link keeps the view (its filters stay with the visit, as from the sidebar).
    table_ui(shown, ctx.tracker.settings, page_address(), view_to_params(replace(view, rec=None), ctx.today))
    st.header("By category and addressee")
    # The charts draw the view before any click, so a click shows as a highlight and can be undone.
    charted = filter_recommendations(ctx.frame, ctx.chart_view or view)
    summary_charts_ui(ctx.specs(charted["id"], SUMMARY), ctx.sentences(charted), clickable=True)
    downloads_ui(ctx.tracker, view, shown, ctx.today)


def recommendation_page(ctx: Context) -> None:
    tracker = ctx.tracker
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    if not titles:
        st.title("Recommendation")
        st.info(EMPTY_TRACKER)
        return
    # The address names the recommendation; a link followed in this session changes it.
    asked = st.query_params.get("rec")
    if asked in titles and asked != read_state("_url_rec", str):
        st.session_state["f_rec"] = asked
    if read_state("f_rec", str) not in titles:
        st.session_state["f_rec"] = next(iter(titles))
    rec_id = st.session_state["f_rec"]
    st.session_state["_url_rec"] = rec_id
    st.set_page_config(page_title=f"{titles[rec_id][:60]} · Recommendation tracker")
    # Its own dates are in its status line: the tracker's latest ones would mislead here.
    header_ui(tracker, replace(ctx.view, rec=rec_id), ctx.log, ctx.frozen, title=titles[rec_id], page="recommendation",
              dates=False)  # fmt: skip
    st.selectbox("Recommendation", list(titles), key="f_rec", format_func=titles.get)
    recommendation_ui(tracker, ctx.view, ctx.log, ctx.frame, st.session_state["f_rec"])
    if ctx.suggesting:
        st.page_link(
            ctx.pages["suggest"],
            label="Seen news about this recommendation? Suggest an update →",
            query_params={"rec": st.session_state["f_rec"]},
        )


def timeline_page(ctx: Context) -> None:
    title_ui(ctx, "Timeline", "timeline")
    shown = _filtered(ctx, "timeline")
    if shown is None:
        return
    specs = ctx.specs(shown["id"], ("status_over_time", "timeline"))
    sentences = ctx.sentences(shown)
    picked = timeline_charts_ui(specs, sentences)
    band = picked[0] if picked else None
    if remember_pick("band", band):
        _open_recommendation(ctx, band)
    st.header("Context events")
    # The same events, numbered the same way, as the chart marks (tracker.charts.chart_data).
    events = analysis.list_context_events(ctx.tracker, earliest_date(ctx.tracker), ctx.view.as_of)
    if events.empty:
        st.caption("No context event is recorded for this period.")
        return
    lines = [
        f"{event.number}. **{event.date_label}** — {escape_markdown(event.title)} ({escape_markdown(event.kind_label)})"
        + (f": {markdown_link(event.source_title or event.source_url, event.source_url)}" if event.source_url else "")
        for event in events.itertuples()
    ]
    st.markdown("\n".join(lines))


def changes_page(ctx: Context) -> None:
    title_ui(ctx, "Changes", "changes")
    shown = _filtered(ctx, "changes")
    if shown is None:
        return
    view = ctx.view
    ids = tuple(shown["id"])
    recent = changes_cached(
        ctx.location, ctx.revision, ctx.today, view.changes_since(), view.as_of, ids, view.published
    )
    changes_ui(ctx.tracker, view, ctx.log, shown["id"], recent)


def methodology_page(ctx: Context) -> None:
    settings = ctx.tracker.settings
    title_ui(ctx, "Methodology", "methodology")
    st.markdown(escape_markdown(settings.methodology))
    st.header("Statuses")
    st.caption("Each status has a colour, used on every chart, and always appears with its name.")
    status_strip(ctx.tracker)
    # A Markdown table wraps long definitions, where a data grid would cut them off.
    st.markdown(render_status_table(settings))
    st.header("Progress score")
    st.markdown(escape_markdown(analysis.describe_progress_formula(settings)))  # it names the status labels
    st.markdown(
        f"A recommendation is **stale** when it has had no update or review for "
        f"{settings.review_interval_days} days (some recommendations set their own interval)."
    )
    st.header("Sources")
    st.markdown(
        "Every status change rests on at least one dated public source whose kind may carry a change; "
        "a review that finds nothing new keeps the status and resets the staleness clock."
    )
    rows = ["| Kind | Definition | May carry a status change |", "|---|---|---|"]
    for kind in settings.source_kinds:
        cells = [escape_markdown(" ".join(text.split())) for text in (kind.label, kind.definition)]
        rows.append(f"| {cells[0]} | {cells[1]} | {'yes' if kind.supports_change else 'no'} |")
    st.markdown("\n".join(rows))
    st.header("Limits of the data")
    labels = labels_of(settings.statuses)
    st.markdown(
        "- Only public sources are used: what happened out of view is not tracked.\n"
        "- A date known only to the month or year counts from its first day; no day is invented.\n"
        f"- A status is a judgement between {len(labels)} steps, explained in each recommendation's assessment.\n"
        "- The as-of date shows things as they stood in the world; a frozen link also pins what had been "
        "recorded by its moment."
    )


def suggest_page(ctx: Context) -> None:
    suggest_form_ui(ctx, ctx.pages["suggestion"])


def suggestion_page(ctx: Context) -> None:
    suggestion_status_ui(ctx, ctx.pages["recommendation"])


def edit_page(ctx: Context) -> None:
    label = f"Suggestions ({ctx.waiting} waiting)" if ctx.waiting else "Suggestions"
    queue = (label, lambda: queue_ui(ctx, ctx.who))
    editor_ui(ctx.tracker, ctx.frame, ctx.location, ctx.who, ctx.today, ctx.seen, queue=queue)


# url path -> (how it draws, title, icon); "" is the overview, the default page.
PAGES = {
    "": (overview_page, "Overview", ":material/home:"),
    "recommendations": (recommendations_page, "All recommendations", ":material/list:"),
    "recommendation": (recommendation_page, "Recommendation", None),  # hidden: one per ?rec=
    "timeline": (timeline_page, "Timeline", ":material/timeline:"),
    "changes": (changes_page, "Changes", ":material/compare_arrows:"),
    "methodology": (methodology_page, "Methodology", ":material/rule:"),
    "suggest": (suggest_page, "Suggest an update", ":material/add_comment:"),
    "suggestion": (suggestion_page, "Your suggestion", None),  # hidden: one per ?ref=
    "edit": (edit_page, "Edit", ":material/edit:"),
}
HIDDEN = ("recommendation", "suggestion")


def build_pages(ctx: Context, *, editing: bool) -> dict[str, st.Page]:
    """The pages, keyed by url path ("" is the overview); Edit only for someone who may edit (its title
    counts the suggestions waiting), the suggestion form only while suggestions are on (a reader's
    status link keeps working when they are turned off)."""
    pages = {}
    for path, (draw, title, icon) in PAGES.items():
        if (path == "edit" and not editing) or (path == "suggest" and not ctx.suggesting):
            continue
        if path == "edit" and ctx.waiting:
            title = f"Edit ({ctx.waiting} suggestion{'s' if ctx.waiting > 1 else ''})"
        pages[path] = st.Page(
            lambda draw=draw: draw(ctx),
            title=title,
            icon=icon,
            url_path=path or "overview",
            default=not path,
            visibility="hidden" if path in HIDDEN else "visible",
        )
    return pages


def page_key(pages: dict, current) -> str:
    """The url path (our key) of the page being shown."""
    return next((key for key, page in pages.items() if page.url_path == current.url_path), "")
