"""The read-only JSON API: parameters, plain errors and payloads (schema: docs/api-schema.json).

The parameters are the page's (`as_of`, `status`, `addressee`, `category`, `priority`, `q`, read by
`view.parse_view`) plus `published`, the record-time clock (`edition.parse_published`),
and for events `rec` and `since`. Where the page warns and falls back, the API refuses:
a bad value is a 400 naming the parameter, an unknown recommendation a 404. Payloads are
plain dicts of the tracker's public data; editors' names, passcodes, logins and contacts
never appear. Pure functions: today and now come in as arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from . import analysis, collection, filters
from .edition import as_published, pin_moment
from .errors import Problem
from .filters import SEARCH
from .language import DEFAULT, LANGUAGES, is_language
from .messages import request_words
from .model import Recommendation, Settings, Source, Tracker, format_timestamp, labels_of, start_of, status_by_id
from .records import (
    Links,
    Record,
    describe_record,
    documents_feed_link,
    feed_link,
    links_of,
    list_records,
    page_link,
    select_records,
)
from .view import View, filter_recommendations, parse_day, parse_moment, parse_view

API_VERSION = 1


def view_parameters() -> tuple[str, ...]:
    """The page's parameters: the as-of date, every filter's (`filters.FILTERS`), the search."""
    return ("as_of", *(row.parameter for row in filters.FILTERS), SEARCH)


def recommendation_parameters() -> tuple[str, ...]:
    """What /api/v1/recommendations.json accepts (`document`, read first by `read_document`, included so that a
    refusal of an unknown parameter names it too)."""
    return (*view_parameters(), "published", "document", "lang")


def event_parameters() -> tuple[str, ...]:
    """What /api/v1/events.json accepts."""
    return (*recommendation_parameters(), "rec", "since", "limit", "offset")


EVENTS_PER_PAGE = 1000  # the default `limit`: a page of the log, its next page linked
MAX_EVENTS_PER_PAGE = 10_000


class ApiError(Exception):
    """A request the API refuses: an HTTP status and the problem (what, which parameter, which value),
    worded for a program's author (`messages.request_words`)."""

    def __init__(self, status: int, problem: Problem):
        self.status = status
        self.problem = problem
        self.parameter = problem.field
        self.code = problem.code
        self.message = request_words(problem)
        super().__init__(self.message)

    def payload(self) -> dict:
        return {
            "error": {"status": self.status, "parameter": self.parameter, "code": self.code, "message": self.message}
        }


@dataclass(frozen=True)
class Query:
    """A parsed request: the view (filters and as-of), the record-time moment, and for events
    one recommendation and a start date."""

    view: View
    published: datetime | None = None
    rec: str | None = None
    since: date | None = None
    limit: int = EVENTS_PER_PAGE
    offset: int = 0
    params: tuple = ()  # the request's own parameters, for the next page's address
    lang: str = DEFAULT  # the language of the data's texts (the tracker's translations), `lang=`


def parse_query(params: Mapping[str, str], tracker: Tracker, *, today: date, now: datetime, allowed) -> Query:
    """Read and check a request's parameters. Raises ApiError (400, or 404 for an unknown `rec`) for
    the first problem: where the page falls back to a default, the API refuses."""
    for key in params:
        if key not in allowed:
            facts = {"values": (key[:40],), "allowed": ", ".join(allowed)}
            raise ApiError(400, Problem(code="unknown_parameter", field=key[:40], params=facts))
    lang = parse_language(params)
    published = None
    if params.get("published"):
        published, problems = parse_moment(params["published"], now)
        if problems:
            raise ApiError(400, problems[0])
        published = pin_moment(tracker, published)  # a moment before the first record means the first
    shown = as_published(tracker, published)
    wanted = {key: params[key] for key in view_parameters() if params.get(key)}
    view, problems = parse_view(wanted, shown, today)
    since, found = parse_day(params, "since", shown, today)
    problems += found
    for problem in problems:
        raise ApiError(400, problem)
    if since and since >= view.as_of:
        raise ApiError(400, Problem(code="since_not_before", field="since", params={"values": (since.isoformat(),)}))
    rec = params.get("rec") or None
    if rec and rec not in {r.id for r in shown.recommendations}:
        facts = {"values": (rec[:60],), "when": _when(published)}
        raise ApiError(404, Problem(code="unknown_rec", field="rec", params=facts))
    limit = _count(params, "limit", EVENTS_PER_PAGE, 1, MAX_EVENTS_PER_PAGE)
    offset = _count(params, "offset", 0, 0, None)
    kept = tuple((key, value) for key, value in params.items() if key != "offset")
    return Query(
        view=view, published=published, rec=rec, since=since, limit=limit, offset=offset, params=kept, lang=lang
    )


def parse_language(params: Mapping[str, str]) -> str:
    """The language a request asks for (`lang=`, English by default); ApiError 400 for one the tracker does
    not speak."""
    asked = params.get("lang") or DEFAULT
    if not is_language(asked):
        facts = {"values": (asked[:20],), "allowed": ", ".join(LANGUAGES)}
        raise ApiError(400, Problem(code="unknown_language", field="lang", params=facts))
    return asked


_DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII only: str.isdigit() takes '²', and int() takes '٣' or '1_0'


def _count(params: Mapping[str, str], key: str, default: int, low: int, high: int | None) -> int:
    text = params.get(key, "")
    if not text:
        return default
    number = int(text) if _DIGITS.fullmatch(text) else None
    if number is None or number < low or (high is not None and number > high):
        limits = f"from {low} to {high:,}" if high is not None else f"{low} or more"
        raise ApiError(400, Problem(code="not_a_number", field=key, params={"values": (text[:20],), "limits": limits}))
    return number


DOCUMENT_PARAMETERS = ("document", "doc")  # the API's name for it, and the page's (a link's) name


def read_document(params: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """The document a request names (`document=`, or `doc=` as the page's links say; None: the first) and the
    other parameters. Raises ApiError (400) when the two name different documents: which one was meant?"""
    rest = {key: value for key, value in params.items() if key not in DOCUMENT_PARAMETERS}
    named = list(dict.fromkeys(params[key] for key in DOCUMENT_PARAMETERS if params.get(key)))
    if len(named) > 1:
        facts = {"values": (named[0][:60],), "other": named[1][:60]}
        raise ApiError(400, Problem(code="two_documents", field="document", params=facts))
    return rest, (named[0] if named else None)


def unknown_document(doc_id: str) -> ApiError:
    """The 404 of a request for a document the tracker does not follow."""
    return ApiError(404, Problem(code="unknown_document", field="document", params={"values": (doc_id[:60],)}))


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: date.fromisoformat takes others too


def parse_documents_query(params: Mapping[str, str], *, today: date) -> date:
    """The as-of day of /api/v1/documents.json (its one parameter; default today). Raises ApiError (400). A day
    before a document's tracking began is no error there: that document then counts no items."""
    for key in params:
        if key != "as_of":
            facts = {"values": (key[:40],), "allowed": "as_of"}
            raise ApiError(400, Problem(code="unknown_parameter", field=key[:40], params=facts))
    text = params.get("as_of") or ""
    if not text:
        return today
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ApiError(400, Problem(code="not_a_date", field="as_of", params={"values": (text[:20],)})) from None
    if day > today:
        raise ApiError(400, Problem(code="future_date", field="as_of", params={"values": (day.isoformat(),)}))
    return day


def _when(published: datetime | None) -> str:
    return f" as published at {format_timestamp(published)}" if published else ""


def _stamp(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment else None  # four-digit years, as the schema's timestamp


def _plain(value):
    """A pydantic model (or a list of them) as plain data; anything else as is."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def source_payload(source: Source) -> dict:
    item = {"url": source.url, "title": source.title, "kind": source.kind}
    for optional in ("published", "publisher"):
        # getattr: a source of another document kind may carry fewer fields (tests pass plain objects).
        if getattr(source, optional, None) is not None:
            item[optional] = getattr(source, optional)
    return item


def _term(terms, term_id: str) -> dict:
    labels = labels_of(terms)
    return {"id": term_id, "label": labels.get(term_id, term_id)}


def _status(settings: Settings, status_id: str | None) -> dict | None:
    if status_id is None:
        return None
    status = status_by_id(settings).get(status_id)
    return {"id": status_id, "label": status.label if status else status_id}


def settings_payload(settings: Settings) -> dict:
    """The tracker's public settings: title, article, methodology, vocabularies."""
    payload = {
        "title": settings.title,
        "article": settings.article.model_dump(mode="json"),
        "methodology": settings.methodology,
        "review_interval_days": settings.review_interval_days,
        "statuses": [status.model_dump(mode="json") for status in status_by_id(settings).values()],
        "addressees": [term.model_dump(mode="json") for term in settings.addressees],
        "categories": [term.model_dump(mode="json") for term in settings.categories],
        "priorities": [term.model_dump(mode="json") for term in settings.priorities],
        "event_kinds": [term.model_dump(mode="json") for term in settings.event_kinds],
    }
    payload["source_kinds"] = _plain(settings.source_kinds)
    return payload


def _filters(query: Query) -> dict:
    view = query.view
    return {**{row.parameter: list(view.chosen(row.parameter)) for row in filters.FILTERS}, SEARCH: view.query}


def _latest(rec: Recommendation, as_of: date):
    known = [update for update in rec.updates if start_of(update.date) <= as_of]
    return known[-1]


def _day(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def recommendation_payload(rec: Recommendation, row, settings: Settings, as_of: date, base_url: str | Links) -> dict:
    links = links_of(base_url)
    latest = _latest(rec, as_of)
    status = status_by_id(settings)[row.status]
    item = {
        "id": rec.id,
        "title": rec.title,
        "quote": rec.quote,
        "addressees": [_term(settings.addressees, a) for a in rec.addressees],
        "category": _term(settings.categories, rec.category),
        "priority": _term(settings.priorities, rec.priority),
        "implied": rec.implied,
        "status": {"id": status.id, "label": status.label, "colour": status.colour},
        "status_since": _day(row.since),
        "days_in_status": None if pd.isna(row.days_in_status) else int(row.days_in_status),
        "last_update": row.last_update,
        "days_since_update": int(row.days_since_update),
        "review_interval_days": int(row.review_interval_days),
        "stale": bool(row.stale),
        "updates": int(row.updates),
        "latest": {"date": latest.date, "note": latest.note, "sources": [source_payload(s) for s in latest.sources]},
        "links": {
            "page": links.page(rec.id),
            "feed": links.feed(rec.id),
            "badge": links.badge(rec.id),
        },
    }
    item["assessment"] = _plain(rec.assessment)
    item["criteria"] = rec.criteria
    # What the data holds beyond a plain recommendation, each only when it does (the schema's "optional").
    if rec.quote_kind != "verbatim":
        item["quote_kind"] = rec.quote_kind  # a paraphrase is never the document's words
    if rec.quote_source is not None:
        item["quote_source"] = {"url": rec.quote_source.url, "title": rec.quote_source.title}
    if _has_parts(rec, as_of):
        statuses = status_by_id(settings)
        item["addressee_statuses"] = [
            {"addressee": _term(settings.addressees, addressee), "status": _status_of(statuses, status)}
            for addressee, status in row.addressee_statuses.items()
        ]
    if rec.recurrence is not None:
        item["recurrence"] = rec.recurrence
        item["periods"] = [period_payload(period) for period in _periods_by(rec, as_of)]
    if rec.links:
        item["linked"] = [{"document": link.document, "rec": link.rec, "relation": link.relation} for link in rec.links]
    return item


def _has_parts(rec: Recommendation, as_of: date) -> bool:
    """Whether, by `as_of`, the history records what one addressee did (an update with a `part`)."""
    return any(u.part is not None and not u.withdrawn and start_of(u.date) <= as_of for u in rec.updates)


def _status_of(statuses: dict, status_id: str) -> dict:
    status = statuses.get(status_id)
    if status is None:
        return {"id": status_id, "label": status_id}
    return {"id": status.id, "label": status.label, "colour": status.colour}


def _periods_by(rec: Recommendation, as_of: date) -> list:
    """A yearly commitment's years known on `as_of`, in order: those that had ended, and its own year once met
    (as `analysis.judge_years` judges them: a year still running cannot have been missed yet)."""
    known = [p for p in rec.periods if int(p.period) < as_of.year or (int(p.period) == as_of.year and p.met)]
    return sorted(known, key=lambda p: p.period)


def period_payload(period) -> dict:
    """One year of a yearly commitment: met (true, false, or null when not known), why, and the evidence;
    never who recorded it."""
    return {
        "period": period.period,
        "met": period.met,
        "note": period.note,
        "sources": [source_payload(source) for source in period.sources],
    }


def shown_statuses(tracker: Tracker, query: Query, tables: tuple | None = None) -> pd.DataFrame:
    """The statuses table as of the query's day, filtered as the page filters it. `tables`:
    the tracker's event log and recommendations table (analysis.list_updates and
    list_recommendations) when already made; they hold for the whole tracker only."""
    if not tracker.recommendations:  # e.g. published before anything was recorded
        return pd.DataFrame(columns=analysis.STATUS_COLUMNS)
    log, recs = tables if tables and query.published is None else (None, None)
    frame = analysis.statuses_as_of(tracker, query.view.as_of, log, recs)
    return filter_recommendations(frame, query.view)


def recommendations_payload(
    tracker: Tracker,
    query: Query,
    base_url: str | Links,
    tables: tuple | None = None,
    statuses: pd.DataFrame | None = None,
) -> dict:
    """The current state (as of the query's day, as published at its moment), filtered. `base_url` may be
    Links, where the answer links elsewhere than the app's routes (the static site). `statuses`: the whole
    tracker's statuses as of the query's day (`analysis.statuses_as_of`), when already made."""
    links = links_of(base_url)
    shown = as_published(tracker, query.published)
    settings = shown.settings
    if statuses is not None and query.published is None:
        frame = filter_recommendations(statuses, query.view)
    else:
        frame = shown_statuses(shown, query, tables)
    by_id = {rec.id: rec for rec in shown.recommendations}
    counts = analysis.count_by_status(frame, settings)
    return {
        "api_version": API_VERSION,
        "lang": query.lang,
        "as_of": query.view.as_of.isoformat(),
        "published": _stamp(query.published),
        "filters": _filters(query),
        "tracker": settings_payload(settings),
        "progress": {
            "score": analysis.score_progress(frame, settings),
            "formula": analysis.describe_progress_formula(settings),
            "recommendations": len(frame),
            "by_status": [
                {"status": row.status, "label": row.label, "count": int(row.count)} for row in counts.itertuples()
            ],
        },
        "links": {"page": links.page(), "feed": links.feed(), "badge": links.badge()},
        "recommendations": [
            recommendation_payload(by_id[row.id], row, settings, query.view.as_of, links) for row in frame.itertuples()
        ],
    }


def record_payload(record: Record, settings: Settings, base_url: str | Links) -> dict:
    """One entry of the event log, as the feed shows it."""
    links = links_of(base_url)
    headline, change = describe_record(record, settings)
    item = {
        "id": record.id,
        "kind": record.kind,
        "date": record.date,
        "recorded": record.recorded,
        "headline": headline,
        "change": change,
        "recommendation": (
            {"id": record.rec_id, "title": record.rec_title, "link": links.page(record.rec_id)}
            if record.rec_id
            else None
        ),
        "status": _status(settings, record.status),
        "previous_status": _status(settings, record.previous_status),
        "note": record.note,
        "sources": [source_payload(source) for source in record.sources],
        "link": links.page(record.rec_id),
    }
    if record.kind == "edit":
        item["edit"] = {"field": record.field, "old": record.old, "new": record.new}
    if record.kind == "context":
        item["event"] = {
            "id": record.event_id,
            "kind": _term(settings.event_kinds, record.event_kind),
            "title": record.event_title,
        }
    return item


def select_events(
    tracker: Tracker, query: Query, records: list[Record] | None = None, tables: tuple | None = None
) -> list[Record]:
    """The records a query asks for: those of the recommendations it shows (all, one, or
    the filtered ones), dated by its as-of day (and after `since`); context events unless
    one recommendation is asked for."""
    shown = as_published(tracker, query.published)
    records = list_records(shown) if records is None or query.published else records
    view = query.view
    rec_ids = None
    if view.filtered:
        rec_ids = set(shown_statuses(shown, query, tables)["id"])
    if query.rec:
        rec_ids = {query.rec} if rec_ids is None else rec_ids & {query.rec}
    return select_records(records, as_of=view.as_of, since=query.since, rec_ids=rec_ids, context=not query.rec)


def events_payload(
    tracker: Tracker,
    query: Query,
    base_url: str | Links,
    records: list[Record] | None = None,
    tables: tuple | None = None,
    matching: list[Record] | None = None,
) -> dict:
    """A page of the event log (newest record time first, as in the feed), filtered; `next`
    is the address of the following page (None on the last). `matching`: the records the query
    selects (`select_events`) when already selected, e.g. for every page of the log at once."""
    settings = tracker.settings
    links = links_of(base_url)
    matching = select_events(tracker, query, records, tables) if matching is None else matching
    events = matching[query.offset : query.offset + query.limit]
    following = query.offset + query.limit
    next_page = links.events_page(query.params, following) if following < len(matching) else None
    return {
        "api_version": API_VERSION,
        "lang": query.lang,
        "as_of": query.view.as_of.isoformat(),
        "published": _stamp(query.published),
        "since": query.since.isoformat() if query.since else None,
        "rec": query.rec,
        "filters": _filters(query),
        "tracker": {"title": settings.title, "links": {"page": links.page(), "feed": links.feed()}},
        "total": len(matching),
        "offset": query.offset,
        "limit": query.limit,
        "count": len(events),
        "next": next_page,
        "events": [record_payload(record, settings, links) for record in events],
    }


def to_json(payload: dict) -> bytes:
    """Compact UTF-8 JSON; '<', '>' and '&' written as escapes, so the text is also safe inside HTML."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def documents_payload(documents: list[tuple[str, Tracker]], *, as_of: date, base_url: str) -> dict:
    """Every document the tracker follows (the first is the default one): what it is, where its items stand
    on `as_of`, and the addresses of its pages, feed and data (each with `document=` / `doc=`)."""
    items = []
    for position, (doc_id, tracker) in enumerate(documents):
        summary = collection.summarise_document(tracker, as_of)
        named = None if position == 0 else doc_id
        base = base_url.rstrip("/")
        items.append(
            {
                "id": doc_id,
                "title": summary["title"],
                "document": {
                    "title": tracker.settings.article.title,
                    "kind": summary["kind"],
                    "publisher": summary["publisher"],
                    "published": summary["published"],
                    "url": tracker.settings.article.url,
                },
                "item_word": summary["item_word"],
                "items": summary["items"],
                "progress": {
                    "score": summary["score"],
                    "by_status": [
                        {"status": row.status, "label": row.label, "count": int(row.count)}
                        for row in summary["counts"].itertuples()
                    ],
                },
                "latest_event": summary["latest_event"],
                "links": {
                    "page": page_link(base + (f"#{named}" if named else "")),
                    "feed": feed_link(base + (f"#{named}" if named else "")),
                    "api": f"{base}/api/v1/recommendations.json" + (f"?document={named}" if named else ""),
                },
            }
        )
    links = {"feed": documents_feed_link(base_url)}  # every document's records in one feed
    return {"api_version": API_VERSION, "as_of": as_of.isoformat(), "links": links, "documents": items}
