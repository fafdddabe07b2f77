"""The routes of a tracker that follows several documents (issue #26), in this process (Starlette over
httpx), on an index of YAML files and on PostgreSQL: `document=` / `doc=` on every route, an unknown
document refused without another's data, each document's feed ids its own, the whole tracker's feed
(`/feeds/all.atom`), `/api/v1/documents.json` against its schema, the events' next pages, ETags per
document. (tests/test_old_links.py holds the links made before documents; tests/test_routes.py runs the
routes on real servers.)"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import feedparser
import httpx
import jsonschema
import pytest
from conftest import ROOT, TODAY, make_data
from helpers import PG_URL, POSTGRES, own_database, reset_database
from starlette.applications import Starlette
from two_documents import FIRST, FIRST_TITLE, SECOND, SECOND_TITLE, second_data, usip_like_data, write_two_documents

import app
from tracker import api, cli, feed
from tracker.edits import build_update
from tracker.records import document_base, feed_link, list_records
from tracker.storage import open_store
from tracker.validation import validate_data

BASE = "http://tracker.test"
SCHEMA = json.loads((ROOT / "docs" / "api-schema.json").read_text(encoding="utf-8"))
SETTINGS = ("TRACKER_DATA", "TRACKER_DATABASE_URL", "TRACKER_PUBLIC_URL", "TRACKER_EDITOR_PASSCODE")
# Every route about one document, with a recommendation both documents hold.
ROUTES = (
    "/feed.atom",
    "/feed/export-controls.atom",
    "/badge/export-controls.svg",
    "/badge/progress.svg",
    "/api/v1/recommendations.json",
    "/api/v1/events.json",
)
LATER = "2026-11-27T16:00:00Z"  # after every record of both documents
NOW = datetime(2026, 11, 27, 23, 59, 59, tzinfo=timezone.utc)


def validate(payload: dict, definition: str) -> None:
    jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"}).validate(payload)


def _clear() -> None:
    for store in app._stores.values():
        getattr(store, "dispose", lambda: None)()
    for state in (app._stores, app._loaded, app._documents, app._building):
        state.clear()
    app._answers.clear()


@pytest.fixture(scope="module", params=["yaml", POSTGRES])
def portfolio(request, tmp_path_factory):
    """The two documents, as an index of YAML files or as one PostgreSQL database (imported from that index
    by the command line); yields the location the app is configured with."""
    _, index = write_two_documents(tmp_path_factory.mktemp("documents-routes"))
    if request.param == "yaml":
        yield str(index)
        return
    url = own_database(PG_URL, "tracker_documents_routes")
    reset_database(url)
    assert cli.main(["import", str(index), "--to", url]) == 0
    yield url
    _clear()
    reset_database(url)


@pytest.fixture
def get(portfolio, monkeypatch):
    """GET (or another method) on the routes of a fresh app serving the portfolio; the response."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    setting = "TRACKER_DATABASE_URL" if portfolio.startswith("postgresql") else "TRACKER_DATA"
    monkeypatch.setenv(setting, portfolio)
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TRACKER_READ_ONLY", "1")
    _clear()
    server = Starlette(routes=app.ROUTES)

    def request(path: str, method: str = "GET", **headers) -> httpx.Response:
        async def run():
            transport = httpx.ASGITransport(app=server)
            async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=60) as client:
                return await client.request(method, path, headers=headers)

        return asyncio.run(run())

    yield request
    _clear()


def _with(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


def _replace(portfolio: str, doc_id: str, data: dict) -> None:
    """Put a document back as the module's other tests expect it (through its store, as an import would)."""
    store = open_store(f"{portfolio}#{doc_id}")
    try:
        store.replace(validate_data(data, today=TODAY), today=TODAY)
    finally:
        getattr(store, "dispose", lambda: None)()


def _append(portfolio: str, doc_id: str, rec_id: str, status: str, note: str) -> None:
    sources = [{"url": "https://example.org/later", "title": "Later", "kind": "news"}]
    update = {"date": TODAY.isoformat(), "status": status, "note": note, "author": "Route tester", "recorded": LATER}
    store = open_store(f"{portfolio}#{doc_id}")
    try:
        store.append_update(rec_id, build_update({**update, "sources": sources}), today=TODAY)
    finally:
        getattr(store, "dispose", lambda: None)()


# -- document= and doc= on every route ----------------------------------------------------------------


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_for_the_document_named(get, path):
    first, named_first = get(path), get(_with(path, f"doc={FIRST}"))
    by_document, by_doc = get(_with(path, f"document={SECOND}")), get(_with(path, f"doc={SECOND}"))
    assert {first.status_code, named_first.status_code, by_document.status_code, by_doc.status_code} == {200}
    # The first document named is the default one: the same bytes and the same ETag.
    assert (named_first.content, named_first.headers["etag"]) == (first.content, first.headers["etag"])
    # document= (the API's word) and doc= (the links' word) are one parameter.
    assert (by_doc.content, by_doc.headers["etag"]) == (by_document.content, by_document.headers["etag"])
    assert by_document.headers["etag"] != first.headers["etag"]
    second = by_document.text
    assert "Second" in second and FIRST_TITLE not in second and "Lift export controls" not in second
    assert "Second" not in first.text


def test_a_badge_shows_that_documents_status(get):
    assert "Lift export controls: Implemented" in get("/badge/export-controls.svg").text
    assert "Second lift export controls: Stalled" in get(f"/badge/export-controls.svg?doc={SECOND}").text
    assert "over 3 recommendations" in get(f"/badge/progress.svg?doc={SECOND}").text


@pytest.mark.parametrize("path", ROUTES)
def test_an_unknown_document_is_a_404_with_no_documents_data(get, path):
    response = get(_with(path, "document=no-such"))
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store" and response.headers["x-content-type-options"] == "nosniff"
    assert FIRST_TITLE not in response.text and SECOND_TITLE not in response.text
    if path.endswith(".json"):
        validate(response.json(), "error_response")
        assert response.json()["error"] == {
            "status": 404,
            "parameter": "document",
            "code": "unknown_document",
            "message": "This tracker follows no document 'no-such'.",
        }
    else:
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == "This tracker follows no document 'no-such'.\n"
    assert get(_with(path, "doc=no-such")).content == response.content


@pytest.mark.parametrize("path", ["/feed.atom", "/badge/progress.svg", "/api/v1/events.json"])
def test_a_hostile_document_name_stays_text(get, path):
    response = get(_with(path, "doc=%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
    assert response.status_code == 404
    if path.endswith(".json"):
        assert "<script>" not in response.text  # written as \u003c: safe inside HTML too
        assert response.json()["error"]["message"] == "This tracker follows no document '<script>alert(1)</script>'."
    else:
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_document_and_doc_naming_different_documents_is_a_400(get):
    response = get(f"/api/v1/recommendations.json?document={SECOND}&doc={FIRST}")
    assert response.status_code == 400
    validate(response.json(), "error_response")
    assert response.json()["error"]["code"] == "two_documents"
    assert response.json()["error"]["message"] == (
        f"The parameters 'document' and 'doc' name different documents ('{SECOND}' and '{FIRST}'); give one."
    )
    feed_answer = get(f"/feed.atom?document={SECOND}&doc={FIRST}")
    assert (feed_answer.status_code, feed_answer.headers["content-type"]) == (400, "text/plain; charset=utf-8")
    # A misspelt parameter is refused with the list of those the address takes, the document's among them.
    typo = get(f"/api/v1/events.json?documnet={SECOND}").json()["error"]
    assert (typo["code"], typo["parameter"]) == ("unknown_parameter", "documnet") and ", document, lang, rec," in typo[
        "message"
    ]
    # Naming the same document twice is no contradiction.
    both = get(f"/api/v1/recommendations.json?document={SECOND}&doc={SECOND}")
    assert both.status_code == 200 and both.content == get(f"/api/v1/recommendations.json?document={SECOND}").content


# -- feeds: each document's ids its own; the whole tracker's feed ---------------------------------------


def test_each_documents_feed_ids_are_its_own(get):
    first, second = (
        feedparser.parse(get("/feed.atom").content),
        feedparser.parse(get(f"/feed.atom?doc={SECOND}").content),
    )
    assert not first.bozo and not second.bozo
    assert first.feed.id != second.feed.id
    first_ids, second_ids = {entry.id for entry in first.entries}, {entry.id for entry in second.entries}
    assert len(first_ids) == len(first.entries) == 21 and len(second_ids) == len(second.entries) == 7
    assert not first_ids & second_ids  # the same recommendation and event ids, never the same entry id
    assert all(f"doc/{SECOND}/" in entry_id for entry_id in second_ids)
    assert all(entry.link.endswith(f"doc={SECOND}") for entry in second.entries)
    assert not any("doc=" in entry.link for entry in first.entries)
    one = feedparser.parse(get(f"/feed/export-controls.atom?doc={SECOND}").content)
    assert one.feed.id != feedparser.parse(get("/feed/export-controls.atom").content).feed.id
    assert {entry.id for entry in one.entries} < second_ids


def test_the_whole_tracker_feed_holds_every_documents_entries(get):
    response = get("/feeds/all.atom")
    assert response.status_code == 200 and response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    whole = feedparser.parse(response.content)
    assert not whole.bozo
    first, second = (
        feedparser.parse(get("/feed.atom").content),
        feedparser.parse(get(f"/feed.atom?doc={SECOND}").content),
    )
    own = {entry.id: (entry, FIRST, FIRST_TITLE) for entry in first.entries}
    own |= {entry.id: (entry, SECOND, SECOND_TITLE) for entry in second.entries}
    assert sorted(entry.id for entry in whole.entries) == sorted(own)  # each entry once, with its own id
    updated = [entry.updated for entry in whole.entries]
    assert updated == sorted(updated, reverse=True)  # newest record first, across documents
    for entry in whole.entries:
        mine, doc_id, title = own[entry.id]
        assert entry.title == f"{mine.title} ({title})"  # the title says which document
        assert entry.link == mine.link  # to its own document's page
        assert f"document:{doc_id}" in [tag.term for tag in entry.tags]
        assert entry.author == "Test Institute"
    assert whole.feed.id == "tag:recommendation-tracker.invalid,2026:feeds/all"
    assert whole.feed.id not in (first.feed.id, second.feed.id)
    assert whole.feed.title == f"Every document: {FIRST_TITLE}; {SECOND_TITLE}"
    assert {link.rel: link.href for link in whole.feed.links} == {
        "self": f"{BASE}/feeds/all.atom",
        "alternate": f"{BASE}/documents",  # the All documents page
    }
    assert whole.feed.updated == "2026-11-27T14:00:00Z"  # the newest record, the second document's
    # Its pages as the other feeds', a page number ASCII digits.
    assert get("/feeds/all.atom?page=0001").content == response.content
    assert (get("/feeds/all.atom?page=2").status_code, get("/feeds/all.atom?page=2").text) == (
        404,
        "There is no page 2 of this feed; it has 1.\n",
    )
    assert get("/feeds/all.atom?page=%C2%B2").status_code == 400
    head = get("/feeds/all.atom", method="HEAD")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == response.headers["etag"]
    assert get("/feeds/all.atom", method="POST").status_code == 405


def test_the_whole_tracker_feed_follows_a_save_to_any_document(get, portfolio):
    whole, first, second = get("/feeds/all.atom"), get("/feed.atom"), get(f"/feed.atom?doc={SECOND}")
    assert get("/feeds/all.atom", **{"If-None-Match": whole.headers["etag"]}).status_code == 304
    _append(portfolio, SECOND, "trilateral-talks", "in_progress", "Talks began at last.")
    try:
        # The second document's answers and the whole feed change; the first document's do not.
        assert get("/feeds/all.atom", **{"If-None-Match": whole.headers["etag"]}).status_code == 200
        assert get(f"/feed.atom?doc={SECOND}", **{"If-None-Match": second.headers["etag"]}).status_code == 200
        assert get("/feed.atom", **{"If-None-Match": first.headers["etag"]}).status_code == 304
        newest = feedparser.parse(get("/feeds/all.atom").content).entries[0]
        assert newest.title == f"Second trilateral talks: No step found → In progress ({SECOND_TITLE})"
        assert newest.updated == LATER
    finally:
        _replace(portfolio, SECOND, second_data())


def test_a_long_whole_tracker_feed_is_paged_and_its_pages_hold_every_entry_once():
    first = validate_data(make_data(), today=TODAY)
    other = make_data()
    other["tracker"]["title"] = "Other"
    parts = [
        feed.DocumentRecords(doc_id, tracker, list_records(tracker, "" if n == 0 else doc_id),
                             document_base(BASE, None if n == 0 else doc_id))
        for n, (doc_id, tracker) in enumerate([("a", first), ("b", validate_data(other, today=TODAY))])
    ]  # fmt: skip
    every = [record.id for part in parts for record in part.records]
    pages, page, paged = [], 1, []
    while True:
        try:
            body = feed.build_documents_feed(
                parts, feed_url=f"{BASE}/feeds/all.atom", title="All", feed_key="feeds/all", alternate=BASE, page=page,
                page_size=4,
            )  # fmt: skip
        except ValueError:
            break
        parsed = feedparser.parse(body)
        pages.append({link.rel: link.href for link in parsed.feed.links})
        paged += [entry.id for entry in parsed.entries]
        page += 1
    assert sorted(paged) == sorted(every) and len(paged) == len(set(paged)) == 16
    assert len(pages) == 4 and pages[0]["next"] == f"{BASE}/feeds/all.atom?page=2" and "next" not in pages[-1]
    # The same record time: the index's order decides, then each document's own order.
    assert paged.index(parts[0].records[0].id) < paged.index(parts[1].records[0].id)


def test_a_documents_feed_pages_keep_the_document(get):
    tracker = validate_data(second_data(), today=TODAY)
    base = document_base(BASE, SECOND)
    links = {}
    for page in (1, 2, 4):
        body = feed.build_feed(tracker, list_records(tracker, SECOND), base_url=base, feed_url=feed_link(base),
                               title="Second", feed_key=f"doc/{SECOND}/feed", page=page, page_size=2)  # fmt: skip
        links[page] = {link.rel: link.href for link in feedparser.parse(body).feed.links}
    assert links[1]["next"] == f"{BASE}/feed.atom?doc={SECOND}&page=2"
    assert links[2]["self"] == f"{BASE}/feed.atom?doc={SECOND}&page=2"
    assert links[2]["previous"] == links[2]["first"] == f"{BASE}/feed.atom?doc={SECOND}"
    assert links[4]["last"] == f"{BASE}/feed.atom?doc={SECOND}&page=4" and "next" not in links[4]
    # The app reads such an address as that document's page (here past its last: 200 entries a page).
    answer = get(links[1]["next"].removeprefix(BASE))
    assert (answer.status_code, answer.text) == (404, "There is no page 2 of this feed; it has 1.\n")


# -- /api/v1/documents.json ---------------------------------------------------------------------------


def test_the_documents_answer_validates_and_its_links_open_each_document(get):
    response = get("/api/v1/documents.json")
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    listed = response.json()
    validate(listed, "documents_response")
    assert listed["as_of"] == TODAY.isoformat() and listed["links"] == {"feed": f"{BASE}/feeds/all.atom"}
    assert [(doc["id"], doc["title"], doc["items"]) for doc in listed["documents"]] == [
        (FIRST, FIRST_TITLE, 8),
        (SECOND, SECOND_TITLE, 3),
    ]
    first, second = listed["documents"]
    assert first["links"] == {
        "page": f"{BASE}/",
        "feed": f"{BASE}/feed.atom",
        "api": f"{BASE}/api/v1/recommendations.json",
    }
    assert second["links"] == {
        "page": f"{BASE}/?doc={SECOND}",
        "feed": f"{BASE}/feed.atom?doc={SECOND}",
        "api": f"{BASE}/api/v1/recommendations.json?document={SECOND}",
    }
    for document in listed["documents"]:
        state = get(document["links"]["api"].removeprefix(BASE)).json()
        assert state["tracker"]["title"] == document["title"]
        assert state["progress"]["score"] == document["progress"]["score"]
        assert (
            feedparser.parse(get(document["links"]["feed"].removeprefix(BASE)).content).feed.title == document["title"]
        )
    assert get(listed["links"]["feed"].removeprefix(BASE)).status_code == 200


def test_the_documents_answer_as_of_a_day(get):
    earlier = get("/api/v1/documents.json?as_of=2023-06-01").json()
    validate(earlier, "documents_response")
    assert earlier["as_of"] == "2023-06-01"
    # The second document's baselines are dated August 2023: nothing of it was tracked yet.
    assert [doc["items"] for doc in earlier["documents"]] == [8, 0]
    implemented = {row["status"]: row["count"] for row in earlier["documents"][0]["progress"]["by_status"]}
    assert implemented["implemented"] == 2  # export controls and intelligence sharing, by June 2023
    for query, code in (("as_of=2026-13-01", "not_a_date"), ("as_of=2026-11-28", "future_date"),
                        ("as_of=%D9%A2026-01-01", "not_a_date"), ("document=x", "unknown_parameter")):  # fmt: skip
        refused = get(f"/api/v1/documents.json?{query}")
        assert refused.status_code == 400, query
        validate(refused.json(), "error_response")
        assert refused.json()["error"]["code"] == code, query


def test_the_documents_answer_has_an_etag_and_follows_every_document(get, portfolio):
    response = get("/api/v1/documents.json")
    etag = response.headers["etag"]
    assert etag.startswith('W/"') and response.headers["cache-control"] == "public, no-cache"
    assert get("/api/v1/documents.json", **{"If-None-Match": etag}).status_code == 304
    _append(portfolio, SECOND, "export-controls", "implemented", "Lifted at last.")
    try:
        changed = get("/api/v1/documents.json", **{"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.json()["documents"][1]["latest_event"] == TODAY.isoformat()
    finally:
        _replace(portfolio, SECOND, second_data())


# -- the event log's pages and ETags, per document -----------------------------------------------------


@pytest.mark.parametrize("named", ["document", "doc"])
def test_the_next_pages_of_the_events_keep_the_document(get, named):
    whole = get(f"/api/v1/events.json?document={SECOND}").json()
    address, paged = f"/api/v1/events.json?{named}={SECOND}&limit=2", []
    while address:
        page = get(address.removeprefix(BASE)).json()
        validate(page, "events_response")
        paged += [event["id"] for event in page["events"]]
        address = page["next"]
        if address:
            assert parse_qs(urlsplit(address).query)["document"] == [SECOND]
            assert "doc" not in parse_qs(urlsplit(address).query)  # written once, as the API names it
    assert paged == [event["id"] for event in whole["events"]] and len(paged) == 7
    assert whole["tracker"]["links"] == {"page": f"{BASE}/?doc={SECOND}", "feed": f"{BASE}/feed.atom?doc={SECOND}"}


def test_etags_are_per_document_and_follow_only_their_own_saves(get, portfolio):
    first = {path: get(path).headers["etag"] for path in ROUTES}
    second = {path: get(_with(path, f"doc={SECOND}")).headers["etag"] for path in ROUTES}
    assert not set(first.values()) & set(second.values())
    _append(portfolio, FIRST, "liaison-offices", "in_progress", "Offices announced.")
    try:
        for path in ROUTES:
            assert get(path, **{"If-None-Match": first[path]}).status_code == 200, path
            assert get(_with(path, f"doc={SECOND}"), **{"If-None-Match": second[path]}).status_code == 304, path
    finally:
        _replace(portfolio, FIRST, usip_like_data())


# -- what the API says of a recommendation beyond the first document's fields ---------------------------


def test_parts_yearly_periods_quote_kinds_and_links_are_in_the_answer_and_its_schema():
    data = make_data()
    fund, talks, exports = data["recommendations"][1], data["recommendations"][2], data["recommendations"][0]
    fund["updates"].append(
        {"date": "2026-10-15", "status": "implemented", "part": "south_korea", "note": "Seoul paid its share.",
         "sources": [{"url": "https://example.org/seoul", "title": "Seoul pays", "kind": "news"}],
         "author": "Secret analyst", "recorded": "2026-11-27T12:00:00Z"}
    )  # fmt: skip
    fund["quote_kind"], fund["quote_source"] = "quoted", {"url": "https://example.org/q", "title": "Quoted"}
    talks["quote_kind"], talks["recurrence"] = "paraphrase", "yearly"
    talks["periods"] = [
        {"period": str(year), "met": met, "note": f"{year}.", "author": "Secret analyst", "recorded": "2026-11-27T12:00:00Z",
         "sources": [{"url": f"https://example.org/{year}", "title": f"Meeting {year}", "kind": "official"}] if met else []}
        for year, met in ((2023, True), (2024, False), (2025, None))
    ]  # fmt: skip
    exports["links"] = [{"document": SECOND, "rec": "export-controls", "relation": "repeats"}]
    tracker = validate_data(data, today=TODAY)
    query = api.parse_query({}, tracker, today=TODAY, now=NOW, allowed=api.recommendation_parameters())
    payload = api.recommendations_payload(tracker, query, BASE)
    validate(payload, "recommendations_response")
    assert "Secret analyst" not in json.dumps(payload)
    exports_item, fund_item, talks_item = payload["recommendations"]
    assert fund_item["quote_kind"] == "quoted" and fund_item["quote_source"] == {
        "url": "https://example.org/q",
        "title": "Quoted",
    }
    assert [(part["addressee"]["id"], part["status"]["id"]) for part in fund_item["addressee_statuses"]] == [
        ("japan", "partial"),
        ("south_korea", "implemented"),
    ]
    assert fund_item["status"]["id"] == "partial"  # one addressee's part leaves the overall status
    assert talks_item["quote_kind"] == "paraphrase" and talks_item["recurrence"] == "yearly"
    assert [(p["period"], p["met"]) for p in talks_item["periods"]] == [("2023", True), ("2024", False), ("2025", None)]
    assert talks_item["periods"][0]["sources"] == [
        {"url": "https://example.org/2023", "title": "Meeting 2023", "kind": "official"}
    ]
    assert talks_item["status"]["id"] == "stalled"  # the latest year judged was not met
    assert exports_item["linked"] == [{"document": SECOND, "rec": "export-controls", "relation": "repeats"}]
    # A plain recommendation carries none of them: the answer of a tracker without them is as it was.
    for key in ("quote_kind", "quote_source", "addressee_statuses", "recurrence", "periods"):
        assert key not in exports_item
    assert "linked" not in fund_item and "addressee_statuses" not in talks_item
    # Before the part was dated, no addressee has a status of its own.
    earlier = api.parse_query({"as_of": "2026-10-01"}, tracker, today=TODAY, now=NOW,
                              allowed=api.recommendation_parameters())  # fmt: skip
    assert "addressee_statuses" not in api.recommendations_payload(tracker, earlier, BASE)["recommendations"][1]
    # A year still running on the as-of day cannot have been missed yet.
    for as_of, years in (("2024-06-01", ["2023"]), ("2025-01-01", ["2023", "2024"])):
        mid = api.parse_query({"as_of": as_of}, tracker, today=TODAY, now=NOW, allowed=api.recommendation_parameters())
        periods = api.recommendations_payload(tracker, mid, BASE)["recommendations"][2]["periods"]
        assert [period["period"] for period in periods] == years


def test_error_codes_in_the_schema_are_the_ones_the_api_words():
    codes = SCHEMA["$defs"]["error_response"]["properties"]["error"]["properties"]["code"]["enum"]
    from tracker.messages import LINK_TEMPLATES

    assert set(codes) <= set(LINK_TEMPLATES)
    assert {"unknown_document", "two_documents"} <= set(codes)
    assert re.search(
        r"unknown_document \(404",
        SCHEMA["$defs"]["error_response"]["properties"]["error"]["properties"]["code"]["description"],
    )
