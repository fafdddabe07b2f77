"""The app's entry point: the dashboard page plus read-only feeds, badges and a JSON API.

    streamlit run app.py            # what scripts/dashboard and Streamlit Community Cloud run

`dashboard.py` stays the page script; this file adds Starlette routes beside it:

    /feed.atom, /feed/<id>.atom                     Atom feeds of everything recorded
    /api/v1/recommendations.json, /api/v1/events.json   the state and the event log (docs/api-schema.json)
    /badge/<id>.svg, /badge/progress.svg            status and progress badges

Streamlit does not mount custom routes under `server.baseUrlPath`, so they are prefixed here.
Every answer is built by the pure modules in tracker/ and kept per data revision; its ETag
comes from the revision (file identity or database counter), the address and the day, so a
304 costs one stat (or one tiny query) and a hash, and an unchanged request is never rebuilt.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import threading
from collections import OrderedDict
from datetime import date, datetime

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracker import analysis, api, badge, feed
from tracker import clock as product_clock
from tracker.edits import find_recommendation
from tracker.errors import NotFound, TrackerError
from tracker.location import configured_location
from tracker.records import feed_link, list_records, page_link
from tracker.storage import open_store

BASE_PATH = (st.get_option("server.baseUrlPath") or "").strip("/")
PREFIX = f"/{BASE_PATH}" if BASE_PATH else ""
# Bump when the output format changes, so clients holding an old ETag get the new bytes.
FORMAT = "1"
# "no-cache" means "store it, but ask first": every poll revalidates with If-None-Match and
# gets a bodiless 304 while nothing changed, and an update saved on the page shows on the
# very next request (a max-age would let browsers and proxies keep the old answer for its span).
CACHE_CONTROL = "public, no-cache"
CACHE_BYTES = 256 * 1024 * 1024  # answers kept in memory, newest first
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


_stores: dict[str, object] = {}
_answers: OrderedDict[str, tuple[int, bytes, str, list]] = OrderedDict()
_size = 0
_build_lock = threading.Lock()  # one build at a time: a cold load of a large tracker is heavy
_data: dict[tuple, tuple] = {}  # (location, revision, today) -> (tracker, records, derived), latest only


def _store():
    """The configured store, opened once per process (environment and secrets do not change under it)."""
    if not _stores:
        secrets = {"database": _secret("database"), "database_url": _secret("database_url")}
        location = configured_location(os.environ, secrets)
        _stores[location] = open_store(location)
    return next(iter(_stores.items()))


def _tracker(location: str, store, revision: str, today: date):
    key = (location, revision, today)
    if key not in _data:
        tracker = store.load(today=today)
        _data.clear()
        _data[key] = (tracker, list_records(tracker), {})
    return _data[key][:2]


def _derived(tracker, name: str, make):
    """Something computed from the current tracker (its event log, today's statuses), once per revision."""
    for entry in _data.values():
        if entry[0] is tracker:
            if name not in entry[2]:
                entry[2][name] = make()
            return entry[2][name]
    return make()


def _tables(tracker):
    """The event log and recommendations table, as the page's analysis takes them."""
    return _derived(tracker, "tables", lambda: (analysis.list_updates(tracker), analysis.list_recommendations(tracker)))


def _statuses_today(tracker, today: date):
    """Every recommendation's status today (for badges)."""
    return _derived(tracker, f"statuses {today}", lambda: analysis.statuses_as_of(tracker, today, *_tables(tracker)))


def _keep(etag: str, answer: tuple[int, bytes, str, list]) -> None:
    global _size
    _answers[etag] = answer
    _size += len(answer[1])
    while _size > CACHE_BYTES and len(_answers) > 1:
        _, (_, body, _, variants) = _answers.popitem(last=False)
        _size -= len(body) + sum(len(v) for v in variants)


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


async def _answer(request: Request, build) -> Response:
    """The shared shell of every route: revision, ETag, 304, cached or freshly built body.

    `build(tracker, records, base, today, now)` returns (status, body, media type)."""
    try:
        today, now = clock()  # a malformed TRACKER_TODAY is a TrackerError too
        location, store = _store()
        # A database's revision is a query, which must not block the event loop (a file's is one stat).
        revision = await run_in_threadpool(store.revision)
    except TrackerError:
        return _unavailable()
    base = base_url(request)
    query = sorted(request.query_params.multi_items())
    # `published` is checked against the current time, so its answers are kept per minute only.
    moment = now.strftime("%H:%M") if "published" in request.query_params else ""
    key = repr((FORMAT, location, revision, today.isoformat(), moment, base, request.url.path, query))
    etag = 'W/"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff"}
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    answer = _answers.get(etag)
    if answer is None:

        def make():
            with _build_lock:
                if etag in _answers:
                    return _answers[etag]
                tracker, records = _tracker(location, store, revision, today)
                made = (*build(tracker, records, base, today, now), [])
                _keep(etag, made)
                return made

        try:
            answer = await run_in_threadpool(make)
        except TrackerError:
            return _unavailable()
    else:
        with contextlib.suppress(KeyError):  # a build in another thread may have evicted it meanwhile
            _answers.move_to_end(etag)
    status, body, media_type, variants = answer
    if media_type == JSON:
        headers["Access-Control-Allow-Origin"] = "*"  # public read-only data, for scripts in any page
    if media_type == SVG:
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    # Compressed once and kept: Streamlit's middleware would gzip a large body again on every request.
    if len(body) >= 1000 and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Vary"] = "Accept-Encoding"
        if not variants:
            variants.append(await run_in_threadpool(gzip.compress, body, 6))
            global _size
            _size += len(variants[0])
        headers["Content-Encoding"] = "gzip"
        body = variants[0]
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def _unavailable() -> Response:
    # Never the store's own message: it can name a file path or a database host.
    return Response(
        "The tracker's data cannot be reached right now; try again in a minute.\n",
        status_code=503,
        media_type=TEXT,
        headers={"Cache-Control": "no-store", "Retry-After": "60"},
    )


def _page_number(request: Request) -> int | None:
    text = request.query_params.get("page", "1")
    return int(text) if text.isdigit() and 0 < len(text) < 7 else None


def _feed_answer(tracker, records, title, feed_key, feed_url, alternate, base, page):
    if page is None:
        return _plain_error(400, "The parameter 'page' must be a page number (1, 2, ...).")
    try:
        body = feed.build_feed(
            tracker, records, base_url=base, feed_url=feed_url, title=title, feed_key=feed_key, alternate=alternate,
            page=page,
        )  # fmt: skip
    except ValueError as error:
        return _plain_error(404, str(error))
    return 200, body, ATOM


async def tracker_feed(request: Request) -> Response:
    page = _page_number(request)

    def build(tracker, records, base, today, now):
        title = tracker.settings.title
        return _feed_answer(tracker, records, title, "feed", feed_link(base), None, base, page)

    return await _answer(request, build)


async def recommendation_feed(request: Request) -> Response:
    rec_id, page = request.path_params["rec_id"], _page_number(request)

    def build(tracker, records, base, today, now):
        try:
            rec = find_recommendation(tracker, rec_id)
        except NotFound:
            return _plain_error(404, f"This tracker has no recommendation '{rec_id[:60]}'.")
        mine = [record for record in records if record.rec_id == rec_id]
        title = f"{rec.title} ({tracker.settings.title})"
        link = page_link(base, rec_id)
        return _feed_answer(tracker, mine, title, f"feed/rec/{rec_id}", feed_link(base, rec_id), link, base, page)

    return await _answer(request, build)


def _api(make_payload, allowed):
    async def endpoint(request: Request) -> Response:
        params = dict(request.query_params)

        def build(tracker, records, base, today, now):
            try:
                query = api.parse_query(params, tracker, today=today, now=now, allowed=allowed())
            except api.ApiError as error:
                return error.status, api.to_json(error.payload()), JSON
            return 200, api.to_json(make_payload(tracker, query, base, records, _tables(tracker))), JSON

        return await _answer(request, build)

    return endpoint


def _state(tracker, query, base, _records, tables):
    return api.recommendations_payload(tracker, query, base, tables)


recommendations = _api(_state, api.recommendation_parameters)
events = _api(api.events_payload, api.event_parameters)


async def status_badge(request: Request) -> Response:
    rec_id = request.path_params["rec_id"]

    def build(tracker, records, base, today, now):
        try:
            rec = find_recommendation(tracker, rec_id)
        except NotFound:
            return _plain_error(404, f"This tracker has no recommendation '{rec_id[:60]}'.")
        frame = _statuses_today(tracker, today)
        row = frame[frame["id"] == rec_id]
        status = row["status"].iloc[0] if len(row) else rec.updates[0].status
        return 200, badge.status_badge(tracker.settings, rec.title, status), SVG

    return await _answer(request, build)


async def progress_badge(request: Request) -> Response:
    def build(tracker, records, base, today, now):
        frame = _statuses_today(tracker, today)
        score = analysis.score_progress(frame, tracker.settings)
        return 200, badge.progress_badge(tracker.settings, score, len(frame)), SVG

    return await _answer(request, build)


ROUTES = [
    Route(f"{PREFIX}/feed.atom", tracker_feed, methods=["GET"]),
    Route(f"{PREFIX}/feed/{{rec_id}}.atom", recommendation_feed, methods=["GET"]),
    Route(f"{PREFIX}/api/v1/recommendations.json", recommendations, methods=["GET"]),
    Route(f"{PREFIX}/api/v1/events.json", events, methods=["GET"]),
    Route(f"{PREFIX}/badge/progress.svg", progress_badge, methods=["GET"]),
    Route(f"{PREFIX}/badge/{{rec_id}}.svg", status_badge, methods=["GET"]),
]

app = st.App("dashboard.py", routes=ROUTES)
