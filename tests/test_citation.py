"""Cite this (tracker/citation.py): APA 7 in words, and BibTeX and RIS records that the libraries reference
managers rely on read back exactly (parsed by bibtexparser and rispy, as Zotero would import them)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from conftest import TODAY, make_data

from tracker import citation
from tracker.validation import validate_data

PUBLISHED = datetime(2026, 12, 6, 14, 5, 30, tzinfo=timezone.utc)
URL = (
    "https://tracker.example.org/recommendation?as_of=2026-12-01&frozen=1&published=2026-12-06T14:05:30Z"
    "&rec=export-controls&q=caf%C3%A9+50%25"
)


@pytest.fixture
def settings():
    return validate_data(make_data(), today=TODAY).settings


def cite(settings, **fields):
    values = {
        "title": "Lift export controls",
        "kind": "Recommendation page",
        "as_of": date(2026, 12, 1),
        "published": PUBLISHED,
        "url": URL,
        "accessed": date(2026, 12, 7),
        **fields,
    }
    return citation.cite_page(settings, **values)


def read_bibtex(text: str) -> dict:
    """The one record of a BibTeX text as a reference manager reads it: its text fields decoded from LaTeX
    and unbraced, its `url` verbatim (BibLaTeX's url is a verbatim field: no LaTeX in it)."""
    # Braces are removed by the default stack; LaTeX is decoded as a reference manager decodes it.
    decoded = bibtexparser.parse_string(text, append_middleware=[middlewares.LatexDecodingMiddleware()])
    verbatim = bibtexparser.parse_string(text)
    assert decoded.failed_blocks == verbatim.failed_blocks == [] and len(decoded.entries) == 1
    entry = decoded.entries[0]
    fields = {field.key: field.value for field in entry.fields}
    return {"type": entry.entry_type, "key": entry.key, **fields, "url": verbatim.entries[0]["url"]}


def test_apa_names_the_page_the_tracker_the_publisher_both_clocks_the_link_and_the_day_accessed(settings):
    cited = cite(settings)
    assert citation.format_apa_text(cited) == (
        "tracker.example.org. (2026, December 6). Lift export controls [Recommendation page, as of 1 Dec 2026; "
        "as published on 6 Dec 2026 at 14:05 UTC]. Test tracker. Retrieved December 7, 2026, from " + URL
    )
    lead, title, middle, url = citation.format_apa(cited)
    assert title == "Lift export controls" and url == URL  # the title is set in italics apart; the link as is
    assert "about" not in citation.format_apa_text(cited)  # the moment in words, not "about" a day


def test_the_publisher_is_the_one_configured_else_the_site_else_the_tracker(settings):
    assert cite(settings, publisher="Seoul Policy Lab").publisher == "Seoul Policy Lab"
    assert cite(settings).publisher == "tracker.example.org"
    relative = cite(settings, url="/?as_of=2026-12-01&frozen=1")
    assert relative.publisher == "Test tracker"
    # APA leaves the site out when it is the author (here the tracker itself).
    assert ". Test tracker. Retrieved" not in citation.format_apa_text(relative)


def test_bibtex_is_an_online_record_that_reads_back_as_typed(settings):
    tricky = "Fund & 50% of {claims}: #1_priority ~ \\ $2 done"
    cited = cite(settings, title=tricky, publisher="Lab & Co.")
    text = citation.format_bibtex(cited)
    record = read_bibtex(text)
    assert record["type"] == "online"  # Zotero imports @online as a web page
    assert record["key"] == "tracker-fund-50-of-2026-12-06" and record["key"].isascii()
    assert record["title"] == tricky
    assert record["author"] == "Lab & Co." and record["organization"] == "Lab & Co."  # one group author
    assert record["booktitle"] == "Test tracker"
    assert (record["date"], record["year"], record["urldate"]) == ("2026-12-06", "2026", "2026-12-07")
    assert record["url"] == URL  # the frozen link, its %-escapes kept
    assert record["note"] == "Recommendation page, as of 1 Dec 2026; as published on 6 Dec 2026 at 14:05 UTC"
    # A caret is written as LaTeX's own command (a decoder may read it back as a modifier letter).
    assert r"x\textasciicircum{}2" in citation.format_bibtex(cite(settings, title="x^2"))


def test_ris_is_a_web_page_record_that_reads_back_as_typed(settings):
    cited = cite(settings, title="Lift export controls\nnow")  # a line break would start a new tag
    text = citation.format_ris(cited)
    assert text.endswith("ER  - \r\n") and "\r\n" in text
    [record] = rispy.loads(text)
    assert record["type_of_reference"] == "ELEC"
    assert record["title"] == "Lift export controls now"
    assert record["authors"] == ["tracker.example.org"] and record["publisher"] == "tracker.example.org"
    assert record["secondary_title"] == "Test tracker"
    assert (record["year"], record["date"], record["access_date"]) == ("2026", "2026/12/06", "2026/12/07")
    assert record["urls"] == [URL]
    assert record["notes"] == ["Recommendation page, as of 1 Dec 2026; as published on 6 Dec 2026 at 14:05 UTC"]


def test_a_publication_moment_is_said_in_utc(settings):
    in_seoul = datetime(2026, 12, 7, 8, 5, tzinfo=timezone(timedelta(hours=9)))  # 6 Dec, 23:05 UTC
    cited = cite(settings, published=in_seoul)
    assert "as published on 6 Dec 2026 at 23:05 UTC" in citation.format_apa_text(cited)
    assert read_bibtex(citation.format_bibtex(cited))["date"] == "2026-12-06"
