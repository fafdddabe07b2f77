"""Parts several pages share: the filtered rows with the sentence that names the filters, a page's
heading, the status strip, the latest changes. Layout only; the numbers come from `tracker/`."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from tracker import analysis
from tracker.language import mark
from tracker.model import Tracker, status_by_id
from tracker.text import escape_markdown
from tracker.view import describe_filters, filter_recommendations, view_to_params
from ui.context import Context
from ui.follow import twin_link
from ui.reader import frozen_notice_ui, page_address
from ui.table import link_colour, render_latest_changes
from ui.words import current_words, day, number, t

EMPTY_TRACKER = mark(
    "This tracker holds no recommendations yet. Editors can add the first one with "
    "“Add a recommendation” on the Edit page."
)
LATEST_CHANGES = 5


def filtered_rows(ctx: Context) -> pd.DataFrame | None:
    """The recommendations the filters keep, after a sentence naming the filters; None when none is kept."""
    if not ctx.tracker.recommendations:
        st.info(t(EMPTY_TRACKER))
        return None
    frame = ctx.frame
    shown = filter_recommendations(frame, ctx.view)
    words = escape_markdown(describe_filters(ctx.view, ctx.tracker, current_words()))
    as_of = day(ctx.view.as_of)
    if shown.empty:
        st.info(
            t(
                "No recommendation matches these filters ({filters}) as of {date}. "
                "Clear a filter in the sidebar to see more.",
                filters=words,
                date=as_of,
            )
        )
        return None
    counts = {"shown": number(len(shown)), "total": number(len(frame)), "filters": words, "date": as_of}
    st.markdown(t("**Showing {shown} of {total}** · {filters} · as of {date} (filters are in the sidebar).", **counts))
    return shown


def title_ui(ctx: Context, title: str, page: str) -> None:
    """A page's heading and, on a frozen view, what it pins (the overview and a recommendation's page
    say it under their header)."""
    st.title(title)
    twin = twin_link(page)
    if twin:
        st.markdown(t("Also as a {link} of the latest edition (no script needed).", link=twin))
    if ctx.view.frozen and ctx.frozen is not None:
        frozen_notice_ui(ctx.view, *ctx.frozen, page=page)


def status_strip(tracker: Tracker, frame: pd.DataFrame | None = None, note: str = "") -> None:
    """One compact line per status: its colour swatch, label and (with `frame`) count; never colour alone.
    A `note` (plain text) goes above it, in the same element: each element costs a reader's browser more
    to draw than its few lines of text."""
    counts = frame["status"].value_counts() if frame is not None else None
    items = "".join(
        '<li style="display:inline-flex;align-items:center;gap:.35rem;margin:0 1rem .25rem 0">'
        f'<span aria-hidden="true" style="display:inline-block;width:.9rem;height:.9rem;border-radius:2px;'
        f'background:{html.escape(status.colour)}"></span>'
        f"{html.escape(status.label)}"
        + (f" <strong>{html.escape(number(int(counts.get(status.id, 0))))}</strong>" if counts is not None else "")
        + "</li>"
        for status in status_by_id(tracker.settings).values()
    )
    above = f'<p style="font-size:.875rem;color:#4d4d57;margin:0 0 .75rem 0">{html.escape(note)}</p>' if note else ""
    named = html.escape(t("Recommendations per status"))
    st.html(f'{above}<ul aria-label="{named}" style="list-style:none;padding:0;margin:0">{items}</ul>')


def latest_changes_ui(ctx: Context) -> None:
    """The latest status changes: one compact list, each linking to its recommendation's page and its source."""
    st.header(t("Latest changes"))
    changes = analysis.list_latest_changes(ctx.tracker, ctx.log, ctx.view.as_of, LATEST_CHANGES)
    if changes.empty:
        st.caption(t("No status has changed yet."))
    else:
        st.html(render_latest_changes(changes, page_address(), view_to_params(ctx.view, ctx.today), link_colour()))
