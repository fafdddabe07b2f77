"""The documents read together (tracker.collection): each summed up, everything asked of one addressee
across them, and the items linked across documents, on trackers built here."""

from __future__ import annotations

from conftest import TODAY, make_data, new_recommendation

from tracker import collection
from tracker.validation import validate_data

RECORDED = "2026-11-27T12:00:00Z"


def _trackers() -> dict:
    """The small tracker ("first") and a joint statement ("second") whose yearly commitment takes up the
    first's joint fund, with Japan's own part recorded."""
    data = make_data()
    data["tracker"]["title"] = "Second tracker"
    data["tracker"]["article"].update({"kind": "joint_statement", "item_word": "commitment", "title": "A statement"})
    rec = new_recommendation("yearly-meeting", title="Meet every year", addressees=["japan", "south_korea"],
                             quote="They will meet.", quote_kind="paraphrase",
                             links=[{"document": "first", "rec": "joint-fund", "relation": "takes_up"}])  # fmt: skip
    rec["updates"].append({"date": "2023-05", "status": "in_progress", "part": "japan", "note": "Japan's part.",
                           "sources": [{"url": "https://example.org/j", "title": "J", "kind": "news"}],
                           "author": "A", "recorded": RECORDED})  # fmt: skip
    data["recommendations"].append(rec)
    return {"first": validate_data(make_data(), today=TODAY), "second": validate_data(data, today=TODAY)}


def test_a_document_is_summed_up_with_its_own_words_and_counts():
    summary = collection.summarise_document(_trackers()["second"], TODAY)
    assert (summary["title"], summary["document_title"], summary["kind"], summary["item_word"]) == (
        "Second tracker",
        "A statement",
        "joint_statement",
        "commitment",
    )
    assert summary["items"] == 4
    assert int(summary["counts"]["count"].sum()) == 4
    assert 0 <= summary["score"] <= 100


def test_what_is_asked_of_an_addressee_counts_its_own_part():
    asked = collection.list_asked_of(_trackers(), "japan", TODAY)
    row = asked.set_index(["document", "id"]).loc[("second", "yearly-meeting")]
    assert row["status"] == "in_progress"  # Japan's part, not the item's overall status
    korea = collection.list_asked_of(_trackers(), "south_korea", TODAY).set_index(["document", "id"])
    assert korea.loc[("second", "yearly-meeting"), "status"] == "not_started"
    # Only items addressed to it, from every document, in the documents' order.
    assert list(asked["document"].drop_duplicates()) == ["first", "second"]
    everyone = collection.list_asked_of(_trackers(), "", TODAY)
    united_states = collection.list_asked_of(_trackers(), "united_states", TODAY)
    assert len(everyone) == 7 and 0 < len(united_states) < len(everyone)


def test_a_search_and_a_status_filter_narrow_every_document():
    found = collection.list_asked_of(_trackers(), "", TODAY, "EVERY year")
    assert list(zip(found["document"], found["id"], strict=True)) == [("second", "yearly-meeting")]
    assert collection.list_asked_of(_trackers(), "", TODAY, "no such words").empty
    progress = collection.list_asked_of(_trackers(), "japan", TODAY, statuses=("in_progress",))
    assert set(progress["status"]) == {"in_progress"} and "yearly-meeting" in set(progress["id"])


def test_a_link_shows_on_both_items_with_each_ones_own_evidence():
    trackers = _trackers()
    out = collection.list_linked(trackers, "second", "yearly-meeting", TODAY)
    back = collection.list_linked(trackers, "first", "joint-fund", TODAY)
    assert out[["relation", "direction", "document", "id"]].values.tolist() == [
        ["takes_up", "to", "first", "joint-fund"]
    ]
    assert back[["relation", "direction", "document", "id"]].values.tolist() == [
        ["takes_up", "from", "second", "yearly-meeting"]
    ]
    # Each side shows the other's status and latest evidence as recorded there, not copied.
    joint_fund = trackers["first"].recommendations[1]
    assert out.loc[0, "status"] == joint_fund.updates[-1].status
    assert back.loc[0, "last_event"] == "2023-05"
    assert collection.list_linked(trackers, "first", "not-linked", TODAY).empty
    # A link to a document the tracker does not hold shows nothing (validation names it).
    assert collection.list_linked({"second": trackers["second"]}, "second", "yearly-meeting", TODAY).empty
