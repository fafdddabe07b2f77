"""What the server prepares before it says it is ready: the first reader's page.

Without it the first reader after a restart waits for the app's own first run: its modules imported
(pandas, Altair, SQLAlchemy and the app's own), the first document read and validated, its statuses
worked out and its two summary charts compiled by Altair. `app.py` runs `warm_first_page` in its lifespan,
before the health check answers, so a load balancer or a restart script sends readers only to a server
that has done that work (a page asked for during the warm-up waits for it, as it would have anyway).

It goes through the very cached functions the pages call, with the arguments a first visit gives them
(the first document, today, in English, no filter), so the page finds them in Streamlit's caches. If the
data cannot be read, it prepares nothing and the page says why, as it always has.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

import ui
from tracker import analysis, clock, evidence
from tracker.clock import BadClockSetting
from tracker.errors import TrackerError
from tracker.language import DEFAULT as DEFAULT_LANGUAGE
from tracker.language import words
from tracker.view import View
from ui.context import Context
from ui.data import data_location, document_titles, documents_cached, load_cached, open_cached_store
from ui.page_parts import LATEST_CHANGES
from ui.reader import BAR_FILTERS, DRAWN_SUMMARY


@dataclass(frozen=True)
class Warmed:
    """What was prepared: the document shown first and its revision (None: nothing, the page will say why)."""

    document: str | None
    revision: str | None = None
    reason: str = ""


def import_widgets() -> list[str]:
    """Import every module of the `ui` package (the pages' widgets and their dependencies); the pages
    themselves are scripts, run by Streamlit, never imported."""
    names = [f"ui.{info.name}" for info in pkgutil.iter_modules(ui.__path__) if info.name != "pages"]
    for name in names:
        importlib.import_module(name)
    return names


# Outside a reader's run Streamlit logs that there is no session for each element: there is none on purpose.
NO_SESSION_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def warm_streamlit() -> None:
    """Streamlit's own once-per-process work, done here rather than in the first reader's run (a profile of
    that run found it took most of its time): the first element drawn checks whether it runs in a Python
    shell by reading the source of every frame on the stack (a page's stack is deep, this one is not), and
    the first page icon loads Streamlit's table of emoji (any emoji does). Outside a run both draw nothing."""
    quiet = logging.getLogger(NO_SESSION_LOGGER)
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        st.set_page_config(page_icon="📋")
        st.empty()
    finally:
        quiet.setLevel(level)


def warm_first_page(environ: Mapping[str, str]) -> Warmed:
    """Fill the caches the Overview of the first document reads on a first visit (see the module's doc)."""
    import_widgets()
    warm_streamlit()
    try:
        today = clock.today(environ)
        documents = documents_cached(data_location())
        if not documents:
            return Warmed(None, reason="no document")
        first = documents[0]
        revision = open_cached_store(first.location).revision()
        tracker, log, _ = load_cached(first.location, revision, today)
        document_titles(documents, today)
    except (BadClockSetting, TrackerError) as error:
        return Warmed(None, reason=str(error))
    ctx = Context(tracker=tracker, log=log, view=View(as_of=today), location=first.location, revision=revision,
                  today=today, who=None, seen={}, pages={}, source=tracker)  # fmt: skip
    if tracker.recommendations:
        frame = ctx.frame
        ctx.drawings(frame["id"], DRAWN_SUMMARY)  # also vl-convert's first drawing (its engine starting)
        ctx.marks(frame["id"], DRAWN_SUMMARY, {name: BAR_FILTERS[name][0] for name in DRAWN_SUMMARY})
        ctx.chart_rows(frame["id"], tuple(DRAWN_SUMMARY))
        ctx.sentences(frame)
        # What the Overview works out on every visit (not cached: it is quick once pandas and pyarrow have
        # done their first-use work, which a profile of the first reader's run found there).
        analysis.describe_overview(frame, tracker.settings, analysis.latest_update(log, today, tracker),
                                   analysis.latest_event(tracker, log, today), words(DEFAULT_LANGUAGE))  # fmt: skip
        analysis.list_latest_changes(tracker, log, today, LATEST_CHANGES)
        evidence.find_evidence_gap(tracker, log, today)
        analysis.score_progress(frame, tracker.settings)
        frame["status"].value_counts()
    return Warmed(first.id, revision)
