"""Everything the tracker recorded, as one log: the source of the feeds and of the API's events.

Updates (baselines, status changes, reviews with no change), metadata edits and context
events each become a `Record` with a stable key, newest record time first. The feeds and
`/api/v1/events.json` are built from the same list, so they always agree. Editors' names
are left out on purpose: a login can record an email address as the author. Pure functions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from .language import ENGLISH, Words
from .model import Settings, Source, Tracker, is_review, labels_of, start_of

# Minted once for this tracker's feeds and never changed, so readers never see an entry twice.
TAG_PREFIX = "tag:recommendation-tracker.invalid,2026:"
KINDS = ("baseline", "change", "review", "edit", "context")


@dataclass(frozen=True)
class Record:
    """One recorded fact. `date` is when it happened in the world (as written); for an edit,
    the day it was recorded. `recorded` is None only for old context events."""

    key: str
    kind: str
    date: str
    recorded: str | None
    rec_id: str | None = None
    rec_title: str | None = None
    status: str | None = None
    previous_status: str | None = None
    note: str = ""
    sources: tuple[Source, ...] = ()
    field: str | None = None
    old: object = None
    new: object = None
    event_id: str | None = None
    event_kind: str | None = None
    event_title: str | None = None

    @property
    def id(self) -> str:
        """The entry's permanent id (a tag: URI)."""
        return TAG_PREFIX + self.key

    @property
    def updated(self) -> str:
        """The record time, or the event's day for context events recorded before record times."""
        return self.recorded or f"{start_of(self.date).isoformat()}T00:00:00Z"


def _sort_key(item: tuple[int, Record]):
    order, record = item
    return (record.updated, start_of(record.date), order)


def list_records(tracker: Tracker, document: str = "") -> list[Record]:
    """Every update, edit and context event, newest record time first (then newest date,
    then the later one in the file). `document` names a document other than the first: its records'
    permanent ids carry it, so two documents' entries never share one."""
    prefix = f"doc/{document}/" if document else ""
    found: list[Record] = []
    for event in tracker.context_events:
        found.append(
            Record(
                key=f"{prefix}event/{event.id}",
                kind="context",
                date=event.date,
                recorded=event.recorded,
                note=event.note,
                sources=tuple(event.sources),
                event_id=event.id,
                event_kind=event.kind,
                event_title=event.title,
            )
        )
    for rec in tracker.recommendations:
        seen: Counter = Counter()
        previous = None
        for position, update in enumerate(rec.updates):
            # Positions shift when a back-dated update is inserted; (record time, date, n) never does.
            n = seen[update.recorded, update.date]
            seen[update.recorded, update.date] += 1
            if update.withdrawn:
                continue
            status = previous if is_review(update, position) else update.status
            kind = "baseline" if position == 0 else "change" if status != previous else "review"
            found.append(
                Record(
                    key=f"{prefix}rec/{rec.id}/update/{update.recorded}/{update.date}/{n}",
                    kind=kind,
                    date=update.date,
                    recorded=update.recorded,
                    rec_id=rec.id,
                    rec_title=rec.title,
                    status=status,
                    previous_status=previous,
                    note=update.note,
                    sources=tuple(update.sources),
                )
            )
            previous = status
        edited: Counter = Counter()
        for change in rec.metadata_changes:
            n = edited[change.recorded, change.field]
            edited[change.recorded, change.field] += 1
            found.append(
                Record(
                    key=f"{prefix}rec/{rec.id}/edit/{change.recorded}/{change.field}/{n}",
                    kind="edit",
                    date=change.recorded[:10],
                    recorded=change.recorded,
                    rec_id=rec.id,
                    rec_title=rec.title,
                    field=change.field,
                    old=change.old,
                    new=change.new,
                )
            )
    return [record for _, record in sorted(enumerate(found), key=_sort_key, reverse=True)]


def select_records(
    records: list[Record],
    *,
    as_of: date | None = None,
    since: date | None = None,
    rec_ids: set[str] | None = None,
    context: bool = True,
) -> list[Record]:
    """The records dated on or before `as_of` and after `since`, of some recommendations
    (None: all), with or without context events."""
    kept = []
    for record in records:
        if record.kind == "context":
            if not context:
                continue
        elif rec_ids is not None and record.rec_id not in rec_ids:
            continue
        start = start_of(record.date)
        if (as_of and start > as_of) or (since and start <= since):
            continue
        kept.append(record)
    return kept


def document_base(base_url: str, doc: str | None) -> str:
    """The address links of one document are built on: the app's address, and `#<document id>` for any
    document but the first (the links below then carry `doc=<id>`)."""
    return f"{base_url.rstrip('/')}#{doc}" if doc else base_url


def _split(base_url: str) -> tuple[str, str]:
    base, _, doc = base_url.partition("#")
    return base.rstrip("/"), doc


def _with(path: str, doc: str, first: str = "?") -> str:
    return f"{path}{first}doc={quote(doc, safe='')}" if doc else path


def page_link(base_url: str, rec_id: str | None = None) -> str:
    """The dashboard's address for a recommendation (or the page itself); `base_url` may name a document
    (`document_base`)."""
    base, doc = _split(base_url)
    if rec_id:
        return _with(f"{base}/?rec={quote(rec_id, safe='')}", doc, "&")
    return _with(f"{base}/", doc)


def feed_link(base_url: str, rec_id: str | None = None) -> str:
    base, doc = _split(base_url)
    return _with(f"{base}/feed/{quote(rec_id, safe='')}.atom" if rec_id else f"{base}/feed.atom", doc)


def badge_link(base_url: str, rec_id: str | None = None) -> str:
    base, doc = _split(base_url)
    return _with(f"{base}/badge/{quote(rec_id, safe='')}.svg" if rec_id else f"{base}/badge/progress.svg", doc)


# The whole tracker's feed (every document): outside /feed/, where any name could be a recommendation's id,
# and a path rather than a parameter, so a static site can hold it as a file.
DOCUMENTS_FEED_PATH = "feeds/all.atom"
# The dashboard's All documents page (ui/registry.py), offered when the tracker follows several documents.
DOCUMENTS_PAGE_PATH = "documents"


def documents_feed_link(base_url: str) -> str:
    """The address of the feed of every document (`base_url`: the app's, naming no document)."""
    return f"{_split(base_url)[0]}/{DOCUMENTS_FEED_PATH}"


def documents_page_link(base_url: str) -> str:
    """The address of the dashboard's All documents page."""
    return f"{_split(base_url)[0]}/{DOCUMENTS_PAGE_PATH}"


@dataclass(frozen=True)
class Links:
    """Where readers find the tracker's pages, feeds, badges and the event log's next pages. By default the
    app's routes on `base_url`; the static site (`site.SiteLinks`) puts them at addresses files can have."""

    base_url: str

    def page(self, rec_id: str | None = None) -> str:
        return page_link(self.base_url, rec_id)

    def feed(self, rec_id: str | None = None) -> str:
        return feed_link(self.base_url, rec_id)

    def badge(self, rec_id: str | None = None) -> str:
        return badge_link(self.base_url, rec_id)

    def events_page(self, params: tuple, offset: int) -> str:
        """The address of the event log's page starting at `offset` (`params`: the request's own)."""
        base, doc = _split(self.base_url)  # a document's base (document_base) names it
        named = [("document", doc)] if doc else []
        return f"{base}/api/v1/events.json?" + urlencode([*params, *named, ("offset", offset)])


def links_of(where: str | Links) -> Links:
    """The links for a base address (the app's routes), or `where` itself when it already is Links."""
    return where if isinstance(where, Links) else Links(where)


def _shown(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


def describe_record(record: Record, settings: Settings, w: Words = ENGLISH) -> tuple[str, str]:
    """A record in words: (headline, what changed). Plain text; each format escapes it."""
    labels = labels_of(settings.statuses)
    if record.kind == "context":
        kinds = labels_of(settings.event_kinds)
        return f"{kinds.get(record.event_kind, record.event_kind)}: {record.event_title}", w.t("Context event")
    if record.kind == "edit":
        field = w.t((record.field or "").replace("_", " "))
        change = f"{field}: {_shown(record.old)} → {_shown(record.new)}"
        return w.t("{title}: {field} edited", title=record.rec_title, field=field), change
    status = labels.get(record.status, record.status)
    if record.kind == "baseline":
        change = w.t("baseline: {status}", status=status)
    elif record.kind == "change":
        change = f"{labels.get(record.previous_status, record.previous_status)} → {status}"
    else:
        change = w.t("reviewed, no change ({status})", status=status)
    return f"{record.rec_title}: {change}", change


def describe_dates(record: Record, w: Words = ENGLISH) -> str:
    """'Dated 16 Mar 2023; recorded 27 Nov 2026.'"""
    recorded = w.date(record.recorded[:10]) if record.recorded else w.t("before record times were kept")
    return w.t("Dated {date}; recorded {recorded}.", date=w.date(record.date), recorded=recorded)
