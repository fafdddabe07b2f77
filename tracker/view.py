"""What a reader is looking at (filters, as-of date, selection) and its link form.

A view round-trips through URL query parameters, so a copied link reopens the
same view. Bad parameters become plain warnings and fall back to defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import pandas as pd

from .edition import FutureMoment, end_of_day, parse_published, pin_moment, pin_older_link
from .model import Tracker, format_date, format_timestamp, labels_of, start_of

RECENT_DAYS = 90
MAX_LINK_VALUES = 200  # values read from one parameter; a vocabulary has a handful
SHOWN_UNKNOWN = 3  # unknown values quoted in a warning


@dataclass(frozen=True)
class View:
    """Everything that decides what the page shows."""

    as_of: date
    statuses: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    query: str = ""
    rec: str | None = None
    priorities: tuple[str, ...] = ()
    since: date | None = None
    # The record-time clock: what the tracker had recorded by this moment (None: everything so far).
    published: datetime | None = None

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the recommendations shown."""
        return bool(self.statuses or self.addressees or self.categories or self.priorities or self.query)

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


def parse_view(params: dict, tracker: Tracker, today: date, now: datetime | None = None) -> tuple[View, list[str]]:
    """Read a view from query parameters; returns it and a warning per bad parameter.

    `published` pins the record time; an older frozen link (`as_of=D&frozen=1` with no
    `published`) means the tracker as published at the end of day D (see `pin_older_link`)."""
    settings = tracker.settings
    warnings: list[str] = []

    def terms(key, vocabulary, what, plural):
        known = {term.id for term in vocabulary}
        values = _split(params.get(key, ""))[:MAX_LINK_VALUES]
        chosen = [value for value in values if value in known]
        unknown = list(dict.fromkeys(value for value in values if value not in known))
        if len(unknown) == 1:
            warnings.append(
                f"The link asks for the {what} '{unknown[0][:40]}', which this tracker does not have; it was ignored."
            )
        elif unknown:
            # One sentence for any number of bogus values: a link cannot flood the page with alerts.
            named = ", ".join(f"'{value[:40]}'" for value in unknown[:SHOWN_UNKNOWN])
            more = f" and {len(unknown) - SHOWN_UNKNOWN:,} more" if len(unknown) > SHOWN_UNKNOWN else ""
            warnings.append(
                f"The link asks for {len(unknown):,} {plural} this tracker does not have ({named}{more}); "
                "they were ignored."
            )
        return tuple(dict.fromkeys(chosen))

    def day(key, what):
        value = params.get(key)
        if not value:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            warnings.append(
                f"The link's {what} '{value[:20]}' is not a date (YYYY-MM-DD); showing the default instead."
            )
            return None
        if parsed > today:
            warnings.append(f"The link's {what} {parsed.isoformat()} is in the future; showing today instead.")
            return None
        if parsed < earliest_date(tracker):
            warnings.append(
                f"The link's {what} {parsed.isoformat()} is before tracking began "
                f"({earliest_date(tracker).isoformat()}); showing the default instead."
            )
            return None
        return parsed

    as_of = day("as_of", "as-of date")
    since = day("since", "'changed since' date")
    rec = params.get("rec") or None
    if rec and rec not in {r.id for r in tracker.recommendations}:
        warnings.append(f"The link points to a recommendation '{rec[:60]}' that this tracker does not have.")
        rec = None
    published = None
    if params.get("published"):
        shown = params["published"][:30]
        try:
            published = pin_moment(tracker, parse_published(params["published"], now or end_of_day(today)))
        except FutureMoment:
            warnings.append(
                f"The link's publication time {shown} is in the future; showing the tracker as published now."
            )
        except ValueError:
            warnings.append(
                f"The link's publication time '{shown}' is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC); "
                "showing the tracker as published now."
            )
    if published is None and params.get("frozen") == "1" and as_of is not None:
        published = pin_older_link(tracker, as_of)
    if published is not None and as_of is None:
        as_of = min(published.date(), today)
    view = View(
        as_of=as_of or today,
        statuses=terms("status", settings.statuses, "status", "statuses"),
        addressees=terms("addressee", settings.addressees, "addressee", "addressees"),
        categories=terms("category", settings.categories, "category", "categories"),
        priorities=terms("priority", settings.priorities, "priority", "priorities"),
        query=params.get("q", "")[:100],
        rec=rec,
        since=since if since is None or since < (as_of or today) else None,
        published=published,
    )
    return view, warnings


def view_to_params(view: View, today: date) -> dict[str, str]:
    """The query parameters of a view; defaults are left out so links stay short."""
    params = {}
    if view.statuses:
        params["status"] = ",".join(view.statuses)
    if view.addressees:
        params["addressee"] = ",".join(view.addressees)
    if view.categories:
        params["category"] = ",".join(view.categories)
    if view.priorities:
        params["priority"] = ",".join(view.priorities)
    if view.query:
        params["q"] = view.query
    if view.as_of != today or view.frozen:
        params["as_of"] = view.as_of.isoformat()
    if view.frozen:
        params["frozen"] = "1"
        params["published"] = format_timestamp(view.published)
    if view.since:
        params["since"] = view.since.isoformat()
    if view.rec:
        params["rec"] = view.rec
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


# What each page of the dashboard shows, so its address carries only that (a link to the overview
# with a filter in it would be an older link for the table, which the overview forwards).
PAGE_FIELDS = {
    "": (),
    "recommendations": ("filters",),
    "timeline": ("filters",),
    "changes": ("filters", "since"),
    "recommendation": ("rec",),
    "methodology": (),
    "suggest": ("rec",),
    "suggestion": (),
    "edit": (),
}


def page_view(view: View, page: str) -> View:
    """The part of a view a page shows (the as-of date and both clocks always)."""
    fields = PAGE_FIELDS.get(page, ())
    if "filters" not in fields:
        view = replace(view, statuses=(), addressees=(), categories=(), priorities=(), query="")
    if "since" not in fields:
        view = replace(view, since=None)
    if "rec" not in fields:
        view = replace(view, rec=None)
    return view


def forward_old_link(view: View) -> str | None:
    """Where a link to the overview that names a recommendation, filters or a 'since' date goes
    (links shared before the dashboard had pages; `view` is what the link asked for, its bad values
    already dropped): the url path of the page that shows it, or None to stay on the overview."""
    if view.rec:
        return "recommendation"
    if view.filtered:
        return "recommendations"
    if view.since:
        return "changes"
    return None


def filter_recommendations(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of a statuses table that match the view's filters."""
    keep = pd.Series(True, index=frame.index)
    if view.statuses:
        keep &= frame["status"].isin(view.statuses)
    if view.categories:
        keep &= frame["category"].isin(view.categories)
    if view.priorities:
        keep &= frame["priority"].isin(view.priorities)
    if view.addressees:
        wanted = set(view.addressees)
        keep &= frame["addressees"].map(lambda items: bool(wanted.intersection(items)))
    if view.query:
        needle = view.query.casefold()
        text = frame["title"] + " " + frame["id"] + " " + frame["last_note"]
        keep &= text.str.casefold().str.contains(needle, regex=False)
    return frame[keep]


def narrow_by_clicks(view: View, frame: pd.DataFrame, categories=(), addressees=()) -> View:
    """The view narrowed by a click on a chart's bars (the categories or addressees clicked), as a filter
    would narrow it, so the table, its count, the exports and the link all show the same rows (a copied
    link reopens it with that filter). A clicked value that would leave no row (a click made before the
    filters changed) is ignored; `frame` is the statuses table the view filters."""
    shown = filter_recommendations(frame, view)
    kept_categories = tuple(value for value in dict.fromkeys(categories) if (shown["category"] == value).any())
    if kept_categories:
        view = replace(view, categories=kept_categories)
        shown = shown[shown["category"].isin(kept_categories)]
    present = {item for items in shown["addressees"] for item in items}
    kept_addressees = tuple(value for value in dict.fromkeys(addressees) if value in present)
    if kept_addressees:
        view = replace(view, addressees=kept_addressees)
    return view


def describe_filters(view: View, tracker: Tracker) -> str:
    """The active filters in words, for stamps on exports ('All recommendations' when none)."""
    settings = tracker.settings
    parts = []
    for name, values, vocabulary in (
        ("Status", view.statuses, settings.statuses),
        ("Addressee", view.addressees, settings.addressees),
        ("Category", view.categories, settings.categories),
        ("Priority", view.priorities, settings.priorities),
    ):
        if values:
            labels = labels_of(vocabulary)
            parts.append(f"{name}: {', '.join(labels[v] for v in values)}")
    if view.query:
        parts.append(f"Search: “{view.query}”")
    return "; ".join(parts) or "All recommendations"


def describe_as_of(view: View) -> str:
    """'As of 27 Nov 2026' for stamps and headers."""
    return f"As of {format_date(view.as_of.isoformat())}"
