"""app.py's routes in this process (Starlette over httpx, no server): what a query costs is bounded.

Numbers in a query are ASCII digits or a plain 400; `published` moments share their edition's answer;
varied queries never hold up plain ones; the answer cache stays consistent under many threads.
(tests/test_routes.py runs the same routes on real servers.)"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from datetime import datetime, timezone

import httpx
import pytest
from conftest import RECORDED, TODAY
from starlette.applications import Starlette

import app
from tracker import api
from tracker.edits import build_update

BASE = "http://tracker.test"


@pytest.fixture
def routes(monkeypatch, data_file):
    """The routes on the small tracker (a fresh copy of app.py's state), and an async client for them."""
    for name in ("TRACKER_DATABASE_URL", "TRACKER_PUBLIC_URL", "TRACKER_EDITOR_PASSCODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_DATA", str(data_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TRACKER_READ_ONLY", "1")
    for state in (app._stores, app._loaded, app._building):
        state.clear()
    app._answers.clear()
    yield Starlette(routes=app.ROUTES)
    for state in (app._stores, app._loaded):
        state.clear()
    app._answers.clear()


def get_all(server, *paths, headers=None, params=None):
    """Every path requested at once; the responses in order."""

    async def run():
        transport = httpx.ASGITransport(app=server)
        async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=60) as client:
            return await asyncio.gather(*(client.get(path, headers=headers, params=params) for path in paths))

    return asyncio.run(run())


# -- numbers in a query: ASCII digits, or a plain 400 --------------------------------------------------

PAGE_ERROR = "The parameter 'page' must be a page number (1, 2, ...).\n"


def limit_error(key: str, value: str) -> dict:
    limits = "from 1 to 10,000" if key == "limit" else "0 or more"
    message = f"The parameter '{key}' must be a whole number {limits}; it was '{value}'."
    return {"error": {"status": 400, "parameter": key, "code": "not_a_number", "message": message}}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feed.atom?page=%C2%B2", PAGE_ERROR),  # ²: str.isdigit() said yes, int() raised: a 500
        ("/feed.atom?page=%E2%91%A0", PAGE_ERROR),  # ①
        ("/feed.atom?page=%D9%A3", PAGE_ERROR),  # ٣: int() reads it as 3
        ("/feed.atom?page=%EF%BC%92", PAGE_ERROR),  # a fullwidth 2
        ("/feed.atom?page=0", PAGE_ERROR),
        ("/feed.atom?page=-1", PAGE_ERROR),
        ("/feed.atom?page=1_0", PAGE_ERROR),
        ("/feed/joint-fund.atom?page=%C2%B2", PAGE_ERROR),
        ("/api/v1/events.json?limit=%C2%B2", limit_error("limit", "²")),
        ("/api/v1/events.json?offset=%C2%B2", limit_error("offset", "²")),
        ("/api/v1/events.json?limit=%E2%91%A0", limit_error("limit", "①")),
        ("/api/v1/events.json?offset=%D9%A3", limit_error("offset", "٣")),
        ("/api/v1/events.json?limit=1_000", limit_error("limit", "1_000")),
    ],
)
def test_a_number_in_a_query_is_ascii_digits_or_a_plain_400(routes, path, expected):
    (response,) = get_all(routes, path)
    assert response.status_code == 400
    if isinstance(expected, str):
        assert (response.headers["content-type"], response.text) == ("text/plain; charset=utf-8", expected)
    else:
        assert (response.headers["content-type"], response.json()) == ("application/json", expected)


def test_a_page_number_is_read_as_the_same_page_however_written(routes):
    plain, padded, first, ignored = get_all(
        routes, "/feed.atom", "/feed.atom?page=0001", "/feed.atom?page=1", "/feed.atom?utm_source=x"
    )
    assert plain.status_code == padded.status_code == first.status_code == ignored.status_code == 200
    assert plain.headers["etag"] == padded.headers["etag"] == first.headers["etag"] == ignored.headers["etag"]
    (missing,) = get_all(routes, "/feed.atom?page=0007")
    assert (missing.status_code, missing.text) == (404, "There is no page 7 of this feed; it has 1.\n")


# -- published: compared as times, keyed by its edition -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (
            "soon",
            "not_a_time",
            "'soon' is not a publication time; write it as YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD.",
        ),
        (
            "2026-11-28T00:00:00Z",
            "future_time",
            "The publication time 2026-11-28T00:00:00Z is in the future; the tracker cannot show it yet.",
        ),
        ("2026-02-30", "not_a_real_time", "'2026-02-30' is not a real date and time."),
        (
            "\u0662\u0660\u0662\u0666-11-27",
            "not_a_time",
            "'\u0662\u0660\u0662\u0666-11-27' is not a publication time; write it as YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD.",
        ),
    ],
)
def test_a_bad_publication_time_is_a_plain_400(routes, value, code, message):
    for path in ("recommendations", "events"):
        (response,) = get_all(routes, f"/api/v1/{path}.json", params={"published": value})
        assert response.status_code == 400
        expected = {"status": 400, "parameter": "published", "code": code, "message": message}
        assert response.json() == {"error": expected}


def test_published_before_the_year_1000_shows_the_first_record(routes):
    (state,) = get_all(routes, "/api/v1/recommendations.json?published=0999-12-31")
    assert state.status_code == 200
    assert state.json()["published"] == RECORDED  # four-digit years; the tracker as first recorded
    assert [rec["id"] for rec in state.json()["recommendations"]] == [
        "export-controls",
        "joint-fund",
        "trilateral-talks",
    ]


def test_every_moment_of_an_edition_shares_one_answer(routes, store, monkeypatch):
    # A later edition, so that earlier moments need the tracker as published then (the heavy part).
    update = {"date": "2026-11-01", "status": "reversed", "note": "Undone.", "author": "A"}
    sources = [{"url": "https://example.org/z", "title": "Z", "kind": "news"}]
    store.append_update(
        "export-controls", build_update({**update, "sources": sources, "recorded": "2026-11-27T15:00:00Z"}), today=TODAY
    )
    made = []
    real = app.as_published
    monkeypatch.setattr(app, "as_published", lambda *args: made.append(args[1]) or real(*args))
    moments = [f"2026-11-27T{12 + n // 60:02d}:{n % 60:02d}:00Z" for n in range(50)]  # 12:00 to 12:49
    answers = get_all(routes, *(f"/api/v1/recommendations.json?published={moment}" for moment in moments))
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.headers["etag"] for answer in answers}) == 1  # one answer for the whole edition
    assert made == [datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)]  # made once, at its record time
    shown = answers[0].json()
    assert shown["published"] == RECORDED  # the edition: the newest record time at or before the moment
    assert {r["id"]: r["status"]["id"] for r in shown["recommendations"]}["export-controls"] == "implemented"
    (later,) = get_all(routes, "/api/v1/recommendations.json?published=2026-11-27T16:00:00Z")
    assert later.json()["published"] == "2026-11-27T15:00:00Z"
    assert {r["id"]: r["status"]["id"] for r in later.json()["recommendations"]}["export-controls"] == "reversed"
    events = get_all(routes, "/api/v1/events.json?published=2026-11-27T12:30:00Z&limit=2")[0].json()
    assert events["next"] == f"{BASE}/api/v1/events.json?published=2026-11-27T12%3A00%3A00Z&limit=2&offset=2"


# -- lanes: plain requests never queue behind varied ones ---------------------------------------------

BUILD_SECONDS = 0.5  # what each varied query costs here (a distinct as_of or published at 10,000 recommendations: ~3 s)
PLAIN_BOUND = 2.0  # seconds: a plain request's answer while 50 varied ones are in flight (the old shared lock: 25 s)


def test_fifty_varied_queries_do_not_delay_a_plain_request(routes, monkeypatch):
    real = api.recommendations_payload

    def slow_when_searched(tracker, query, base, tables=None):
        if query.view.query:
            time.sleep(BUILD_SECONDS)
        return real(tracker, query, base, tables)

    monkeypatch.setattr(api, "recommendations_payload", slow_when_searched)

    async def run():
        transport = httpx.ASGITransport(app=routes)
        async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=60) as client:

            async def timed(path, delay=0.0):
                await asyncio.sleep(delay)
                started = time.monotonic()
                response = await client.get(path)
                return response, time.monotonic() - started

            varied = [timed(f"/api/v1/recommendations.json?q=word{n}") for n in range(50)]
            plain = timed("/api/v1/events.json", delay=0.1)  # uncached: it must be built too
            return await asyncio.gather(plain, *varied)

    (plain, plain_seconds), *varied = asyncio.run(run())
    assert plain.status_code == 200 and plain_seconds < PLAIN_BOUND
    served = [seconds for response, seconds in varied if response.status_code == 200]
    refused = [response for response, _ in varied if response.status_code == 503]
    assert len(served) + len(refused) == 50
    assert 1 <= len(served) <= app.VARIED.limit  # one building, two waiting: the rest refused at once
    assert max(served) < (app.VARIED.limit + 1) * BUILD_SECONDS + 1
    for response in refused:
        assert response.headers["retry-after"] == app.RETRY_AFTER and response.headers["cache-control"] == "no-store"
        assert (
            response.text == "The tracker is answering many different requests right now; try again in a few seconds.\n"
        )
    # Once the lane has drained, a varied query is answered again.
    (again,) = get_all(routes, "/api/v1/recommendations.json?q=word49")
    assert again.status_code == 200


def test_one_build_however_many_ask_for_the_same_answer(routes, monkeypatch):
    built = []
    real = api.events_payload

    def counted(*args):
        built.append(1)
        time.sleep(0.2)  # long enough for every request to arrive while it is being built
        return real(*args)

    monkeypatch.setattr(api, "events_payload", counted)
    monkeypatch.setattr(app, "events", app._api(counted, api.event_parameters))
    server = Starlette(routes=[*app.ROUTES[:3], app.Route("/api/v1/events.json", app.events), *app.ROUTES[4:]])
    answers = get_all(server, *["/api/v1/events.json"] * 40)
    assert {answer.status_code for answer in answers} == {200} and len(built) == 1
    assert len({answer.content for answer in answers}) == 1


# -- the answer cache under threads ---------------------------------------------------------------------


def test_the_answer_cache_stays_consistent_under_many_threads():
    cache = app.AnswerCache(budget=50_000)
    failures = []

    def hammer(seed):
        chance = random.Random(seed)
        try:
            for _ in range(3000):
                key = f"k{chance.randrange(200)}"
                if chance.random() < 0.5:
                    body = b"x" * chance.randrange(0, 4000)
                    answer = app.Answer(200, body, "text/plain")
                    if chance.random() < 0.3:  # a gzip form added later, as a request asking for it does
                        answer = app.Answer(200, body, "text/plain", gzipped=b"z" * chance.randrange(0, 800))
                    cache.put(key, answer)
                else:
                    cache.get(key)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=hammer, args=(seed,)) for seed in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept, counted, held = cache.totals()
    assert failures == []
    assert counted == held <= cache.budget and kept > 0


def test_an_answer_larger_than_the_budget_is_not_kept_and_evicts_nothing():
    cache = app.AnswerCache(budget=100)
    cache.put("small", app.Answer(200, b"x" * 60, "text/plain"))
    cache.put("huge", app.Answer(200, b"x" * 101, "text/plain"))
    assert cache.get("huge") is None and cache.get("small") is not None
    cache.put("other", app.Answer(200, b"y" * 60, "text/plain"))  # over budget: the least recently used goes
    assert cache.get("small") is None and cache.totals() == (1, 60, 60)
