"""Several documents in one tracker: the index of YAML files, a document named by #id, and documents that
keep apart (storage.portfolio)."""

from __future__ import annotations

import pytest
from conftest import TODAY, make_data, new_recommendation

from tracker.edition import fingerprint
from tracker.edits import build_update
from tracker.errors import ValidationFailed
from tracker.storage import list_documents, open_store, read_revisions, read_titles
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker, read_title


def write_portfolio(folder, second=None) -> str:
    """An index of two documents: the small tracker and a second one; returns the index's location."""
    first = validate_data(make_data(), today=TODAY)
    data = make_data() if second is None else second
    (folder / "first.yaml").write_text(dump_tracker(first), encoding="utf-8")
    (folder / "second.yaml").write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    index = folder / "documents.yaml"
    index.write_text("documents:\n- id: first\n  file: first.yaml\n- id: second\n  file: second.yaml\n")
    return str(index)


def test_an_index_lists_its_documents_and_the_first_is_the_default(tmp_path):
    index = write_portfolio(tmp_path)
    assert [(d.id, d.location) for d in list_documents(index)] == [
        ("first", f"{index}#first"),
        ("second", f"{index}#second"),
    ]
    assert open_store(index).describe() == open_store(f"{index}#first").describe() == str(tmp_path / "first.yaml")
    assert open_store(f"{index}#second").describe() == str(tmp_path / "second.yaml")
    # A tracker file on its own is one document, named by its file.
    assert [d.id for d in list_documents(tmp_path / "first.yaml")] == ["first"]


def test_a_save_to_one_document_leaves_the_other_untouched(tmp_path):
    index = write_portfolio(tmp_path)
    first, second = open_store(f"{index}#first"), open_store(f"{index}#second")
    before = (second.revision(), second.load(today=TODAY), fingerprint(second.load(today=TODAY)))
    update = build_update({"date": "2026-11-01", "status": "partial", "note": "Checked.", "author": "Ana",
                           "recorded": "2026-11-27T13:00:00Z",
                           "sources": [{"url": "https://example.org/s", "title": "S", "kind": "news"}]})  # fmt: skip
    first.append_update("joint-fund", update, today=TODAY)
    assert (second.revision(), second.load(today=TODAY), fingerprint(second.load(today=TODAY))) == before
    assert open_store(f"{index}#first").load(today=TODAY).recommendations[1].updates[-1].note == "Checked."


def test_titles_and_revisions_of_an_index_come_without_loading_its_documents(tmp_path):
    """The sidebar names every document and All documents checks every revision without loading any: a
    document whose recommendations no longer validate still gives its title, and each revision is the one
    its store says."""
    data = make_data()
    data["tracker"]["title"] = "Second: a 'quoted' title"
    index = write_portfolio(tmp_path, second=data)
    second = tmp_path / "second.yaml"
    second.write_text(second.read_text(encoding="utf-8").replace("category: ", "category: nowhere-"), encoding="utf-8")
    with pytest.raises(ValidationFailed):
        open_store(f"{index}#second").load(today=TODAY)
    assert read_titles(index) == {"first": "Test tracker", "second": "Second: a 'quoted' title"}
    assert read_revisions(index) == {
        doc_id: open_store(f"{index}#{doc_id}").revision() for doc_id in ("first", "second")
    }
    # A file that is not there is left out (its own store says why), and so is a title that is not plain text.
    (tmp_path / "first.yaml").unlink()
    assert read_revisions(index) == {"second": open_store(f"{index}#second").revision()}
    assert read_titles(index) == {"second": "Second: a 'quoted' title"}
    # One tracker file is one document.
    assert read_titles(second) == {"second": "Second: a 'quoted' title"}


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("schema_version: 1\ntracker:\n  title: Plain words\n", "Plain words"),
        ("schema_version: 1\ntracker:\n  title: 'Quoted: words'\n", "Quoted: words"),
        ("tracker:\n  statuses: [a, {b: c}]\n  title: >-\n    Folded\n    over lines\n", "Folded over lines"),
        ("schema_version: 1\nrecommendations: []\ntracker:\n  title: After a list\n", "After a list"),
        ("tracker:\n  title: 2023\n", None),  # YAML reads a number
        ("tracker:\n  title: !!str tagged\n", None),
        ("tracker:\n  title: &a anchored\n", None),
        ("tracker:\n  title: |\n    two\n    lines\n", None),
        ("tracker: [not, a, mapping]\n", None),
        ("- a list\n", None),
        ("tracker:\n  article: {}\n", None),
    ],
)
def test_a_title_is_read_from_the_start_of_a_file_only_when_plain(tmp_path, head, title):
    path = tmp_path / "tracker.yaml"
    path.write_text(head + "recommendations: [" + "x" * 200_000, encoding="utf-8")  # the rest never parses
    assert read_title(path) == title


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("documents: []\n", "documents.yaml: must list at least one document: `documents:` with `id` and `file`."),
        (
            "documents:\n- id: First\n  file: first.yaml\n",
            "documents.yaml: document 1: 'First' is not a valid id; use lowercase letters, digits and hyphens.",
        ),
        (
            "documents:\n- id: a\n  file: first.yaml\n- id: a\n  file: second.yaml\n",
            "documents.yaml: document 2: the id 'a' is used twice.",
        ),
        (
            "documents:\n- id: a\n  file: ../elsewhere.yaml\n",
            "documents.yaml: document 1: the file '../elsewhere.yaml' must sit in the index's folder.",
        ),
        ("documents:\n- id: a\n", "documents.yaml: document 1 must have exactly an `id` and a `file`."),
    ],
)
def test_a_bad_index_is_refused_with_one_plain_sentence(tmp_path, text, message):
    write_portfolio(tmp_path)
    (tmp_path / "documents.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        list_documents(tmp_path / "documents.yaml")
    assert [str(p) for p in failed.value.problems] == [message]


def test_a_document_may_link_to_another_and_record_an_addressees_part(tmp_path):
    data = make_data()
    data["tracker"]["article"].update({"kind": "joint_statement", "item_word": "commitment", "title": "A statement"})
    rec = new_recommendation("yearly-meeting", title="Meet every year", addressees=["japan", "south_korea"],
                             quote="They will meet.", quote_kind="paraphrase", recurrence="yearly",
                             links=[{"document": "first", "rec": "joint-fund", "relation": "takes_up"}])  # fmt: skip
    rec["periods"] = [
        {"period": "2023", "met": True, "note": "Met in August.", "author": "A", "recorded": "2026-11-27T12:00:00Z"},
        {"period": "2024", "met": False, "note": "None found.", "author": "A", "recorded": "2026-11-27T12:00:00Z"},
    ]
    rec["updates"].append({"date": "2023-05", "status": "in_progress", "part": "japan", "note": "Japan's part.",
                           "sources": [{"url": "https://example.org/j", "title": "J", "kind": "news"}],
                           "author": "A", "recorded": "2026-11-27T12:00:00Z"})  # fmt: skip
    data["recommendations"].append(rec)
    index = write_portfolio(tmp_path, data)
    second = open_store(f"{index}#second").load(today=TODAY)
    assert dump_tracker(second) == (tmp_path / "second.yaml").read_text(encoding="utf-8")  # canonical round trip
    from tracker import analysis

    frame = analysis.statuses_as_of(second, TODAY).set_index("id")
    # The years decide a yearly commitment's status; Japan's own part its status for Japan.
    assert frame.loc["yearly-meeting", "status"] == "stalled"
    assert frame.loc["yearly-meeting", "addressee_statuses"] == {"japan": "in_progress", "south_korea": "stalled"}
    bad = dict(rec, id="bad-part", updates=[*rec["updates"][:1], {**rec["updates"][1], "part": "united_states"}])
    data["recommendations"].append(bad)
    with pytest.raises(ValidationFailed) as failed:
        validate_data(data, today=TODAY)
    assert "'united_states' is not one of this recommendation's addressees." in str(failed.value)


@pytest.mark.parametrize(
    ("years", "status"),
    [
        ({}, None),  # nothing judged yet: the history's status stands
        ({"2024": True, "2025": True}, "implemented"),
        ({"2024": False, "2025": True}, "partial"),
        ({"2024": True, "2025": False}, "stalled"),
        ({"2024": True, "2025": None}, "implemented"),  # a year not known is left out
        ({"2024": True, "2026": False}, "implemented"),  # the current year counts only once it is met
        ({"2024": False, "2026": True}, "partial"),
    ],
)
def test_a_yearly_commitment_is_judged_on_its_years(years, status):
    from datetime import date

    from tracker.analysis import judge_years
    from tracker.model import Period

    class Rec:
        periods = [
            Period(period=year, met=met, note="n", author="A", recorded="2026-11-27T12:00:00Z")
            for year, met in years.items()
        ]

    assert judge_years(Rec, date(2026, 6, 30))[0] == status
