"""Old links keep working (issue #26): every link the app handed out before it followed several documents
opens the same content once the tracker becomes an index whose first document is that tracker.

Each link is answered twice, in this process: by the app serving the USIP-like tracker alone (TRACKER_DATA
names its file, as every deployment did before documents) and by the app serving an index of two documents
whose first is that same file. The routes (feeds, badges, the API) must give the same bytes and the same
ETag, so a feed reader's saved ETag still earns a 304 after the switch; the pages (AppTest) the same title,
address, warnings, main area, headline numbers and table rows. Each link also says what it must show, so
two apps that both failed the same way would not pass."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import httpx
import pytest
import streamlit as st
from conftest import ROOT, TODAY
from helpers import goto, headline, table_rows
from starlette.applications import Starlette
from streamlit.testing.v1 import AppTest
from two_documents import FIRST_TITLE, SECOND, SECOND_TITLE, write_two_documents

import app

BASE = "http://tracker.test"
APP = str(ROOT / "dashboard.py")
SETTINGS = ("TRACKER_DATABASE_URL", "TRACKER_PUBLIC_URL", "TRACKER_EDITOR_PASSCODE", "TRACKER_SUGGESTIONS")
# Headers an answer's meaning rides on; a cache or a client may act on each.
HEADERS = ("content-type", "etag", "cache-control", "access-control-allow-origin", "content-security-policy")

# (link, status, what the answer must hold): every kind of route and parameter handed out before documents.
ROUTE_LINKS = [
    ("/feed.atom", 200, "<title>Test tracker</title>"),
    ("/feed.atom?page=1", 200, "Lift export controls: In progress → Implemented"),
    ("/feed.atom?page=2", 404, "There is no page 2 of this feed; it has 1."),
    ("/feed/whitelist.atom", 200, "Restore each other to the trade whitelist: title edited"),
    ("/feed/gsomia.atom?page=1", 200, "Normalise intelligence sharing: No step found → Implemented"),
    ("/feed/no-such.atom", 404, "This tracker has no recommendation 'no-such'."),
    ("/badge/gsomia.svg", 200, "Normalise intelligence sharing: Implemented"),
    ("/badge/quad-participation.svg", 200, "Invite South Korea to Quad working groups: Stalled"),
    ("/badge/progress.svg", 200, "progress score 55 / 100 over 8 recommendations"),
    ("/badge/no-such.svg", 404, "This tracker has no recommendation 'no-such'."),
    ("/api/v1/recommendations.json", 200, '"title":"Test tracker"'),
    ("/api/v1/recommendations.json?as_of=2023-06-01", 200, '"as_of":"2023-06-01"'),
    ("/api/v1/recommendations.json?published=2023-06-01T00:00:00Z", 200, '"published":"2023-04-25T09:00:00Z"'),
    ("/api/v1/recommendations.json?published=2023-06-01", 200, '"published":"2023-04-25T09:00:00Z"'),
    ("/api/v1/recommendations.json?status=implemented", 200, '"status":["implemented"]'),
    ("/api/v1/recommendations.json?status=stalled&addressee=united_states&as_of=2024-12-31", 200, '"id":"stalled"'),
    ("/api/v1/recommendations.json?category=trade&priority=high&q=lift", 200, '"q":"lift"'),
    ("/api/v1/recommendations.json?as_of=2026-13-01", 400, '"parameter":"as_of"'),
    ("/api/v1/recommendations.json?status=done", 400, '"parameter":"status"'),
    ("/api/v1/events.json", 200, '"total":21'),
    ("/api/v1/events.json?rec=whitelist", 200, '"kind":"edit"'),
    ("/api/v1/events.json?limit=5", 200, r'"next":"http://tracker.test/api/v1/events.json?limit=5\u0026offset=5"'),
    ("/api/v1/events.json?limit=5&offset=5", 200, '"offset":5'),
    ("/api/v1/events.json?offset=20", 200, '"count":1'),
    ("/api/v1/events.json?since=2024-01-01&status=stalled", 200, '"total":2'),
    ("/api/v1/events.json?published=2023-03-20T00:00:00Z&rec=export-controls", 200, '"total":3'),
    ("/api/v1/events.json?rec=no-such", 404, '"parameter":"rec"'),
]


def _clear_routes_state() -> None:
    """Forget every store, tracker, document list and answer app.py holds, as a fresh server would."""
    for state in (app._stores, app._loaded, app._documents, app._building):
        state.clear()
    app._answers.clear()


def _request_all(paths, headers=None) -> list[httpx.Response]:
    async def run():
        transport = httpx.ASGITransport(app=Starlette(routes=app.ROUTES))
        async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=60) as client:
            return [await client.get(path, headers=headers) for path in paths]

    return asyncio.run(run())


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """(the first document's file, the index of both)."""
    return write_two_documents(tmp_path_factory.mktemp("old-links"))


@pytest.fixture(scope="module")
def served(files):
    """Every route link answered by the app on the tracker alone, then on the index; and, from the index,
    the second document's feed (so the index is known to be what was served)."""
    first, index = files
    answers = {}
    with pytest.MonkeyPatch.context() as patch:
        for name in SETTINGS:
            patch.delenv(name, raising=False)
        patch.setenv("TRACKER_TODAY", TODAY.isoformat())
        patch.setenv("TRACKER_READ_ONLY", "1")
        for name, location in (("alone", first), ("index", index)):
            patch.setenv("TRACKER_DATA", str(location))
            _clear_routes_state()
            links = [link for link, _, _ in ROUTE_LINKS]
            answers[name] = dict(zip(links, _request_all(links), strict=True))
            (answers[f"{name} second"],) = _request_all([f"/feed.atom?doc={SECOND}"])
            # The ETags the alone app handed out, sent back to the index app: 304 while the content is the same.
            if name == "index":
                answers["revalidated"] = [
                    _request_all([link], headers={"If-None-Match": answers["alone"][link].headers["etag"]})[0]
                    for link, status, _ in ROUTE_LINKS
                    if status == 200
                ]
        _clear_routes_state()
    return answers


@pytest.mark.parametrize(("link", "status", "shows"), ROUTE_LINKS, ids=[link for link, _, _ in ROUTE_LINKS])
def test_an_old_route_link_gives_the_same_answer_on_an_index(served, link, status, shows):
    alone, index = served["alone"][link], served["index"][link]
    assert alone.status_code == status, alone.text[:300]
    assert shows in alone.text
    assert SECOND_TITLE not in alone.text and "Second " not in alone.text
    assert index.status_code == alone.status_code
    assert index.content == alone.content
    assert {name: index.headers.get(name) for name in HEADERS} == {name: alone.headers.get(name) for name in HEADERS}


def test_an_etag_handed_out_before_documents_still_earns_a_304(served):
    assert [response.status_code for response in served["revalidated"]] == [304] * len(served["revalidated"])


def test_the_index_really_served_two_documents(served):
    # The comparison above would be empty if both apps had read the same location.
    assert served["alone second"].status_code == 404
    second = served["index second"]
    assert second.status_code == 200 and f"<title>{SECOND_TITLE}</title>" in second.text
    assert FIRST_TITLE not in second.text


def test_the_api_links_of_an_old_answer_carry_no_document(served):
    # Links inside an answer are links too: those of the first document stay as they were.
    state = json.loads(served["index"]["/api/v1/recommendations.json"].content)
    assert state["links"] == {
        "page": f"{BASE}/",
        "feed": f"{BASE}/feed.atom",
        "badge": f"{BASE}/badge/progress.svg",
    }
    assert state["recommendations"][0]["links"]["page"] == f"{BASE}/?rec=export-controls"


# -- the pages -----------------------------------------------------------------------------------------

# (page, link's parameters, the page it lands on, the address it then shows): every form of address the
# pages handed out before documents (tracker/view.py: as_of, filters, q, rec, since, frozen, published).
PAGE_LINKS = [
    ("", {}, FIRST_TITLE, {}),
    ("", {"rec": "gsomia"}, "Normalise intelligence sharing", {"rec": "gsomia"}),
    (
        "recommendation",
        {"rec": "gsomia", "as_of": "2023-03-10"},
        "Normalise intelligence sharing",
        {"rec": "gsomia", "as_of": "2023-03-10"},
    ),
    ("", {"as_of": "2023-06-01"}, FIRST_TITLE, {"as_of": "2023-06-01"}),
    ("", {"status": "implemented"}, "All recommendations", {"status": "implemented"}),
    ("", {"category": "trade", "q": "lift"}, "All recommendations", {"category": "trade", "q": "lift"}),
    ("", {"since": "2024-01-01"}, "Changes", {"since": "2024-01-01"}),
    (
        "",
        {"as_of": "2023-03-20", "frozen": "1"},
        FIRST_TITLE,
        {"as_of": "2023-03-20", "frozen": "1", "published": "2023-03-20T23:59:59Z"},
    ),
    (
        "",
        {"as_of": "2024-06-30", "frozen": "1", "published": "2024-01-01T00:00:00Z", "rec": "whitelist"},
        "Restore the whitelist",
        {"rec": "whitelist", "as_of": "2024-06-30", "frozen": "1", "published": "2024-01-01T00:00:00Z"},
    ),
    (
        "recommendations",
        {"status": "stalled", "as_of": "2024-12-31"},
        "All recommendations",
        {"status": "stalled", "as_of": "2024-12-31"},
    ),
    ("timeline", {"category": "security"}, "Timeline", {"category": "security"}),
    (
        "changes",
        {"since": "2023-01-01", "as_of": "2023-12-31"},
        "Changes",
        {"since": "2023-01-01", "as_of": "2023-12-31"},
    ),
    ("methodology", {}, "Methodology", {}),
]


@pytest.fixture(scope="module")
def page_env(files):
    with pytest.MonkeyPatch.context() as patch:
        for name in SETTINGS:
            patch.delenv(name, raising=False)
        patch.setenv("TRACKER_TODAY", TODAY.isoformat())
        patch.setenv("TRACKER_READ_ONLY", "1")
        yield patch


def _open(page: str, params: dict):
    # AppTest instances share this process, and so Streamlit's caches: each configuration starts afresh.
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    if page:
        at.switch_page(f"ui/pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def what_it_shows(at) -> dict:
    """What a reader of the link sees in the main area (the sidebar gains the choice of document, by design),
    then the headline numbers and rows of All recommendations, reached in the same session."""
    assert not at.exception
    main = at.main
    shown = {
        "title": [title.value for title in main.title],
        "address": dict(at.query_params),
        "warnings": [warning.value for warning in main.warning],
        "notices": [info.value for info in main.info],  # a frozen link's notice, with its fingerprint
        "text": [block.value for block in main.markdown],
        "captions": [caption.value for caption in main.caption],
        "html": [block.proto.body for block in main.get("html")],
    }
    if shown["title"] != ["All recommendations"]:
        goto(at, "recommendations")
        assert not at.exception
    shown["headline"], shown["rows"] = headline(at), table_rows(at)
    return shown


@pytest.mark.parametrize(
    ("page", "params", "title", "address"),
    PAGE_LINKS,
    ids=[f"/{page}?{urlencode(params)}" for page, params, _, _ in PAGE_LINKS],
)
def test_an_old_page_link_shows_the_same_on_an_index(files, page_env, page, params, title, address):
    first, index = files
    page_env.setenv("TRACKER_DATA", str(first))
    alone = what_it_shows(_open(page, params))
    assert alone["title"] == [title] and alone["address"] == address and alone["warnings"] == []
    assert alone["rows"] and all(row["Recommendation"] for row in alone["rows"])
    page_env.setenv("TRACKER_DATA", str(index))
    on_index = _open(page, params)
    # The index is what the second run served: the sidebar offers its two documents.
    assert any(SECOND_TITLE in str(box.options) for box in on_index.sidebar.selectbox)
    assert what_it_shows(on_index) == alone
