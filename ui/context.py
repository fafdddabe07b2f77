"""What every page reads: the data as the view shows it, and who is looking. The page script
(dashboard.py) builds it once per run, sets it as the current context, then runs the page's script
(ui/pages/), which reads it with `current()`: the same thread runs both."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker import analysis
from tracker.language import words
from tracker.model import Tracker
from tracker.view import View, earliest_date
from ui.data import chart_drawings, chart_marks, chart_rows, statuses_cached


@dataclass
class Context:
    """The data as the view shows it (`tracker` and `log` as published at the view's moment), where it
    lives, who is looking and the pages registered this run (st.Page objects by address)."""

    tracker: Tracker
    log: pd.DataFrame
    view: View
    location: str
    revision: str
    today: date
    who: object
    seen: dict
    pages: dict
    frozen: tuple | None = None  # a frozen view's fingerprint and what was recorded later
    suggesting: bool = False  # readers may suggest updates (the switch)
    portfolio: str = ""  # where every document is (the index or the database)
    document: str = ""  # the id of the document shown
    waiting: int = 0  # suggestions waiting for an editor (counted for editors only)
    # The tracker as stored, in English: what editors edit (`tracker` is in the reader's language).
    source: Tracker | None = None
    # What each text of the data reads as in the page's language (translation.describe_texts); {} in English.
    texts: dict = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """Every recommendation's status on the view's day."""
        view = self.view
        return statuses_cached(self.location, self.revision, self.today, view.as_of, view.published, view.lang)

    @property
    def source_frame(self) -> pd.DataFrame:
        """Every recommendation's status on the view's day, in the data's own words (for the Edit page)."""
        return statuses_cached(self.location, self.revision, self.today, self.view.as_of, self.view.published)

    def drawings(self, ids, widths: Mapping[str, tuple[int, ...]]) -> dict[str, dict[int, str]]:
        """The charts named in `widths` for some recommendations, drawn as SVG text at each width (px)."""
        view = self.view
        sizes = tuple((name, tuple(each)) for name, each in widths.items())
        return chart_drawings(
            self.location, self.revision, self.today, view.as_of, tuple(ids), view.published, sizes, view.lang
        )

    def marks(self, ids, widths: Mapping[str, tuple[int, ...]], datasets: Mapping[str, str]) -> dict:
        """Where the marks of each chart named in `widths` (drawn from its dataset in `datasets`) fall in
        its drawing at each width (`drawing.place_marks`), keyed by chart and width."""
        view = self.view
        sizes = tuple((name, tuple(each)) for name, each in widths.items())
        chosen = tuple(datasets[name] for name in widths)
        return chart_marks(
            self.location, self.revision, self.today, view.as_of, tuple(ids), view.published, sizes, chosen, view.lang
        )

    def chart_rows(self, ids, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
        """The rows of the charts `names` for some recommendations, keyed by dataset."""
        view = self.view
        return chart_rows(
            self.location, self.revision, self.today, view.as_of, tuple(ids), view.published, names, view.lang
        )

    def sentences(self, shown: pd.DataFrame) -> dict[str, str]:
        start = earliest_date(self.tracker)
        events = len(analysis.list_context_events(self.tracker, start, self.view.as_of))
        return analysis.describe_charts(
            shown, self.tracker.settings, start, self.view.as_of, events, words(self.view.lang)
        )


_current: ContextVar[Context] = ContextVar("current_page_context")


def set_current(ctx: Context) -> None:
    _current.set(ctx)


def current() -> Context:
    """The context the page script set for this run."""
    return _current.get()
