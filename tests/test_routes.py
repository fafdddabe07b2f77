"""The feeds, badges and API against a real server: `streamlit run app.py` on a free port,
on a YAML file (also under a base path) and on PostgreSQL when one is available.

An update saved while the server runs is saved through the store API (as the page's
editor saves it), then read back over HTTP on the next request.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import httpx
import jsonschema
import pytest
from conftest import ROOT, TODAY, make_data
from helpers import PG_SKIP, PG_URL, ROUTES, app_server, free_port, own_database, reset_database
from two_documents import SECOND, SECOND_TITLE, write_two_documents

from tracker.edits import build_update
from tracker.storage import open_store
from tracker.storage.sql import SqlStore
from tracker.storage.yaml_files import YamlStore
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

SCHEMA = json.loads((ROOT / "docs" / "api-schema.json").read_text(encoding="utf-8"))


def small_file(folder: Path) -> Path:
    path = folder / "recommendations.yaml"
    path.write_text(dump_tracker(validate_data(make_data(), today=TODAY)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def yaml_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("routes")
    data = small_file(folder)
    with app_server(folder, data_file=data) as url:
        yield url, data


def validate(payload: dict, definition: str) -> None:
    jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"}).validate(payload)


def new_update(status: str, note: str, recorded: str):
    return build_update(
        {
            "date": TODAY.isoformat(),
            "status": status,
            "note": note,
            "sources": [{"url": "https://example.org/new?a=1&b=2", "title": "New <evidence>", "kind": "news"}],
            "author": "Route tester",
            "recorded": recorded,
        }
    )


def check_every_route(url: str) -> None:
    """Status, content type, ETag, 304 and HEAD on every route."""
    with httpx.Client(base_url=url + "/", timeout=30) as client:
        for path, media_type in ROUTES.items():
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            assert response.headers["content-type"] == media_type, path
            etag = response.headers["etag"]
            assert etag.startswith('W/"') and "no-cache" in response.headers["cache-control"]
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag, path
            head = client.head(path)
            assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag, path
            assert client.post(path).status_code == 405, path


def check_feed_matches_events(url: str) -> None:
    with httpx.Client(base_url=url + "/", timeout=30) as client:
        parsed = feedparser.parse(client.get("feed.atom").content)
        log = client.get("api/v1/events.json").json()
        one = feedparser.parse(client.get("feed/joint-fund.atom").content)
    assert not parsed.bozo and not one.bozo
    validate(log, "events_response")
    assert [entry.id for entry in parsed.entries] == [event["id"] for event in log["events"]]
    assert [entry.link for entry in parsed.entries] == [event["link"] for event in log["events"]]
    assert len(parsed.entries) == log["count"] == 8
    assert all(entry.link.startswith(url + "/") for entry in parsed.entries)
    mine = [event["id"] for event in log["events"] if (event["recommendation"] or {}).get("id") == "joint-fund"]
    assert [entry.id for entry in one.entries] == mine
    # Page by page, the log is the same.
    paged, address = [], url + "/api/v1/events.json?limit=3"
    while address:
        page = httpx.get(address).json()
        paged += [event["id"] for event in page["events"]]
        address = page["next"]
    assert paged == [event["id"] for event in log["events"]]


def test_every_route_answers_with_etag_304_and_head(yaml_server):
    check_every_route(yaml_server[0])


def test_feed_entries_match_the_event_log(yaml_server):
    check_feed_matches_events(yaml_server[0])


def test_json_validates_and_svg_carries_the_status(yaml_server):
    url = yaml_server[0]
    state = httpx.get(url + "/api/v1/recommendations.json?status=partial").json()
    validate(state, "recommendations_response")
    assert [rec["id"] for rec in state["recommendations"]] == ["joint-fund"]
    svg = ET.fromstring(httpx.get(url + "/badge/joint-fund.svg").content)
    assert svg.get("role") == "img"
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "Joint fund: Partially implemented"
    assert "Partially implemented" in [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]


def test_unknown_ids_and_bad_parameters(yaml_server):
    url = yaml_server[0]
    for path in ("feed/no-such.atom", "badge/no-such.svg"):
        response = httpx.get(f"{url}/{path}")
        assert response.status_code == 404 and "no-such" in response.text
    response = httpx.get(url + "/api/v1/events.json?rec=no-such")
    assert response.status_code == 404 and response.json()["error"]["parameter"] == "rec"
    for query, parameter in (
        ("as_of=2026-13-01", "as_of"),
        ("status=done", "status"),
        ("published=soon", "published"),
        ("frozen=1", "frozen"),
    ):
        response = httpx.get(f"{url}/api/v1/recommendations.json?{query}")
        assert response.status_code == 400, query
        assert response.headers["content-type"] == "application/json"
        validate(response.json(), "error_response")
        assert response.json()["error"]["parameter"] == parameter
    assert httpx.get(url + "/feed.atom?page=x").status_code == 400
    assert httpx.get(url + "/feed.atom?page=9").status_code == 404
    check_hostile_queries(url)


PAGE_ERROR = "The parameter 'page' must be a page number (1, 2, ...).\n"
# (path, status, the plain text or the JSON error); each answered 500 with a traceback before.
HOSTILE = [
    ("feed.atom?page=%C2%B2", 400, PAGE_ERROR),
    ("feed.atom?page=%E2%91%A0", 400, PAGE_ERROR),
    ("feed/joint-fund.atom?page=%D9%A3", 400, PAGE_ERROR),
    (
        "api/v1/events.json?limit=%C2%B2",
        400,
        {
            "parameter": "limit",
            "code": "not_a_number",
            "message": "The parameter 'limit' must be a whole number from 1 to 10,000; it was '²'.",
        },
    ),
    (
        "api/v1/events.json?offset=%C2%B2",
        400,
        {
            "parameter": "offset",
            "code": "not_a_number",
            "message": "The parameter 'offset' must be a whole number 0 or more; it was '²'.",
        },
    ),
]


def check_hostile_queries(url: str) -> None:
    for path, status, expected in HOSTILE:
        response = httpx.get(f"{url}/{path}")
        assert response.status_code == status, path
        if isinstance(expected, str):
            assert response.text == expected, path
        else:
            validate(response.json(), "error_response")
            assert response.json() == {"error": {"status": status, **expected}}, path
    # Before the year 1000 is before the tracker: it shows the first record, stamped with a four-digit year.
    state = httpx.get(f"{url}/api/v1/recommendations.json?published=0999-12-31").json()
    validate(state, "recommendations_response")
    assert state["published"] == "2026-11-27T12:00:00Z" and len(state["recommendations"]) == 3


def test_gzip_keeps_the_etag(yaml_server):
    url = yaml_server[0]
    plain = httpx.get(url + "/feed.atom", headers={"Accept-Encoding": "identity"})
    packed = httpx.get(url + "/feed.atom", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers and packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content and packed.headers["etag"] == plain.headers["etag"]


def check_update_shows_on_next_request(url: str, store) -> None:
    with httpx.Client(base_url=url + "/", timeout=30) as client:
        old = {path: client.get(path).headers["etag"] for path in ROUTES}
        store.append_update(
            "trilateral-talks", new_update("in_progress", "Talks & <more>.", "2026-11-27T16:00:00Z"), today=TODAY
        )
        for path, etag in old.items():
            response = client.get(path, headers={"If-None-Match": etag})
            assert response.status_code == 200 and response.headers["etag"] != etag, path
        entry = feedparser.parse(client.get("feed.atom").content).entries[0]
        assert entry.title == "Trilateral talks: No step found → In progress"
        assert entry.updated == "2026-11-27T16:00:00Z"
        state = client.get("api/v1/recommendations.json").json()
        assert {r["id"]: r["status"]["id"] for r in state["recommendations"]}["trilateral-talks"] == "in_progress"
        assert client.get("api/v1/events.json").json()["events"][0]["note"] == "Talks & <more>."
        assert "In progress" in client.get("badge/trilateral-talks.svg").text
        body = client.get("feed/trilateral-talks.atom").content
        assert b"Route tester" not in body


def test_an_update_appears_on_the_next_request(tmp_path):
    data = small_file(tmp_path)
    with app_server(tmp_path, data_file=data) as url:
        check_update_shows_on_next_request(url, YamlStore(data))


def test_base_path(tmp_path):
    data = small_file(tmp_path)
    with app_server(tmp_path, data_file=data, base_path="tracker") as url:
        assert url.endswith("/tracker")
        check_every_route(url)
        check_feed_matches_events(url)
        parsed = feedparser.parse(httpx.get(url + "/feed.atom").content)
        assert parsed.feed.links[0].href == url + "/feed.atom"
        assert parsed.entries[0].link.startswith(url + "/?rec=")
        state = httpx.get(url + "/api/v1/recommendations.json").json()
        assert state["recommendations"][0]["links"]["badge"] == url + "/badge/export-controls.svg"
        # Outside the base path the routes do not exist.
        root = url.removesuffix("/tracker")
        assert "atom" not in httpx.get(root + "/feed.atom").headers.get("content-type", "")


def test_broken_data_is_a_plain_503_that_names_no_path(tmp_path):
    data = small_file(tmp_path)
    data.write_text(data.read_text(encoding="utf-8").replace("status: partial", "status: finished"), encoding="utf-8")
    with app_server(tmp_path, data_file=data) as url:
        for path in ROUTES:
            response = httpx.get(f"{url}/{path}")
            assert response.status_code == 503, path
            assert response.headers["cache-control"] == "no-store"
            assert str(tmp_path) not in response.text and "recommendations.yaml" not in response.text
        assert httpx.get(url + "/_stcore/health").text == "ok"


def test_an_unreachable_database_is_a_plain_503_that_names_no_host(tmp_path):
    port = free_port()  # nothing listens there
    with app_server(tmp_path, database_url=f"postgresql://reader:s3cret-pw@127.0.0.1:{port}/tracker") as url:
        response = httpx.get(url + "/api/v1/recommendations.json")
        assert response.status_code == 503 and response.headers["retry-after"] == "60"
        assert "s3cret" not in response.text and str(port) not in response.text


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP)
def test_postgresql(tmp_path):
    database_url = own_database(PG_URL, "tracker_routes_test")
    reset_database(database_url)
    store = SqlStore(database_url)
    store.replace(validate_data(make_data(), today=TODAY), today=TODAY)
    try:
        with app_server(tmp_path, database_url=database_url) as url:
            check_every_route(url)
            check_feed_matches_events(url)
            assert httpx.get(url + "/api/v1/events.json?status=nope").status_code == 400
            check_hostile_queries(url)
            check_update_shows_on_next_request(url, open_store(database_url))
    finally:
        store.dispose()
        reset_database(database_url)


def test_several_documents_under_a_base_path(tmp_path):
    """A real server on an index of two documents, under a base path: the routes a document names, the feed of
    every document and the list of documents are Streamlit's neighbours like the others (in-process tests of
    their behaviour: tests/test_documents_routes.py)."""
    _, index = write_two_documents(tmp_path / "documents")
    with app_server(tmp_path, data_file=index, base_path="tracker") as url:
        with httpx.Client(base_url=url + "/", timeout=30) as client:
            listed = client.get("api/v1/documents.json")
            assert listed.status_code == 200
            validate(listed.json(), "documents_response")
            assert listed.json()["links"]["feed"] == url + "/feeds/all.atom"
            whole = feedparser.parse(client.get("feeds/all.atom").content)
            assert not whole.bozo and len(whole.entries) == 28
            second = feedparser.parse(client.get(f"feed.atom?doc={SECOND}").content)
            assert second.feed.title == SECOND_TITLE and second.entries[0].link.startswith(url + "/?rec=")
            assert client.get("feed.atom?doc=no-such").status_code == 404
        # Outside the base path the new routes do not exist either.
        assert "atom" not in httpx.get(url.removesuffix("/tracker") + "/feeds/all.atom").headers.get("content-type", "")


# -- languages (#27) -----------------------------------------------------------------------------------

KOREAN_TITLE = "공동 기금 설립"  # a test's own translation of the joint fund's title


@pytest.fixture(scope="module")
def korean_server(tmp_path_factory):
    """The small tracker with its joint fund's title in Korean (and nothing else translated)."""
    from tracker.translation import add_translation

    folder = tmp_path_factory.mktemp("routes-ko")
    tracker = validate_data(make_data(), today=TODAY)
    fields = {"lang": "ko", "target": "recommendation", "id": "joint-fund", "field": "title", "text": KOREAN_TITLE}
    tracker = add_translation(tracker, fields, author="Tracker project", recorded="2026-11-27T12:40:00Z")
    path = folder / "recommendations.yaml"
    path.write_text(dump_tracker(tracker), encoding="utf-8")
    with app_server(folder, data_file=path) as url:
        yield url


def test_the_feed_reads_in_korean_with_its_language(korean_server):
    english = feedparser.parse(httpx.get(f"{korean_server}/feed/joint-fund.atom").content)
    korean = feedparser.parse(httpx.get(f"{korean_server}/feed/joint-fund.atom?lang=ko").content)
    assert english.feed.language == "en" and korean.feed.language == "ko"
    assert KOREAN_TITLE in korean.feed.title and KOREAN_TITLE not in english.feed.title
    assert [entry.id for entry in korean.entries] == [entry.id for entry in english.entries]  # the same records
    assert all(entry.title.startswith(KOREAN_TITLE) for entry in korean.entries if entry.id.endswith("joint-fund"))
    self_link = next(link.href for link in korean.feed.links if link.rel == "self")
    assert self_link.endswith("/feed/joint-fund.atom?lang=ko")  # a reader that follows it stays in Korean


def test_the_api_says_its_language_and_validates_in_each(korean_server):
    for lang in ("en", "ko", "ja"):
        payload = httpx.get(f"{korean_server}/api/v1/recommendations.json?lang={lang}").json()
        validate(payload, "recommendations_response")
        assert payload["lang"] == lang
        titles = {rec["id"]: rec["title"] for rec in payload["recommendations"]}
        assert (titles["joint-fund"] == KOREAN_TITLE) == (lang == "ko")  # Japanese not translated: English
        events = httpx.get(f"{korean_server}/api/v1/events.json?lang={lang}&limit=1").json()
        validate(events, "events_response")
        assert events["lang"] == lang and (events["next"] is None or f"lang={lang}" in events["next"])
    assert httpx.get(f"{korean_server}/api/v1/recommendations.json").json()["lang"] == "en"


@pytest.mark.parametrize(
    "route", ["api/v1/recommendations.json", "feed.atom", "feed/joint-fund.atom", "badge/joint-fund.svg"]
)
def test_a_language_not_spoken_here_is_refused_plainly(korean_server, route):
    answer = httpx.get(f"{korean_server}/{route}?lang=fr")
    assert answer.status_code == 400
    if route.endswith(".json"):
        error = answer.json()["error"]
        assert error["parameter"] == "lang"
        assert error["message"] == "The parameter 'lang' must be one of en, ko, ja; it was 'fr'."
    else:
        assert answer.text == "The parameter 'lang' must be one of en, ko, ja.\n"


def test_a_badge_in_korean_carries_its_language_and_title(korean_server):
    svg = httpx.get(f"{korean_server}/badge/joint-fund.svg?lang=ko").text
    root = ET.fromstring(svg)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ko"
    assert root.find("{http://www.w3.org/2000/svg}title").text.startswith(KOREAN_TITLE)
    assert "Noto Sans CJK KR" in svg
    english = httpx.get(f"{korean_server}/badge/joint-fund.svg")
    assert english.headers["etag"] != httpx.get(f"{korean_server}/badge/joint-fund.svg?lang=ko").headers["etag"]
