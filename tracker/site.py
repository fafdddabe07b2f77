"""The static site: the readers' side of a tracker as plain files, for any web server, a CDN or a folder.

What it holds (paths from the site's root), for a lone tracker file:

    index.html                                 -> en/article/index.html (a redirect that needs no script)
    en/article/index.html                      the overview: answer, status strip, score, latest changes, charts
    en/article/recommendations.html            every recommendation
    en/article/recommendation/<id>.html        one recommendation: status, evidence, history with every source
    en/article/timeline.html                   the charts over time and the numbered context events
    en/article/methodology.html                statuses, score, sources, limits
    feed.atom, feed/<id>.atom                  Atom feeds (`feed.build_feed`), the newest PAGE_SIZE entries
    badge/<id>.svg, badge/progress.svg         badges (`badge.py`)
    api/v1/recommendations.json                the API's answers as files (`api.py`, docs/api-schema.json),
    api/v1/events.json, api/v1/events/<n>.json   the event log page by page
    edition.json, sitemap.xml, 404.html
    editions/<time>/...                        with `keep_edition`: each edition, whole, under its own address

For several documents (an index of documents, or a database of several), each document has the same pages
under its own folder, `en/<document id>/...`, and its own feeds, badges and API files where the app answers
them: the first document's at the root, as the app's addresses without `doc=`, the others' under
`doc/<document id>/` (the app's `?doc=<id>` as a folder: `doc/<id>/feed.atom`, `doc/<id>/api/v1/...`). The
first document's pages are also served at their old addresses, `en/article/...`, byte for byte the same
pages (their canonical address names the new one), so every link handed out before keeps opening them. The
pages about every document: `en/documents.html` (All documents), `en/addressees.html` and
`en/addressees/<addressee id>.html` (By addressee), and `api/v1/documents.json`.

`en/` is the language: every page is made for each language of `Options.languages` (by default English,
Korean and Japanese: `en/`, `ko/`, `ja/`), under its own folder, with `<html lang>`, the language's fonts, its
interface words (the templates' `{% trans %}` and this module's `t`, from tracker/locales), dates and numbers
(`language.Words`) and the data's texts in the language (tracker/translation.py): a text not yet translated
shows the English, marked; an outdated translation is shown, marked; the quote stays in its original words,
its translation beside it, labelled as one. Each page links to its versions in the other languages
(`hreflang`, and a switcher of plain links); the sitemap lists them all. Feeds, badges and API files are made
once, in English; the root opens the first language.

Links between pages are relative, so the folder works from disk (file://), under a sub-path and from a CDN;
absolute addresses (feeds, API, sitemap, Open Graph, citations) are built on `base_url`, and what needs one
is left out without it. Editors' names, contacts and suggestions never reach a file: the pages show the
tracker's public fields only, like the feeds and the API.

Each build is an edition: the tracker as published at a moment (`now`, by default its newest record time),
stamped with that moment and the data's fingerprint. The moment is the only clock: the same data and moment
give the same bytes. With several documents, each document is published at its own newest record time (or
`now`), so an update of one leaves every page of the others as it was; the site's edition is the newest.

With `keep_edition`, the build is also kept whole under editions/<time>/ (hard links: no copy), and each
page cites its permanent address there: the edition that first published its present content. A page whose
content did not change keeps its bytes, and so its citation, from one build to the next.

Building is incremental and safe (`build_site`): every output has a key made of its inputs; an output whose
key is unchanged is not rendered again, and a rendered file whose bytes hash as before is not written again. A
recommendation's page shows dates, not day counts, so a new day leaves it as it was; a document's pages that
show all its recommendations are keyed by its data's fingerprint and moment. What those pages are made of is
kept between builds per recommendation, keyed by its content (`DocumentCache`): its canonical text (for the
fingerprint), its entries of the event log, its rows of the event log and of the statuses table, its row of
the table page and its item of the API; a rebuild after one update computes that recommendation's only; each
chart's SVG is kept by its rows, words and settings (`chart_key`), drawn again only when they change, the
charts of statuses from a Vega template compiled once per chart, language and settings with only their rows
put in (`draw_chart`). The new site is built aside in a sibling folder, then swapped in with renames (one
atomic exchange where the system has it), so a build that fails or is killed leaves the previous site whole.
That folder starts as the site before the live one, kept aside after each swap (`take_spare`), of which only
the files that differ are replaced; without a spare to trust, unchanged files are hard-linked from the live
site. Files are never modified in place. The manifest (each file's hash, key and cited edition) and the caches
live in a private sibling folder, never served: the canonical text holds editors' names. What is kept by
content alone (each recommendation's canonical text and log entries) is appended to a file of its own
(`PIECES`), so a rebuild writes the changed recommendation's, not all of them again; the event log's and the
statuses' tables, in a file of their own (`TABLES`), are written whole again only when it lacks more than a
hundredth of their rows (each row is used only where its recommendation's key is the one recorded).

A builder that keeps the tracker in memory (as right after a save) rebuilds faster still: what a build reads
of each recommendation object (`facts_of`), the event log, the sitemap's entries and what it wrote to the
private folder are kept in the process for the next build, each checked against what it was made of (the
same objects, the same file on disk), never trusted otherwise; a new process reads the private files.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import pickle
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache, cached_property, partial
from itertools import compress
from operator import is_not, itemgetter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc
from markupsafe import Markup, escape

from . import analysis, api, badge, charts, collection, feed, site_draw
from .brief import template_environment
from .drawing import VL_VERSION, fonts_key  # the Vega-Lite version Altair writes, as vl-convert names it
from .edition import FINGERPRINT_SHOWN, as_published, data_fingerprint, describe_moment
from .errors import TrackerError
from .language import LANGUAGES as KNOWN_LANGUAGES
from .language import Words, mark, words
from .model import (
    Recommendation,
    Tracker,
    format_date,
    format_timestamp,
    is_web_address,
    item_words,
    labels_of,
    parse_timestamp,
    start_of,
    status_by_id,
)
from .records import Links, Record, list_records
from .translation import Texts
from .view import View, earliest_date
from .yaml_text import _head_text, _tail_text, dump_recommendation, gc_paused, render_tracker

FORMAT = "5"  # bump when the output changes for the same inputs: every page is then rendered again
LANGUAGE = "en"  # the default language (the root opens it), the data's own
LANGUAGES = tuple(KNOWN_LANGUAGES)  # every language the tracker speaks: en, ko, ja
DOCUMENT = "article"  # a lone tracker's folder; on a site of several documents, the first one's old address
SITE_NAME = "Recommendation tracker"  # a site of several documents, named as the app names itself
TIMELINE_LIMIT = 200  # recommendations drawn in the timeline per recommendation; past it each page has its own
RECENT_DAYS = 90
LATEST_CHANGES = 5
CHART_WIDTHS = {"status_over_time": 900, "timeline": 620}
SUMMARY = ("status_by_category", "scorecard")
OVER_TIME = ("status_over_time", "timeline")
DRAWN = ("index", "recommendations", "timeline")  # the pages that show charts (`Pages.prepare`)
# Where the table page's rows go in its rendered text (a comment no data can make: every text is escaped).
ROWS_HERE = "<!--rows-->"

# The reader's pages of one document, in the navigation's order: (name, file under the document, title).
PAGES = (
    ("index", "index.html", mark("Overview")),
    ("recommendations", "recommendations.html", mark("All {items}")),
    ("timeline", "timeline.html", mark("Timeline")),
    ("methodology", "methodology.html", mark("Methodology")),
)
# The pages about every document (a site of several), under the language: (name, file, title).
PORTFOLIO_PAGES = (
    ("documents", "documents.html", mark("All documents")),
    ("addressees", "addressees.html", mark("By addressee")),
)
# What the documents call their items (`model.item_words`), translated where shown.
ITEM_WORDS = (mark("recommendation"), mark("recommendations"), mark("commitment"), mark("commitments"))
ADDRESSEES = "addressees"  # the folder of the pages by addressee: no document may be called so
# The app's page paths (ui/registry.py) -> the site's page of the same content.
APP_PAGES = {"": "index", "recommendations": "recommendations", "timeline": "timeline", "methodology": "methodology"}
# How each kind of document is named in a sentence (the app's words, ui/reader.py).
THE_DOCUMENT = mark("the document")  # a document of another kind (a constant: a nested call is not extracted)
DOCUMENT_NOUNS = {"article": mark("the article"), "report": mark("the report"),
                  "joint_statement": mark("the joint statement")}  # fmt: skip
# The words of a link between items of two documents, read from the item whose page it is (the app's words).
RELATION_WORDS = {
    ("takes_up", "to"): mark("takes up"),
    ("repeats", "to"): mark("repeats"),
    ("supersedes", "to"): mark("supersedes"),
    ("takes_up", "from"): mark("is taken up by"),
    ("repeats", "from"): mark("is repeated by"),
    ("supersedes", "from"): mark("is superseded by"),
}
YEAR_WORDS = {True: mark("met"), False: mark("not met"), None: mark("not known")}
# The fields an edit of an item's metadata may change, as a page names them ("The title was edited on ...").
FIELD_WORDS = {"title": mark("title"), "quote": mark("quote"), "quote_kind": mark("quote kind"),
               "criteria": mark("criteria"), "category": mark("category"), "priority": mark("priority"),
               "addressees": mark("addressees"), "implied": mark("implied")}  # fmt: skip


# ---------------------------------------------------------------- addresses


def page_path(page: str, rec_id: str | None = None, *, lang: str = LANGUAGE, document: str = DOCUMENT) -> str:
    """A reader's page's path from the site's root: 'en/article/timeline.html', or a recommendation's
    'en/article/recommendation/<id>.html' (ids are kebab-case, safe as file names)."""
    if rec_id is not None:
        return f"{lang}/{document}/recommendation/{rec_id}.html"
    return f"{lang}/{document}/{dict((name, file) for name, file, _ in PAGES)[page]}"


def portfolio_path(page: str, *, lang: str = LANGUAGE, addressee: str | None = None) -> str:
    """A page about every document: 'en/documents.html', 'en/addressees.html', or one addressee's
    'en/addressees/<id>.html' (ids are lowercase letters, digits, hyphens and underscores)."""
    if addressee is not None:
        return f"{lang}/{ADDRESSEES}/{addressee}.html"
    return f"{lang}/{dict((name, file) for name, file, _ in PORTFOLIO_PAGES)[page]}"


def relative_link(source: str, target: str) -> str:
    """The link from the file at path `source` to the one at `target` (both from the site's root)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


# What `quote` leaves as it is (its safe '/' and the characters it never quotes): most paths, which then skip
# it (a large site makes 150,000 addresses a build).
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


def absolute(base_url: str, path: str) -> str:
    if not base_url:
        return ""
    return f"{base_url.rstrip('/')}/{path if _UNQUOTED.fullmatch(path) else quote(path)}"


def twin_address(
    site_url: str, app_page: str, rec_id: str | None = None, document: str | None = None, lang: str = LANGUAGE
) -> str | None:
    """The static twin of one of the app's reader pages (its path in ui/registry.py), in the reader's language
    `lang`, or None when it has none. `document`: the id of the document shown (None: the first one, whose
    old addresses every site keeps)."""
    if not site_url:
        return None
    folder = document or DOCUMENT
    if app_page == "recommendation":
        path = page_path("recommendation", rec_id, document=folder) if rec_id else None
    elif app_page in dict((name, file) for name, file, _ in PORTFOLIO_PAGES):
        path = portfolio_path(app_page)
    else:
        name = APP_PAGES.get(app_page)
        path = page_path(name, document=folder) if name else None
    return absolute(site_url, in_language(path, lang)) if path else None


def language_fonts(lang: str) -> str:
    """The font stack a page in `lang` asks for (language.LANGUAGES); none for the default language, whose pages
    keep base.css's."""
    return "" if lang == LANGUAGE else KNOWN_LANGUAGES[lang].fonts


def in_language(path: str, lang: str) -> str:
    """The same page in another language: 'en/article/index.html' -> 'ko/article/index.html'."""
    return lang + path[path.index("/") :]


def versions_of(path: str, options: Options) -> list[dict]:
    """A page's versions in every language of the site, for its `hreflang` links (absolute on a site with an
    address) and its language switcher (relative); none on a site of one language."""
    if len(options.languages) < 2:
        return []
    found = []
    for code in options.languages:
        target = in_language(path, code)
        href = relative_link(path, target)
        url = absolute(options.base_url, target) or href
        current = path.startswith(code + "/")
        found.append({"code": code, "name": KNOWN_LANGUAGES[code].name, "href": href, "url": url, "current": current})
    return found


def events_path(page: int) -> str:
    return "api/v1/events.json" if page == 1 else f"api/v1/events/{page}.json"


@dataclass(frozen=True)
class Place:
    """Where one document's files go. `folder`: its pages, under <lang>/<folder>/; `files`: the prefix of its
    feeds, badges and API files ('' at the root; 'doc/<id>/' for any document but the first of several, as
    the app names it with `?doc=<id>`); `document`: its id in the permanent ids of its feeds and its event log
    ('' for the first, as in the app); `alias`: another folder also serving its pages, byte for byte (the first
    of several: its old address, 'article'); `several`: whether the site has several documents (its pages then
    link to the pages about all of them)."""

    folder: str = DOCUMENT
    files: str = ""
    document: str = ""
    alias: str = ""
    several: bool = False


def place_of(doc_id: str, position: int, several: bool) -> Place:
    """Where a document's files go: a lone tracker's as they always were; on a site of several, each in its
    own folder, the first one's feeds, badges and API files at the root and its pages also at their old
    addresses (see the module's docstring)."""
    if not several:
        return Place()
    if position == 0:
        return Place(folder=doc_id, alias="" if doc_id == DOCUMENT else DOCUMENT, several=True)
    return Place(folder=doc_id, files=f"doc/{doc_id}/", document=doc_id, several=True)


def check_documents(ids: list[str]) -> None:
    """Refuse, before anything is written, a document whose id names a folder the site uses otherwise."""
    for position, doc_id in enumerate(ids):
        if doc_id == ADDRESSEES or (doc_id == DOCUMENT and position > 0):
            use = "the pages by addressee" if doc_id == ADDRESSEES else "the first document's old addresses"
            raise TrackerError(
                f"The document '{doc_id}' cannot have a folder of its own on the site: en/{doc_id}/ holds {use}. "
                "Give it another id in the index of documents; nothing was changed."
            )


@dataclass(frozen=True)
class SiteLinks(Links):
    """The site's own addresses for what the feeds and the API link to (absolute, on the site's base): one
    document's pages (`document`: its folder) in one language, its feeds and badges (`files`: their prefix)."""

    lang: str = LANGUAGE
    document: str = DOCUMENT
    files: str = ""

    def page(self, rec_id: str | None = None) -> str:
        where = {"lang": self.lang, "document": self.document}
        return absolute(
            self.base_url, page_path("recommendation", rec_id, **where) if rec_id else page_path("index", **where)
        )

    def feed(self, rec_id: str | None = None) -> str:
        return absolute(self.base_url, self.files + (f"feed/{rec_id}.atom" if rec_id else "feed.atom"))

    def badge(self, rec_id: str | None = None) -> str:
        return absolute(self.base_url, self.files + (f"badge/{rec_id}.svg" if rec_id else "badge/progress.svg"))

    def events_page(self, params: tuple, offset: int) -> str:
        return absolute(self.base_url, self.files + events_path(offset // api.EVENTS_PER_PAGE + 1))


# ---------------------------------------------------------------- the edition


class RecFacts:
    """What a build reads of one recommendation object that does not depend on anything else: its newest
    record stamps and its content key (`recommendation_key`), found once per object (`facts_of`)."""

    __slots__ = ("rec", "newest", "latest", "every", "key", "dated", "first", "parts", "periods", "text", "encoded")

    def __init__(self, rec: Recommendation):
        self.rec = rec
        # Its updates' and edits' record times (`Inputs.newest`, the page's own date); with its updates'
        # corrections (`newest_record`); with its yearly records too (everything `as_published` compares).
        self.newest = max([u.recorded for u in rec.updates] + [c.recorded for c in rec.metadata_changes])
        changes = [change.recorded for update in rec.updates for change in update.changes]
        self.latest = max([self.newest, *changes])
        self.every = max([self.latest, *(period.recorded for period in rec.periods)])
        self.key = recommendation_key(rec)
        self.dated: tuple[str, int] | None = None  # (day, how many of its updates are dated by that day)
        # Its baseline's first day (`view.earliest_date` takes the least); whether it records an addressee's
        # own part, and yearly commitments (`Inputs.rules`).
        self.first = start_of(rec.updates[0].date)
        self.parts = any(update.part for update in rec.updates)
        self.periods = bool(rec.periods)
        self.text: str | None = None  # its canonical text (`dump_recommendation`) and its UTF-8, once asked for
        self.encoded = b""

    def dated_by(self, day: str) -> int:
        """How many of its updates are dated on or before `day` (ISO): a partial date's first day is on or
        before a day exactly when its text sorts on or before the day's ('2023-03' <= '2023-03-16')."""
        if self.dated is None or self.dated[0] != day:
            self.dated = (day, sum(update.date <= day for update in self.rec.updates))
        return self.dated[1]


# The facts of the recommendations of the trackers last built, by object: a tracker saved and built again in
# the same process (the app, a long-running builder) shares every recommendation it did not change with the
# one before (models are frozen: an edit makes a new object), so a rebuild reads only the changed ones. Each
# entry holds its object, so its id is not reused while it is kept; `keep_facts` bounds it to the last build.
_FACTS: dict[int, RecFacts] = {}


def facts_of(rec: Recommendation) -> RecFacts:
    found = _FACTS.get(id(rec))
    if found is None or found.rec is not rec:
        found = _FACTS[id(rec)] = RecFacts(rec)
    return found


def facts_in(tracker: Tracker) -> list[RecFacts]:
    """`facts_of` each of the tracker's recommendations, in its order: found once per list of recommendations
    (the list object, kept with them: a build asks for them some eight times, a dictionary look-up each per
    recommendation otherwise; models are frozen and an edit makes a new list)."""
    recs = tracker.recommendations
    found = _FACTS_IN.get("recs")
    if found is not recs or len(_FACTS_IN["facts"]) != len(recs):
        _FACTS_IN.update(recs=recs, facts=[facts_of(rec) for rec in recs])
    return _FACTS_IN["facts"]


_FACTS_IN: dict = {}  # the last list of recommendations `facts_in` was asked for, with their facts


def keep_facts(trackers: list[Tracker]) -> None:
    """Keep only the facts of these trackers' recommendations (the ones the next build will most likely see)."""
    kept = {id(rec): _FACTS[id(rec)] for tracker in trackers for rec in tracker.recommendations if id(rec) in _FACTS}
    _FACTS.clear()
    _FACTS.update(kept)


def _tracker_stamps(tracker: Tracker) -> list[str]:
    """The record stamps of what is not a recommendation's: reviews, settings changes, translations, context
    events and their corrections."""
    stamps = [review.recorded for review in tracker.reviews]
    stamps += [change.recorded for change in tracker.settings_changes]
    stamps += [item.recorded for item in tracker.translations]
    for event in tracker.context_events:
        stamps += [event.recorded] if event.recorded else []
        stamps += [change.recorded for change in event.changes]
    return stamps


def newest_record(tracker: Tracker) -> datetime | None:
    """The newest record time in the data (the last of `edition.record_times`), or None when none has one.
    Found among the stamps as recorded, whose fixed-width text orders like the times (as `as_published`
    compares them), and only it parsed: a large tracker has 100,000 of them (each recommendation's newest
    found once per object, `facts_of`)."""
    stamps = _tracker_stamps(tracker) + [facts.latest for facts in facts_in(tracker)]
    return parse_timestamp(max(stamps)) if stamps else None


def published_at(tracker: Tracker, moment: datetime) -> Tracker:
    """`as_published(tracker, moment)`: the tracker itself when nothing in it was recorded after the moment
    (the usual build, at its newest record time), which is what `as_published` returns then, found without
    reading each of its updates again; `as_published` otherwise."""
    stamp = format_timestamp(moment)
    stamps = _tracker_stamps(tracker) + [facts.every for facts in facts_in(tracker)]
    # Every stamp on or before the moment's (compared as text, as `as_published` compares them): it would
    # drop nothing, undo nothing, and pin no earlier moment.
    if not stamps or max(stamps) <= stamp:
        return tracker
    return as_published(tracker, moment)


def edition_id(moment: datetime) -> str:
    """An edition's name in addresses: its moment, UTC, without the characters some hosts refuse."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Edition:
    """One build: the tracker as published at `moment` (shown as of its day), and its data's fingerprint."""

    moment: datetime
    fingerprint: str
    kept: bool = False  # kept under editions/<id>/ for good

    @property
    def id(self) -> str:
        return edition_id(self.moment)

    @property
    def as_of(self) -> date:
        return self.moment.astimezone(timezone.utc).date()

    @property
    def stamp(self) -> str:
        return self.moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Options:
    """How a site is addressed: its absolute base (for feeds, API, sitemap, citations; '' = relative only),
    whether each build is kept as an edition, and the languages its pages are made in (the first is the one
    the root opens)."""

    base_url: str = ""
    keep_edition: bool = False
    languages: tuple[str, ...] = LANGUAGES

    @property
    def key(self) -> str:
        return f"{FORMAT}|{self.base_url}|{self.keep_edition}|{','.join(self.languages)}"


# ---------------------------------------------------------------- what a build renders


@dataclass(frozen=True)
class Output:
    """One file of the site. `key` hashes its inputs (None: always rendered); `render(cited)` makes its bytes,
    `cited` being the edition that publishes them for good (None when editions are not kept). An output with
    `same_as` is that other output's file again, at a second address (a hard link: no rendering)."""

    path: str
    key: str | None
    render: Callable[[str | None], bytes] | None
    same_as: str | None = None
    # What to start before it is rendered (its charts: `Pages.prepare`); such a file is rendered last.
    prepare: Callable[[], None] | None = None


@dataclass(eq=False)
class Group:
    """One recommendation's own files (its pages, badge and feed), planned together: `context` (the document's
    settings, languages and place, shared by its groups) and `made_of` (what of the recommendation its files
    show) determine every one of their keys; `expand()` makes the outputs. A build that finds both equal to
    what the build this process made last found, against that build's manifest, keeps the group's files as
    they are without making their outputs or keys (`_build_site`)."""

    name: str
    context: tuple
    made_of: tuple
    expand: Callable[[], list[Output]]


def _hash(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _put_bounded(table: dict, key, value, limit: int) -> None:
    """Put `key` in a table of what this process keeps between builds, as its newest entry, and drop the oldest
    past `limit`: never the whole table, which once dropped what the build under way had just put there."""
    table.pop(key, None)
    table[key] = value
    while len(table) > limit:
        del table[next(iter(table))]


def recommendation_key(rec: Recommendation) -> str:
    """A recommendation's content key: changes whenever anything in it does (cheap: pydantic's own JSON)."""
    return _hash(rec.model_dump_json())


def recommendation_keys(tracker: Tracker) -> dict[str, str]:
    """Every recommendation's content key, by id (made once per build: the plan and the caches use them; once
    per recommendation object, `facts_of`)."""
    return {facts.rec.id: facts.key for facts in facts_in(tracker)}


def fingerprint_of(tracker: Tracker, cache: dict[str, str], keys: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The data's fingerprint (`edition.data_fingerprint` of `dump_tracker`), re-rendering only the
    recommendations whose canonical text is not in `cache` (content key -> text); returns it and the cache
    of the recommendations it now holds. The same bytes hashed, fed to one sha256 piece by piece (the head,
    each recommendation's text as UTF-8, made once per object, the tail), rather than joined (54 MB at 10,000
    recommendations) then encoded whole; tests/test_site.py compares it with `data_fingerprint`."""
    recs = tracker.recommendations
    if not recs:
        return data_fingerprint(render_tracker(tracker)[0]), {}
    # The head (the settings, the context events, the reviews) written as YAML once per content, known by its
    # JSON (pydantic's own, 1 ms against 35 ms for the YAML of 201 context events).
    head = tracker.model_dump_json(exclude={"recommendations", "translations"})
    if _HEAD.get("json") != head:
        _HEAD.update(json=head, text=_head_text(tracker).encode("utf-8"))
    digest = hashlib.sha256(_HEAD["text"])
    texts = {}
    for rec, facts in zip(recs, facts_in(tracker), strict=True):
        if facts.text is None:
            known = cache.get(keys[rec.id])
            facts.text = known if known is not None else dump_recommendation(rec)
            facts.encoded = facts.text.encode("utf-8")
        digest.update(facts.encoded)
        texts[keys[rec.id]] = facts.text
    digest.update(_tail_text(tracker).encode("utf-8"))
    return digest.hexdigest(), texts


_HEAD: dict = {}  # the last head `fingerprint_of` wrote: its JSON and its YAML as UTF-8


@dataclass
class Part:
    """One document being built: its id ('' for a lone tracker), its tracker as published at its edition's
    moment, where its files go, its recommendations' content keys, what the previous build kept for it
    (`cache`) and what this one keeps (`kept`, filled while it is planned)."""

    id: str
    tracker: Tracker
    edition: Edition
    place: Place
    keys: dict[str, str]
    cache: dict
    kept: dict


# ---------------------------------------------------------------- tables kept between builds


def _blocks(previous: pd.DataFrame, owner: str, order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each recommendation's rows are in a table that keeps them together (the event log, the statuses
    table): the ids of its blocks in order, and where each starts and stops. Cut where the `order` column (each
    recommendation's place, a number) changes, so only one text per block is read, not one per row."""
    places = previous[order].to_numpy()
    if not len(places):
        return np.array([], dtype=object), np.array([], dtype="int64"), np.array([], dtype="int64")
    cuts = np.flatnonzero(places[1:] != places[:-1]) + 1
    starts, stops = np.concatenate(([0], cuts)), np.concatenate((cuts, [len(places)]))
    return previous[owner].iloc[starts].to_numpy(dtype=object), starts, stops


def patch_table(
    previous: pd.DataFrame, fresh: pd.DataFrame, reuse: list[tuple[str, bool]], owner: str, order: str
) -> pd.DataFrame | None:
    """A table whose rows come in blocks, one per recommendation in the tracker's order (the event log, the
    statuses table), made of the blocks of `previous` for the recommendations whose data did not change and
    those of `fresh` for the others: `reuse` lists (id, whether its block is the previous one) in the tracker's
    order; `owner` is the column naming a row's recommendation, `order` the one holding its place in the
    tracker. None when the two tables' column types differ (the caller then computes the whole table)."""
    if list(previous.columns) != list(fresh.columns):
        return None
    if len(fresh) and len(previous) and not previous.dtypes.equals(fresh.dtypes):
        # A column of a few rows can come out untyped (every value missing): typed as the whole table's when
        # that is text, which is what the whole table made at once gives; anything else is made whole.
        differ = [name for name in fresh.columns if fresh[name].dtype != previous[name].dtype]
        if any(fresh[name].dtype != object or not pd.api.types.is_string_dtype(previous[name]) for name in differ):
            return None
        fresh = fresh.astype({name: previous[name].dtype for name in differ})
    # Each recommendation's block, looked up at once (10,000 of them at 10,000 recommendations): in `previous`
    # where it is reused, else in `fresh` (placed after `previous`, as if the two were put end to end).
    ids = np.array([rec_id for rec_id, _ in reuse], dtype=object)
    again = np.array([kept for _, kept in reuse], dtype=bool)
    old_ids, old_starts, old_stops = _blocks(previous, owner, order)
    new_ids, new_starts, new_stops = _blocks(fresh, owner, order)
    old_index, new_index = pd.Index(old_ids), pd.Index(new_ids)
    if not (old_index.is_unique and new_index.is_unique):
        return None  # a recommendation's rows apart from each other: not a table of blocks, made whole
    old_at = old_index.get_indexer(ids) if len(old_ids) else np.full(len(ids), -1)
    new_at = new_index.get_indexer(ids) if len(new_ids) else np.full(len(ids), -1)
    reused, made = again & (old_at >= 0), ~again & (new_at >= 0)
    starts, stops = np.zeros(len(ids), dtype="int64"), np.zeros(len(ids), dtype="int64")
    starts[reused], stops[reused] = old_starts[old_at[reused]], old_stops[old_at[reused]]
    starts[made], stops[made] = new_starts[new_at[made]] + len(previous), new_stops[new_at[made]] + len(previous)
    found = reused | made  # a recommendation without rows (not yet tracked on the day) has no block
    starts, stops, positions = starts[found], stops[found], np.flatnonzero(found)
    lengths_ = stops - starts
    # Runs of blocks that follow each other in one of the two tables: one slice each.
    split = (starts[1:] >= len(previous)) != (starts[:-1] >= len(previous))
    breaks = np.flatnonzero((starts[1:] != stops[:-1]) | split) + 1
    run_starts = starts[np.concatenate(([0], breaks))] if len(starts) else starts
    run_stops = stops[np.concatenate((breaks - 1, [len(stops) - 1]))] if len(stops) else stops
    if len(run_starts) + _chunks(previous) <= MAX_CHUNKS:
        # Runs of consecutive rows, one slice each, put end to end: Arrow's text columns are then shared, not
        # copied as a take copies them (the notes and titles of 100,000 rows at 10,000 recommendations); each
        # run adds a chunk to them, so once they hold MAX_CHUNKS the table is taken whole again (one chunk).
        n = len(previous)
        pieces = [
            previous.iloc[a:b] if a < n else fresh.iloc[a - n : b - n]
            for a, b in zip(run_starts.tolist(), run_stops.tolist(), strict=True)
        ]
        table = pd.concat(pieces, ignore_index=True) if pieces else previous.iloc[:0].reset_index(drop=True)
    else:
        combined = pd.concat([previous, fresh], ignore_index=True) if len(fresh) else previous
        # Each block's rows, in order, made at once rather than an array per recommendation (10,000 of them):
        # row n of the table is row `n - (where its block starts in the table) + (where it starts in combined)`.
        begins = np.cumsum(lengths_) - lengths_
        index = np.arange(int(lengths_.sum()), dtype="int64") + np.repeat(starts - begins, lengths_)
        table = combined.take(index).reset_index(drop=True)
    table[order] = np.repeat(positions.astype("int64"), lengths_)
    return table


# How many pieces a kept table's text columns may be made of (`patch_table`): each rebuild after one update
# adds two or three; a table of more is taken whole again, so reading a column never walks thousands of them.
MAX_CHUNKS = 64


def _chunks(frame: pd.DataFrame) -> int:
    """How many pieces the most divided of a table's Arrow columns is made of (0 without any)."""
    arrays = [frame[name].array for name in frame.columns]
    # Arrow's own protocol (`__arrow_array__`): a chunked array for Arrow's columns, one array for the others.
    held = [array.__arrow_array__() for array in arrays if isinstance(array.dtype, pd.ArrowDtype | pd.StringDtype)]
    return max((getattr(one, "num_chunks", 1) for one in held), default=0)


def _log_of(tracker: Tracker) -> pd.DataFrame:
    """`analysis.list_updates` without the column of every update's sources: the site reads them from each
    recommendation (`history_of`), the analyses it calls never do, and kept between builds they took seconds
    to write and read back (a Python object per source)."""
    return analysis.list_updates(tracker).drop(columns=["sources"])


def _subset(tracker: Tracker, recs: list[Recommendation]) -> Tracker:
    return tracker.model_copy(update={"recommendations": recs})


def kept_log(tracker: Tracker, keys: dict[str, str], settings_key: str, cache: dict) -> tuple[pd.DataFrame, dict]:
    """The event log (`_log_of`), its blocks kept from `cache` (the previous build's log) for the
    recommendations whose data and settings are unchanged, made again for the others. Returns it and what to
    keep for the next build."""
    recs = tracker.recommendations
    before = cache.get("log")
    log = None
    if before and before["key"] == settings_key:
        known = before["recs"]
        reuse = [(rec.id, known.get(rec.id) == keys[rec.id]) for rec in recs]
        fresh_recs = [rec for rec, (_, again) in zip(recs, reuse, strict=True) if not again]
        fresh = _log_of(_subset(tracker, fresh_recs)) if fresh_recs else before["table"].iloc[:0]
        log = patch_table(before["table"], fresh, reuse, "rec_id", "rec_order")
    if log is None:
        log = _log_of(tracker)
    return log, {"key": settings_key, "recs": {rec.id: keys[rec.id] for rec in recs}, "table": log}


def kept_statuses(
    tracker: Tracker, as_of: date, log: pd.DataFrame, keys: dict[str, str], state_key: str, cache: dict
) -> tuple[pd.DataFrame, set[str], dict]:
    """The statuses table as of `as_of` (`analysis.statuses_as_of`), each recommendation's row kept from the
    previous build's table when its data, the settings, the tracker's reviews and the day are unchanged
    (`state_key`), made again for the others. Returns it, the ids of the rows made again, and what to keep."""
    recs = tracker.recommendations
    before = cache.get("statuses")
    frame, changed = None, set()
    if before and before["key"] == state_key:
        known = before["recs"]
        reuse = [(rec.id, known.get(rec.id) == keys[rec.id]) for rec in recs]
        changed = {rec_id for rec_id, again in reuse if not again}
        fresh_recs = [rec for rec in recs if rec.id in changed]
        fresh = analysis.statuses_as_of(_subset(tracker, fresh_recs), as_of) if fresh_recs else before["table"].iloc[:0]
        frame = patch_table(before["table"], fresh, reuse, "id", "order")
    if frame is None:
        frame, changed = analysis.statuses_as_of(tracker, as_of, log), {rec.id for rec in recs}
    return frame, changed, {"key": state_key, "recs": {rec.id: keys[rec.id] for rec in recs}, "table": frame}


# What a recommendation's page shows of its row of the statuses table (not the day counts, which change every
# day): the page is made again when one of them changes.
SHOWN = ("title", "status", "status_label", "since", "last_update", "last_event", "review_interval_days",
         "addressee_labels", "category_label", "priority_label", "addressee_statuses")  # fmt: skip


def _shown(row: dict | None) -> str:
    return "\x1f".join(str(row[name]) for name in SHOWN) if row else "untracked"


def _same_statuses(mine, theirs) -> bool:
    """Whether two settings (the data's, a language's) have the same statuses in the same order: rows counted
    with one are the other's but for their labels."""

    def order(settings) -> list[tuple[str, int]]:
        return [(status.id, status.order) for status in status_by_id(settings).values()]

    return order(mine) == order(theirs)


def _json_text(value: str) -> str:
    """A text as pandas writes it in JSON (`DataFrame.to_json`: non-ASCII and slashes escaped)."""
    return pd.Series([value]).to_json(orient="values")[1:-1]


def _status_changes(log: pd.DataFrame, ids: list[str]) -> dict[str, list[tuple]]:
    """The status changes of some recommendations in the event log (each row's start, status and previous
    status, in the log's order), by id: what the chart of statuses over time counts of them."""
    if not ids:
        return {}
    rows = log.loc[log["is_change"].to_numpy() & log["rec_id"].isin(ids).to_numpy(),
                   ["rec_id", "start", "status", "previous_status"]]  # fmt: skip
    changes: dict[str, list[tuple]] = {}
    for rec_id, start, status, previous in zip(*(rows[name].tolist() for name in rows.columns), strict=True):
        changes.setdefault(rec_id, []).append((str(start), status, previous))
    return changes


def _chart_facts(row: dict, changes) -> str:
    """What the charts of statuses and their sentences read of one recommendation (`Inputs.chart_inputs`): its
    status, category and addressees' statuses on the day, from its row of the statuses table, and its status
    changes (`_status_changes`)."""
    parts = sorted(row["addressee_statuses"].items())
    return repr((row["status"], row["category"], row["category_label"], parts, list(changes)))


class Inputs:
    """What one document's pages and files are made of, computed once per build and only when asked for; the
    tables that hold every recommendation are patched from the previous build's (`kept_log`,
    `kept_statuses`), and each recommendation's row of the table page and item of the API are kept with them."""

    def __init__(self, part: Part, options: Options, portfolio: Portfolio | None = None):
        self.part, self.options, self.portfolio = part, options, portfolio
        self.tracker, self.edition, self.place = part.tracker, part.edition, part.place
        self.settings = self.tracker.settings
        self.as_of = self.edition.as_of
        self.view = View(as_of=self.as_of)
        self.links = SiteLinks(options.base_url, options.languages[0], self.place.folder, self.place.files)
        self.settings_key = _hash(options.key, self.settings.model_dump_json(), STYLES, MORE_STYLES, self.place)
        # The pages and files that show every recommendation depend on their data as published (its
        # fingerprint covers the settings too) and on the moment; nothing else.
        self.data_key = f"{self.settings_key}|{self.edition.fingerprint}|{self.edition.stamp}"
        reviews = json.dumps([review.model_dump(mode="json") for review in self.tracker.reviews], sort_keys=True)
        # A row of the statuses table depends on its recommendation, the settings, the tracker's reviews and
        # the day (the day counts).
        self.state_key = _hash(self.settings_key, reviews, self.as_of)
        self._figures: dict[tuple, list[dict]] = {}
        self._started: dict[tuple, dict] = {}  # charts being drawn (`start_figures`)
        self.holding = False  # a page is being rendered with its charts' places held (`hold`)
        self.held: dict[str, dict] = {}  # by language, each held chart's mark and what gives it then
        self._readings: dict[str, Reading] = {}

    @cached_property
    def start(self) -> date:
        """The first day anything is tracked (`view.earliest_date`), each recommendation's baseline read once
        per object (`facts_of`)."""
        recs = self.tracker.recommendations
        return min(facts.first for facts in facts_in(self.tracker)) if recs else earliest_date(self.tracker)

    @cached_property
    def rules(self) -> tuple[bool, bool]:
        """Whether the data records what one addressee did, and yearly commitments (the methodology then says
        how each is read): looked up once per build, not per language, and once per recommendation object."""
        facts = facts_in(self.tracker)
        return any(found.parts for found in facts), any(found.periods for found in facts)

    @cached_property
    def newest(self) -> dict[str, str]:
        """Each recommendation's newest record time (of its updates and edits), as recorded: the stamps are
        fixed-width, so the text's order is the time's."""
        return {facts.rec.id: facts.newest for facts in facts_in(self.tracker)}

    @cached_property
    def log(self) -> pd.DataFrame:
        log, self.part.kept["log"] = kept_log(self.tracker, self.part.keys, self.settings_key, self.part.cache)
        return log

    @cached_property
    def frame(self) -> pd.DataFrame:
        cache = self.part.cache
        before = cache.get("statuses")
        # The whole log is needed only when the day (or the settings) changed: every row is then made again.
        log = self.log if not before or before["key"] != self.state_key else None
        frame, self.changed, self.part.kept["statuses"] = kept_statuses(
            self.tracker, self.as_of, log, self.part.keys, self.state_key, cache
        )
        return frame

    @cached_property
    def positions(self) -> dict[str, int]:
        return {rec_id: n for n, rec_id in enumerate(self.frame["id"].tolist())}

    def row(self, rec_id: str) -> dict | None:
        """A recommendation's row of the statuses table, None when it was not yet tracked on the day shown."""
        position = self.positions.get(rec_id)
        return None if position is None else self.frame.iloc[position].to_dict()

    @cached_property
    def recs(self) -> dict[str, tuple]:
        """Each tracked recommendation's (what its page shows of its row, its status, its row of the table page,
        its item of the API or None without an address), kept by content between builds (`PIECES`: by the
        statuses' key and its content key, what its row is made of) for the rows kept."""
        frame = self.frame
        known = self.part.cache.get("items", {})
        keys, state = self.part.keys, self.state_key
        names = {rec_id: f"{state}|{keys[rec_id]}" for rec_id in self.positions}
        made = {rec_id: known[name] for rec_id, name in names.items() if rec_id not in self.changed and name in known}
        missing = [self.positions[rec_id] for rec_id in self.positions if rec_id not in made]
        if missing:
            by_id = {rec.id: rec for rec in self.tracker.recommendations}
            colours = {status.id: status.colour for status in self.settings.statuses}
            rows = frame.iloc[missing].to_dict(orient="records")
            changes = _status_changes(self.log, [row["id"] for row in rows])
            for row in rows:
                rec = by_id[row["id"]]
                item = None
                if self.options.base_url:
                    payload = api.recommendation_payload(rec, SimpleNamespace(**row), self.settings, self.as_of,
                                                         self.links)  # fmt: skip
                    item = api.to_json(payload)
                facts = _chart_facts(row, changes.get(rec.id, ()))
                table_row = _table_row(row, "recommendation/", colours).encode("utf-8")
                made[rec.id] = (_shown(row), row["status"], table_row, item, facts)
        self.part.kept["items"] = {names[rec_id]: made[rec_id] for rec_id in self.positions}
        return {rec_id: made[rec_id] for rec_id in self.positions}

    @cached_property
    def chart_inputs(self) -> str:
        """Everything the charts of statuses (`FROM_TEMPLATE`) and the charts' sentences read, hashed: each shown
        recommendation's chart facts (`_chart_facts`: its status, category and addressees' statuses on the day,
        and its status changes), in order, with the settings, the reviews and the day (`state_key`), the first
        day and the context events. Cheap: the facts are kept with each recommendation's row (`recs`), made
        again only for the rows made again; so a review that keeps the status leaves it as it was, and the
        charts and sentences are taken from the previous build without their rows being worked out."""
        events = json.dumps([event.model_dump(mode="json") for event in self.tracker.context_events], sort_keys=True)
        return _hash(FORMAT, self.state_key, self.start, events, "\x1e".join(item[4] for item in self.recs.values()))

    def shown(self, rec_id: str) -> str:
        found = self.recs.get(rec_id)
        return found[0] if found else "untracked"

    def badge_status(self, rec: Recommendation) -> str | None:
        """The status its badge shows: its status on the day shown, else its baseline's (as the app's badge)."""
        found = self.recs.get(rec.id)
        return found[1] if found else rec.updates[0].status

    @cached_property
    def table(self) -> bytes:
        return b"\n".join(item[2] for item in self.recs.values())

    def reading(self, lang: str) -> Reading:
        """The document's data in `lang` (made once per build and language)."""
        if lang not in self._readings:
            self._readings[lang] = Reading(self.tracker, lang)
        return self._readings[lang]

    def table_in(self, reading: Reading) -> bytes:
        """The table page's rows in a language (`table` in English), each row kept from the previous build when
        its recommendation, its translations, the settings', the reviews and the day are unchanged: kept by
        content between builds (`PIECES`: by all of these)."""
        if reading.english:
            return self.table
        frame, keys = self.frame, self.part.keys
        known = self.part.cache.get("table_rows", {})
        head = f"{self.state_key}|{reading.lang}|{reading.key}"
        names = {rec_id: f"{head}|{keys[rec_id]}|{reading.rec_key(rec_id)}" for rec_id in self.positions}
        made = {rec_id: known[name] for rec_id, name in names.items() if rec_id not in self.changed and name in known}
        missing = [self.positions[rec_id] for rec_id in self.positions if rec_id not in made]
        if missing:
            colours = {status.id: status.colour for status in self.settings.statuses}
            for row in frame.iloc[missing].to_dict(orient="records"):
                made[row["id"]] = _table_row(row, "recommendation/", colours, reading).encode("utf-8")
        self.part.kept.setdefault("table_rows", {}).update({names[rec_id]: made[rec_id] for rec_id in self.positions})
        return b"\n".join(made[rec_id] for rec_id in self.positions)

    @cached_property
    def events(self) -> pd.DataFrame:
        return analysis.list_context_events(self.tracker, self.start, self.as_of)

    @cached_property
    def sentences(self) -> dict[str, str]:
        return self._kept_sentences(self.reading(LANGUAGE), lambda: analysis.describe_charts(
            self.frame, self.settings, self.start, self.as_of, len(self.events)))  # fmt: skip

    def _kept_sentences(self, reading: Reading, made: Callable[[], dict[str, str]]) -> dict[str, str]:
        """The charts' sentences in a language, taken from the previous build when what they read is unchanged
        (`chart_inputs`), else made."""
        kept = self.part.kept.setdefault("sentences", dict(self.part.cache.get("sentences", {})))
        key = _hash(
            self.chart_inputs, reading.lang, reading.key, reading.settings.model_dump_json(), reading.words.code
        )
        found = kept.get(reading.lang)
        if found is None or found[0] != key:
            found = kept[reading.lang] = (key, made())
        return found[1]

    @cached_property
    def made_log(self) -> tuple[list[Entry], int]:
        """The event log's entries (`log_entries`) and a day (an ordinal) none of them is dated after."""
        entries, self.part.kept["entries"], latest = log_entries(
            self.tracker, self.links, self.settings_key, self.part.keys, self.part.cache.get("entries", {}),
            self.place.document,
        )  # fmt: skip
        return entries, latest

    @property
    def entries(self) -> list[Entry]:
        return self.made_log[0]

    @cached_property
    def logged(self) -> list[Entry]:
        """The event log as the API pages it (what `select_events` keeps of it: dated by the day shown)."""
        entries, latest = self.made_log
        day = self.as_of.toordinal()
        if latest <= day:
            return entries  # none dated after the day shown (the usual case): not walked
        # Filtered without a loop in Python (100,000 entries at 10,000 recommendations): each entry's day, its
        # place's second item, compared with the day shown.
        return list(compress(entries, map(day.__ge__, map(itemgetter(1), map(itemgetter(0), entries)))))

    @cached_property
    def event_pages(self) -> int:
        """How many files the event log takes: known from the previous build when the data did not change (the
        log itself is then not made)."""
        before = self.part.cache.get("event_pages")
        count = (
            before[1] if before and before[0] == self.data_key else max(1, -(-len(self.logged) // api.EVENTS_PER_PAGE))
        )
        self.part.kept["event_pages"] = (self.data_key, count)
        return count

    @cached_property
    def score(self) -> float:
        """`analysis.score_progress` of the statuses table (the overview, the table page in each language, the
        progress badge and the API show it): once per build."""
        return analysis.score_progress(self.frame, self.settings)

    @cached_property
    def counted(self) -> pd.DataFrame:
        return analysis.count_by_status(self.frame, self.settings)

    def counts(self, settings) -> pd.DataFrame:
        """`analysis.count_by_status` of the statuses table with the statuses' words of `settings` (the data's,
        or a language's): counted once per build (a large table's statuses are slow to iterate) and given
        each language's labels and colours, as `count_by_status` gives them, where the statuses are the same."""
        statuses = list(status_by_id(settings).values())
        counted = self.counted
        if [(s.id, s.order) for s in statuses] != list(zip(counted["status"], counted["order"], strict=True)):
            return analysis.count_by_status(self.frame, settings)
        return counted.assign(label=[s.label for s in statuses], colour=[s.colour for s in statuses])

    @cached_property
    def latest(self) -> tuple:
        """The latest review and the latest event (`analysis.latest_update`, `latest_event`) the overview's
        answer names in every language."""
        # Only the columns they read: filtering a 100,000-row log copies every column it holds.
        log = self.log[["is_review", "position", "start", "date"]]
        return analysis.latest_update(log, self.as_of), analysis.latest_event(self.tracker, log, self.as_of)

    def changes(self, since: date) -> pd.DataFrame:
        """`analysis.list_changes` since a day (the table page says how many changed, in every language)."""
        slot = ("changes", since)
        if slot not in self._figures:
            self._figures[slot] = analysis.list_changes(self.tracker, since, self.as_of, self.log)
        return self._figures[slot]

    def sentences_in(self, reading: Reading) -> dict[str, str]:
        """`sentences` in a language: its words, its labels."""
        if reading.english:
            return self.sentences
        if ("sentences", reading.lang) not in self._figures:

            def made() -> dict[str, str]:
                # Only the columns the sentences read, the categories in the language's words (a copy of the
                # whole table in each language would copy every text of its 10,000 rows).
                categories, table = reading.labels["categories"], self.frame
                frame = pd.DataFrame({
                    "status": table["status"],
                    "category_label": table["category"].map(categories).fillna(table["category_label"]),
                    "addressee_statuses": table["addressee_statuses"],
                })  # fmt: skip
                return analysis.describe_charts(
                    frame, reading.settings, self.start, self.as_of, len(self.events), reading.words
                )

            self._figures["sentences", reading.lang] = self._kept_sentences(reading, made)
        return self._figures["sentences", reading.lang]

    def figures(self, names: tuple[str, ...], reading: Reading | None = None) -> list[dict]:
        """The charts `names` as inline SVG (the dashboard's Altair specs, drawn by vl-convert), each with
        its one-sentence summary, which is also its accessible name; each drawn once per build and language
        (in its words, labels and fonts). While a page is held (`hold`), a chart not drawn yet is a mark."""
        reading = reading or self.reading(LANGUAGE)
        slot = (names, reading.lang, self.holding)
        if slot not in self._figures:
            self._figures[slot] = self._draw(names, reading)
        return self._figures[slot]

    @cached_property
    def over_time(self) -> pd.DataFrame:
        """The status-over-time chart's rows in the data's own words (the costliest rows, made once)."""
        return charts.chart_data(self.tracker, self.view, self.log, shown=self.chart_frame, names=("status_over_time",),
                                 start=self.start, subset=self.chart_log)["over_time"]  # fmt: skip

    @cached_property
    def chart_log(self) -> pd.DataFrame:
        """The log of the recommendations the charts show, as `chart_data` selects it: once per build (the log
        itself, the same rows, when every recommendation is shown: each has a row of the statuses table)."""
        log, frame = self.log, self.frame
        if len(frame) == len(self.tracker.recommendations) and set(log["rec_id"].unique()) <= set(frame["id"]):
            return log
        return log[log["rec_id"].isin(frame["id"])]

    @cached_property
    def chart_frame(self) -> pd.DataFrame:
        """The statuses table as the charts read it (`chart_data`'s `shown`): the columns its counts iterate
        value by value (`analysis.count_by`) as Python objects, which a large table's text columns are slow to
        give one at a time; the same values, hence the same rows."""
        frame = self.frame
        iterated = [name for name in ("category", "status") if name in frame and frame[name].dtype != object]
        return frame.astype({name: object for name in iterated}) if iterated else frame

    def over_time_in(self, settings) -> pd.DataFrame | None:
        """`over_time` with the status labels of `settings` (a language's): the rows `count_status_over_time`
        makes with them (one per date and status, in the taxonomy's order), or None when its statuses differ."""
        theirs = status_by_id(settings)
        if not _same_statuses(self.settings, settings):
            return None
        rows = self.over_time
        labels = [status.label for status in theirs.values()] * (len(rows) // max(len(theirs), 1))
        return rows.assign(status_label=labels)

    @cached_property
    def over_time_values(self) -> str | None:
        """`over_time` as the JSON its chart's template is filled with (`vega_values`): made once per build."""
        return vega_values(self.over_time)

    def over_time_values_in(self, settings) -> str | None:
        """`over_time_values` with the status labels of `settings`: `vega_values` of `over_time_in(settings)`,
        made by putting each status's label in place of the data's in the JSON text (9,330 rows at 10,000
        recommendations, written once rather than once per language). Each row is written as its columns come,
        a status's id right before its label, so each replaced text is that status's rows and nothing else;
        where the count of replacements is not that status's rows, the text is made anew."""
        if self.over_time_values is None or self.over_time_in(settings) is None:
            return None
        text = self.over_time_values
        dates = len(self.over_time) // max(len(settings.statuses), 1)
        for mine, theirs in zip(status_by_id(self.settings).values(), status_by_id(settings).values(), strict=True):
            if mine.label == theirs.label:
                continue
            old = f'"status":{_json_text(mine.id)},"status_label":{_json_text(mine.label)},'
            if text.count(old) != dates:
                return vega_values(self.over_time_in(settings))
            text = text.replace(old, f'"status":{_json_text(theirs.id)},"status_label":{_json_text(theirs.label)},')
        return text

    @cached_property
    def bar_rows(self) -> dict[str, pd.DataFrame]:
        """The summary charts' counts in the data's own words (`analysis.count_by`), counted once per build."""
        frame, settings = self.chart_frame, self.settings
        return {f"{column}_counts": analysis.count_by(frame, column, settings) for column in ("category", "addressee")}

    def bar_rows_in(self, settings) -> dict[str, pd.DataFrame]:
        """`bar_rows` with the labels of `settings` (a language's): the rows `count_by` makes with them, where its
        categories, addressees and statuses are the data's (the same ids in the same order); else none."""
        if not _same_statuses(self.settings, settings):
            return {}
        labels = [status.label for status in status_by_id(settings).values()]
        given = {}
        for column, terms, own in (("category", settings.categories, self.settings.categories),
                                   ("addressee", settings.addressees, self.settings.addressees)):  # fmt: skip
            if [term.id for term in terms] == [term.id for term in own]:
                given[f"{column}_counts"] = self.bar_rows[f"{column}_counts"].assign(
                    group_label=[term.label for term in terms for _ in labels], status_label=labels * len(terms)
                )
        return given

    def start_figures(self, names: tuple[str, ...], reading: Reading) -> None:
        """Start drawing the charts `names` in a language (their rows computed, those changed sent to the
        drawing process), so that they are drawn while the build renders its other files; `figures` then
        takes them. Called only for pages about to be rendered (`_build_site`)."""
        if (names, reading.lang) not in self._figures and (names, reading.lang) not in self._started:
            self._started[names, reading.lang] = self._svgs(names, reading)

    def _draw(self, names: tuple[str, ...], reading: Reading) -> list[dict]:
        started = self._started.pop((names, reading.lang), None) or self._svgs(names, reading)
        sentences = self.sentences_in(reading)
        figures = []
        for name, svg in started.items():
            sentence = sentences[name]
            if isinstance(svg, str):
                shown = labelled_svg(svg, sentence)
            elif self.holding:
                # Not drawn yet: a mark in its place (a comment no data can make: every text is escaped), which
                # `Held.finish` fills in once it is drawn; the page is rendered meanwhile. Given once, as drawn
                # once, whatever pages show it.
                shown = Markup(f"<!--chart {reading.lang} {name}-->")
                self.held.setdefault(reading.lang, {})[shown] = cache(partial(_labelled_later, svg, sentence))
            else:
                shown = labelled_svg(svg(), sentence)
            figures.append({"name": name, "svg": shown, "sentence": sentence})
        return figures

    def hold(self, lang: str, render: Callable[[], bytes]) -> bytes | Held:
        """A page in `lang` that shows charts, rendered while they may still be being drawn: its bytes, or,
        where a chart is not drawn yet, the page with that chart's place held (`Held`), finished once it is."""
        self.holding = True
        try:
            data = render()
        finally:
            self.holding = False
        # The marks of its language only: a table page is 8 MB to look through for each.
        marks = {mark.encode("utf-8"): give for mark, give in self.held.get(lang, {}).items()}
        marks = {mark: give for mark, give in marks.items() if mark in data}
        return Held(data, marks) if marks else data

    def _svgs(self, names: tuple[str, ...], reading: Reading) -> dict[str, str | Callable[[], str]]:
        """Each chart's SVG, or what gives it once drawn (`drawing`): its rows are computed (cheap), and its SVG
        taken from the previous build when they, its words and its settings are unchanged (`chart_key`): only
        a chart whose rows changed is drawn again."""
        tracker = self.tracker if reading.english else self.tracker.model_copy(update={"settings": reading.settings})
        # One slot per document, chart and language: what the cache holds stays bounded whatever the builds.
        kept = self.part.kept.setdefault("charts", dict(self.part.cache.get("charts", {})))
        # A chart of statuses whose inputs are those of the chart kept (`chart_inputs`) is that chart: its rows
        # are not worked out again (the costliest part of a rebuild after a review, at 10,000 recommendations).
        read = self.part.kept.setdefault("chart_inputs", dict(self.part.cache.get("chart_inputs", {})))
        svgs: dict[str, str | Callable[[], str]] = {}
        inputs = {}
        for name in names:
            slot = f"{reading.lang}|{name}"
            if name in FROM_TEMPLATE:
                inputs[name] = _hash(self.chart_inputs, name, CHART_WIDTHS.get(name), DRAWN_BY, fonts_key(),
                                     reading.key, tracker.settings.model_dump_json(), reading.words.code)  # fmt: skip
                found, known = kept.get(slot), read.get(slot)
                if found and known and known == (inputs[name], found[0]):
                    svgs[name] = found[1]
        rest = tuple(name for name in names if name not in svgs)
        if not rest:
            return svgs
        over_time = self.over_time_in(reading.settings) if "status_over_time" in rest else None
        given = {} if over_time is None else {"over_time": over_time}
        if {"status_by_category", "scorecard"} & set(rest):
            given.update(self.bar_rows_in(reading.settings))
        rows = charts.chart_data(tracker, self.view, self.log, shown=self.chart_frame, names=rest, given=given,
                                 start=self.start, subset=self.chart_log)  # fmt: skip
        # The rows over time relabelled from the data's (`over_time_in`): their JSON relabelled too.
        known = {"over_time": self.over_time_values_in(reading.settings)} if over_time is not None else {}
        for name in rest:
            values = template_values(name, rows, known)
            key = chart_key(name, rows, tracker.settings, reading.words, values)
            slot = f"{reading.lang}|{name}"
            if name in inputs:
                read[slot] = (inputs[name], key)
            found = kept.get(slot)
            if found and found[0] == key:
                svgs[name] = found[1]
            else:
                svgs[name] = partial(_kept_once_drawn, kept, slot, key, drawing(name, rows, tracker.settings,
                                                                                reading.words, values))  # fmt: skip
        return {name: svgs[name] for name in names}


def _kept_once_drawn(kept: dict, slot: str, key: str, drawn: Callable[[], str]) -> str:
    svg = drawn()
    kept[slot] = (key, svg)
    return svg


# ---------------------------------------------------------------- charts kept between builds

# A drawing depends on the libraries that make and draw the spec: another version draws every chart again.
DRAWN_BY = f"altair {alt.__version__}|vl-convert {vlc.__version__}"


def rows_digest(frame: pd.DataFrame) -> str:
    """A chart's rows, hashed: their values (JSON, floats in full), columns, index and types."""
    text = frame.to_json(orient="split", date_format="iso", date_unit="s", double_precision=15)
    return _hash(text, frame.dtypes.astype(str).to_dict())


def chart_key(
    name: str, rows: Mapping[str, pd.DataFrame], settings, w: Words, values: Mapping[str, str | None] | None = None
) -> str:
    """What a chart's SVG is made of (`charts.build_all` of its rows, at its width on the site, in `w`'s
    words and the settings' labels and colours, drawn by vl-convert): equal keys, equal bytes. `values`: its
    rows as the JSON its compiled template is filled with (`template_values`), when they are: that text is
    then hashed, as it is all of the rows the drawing reads (no second text made of the rows to hash)."""
    if values is not None and None not in values.values():
        digests = ["values", *(values[dataset] for dataset in charts.CHART_DATASETS[name])]
    else:
        digests = [rows_digest(rows[dataset]) for dataset in charts.CHART_DATASETS[name]]
    return _hash(FORMAT, DRAWN_BY, fonts_key(), name, CHART_WIDTHS.get(name), w.code,
                 settings.model_dump_json(), *digests)  # fmt: skip


def draw_svg(chart) -> str:
    """A chart drawn as SVG text without its XML prolog: `exports.export_chart`'s bytes (tests/test_site.py
    compares them), without Altair's validation of the spec against Vega-Lite's schema, which took a third
    of each drawing (the builders' specs are validated by tests/test_charts.py)."""
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict(validate=False)
    svg = vlc.vegalite_to_svg(spec, vl_version=VL_VERSION)
    return svg[svg.find("<svg") :]


def draw_chart(name: str, rows: Mapping[str, pd.DataFrame], settings, w: Words) -> str:
    """The chart `name` of `rows` as SVG text, at its width on the site: the charts of statuses from their
    compiled Vega template with the rows put in (`compiled`), byte for byte what `draw_svg` of the Altair
    chart gives (tests/test_site.py); the timeline, and rows of other column types, drawn whole."""
    return drawing(name, rows, settings, w)()


def template_values(
    name: str, rows: Mapping[str, pd.DataFrame], known: Mapping[str, str | None] | None = None
) -> dict[str, str | None] | None:
    """A chart of statuses' rows as the JSON its compiled template is filled with (`vega_values`), by dataset,
    those in `known` as they are given there; None for the other charts (drawn whole)."""
    if name not in FROM_TEMPLATE:
        return None
    known = known or {}
    return {
        dataset: known[dataset] if known.get(dataset) is not None else vega_values(rows[dataset])
        for dataset in charts.CHART_DATASETS[name]
    }


def drawing(
    name: str, rows: Mapping[str, pd.DataFrame], settings, w: Words, values: Mapping[str, str | None] | None = None
) -> Callable[[], str]:
    """`draw_chart`, started now: what gives the SVG when called. A chart of statuses drawn from its template
    is sent to the drawing process (`site_draw`: the build goes on while it is drawn on the other core), and
    drawn here where that process cannot draw it; the others are drawn here when called. `values`: its
    `template_values`, when already made."""
    if name in FROM_TEMPLATE:
        values = template_values(name, rows) if values is None else values
        if None not in values.values():
            pieces, order = compiled(name, settings, w)
            filled = (values[dataset] + piece for dataset, piece in zip(order, pieces[1:], strict=True))
            started = Started(pieces[0] + "".join(filled))
            _QUEUED.append(started)
            return started
    return partial(_draw_whole, name, rows, settings, w)


class Started:
    """A chart of statuses sent to the drawing process: called, gives its SVG, as drawn there, or drawn here
    where that process has not begun it yet (`draw_queued_here`) or cannot draw it (the same library drawing
    the same text: the same bytes, tests/test_site.py)."""

    def __init__(self, text: str):
        self.text = text
        self.future = site_draw.drawer().draw(text)
        self.svg: str | None = None

    def __call__(self) -> str:
        if self.svg is None:
            if self.future.cancel():
                svg = vlc.vega_to_svg(self.text)
            else:
                try:
                    svg = self.future.result(timeout=DRAW_WAIT_S)
                except TimeoutError:
                    # The drawing process stopped answering (a chart takes a second at most): stopped, so the
                    # build never hangs on it, and the chart drawn here; the next drawing starts another.
                    site_draw.drawer().stop()
                    svg = vlc.vega_to_svg(self.text)
                except site_draw.DrawerGone:
                    svg = vlc.vega_to_svg(self.text)
            self.svg = svg[svg.find("<svg") :]
        return self.svg

    def draw_here(self) -> bool:
        """Draw it in this process if the drawing process has not begun it (it is then never drawn there)."""
        if self.svg is None and self.future.cancel():
            svg = vlc.vega_to_svg(self.text)
            self.svg = svg[svg.find("<svg") :]
            return True
        return False


_QUEUED: list[Started] = []  # the charts sent to the drawing process by this build, in the order sent
# How long a build waits for one chart from the drawing process before it gives up on that process: far more
# than any drawing takes (under a second at 10,000 recommendations), even on a loaded machine.
DRAW_WAIT_S = 120.0


def draw_queued_here() -> None:
    """Once the build has rendered everything but the pages that show charts, its own process would wait for
    the drawing process: it draws the charts still queued there itself, the last sent first, while that
    process goes on from the first (two drawings side by side on two cores), until they meet."""
    for started in reversed(_QUEUED):
        if started.svg is None and not started.draw_here():
            break  # begun or drawn there: so is every one sent before it
    _QUEUED.clear()


def _draw_whole(name: str, rows: Mapping[str, pd.DataFrame], settings, w: Words) -> str:
    chart = charts.build_all(rows, settings, (name,), w)[name]
    if name in CHART_WIDTHS:
        chart = chart.properties(width=CHART_WIDTHS[name])
    return draw_svg(chart)


# Charts whose Vega does not depend on their rows (Altair names the timeline's views after its data).
FROM_TEMPLATE = ("status_by_category", "scorecard", "status_over_time")
# Column types whose JSON from pandas is what Altair sends (floats are printed otherwise, hence drawn whole).
PLAIN_TYPES = ("int64", "str", "string", "object", "bool")
_COMPILED: dict[str, tuple[list[str], list[str]]] = {}  # compiled templates, by `compiled`'s key (bounded)
COMPILED_KEPT = 64
_HOLE = '"@@rows:{}@@"'  # where a dataset's rows go in a template's JSON (a quote inside text is escaped)


def vega_values(frame: pd.DataFrame) -> str | None:
    """A chart's rows as the JSON array Altair puts in its spec (dates as local ISO text), or None when a
    column is of a type not known to give the same values."""
    kinds = frame.dtypes.astype(str)
    if not all(kind in PLAIN_TYPES or kind.startswith("datetime64[") for kind in kinds):
        return None
    texts = [column for column, kind in kinds.items() if kind == "object"]
    if any(not isinstance(value, str | None) for column in texts for value in frame[column]):
        return None
    return charts._vega_rows(frame).to_json(orient="records")


def compiled(name: str, settings, w: Words) -> tuple[list[str], list[str]]:
    """The chart `name` in `w`'s words and the settings' labels and colours, at its width on the site, compiled
    to Vega once (Altair's spec of named datasets, `vegalite_to_vega`) as JSON text cut where each dataset's rows
    go: the text's pieces and the datasets in their order between them. Kept in the process between builds."""
    key = _hash(FORMAT, DRAWN_BY, name, CHART_WIDTHS.get(name), w.code, settings.model_dump_json())
    if key not in _COMPILED:
        datasets = charts.CHART_DATASETS[name]
        chart = charts.build_all({d: alt.NamedData(name=d) for d in datasets}, settings, (name,), w)[name]
        if name in CHART_WIDTHS:
            chart = chart.properties(width=CHART_WIDTHS[name])
        vega = without_tooltips(vlc.vegalite_to_vega(chart.to_dict(validate=False), vl_version=VL_VERSION))
        sources = {entry["name"]: entry for entry in vega.get("data", [])}
        for dataset in datasets:
            entry = sources[dataset]
            if set(entry) - {"name", "format"}:
                raise TrackerError(f"The chart {name}'s dataset {dataset} is not a plain named source.")
            entry["values"] = _HOLE.format(dataset)[1:-1]
        text = json.dumps(vega)
        holes = sorted((text.index(_HOLE.format(d)), d) for d in datasets)
        pieces, order, at = [], [], 0
        for where, dataset in holes:
            pieces.append(text[at:where])
            order.append(dataset)
            at = where + len(_HOLE.format(dataset))
        pieces.append(text[at:])
        _put_bounded(_COMPILED, key, (pieces, order), COMPILED_KEPT)  # a few settings and languages per process
    return _COMPILED[key]


def without_tooltips(vega: dict) -> dict:
    """A Vega spec with no mark's tooltip: Vega works one out for every row of a mark (its dates and numbers
    formatted), though an SVG drawing never shows it, so the drawing is the same bytes, made with a tenth less
    work for the chart of statuses over time (one row per date and status). Changed in place, and returned."""
    for part in vega.get("marks", []):
        for encoding in part.get("encode", {}).values():
            encoding.pop("tooltip", None)
        without_tooltips(part)  # a group's marks
    return vega


def _labelled_later(give: Callable[[], str], label: str) -> str:
    return labelled_svg(give(), label)


class Held:
    """A page rendered while some of its charts were still being drawn (`Inputs.hold`): its bytes, with a mark
    where each of them goes and what gives each. The build renders it while they are drawn, and finishes it
    once it has drawn its share (`_build_site`): the bytes the page has when rendered with its charts."""

    def __init__(self, data: bytes, marks: dict[bytes, Callable[[], str]]):
        self.data, self.marks = data, marks

    def finish(self) -> bytes:
        return spliced(self.data, {held: give().encode("utf-8") for held, give in self.marks.items()})


def spliced(data: bytes, parts: Mapping[bytes, bytes]) -> bytes:
    """A rendered page with each mark in it (each there once) replaced by its bytes, joined once: what is put
    in this way (a table page's 8 MB of rows, a chart drawn after its page) is not copied into a template's
    text and encoded again."""
    places = sorted((data.index(held), held) for held in parts)
    pieces, at = [], 0
    for where, held in places:
        pieces += [data[at:where], parts[held]]
        at = where + len(held)
    return b"".join([*pieces, data[at:]])


def labelled_svg(svg: str, label: str) -> Markup:
    """A drawn chart inside HTML, named by `label` for screen readers (as `brief.inline_svg` names it)."""
    # vl-convert escapes the chart's own text; the label is escaped here.
    return Markup(svg.replace("<svg", str(Markup('<svg role="img" aria-label="{}"').format(label)), 1))


class Portfolio:
    """The documents of a site of several, read together (tracker/collection.py): each summed up, what is
    asked of each addressee, and the items linked across documents. Each document is read as its own pages
    show it: as published at its own edition's moment, as of that day."""

    def __init__(self, parts: list[Part], edition: Edition, options: Options):
        self.parts, self.edition, self.options = parts, edition, options
        self.trackers = {part.id: part.tracker for part in parts}
        self.days = {part.id: part.edition.as_of for part in parts}
        self.places = {part.id: part.place for part in parts}
        # Its pages depend on every document's data as published and moment, nothing else.
        documents = [(part.id, part.edition.fingerprint, part.edition.stamp) for part in parts]
        self.key = _hash(options.key, STYLES, MORE_STYLES, json.dumps(documents))
        self.involved: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for doc_id, tracker in self.trackers.items():
            for rec in tracker.recommendations:
                for link in rec.links:
                    if link.document in self.trackers:
                        self.involved.setdefault((doc_id, rec.id), set()).add((link.document, link.rec))
                        self.involved.setdefault((link.document, link.rec), set()).add((doc_id, rec.id))
        self._linked: dict[tuple[str, str], list[dict]] = {}
        self._readings: dict[tuple[str, str], Reading] = {}

    def linked(self, doc_id: str, rec_id: str) -> list[dict]:
        """`collection.list_linked` of one item: the items of other documents it takes up, repeats or supersedes
        and those that do so to it, each as of its own document's day (on trackers holding only the items
        concerned: each item's row depends on itself alone, and a page per item cannot afford whole tables)."""
        if (doc_id, rec_id) not in self._linked:
            others = self.involved.get((doc_id, rec_id), set())
            rows = []
            for other_id, tracker in self.trackers.items():
                ids = {item for document, item in others if document == other_id}
                if not ids:
                    continue
                here = self.trackers[doc_id]
                pair = {doc_id: _subset(here, [rec for rec in here.recommendations if rec.id == rec_id])}
                if other_id != doc_id:
                    pair[other_id] = _subset(tracker, [rec for rec in tracker.recommendations if rec.id in ids])
                else:
                    pair[doc_id] = _subset(here, [rec for rec in here.recommendations if rec.id in ids | {rec_id}])
                found = collection.list_linked(pair, doc_id, rec_id, self.days[other_id])
                rows += [row for row in found.to_dict(orient="records") if row["document"] == other_id]
            self._linked[doc_id, rec_id] = rows
        return self._linked[doc_id, rec_id]

    def reading(self, doc_id: str, lang: str) -> Reading:
        if (doc_id, lang) not in self._readings:
            self._readings[doc_id, lang] = Reading(self.trackers[doc_id], lang)
        return self._readings[doc_id, lang]

    def linked_in(self, doc_id: str, rec_id: str, lang: str) -> list[dict]:
        """`linked` with each item's title, its document's and its status in `lang`."""
        rows = self.linked(doc_id, rec_id)
        if lang == LANGUAGE:
            return rows
        found = []
        for row in rows:
            reading = self.reading(row["document"], lang)
            status = reading.labels["statuses"].get(row["status"], row["status_label"])
            title = reading.title(row["id"], row["title"])
            found.append({**row, "title": title, "document_title": reading.settings.title, "status_label": status})
        return found

    def linked_key(self, doc_id: str, rec_id: str, lang: str = LANGUAGE) -> str:
        if (doc_id, rec_id) not in self.involved:
            return ""
        return json.dumps(self.linked_in(doc_id, rec_id, lang), default=str)

    @cached_property
    def summaries(self) -> dict[str, dict]:
        return {doc_id: collection.summarise_document(tracker, self.days[doc_id])
                for doc_id, tracker in self.trackers.items()}  # fmt: skip

    @cached_property
    def addressees(self) -> dict[str, str]:
        """Every addressee of every document, id -> label, in the order the documents list them (the first
        document's label where two differ, as the app's page by addressee)."""
        labels: dict[str, str] = {}
        for tracker in self.trackers.values():
            for term in tracker.settings.addressees:
                labels.setdefault(term.id, term.label)
        return labels

    @cached_property
    def asked(self) -> dict[str, list[tuple[str, pd.DataFrame]]]:
        """For each addressee, what each document asks of it (`collection.list_asked_of`, each document as of
        its own day; documents that ask nothing of it left out)."""
        found: dict[str, list[tuple[str, pd.DataFrame]]] = {}
        for addressee in self.addressees:
            found[addressee] = []
            for doc_id, tracker in self.trackers.items():
                mine = [rec for rec in tracker.recommendations if addressee in rec.addressees]
                if not mine:
                    continue
                rows = collection.list_asked_of({doc_id: _subset(tracker, mine)}, addressee, self.days[doc_id])
                if len(rows):
                    found[addressee].append((doc_id, rows))
        return found


def history_of(
    rec: Recommendation, settings, as_of: date, write_date: Callable[[str], str] = format_date
) -> list[dict]:
    """A recommendation's dated history up to `as_of`, newest first, with every source and its kind: the rows
    of `analysis.history_of` (tests/test_site.py compares them) without the editors' names, read from the
    recommendation itself, since a page per recommendation cannot afford a table of the whole log each.
    `settings` names the statuses and kinds (in a language: `Texts.settings`), `write_date` writes dates."""
    statuses, kinds = labels_of(settings.statuses), labels_of(settings.source_kinds)
    items = []
    for _position, update, status, previous, review in analysis.list_entries(rec):
        if start_of(update.date) > as_of:
            continue
        items.append(
            {
                "date": write_date(update.date),
                "status": statuses.get(status, status),
                "change": status != previous,
                "review": review,
                "note": update.note,
                "sources": _sources(update.sources, kinds),
            }
        )
    return items[::-1]


def _sources(sources, kinds: dict[str, str]) -> list[dict]:
    found = [source.model_dump(exclude_none=True) for source in sources]
    return [{**source, "kind_label": kinds.get(source["kind"], source["kind"])} for source in found]


TABLE_TEXT = ("id", "status", "title", "status_label", "category_label", "priority_label", "addressee_labels")
TABLE_TEXT += ("last_source_title",)
# The table's columns, each cell labelled with its column's name on a phone.
TABLE_COLUMNS = (mark("Status"), mark("Since"), mark("Last reviewed"), mark("Latest event"), mark("Category"),
                 mark("Priority"), mark("Addressees"), mark("Latest source"))  # fmt: skip


def _table_row(row: dict, prefix: str, colours: dict[str, str], reading: Reading | None = None) -> str:
    """One recommendation's row of the table page, escaped here rather than by the template: a large tracker's
    table has 10,000 rows, which Jinja's attribute lookups would take seconds to fill. `reading`: the
    language it is in (None: English)."""
    if reading is not None and not reading.english:
        return reading.table_row(row, prefix, colours)
    text = {key: escape(row[key]) for key in TABLE_TEXT}
    stale = ' <span class="stale">stale</span>' if row["stale"] else ""
    event = format_date(row["last_event"]) if isinstance(row["last_event"], str) else "—"
    source = text["last_source_title"] or "—"
    if row["last_source_title"] and is_web_address(row["last_source_url"]):
        source = Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(row["last_source_url"], source)
    return (
        f'<tr id="rec-{text["id"]}" data-status="{text["status"]}"><td data-label="Recommendation">'
        f'<a href="{escape(prefix)}{text["id"]}.html">{text["title"]}</a></td><td data-label="Status">'
        f'<span class="badge"><span class="dot" style="background-color:{escape(colours[row["status"]])}">'
        f"</span>{text['status_label']}</span>{stale}</td>"
        f'<td data-label="Since">{format_date(row["since"].date().isoformat())}</td>'
        f'<td data-label="Last reviewed">{format_date(row["last_update"])}</td>'
        f'<td data-label="Latest event">{event}</td><td data-label="Category">{text["category_label"]}</td>'
        f'<td data-label="Priority">{text["priority_label"]}</td>'
        f'<td data-label="Addressees">{text["addressee_labels"]}</td>'
        f'<td data-label="Latest source">{source}</td></tr>'
    )


def table_rows(rows, prefix: str, colours: dict[str, str]) -> Markup:
    """All recommendations' table rows (`_table_row` of each)."""
    return Markup("\n".join(_table_row(row, prefix, colours) for row in rows))


@dataclass(frozen=True)
class Said:
    """A text of the data as a page in a language shows it: the text (the English, tagged as such, where no
    translation is in force) and the mark that says so, or that the English changed since the translation
    (empty when the text reads as it should). Shown inline as both; a heading shows `text`, then `mark`."""

    text: Markup
    mark: Markup = Markup("")

    def __html__(self) -> str:
        return str(self.text + Markup(" ") + self.mark if self.mark else self.text)


class Reading:
    """One document's data in one language: its texts as tracker/translation.py reads them (`Texts`), its
    settings and vocabularies in the language, the language's words (`language.Words`), and the keys that
    say which pages a change of a translation concerns."""

    def __init__(self, tracker: Tracker, lang: str):
        self.lang, self.english = lang, lang == LANGUAGE
        self._rec_keys: dict[str, str] = {}
        self.words: Words = words(lang)
        self.texts = Texts(tracker, lang, LANGUAGE)
        self.settings = self.texts.settings(tracker.settings)
        self.labels = {name: labels_of(getattr(self.settings, name))
                       for name in ("statuses", "addressees", "categories", "priorities", "source_kinds")}  # fmt: skip
        # The translations every page of the document shows (the settings' and the vocabularies'): part of
        # each page's key; a recommendation's own are `rec_key`.
        shared = [item.model_dump_json() for key, item in sorted(self.texts.in_force.items(), key=str)
                  if key[0] not in ("recommendation", "context_event")]  # fmt: skip
        self.key = "" if self.english else _hash(lang, *shared)
        self.columns = {name: self.t(name) for name in TABLE_COLUMNS}
        self.item, self.items = (self.t(word) for word in item_words(tracker.settings))

    def t(self, message: str, **params) -> str:
        return self.words.t(message, **params)

    def date(self, value: str) -> str:
        return format_date(value) if self.english else self.words.date(value)

    def moment(self, value: datetime) -> str:
        return describe_moment(value) if self.english else self.words.moment(value)

    def rec_key(self, rec_id: str) -> str:
        """What of a recommendation's own translations its page and its row show (hashed: '' when it has none;
        made once per build, as the plan and the table page both ask for it)."""
        if self.english or not self.texts.items("recommendation", rec_id):
            return ""  # nothing of its own translated (`Texts.key` of no translation is empty too)
        if rec_id not in self._rec_keys:
            found = self.texts.key("recommendation", rec_id)
            self._rec_keys[rec_id] = _hash(found) if found else ""
        return self._rec_keys[rec_id]

    def title(self, rec_id: str, english: str) -> str:
        return self.texts.text(("recommendation", rec_id, "title"), english)

    def rec(self, rec: Recommendation) -> Recommendation:
        """The recommendation with its title, assessment and criteria in the language (the quote as it is)."""
        if self.english:
            return rec
        text = self.texts.text
        update = {
            "title": text(("recommendation", rec.id, "title"), rec.title),
            "criteria": text(("recommendation", rec.id, "criteria"), rec.criteria),
            "assessment": rec.assessment.model_copy(
                update={"text": text(("recommendation", rec.id, "assessment"), rec.assessment.text)}
            ),
        }
        return rec.model_copy(update=update)

    def said(self, key: tuple, english: str) -> Said:
        """A text of the data as the page shows it, marked where it is not (or no longer) the translation."""
        shown = self.texts.shown(key, english)
        if shown is None or shown.state == "translated":
            return Said(escape(self.texts.text(key, english)))
        if shown.state == "missing":
            return Said(
                Markup('<span lang="en">{}</span>').format(english),
                Markup('<small class="translation-mark" data-translation="missing">({})</small>').format(
                    self.t("English: not yet translated")
                ),
            )
        return Said(
            escape(shown.translation.text),
            Markup('<small class="translation-mark" data-translation="outdated">({})</small>').format(
                self.t("the English has changed since this translation")
            ),
        )

    def quote_translation(self, rec: Recommendation) -> dict | None:
        """The quote's translation in force, labelled as one and by whom (the project: no person's name reaches
        the site), or None where there is none (the page shows the quote in its original words only)."""
        shown = self.texts.shown(("recommendation", rec.id, "quote"), rec.quote)
        if shown is None or shown.translation is None:
            return None
        item = shown.translation
        if item.reviewed_by:
            label = self.t("Translation by the tracker project, reviewed on {day}", day=self.date(item.reviewed[:10]))
        else:
            label = self.t("Translation by the tracker project, not yet reviewed")
        mark_text = self.t("the English has changed since this translation") if shown.state == "outdated" else ""
        return {"text": item.text, "label": label, "outdated": mark_text}

    def row(self, row: dict) -> dict:
        """A row of the statuses table with its texts in the language."""
        if self.english:
            return row
        labels = self.labels
        return {
            **row,
            "title": self.title(row["id"], row["title"]),
            "status_label": labels["statuses"].get(row["status"], row["status_label"]),
            "category_label": labels["categories"].get(row["category"], row["category_label"]),
            "priority_label": labels["priorities"].get(row["priority"], row["priority_label"]),
            "addressee_labels": self.words.join([labels["addressees"].get(item, item) for item in row["addressees"]]),
        }

    def table_row(self, row: dict, prefix: str, colours: dict[str, str]) -> str:
        """`_table_row` in the language (a title not yet translated tagged as English)."""
        read = self.row(row)
        text = {key: escape(read[key]) for key in TABLE_TEXT}
        if self.texts.shown(("recommendation", row["id"], "title"), row["title"]).state == "missing":
            text["title"] = Markup('<span lang="en">{}</span>').format(row["title"])
        stale = f' <span class="stale">{escape(self.t("stale"))}</span>' if row["stale"] else ""
        event = self.date(row["last_event"]) if isinstance(row["last_event"], str) else "—"
        source = text["last_source_title"] or "—"
        if row["last_source_title"] and is_web_address(row["last_source_url"]):
            source = Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(row["last_source_url"], source)
        label = {name: escape(value) for name, value in self.columns.items()}
        item = escape(self.item.capitalize())
        return (
            f'<tr id="rec-{text["id"]}" data-status="{text["status"]}"><td data-label="{item}">'
            f'<a href="{escape(prefix)}{text["id"]}.html">{text["title"]}</a></td><td data-label="{label["Status"]}">'
            f'<span class="badge"><span class="dot" style="background-color:{escape(colours[row["status"]])}">'
            f"</span>{text['status_label']}</span>{stale}</td>"
            f'<td data-label="{label["Since"]}">{self.date(row["since"].date().isoformat())}</td>'
            f'<td data-label="{label["Last reviewed"]}">{self.date(row["last_update"])}</td>'
            f'<td data-label="{label["Latest event"]}">{event}</td>'
            f'<td data-label="{label["Category"]}">{text["category_label"]}</td>'
            f'<td data-label="{label["Priority"]}">{text["priority_label"]}</td>'
            f'<td data-label="{label["Addressees"]}">{text["addressee_labels"]}</td>'
            f'<td data-label="{label["Latest source"]}">{source}</td></tr>'
        )


def _review_due(row: dict) -> str:
    return (start_of(row["last_update"]) + timedelta(days=int(row["review_interval_days"]))).isoformat()


class Pages:
    """One document's HTML pages in one language, rendered with that language's environment from templates/site/
    (its catalog's words, its dates and numbers) and the data read in it (`Reading`)."""

    def __init__(self, inputs: Inputs, lang: str = LANGUAGE):
        self.inputs, self.lang = inputs, lang
        self.environment = template_environment(lang)
        self.reading = reading = inputs.reading(lang)
        self.t = reading.t
        self.item, self.items = reading.item, reading.items
        self.noun = self.t(DOCUMENT_NOUNS.get(inputs.settings.article.kind, THE_DOCUMENT))

    def path(self, name: str, rec_id: str | None = None) -> str:
        return page_path(name, rec_id, lang=self.lang, document=self.inputs.place.folder)

    def prepare(self, name: str) -> None:
        """Start drawing the charts the page `name` shows (`DRAWN`: what `overview`, `recommendations` and
        `timeline` ask `_figures` for), so that they are drawn while the build renders its other files."""
        frame = self.inputs.frame
        if len(frame):
            names = SUMMARY if name != "timeline" else OVER_TIME if len(frame) <= TIMELINE_LIMIT else OVER_TIME[:1]
            self.inputs.start_figures(names, self.reading)

    def nav(self, here) -> list[tuple[str, str, str]]:
        """The navigation: the document's pages (its items named as it names them), and on a site of several
        documents the pages about all of them, after the overview, in the app's order."""
        items = [(here(self.path(name)), self.t(label, items=self.items), name) for name, _, label in PAGES]
        if self.inputs.place.several:
            items[1:1] = [
                (here(portfolio_path(name, lang=self.lang)), self.t(label), name) for name, _, label in PORTFOLIO_PAGES
            ]
        return items

    def _render(
        self, template: str, path: str, title: str, cited: str | None, dated: datetime | None = None, **context
    ) -> bytes:
        """A page; `dated` is when its content was published (default: the edition's moment)."""
        inputs, options, reading = self.inputs, self.inputs.options, self.reading
        settings = reading.settings
        files = inputs.place.files
        here = lambda target: relative_link(path, target)  # noqa: E731 - a template's helper
        canonical = absolute(options.base_url, path)
        permanent = absolute(options.base_url, f"editions/{cited}/{path}") if cited else ""
        moment = dated or inputs.edition.moment
        page = self.environment.get_template(f"site/{template}").render(
            lang=self.lang,
            fonts=language_fonts(self.lang),
            versions=versions_of(path, options),
            settings=settings,
            article=settings.article,
            as_of=inputs.as_of,
            title=title,
            here=here,
            styles=STYLES,
            more_styles=context.pop("more_styles", ""),
            nav=self.nav(here),
            item=self.item,
            items=self.items,
            noun=self.noun,
            canonical=canonical,
            permanent=permanent,
            editions=absolute(options.base_url, "editions/index.html") if options.keep_edition else "",
            feed_url=here(files + "feed.atom") if options.base_url else "",
            api_url=here(files + "api/v1/recommendations.json") if options.base_url else "",
            cite={
                "author": publisher_of(settings),
                "date": moment.strftime("%Y/%m/%d"),
                "date_text": reading.moment(moment),
                "url": permanent or canonical,
            },
            **context,
        )
        return page.encode("utf-8")

    def _title(self) -> Said:
        english = self.inputs.settings.title
        return self.reading.said(("settings", None, "title"), english)

    def overview(self, path: str, cited: str | None) -> bytes:
        inputs, reading = self.inputs, self.reading
        frame = inputs.frame
        reviewed, event = inputs.latest
        answer = analysis.describe_overview(frame, reading.settings, reviewed, event, reading.words)
        tracker = (
            inputs.tracker if reading.english else inputs.tracker.model_copy(update={"settings": reading.settings})
        )
        # The whole log: `list_latest_changes` takes the few rows it shows, found on its sorting columns alone.
        changes = analysis.list_latest_changes(tracker, inputs.log, inputs.as_of, LATEST_CHANGES, reading.date)
        return self._render(
            "overview.html.j2",
            path,
            reading.settings.title,
            cited,
            description=answer,
            og_type="website",
            answer=answer,
            heading=self._title(),
            **self._numbers(frame),
            list_href=relative_link(path, self.path("recommendations")),
            changes=[
                {
                    **row,
                    "title": reading.title(row["rec_id"], row["title"]),
                    "href": relative_link(path, self.path("recommendation", row["rec_id"])),
                }
                for row in changes.to_dict(orient="records")
            ],  # fmt: skip
            figures=self._figures(SUMMARY) if len(frame) else [],
            stamp=self._stamp(),
            formula=analysis.describe_progress_formula(reading.settings, reading.words),
        )

    def _figures(self, names: tuple[str, ...]) -> list[dict]:
        return self.inputs.figures(names, self.reading)

    def recommendations(self, path: str, cited: str | None) -> bytes:
        inputs, reading = self.inputs, self.reading
        frame = inputs.frame
        since = inputs.as_of - timedelta(days=RECENT_DAYS)
        changes = inputs.changes(since) if len(frame) else None
        rows = inputs.table_in(reading)
        page = self._render(
            "recommendations.html.j2",
            path,
            self.t("All {items}", items=self.items),
            cited,
            description=self.t(
                "The {n} {items} of the tracker, each with its status, as of {day}.",
                n=reading.words.number(len(frame)),
                items=self.items,
                day=reading.date(inputs.as_of.isoformat()),
            ),
            og_type="website",
            rows=Markup(ROWS_HERE) if rows else "",
            **self._numbers(frame),
            stale=int(frame["stale"].sum()) if len(frame) else 0,
            since=since,
            changed=int(changes["changed"].sum()) if changes is not None and not changes.empty else 0,
            figures=self._figures(SUMMARY) if len(frame) else [],
            stamp=self._stamp(),
        )
        # The rows, kept as UTF-8 between builds, put in as bytes (`spliced`), once per language.
        return spliced(page, {ROWS_HERE.encode("utf-8"): rows}) if rows else page

    def recommendation(self, rec: Recommendation, path: str, cited: str | None) -> bytes:
        inputs, reading = self.inputs, self.reading
        settings = reading.settings
        found = inputs.row(rec.id)
        row = reading.row(found) if found else None
        read = reading.rec(rec)
        items = history_of(rec, settings, inputs.as_of, reading.date)
        status = row["status_label"] if row else None
        since = reading.date(row["since"].date().isoformat()) if row else ""
        if row:
            description = self.t("{status} since {since}.", status=status, since=since) + " " + read.assessment.text
        else:
            description = self.t("Not yet tracked as of this edition.")
        links, files = inputs.links, inputs.place.files
        parts, years, linked = self._parts(rec, row), self._years(rec), self._linked(rec, path)
        said = reading.said
        return self._render(
            "recommendation.html.j2",
            path,
            read.title,
            cited,
            # Its own last record, not the edition's: the page stays byte for byte as it was until it changes.
            dated=_last_recorded(rec),
            description=description[:300],
            og_type="article",
            rec=read,
            heading=said(("recommendation", rec.id, "title"), rec.title),
            assessment=said(("recommendation", rec.id, "assessment"), rec.assessment.text),
            criteria=said(("recommendation", rec.id, "criteria"), rec.criteria),
            quote=rec.quote,
            quote_lang="" if reading.english else LANGUAGE,
            quote_translation=reading.quote_translation(rec),
            row=row,
            colour=status_by_id(settings)[row["status"]].colour if row else "",
            since=since,
            review_due=_review_due(row) if row else None,
            last_event=row["last_event"] if row and isinstance(row["last_event"], str) else None,
            quote_source=rec.quote_source.model_dump() if rec.quote_source else None,
            parts=parts,
            parts_rule=self.t(analysis.PARTS_RULE),
            years=years,
            recurrence_rule=self.t(analysis.RECURRENCE_RULE),
            linked=linked,
            more_styles=MORE_STYLES if parts or years or linked or rec.quote_kind == "paraphrase" else "",
            history=items,
            edits=[
                {
                    "field": self.t(FIELD_WORDS.get(change.field, change.field.replace("_", " "))),
                    "day": change.recorded[:10],
                }
                for change in reversed(rec.metadata_changes)
            ],  # fmt: skip
            rec_feed=relative_link(path, f"{files}feed/{rec.id}.atom") if inputs.options.base_url else "",
            rec_badge=relative_link(path, f"{files}badge/{rec.id}.svg"),
            snippets=badge.embed_snippets(links, rec.id, rec.title) if inputs.options.base_url else None,
        )

    def _parts(self, rec: Recommendation, row: dict | None) -> list[dict]:
        """What each addressee did (`analysis.list_parts`, in the row), when the history records an addressee's
        own part: its status, and whether it is its own or the item's overall one."""
        if not row or not any(update.part for update in rec.updates):
            return []
        settings = self.reading.settings
        labels, statuses = labels_of(settings.addressees), status_by_id(settings)
        own = {update.part for update in rec.updates if update.part}
        return [
            {"label": labels.get(addressee, addressee), "status": statuses[status].label,
             "colour": statuses[status].colour, "own": addressee in own}
            for addressee, status in row["addressee_statuses"].items()
        ]  # fmt: skip

    def _years(self, rec: Recommendation) -> list[dict]:
        """A commitment made for every year: each year, met, not met or not known, on what evidence."""
        kinds = self.reading.labels["source_kinds"]
        return [
            {"year": period.period, "word": self.t(YEAR_WORDS[period.met]), "met": period.met, "note": period.note,
             "sources": _sources(period.sources, kinds)}
            for period in sorted(rec.periods, key=lambda period: period.period)
        ]  # fmt: skip

    def _linked(self, rec: Recommendation, path: str) -> list[dict]:
        portfolio = self.inputs.portfolio
        if portfolio is None:
            return []
        found = []
        for row in portfolio.linked_in(self.inputs.part.id, rec.id, self.lang):
            folder = portfolio.places[row["document"]].folder
            target = page_path("recommendation", row["id"], lang=self.lang, document=folder)
            found.append({**row, "words": self.t(RELATION_WORDS[row["relation"], row["direction"]]),
                          "href": relative_link(path, target)})  # fmt: skip
        return found

    def timeline(self, path: str, cited: str | None) -> bytes:
        inputs, reading = self.inputs, self.reading
        frame = inputs.frame
        names = OVER_TIME if len(frame) <= TIMELINE_LIMIT else OVER_TIME[:1]
        events = []
        by_id = {event.id: event for event in inputs.tracker.context_events}
        kinds = reading.labels["source_kinds"]
        event_kinds = labels_of(reading.settings.event_kinds)
        for row in inputs.events.to_dict(orient="records"):
            event = by_id[row["id"]]
            sources = [{**source.model_dump(), "kind_label": kinds.get(source.kind, source.kind)}
                       for source in event.sources]  # fmt: skip
            events.append({**row, "sources": sources, "title": reading.said(("context_event", event.id, "title"),
                           event.title), "date_label": reading.date(event.date),
                           "kind_label": event_kinds.get(event.kind, row["kind_label"])})  # fmt: skip
        return self._render(
            "timeline.html.j2",
            path,
            self.t("Timeline"),
            cited,
            description=inputs.sentences_in(reading)["status_over_time"]
            if len(frame)
            else self.t("No {item} yet.", item=self.item),
            og_type="website",
            figures=self._figures(names) if len(frame) else [],
            drawn_all=len(names) == len(OVER_TIME),
            limit=TIMELINE_LIMIT,
            count=len(frame),
            events=events,
            stamp=self._stamp(),
        )

    def methodology(self, path: str, cited: str | None) -> bytes:
        reading = self.reading
        settings = reading.settings
        english = self.inputs.settings
        said = reading.said(("settings", None, "methodology"), english.methodology)
        paragraphs = [part for part in settings.methodology.split("\n\n") if part.strip()]
        if said.mark and reading.texts.shown(("settings", None, "methodology"), english.methodology).state == "missing":
            paragraphs = [Markup('<span lang="en">{}</span>').format(part) for part in paragraphs]
        return self._render(
            "methodology.html.j2",
            path,
            self.t("Methodology"),
            cited,
            description=self.t("How the tracker decides each status, computes its score and chooses its sources."),
            og_type="website",
            methodology=paragraphs,
            methodology_mark=said.mark,
            statuses=list(status_by_id(settings).values()),
            formula=analysis.describe_progress_formula(settings, reading.words),
            source_kinds=settings.source_kinds,
            # The rules for what one addressee did and for yearly commitments, where the data records either.
            parts_rule=self.t(analysis.PARTS_RULE) if self.inputs.rules[0] else "",
            recurrence_rule=self.t(analysis.RECURRENCE_RULE) if self.inputs.rules[1] else "",
        )

    def _numbers(self, frame: pd.DataFrame) -> dict:
        settings = self.reading.settings
        return {
            "counts": self.inputs.counts(settings).to_dict(orient="records"),
            "score": self.inputs.score,
            "total": len(frame),
        }

    def _stamp(self) -> dict:
        edition = self.inputs.edition
        return {
            "moment": self.reading.moment(edition.moment),
            "fingerprint": edition.fingerprint,
            "short": edition.fingerprint[:FINGERPRINT_SHOWN],
        }


class PortfolioPages:
    """The pages about every document of a site of several, in one language: All documents and By addressee."""

    def __init__(self, portfolio: Portfolio, lang: str = LANGUAGE):
        self.portfolio, self.lang = portfolio, lang
        self.environment = template_environment(lang)
        self.words = words(lang)
        self.t = self.words.t

    def reading(self, doc_id: str) -> Reading:
        return self.portfolio.reading(doc_id, self.lang)

    def _render(self, template: str, path: str, title: str, current: str, description: str, **context) -> bytes:
        options = self.portfolio.options
        here = lambda target: relative_link(path, target)  # noqa: E731 - a template's helper
        edition = self.portfolio.edition
        nav = [(here(portfolio_path(name, lang=self.lang)), self.t(label), name) for name, _, label in PORTFOLIO_PAGES]
        moment = describe_moment(edition.moment) if self.lang == LANGUAGE else self.words.moment(edition.moment)
        page = self.environment.get_template(f"site/{template}").render(
            lang=self.lang,
            fonts=language_fonts(self.lang),
            versions=versions_of(path, options),
            site_name=self.t(SITE_NAME),
            title=title,
            description=description,
            styles=STYLES,
            more_styles=MORE_STYLES,
            nav=nav,
            current=current,
            canonical=absolute(options.base_url, path),
            stamp={
                "moment": moment,
                "fingerprint": edition.fingerprint,
                "short": edition.fingerprint[:FINGERPRINT_SHOWN],
            },  # fmt: skip
            **context,
        )
        return page.encode("utf-8")

    def _document(self, doc_id: str, path: str) -> dict:
        place = self.portfolio.places[doc_id]
        return {"id": doc_id, "href": relative_link(path, page_path("index", lang=self.lang, document=place.folder)),
                "as_of": self.portfolio.days[doc_id]}  # fmt: skip

    def _counts(self, doc_id: str, counts: pd.DataFrame) -> list[dict]:
        labels = self.reading(doc_id).labels["statuses"]
        return [{**row, "label": labels.get(row["status"], row["label"])} for row in counts.to_dict(orient="records")]

    def documents(self, path: str, cited: str | None) -> bytes:
        portfolio = self.portfolio
        documents = []
        for doc_id, summary in portfolio.summaries.items():
            reading = self.reading(doc_id)
            documents.append(
                {
                    **self._document(doc_id, path),
                    **summary,
                    "title": reading.settings.title,
                    "kind_label": self.t(collection.KIND_WORDS.get(summary["kind"], mark("Document"))),
                    "item_word": reading.items,
                    "counts": self._counts(doc_id, summary["counts"]),
                }
            )
        return self._render(
            "documents.html.j2",
            path,
            self.t("All documents"),
            "documents",
            self.t(
                "The {n} documents this tracker follows, and where each one's items stand.",
                n=self.words.number(len(documents)),
            ),
            documents=documents,
        )

    def _label(self, addressee: str, english: str) -> str:
        for doc_id, tracker in self.portfolio.trackers.items():
            if any(term.id == addressee for term in tracker.settings.addressees):
                return self.reading(doc_id).labels["addressees"].get(addressee, english)
        return english

    def addressees(self, path: str, cited: str | None) -> bytes:
        portfolio = self.portfolio
        listed = []
        for addressee, label in portfolio.addressees.items():
            asked = portfolio.asked[addressee]
            listed.append(
                {
                    "href": relative_link(path, portfolio_path("addressees", lang=self.lang, addressee=addressee)),
                    "label": self._label(addressee, label),
                    "items": sum(len(rows) for _, rows in asked),
                    "documents": len(asked),
                }
            )
        return self._render(
            "addressees.html.j2",
            path,
            self.t("By addressee"),
            "addressees",
            self.t("Everything the documents ask of each government or body, and what it did."),
            addressees=listed,
        )

    def addressee(self, addressee: str, path: str, cited: str | None) -> bytes:
        portfolio = self.portfolio
        label = self._label(addressee, portfolio.addressees[addressee])
        sections = []
        for doc_id, rows in portfolio.asked[addressee]:
            tracker = portfolio.trackers[doc_id]
            reading = self.reading(doc_id)
            folder = portfolio.places[doc_id].folder
            items = [
                {
                    **row,
                    "title": reading.title(row["id"], row["title"]),
                    "status_label": reading.labels["statuses"].get(row["status"], row["status_label"]),
                    "href": relative_link(
                        path, page_path("recommendation", row["id"], lang=self.lang, document=folder)
                    ),
                }  # fmt: skip
                for row in rows.to_dict(orient="records")
            ]
            sections.append(
                {
                    **self._document(doc_id, path),
                    "title": reading.settings.title,
                    "item_words": (reading.item, reading.items),
                    "counts": self._counts(doc_id, analysis.count_by_status(rows, tracker.settings)),
                    "items": items,
                }
            )
        total = sum(len(section["items"]) for section in sections)
        return self._render(
            "addressee.html.j2",
            path,
            label,
            "",
            self.t(
                "{total} items of {n} documents are addressed to {label}, each with what {label} did.",
                total=self.words.number(total),
                n=self.words.number(len(sections)),
                label=label,
            ),
            label=label,
            total=total,
            sections=sections,
            parts_rule=self.t(analysis.PARTS_RULE),
        )


def _last_recorded(rec: Recommendation) -> datetime:
    stamp = max([u.recorded for u in rec.updates] + [c.recorded for c in rec.metadata_changes])
    return datetime.fromisoformat(stamp[:-1]).replace(tzinfo=timezone.utc)


def publisher_of(settings) -> str:
    """Who the site's pages are credited to (as the feeds credit them): the article's publisher, else the
    tracker's title."""
    return settings.article.publisher or settings.title


def _styles(*names: str) -> str:
    loader = template_environment().loader
    return "".join(loader.get_source(template_environment(), name)[0] for name in names)


# Inline in every page: one request per page, as fast as a bare page to open (docs/benchmarks.md), and
# nothing to go stale in a reader's cache.
STYLES = Markup(_styles("base.css", "site/site.css"))
# Inline in the pages that show what only some do (a paraphrase, parts, years, links, the pages about every
# document): every other page stays byte for byte as it was before they existed.
MORE_STYLES = Markup(_styles("site/items.css"))


def _json(payload: dict) -> bytes:
    return api.to_json(payload) + b"\n"


def _root(title: str, target: str, lang: str) -> bytes:
    page = template_environment(lang).get_template("site/root.html.j2").render(lang=lang, title=title, target=target)
    return page.encode("utf-8")


def _not_found(title: str, home: str, home_label: str, lang: str) -> bytes:
    # Served for any missing address, at any depth: its styles are inline, its link absolute when the site has
    # an address.
    page = (
        template_environment(lang)
        .get_template("site/404.html.j2")
        .render(lang=lang, title=title, home=home, home_label=home_label, styles=STYLES)
    )
    return page.encode("utf-8")


def plan_site(
    parts: list[Part], edition: Edition, options: Options, planned: Callable[[Output], None] = lambda output: None
) -> list[Output | Group]:
    """Every file of the site, for its documents (each already as published at its edition's moment; one, for
    a lone tracker). Every output carries a key made of its inputs, so a build can tell which it need not
    render again (`edition.json` excepted: it is rendered every time, and its bytes compared before writing).
    `planned` is told of each page that shows charts as soon as it is planned (the build starts drawing them
    then, before the rest is planned)."""
    several = len(parts) > 1
    portfolio = Portfolio(parts, edition, options) if several else None
    documents = [Inputs(part, options, portfolio) for part in parts]
    first, lang = documents[0], options.languages[0]
    front = page_path("index", lang=lang, document=first.place.folder)
    site_key = portfolio.key if portfolio else first.data_key
    if portfolio:
        title, home, home_label = SITE_NAME, portfolio_path("documents", lang=lang), "the list of its documents"
    else:
        title, home, home_label = first.settings.title, front, "its overview"
    outputs = [
        Output("index.html", _hash(first.settings_key, "root", title, front), lambda cited: _root(title, front, lang)),
        Output(
            "404.html",
            _hash(first.settings_key, "404", title, home),
            lambda cited: _not_found(title, absolute(options.base_url, home) or home, home_label, lang),
        ),
    ]
    for inputs in documents:
        outputs += plan_document(inputs, planned)
    if portfolio:
        outputs += plan_portfolio(portfolio, documents)
    outputs.append(Output("edition.json", None, lambda cited: _edition_json(edition, documents, options)))
    if options.base_url:
        outputs.append(Output("sitemap.xml", site_key, lambda cited: _sitemap(documents, portfolio)))
    return outputs


def plan_document(inputs: Inputs, planned: Callable[[Output], None] = lambda output: None) -> list[Output | Group]:
    """One document's files: its pages in every language (and at their second address, for the first of
    several documents), its badges, and with an address its feeds and API files. Each recommendation's own
    files (its page in each language, its badge and its feed) are planned as one `Group`."""
    tracker, options, place = inputs.tracker, inputs.options, inputs.place
    day = inputs.as_of.isoformat()
    outputs: list[Output | Group] = []
    everything = {lang: Pages(inputs, lang) for lang in options.languages}
    drawn: list[tuple[str, Output]] = []  # the pages that show charts, told to `planned` once all are planned
    for lang, pages in everything.items():
        mine = []
        # The pages that show every recommendation carry the edition's moment: made again when the document's
        # data or moment changes, left as they are otherwise.
        for name, render in (
            ("index", pages.overview),
            ("recommendations", pages.recommendations),
            ("timeline", pages.timeline),
            ("methodology", pages.methodology),
        ):
            path = pages.path(name)
            # A page that shows charts also depends on the fonts they are drawn with (`chart_key`).
            key = f"{inputs.data_key}|{lang}|{name}" + (f"|{fonts_key()}" if name in DRAWN else "")
            if name in DRAWN:  # rendered while its charts are drawn, finished once they are (`Held`)
                made = lambda cited, path=path, render=render, lang=lang: inputs.hold(  # noqa: E731
                    lang, partial(render, path, cited)
                )
            else:
                made = lambda cited, path=path, render=render: render(path, cited)  # noqa: E731
            mine.append(Output(path, key, made, prepare=partial(pages.prepare, name) if name in DRAWN else None))
            drawn.append((name, mine[-1]))
        outputs += mine + _aliases(place, lang, mine)
    # The timelines' charts first, in every language: each chart over time takes four times a summary chart's
    # drawing (at 10,000 recommendations), so the drawing process begins with them, and the summaries are last
    # in the queue, where the build draws what is left of it itself (`draw_queued_here`, the last first): its
    # share at the end, and the drawing it may wait for there, are then short ones.
    for _, output in sorted(drawn, key=lambda item: item[0] != "timeline"):
        planned(output)
    # What a recommendation's own files are made of besides the document's settings and languages (`context`):
    # its data (its content key), which of its updates are dated by the day shown, what its page shows of its
    # row of the statuses table, its own translations and the items linked to it in each language, and its
    # badge's status. Found for each recommendation at every build (cheap); its outputs and their keys are made
    # only when these changed since the build this process made last (`_build_site`).
    keys, portfolio, readings = inputs.part.keys, inputs.portfolio, [pages.reading for pages in everything.values()]
    heads = tuple(f"{inputs.settings_key}|{lang}|{pages.reading.key}" for lang, pages in everything.items())
    context = (inputs.settings_key, options.key, place, heads, inputs.part.id)
    for rec, facts in zip(tracker.recommendations, facts_in(tracker), strict=True):
        rec_id = rec.id
        linked = tuple(portfolio.linked_key(inputs.part.id, rec_id, lang) for lang in everything) if portfolio else ()
        made_of = (
            keys[rec_id],
            facts.dated_by(day),
            inputs.shown(rec_id),
            tuple(reading.rec_key(rec_id) for reading in readings),
            linked,
            inputs.badge_status(rec),
        )
        outputs.append(Group(f"{inputs.part.id}/{rec_id}", context, made_of,
                             partial(_rec_outputs, inputs, everything, rec, heads, made_of)))  # fmt: skip
    progress = Output(f"{place.files}badge/progress.svg", f"{inputs.data_key}|progress", lambda cited: _progress_badge(
        inputs))  # fmt: skip
    outputs.append(progress)
    if options.base_url:
        outputs += _feeds_and_api(inputs)
    return outputs


def _aliases(place: Place, lang: str, mine: list[Output]) -> list[Output]:
    """The first document's pages at their old addresses too: the same files (relative links resolve alike at
    the same depth; their canonical address is the new one)."""
    if not place.alias:
        return []
    prefix, alias = f"{lang}/{place.folder}/", f"{lang}/{place.alias}/"
    return [Output(alias + out.path.removeprefix(prefix), out.key, None, same_as=out.path) for out in mine]


def _rec_outputs(
    inputs: Inputs, everything: dict[str, Pages], rec: Recommendation, heads: tuple[str, ...], made_of: tuple
) -> list[Output]:
    """A recommendation's own files (`plan_document`'s `Group`): its page in each language (and at its second
    address), its badge and, with an address, its feed. What its page shows depends on its own data only (and on
    which of its updates are dated by the day shown, on what it shows of its row and of the items linked to it),
    never on the day itself: dates, not day counts, so a new day leaves it as it was. Keys joined, not hashed
    again."""
    tracker, place, settings_key = inputs.tracker, inputs.place, inputs.settings_key
    content, dated, shown, rec_keys, linked, status = made_of
    outputs = []
    for n, (lang, pages) in enumerate(everything.items()):
        key = f"{heads[n]}|{rec_keys[n]}|{content}|{dated}|{shown}|{linked[n] if linked else ''}|page"
        path = pages.path("recommendation", rec.id)
        mine = [Output(path, key, lambda cited, path=path, pages=pages: pages.recommendation(rec, path, cited))]
        outputs += mine + _aliases(place, lang, mine)
    files = place.files
    if status:
        outputs.append(
            Output(
                f"{files}badge/{rec.id}.svg",
                f"{settings_key}|{content}|{status}|badge",
                lambda cited: badge.status_badge(tracker.settings, rec.title, status),
            )
        )
    if inputs.options.base_url:
        outputs.append(Output(f"{files}feed/{rec.id}.atom", f"{settings_key}|{content}|feed",
                              partial(_rec_feed, inputs, rec)))  # fmt: skip
    return outputs


def plan_portfolio(portfolio: Portfolio, documents: list[Inputs]) -> list[Output]:
    """The pages about every document, in every language, and `api/v1/documents.json`."""
    outputs = []
    key = portfolio.key
    for lang in portfolio.options.languages:
        pages = PortfolioPages(portfolio, lang)
        for name, render in (("documents", pages.documents), ("addressees", pages.addressees)):
            path = portfolio_path(name, lang=lang)
            outputs.append(Output(path, f"{key}|{lang}|{name}",
                                  lambda cited, path=path, render=render: render(path, cited)))  # fmt: skip
        for addressee in portfolio.addressees:
            path = portfolio_path("addressees", lang=lang, addressee=addressee)
            outputs.append(
                Output(path, f"{key}|{lang}|addressee|{addressee}", partial(pages.addressee, addressee, path))
            )
    if portfolio.options.base_url:
        render = partial(_documents_json, portfolio, documents)
        outputs.append(Output("api/v1/documents.json", f"{key}|documents", lambda cited: render()))
    return outputs


def _documents_json(portfolio: Portfolio, documents: list[Inputs]) -> bytes:
    """The app's `api/v1/documents.json` (`api.documents_payload`), each document as of its own day and with
    the site's addresses of its pages, feed and data."""
    found = []
    for inputs in documents:
        doc_id = inputs.part.id
        item = api.documents_payload([(doc_id, inputs.tracker)], as_of=inputs.as_of, base_url="")["documents"][0]
        links = inputs.links
        state = absolute(links.base_url, f"{inputs.place.files}api/v1/recommendations.json")
        item["links"] = {"page": links.page(), "feed": links.feed(), "api": state}
        found.append({**item, "as_of": inputs.as_of.isoformat(), "published": inputs.edition.stamp})
    edition = portfolio.edition
    return _json({"api_version": api.API_VERSION, "as_of": edition.as_of.isoformat(), "published": edition.stamp,
                  "documents": found})  # fmt: skip


def _progress_badge(inputs: Inputs) -> bytes:
    frame = inputs.frame
    return badge.progress_badge(inputs.settings, inputs.score, len(frame))


def _edition_json(edition: Edition, documents: list[Inputs], options: Options) -> bytes:
    about = {
        "edition": edition.stamp,
        "id": edition.id,
        "as_of": edition.as_of.isoformat(),
        "fingerprint": edition.fingerprint,
        "recommendations": sum(len(inputs.tracker.recommendations) for inputs in documents),
        "kept": edition.kept,
        "address": absolute(options.base_url, f"editions/{edition.id}/") if edition.kept else None,
    }
    if len(documents) > 1:
        about["documents"] = [
            {"id": inputs.part.id, "edition": inputs.edition.stamp, "as_of": inputs.as_of.isoformat(),
             "fingerprint": inputs.edition.fingerprint, "recommendations": len(inputs.tracker.recommendations),
             "path": page_path("index", lang=options.languages[0], document=inputs.place.folder)}
            for inputs in documents
        ]  # fmt: skip
    return json.dumps(about, indent=2).encode("utf-8") + b"\n"


def portfolio_edition(parts: list[Part], now: datetime | None, keep: bool) -> Edition:
    """A site of several documents' edition: the newest of theirs (or `now`), its fingerprint made of each
    document's id and fingerprint in order."""
    moment = now or max(part.edition.moment for part in parts)
    lines = "".join(f"{part.id} {part.edition.fingerprint}\n" for part in parts)
    return Edition(moment=moment, fingerprint=hashlib.sha256(lines.encode("utf-8")).hexdigest(), kept=keep)


# One entry of the event log: (its place in the log's order: record time, day as an ordinal, ...; its
# recommendation's id or None for a context event; its JSON as the API serves it). See `log_entries`.
Entry = tuple[tuple, str | None, bytes]


def records_of(tracker: Tracker, recs: list[Recommendation], context: bool, document: str = "") -> list[Record]:
    """`list_records` of some recommendations (and the context events or not), in the log's order; `document`
    names a document other than the first, as in the app (its records' permanent ids carry it)."""
    events = tracker.context_events if context else []
    return list_records(tracker.model_copy(update={"recommendations": recs, "context_events": events}), document)


def log_entries(
    tracker: Tracker, links: Links, settings_key: str, keys: dict[str, str], cache: dict, document: str = ""
) -> tuple[list[Entry], dict, int]:
    """Everything recorded, newest first, as the API's event log lists it (`list_records`, `record_payload`),
    with each recommendation's entries taken from `cache` when its data and the settings are unchanged: a
    rebuild after one update makes that recommendation's entries only. `keys` are the recommendations' content
    keys by id, in their order (`recommendation_keys`). Returns the entries, the cache of the recommendations
    the tracker now holds, and a day (as an ordinal) no entry is dated after.

    The order is `list_records`': record time, then date, then place in the file (context events first, then
    each recommendation's records in its own order), newest first; tests/test_site.py compares them."""
    settings, recs = tracker.settings, tracker.recommendations

    def made_of(rec: Recommendation) -> list:
        key = f"{settings_key}|{keys[rec.id]}"
        mine = cache.get(key)
        if mine is None:
            mine = [
                (
                    # Days as ordinals: a large log keeps 100,000 of these, pickled between builds.
                    (record.updated, start_of(record.date).toordinal(), -rank),
                    api.to_json(api.record_payload(record, settings, links)),
                )
                for rank, record in enumerate(records_of(tracker, [rec], context=False, document=document))
            ]
        return mine

    places = {event.id: index for index, event in enumerate(tracker.context_events)}
    context = []
    for record in records_of(tracker, [], context=True, document=document):
        place = (record.updated, start_of(record.date).toordinal(), 0, places[record.event_id], 0)
        context.append((place, None, api.to_json(api.record_payload(record, settings, links))))
    # The log this process made last, when it was made with the same settings and links from the same
    # recommendations in the same places and the same context events: its entries of the recommendations
    # unchanged stay, in their order, the changed ones' are taken out and the new ones put in, each found by
    # its place (unique, so the order is the one a full sort gives). At 10,000 recommendations the log holds
    # 100,000 entries: nothing here walks them.
    made, ids = (settings_key, document, links, settings), list(keys)
    before = _LOG if _LOG.get("made") == made and _LOG["ids"] == ids and _LOG["context"] == context else None
    patched = _patch_log(before, recs, keys, settings_key, made_of) if before is not None else None
    if patched is not None:
        entries, kept, latest = patched
    else:
        entries, kept = list(context), {}
        for index, rec in enumerate(recs):
            mine = kept[f"{settings_key}|{keys[rec.id]}"] = made_of(rec)
            entries += [((updated, start, 1, index, rank), rec.id, payload) for (updated, start, rank), payload in mine]
        entries.sort(key=lambda entry: entry[0], reverse=True)
        latest = max(map(itemgetter(1), map(itemgetter(0), entries)), default=0)
    _LOG.clear()
    _LOG.update(made=made, ids=ids, keys=dict(keys), context=context, entries=entries, kept=kept, latest=latest)
    return list(entries), dict(kept), latest


_LOG: dict = {}  # the event log `log_entries` made last in this process, with what it was made of


def _patch_log(
    before: dict, recs: list[Recommendation], keys: dict[str, str], settings_key: str, made_of: Callable
) -> tuple[list[Entry], dict, int] | None:
    """`log_entries`' log from the one it made last (`before`): the changed recommendations' entries taken
    out and their new ones put in, each found by its place. None if an entry is not where it should be (the log
    is then made whole)."""
    entries, kept, latest, old = list(before["entries"]), dict(before["kept"]), before["latest"], before["keys"]
    # The changed ones found as a set difference (10,000 recommendations): no loop in Python when none is.
    changed = {rec_id for rec_id, _ in keys.items() - old.items()}
    for index, rec in enumerate(recs) if changed else ():
        if rec.id not in changed:
            continue
        for (updated, start, rank), _ in kept.pop(f"{settings_key}|{old[rec.id]}"):
            at, place = _place_newest_first(entries, (updated, start, 1, index, rank))
            if not (at < len(entries) and entries[at][0] == place):
                return None
            del entries[at]
        mine = kept[f"{settings_key}|{keys[rec.id]}"] = made_of(rec)
        for (updated, start, rank), payload in mine:
            at, place = _place_newest_first(entries, (updated, start, 1, index, rank))
            entries.insert(at, (place, rec.id, payload))
            latest = max(latest, start)
    return entries, kept, latest


def _place_newest_first(entries: list[Entry], place: tuple) -> tuple[int, tuple]:
    """Where a place is, or belongs, in a log sorted by place, newest (largest) first (places are unique), and
    the place."""
    low, high = 0, len(entries)
    while low < high:
        middle = (low + high) // 2
        if entries[middle][0] > place:
            low = middle + 1
        else:
            high = middle
    return low, place


def _events_page(inputs: Inputs, number: int) -> bytes:
    """Page `number` of the event log: `api.events_payload`'s answer (tests/test_site.py compares the bytes),
    its entries joined from their JSON."""
    entries = inputs.logged
    size = api.EVENTS_PER_PAGE
    query = api.Query(view=inputs.view, published=inputs.edition.moment, limit=size, offset=(number - 1) * size)
    head = api.events_payload(inputs.tracker, query, inputs.links, matching=[])
    shown = entries[query.offset : query.offset + size]
    following = query.offset + size
    head.update(
        total=len(entries),
        count=len(shown),
        next=inputs.links.events_page(query.params, following) if following < len(entries) else None,
        events="\x00",
    )
    return _with_array(api.to_json(head), b"events", map(itemgetter(2), shown))


def _with_array(head: bytes, field: bytes, items: Iterable[bytes]) -> bytes:
    """An API answer's JSON: `head`, whose `field` holds "\\u0000", with that field the array of `items` (each
    an item's JSON), and a newline; joined once (the event log's 101 files and the list of 10,000
    recommendations are 160 MB at 10,000 recommendations; each copy of them costs)."""
    before, _, after = head.partition(b'"%s":"\\u0000"' % field)
    return b"".join((before, b'"%s":[' % field, b",".join(items), b"]", after, b"\n"))


def _state(inputs: Inputs) -> bytes:
    """`api/v1/recommendations.json`: `api.recommendations_payload`'s answer (tests/test_site.py compares
    them), its items joined from each recommendation's JSON kept between builds."""
    # The tracker here is already as published at the edition's moment: asked without `published`, the payload
    # is made from the statuses already made (none, for its head), then says which moment it is.
    frame, settings = inputs.frame, inputs.settings
    head = api.recommendations_payload(inputs.tracker, api.Query(view=inputs.view), inputs.links,
                                       statuses=frame.iloc[:0])  # fmt: skip
    counts = inputs.counts(settings)
    head["progress"].update(
        score=inputs.score,
        recommendations=len(frame),
        by_status=[{"status": row.status, "label": row.label, "count": int(row.count)} for row in counts.itertuples()],
    )
    head.update(published=inputs.edition.stamp, recommendations="\x00")
    items = map(itemgetter(3), inputs.recs.values())
    return _with_array(api.to_json(head), b"recommendations", items)


def _feed_id(document: str) -> str:
    """The app's feed ids: a document other than the first names itself in them."""
    return f"doc/{document}/feed" if document else "feed"


def _rec_feed(inputs: Inputs, rec: Recommendation, cited: str | None) -> bytes:
    tracker, links, settings, document = inputs.tracker, inputs.links, inputs.settings, inputs.place.document
    return feed.build_feed(
        tracker, records_of(tracker, [rec], context=False, document=document)[: feed.PAGE_SIZE],
        base_url=links, feed_url=links.feed(rec.id), title=f"{rec.title} ({settings.title})",
        feed_key=f"{_feed_id(document)}/rec/{rec.id}", alternate=links.page(rec.id),
    )  # fmt: skip


def _feeds_and_api(inputs: Inputs) -> list[Output]:
    """The document's feed, `api/v1/recommendations.json` and the event log's files (each recommendation's
    own feed is in its `Group`)."""
    tracker, links, settings = inputs.tracker, inputs.links, inputs.settings
    files, document = inputs.place.files, inputs.place.document
    feed_id = _feed_id(document)

    def tracker_feed(cited):
        # The newest entries' recommendations are enough to make the feed's records, in the same order.
        owners = {rec_id for _, rec_id, _ in inputs.entries[: feed.PAGE_SIZE] if rec_id}
        recs = [rec for rec in tracker.recommendations if rec.id in owners]
        return feed.build_feed(
            tracker, records_of(tracker, recs, context=True, document=document)[: feed.PAGE_SIZE], base_url=links,
            feed_url=links.feed(), title=settings.title, feed_key=feed_id, alternate=links.page(),
        )  # fmt: skip

    outputs = [Output(f"{files}feed.atom", f"{inputs.data_key}|feed", tracker_feed)]
    outputs.append(Output(f"{files}api/v1/recommendations.json", f"{inputs.data_key}|state", lambda cited: _state(
        inputs)))  # fmt: skip
    # The event log as the API pages it, each page's `next` the following file.
    for number in range(1, inputs.event_pages + 1):
        outputs.append(Output(f"{files}{events_path(number)}", f"{inputs.data_key}|events|{number}",
                              lambda cited, n=number: _events_page(inputs, n)))  # fmt: skip
    return outputs


def _sitemap(documents: list[Inputs], portfolio: Portfolio | None) -> bytes:
    """Every reader's page (at its own address) in every language, with the day its content last changed where
    that is known, and, on a site of several languages, its versions in each (`xhtml:link hreflang`, the first
    language also as x-default). Written as text: a large tracker's sitemap has tens of thousands of entries."""
    options = documents[0].options
    several = len(options.languages) > 1
    entries = []
    known_blocks, blocks = _SITEMAP.get("blocks", {}), {}
    for lang in options.languages:
        for inputs in documents:
            where = {"lang": lang, "document": inputs.place.folder}
            day = inputs.as_of.isoformat()
            entries += [(page_path(name, **where), day) for name, _, _ in PAGES]
            slot = (lang, inputs.place.folder)
            blocks[slot] = _rec_entries(inputs, lang, known_blocks.get(slot))
            entries += blocks[slot][-1]
        if portfolio:
            day = portfolio.edition.as_of.isoformat()
            entries += [(portfolio_path(name, lang=lang), day) for name, _, _ in PORTFOLIO_PAGES]
            entries += [(portfolio_path("addressees", lang=lang, addressee=item), day) for item in portfolio.addressees]
    out = [b'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"']
    out.append(b' xmlns:xhtml="http://www.w3.org/1999/xhtml">' if several else b">")
    base = options.base_url

    def address(path: str) -> str:
        # Escaped piecewise: the base once, then a path that `absolute` leaves as it is needs no escaping.
        return root + path if _UNQUOTED.fullmatch(path) else xml_escape(absolute(base, path))

    root = xml_escape(absolute(base, ""))
    codes = [
        (code, options.languages[0] if code == "x-default" else code) for code in (*options.languages, "x-default")
    ]

    def entry(path: str, lastmod: str) -> str:
        text = f"<url><loc>{address(path)}</loc><lastmod>{lastmod}</lastmod>"
        if several:
            rest = path[path.index("/") :]
            text += "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" href="{address(lang + rest)}" />'
                for code, lang in codes
            )
        return text + "</url>"

    # The entries are written in runs of `SITEMAP_RUN`, each run's text kept in the process with its entries
    # (`_SITEMAP`): a rebuild after one update writes again the runs that hold its entries (one per language),
    # the others found equal as lists (compared at once, not entry by entry) and joined as they were.
    setting = (base, options.languages)
    known = _SITEMAP["runs"] if _SITEMAP.get("setting") == setting else []
    runs = []
    for start in range(0, len(entries), SITEMAP_RUN):
        run = entries[start : start + SITEMAP_RUN]
        found = known[len(runs)] if len(runs) < len(known) else None
        if found is None or found[0] != run:
            found = (run, "".join(entry(path, lastmod) for path, lastmod in run).encode("utf-8"))
        runs.append(found)
        out.append(found[1])
    out.append(b"</urlset>\n")
    _SITEMAP.update(setting=setting, runs=runs, blocks=blocks)
    return b"".join(out)  # as UTF-8: each run encoded once, when written


def _rec_entries(inputs: Inputs, lang: str, before: tuple | None) -> tuple:
    """A document's recommendations' sitemap entries in a language (each page's path and the day its content
    last changed: its newest record or its translations' in force, as recorded), with what they were made
    of: (ids, newest record times, translations' newest, entries). From `before` (the last build's) where
    the same recommendations are in the same order: only the entries whose times changed are made again
    (found as dict differences, without a loop in Python over 10,000 recommendations)."""
    where = {"lang": lang, "document": inputs.place.folder}
    newest, own = inputs.newest, {}
    for (target, item_id, _), item in inputs.reading(lang).texts.in_force.items():
        if target == "recommendation":  # most have none
            own[item_id] = max(own.get(item_id, ""), item.recorded)
    ids = list(newest)

    def entry(rec_id: str) -> tuple[str, str]:
        return page_path("recommendation", rec_id, **where), max(newest[rec_id], own.get(rec_id, ""))[:10]

    if before is None or before[0] != ids:
        return ids, newest, own, [entry(rec_id) for rec_id in ids]
    entries, changed = list(before[3]), newest.items() - before[1].items()
    if changed or own != before[2]:
        at = {rec_id: n for n, rec_id in enumerate(ids)}
        for rec_id in {rec_id for rec_id, _ in changed | (own.items() ^ before[2].items())}:
            entries[at[rec_id]] = entry(rec_id)
    return ids, newest, own, entries


SITEMAP_RUN = 250  # sitemap entries written and kept together (`_sitemap`)
# The sitemap's runs of entries of the last build, with their text, and each document's recommendations'
# entries in each language: {"setting", "runs", "blocks"}.
_SITEMAP: dict = {}


def _editions_page(title: str, front: str, lang: str, kept: list[dict]) -> bytes:
    page = (
        template_environment(lang)
        .get_template("site/editions.html.j2")
        .render(
            lang=lang,
            title=title,
            styles=STYLES,
            home="../" + front,
            editions=sorted(kept, key=lambda item: item["id"], reverse=True),
            index=front,
        )
    )
    return page.encode("utf-8")


# ---------------------------------------------------------------- writing it safely


@dataclass
class Report:
    """What a build did."""

    edition: Edition
    files: int = 0
    rendered: int = 0  # outputs whose bytes were computed
    written: int = 0  # files whose bytes changed (or are new)
    reused: int = 0  # files kept as they were (hard-linked from the live site)
    removed: int = 0  # files of the previous site the new one no longer has
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Folders:
    """The live site and its siblings: the build aside, the previous tree while swapping, the private state."""

    live: Path

    @property
    def staging(self) -> Path:
        return self.live.with_name(f".{self.live.name}.next")

    @property
    def old(self) -> Path:
        return self.live.with_name(f".{self.live.name}.old")

    @property
    def state(self) -> Path:
        return self.live.with_name(f".{self.live.name}.state")

    @property
    def spare(self) -> Path:
        return self.live.with_name(f".{self.live.name}.spare")


MANIFEST = "manifest.json"
# The previous site, kept after a swap as the next build's starting tree (`take_spare`): which of its files
# differ from the live site's, and the live manifest's hash they are counted against.
SPARE = "spare.json"
PENDING = "manifest.pending.json"  # written before a swap, renamed after it: its presence means "in doubt"
CACHES = "caches.pickle"  # per document, what each recommendation's outputs are made of (`Inputs`)
# The caches hold pandas tables: a build by another pandas does not trust them (it makes everything again).
CACHE_FORMAT = f"{FORMAT}|pandas {pd.__version__}|entries 2|items 3|tables 1"  # 2: the log's days as ordinals;
# items: each recommendation's row, item and table rows kept by content in `PIECES`; tables: the log and the
# statuses tables in `TABLES`


def refuse_foreign(folders: Folders) -> None:
    """A build replaces its folder whole: refuse a folder that holds anything but a site built here."""
    live = folders.live
    if live.is_dir() and any(live.iterdir()) and not (live / "edition.json").is_file():
        raise TrackerError(
            f"{live} holds files that are not a site built by this command, and a build replaces the folder "
            "whole; choose a new or empty folder. Nothing was changed."
        )
    if live.exists() and not live.is_dir():
        raise TrackerError(f"{live} is a file, not a folder; nothing was changed.")


def recover(folders: Folders) -> None:
    """Put back what a killed build left half done: the previous site where a swap was interrupted (and its
    editions, moved aside just before the swap), then remove the leftovers."""
    live, staging, old = folders.live, folders.staging, folders.old
    if not live.exists() and old.exists():
        old.rename(live)  # the two-rename swap stopped between its renames
    if staging.exists() and (staging / "editions").is_dir() and live.exists() and not (live / "editions").exists():
        (staging / "editions").rename(live / "editions")
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# What this process last wrote to a state folder's private files, each with the file's identity then (device,
# inode, size, times): read back from memory while the file on disk is still that one, so a rebuild in the same
# process (a long-running builder) does not parse 100 MB it wrote itself; from disk otherwise (another
# process's build, a file replaced or removed). Oldest written first.
_WRITTEN: dict[str, tuple[tuple, object]] = {}
# Five files a site: the last four sites' (a process builds a few at most), the least recently written dropped
# first (`_put_bounded`): clearing all once dropped the site just built when a process had built three others
# before it, and its next rebuild read 200 MB back from disk (1.4 s at 10,000 recommendations).
WRITTEN_KEPT = 20


def _identity(path: Path) -> tuple | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def _remember(path: Path, value) -> None:
    identity = _identity(path)
    if identity is None:
        _WRITTEN.pop(str(path), None)
    else:
        _put_bounded(_WRITTEN, str(path), (identity, value), WRITTEN_KEPT)


def _recall(path: Path):
    """What this process wrote to `path`, while the file is still the one it wrote; else None."""
    found = _WRITTEN.get(str(path))
    return found[1] if found is not None and found[0] == _identity(path) else None


def _manifest_text(edition: Edition, manifest: dict) -> bytes:
    """`json.dumps({"format", "edition", "files": manifest}, sort_keys=True)`, each file's entry written once
    per process and entry (`_ENTRY_TEXTS`): a large site's manifest has 50,000, nearly all as they were. Where
    the paths are those of the last manifest, its texts are taken whole and only the entries that are not the
    same objects written again (found without a loop in Python: 50,000 comparisons at every build)."""
    known = _ENTRY_TEXTS
    paths = known.get("paths")
    if paths is not None and manifest.keys() == known["keys"]:
        entries = list(map(manifest.__getitem__, paths))
        pieces = list(known["pieces"])
        for n in compress(range(len(paths)), map(is_not, entries, known["entries"])):
            pieces[n] = _entry_text(paths[n], entries[n])
        known = {"paths": paths, "keys": known["keys"]}
    else:
        before = dict(zip(paths, zip(known["entries"], known["pieces"], strict=True), strict=True)) if paths else {}
        paths = sorted(manifest)
        entries = [manifest[path] for path in paths]
        pieces = []
        for path, entry in zip(paths, entries, strict=True):
            found = before.get(path)
            pieces.append(found[1] if found is not None and found[0] is entry else _entry_text(path, entry))
        known = {"paths": paths, "keys": frozenset(paths)}
    _ENTRY_TEXTS.clear()
    _ENTRY_TEXTS.update(known, entries=entries, pieces=pieces)
    head = f'{{"edition": {json.dumps(edition.stamp)}, "files": {{'.encode()
    # Joined once, as bytes (23 MB at 10,000 recommendations; json.dumps writes ASCII, so each piece is its own
    # UTF-8).
    return b"".join((head, b", ".join(pieces), f'}}, "format": {json.dumps(FORMAT)}}}'.encode()))


def _entry_text(path: str, entry: dict) -> bytes:
    return f"{json.dumps(path)}: {json.dumps(entry, sort_keys=True)}".encode()


# The last manifest's sorted paths (and as a set), its entries (the objects) and their JSON texts.
_ENTRY_TEXTS: dict = {}


def read_manifest(folders: Folders) -> dict:
    """The live site's manifest: path -> {"sha256", "key", "cited"}; empty when unknown or in doubt (a build
    stopped between writing it and swapping), so that nothing is trusted that may not describe the live files."""
    if (folders.state / PENDING).exists():
        return {}
    found = _recall(folders.state / MANIFEST)
    found = found[0] if found is not None else _read_json(folders.state / MANIFEST)
    return found.get("files", {}) if isinstance(found, dict) and found.get("format") == FORMAT else {}


def take_spare(folders: Folders) -> set[str] | None:
    """The previous site, kept aside after the last swap, made the new build's staging folder; returns the
    paths where it may differ from the live site (every other file of the live manifest is there, with the
    same bytes), or None when there is no spare to trust (the staging folder is then new and empty).

    A large site holds 50,000 files, nearly all unchanged by an update: hard-linking each into a new tree and
    removing the old tree's cost more than the rest of a rebuild. The spare starts one build behind the live
    site, so only what changed since is replaced. Trusted only with its record (written after the swap that
    made it, removed before it is touched) and only against the live manifest it was counted against."""
    record = _read_json(folders.state / SPARE)
    (folders.state / SPARE).unlink(missing_ok=True)  # from here on, the spare is being changed
    trusted = (
        isinstance(record, dict)
        and record.get("format") == FORMAT
        and record.get("manifest") == _manifest_digest(folders)
        and isinstance(record.get("differs"), list)
        and folders.spare.is_dir()
        and not (folders.state / PENDING).exists()
    )
    if trusted:
        folders.spare.rename(folders.staging)
        return set(record["differs"])
    if folders.spare.exists():
        shutil.rmtree(folders.spare)
    folders.staging.mkdir(parents=True)
    return None


def keep_spare(folders: Folders, differs: set[str]) -> None:
    """After a swap, keep the previous site (now in the staging folder) as the next build's spare, recording
    which of its files differ from the new live site's."""
    previous = folders.staging / "previous" if (folders.staging / "previous").is_dir() else folders.staging
    if not previous.is_dir() or not (previous / "edition.json").is_file():
        shutil.rmtree(folders.staging, ignore_errors=True)
        seed_spare(folders)
        return
    if folders.spare.exists():
        shutil.rmtree(folders.spare)
    previous.rename(folders.spare)
    shutil.rmtree(folders.staging, ignore_errors=True)
    record = {"format": FORMAT, "manifest": _manifest_digest(folders), "differs": sorted(differs)}
    _write_private(folders.state / SPARE, json.dumps(record).encode("utf-8"))


def seed_spare(folders: Folders) -> None:
    """Where there was no previous site to keep aside (a first build), make the spare of the live site's own
    files (hard links: no copy; every file but the editions', which move from tree to tree), recorded as
    differing from it nowhere: the first rebuild then replaces only what it changes, as every later one does,
    instead of linking 50,000 files into a new tree. Trusted only once its record is written, after the links
    (a build killed before leaves a spare without one, which the next build removes)."""
    if folders.spare.exists():
        shutil.rmtree(folders.spare)
    live, spare, made = str(folders.live), str(folders.spare), set()
    for root, folders_in, files in os.walk(live):
        if root == live:
            folders_in[:] = [name for name in folders_in if name != "editions"]
        where = spare + root[len(live) :]
        for name in files:
            _place(f"{where}/{name}", None, f"{root}/{name}", made)
    record = {"format": FORMAT, "manifest": _manifest_digest(folders), "differs": []}
    _write_private(folders.state / SPARE, json.dumps(record).encode("utf-8"))


def _manifest_digest(folders: Folders) -> str:
    """The sha256 of the live manifest's bytes (of none when it is missing), which a spare's record names."""
    found = _recall(folders.state / MANIFEST)
    if found is not None:
        return found[1]
    try:
        manifest = (folders.state / MANIFEST).read_bytes()
    except OSError:
        manifest = b""
    return hashlib.sha256(manifest).hexdigest()


# The charts' Vega templates (`compiled`), by key, kept for the next process: {"format", "templates"}. Compiling
# them costs a new process most of a second (vl-convert's first call, nine charts); they depend on no data.
COMPILED_FILE = "compiled.pickle"


def _read_compiled(folders: Folders) -> None:
    """Add the chart templates an earlier build kept to this process's (`_COMPILED`), unless this process wrote
    that file (it holds them already). Read with pickle, as the other caches: nothing when unreadable."""
    path = folders.state / COMPILED_FILE
    if _recall(path) is not None:
        return
    try:
        with open(path, "rb") as handle:
            kept = pickle.load(handle)  # our own private cache, written by _write_compiled
    except Exception:  # none yet, cut short, from another version: the templates are compiled again
        return
    if isinstance(kept, dict) and kept.get("format") == CACHE_FORMAT and isinstance(kept.get("templates"), dict):
        for key, template in kept["templates"].items():
            if key not in _COMPILED:
                _put_bounded(_COMPILED, key, template, COMPILED_KEPT)


def _write_compiled(folders: Folders) -> None:
    """Keep this process's chart templates for the next process, when the file does not hold them all."""
    path = folders.state / COMPILED_FILE
    held = _recall(path)
    if held is not None and held >= _COMPILED.keys():
        return
    _write_private(path, pickle.dumps({"format": CACHE_FORMAT, "templates": dict(_COMPILED)}))
    _remember(path, set(_COMPILED))


def _read_caches(folders: Folders) -> dict:
    """What earlier builds kept (`caches.pickle`: {"format", "documents": {document id: its caches}}, and each
    document's log and statuses tables from `TABLES`), read with pickle: the state folder must be as trusted as
    the data, as it is beside the site the command writes; never fetch it from where others can write. Empty
    when unknown, in doubt or unreadable."""
    empty = {"documents": {}}
    if (folders.state / PENDING).exists():
        return empty  # a build stopped half way: nothing it kept is trusted
    caches = _recall(folders.state / CACHES)  # what this process wrote there, if it is still that file
    try:
        if caches is None:
            with open(folders.state / CACHES, "rb") as handle:
                caches = pickle.load(handle)  # our own private cache, written by _dump_caches
    except Exception:  # an unreadable cache (truncated, from another version) only means a full build
        caches = None
    ok = isinstance(caches, dict) and caches.get("format") == CACHE_FORMAT and isinstance(caches.get("documents"), dict)
    documents = {doc_id: dict(kept) for doc_id, kept in caches["documents"].items()} if ok else {}
    for doc_id, tables in _read_tables(folders).items():
        documents.setdefault(doc_id, {}).update(tables)
    return {"format": CACHE_FORMAT, "documents": documents}


# The event log's and the statuses' tables of each document (`kept_log`, `kept_statuses`: {"key", "recs": each
# recommendation's content key, "table"}), 60 MB at 10,000 recommendations, in a file of their own, pickled:
# {"format", "documents": {document id: {"log": ..., "statuses": ...}}}. Each row is used only where its
# recommendation's key (and the table's key) is the one recorded, so tables kept by any earlier build are
# right, only less of them of use: written whole again only when the file's lack more than `STALE_ROWS` of
# the rows this build kept (a new day, new settings, or after some hundred updates at 10,000), otherwise kept
# as they are on disk while this process holds the newer ones (a new process, or a build killed, reads the
# older file and makes the rows it lacks again).
TABLES = "tables.pickle"
TABLES_KEPT = ("log", "statuses")
STALE_ROWS = 0.01  # of the rows kept (every recommendation's, in each table)


def _read_tables(folders: Folders) -> dict[str, dict]:
    """The tables kept (`TABLES`), by document: those this process holds while the file is the one it wrote
    or read, else read from the file; empty when unreadable."""
    path = folders.state / TABLES
    found = _recall(path)
    if found is not None:
        return found[0]
    try:
        with open(path, "rb") as handle:
            tables = pickle.load(handle)  # our own private cache, written by _write_tables
    except Exception:  # unreadable, from another version, or none: the rows are made again
        return {}
    ok = isinstance(tables, dict) and tables.get("format") == CACHE_FORMAT and isinstance(tables.get("documents"), dict)
    documents = tables["documents"] if ok else {}
    _remember(path, (documents, _rows_held(documents)))
    return documents


def _rows_held(documents: dict[str, dict]) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """What tables hold, by document and table: the table's key and each recommendation's key."""
    return {(doc_id, name): (table["key"], table["recs"]) for doc_id, tables in documents.items()
            for name, table in tables.items()}  # fmt: skip


def _stale_rows(held: dict[tuple[str, str], tuple[str, dict[str, str]]], documents: dict[str, dict]) -> int:
    """How many rows of `documents`' tables the tables `held` (`_rows_held`) lack or hold out of date."""
    count = 0
    for doc_id, tables in documents.items():
        for name, table in tables.items():
            key, recs = held.get((doc_id, name), (None, {}))
            if key != table["key"]:
                count += len(table["recs"])
            else:
                count += sum(1 for rec_id, found in table["recs"].items() if recs.get(rec_id) != found)
    return count


def _write_tables(folders: Folders, documents: dict[str, dict]) -> None:
    """Keep this build's tables (`documents`): written whole where this process does not know what the file
    holds, or where it lacks more than `STALE_ROWS` of their rows; else only held in the process, the file
    left as it is (`TABLES`)."""
    path = folders.state / TABLES
    found = _recall(path)
    rows = sum(len(table["recs"]) for tables in documents.values() for table in tables.values())
    if found is not None and _stale_rows(found[1], documents) <= STALE_ROWS * rows:
        _remember(path, (documents, found[1]))
        return
    _write_private(
        path, pickle.dumps({"format": CACHE_FORMAT, "documents": documents}, protocol=pickle.HIGHEST_PROTOCOL)
    )
    _remember(path, (documents, _rows_held(documents)))


# What is kept by content in a file of its own (`PIECES`), appended to: each recommendation's canonical text
# (by its content key), its entries of the event log (by the settings' key and its content key), what its
# row of the statuses table gives (what its page shows, its status, its row of the table page, its item of
# the API: by the statuses' key and its content key) and its table rows in the other languages (by those,
# the language's and its own translations' keys). A key names its value for good, so any of them, whenever
# written, is right; a rebuild after one update appends that recommendation's, instead of writing 200 MB of
# them again at 10,000 recommendations.
PIECES = "pieces.pickle"  # pickles one after the other: {"format", "documents": {document id: {section: ...}}}
PIECES_KEPT = ("texts", "entries", "items", "table_rows")


def _read_pieces(folders: Folders) -> dict[str, dict[str, dict]]:
    """The pieces kept by content (`PIECES`), by document and section: those this process holds while the file
    is the one it wrote, else read from the file, each appended pickle in turn, up to the first that is not
    whole (a build killed while appending: any of them is right, so those read are kept). Empty when in doubt
    (as the caches)."""
    if (folders.state / PENDING).exists():
        return {}
    path = folders.state / PIECES
    found = _recall(path)
    if found is not None:
        return found[0]
    pieces: dict[str, dict[str, dict]] = {}
    stored, whole = 0, False
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            while handle.tell() < size:
                chunk = pickle.load(handle)  # our own private cache, written by _write_pieces
                if not (isinstance(chunk, dict) and chunk.get("format") == CACHE_FORMAT):
                    break
                stored += _merge_pieces(pieces, chunk["documents"])
            else:
                whole = True
    except Exception:  # a pickle cut short, no file at all: what was read stands
        pass
    if whole:
        # Read to its very end: this process now knows what the file holds, so its build appends only the pieces
        # the file lacks, as a later build of the same process does, instead of writing them all again (half a
        # second to a second at 10,000 recommendations). A file cut short is written whole again instead.
        _remember(path, (pieces, stored))
    return pieces


def _merge_pieces(pieces: dict, documents: dict) -> int:
    """Add a chunk's pieces to `pieces` (mutated); returns how many it held."""
    count = 0
    for doc_id, sections in documents.items():
        mine = pieces.setdefault(doc_id, {})
        for name, items in sections.items():
            mine.setdefault(name, {}).update(items)
            count += len(items)
    return count


def _write_pieces(folders: Folders, kept: dict[str, dict[str, dict]]) -> None:
    """Keep the pieces this build used (`kept`, by document and section): appended to the file where this
    process knows what it holds (the ones it lacks only), else the file written whole; written whole again
    too when what it holds has grown past twice what is used (the pieces of data long gone)."""
    path = folders.state / PIECES
    found = _recall(path)
    used = sum(len(items) for sections in kept.values() for items in sections.values())
    if found is not None:
        held, stored = found
        # The keys it lacks, found as a set difference (tens of thousands of keys), in a fixed order.
        new = {
            doc_id: {name: {key: items[key] for key in sorted(items.keys() - held.get(doc_id, {}).get(name, {}).keys())}
                     for name, items in sections.items()}
            for doc_id, sections in kept.items()
        }  # fmt: skip
        count = sum(len(items) for sections in new.values() for items in sections.values())
        if stored + count <= 2 * used + 1000:
            if count:
                with open(path, "ab") as handle:
                    handle.write(
                        pickle.dumps({"format": CACHE_FORMAT, "documents": new}, protocol=pickle.HIGHEST_PROTOCOL)
                    )
            _merge_pieces(held, new)
            _remember(path, (held, stored + count))
            return
    _write_private(path, pickle.dumps({"format": CACHE_FORMAT, "documents": kept}, protocol=pickle.HIGHEST_PROTOCOL))
    held = {}
    _remember(path, (held, _merge_pieces(held, kept)))


def _dump_caches(documents: dict[str, dict]) -> bytes:
    return pickle.dumps({"format": CACHE_FORMAT, "documents": documents}, protocol=pickle.HIGHEST_PROTOCOL)


def _write_private(path: Path, payload: bytes) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(payload)
    os.replace(temp, path)


def kept_editions(live: Path) -> list[dict]:
    """The editions kept under the live site's editions/ (their edition.json)."""
    found = []
    folder = live / "editions"
    for child in sorted(folder.iterdir()) if folder.is_dir() else ():
        info = _read_json(child / "edition.json") if child.is_dir() else None
        if isinstance(info, dict) and info.get("id") == child.name:
            found.append(info)
    return found


_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system has no such call."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system or kernel cannot
            return False
        raise OSError(error, os.strerror(error), str(first))
    return True


def swap_in(folders: Folders) -> None:
    """Make the staging folder the live site. Atomic where the system can exchange two folders; elsewhere
    two renames, which `recover` completes if a build is killed between them."""
    live, staging = folders.live, folders.staging
    if not live.exists():
        staging.rename(live)
        return
    if _exchange(staging, live):
        return
    live.rename(folders.old)
    staging.rename(live)
    folders.staging.mkdir()  # so the caller removes the previous tree from one place
    folders.old.rename(folders.staging / "previous")


def _place(target: str, data: bytes | None, source: str | None, made: set[str], replace: bool = False) -> None:
    """Put a file in the new tree: `data`, or a hard link to `source` (plain strings: a large site places
    tens of thousands of files, where pathlib's objects cost more than the links). `replace`: a file may be
    there already (a spare tree), which is unlinked first, never written into: its bytes may be another
    tree's too (a hard link)."""
    folder = os.path.dirname(target)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    if replace:
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
    if data is None:
        os.link(source, target)
    else:
        with open(target, "wb") as handle:
            handle.write(data)


def build_site(
    data: Tracker | Mapping[str, Tracker],
    out: str | os.PathLike,
    *,
    now: datetime | None = None,
    options: Options = Options(),  # noqa: B008 - frozen, never mutated
) -> Report:
    """Build the site of a tracker, or of several documents (`data`: their trackers by document id, in the
    index's order, the first the default one), into the folder `out` (created, or replaced whole by the new
    build). One document builds exactly as a lone tracker.

    `now` is the edition's moment (default: each document's newest record time); records made after it are left
    out. Only outputs whose inputs changed are rendered, only files whose bytes changed are written; the rest
    is hard-linked from the live site into the new one, which then replaces it in one swap. Raises TrackerError
    when a document's id names a folder the site uses otherwise (nothing is changed)."""
    # A large tracker's build makes and keeps some 10^6 objects (the tables, the log's entries, the caches),
    # and each of the collector's full passes walks all of them: paused while it runs, as a load pauses it
    # (`yaml_text.gc_paused`); cycles it made are collected once the collector runs again.
    with gc_paused():
        return _build_site(data, out, now=now, options=options)


def _build_site(data, out, *, now: datetime | None, options: Options) -> Report:
    documents = {"": data} if isinstance(data, Tracker) else dict(data)
    if not documents:
        raise TrackerError("There is no document to build a site of; nothing was changed.")
    several = len(documents) > 1
    if several:
        check_documents(list(documents))
    folders = Folders(Path(out).resolve())
    folders.live.parent.mkdir(parents=True, exist_ok=True)
    refuse_foreign(folders)
    recover(folders)
    caches, pieces = _read_caches(folders), _read_pieces(folders)
    _read_compiled(folders)
    parts = []
    for position, (doc_id, tracker) in enumerate(documents.items()):
        moment = now or newest_record(tracker) or datetime(2000, 1, 1, tzinfo=timezone.utc)
        shown = published_at(tracker, moment)
        keys = recommendation_keys(shown)
        name = doc_id if several else ""
        cache = {**caches["documents"].get(name, {}), **pieces.get(name, {})}
        fingerprint, texts = fingerprint_of(shown, cache.get("texts", {}), keys)
        edition = Edition(moment=moment, fingerprint=fingerprint, kept=options.keep_edition)
        parts.append(Part(name, shown, edition, place_of(name, position, several), keys, cache, {"texts": texts}))
    edition = portfolio_edition(parts, now, options.keep_edition) if several else parts[0].edition
    lang = options.languages[0]
    front = page_path("index", lang=lang, document=parts[0].place.folder)
    title = SITE_NAME if several else parts[0].tracker.settings.title
    previous = read_manifest(folders)
    kept = kept_editions(folders.live)

    def prepare(output: Output) -> None:
        # A page that shows charts, about to be rendered (its key changed): its charts started now.
        if output.prepare is not None and (
            output.key is None or previous.get(output.path, {}).get("key") != output.key
        ):
            output.prepare()

    _QUEUED.clear()
    outputs = plan_site(parts, edition, options, prepare)
    if options.keep_edition:
        kept = [item for item in kept if item.get("id") != edition.id]
        kept.append(json.loads(next(out for out in outputs if getattr(out, "path", "") == "edition.json").render(None)))
    report = Report(edition=edition)
    staging = folders.staging
    # The staging folder: the spare tree (the site before the live one) when there is one to trust, in which
    # only the files that differ are replaced; else a new folder, every file linked or written.
    differs = take_spare(folders) if previous else None
    if differs is None and not staging.exists():
        staging.mkdir(parents=True)
    spare = differs is not None
    manifest, made, changed = {}, set(), set()
    cited_now = edition.id if options.keep_edition else None
    live_root, staging_root = str(folders.live), str(staging)
    # Paths joined as plain strings (both roots are absolute, every path relative): a large site has 50,000.
    live_root, staging_root = live_root + "/", staging_root + "/"

    def unchanged(output: Output, entry: dict | None, there: bool) -> bool:
        return (
            output.key is not None
            and bool(entry)
            and entry.get("key") == output.key
            and (there or os.path.isfile(live_root + output.path))
        )

    def render_early() -> None:
        # The pages that show charts, rendered while the drawing process draws them (`Held`: finished by
        # `place` once the charts are drawn).
        for output in late:
            entry = previous.get(output.path)
            there = spare and entry is not None and output.path not in differs
            if output.same_as is None and not unchanged(output, entry, there):
                early[id(output)] = output.render(cited_now)

    early: dict[int, bytes | Held] = {}

    def place(output: Output) -> None:
        path = output.path
        entry = previous.get(path)
        # In a spare tree, a file the live site has and the spare does not differ in is there already.
        there = spare and entry is not None and path not in differs
        if output.same_as is not None:
            # The same file at a second address: linked to the first one's, as new as it is.
            manifest[path] = manifest[output.same_as]
            same = bool(entry) and entry.get("sha256") == manifest[path]["sha256"]
            if not (same and there):
                _place(staging_root + path, None, staging_root + output.same_as, made, spare)
            report.reused += same
            report.written += not same
            if not same:
                changed.add(path)
            return
        live_file = live_root + path
        # A file whose key is unchanged is kept: already there in a spare tree (its bytes the live file's, so
        # not even looked up), else linked from the live site where it is still there.
        if unchanged(output, entry, there):
            if not there:
                _place(staging_root + path, None, live_file, made, spare)
            manifest[path] = entry
            report.reused += 1
            return
        target = staging_root + path
        data = early.pop(id(output)) if id(output) in early else output.render(cited_now)
        data = data.finish() if isinstance(data, Held) else data
        report.rendered += 1
        digest = hashlib.sha256(data).hexdigest()
        same = bool(entry) and entry.get("sha256") == digest and os.path.isfile(live_file)
        if not (same and there):
            _place(target, None if same else data, live_file if same else None, made, spare)
        report.reused += same
        report.written += not same
        if not same:
            changed.add(path)
        manifest[path] = {"sha256": digest, "key": output.key, "cited": cited_now}

    # The groups (a recommendation's own files) the build this process made last planned, against the
    # manifest it wrote: trusted only while that manifest is the live one (`previous` is the very object).
    memo = _GROUPS.get("groups", {}) if _GROUPS.get("manifest") is previous and previous else {}
    groups = {}
    # The pages that show charts are rendered last, their charts started as soon as they were planned (drawn
    # in the drawing process while the rest is planned and rendered; `prepare` above), where they are about to
    # be rendered (their key changed); with their second addresses, which link to them.
    late = [output for output in outputs if isinstance(output, Output) and output.prepare is not None]
    later = {output.path for output in late}
    late += [output for output in outputs if isinstance(output, Output) and output.same_as in later]
    waiting = {id(output) for output in late}
    for output in [*outputs, None, *late]:
        if output is None:
            render_early()
            draw_queued_here()  # the rest waits for the charts: drawn on both cores
            continue
        if id(output) in waiting:
            waiting.discard(id(output))  # its first time in the list: left for later
            continue
        if not isinstance(output, Group):
            place(output)
            continue
        found = memo.get(output.name)
        if found is not None and found[0] == output.context and found[1] == output.made_of:
            # Every one of its files has the key it had: kept as the live site holds it, as `place` keeps
            # each (in a trusted spare tree where it does not differ, else linked from the live site).
            paths = found[2]
            if all(
                (spare and path not in differs) or os.path.isfile(live_root + path) for path in paths
            ):  # fmt: skip
                for path in paths:
                    if not (spare and path not in differs):
                        _place(staging_root + path, None, live_root + path, made, spare)
                    manifest[path] = previous[path]
                report.reused += len(paths)
                groups[output.name] = found
                continue
        expanded = output.expand()
        for one in expanded:
            place(one)
        groups[output.name] = (output.context, output.made_of, [one.path for one in expanded])
    report.files = len(manifest)
    gone = {path for path in previous if path not in manifest}
    report.removed = len(gone)
    if spare:
        # What the spare holds and the new site does not: the live site's removed files, and the spare's own.
        for path in sorted(gone | {path for path in differs if path not in manifest}):
            _remove(staging_root, path)
    snapshot = _snapshot(staging, edition) if options.keep_edition else None
    folders.state.mkdir(exist_ok=True)
    record = _manifest_text(edition, manifest)
    _write_private(folders.state / PENDING, record)
    # What each document keeps for the next build: what this one made, and what it had no need to make again
    # (each entry says what it was made from, so a stale one is never used).
    kept_caches = {part.id: {**part.cache, **part.kept} for part in parts}
    _write_pieces(
        folders, {doc: {name: kept.pop(name, {}) for name in PIECES_KEPT} for doc, kept in kept_caches.items()}
    )
    _write_compiled(folders)
    _write_tables(
        folders,
        {doc: {name: kept.pop(name) for name in TABLES_KEPT if name in kept} for doc, kept in kept_caches.items()},
    )
    _write_private(folders.state / CACHES, _dump_caches(kept_caches))
    _remember(folders.state / CACHES, {"format": CACHE_FORMAT, "documents": kept_caches})
    # The editions are only ever added to: they move across into the new tree (one rename, which `recover`
    # undoes if the build stops before the swap), never copied; the new one joins them.
    editions = staging / "editions"
    if (folders.live / "editions").is_dir():
        (folders.live / "editions").rename(editions)
    if snapshot is not None:
        editions.mkdir(exist_ok=True)
        if (editions / edition.id).exists():
            shutil.rmtree(snapshot)  # the same data and moment built again: the kept copy stays as it was
        else:
            snapshot.rename(editions / edition.id)
        _write_private(editions / "index.html", _editions_page(title, front, lang, kept))
    swap_in(folders)
    os.replace(folders.state / PENDING, folders.state / MANIFEST)
    about = {"format": FORMAT, "edition": edition.stamp, "files": manifest}
    _remember(folders.state / MANIFEST, (about, hashlib.sha256(record).hexdigest()))
    _GROUPS.clear()
    _GROUPS.update(manifest=manifest, groups=groups)
    keep_facts([*documents.values(), *(part.tracker for part in parts)])
    # The previous site, now aside, differs from the new one where this build wrote, added or removed files.
    keep_spare(folders, changed | gone | {path for path in manifest if path not in previous})
    if not options.base_url:
        report.notes.append(
            "No base address (--base-url or TRACKER_SITE_URL): the feeds, the API's files and the sitemap, "
            "which need absolute addresses, were left out."
        )
    return report


# The groups of the last build this process made (`Group`: a recommendation's own files), by name: its
# context, what it was made of and its files' paths, with the manifest that build wrote (its object: the
# one `read_manifest` gives back while the file is still the one written).
_GROUPS: dict = {}


def _remove(root: str, path: str) -> None:
    """Remove a file from a tree, and its folders left empty."""
    try:
        os.unlink(os.path.join(root, path))
    except FileNotFoundError:
        return
    folder = os.path.dirname(path)
    while folder:
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:
            return  # not empty
        folder = os.path.dirname(folder)


def _snapshot(staging: Path, edition: Edition) -> Path:
    """The edition kept for good: every current file, hard-linked into a folder of its own (moved under
    editions/<id>/ at the swap). Files are never modified in place, so the links cost no space."""
    folder, made = staging / ".edition", set()
    for source in sorted(staging.rglob("*")):
        if source.is_file() and not source.relative_to(staging).parts[0].startswith("."):
            _place(str(folder / source.relative_to(staging)), None, str(source), made)
    return folder
