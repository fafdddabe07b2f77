"""The one table of filters: a row added to it works on the page, in links and in the API."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from conftest import RECORDED, TODAY
from helpers import goto, table_rows
from streamlit.testing.v1 import AppTest

from tracker import api, filters
from tracker.analysis import statuses_as_of
from tracker.filters import FILTERS, Filter
from tracker.messages import link_words
from tracker.model import Term
from tracker.view import filter_recommendations, parse_view, view_to_params

NOW = datetime.fromisoformat(RECORDED[:-1]).replace(tzinfo=timezone.utc)

# One row and its vocabulary: whether the article states a recommendation or implies it.
IMPLIED = Filter(
    "wording", "Stated or implied", "wording", "wordings", "Stated and implied", "wording", "wording_label",
    lambda settings: [Term(id="stated", label="Stated"), Term(id="implied", label="Implied")],
    lambda rec: "implied" if rec.implied else "stated",
)  # fmt: skip


@pytest.fixture
def with_wording(monkeypatch, tracker):
    monkeypatch.setattr(filters, "FILTERS", (*FILTERS, IMPLIED))
    # The small tracker has one implied recommendation: make sure, so every assertion can fail.
    assert [rec.id for rec in tracker.recommendations if rec.implied]
    return tracker


def test_links_read_and_write_the_new_filter(with_wording):
    tracker = with_wording
    view, problems = parse_view({"wording": "implied"}, tracker, TODAY)
    assert problems == [] and view.chosen("wording") == ("implied",)
    assert view_to_params(view, TODAY) == {"wording": "implied"}
    kept = filter_recommendations(statuses_as_of(tracker, TODAY), view)
    assert list(kept["id"]) == [rec.id for rec in tracker.recommendations if rec.implied]
    _, problems = parse_view({"wording": "whispered"}, tracker, TODAY)
    assert [link_words(p) for p in problems] == [
        "The link asks for the wording 'whispered', which this tracker does not have; it was ignored."
    ]


def test_the_api_takes_the_new_filter(with_wording):
    tracker = with_wording
    assert "wording" in api.recommendation_parameters()
    query = api.parse_query(
        {"wording": "implied"}, tracker, today=TODAY, now=NOW, allowed=api.recommendation_parameters()
    )
    payload = api.recommendations_payload(tracker, query, "http://host")
    assert payload["filters"]["wording"] == ["implied"]
    assert [item["id"] for item in payload["recommendations"]] == [
        rec.id for rec in tracker.recommendations if rec.implied
    ]
    with pytest.raises(api.ApiError) as refused:
        api.parse_query({"wording": "x"}, tracker, today=TODAY, now=NOW, allowed=api.recommendation_parameters())
    assert (refused.value.status, refused.value.parameter, refused.value.code) == (400, "wording", "unknown_value")


def test_the_page_offers_the_new_filter_and_keeps_it_in_the_link(with_wording, data_file, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(data_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    for name in ("TRACKER_DATABASE_URL", "TRACKER_EDITOR_PASSCODE", "TRACKER_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    at = goto(at, "recommendations")
    assert "Stated or implied" in [widget.label for widget in at.multiselect]
    at.multiselect(key="f_wording").set_value(["implied"]).run()
    assert not at.exception
    implied = [rec.title for rec in with_wording.recommendations if rec.implied]
    assert [row["Recommendation"] for row in table_rows(at)] == implied
    assert all(row["Stated or implied"] == "Implied" for row in table_rows(at))
    assert at.query_params["wording"] == "implied"
