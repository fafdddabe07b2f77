"""The app's entry point: the dashboard page plus read-only feeds, badges and a JSON API.

    streamlit run app.py            # what scripts/dashboard and Streamlit Community Cloud run

`dashboard.py` stays the page script; this file adds Starlette routes beside it:

    /feed.atom, /feed/<id>.atom                     Atom feeds of everything recorded (one document)
    /feeds/all.atom                                 the feed of every document
    /api/v1/documents.json                          the documents followed
    /api/v1/recommendations.json, /api/v1/events.json   the state and the event log (docs/api-schema.json)
    /badge/<id>.svg, /badge/progress.svg            status and progress badges

A route about one document answers for the one `?doc=` (or `?document=`) names, the first without it, so
every link made before there were several documents opens the same one.

Streamlit does not mount custom routes under `server.baseUrlPath`, so they are prefixed here.
Every answer is built by the pure modules in tracker/ and kept per data revision; its ETag
comes from the revision (file identity or database counter), the address and the day, so a
304 costs one stat (or one tiny query) and a hash, and an unchanged request is never rebuilt.

What a request costs is bounded, so varied queries cannot starve the rest:
- its key holds only what changes the answer: a feed's page, nothing for a badge, and for the API
  a `published` moment replaced by its edition, the newest record time at or before it (every
  moment between two records shows the same tracker, so they share one answer);
- the tracker as published at an edition is made once and kept (the latest few editions);
- answers are kept within a byte budget, newest first, in a cache that every thread reads and
  writes under one lock; one request builds a missing answer, the others asking for it wait for it;
- builds run in two lanes: answers without parameters (the feeds, badges and API as polled) in one,
  every other query in another, so plain requests never queue behind varied ones. Each lane builds
  one answer at a time and lets a few more wait; beyond that a request is answered 503 at once,
  with Retry-After.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gzip
import hashlib
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracker import analysis, api, badge, feed, translation
from tracker import clock as product_clock
from tracker.edition import as_published, edition_at, parse_published, pin_moment, record_times
from tracker.edits import find_recommendation
from tracker.errors import NotFound, TrackerError
from tracker.language import DEFAULT as DEFAULT_LANGUAGE
from tracker.language import LANGUAGES, is_language, words
from tracker.location import configured_location
from tracker.model import format_timestamp, parse_timestamp
from tracker.records import (
    DOCUMENTS_FEED_PATH,
    document_base,
    documents_feed_link,
    documents_page_link,
    feed_link,
    list_records,
    page_link,
)
from tracker.storage import list_documents, open_store
from ui.startup import warm_first_page

BASE_PATH = (st.get_option("server.baseUrlPath") or "").strip("/")
PREFIX = f"/{BASE_PATH}" if BASE_PATH else ""
# Bump when the output format changes, so clients holding an old ETag get the new bytes.
FORMAT = "3"
# "no-cache" means "store it, but ask first": every poll revalidates with If-None-Match and
# gets a bodiless 304 while nothing changed, and an update saved on the page shows on the
# very next request (a max-age would let browsers and proxies keep the old answer for its span).
CACHE_CONTROL = "public, no-cache"
CACHE_BYTES = 256 * 1024 * 1024  # answers kept in memory, newest first
EDITIONS_KEPT = 4  # trackers as published at an earlier moment, kept per revision
PLAIN_WAITING = 32  # builds of plain answers that may wait for the one running
VARIED_WAITING = 2  # builds of other queries that may wait for the one running
RETRY_AFTER = "5"  # seconds, when a lane is full
ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/json"
SVG = "image/svg+xml"
TEXT = "text/plain; charset=utf-8"


def clock() -> tuple[date, datetime]:
    """Today and now, from the product's one clock (TRACKER_TODAY pins the day)."""
    now = product_clock.now(os.environ)
    return now.date(), now


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # noqa: BLE001 - Streamlit raises its own error when no secrets file exists
        return None


# -- answers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One built answer, and its gzip form once a client asked for it."""

    status: int
    body: bytes
    media_type: str
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


class AnswerCache:
    """Answers by ETag within a byte budget, least recently used dropped first. Every read and write
    takes the one lock, so the byte count always matches what is kept, whatever threads do."""

    def __init__(self, budget: int):
        self.budget = budget
        self._items: OrderedDict[str, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Answer | None:
        with self._lock:
            answer = self._items.get(key)
            if answer is not None:
                self._items.move_to_end(key)
            return answer

    def put(self, key: str, answer: Answer) -> None:
        """Keep an answer (replacing the one kept under that key); one larger than the budget is not kept."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old.size
            if answer.size > self.budget:
                return
            self._items[key] = answer
            self._size += answer.size
            while self._size > self.budget:
                _, dropped = self._items.popitem(last=False)
                self._size -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def totals(self) -> tuple[int, int, int]:
        """(answers kept, bytes counted, bytes actually held): the last two are always equal."""
        with self._lock:
            return len(self._items), self._size, sum(answer.size for answer in self._items.values())


class Busy(Exception):
    """A lane is full: the request is answered 503 with Retry-After."""


class Lane:
    """Builds of one kind: `workers` threads of its own (the other lane never waits for them), up to
    `waiting` more builds queued without holding a thread, any further one refused at once."""

    def __init__(self, name: str, workers: int, waiting: int):
        self.limit = workers + waiting
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"routes-{name}")
        self._admitted = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        """Take a place in the lane (running or queued), or raise Busy."""
        with self._lock:
            if self._admitted >= self.limit:
                raise Busy
            self._admitted += 1

    def leave(self) -> None:
        with self._lock:
            self._admitted -= 1

    def submit(self, *call) -> None:
        self._pool.submit(*call)


_answers = AnswerCache(CACHE_BYTES)
PLAIN, VARIED = Lane("plain", 1, PLAIN_WAITING), Lane("varied", 1, VARIED_WAITING)
_building: dict[str, concurrent.futures.Future] = {}  # ETag -> the build in progress
_building_lock = threading.Lock()


def _build_and_keep(etag: str, lane: Lane, future: concurrent.futures.Future, make) -> None:
    # Runs in a thread; it settles the future whatever happens, even if the request that started it is gone.
    try:
        answer = make()
        _answers.put(etag, answer)
        future.set_result(answer)
    except Exception as error:  # noqa: BLE001 - handed to every request waiting for this answer
        future.set_exception(error)
    finally:
        lane.leave()
        with _building_lock:
            _building.pop(etag, None)


async def _cached_or_built(etag: str, lane: Lane, make) -> Answer:
    """The kept answer, or the one being built for this ETag, or a new build in `lane` (raises Busy
    when the lane is full, or what the build raised)."""
    answer = _answers.get(etag)
    if answer is not None:
        return answer
    with _building_lock:  # held for a few dict operations only
        future = _building.get(etag)
        starting = future is None
        if starting:
            answer = _answers.get(etag)  # kept by a build that ended just now
            if answer is not None:
                return answer
            lane.enter()
            future = _building[etag] = concurrent.futures.Future()
    if starting:
        lane.submit(_build_and_keep, etag, lane, future, make)
    return await asyncio.wrap_future(future)


# -- the tracker in memory -----------------------------------------------------------------------------


@dataclass
class Loaded:
    """The tracker of one revision (or as published at one of its editions), its log, and what is made
    from them, each made once whichever thread asks first."""

    tracker: object
    records: list
    document: str = ""  # the document's id in the index ("" for a tracker of one document)
    _made: dict = field(default_factory=dict)
    _locks: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _editions: OrderedDict = field(default_factory=OrderedDict)

    def derived(self, name: str, make):
        with self._lock:
            if name in self._made:
                return self._made[name]
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:  # one maker per name; other names are made meanwhile
            with self._lock:
                if name in self._made:
                    return self._made[name]
            value = make()
            with self._lock:
                self._made[name] = value
            return value

    def in_language(self, lang: str) -> Loaded:
        """The same tracker with its texts in `lang` where translated (translation.read_in), made once."""
        if lang == DEFAULT_LANGUAGE:
            return self

        def make() -> Loaded:
            shown = translation.read_in(self.tracker, lang)[0]
            return Loaded(shown, list_records(shown, self.document), self.document)

        return self.derived(f"lang {lang}", make)

    def tables(self):
        """The event log and recommendations table, as the page's analysis takes them."""
        tracker = self.tracker
        return self.derived("tables", lambda: (analysis.list_updates(tracker), analysis.list_recommendations(tracker)))

    def statuses_today(self, today: date):
        """Every recommendation's status today (for badges)."""
        return self.derived(f"statuses {today}", lambda: analysis.statuses_as_of(self.tracker, today, *self.tables()))

    def times(self) -> list[datetime]:
        return self.derived("times", lambda: record_times(self.tracker))

    def edition_stamp(self, text: str, now: datetime) -> str | None:
        """The edition a `published` value shows, as a record time; None when the value is not a moment
        the API takes (it then refuses it) or nothing was recorded at all."""
        try:
            moment = pin_moment(self.tracker, parse_published(text, now))
        except ValueError:
            return None
        edition = edition_at(self.times(), moment)
        return format_timestamp(edition) if edition else None

    def edition(self, stamp: str) -> Loaded:
        """The tracker as published at an edition (itself for the latest), made once and kept (the
        EDITIONS_KEPT used last)."""
        times = self.times()
        try:
            moment = parse_timestamp(stamp)
        except ValueError:  # not a moment at all: the API refuses it, from the tracker as it is
            return self
        if times and moment == times[-1]:
            return self
        name = f"edition {stamp}"
        with self._lock:
            if stamp in self._editions:
                self._editions.move_to_end(stamp)
                return self._editions[stamp]
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            with self._lock:
                if stamp in self._editions:
                    return self._editions[stamp]
            shown = as_published(self.tracker, moment)
            made = Loaded(shown, list_records(shown, self.document), self.document)
            with self._lock:
                self._editions[stamp] = made
                while len(self._editions) > EDITIONS_KEPT:
                    self._editions.popitem(last=False)
                self._locks.pop(name, None)
            return made


_stores: dict[str, object] = {}
_loaded: dict[tuple, Loaded] = {}  # (location, revision, today) -> the tracker, the latest of each document
_load_lock = threading.Lock()


_documents: dict[str, tuple[float, list]] = {}
DOCUMENTS_KEPT_SECONDS = 30  # a document added to the index shows within this


def _portfolio() -> str:
    """Where the documents are: the configured location (environment and secrets do not change under it)."""
    secrets = {"database": _secret("database"), "database_url": _secret("database_url")}
    return configured_location(os.environ, secrets)


def _documents_at(portfolio: str) -> list:
    found = _documents.get(portfolio)
    if found is None or time.monotonic() - found[0] > DOCUMENTS_KEPT_SECONDS:
        found = (time.monotonic(), list_documents(portfolio))
        _documents[portfolio] = found
    return found[1]


class UnknownDocument(TrackerError):
    """A request names a document the tracker does not follow (`api.unknown_document` words it)."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        super().__init__(doc_id)


def _document_named(location: str) -> str:
    """The id of a document other than the first, by its location ("" for the first)."""
    documents = _documents_at(_portfolio())
    return next((d.id for d in documents[1:] if d.location == location), "")


def _store(doc_id: str | None = None):
    """The store of a document (the first one without `doc_id`), opened once per process."""
    portfolio = _portfolio()
    documents = _documents_at(portfolio)
    chosen = documents[0] if doc_id is None else next((d for d in documents if d.id == doc_id), None)
    if chosen is None:
        raise UnknownDocument(str(doc_id))
    if chosen.location not in _stores:
        _stores[chosen.location] = open_store(chosen.location)
    return chosen.location, _stores[chosen.location]


def _store_and_first(doc_id: str | None):
    """A document's location and store, and the first document's location (its links name no document)."""
    return (*_store(doc_id), _store(None)[0])


def _every_store() -> list[tuple[str, str, object, str]]:
    """(id, location, store, revision) of every document, in the index's order (the first is the default)."""
    found = []
    for document in _documents_at(_portfolio()):
        location, store = _store(document.id)
        found.append((document.id, location, store, store.revision()))
    return found


def _load(location: str, store, revision: str, today: date) -> Loaded:
    """The tracker of this revision, loaded once (one load at a time: a cold load of a large tracker is heavy)."""
    key = (location, revision, today)
    with _load_lock:
        if key not in _loaded:
            tracker = store.load(today=today)
            # The latest of each document only: an older revision of it will not be asked for again.
            for old in [old for old in _loaded if old[0] == location]:
                del _loaded[old]
            document = _document_named(location)
            _loaded[key] = Loaded(tracker, list_records(tracker, document), document)
        return _loaded[key]


def base_url(request: Request) -> str:
    """The public address of the app: $TRACKER_PUBLIC_URL, or the request's own host and base path."""
    configured = os.environ.get("TRACKER_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}{PREFIX}"


def _matches(header: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison: W/"x" and "x" match.
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def _plain_error(status: int, message: str) -> tuple[int, bytes, str]:
    return status, (message + "\n").encode("utf-8"), TEXT


_PAGE = re.compile(r"[0-9]{1,6}")  # ASCII digits only: str.isdigit() takes '²' and '①', which int() refuses


def _plain_page(wanted: dict[str, str]) -> dict[str, str]:
    """A feed's page number written plainly (page=0001 is page=1, the default, which is left out)."""
    if "page" in wanted and _PAGE.fullmatch(wanted["page"]):
        wanted["page"] = str(int(wanted["page"]))
        if wanted["page"] == "1":
            del wanted["page"]
    return wanted


def _canonical(params: dict[str, str], reads, location, store, revision, today, now) -> tuple[dict, bool]:
    """The parameters that change a route's answer (`reads`: their names, None for all), as its key holds
    them, and whether the answer may change within the minute. A feed's page is written plainly (page=1
    is the default); `published` becomes its edition's record time."""
    wanted = _plain_page({key: value for key, value in params.items() if reads is None or key in reads})
    if not wanted.get("published"):
        return wanted, False
    stamp = _load(location, store, revision, today).edition_stamp(wanted["published"], now)
    if stamp is None:
        # Refused for now (not a time, or one still to come, which may be valid in a minute).
        return wanted, True
    return {**wanted, "published": stamp}, False


async def _answer(request: Request, build, reads=()) -> Response:
    """The shared shell of the routes about one document: revision, ETag, 304, kept or freshly built body.

    `reads`: the query parameters the route reads (None: all); `build(loaded, params, base, today, now)`
    returns (status, body, media type)."""
    try:
        # The document (the API says `document`, the page's links `doc`); none: the first one.
        params, doc_id = api.read_document(dict(request.query_params))  # a repeated parameter: its last value
    except api.ApiError as error:
        return _refused(request, error)
    try:
        today, now = clock()  # a malformed TRACKER_TODAY is a TrackerError too
        location, store, first = await run_in_threadpool(_store_and_first, doc_id)
        # A database's revision is a query, which must not block the event loop (a file's is one stat).
        revision = await run_in_threadpool(store.revision)
        canonical = (location, store, revision, today, now)
        if params.get("published") and (reads is None or "published" in reads):
            params, volatile = await run_in_threadpool(_canonical, params, reads, *canonical)
        else:
            params, volatile = _canonical(params, reads, *canonical)
    except UnknownDocument as error:
        return _refused(request, api.unknown_document(error.doc_id))
    except TrackerError:
        return _unavailable()
    # Links in the answer name the document (any but the first) so they open it again.
    base = document_base(base_url(request), doc_id if location != first else None)
    moment = now.strftime("%H:%M") if volatile else ""
    # Not the location: the revision names the document's own file or rows (a file's inode, a database
    # document's instance) and `base` names any document but the first, so a tracker file that becomes
    # an index's first document keeps its ETags, and a client's saved ETag still earns its 304.
    key = (FORMAT, revision, today.isoformat(), moment, base, request.url.path, sorted(params.items()))

    def make() -> Answer:
        return Answer(*build(_load(location, store, revision, today), params, base, today, now))

    return await _respond(request, key, bool(params), make)


async def _answer_every(request: Request, build, reads=()) -> Response:
    """The shell of the routes about every document (the whole tracker's feed, the list of documents): the
    ETag, 304 and kept answers of `_answer`, the ETag taken from every document's revision.

    `build(loaded, params, base, today, now)` gets [(document id, Loaded)] in the index's order."""
    params = _plain_page({key: value for key, value in request.query_params.items() if reads is None or key in reads})
    try:
        today, now = clock()
        held = await run_in_threadpool(_every_store)
    except TrackerError:
        return _unavailable()
    base = base_url(request)
    revisions = [(doc_id, revision) for doc_id, _, _, revision in held]
    key = (FORMAT, revisions, today.isoformat(), "", base, request.url.path, sorted(params.items()))

    def make() -> Answer:
        loaded = [(doc_id, _load(location, store, revision, today)) for doc_id, location, store, revision in held]
        return Answer(*build(loaded, params, base, today, now))

    return await _respond(request, key, bool(params), make)


async def _respond(request: Request, key: tuple, varied: bool, make) -> Response:
    """The answer under `key` (what changes it): 304 when the client holds it, else kept or built (in the
    varied lane when the request has parameters), gzipped when asked."""
    etag = 'W/"' + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff"}
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    try:
        answer = await _cached_or_built(etag, VARIED if varied else PLAIN, make)
    except Busy:
        return _busy()
    except TrackerError:
        return _unavailable()
    if answer.media_type == JSON:
        headers["Access-Control-Allow-Origin"] = "*"  # public read-only data, for scripts in any page
    if answer.media_type == SVG:
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    body = answer.body
    # Compressed once and kept: Streamlit's middleware would gzip a large body again on every request.
    if len(body) >= 1000 and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Vary"] = "Accept-Encoding"
        if answer.gzipped is None:
            answer = replace(answer, gzipped=await run_in_threadpool(gzip.compress, body, 6))
            _answers.put(etag, answer)
        headers["Content-Encoding"] = "gzip"
        body = answer.gzipped
    return Response(body, status_code=answer.status, media_type=answer.media_type, headers=headers)


def _refused(request: Request, error: api.ApiError) -> Response:
    """A request refused before any data is read (an unknown document, two different ones): the API's JSON
    error on its addresses, one plain sentence on the feeds and badges. Not kept: a document may be added."""
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if request.url.path.endswith(".json"):
        headers["Access-Control-Allow-Origin"] = "*"
        return Response(api.to_json(error.payload()), status_code=error.status, media_type=JSON, headers=headers)
    return Response(error.message + "\n", status_code=error.status, media_type=TEXT, headers=headers)


def _unavailable() -> Response:
    # Never the store's own message: it can name a file path or a database host.
    return Response(
        "The tracker's data cannot be reached right now; try again in a minute.\n",
        status_code=503,
        media_type=TEXT,
        headers={"Cache-Control": "no-store", "Retry-After": "60"},
    )


def _busy() -> Response:
    return Response(
        "The tracker is answering many different requests right now; try again in a few seconds.\n",
        status_code=503,
        media_type=TEXT,
        headers={"Cache-Control": "no-store", "Retry-After": RETRY_AFTER},
    )


def _page_number(params: dict[str, str]) -> int | None:
    text = params.get("page", "1")
    return int(text) if _PAGE.fullmatch(text) and int(text) > 0 else None


def _language(params: dict[str, str]) -> str | None:
    """The language a feed or badge asks for (`lang=`, English by default); None for one not spoken here."""
    asked = params.get("lang") or DEFAULT_LANGUAGE
    return asked if is_language(asked) else None


LANGUAGE_REFUSED = f"The parameter 'lang' must be one of {', '.join(LANGUAGES)}."


def _with_language(url: str, lang: str) -> str:
    """A feed's address in a language (English: the address as it always was)."""
    return url if lang == DEFAULT_LANGUAGE else f"{url}{'&' if '?' in url else '?'}lang={lang}"


def _feed_answer(tracker, records, title, feed_key, feed_url, alternate, base, page, lang=DEFAULT_LANGUAGE):
    if page is None:
        return _plain_error(400, "The parameter 'page' must be a page number (1, 2, ...).")
    try:
        body = feed.build_feed(
            tracker, records, base_url=base, feed_url=_with_language(feed_url, lang), title=title, feed_key=feed_key,
            alternate=alternate, page=page, w=words(lang),
        )  # fmt: skip
    except ValueError as error:
        return _plain_error(404, str(error))
    return 200, body, ATOM


async def tracker_feed(request: Request) -> Response:
    def build(loaded, params, base, today, now):
        lang = _language(params)
        if lang is None:
            return _plain_error(400, LANGUAGE_REFUSED)
        shown = loaded.in_language(lang)
        title = shown.tracker.settings.title
        page = _page_number(params)
        named = base.partition("#")[2]  # a document other than the first: its feed has an id of its own
        key = f"doc/{named}/feed" if named else "feed"
        return _feed_answer(shown.tracker, shown.records, title, key, feed_link(base), None, base, page, lang)

    return await _answer(request, build, reads=("page", "lang"))


async def recommendation_feed(request: Request) -> Response:
    rec_id = request.path_params["rec_id"]

    def build(loaded, params, base, today, now):
        lang = _language(params)
        if lang is None:
            return _plain_error(400, LANGUAGE_REFUSED)
        shown = loaded.in_language(lang)
        tracker = shown.tracker
        try:
            rec = find_recommendation(tracker, rec_id)
        except NotFound:
            return _plain_error(404, f"This tracker has no recommendation '{rec_id[:60]}'.")
        mine = [record for record in shown.records if record.rec_id == rec_id]
        title = f"{rec.title} ({tracker.settings.title})"
        link, page = page_link(base, rec_id), _page_number(params)
        named = base.partition("#")[2]
        key = f"doc/{named}/feed/rec/{rec_id}" if named else f"feed/rec/{rec_id}"
        return _feed_answer(tracker, mine, title, key, feed_link(base, rec_id), link, base, page, lang)

    return await _answer(request, build, reads=("page", "lang"))


def _api(make_payload, allowed):
    def build(loaded, params, base, today, now):
        # An earlier edition is made once and kept (`published` is already its record time here).
        shown = loaded.edition(params["published"]) if params.get("published") else loaded
        try:
            query = api.parse_query(params, shown.tracker, today=today, now=now, allowed=allowed())
        except api.ApiError as error:
            return error.status, api.to_json(error.payload()), JSON
        shown = shown.in_language(query.lang)  # ids and dates are the same in every language
        if query.published is None:
            return 200, api.to_json(make_payload(shown.tracker, query, base, shown.records, shown.tables())), JSON
        # The edition's own log and tables answer for it; the payload says which moment it shows.
        payload = make_payload(shown.tracker, replace(query, published=None), base, shown.records, shown.tables())
        return 200, api.to_json({**payload, "published": format_timestamp(query.published)}), JSON

    async def endpoint(request: Request) -> Response:
        return await _answer(request, build, reads=None)

    return endpoint


def _state(tracker, query, base, _records, tables):
    return api.recommendations_payload(tracker, query, base, tables)


recommendations = _api(_state, api.recommendation_parameters)
events = _api(api.events_payload, api.event_parameters)


async def status_badge(request: Request) -> Response:
    rec_id = request.path_params["rec_id"]

    def build(loaded, params, base, today, now):
        lang = _language(params)
        if lang is None:
            return _plain_error(400, LANGUAGE_REFUSED)
        try:
            rec = find_recommendation(loaded.tracker, rec_id)
        except NotFound:
            return _plain_error(404, f"This tracker has no recommendation '{rec_id[:60]}'.")
        frame = loaded.statuses_today(today)
        row = frame[frame["id"] == rec_id]
        status = row["status"].iloc[0] if len(row) else rec.updates[0].status
        shown = loaded.in_language(lang).tracker
        title = find_recommendation(shown, rec_id).title
        return 200, badge.status_badge(shown.settings, title, status, words(lang)), SVG

    return await _answer(request, build, reads=("lang",))


async def progress_badge(request: Request) -> Response:
    def build(loaded, params, base, today, now):
        lang = _language(params)
        if lang is None:
            return _plain_error(400, LANGUAGE_REFUSED)
        frame = loaded.statuses_today(today)
        score = analysis.score_progress(frame, loaded.tracker.settings)
        shown = loaded.in_language(lang).tracker
        return 200, badge.progress_badge(shown.settings, score, len(frame), words(lang)), SVG

    return await _answer(request, build, reads=("lang",))


async def documents(request: Request) -> Response:
    """Every document the tracker follows, with where its items stand on a day (`as_of`, default today)."""

    def build(loaded, params, base, today, now):
        try:
            as_of = api.parse_documents_query(params, today=today)
        except api.ApiError as error:
            return error.status, api.to_json(error.payload()), JSON
        found = [(doc_id, shown.tracker) for doc_id, shown in loaded]
        return 200, api.to_json(api.documents_payload(found, as_of=as_of, base_url=base)), JSON

    return await _answer_every(request, build, reads=None)


async def documents_feed(request: Request) -> Response:
    """The whole tracker's feed: every document's records, each entry with the id it has in its own feed."""

    def build(loaded, params, base, today, now):
        page = _page_number(params)
        if page is None:
            return _plain_error(400, "The parameter 'page' must be a page number (1, 2, ...).")
        parts = [
            feed.DocumentRecords(doc_id, shown.tracker, shown.records, document_base(base, doc_id if n else None))
            for n, (doc_id, shown) in enumerate(loaded)
        ]
        # The All documents page lists them; with one document there is no such page, its overview instead.
        alternate = documents_page_link(base) if len(parts) > 1 else page_link(base)
        title = "Every document: " + "; ".join(part.tracker.settings.title for part in parts)
        try:
            body = feed.build_documents_feed(
                parts, feed_url=documents_feed_link(base), title=title, feed_key=feed.DOCUMENTS_FEED_KEY,
                alternate=alternate, page=page,
            )  # fmt: skip
        except ValueError as error:
            return _plain_error(404, str(error))
        return 200, body, ATOM

    return await _answer_every(request, build, reads=("page",))


ROUTES = [
    Route(f"{PREFIX}/api/v1/documents.json", documents, methods=["GET"]),
    Route(f"{PREFIX}/feed.atom", tracker_feed, methods=["GET"]),
    # Not under /feed/: any name there could be a recommendation's id.
    Route(f"{PREFIX}/{DOCUMENTS_FEED_PATH}", documents_feed, methods=["GET"]),
    Route(f"{PREFIX}/feed/{{rec_id}}.atom", recommendation_feed, methods=["GET"]),
    Route(f"{PREFIX}/api/v1/recommendations.json", recommendations, methods=["GET"]),
    Route(f"{PREFIX}/api/v1/events.json", events, methods=["GET"]),
    Route(f"{PREFIX}/badge/progress.svg", progress_badge, methods=["GET"]),
    Route(f"{PREFIX}/badge/{{rec_id}}.svg", status_badge, methods=["GET"]),
]


@contextlib.asynccontextmanager
async def lifespan(_app):
    """Before the health check answers: the first reader's page prepared (ui.startup), so the first
    reader after a restart waits no longer than the next one."""
    warmed = await run_in_threadpool(warm_first_page, os.environ)
    yield {"warmed": warmed}


app = st.App("dashboard.py", routes=ROUTES, lifespan=lifespan)
