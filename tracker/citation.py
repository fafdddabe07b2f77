"""Cite this: a page of the tracker (or its brief) as a ready citation in APA 7th edition, and as BibTeX
and RIS records that reference managers (Zotero, EndNote, Mendeley) import.

A tracker changes, so a citation names both of its clocks: the day its facts are as of and the moment
it was published (what had been recorded by then), and links to the frozen view that keeps showing
exactly that; the day the reader accessed it comes last, as APA asks for pages that change.
Pure functions: every date and address comes in as an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from .edition import describe_moment
from .model import format_date

STYLE = "APA 7th edition"
_MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Citation:
    """What a citation names: the page (`title`, and `kind`, what it is: "Recommendation status page"), the
    tracker it belongs to, who publishes it, the day its facts are as of, the moment it was published (UTC),
    the frozen link that keeps showing it, and the day the reader accessed it."""

    title: str
    kind: str
    tracker: str
    publisher: str
    as_of: date
    published: datetime
    url: str
    accessed: date


def describe_citation(citation: Citation) -> str:
    """What is cited and both its clocks: 'Recommendation page, as of 1 Dec 2026; as published on
    6 Dec 2026 at 14:05 UTC' (APA's bracketed description; the note of the BibTeX and RIS records)."""
    as_of = format_date(citation.as_of.isoformat())
    return f"{citation.kind}, as of {as_of}; as published on {describe_moment(citation.published)}"


def cite_page(settings, *, title: str, kind: str, as_of: date, published: datetime, url: str, accessed: date,
              publisher: str = "") -> Citation:  # fmt: skip
    """The citation of a page of a tracker (`settings`: its settings): published by `publisher`, else by the
    site its address names ('tracker.example.org'), else by the tracker itself (a relative address)."""
    site = urlsplit(url).hostname or ""
    return Citation(
        title=title, kind=kind, tracker=settings.title, publisher=publisher or site or settings.title, as_of=as_of,
        published=published, url=url, accessed=accessed,
    )  # fmt: skip


def format_apa(citation: Citation) -> tuple[str, str, str, str]:
    """The APA 7 reference in four parts: what comes before the title, the title (which APA sets in
    italics), what follows it up to the address, and the address; joined, they are the plain-text
    citation (`format_apa_text`). Group author. (date). *Title* [description]. Site. Retrieved date, from URL
    (the site is left out when it is the author, as APA asks)."""
    published = citation.published.astimezone(timezone.utc)
    accessed = citation.accessed
    lead = f"{citation.publisher}. ({published.year}, {_MONTHS[published.month - 1]} {published.day}). "
    site = f" {citation.tracker}." if citation.tracker not in (citation.publisher, citation.title) else ""
    tail = (
        f" [{describe_citation(citation)}].{site} "
        f"Retrieved {_MONTHS[accessed.month - 1]} {accessed.day}, {accessed.year}, from "
    )
    return lead, citation.title, tail, citation.url


def format_apa_text(citation: Citation) -> str:
    """The APA 7 reference as plain text (the title without its italics)."""
    return "".join(format_apa(citation))


def cite_key(citation: Citation) -> str:
    """A BibTeX key: ASCII, from the title's first words and the publication day ('tracker-lift-export-2026-12-06')."""
    words = re.findall(r"[a-z0-9]+", citation.title.lower())[:3]
    published = citation.published.astimezone(timezone.utc).date()
    return "-".join(["tracker", *words, published.isoformat()])


# BibTeX's special characters, written so that LaTeX and reference managers read them back as typed.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex_text(text: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _bibtex_url(url: str) -> str:
    # A URL field is read verbatim, but a brace would still end it: the tracker's links never hold one.
    return url.replace("{", "%7B").replace("}", "%7D")


def format_bibtex(citation: Citation) -> str:
    """A BibLaTeX @online record (Zotero imports it as a web page): the publisher as a group author (in
    double braces, so it is not split into first and last names), the title, the tracker as the site,
    the publication date, the access date (urldate), the frozen link and both clocks in a note."""
    published = citation.published.astimezone(timezone.utc).date()
    fields = [
        ("author", "{" + _bibtex_text(citation.publisher) + "}"),
        ("title", "{" + _bibtex_text(citation.title) + "}"),
        ("booktitle", _bibtex_text(citation.tracker)),
        ("organization", _bibtex_text(citation.publisher)),
        ("date", published.isoformat()),
        ("year", str(published.year)),
        ("urldate", citation.accessed.isoformat()),
        ("url", _bibtex_url(citation.url)),
        ("note", _bibtex_text(describe_citation(citation))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{cite_key(citation)},\n{body}\n}}\n"


def _ris_text(text: str) -> str:
    # One line per tag: a line break inside a value would start a new, unknown tag.
    return " ".join(text.split())


def format_ris(citation: Citation) -> str:
    """An RIS record of type ELEC (a web page for Zotero and EndNote): title, the publisher as author and
    publisher, the tracker as the secondary title, the publication date, the access date (Y2), the frozen
    link and both clocks in a note. Lines end with CRLF, as the RIS format specifies."""
    published = citation.published.astimezone(timezone.utc).date()
    lines = [
        ("TY", "ELEC"),
        ("TI", _ris_text(citation.title)),
        ("AU", _ris_text(citation.publisher)),
        ("T2", _ris_text(citation.tracker)),
        ("PB", _ris_text(citation.publisher)),
        ("PY", str(published.year)),
        ("DA", published.strftime("%Y/%m/%d")),
        ("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ("UR", _ris_text(citation.url)),
        ("N1", _ris_text(describe_citation(citation))),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
