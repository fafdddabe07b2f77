"""What a reader is looking at (filters, as-of date, selection) and its link form.

A view round-trips through URL query parameters, so a copied link reopens the same view. Bad
parameters become problems (data: `errors.Problem`); the page words them and falls back to defaults.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import pandas as pd

from . import filters as filter_table
from .edition import FutureMoment, NotARealMoment, end_of_day, parse_published, pin_moment, pin_older_link
from .errors import Problem
from .language import ENGLISH, Words, is_language
from .model import Settings, Tracker, format_timestamp, slugify, start_of

RECENT_DAYS = 90
MAX_LINK_VALUES = 200  # values read from one parameter; a vocabulary has a handful
_DAY = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # ASCII digits only: fromisoformat takes others too


@dataclass(frozen=True)
class View:
    """Everything that decides what the page shows. `filters` holds each filter's chosen ids by its
    parameter (`filters.FILTERS`); a mapping given here is kept in the table's order, empty ones left out."""

    as_of: date
    filters: tuple[tuple[str, tuple[str, ...]], ...] | Mapping[str, Sequence[str]] = ()
    query: str = ""
    rec: str | None = None
    since: date | None = None
    # The record-time clock: what the tracker had recorded by this moment (None: everything so far).
    published: datetime | None = None
    # The document shown (its id in the index of documents); None: the first, the default one.
    document: str | None = None
    # The language of the page (tracker.language); links keep it unless it is the default, English.
    lang: str = "en"

    def __post_init__(self):
        given = dict(self.filters)
        order = {name: n for n, name in enumerate(filter_table.parameters())}
        kept = sorted((name, tuple(values)) for name, values in given.items() if values)
        kept.sort(key=lambda item: order.get(item[0], len(order)))
        object.__setattr__(self, "filters", tuple(kept))

    def chosen(self, parameter: str) -> tuple[str, ...]:
        """The ids chosen for one filter (none: the filter is not set)."""
        return dict(self.filters).get(parameter, ())

    def choosing(self, parameter: str, values: Sequence[str]) -> View:
        """The view with one filter's ids replaced."""
        return replace(self, filters={**dict(self.filters), parameter: tuple(values)})

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the recommendations shown."""
        return bool(self.filters or self.query)

    @property
    def frozen(self) -> bool:
        """A frozen view pins both clocks, so it shows the same thing for as long as the link lives."""
        return self.published is not None

    def changes_since(self) -> date:
        """Start of the 'what changed' window (default: 90 days before as-of)."""
        return self.since or self.as_of - timedelta(days=RECENT_DAYS)


def earliest_date(tracker: Tracker) -> date:
    """The first day anything is tracked (the earliest baseline)."""
    starts = [start_of(rec.updates[0].date) for rec in tracker.recommendations]
    return min(starts) if starts else start_of(tracker.settings.article.published)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_terms(params: Mapping[str, str], row: filter_table.Filter, settings: Settings) -> tuple[tuple, list[Problem]]:
    """One filter's ids from a link (the known ones, once each) and a problem for the unknown ones."""
    known = set(row.labels(settings))
    values = _split(params.get(row.parameter, ""))[:MAX_LINK_VALUES]
    unknown = list(dict.fromkeys(value for value in values if value not in known))
    problems = []
    if len(unknown) == 1:
        problems.append(Problem(code="unknown_value", field=row.parameter, params={"values": tuple(unknown)}))
    elif unknown:
        # One problem for any number of bogus values: a link cannot flood the page with alerts.
        problems.append(Problem(code="unknown_values", field=row.parameter, params={"values": tuple(unknown)}))
    return tuple(dict.fromkeys(value for value in values if value in known)), problems


def parse_day(params: Mapping[str, str], key: str, tracker: Tracker, today: date) -> tuple[date | None, list[Problem]]:
    """A day from a link (as_of, since): not in the future, not before tracking began."""
    value = params.get(key)
    if not value:
        return None, []
    try:
        if not _DAY.match(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        return None, [Problem(code="not_a_date", field=key, params={"values": (value[:20],)})]
    if parsed > today:
        return None, [Problem(code="future_date", field=key, params={"values": (parsed.isoformat(),)})]
    earliest = earliest_date(tracker)
    if parsed < earliest:
        facts = {"values": (parsed.isoformat(),), "earliest": earliest.isoformat()}
        return None, [Problem(code="before_tracking", field=key, params=facts)]
    return parsed, []


def parse_moment(value: str, now: datetime) -> tuple[datetime | None, list[Problem]]:
    """A record time from a link or a request (`published`)."""
    try:
        return parse_published(value, now), []
    except FutureMoment:
        return None, [Problem(code="future_time", field="published", params={"values": (value[:30],)})]
    except NotARealMoment:
        return None, [Problem(code="not_a_real_time", field="published", params={"values": (value[:30],)})]
    except ValueError:
        return None, [Problem(code="not_a_time", field="published", params={"values": (value[:30],)})]


def parse_view(
    params: Mapping[str, str], tracker: Tracker, today: date, now: datetime | None = None
) -> tuple[View, list[Problem]]:
    """Read a view from a link's query parameters; returns it and a problem per bad parameter (the
    page words them and shows its defaults instead; the API refuses them: `api.parse_query`).

    `published` pins the record time; an older frozen link (`as_of=D&frozen=1` with no
    `published`) means the tracker as published at the end of day D (see `pin_older_link`)."""
    settings = tracker.settings
    problems: list[Problem] = []
    as_of, found = parse_day(params, "as_of", tracker, today)
    problems += found
    since, found = parse_day(params, "since", tracker, today)
    problems += found
    rec = params.get("rec") or None
    if rec and rec not in {r.id for r in tracker.recommendations}:
        problems.append(Problem(code="unknown_rec", field="rec", params={"values": (rec[:60],)}))
        rec = None
    published = None
    if params.get("published"):
        published, found = parse_moment(params["published"], now or end_of_day(today))
        problems += found
        if published is not None:
            published = pin_moment(tracker, published)  # a moment before the first record: the first
    if published is None and params.get("frozen") == "1" and as_of is not None:
        published = pin_older_link(tracker, as_of)
    if published is not None and as_of is None:
        as_of = min(published.date(), today)
    chosen = {}
    for row in filter_table.FILTERS:
        chosen[row.parameter], found = parse_terms(params, row, settings)
        problems += found
    view = View(
        as_of=as_of or today,
        filters=chosen,
        query=params.get(filter_table.SEARCH, "")[:100],
        rec=rec,
        since=since if since is None or since < (as_of or today) else None,
        published=published,
        # Which document: read by the page, which knows the documents (`document_of`); kept in the link.
        document=document_of(params),
        lang=language_of(params) or "en",
    )
    return view, problems


_DOCUMENT_ID = re.compile(r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")


def document_of(params: Mapping[str, str]) -> str | None:
    """The document a link names (`doc=`), when it is written as an id can be (ASCII); None otherwise."""
    value = params.get("doc") or ""
    return value if len(value) <= 60 and _DOCUMENT_ID.match(value) else None


def language_of(params: Mapping[str, str]) -> str | None:
    """The language a link names (`lang=`), when the tracker speaks it; None otherwise."""
    value = params.get("lang") or ""
    return value if is_language(value) else None


def view_to_params(view: View, today: date) -> dict[str, str]:
    """The query parameters of a view; defaults are left out so links stay short."""
    params = {name: ",".join(values) for name, values in view.filters}
    if view.query:
        params[filter_table.SEARCH] = view.query
    if view.as_of != today or view.frozen:
        params["as_of"] = view.as_of.isoformat()
    if view.frozen:
        params["frozen"] = "1"
        params["published"] = format_timestamp(view.published)
    if view.since:
        params["since"] = view.since.isoformat()
    if view.rec:
        params["rec"] = view.rec
    if view.document:
        params["doc"] = view.document
    if view.lang != "en":
        params["lang"] = view.lang
    return params


def build_link(base_url: str, view: View, today: date, *, freeze_at: datetime | None = None, page: str = "") -> str:
    """A shareable link to a view, on one of the app's pages (`page`: its url path; "" is the
    overview, which also forwards an older link's `rec` or filters to their page); `freeze_at`
    pins the record time there (a frozen view keeps its own)."""
    pinned = replace(view, published=freeze_at) if freeze_at is not None and not view.frozen else view
    query = urlencode(view_to_params(pinned, today), safe=":,")
    base = f"{base_url.rstrip('/')}/{page}" if page else base_url
    if not query:
        return base
    return f"{base}?{query}" if page else f"{base_url.rstrip('/')}/?{query}"


def filter_recommendations(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of a statuses table that match the view's filters."""
    keep = pd.Series(True, index=frame.index)
    for name, values in view.filters:
        row = filter_table.filter_by_parameter(name)
        if row is None:
            continue
        if row.many:
            wanted = set(values)
            keep &= frame[row.column].map(lambda items, wanted=wanted: bool(wanted.intersection(items)))
        else:
            keep &= frame[row.column].isin(values)
    if view.query:
        needle = view.query.casefold()
        text = frame["title"] + " " + frame["id"] + " " + frame["last_note"]
        keep &= text.str.casefold().str.contains(needle, regex=False)
    return frame[keep]


def describe_filters(view: View, tracker: Tracker, w: Words = ENGLISH) -> str:
    """The active filters in words, for stamps on exports ('All recommendations' when none)."""
    parts = []
    for name, values in view.filters:
        row = filter_table.filter_by_parameter(name)
        labels = row.labels(tracker.settings)
        parts.append(f"{w.t(row.label)}: {', '.join(labels.get(v, v) for v in values)}")
    if view.query:
        parts.append(w.t("Search: “{query}”", query=view.query))
    return "; ".join(parts) or w.t("All recommendations")


def describe_as_of(view: View, w: Words = ENGLISH) -> str:
    """'As of 27 Nov 2026' for stamps and headers."""
    return w.t("As of {date}", date=w.date(view.as_of.isoformat()))


def find_close_recommendations(asked: str, tracker: Tracker, limit: int = 3) -> list[str]:
    """The ids of the recommendations a mistyped id most likely meant, best first: those whose id or title
    holds it (a shortened id: 'gsomia'), then difflib's closest by id or title; none when nothing is close."""
    candidates: dict[str, str] = {}
    for rec in tracker.recommendations:
        candidates.setdefault(rec.id, rec.id)
        candidates.setdefault(slugify(rec.title), rec.id)
    wanted = slugify(asked)
    holding = [name for name in candidates if len(wanted) >= 3 and wanted in name]
    close = difflib.get_close_matches(wanted, list(candidates), n=limit * 2, cutoff=0.5)
    return list(dict.fromkeys(candidates[name] for name in holding + close))[:limit]
