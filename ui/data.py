"""The dashboard's data: where it lives, and loads and views cached across reruns.

Cached on the data's revision (file identity or database counter), so a rerun that
changes only a filter never re-reads or re-validates anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
import streamlit as st

from tracker import analysis, charts, collection, drawing, edition, evidence, location, storage, translation
from tracker.errors import StoreUnavailable, TrackerError, ValidationFailed
from tracker.language import DEFAULT as DEFAULT_LANGUAGE
from tracker.language import Words, words
from tracker.text import escape_markdown
from tracker.view import View


@st.cache_resource(max_entries=4, show_spinner=False)
def open_cached_store(location: str):
    """The store that loads and saves a document (it keeps the tracker it last read: a few at a time)."""
    return storage.open_store(location)


# Room for every document of the largest portfolio (storage.portfolio.MAX_DOCUMENTS), a few days apart.
EVERY_DOCUMENT = 1000


@st.cache_resource(max_entries=EVERY_DOCUMENT, show_spinner=False)
def revision_store(location: str):
    """A store asked only for its document's revision, never to load (it holds no tracker): for a document
    whose revision `storage.read_revisions` did not give, which raises the plain error that says why."""
    return storage.open_store(location)


def document_revision(location: str) -> str:
    return revision_store(location).revision()


@st.cache_resource(max_entries=8, show_spinner=False)
def load_cached(location: str, revision: str, today: date, published: datetime | None = None, lang: str = "en"):
    """The validated tracker, its event log and its recommendations table, re-read only when the data
    changes; with `published`, the tracker as it was published at that moment (a frozen view); in `lang`,
    its texts in that language where translated (translation.read_in)."""
    if lang != DEFAULT_LANGUAGE:
        tracker = translation.read_in(load_cached(location, revision, today, published)[0], lang)[0]
    elif published is None:
        tracker = open_cached_store(location).load(today=today)
    else:
        tracker = edition.as_published(load_cached(location, revision, today)[0], published)
    return tracker, analysis.list_updates(tracker), analysis.list_recommendations(tracker)


@st.cache_resource(max_entries=8, show_spinner=False)
def texts_cached(location: str, revision: str, today: date, published: datetime | None, lang: str) -> dict:
    """What each translatable text reads as in `lang` (translated, outdated, missing), for the marks."""
    return translation.describe_texts(load_cached(location, revision, today, published)[0], lang)


@st.cache_resource(max_entries=8, show_spinner=False)
def frozen_facts(location: str, revision: str, today: date, published: datetime, as_of: date):
    """For a frozen view: the fingerprint of what was recorded by its moment, and what was recorded later
    that would change it."""
    current, _, _ = load_cached(location, revision, today)
    pinned, _, _ = load_cached(location, revision, today, published)
    return (
        edition.fingerprint(pinned),
        edition.count_later_records(current, published, as_of),
    )


def data_location() -> str:
    """Where the documents are: a database URL (environment or secrets) if one is configured, else the
    index of YAML files (or one YAML file)."""
    secrets = {"database": read_secret("database"), "database_url": read_secret("database_url")}
    return location.configured_location(os.environ, secrets)


@st.cache_resource(max_entries=4, ttl=60, show_spinner=False)
def documents_cached(portfolio: str) -> list:
    """The documents at a location (kept a minute: a document added shows within one)."""
    return storage.list_documents(portfolio)


# Facts of every document of a portfolio, each computed once per revision of its document (and day) from
# the tracker read through `open_cached_store`, which keeps only the few latest: a page that lists a
# hundred documents never holds a hundred trackers, and reruns it reads nothing. Every document's revision
# is read together (storage.read_revisions: one query of a database, a stat per file of an index).


def portfolio_of(documents) -> str:
    """Where the documents are (the index or the database) from their locations."""
    return storage.split_location(documents[0].location)[0]


def document_revisions(documents) -> dict[str, str]:
    """Every document's revision by id, read together; a document whose revision is not read so is asked
    through its own store, which raises a plain error for it."""
    if not documents:
        return {}
    try:
        found = storage.read_revisions(portfolio_of(documents))
    except TrackerError:
        found = {}
    return {document.id: found.get(document.id) or document_revision(document.location) for document in documents}


@st.cache_resource(max_entries=4 * EVERY_DOCUMENT, show_spinner=False)
def title_cached(location: str, revision: str, today: date) -> str:
    """A document's title read by loading it (what titles_cached could not read without)."""
    return open_cached_store(location).load(today=today).settings.title


@st.cache_resource(max_entries=8, show_spinner=False)
def titles_cached(portfolio: str, revisions: tuple) -> dict[str, str]:
    """Every document's title, read without loading any (storage.read_titles), again only when a
    document's revision (`revisions`: every (id, revision)) changed."""
    return storage.read_titles(portfolio)


@st.cache_resource(max_entries=4 * EVERY_DOCUMENT, show_spinner=False)
def summary_cached(location: str, revision: str, today: date, as_of: date) -> dict:
    """A document summed up on a day (collection.summarise_document; shared and read-only)."""
    return collection.summarise_document(open_cached_store(location).load(today=today), as_of)


@st.cache_resource(max_entries=4 * EVERY_DOCUMENT, show_spinner=False)
def asked_cached(
    location: str, revision: str, today: date, doc_id: str, addressee: str, as_of: date, query: str
) -> pd.DataFrame:
    """One document's part of collection.list_asked_of (shared and read-only)."""
    tracker = open_cached_store(location).load(today=today)
    return collection.list_asked_of({doc_id: tracker}, addressee, as_of, query)


def document_titles(documents, today: date) -> dict[str, str]:
    """Each document's title, for the sidebar's choice (none with only one document), without loading the
    documents (the first page after a restart would otherwise load every one); a document whose title
    cannot be read so is loaded, and one that cannot be read is named by its id."""
    if len(documents) < 2:
        return {}
    portfolio = portfolio_of(documents)
    try:
        revisions = storage.read_revisions(portfolio)
        read = titles_cached(portfolio, tuple(revisions.items()))
    except TrackerError:
        revisions, read = {}, {}
    titles = {}
    for document in documents:
        if document.id in read:
            titles[document.id] = read[document.id]
            continue
        try:
            revision = revisions.get(document.id) or document_revision(document.location)
            titles[document.id] = title_cached(document.location, revision, today)
        except TrackerError:
            titles[document.id] = document.id
    return titles


def summaries(documents, today: date, as_of: date) -> dict[str, dict]:
    """Each document summed up on `as_of`, by id, in the index's order."""
    revisions = document_revisions(documents)
    return {
        document.id: summary_cached(document.location, revisions[document.id], today, as_of) for document in documents
    }


def list_asked_of(documents, today: date, as_of: date, addressee: str = "", query: str = "") -> pd.DataFrame:
    """collection.list_asked_of over every document, one document at a time (each part cached): the same
    rows in the same order."""
    rows = []
    revisions = document_revisions(documents)
    for document in documents:
        revision = revisions[document.id]
        part = asked_cached(document.location, revision, today, document.id, addressee, as_of, query)
        rows.extend(part.itertuples(index=False, name=None))
    return pd.DataFrame(rows, columns=collection.ASKED_COLUMNS)


class Trackers(Mapping):
    """Every document's tracker by id, in the index's order, read when asked for (`open_cached_store`): a
    page that goes through them one after another never holds them all at once."""

    def __init__(self, documents, today: date):
        self._locations = {document.id: document.location for document in documents}
        self._today = today

    def __getitem__(self, doc_id: str):
        return open_cached_store(self._locations[doc_id]).load(today=self._today)

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._locations  # without reading the tracker (Mapping's own would)

    def __iter__(self):
        return iter(self._locations)

    def __len__(self) -> int:
        return len(self._locations)


def load_or_explain(location: str, today: date, said: Words | None = None):
    """Load the data, or explain in plain words (`said`: the reader's language) why not and stop the page."""
    said = said or words(DEFAULT_LANGUAGE)
    t, tn = said.t, said.tn
    try:
        revision = open_cached_store(location).revision()
        return (*load_cached(location, revision, today), revision)
    except ValidationFailed as failed:
        st.error(
            tn(
                "The tracker data cannot be shown: {n} problem needs fixing in the data file.",
                "The tracker data cannot be shown: {n} problems need fixing in the data file.",
                len(failed.problems),
            )
        )
        for problem in failed.problems:
            st.error(escape_markdown(str(problem)))  # it quotes the file, which is text, never markup
    except StoreUnavailable as error:
        st.error(t("The tracker data cannot be reached. {error}", error=escape_markdown(str(error))))
    except TrackerError as error:
        st.error(escape_markdown(str(error)))
    st.stop()


@st.cache_resource(max_entries=16, show_spinner=False)
def statuses_cached(
    location: str, revision: str, today: date, as_of: date, published: datetime | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Every recommendation's status on a day, with the evidence behind it (shared and read-only: filtering
    makes new frames)."""
    tracker, log, recommendations = load_cached(location, revision, today, published, lang)
    frame = analysis.statuses_as_of(tracker, as_of, log, recommendations)
    return evidence.add_evidence(frame, tracker, log, as_of, words(lang))


@st.cache_resource(max_entries=32, show_spinner=False)
def changes_cached(
    location: str,
    revision: str,
    today: date,
    since: date,
    as_of: date,
    ids: tuple,
    published: datetime | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """What changed in a window for some recommendations (shared and read-only)."""
    tracker, log, _ = load_cached(location, revision, today, published, lang)
    return analysis.list_changes(tracker, since, as_of, log[log["rec_id"].isin(ids)])


@st.cache_resource(max_entries=8, show_spinner=False)
def chart_templates(location: str, revision: str, today: date, lang: str = "en") -> dict[str, dict]:
    """The charts' Vega-Lite specs without rows: Altair's conversion, the slowest step of
    drawing a chart, runs once per data revision (and language) instead of once per view."""
    tracker, _, _ = load_cached(location, revision, today, None, lang)
    return charts.build_templates(tracker.settings, words(lang))


@st.cache_resource(max_entries=32, show_spinner=False)
def chart_drawings(
    location: str,
    revision: str,
    today: date,
    as_of: date,
    ids: tuple[str, ...],
    published: datetime | None,
    widths: tuple[tuple[str, tuple[int, ...]], ...],
    lang: str = "en",
) -> dict[str, dict[int, str]]:
    """The charts named in `widths` drawn as SVG text at each of their widths (px), keyed by chart and
    width (shared and read-only): the page's specs (`filled_specs`), drawn once per view."""
    names = tuple(name for name, _ in widths)
    specs = filled_specs(location, revision, today, as_of, ids, published, names, lang)
    # Drawn as nobody can click them: no selection, no highlight.
    return {
        name: {width: drawing.draw_page_chart(charts.without_picking(specs[name]), width) for width in sizes}
        for name, sizes in widths
    }


@st.cache_resource(max_entries=32, show_spinner=False)
def chart_marks(
    location: str,
    revision: str,
    today: date,
    as_of: date,
    ids: tuple[str, ...],
    published: datetime | None,
    widths: tuple[tuple[str, tuple[int, ...]], ...],
    datasets: tuple[str, ...],
    lang: str = "en",
) -> dict[str, dict[int, tuple[drawing.Placed, ...]]]:
    """Where the marks of each chart named in `widths` (drawn from the dataset of the same place in
    `datasets`) fall in its drawing at each width, keyed by chart and width (shared and read-only): what
    `chart_drawings` draws, laid out once per view for the links over it."""
    names = tuple(name for name, _ in widths)
    specs = filled_specs(location, revision, today, as_of, ids, published, names, lang)
    return {
        name: {width: drawing.place_marks(charts.without_picking(specs[name]), width, dataset) for width in sizes}
        for (name, sizes), dataset in zip(widths, datasets, strict=True)
    }


@st.cache_resource(max_entries=32, show_spinner=False)
def chart_rows(
    location: str,
    revision: str,
    today: date,
    as_of: date,
    ids: tuple[str, ...],
    published: datetime | None,
    names: tuple[str, ...],
    lang: str = "en",
) -> dict[str, pd.DataFrame]:
    """The rows of the charts `names` for some recommendations on a day, keyed by dataset (shared and
    read-only): what the drawings are made from (`filled_specs`), and what a page writes as HTML (ui/bands.py)."""
    tracker, log, _ = load_cached(location, revision, today, published, lang)
    frame = statuses_cached(location, revision, today, as_of, published, lang)
    return charts.chart_data(tracker, View(as_of=as_of), log, shown=frame[frame["id"].isin(ids)], names=names)


def filled_specs(
    location: str,
    revision: str,
    today: date,
    as_of: date,
    ids: tuple[str, ...],
    published: datetime | None,
    names: tuple[str, ...],
    lang: str,
) -> dict[str, dict]:
    """The charts `names` for some recommendations on a day, their rows as DataFrames (new dicts each call;
    the rows are `chart_rows`', shared: the drawings, the places of their bars and the links read the same)."""
    rows = chart_rows(location, revision, today, as_of, ids, published, names, lang)
    templates = chart_templates(location, revision, today, lang)
    return charts.fill_templates({name: templates[name] for name in names}, rows)


def read_secret(name: str, default=None):
    """A value from Streamlit secrets; absent secrets are normal, not an error."""
    try:
        return st.secrets.get(name, default)
    except Exception:  # noqa: BLE001 - Streamlit raises its own error when no secrets file exists
        return default
