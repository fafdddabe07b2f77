"""The JSON API's payloads and parameters, validated against the published schema."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
from conftest import RECORDED, ROOT, TODAY, new_recommendation

from tracker import api, edits
from tracker.edits import build_update
from tracker.records import list_records

BASE = "https://tracker.example.org"
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc)
SCHEMA = json.loads((ROOT / "docs" / "api-schema.json").read_text(encoding="utf-8"))


def check(payload: dict, definition: str) -> dict:
    """The payload as a client reads it (through JSON), validated against one definition of the schema."""
    parsed = json.loads(api.to_json(payload))
    jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"}).validate(parsed)
    jsonschema.Draft202012Validator(SCHEMA).validate(parsed)
    return parsed


def query(tracker, allowed=None, **params):
    return api.parse_query(params, tracker, today=TODAY, now=NOW, allowed=allowed or api.event_parameters())


def state(tracker, **params):
    return check(
        api.recommendations_payload(tracker, query(tracker, api.recommendation_parameters(), **params), BASE),
        "recommendations_response",
    )


def events(tracker, **params):
    return check(api.events_payload(tracker, query(tracker, **params), BASE), "events_response")


def test_the_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_state_of_every_recommendation(tracker):
    payload = state(tracker)
    assert payload["as_of"] == TODAY.isoformat()
    assert [rec["id"] for rec in payload["recommendations"]] == ["export-controls", "joint-fund", "trilateral-talks"]
    fund = payload["recommendations"][1]
    assert fund["status"] == {"id": "partial", "label": "Partially implemented", "colour": "#c68400"}
    assert fund["status_since"] == "2023-03-01"
    assert fund["last_update"] == "2026-10-01"
    assert fund["links"] == {
        "page": f"{BASE}/?rec=joint-fund",
        "feed": f"{BASE}/feed/joint-fund.atom",
        "badge": f"{BASE}/badge/joint-fund.svg",
    }
    assert payload["recommendations"][2]["stale"] is True  # a 30-day review interval
    assert payload["progress"]["score"] == round((1.0 + 0.6 + 0.0) / 3 * 100, 1)
    assert [s["id"] for s in payload["tracker"]["statuses"]][:2] == ["not_started", "in_progress"]


def test_filters_and_as_of_work_as_on_the_page(tracker):
    assert [r["id"] for r in state(tracker, status="partial")["recommendations"]] == ["joint-fund"]
    assert [r["id"] for r in state(tracker, addressee="united_states")["recommendations"]] == ["trilateral-talks"]
    assert [r["id"] for r in state(tracker, q="fund")["recommendations"]] == ["joint-fund"]
    early = state(tracker, as_of="2023-03-10")
    assert {r["id"]: r["status"]["id"] for r in early["recommendations"]}["export-controls"] == "in_progress"
    assert early["progress"]["recommendations"] == 3


def test_events_match_the_feed_records(tracker):
    payload = events(tracker)
    records = list_records(tracker)
    assert payload["count"] == len(records) == len(payload["events"])
    assert [e["id"] for e in payload["events"]] == [r.id for r in records]
    lifted = next(e for e in payload["events"] if e["date"] == "2023-03-16" and e["kind"] == "change")
    assert lifted["previous_status"]["id"] == "in_progress" and lifted["status"]["id"] == "implemented"
    assert lifted["sources"] == [{"url": "https://example.org/b", "title": "Lifted", "kind": "news"}]
    assert lifted["link"] == f"{BASE}/?rec=export-controls"
    kinds = [e["kind"] for e in payload["events"]]
    assert kinds.count("baseline") == 3 and kinds.count("review") == 1 and kinds.count("context") == 1


def test_event_filters(tracker):
    one = events(tracker, rec="export-controls")
    assert {e["recommendation"]["id"] for e in one["events"]} == {"export-controls"}
    assert one["count"] == 3
    since = events(tracker, since="2023-03-10")
    assert [e["date"] for e in since["events"]] == ["2026-10-01", "2023-03-16", "2023-03-16"]
    before = events(tracker, as_of="2023-03-10")
    assert all(e["date"] <= "2023-03-10" for e in before["events"])
    partial = events(tracker, status="partial")
    assert {e["recommendation"]["id"] for e in partial["events"] if e["recommendation"]} == {"joint-fund"}


def test_published_shows_what_was_recorded_by_then(tracker):
    update = build_update(
        {
            "date": "2026-11-20",
            "status": "reversed",
            "note": "Undone.",
            "sources": [{"url": "https://example.org/z", "title": "Undone", "kind": "news"}],
            "author": "Analyst",
            "recorded": "2026-11-27T15:00:00Z",
        }
    )
    later = edits.insert_update(tracker, "export-controls", update, today=TODAY)
    now_state = {r["id"]: r["status"]["id"] for r in state(later)["recommendations"]}
    then = state(later, published="2026-11-27T14:00:00Z")
    assert now_state["export-controls"] == "reversed"
    assert {r["id"]: r["status"]["id"] for r in then["recommendations"]}["export-controls"] == "implemented"
    assert then["published"] == "2026-11-27T14:00:00Z"
    assert events(later)["count"] == events(later, published="2026-11-27T14:00:00Z")["count"] + 1


@pytest.mark.parametrize(
    ("params", "status", "parameter", "words"),
    [
        ({"as_of": "27/11/2026"}, 400, "as_of", "is not a date"),
        ({"as_of": "2030-01-01"}, 400, "as_of", "in the future"),
        ({"as_of": "2020-01-01"}, 400, "as_of", "before tracking began"),
        ({"status": "done"}, 400, "status", "status 'done'"),
        ({"addressee": "france"}, 400, "addressee", "addressee 'france'"),
        ({"category": "x"}, 400, "category", "category 'x'"),
        ({"published": "yesterday"}, 400, "published", "not a publication time"),
        ({"published": "2027-01-01"}, 400, "published", "in the future"),
        ({"since": "2026-12-01"}, 400, "since", "in the future"),
        ({"since": "2026-11-27"}, 400, "since", "before the as-of date"),
        ({"colour": "red"}, 400, "colour", "Unknown parameter"),
        ({"rec": "no-such"}, 404, "rec", "no recommendation 'no-such'"),
    ],
)
def test_bad_parameters_are_refused_with_plain_errors(tracker, params, status, parameter, words):
    with pytest.raises(api.ApiError) as caught:
        query(tracker, **params)
    error = caught.value
    assert (error.status, error.parameter) == (status, parameter)
    assert words in error.message
    assert "showing" not in error.message and "ignored" not in error.message
    check(error.payload(), "error_response")


def test_recommendations_endpoint_takes_no_rec_or_since(tracker):
    with pytest.raises(api.ApiError) as caught:
        query(tracker, api.recommendation_parameters(), rec="joint-fund")
    assert caught.value.parameter == "rec" and caught.value.status == 400


def test_json_is_escaped_for_html_and_holds_no_editor_data(tracker):
    update = build_update(
        {
            "date": "2026-11-01",
            "status": "partial",
            "note": 'Closed </script><img src=x onerror="alert(1)"> & done',
            "sources": [],
            "author": "ana@example.org",
            "recorded": "2026-11-27T13:00:00Z",
        }
    )
    later = edits.insert_update(tracker, "joint-fund", update, today=TODAY)
    for body in (
        api.to_json(events(later)),
        api.to_json(state(later)),
    ):
        assert b"<" not in body and b">" not in body and b"&" not in body
        assert b"ana@example.org" not in body and b"Test analyst" not in body
    assert events(later)["events"][0]["note"].startswith("Closed </script>")


def test_assessment_criteria_and_source_kinds_are_in_the_state(tracker):
    payload = state(tracker)
    rec = tracker.recommendations[0]
    assert payload["recommendations"][0]["assessment"] == rec.assessment.model_dump()
    assert payload["recommendations"][0]["criteria"] == rec.criteria
    source = SimpleNamespace(url="https://example.org/q", title="Q", kind="official", published="2026-01")
    assert api.source_payload(source) == {
        "url": "https://example.org/q",
        "title": "Q",
        "kind": "official",
        "published": "2026-01",
    }


def test_events_are_paged_and_the_pages_hold_the_whole_log(tracker):
    everything = [e["id"] for e in events(tracker)["events"]]
    seen, params = [], {"limit": "3", "status": "partial,not_started,implemented"}
    while True:
        page = events(tracker, **params)
        assert page["total"] == len(everything) and page["limit"] == 3
        seen += [e["id"] for e in page["events"]]
        if page["next"] is None:
            break
        assert page["next"].startswith(f"{BASE}/api/v1/events.json?")
        params = dict(parse_qsl(urlsplit(page["next"]).query))
    assert seen == everything
    assert params["offset"] == "6" and params["status"] == "partial,not_started,implemented"


@pytest.mark.parametrize(
    ("key", "value", "limits"),
    [
        ("limit", "0", "from 1 to 10,000"),
        ("limit", "10001", "from 1 to 10,000"),
        ("limit", "ten", "from 1 to 10,000"),
        ("offset", "-1", "0 or more"),
        ("limit", "\u00b2", "from 1 to 10,000"),  # ² : str.isdigit() says yes, int() says no
        ("offset", "\u00b2", "0 or more"),
        ("limit", "\u2460", "from 1 to 10,000"),  # ①
        ("limit", "\u0663", "from 1 to 10,000"),  # ٣ (Arabic-Indic 3): int() would read it as 3
        ("offset", "\uff13", "0 or more"),  # a fullwidth 3
        ("limit", "1_000", "from 1 to 10,000"),  # int() would read it as 1000
        ("limit", " 3", "from 1 to 10,000"),
        ("limit", "+3", "from 1 to 10,000"),
        ("offset", "9999999999", "0 or more"),
    ],
)
def test_bad_page_parameters(tracker, key, value, limits):
    with pytest.raises(api.ApiError) as caught:
        query(tracker, **{key: value})
    assert caught.value.payload() == {
        "error": {
            "status": 400,
            "parameter": key,
            "code": "not_a_number",
            "message": f"The parameter '{key}' must be a whole number {limits}; it was '{value}'.",
        }
    }


def test_tables_made_once_give_the_same_answers(tracker):
    from tracker import analysis

    tables = (analysis.list_updates(tracker), analysis.list_recommendations(tracker))
    for params in ({}, {"status": "partial"}, {"as_of": "2023-03-10"}, {"published": "2026-11-27T11:00:00Z"}):
        asked = query(tracker, **params)
        assert api.recommendations_payload(tracker, asked, BASE, tables) == api.recommendations_payload(
            tracker, asked, BASE
        )
        assert api.events_payload(tracker, asked, BASE, None, tables) == api.events_payload(tracker, asked, BASE)


@pytest.mark.parametrize("moment", ["2026-11-27T11:00:00Z", "0999-12-31", "0999-12-31T23:59:59Z", "0001-01-01"])
def test_a_moment_before_the_first_record_shows_the_first_record(tracker, moment):
    # The rule of older frozen links (edition.pin_older_link): no link predates the tracker itself. Times
    # are compared as times, so a year before 1000 is earlier than 2026, not later as a string.
    later = edits.add_recommendation(tracker, {**new_recommendation(recorded="2026-11-27T15:00:00Z")}, today=TODAY)
    first = state(later, published=moment)
    assert first["published"] == RECORDED  # the first record's time, with its four-digit year
    assert [r["id"] for r in first["recommendations"]] == ["export-controls", "joint-fund", "trilateral-talks"]
    assert events(later, published=moment)["published"] == RECORDED
    assert events(later, published=moment)["count"] == events(tracker)["count"]
