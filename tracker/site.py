"""The static site: the readers' side of a tracker as plain files, for any web server, a CDN or a folder.

What it holds (paths from the site's root; `en/` is the language, `article/` the document, so other
languages and documents slot in beside them):

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

Links between pages are relative, so the folder works from disk (file://), under a sub-path and from a CDN;
absolute addresses (feeds, API, sitemap, Open Graph, citations) are built on `base_url`, and what needs one
is left out without it. Editors' names, contacts and suggestions never reach a file: the pages show the
tracker's public fields only, like the feeds and the API.

Each build is an edition: the tracker as published at a moment (`now`, by default its newest record time),
stamped with that moment and the data's fingerprint. The moment is the only clock: the same data and moment
give the same bytes.

With `keep_edition`, the build is also kept whole under editions/<time>/ (hard links: no copy), and each
page cites its permanent address there: the edition that first published its present content. A page whose
content did not change keeps its bytes, and so its citation, from one build to the next.

Building is incremental and safe (`build_site`): every output has a key, a hash of its inputs; a
recommendation's page, feed and badge whose key is unchanged are not rendered again, and a rendered file
whose bytes hash as before is not written again. A recommendation's page shows dates, not day counts, so a
new day leaves it as it was. The tracker-wide files (overview, table, timeline, API, event log) change with
every update and are rendered at every build, the event log from each recommendation's entries kept between
builds (`log_entries`). The new site is built aside in a sibling folder (unchanged files hard-linked from the
live one, never modified in place), then swapped in with renames (one atomic exchange where the system has
it), so a build that fails or is killed leaves the previous site whole. The manifest (each file's hash, key
and cited edition) and the caches (each recommendation's canonical text, for the fingerprint, and its
entries of the log) live in a private sibling folder, never served: the text holds editors' names.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import pickle
import posixpath
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from markupsafe import Markup, escape

from . import analysis, api, badge, charts, feed
from .brief import inline_svg, template_environment
from .edition import FINGERPRINT_SHOWN, as_published, data_fingerprint, describe_moment, record_times
from .errors import TrackerError
from .model import Recommendation, Tracker, format_date, is_web_address, labels_of, start_of, status_by_id
from .records import Links, Record, list_records
from .view import View, earliest_date
from .yaml_text import render_tracker

FORMAT = "1"  # bump when the output changes for the same inputs: every page is then rendered again
LANGUAGE = "en"
DOCUMENT = "article"
TIMELINE_LIMIT = 200  # recommendations drawn in the timeline per recommendation; past it each page has its own
RECENT_DAYS = 90
LATEST_CHANGES = 5
CHART_WIDTHS = {"status_over_time": 900, "timeline": 620}
SUMMARY = ("status_by_category", "scorecard")
OVER_TIME = ("status_over_time", "timeline")

# The reader's pages, in the navigation's order: (name, file under the document, title).
PAGES = (
    ("index", "index.html", "Overview"),
    ("recommendations", "recommendations.html", "All recommendations"),
    ("timeline", "timeline.html", "Timeline"),
    ("methodology", "methodology.html", "Methodology"),
)
# The app's page paths (ui/registry.py) -> the site's page of the same content.
APP_PAGES = {"": "index", "recommendations": "recommendations", "timeline": "timeline", "methodology": "methodology"}


# ---------------------------------------------------------------- addresses


def page_path(page: str, rec_id: str | None = None, *, lang: str = LANGUAGE, document: str = DOCUMENT) -> str:
    """A reader's page's path from the site's root: 'en/article/timeline.html', or a recommendation's
    'en/article/recommendation/<id>.html' (ids are kebab-case, safe as file names)."""
    if rec_id is not None:
        return f"{lang}/{document}/recommendation/{rec_id}.html"
    return f"{lang}/{document}/{dict((name, file) for name, file, _ in PAGES)[page]}"


def relative_link(source: str, target: str) -> str:
    """The link from the file at path `source` to the one at `target` (both from the site's root)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def absolute(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/{quote(path)}" if base_url else ""


def twin_address(site_url: str, app_page: str, rec_id: str | None = None) -> str | None:
    """The static twin of one of the app's reader pages (its path in ui/registry.py), or None when it has none."""
    if not site_url:
        return None
    if app_page == "recommendation":
        return absolute(site_url, page_path("recommendation", rec_id)) if rec_id else None
    name = APP_PAGES.get(app_page)
    return absolute(site_url, page_path(name)) if name else None


def events_path(page: int) -> str:
    return "api/v1/events.json" if page == 1 else f"api/v1/events/{page}.json"


@dataclass(frozen=True)
class SiteLinks(Links):
    """The site's own addresses for what the feeds and the API link to (absolute, on the site's base)."""

    lang: str = LANGUAGE
    document: str = DOCUMENT

    def page(self, rec_id: str | None = None) -> str:
        where = {"lang": self.lang, "document": self.document}
        return absolute(
            self.base_url, page_path("recommendation", rec_id, **where) if rec_id else page_path("index", **where)
        )

    def feed(self, rec_id: str | None = None) -> str:
        return absolute(self.base_url, f"feed/{rec_id}.atom" if rec_id else "feed.atom")

    def badge(self, rec_id: str | None = None) -> str:
        return absolute(self.base_url, f"badge/{rec_id}.svg" if rec_id else "badge/progress.svg")

    def events_page(self, params: tuple, offset: int) -> str:
        return absolute(self.base_url, events_path(offset // api.EVENTS_PER_PAGE + 1))


# ---------------------------------------------------------------- the edition


def newest_record(tracker: Tracker) -> datetime | None:
    """The newest record time in the data (edition.record_times), or None when none has one."""
    times = record_times(tracker)
    return times[-1] if times else None


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
    and whether each build is kept as an edition."""

    base_url: str = ""
    keep_edition: bool = False
    lang: str = LANGUAGE
    document: str = DOCUMENT

    @property
    def key(self) -> str:
        return f"{FORMAT}|{self.base_url}|{self.keep_edition}|{self.lang}|{self.document}"


# ---------------------------------------------------------------- what a build renders


@dataclass(frozen=True)
class Output:
    """One file of the site. `key` hashes its inputs (None: always rendered); `render(cited)` makes its bytes,
    `cited` being the edition that publishes them for good (None when editions are not kept)."""

    path: str
    key: str | None
    render: Callable[[str | None], bytes]


def _hash(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def recommendation_key(rec: Recommendation) -> str:
    """A recommendation's content key: changes whenever anything in it does (cheap: pydantic's own JSON)."""
    return _hash(rec.model_dump_json())


def recommendation_keys(tracker: Tracker) -> dict[str, str]:
    """Every recommendation's content key, by id (made once per build: the plan and the fingerprint use them)."""
    return {rec.id: recommendation_key(rec) for rec in tracker.recommendations}


def fingerprint_of(tracker: Tracker, cache: dict[str, str], keys: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The data's fingerprint (`edition.data_fingerprint` of `dump_tracker`), re-rendering only the
    recommendations whose canonical text is not in `cache` (content key -> text); returns it and the cache
    of the recommendations it now holds."""
    recs = tracker.recommendations
    known = {id(rec): (rec, cache[keys[rec.id]]) for rec in recs if keys[rec.id] in cache}
    text, texts = render_tracker(tracker, known)
    return data_fingerprint(text), {keys[rec.id]: texts[id(rec)][1] for rec in recs}


class Inputs:
    """What the pages are made of, computed once per build and only when a page asks for it."""

    def __init__(self, tracker: Tracker, edition: Edition, options: Options):
        self.tracker, self.edition, self.options = tracker, edition, options
        self.settings = tracker.settings
        self.as_of = edition.as_of
        self.view = View(as_of=self.as_of)
        self.links = SiteLinks(options.base_url, options.lang, options.document)
        self._figures: dict[tuple, list[dict]] = {}

    @cached_property
    def log(self) -> pd.DataFrame:
        return analysis.list_updates(self.tracker)

    @cached_property
    def frame(self) -> pd.DataFrame:
        return analysis.statuses_as_of(self.tracker, self.as_of, self.log)

    @cached_property
    def rows(self) -> dict[str, dict]:
        return {row["id"]: row for row in self.frame.to_dict(orient="records")}

    @cached_property
    def events(self) -> pd.DataFrame:
        return analysis.list_context_events(self.tracker, earliest_date(self.tracker), self.as_of)

    @cached_property
    def sentences(self) -> dict[str, str]:
        start = earliest_date(self.tracker)
        return analysis.describe_charts(self.frame, self.settings, start, self.as_of, len(self.events))

    def figures(self, names: tuple[str, ...]) -> list[dict]:
        """The charts `names` as inline SVG (the dashboard's Altair specs, drawn by vl-convert), each with
        its one-sentence summary, which is also its accessible name; each drawn once per build."""
        if names not in self._figures:
            self._figures[names] = self._draw(names)
        return self._figures[names]

    def _draw(self, names: tuple[str, ...]) -> list[dict]:
        built = charts.build_charts(self.tracker, self.view, self.log, shown=self.frame, names=names)
        figures = []
        for name, chart in built.items():
            if name in CHART_WIDTHS:
                chart = chart.properties(width=CHART_WIDTHS[name])
            sentence = self.sentences[name]
            figures.append({"name": name, "svg": inline_svg(chart, sentence), "sentence": sentence})
        return figures


def history_of(rec: Recommendation, settings, as_of: date) -> list[dict]:
    """A recommendation's dated history up to `as_of`, newest first, with every source and its kind: the rows
    of `analysis.history_of` (tests/test_site.py compares them) without the editors' names, read from the
    recommendation itself, since a page per recommendation cannot afford a table of the whole log each."""
    statuses, kinds = labels_of(settings.statuses), labels_of(settings.source_kinds)
    items = []
    for _position, update, status, previous, review in analysis.list_entries(rec):
        if start_of(update.date) > as_of:
            continue
        sources = [source.model_dump(exclude_none=True) for source in update.sources]
        items.append(
            {
                "date": format_date(update.date),
                "status": statuses.get(status, status),
                "change": status != previous,
                "review": review,
                "note": update.note,
                "sources": [{**source, "kind_label": kinds.get(source["kind"], source["kind"])} for source in sources],
            }
        )
    return items[::-1]


TABLE_TEXT = ("id", "status", "title", "status_label", "category_label", "priority_label", "addressee_labels")
TABLE_TEXT += ("last_source_title",)


def table_rows(rows, prefix: str, colours: dict[str, str]) -> Markup:
    """All recommendations' table rows, escaped here rather than by the template: a large tracker's table has
    10,000 rows, which Jinja's attribute lookups would take seconds to fill."""
    made = []
    for row in rows:
        text = {key: escape(row[key]) for key in TABLE_TEXT}
        stale = ' <span class="stale">stale</span>' if row["stale"] else ""
        event = format_date(row["last_event"]) if isinstance(row["last_event"], str) else "—"
        source = text["last_source_title"] or "—"
        if row["last_source_title"] and is_web_address(row["last_source_url"]):
            source = Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(row["last_source_url"], source)
        made.append(
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
    return Markup("\n".join(made))


def _colour(settings, status_id: str) -> str:
    return status_by_id(settings)[status_id].colour


def _review_due(row: dict) -> str:
    return (start_of(row["last_update"]) + timedelta(days=int(row["review_interval_days"]))).isoformat()


class Pages:
    """The HTML pages, rendered with the brief's environment from templates/site/."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.environment = template_environment()

    def _render(
        self, template: str, path: str, title: str, cited: str | None, dated: datetime | None = None, **context
    ) -> bytes:
        """A page; `dated` is when its content was published (default: the edition's moment)."""
        inputs, options = self.inputs, self.inputs.options
        settings = inputs.settings
        here = lambda target: relative_link(path, target)  # noqa: E731 - a template's helper
        canonical = absolute(options.base_url, path)
        permanent = absolute(options.base_url, f"editions/{cited}/{path}") if cited else ""
        moment = dated or inputs.edition.moment
        page = self.environment.get_template(f"site/{template}").render(
            lang=options.lang,
            settings=settings,
            article=settings.article,
            as_of=inputs.as_of,
            title=title,
            here=here,
            styles=STYLES,
            nav=[
                (here(page_path(name, lang=options.lang, document=options.document)), label, name)
                for name, _, label in PAGES
            ],  # fmt: skip
            canonical=canonical,
            permanent=permanent,
            editions=absolute(options.base_url, "editions/index.html") if options.keep_edition else "",
            feed_url=here("feed.atom") if options.base_url else "",
            api_url=here("api/v1/recommendations.json") if options.base_url else "",
            cite={
                "author": publisher_of(settings),
                "date": moment.strftime("%Y/%m/%d"),
                "date_text": describe_moment(moment),
                "url": permanent or canonical,
            },
            **context,
        )
        return page.encode("utf-8")

    def overview(self, path: str, cited: str | None) -> bytes:
        inputs = self.inputs
        frame, settings = inputs.frame, inputs.settings
        reviewed = analysis.latest_update(inputs.log, inputs.as_of)
        event = analysis.latest_event(inputs.tracker, inputs.log, inputs.as_of)
        answer = analysis.describe_overview(frame, settings, reviewed, event)
        changes = analysis.list_latest_changes(inputs.tracker, inputs.log, inputs.as_of, LATEST_CHANGES)
        return self._render(
            "overview.html.j2",
            path,
            settings.title,
            cited,
            description=answer,
            og_type="website",
            answer=answer,
            **self._numbers(frame),
            changes=[
                {**row, "href": relative_link(path, self._rec_path(row["rec_id"]))}
                for row in changes.to_dict(orient="records")
            ],
            figures=inputs.figures(SUMMARY) if len(frame) else [],
            stamp=self._stamp(),
            formula=analysis.describe_progress_formula(settings),
        )

    def recommendations(self, path: str, cited: str | None) -> bytes:
        inputs = self.inputs
        frame, settings = inputs.frame, inputs.settings
        since = inputs.as_of - timedelta(days=RECENT_DAYS)
        changes = analysis.list_changes(inputs.tracker, since, inputs.as_of, inputs.log) if len(frame) else None
        prefix = relative_link(path, self._rec_path("x"))[: -len("x.html")]
        rows = table_rows(inputs.rows.values(), prefix, {status.id: status.colour for status in settings.statuses})
        return self._render(
            "recommendations.html.j2",
            path,
            "All recommendations",
            cited,
            description=f"The {len(frame)} recommendations of the tracker, each with its status, as of "
            f"{format_date(inputs.as_of.isoformat())}.",
            og_type="website",
            rows=rows,
            **self._numbers(frame),
            stale=int(frame["stale"].sum()) if len(frame) else 0,
            since=since,
            changed=int(changes["changed"].sum()) if changes is not None and not changes.empty else 0,
            figures=inputs.figures(SUMMARY) if len(frame) else [],
            stamp=self._stamp(),
        )

    def recommendation(self, rec: Recommendation, path: str, cited: str | None) -> bytes:
        inputs = self.inputs
        settings = inputs.settings
        row = inputs.rows.get(rec.id)
        items = history_of(rec, settings, inputs.as_of)
        status = row["status_label"] if row else None
        since = format_date(row["since"].date().isoformat()) if row else ""
        description = f"{status} since {since}. {rec.assessment.text}" if row else "Not yet tracked as of this edition."
        links = inputs.links
        return self._render(
            "recommendation.html.j2",
            path,
            rec.title,
            cited,
            # Its own last record, not the edition's: the page stays byte for byte as it was until it changes.
            dated=_last_recorded(rec),
            description=description[:300],
            og_type="article",
            rec=rec,
            row=row,
            colour=_colour(settings, row["status"]) if row else "",
            since=since,
            review_due=_review_due(row) if row else None,
            last_event=row["last_event"] if row and isinstance(row["last_event"], str) else None,
            history=items,
            edits=[
                {"field": change.field.replace("_", " "), "day": change.recorded[:10], "old": change.old}
                for change in reversed(rec.metadata_changes)
            ],
            rec_feed=relative_link(path, f"feed/{rec.id}.atom") if inputs.options.base_url else "",
            rec_badge=relative_link(path, f"badge/{rec.id}.svg"),
            snippets=badge.embed_snippets(links, rec.id, rec.title) if inputs.options.base_url else None,
        )

    def timeline(self, path: str, cited: str | None) -> bytes:
        inputs = self.inputs
        frame = inputs.frame
        names = OVER_TIME if len(frame) <= TIMELINE_LIMIT else OVER_TIME[:1]
        events = []
        by_id = {event.id: event for event in inputs.tracker.context_events}
        kinds = labels_of(inputs.settings.source_kinds)
        for row in inputs.events.to_dict(orient="records"):
            sources = [
                {**source.model_dump(), "kind_label": kinds.get(source.kind, source.kind)}
                for source in by_id[row["id"]].sources
            ]
            events.append({**row, "sources": sources})
        return self._render(
            "timeline.html.j2",
            path,
            "Timeline",
            cited,
            description=inputs.sentences["status_over_time"] if len(frame) else "No recommendation yet.",
            og_type="website",
            figures=inputs.figures(names) if len(frame) else [],
            drawn_all=len(names) == len(OVER_TIME),
            limit=TIMELINE_LIMIT,
            count=len(frame),
            events=events,
            stamp=self._stamp(),
        )

    def methodology(self, path: str, cited: str | None) -> bytes:
        settings = self.inputs.settings
        return self._render(
            "methodology.html.j2",
            path,
            "Methodology",
            cited,
            description="How the tracker decides each status, computes its score and chooses its sources.",
            og_type="website",
            methodology=[part for part in settings.methodology.split("\n\n") if part.strip()],
            statuses=list(status_by_id(settings).values()),
            formula=analysis.describe_progress_formula(settings),
            source_kinds=settings.source_kinds,
        )

    def not_found(self) -> bytes:
        # Served for any missing address, at any depth: its styles are inline, its link absolute when the site
        # has an address.
        options = self.inputs.options
        home = absolute(options.base_url, page_path("index")) or page_path("index")
        page = self.environment.get_template("site/404.html.j2").render(
            lang=options.lang, settings=self.inputs.settings, home=home, styles=Markup(_styles())
        )
        return page.encode("utf-8")

    def root(self) -> bytes:
        target = page_path("index", lang=self.inputs.options.lang, document=self.inputs.options.document)
        page = self.environment.get_template("site/root.html.j2").render(
            lang=self.inputs.options.lang, settings=self.inputs.settings, target=target
        )
        return page.encode("utf-8")

    def _rec_path(self, rec_id: str) -> str:
        options = self.inputs.options
        return page_path("recommendation", rec_id, lang=options.lang, document=options.document)

    def _numbers(self, frame: pd.DataFrame) -> dict:
        settings = self.inputs.settings
        return {
            "counts": analysis.count_by_status(frame, settings).to_dict(orient="records"),
            "score": analysis.score_progress(frame, settings),
            "total": len(frame),
        }

    def _stamp(self) -> dict:
        edition = self.inputs.edition
        return {
            "moment": describe_moment(edition.moment),
            "fingerprint": edition.fingerprint,
            "short": edition.fingerprint[:FINGERPRINT_SHOWN],
        }


def _last_recorded(rec: Recommendation) -> datetime:
    stamp = max([u.recorded for u in rec.updates] + [c.recorded for c in rec.metadata_changes])
    return datetime.fromisoformat(stamp[:-1]).replace(tzinfo=timezone.utc)


def publisher_of(settings) -> str:
    """Who the site's pages are credited to (as the feeds credit them): the article's publisher, else the
    tracker's title."""
    return settings.article.publisher or settings.title


def _styles() -> str:
    loader = template_environment().loader
    return "".join(loader.get_source(template_environment(), name)[0] for name in ("base.css", "site/site.css"))


# Inline in every page: one request per page, as fast as a bare page to open (docs/benchmarks.md), and
# nothing to go stale in a reader's cache.
STYLES = Markup(_styles())


def _json(payload: dict) -> bytes:
    return api.to_json(payload) + b"\n"


def plan_site(
    tracker: Tracker,
    edition: Edition,
    options: Options,
    keys: dict[str, str] | None = None,
    caches: dict | None = None,
) -> list[Output]:
    """Every file of the site for a tracker already as published at the edition's moment. Per-recommendation
    outputs carry a key (their recommendation, the settings, the site's options), so a build can tell which
    it need not render again; the tracker-wide ones depend on everything and are always rendered (their
    bytes are still compared before writing). `keys`: `recommendation_keys(tracker)`, when already made;
    `caches`: what earlier builds kept (`log_entries`), replaced by what this one keeps."""
    caches = {} if caches is None else caches
    keys = recommendation_keys(tracker) if keys is None else keys
    inputs = Inputs(tracker, edition, options)
    pages = Pages(inputs)
    settings_key = _hash(options.key, tracker.settings.model_dump_json(), STYLES)
    day = edition.as_of.isoformat()
    outputs = [
        Output("index.html", _hash(settings_key, "root"), lambda cited: pages.root()),
        Output("404.html", _hash(settings_key, "404"), lambda cited: pages.not_found()),
    ]
    # The tracker-wide pages carry the edition's moment (and most its numbers): rendered at every build.
    for name, render in (
        ("index", pages.overview),
        ("recommendations", pages.recommendations),
        ("timeline", pages.timeline),
        ("methodology", pages.methodology),
    ):
        path = page_path(name, lang=options.lang, document=options.document)
        outputs.append(Output(path, None, lambda cited, path=path, render=render: render(path, cited)))
    for rec in tracker.recommendations:
        # What its page shows depends on its own data only (and on which of its updates are dated by the day
        # shown), never on the day itself: dates, not day counts, so a new day leaves it as it was.
        # A partial date's first day is on or before a day exactly when its text sorts on or before the day's
        # ('2023-03' <= '2023-03-16'), so no date is parsed for each of a large tracker's updates.
        visible = sum(update.date <= day for update in rec.updates)
        # Keys joined, not hashed again: a large tracker has 30,000 outputs.
        rec_key = f"{settings_key}|{keys[rec.id]}|{visible}"
        path = page_path("recommendation", rec.id, lang=options.lang, document=options.document)
        outputs.append(
            Output(path, rec_key + "|page", lambda cited, rec=rec, path=path: pages.recommendation(rec, path, cited))
        )
        status = next((u.status for u in reversed(rec.updates) if u.date <= day), None)
        if status:
            outputs.append(
                Output(
                    f"badge/{rec.id}.svg",
                    rec_key + "|badge",
                    lambda cited, rec=rec, status=status: badge.status_badge(tracker.settings, rec.title, status),
                )
            )
    outputs.append(Output("badge/progress.svg", None, lambda cited: _progress_badge(inputs)))
    outputs.append(Output("edition.json", None, lambda cited: _edition_json(inputs)))
    if options.base_url:
        outputs += _feeds_and_api(inputs, settings_key, keys, caches)
        outputs.append(Output("sitemap.xml", None, lambda cited: _sitemap(inputs)))
    return outputs


def _progress_badge(inputs: Inputs) -> bytes:
    frame = inputs.frame
    return badge.progress_badge(inputs.settings, analysis.score_progress(frame, inputs.settings), len(frame))


def _edition_json(inputs: Inputs) -> bytes:
    edition, options = inputs.edition, inputs.options
    return (
        json.dumps(
            {
                "edition": edition.stamp,
                "id": edition.id,
                "as_of": edition.as_of.isoformat(),
                "fingerprint": edition.fingerprint,
                "recommendations": len(inputs.tracker.recommendations),
                "kept": edition.kept,
                "address": absolute(options.base_url, f"editions/{edition.id}/") if edition.kept else None,
            },
            indent=2,
        ).encode("utf-8")
        + b"\n"
    )


# One entry of the event log: (its place in the log's order, its recommendation's id or None for a context
# event, its JSON as the API serves it). See `log_entries`.
Entry = tuple[tuple, str | None, bytes]


def records_of(tracker: Tracker, recs: list[Recommendation], context: bool) -> list[Record]:
    """`list_records` of some recommendations (and the context events or not), in the log's order."""
    events = tracker.context_events if context else []
    return list_records(tracker.model_copy(update={"recommendations": recs, "context_events": events}))


def log_entries(
    tracker: Tracker, links: Links, settings_key: str, keys: dict[str, str], cache: dict
) -> tuple[list[Entry], dict]:
    """Everything recorded, newest first, as the API's event log lists it (`list_records`, `record_payload`),
    with each recommendation's entries taken from `cache` when its data and the settings are unchanged: a
    rebuild after one update makes that recommendation's entries only. Returns the entries and the cache of
    the recommendations the tracker now holds.

    The order is `list_records`': record time, then date, then place in the file (context events first, then
    each recommendation's records in its own order), newest first; tests/test_site.py compares them."""
    settings, kept, entries = tracker.settings, {}, []
    for index, rec in enumerate(tracker.recommendations):
        key = f"{settings_key}|{keys[rec.id]}"
        mine = cache.get(key)
        if mine is None:
            mine = [
                (
                    (record.updated, start_of(record.date), -rank),
                    api.to_json(api.record_payload(record, settings, links)),
                )
                for rank, record in enumerate(records_of(tracker, [rec], context=False))
            ]
        kept[key] = mine
        entries += [((updated, start, 1, index, rank), rec.id, payload) for (updated, start, rank), payload in mine]
    places = {event.id: index for index, event in enumerate(tracker.context_events)}
    for record in records_of(tracker, [], context=True):
        place = (record.updated, start_of(record.date), 0, places[record.event_id], 0)
        entries.append((place, None, api.to_json(api.record_payload(record, settings, links))))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return entries, kept


def _events_page(inputs: Inputs, entries: list[Entry], number: int) -> bytes:
    """Page `number` of the event log: `api.events_payload`'s answer (tests/test_site.py compares the bytes),
    its entries joined from their JSON."""
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
    joined = b"[" + b",".join(payload for _, _, payload in shown) + b"]"
    return api.to_json(head).replace(b'"events":"\\u0000"', b'"events":' + joined, 1) + b"\n"


def _feeds_and_api(inputs: Inputs, settings_key: str, keys: dict[str, str], caches: dict) -> list[Output]:
    tracker, links, settings = inputs.tracker, inputs.links, inputs.settings
    entries, caches["entries"] = log_entries(tracker, links, settings_key, keys, caches.get("entries", {}))

    def tracker_feed(cited):
        # The newest entries' recommendations are enough to make the feed's records, in the same order.
        owners = {rec_id for _, rec_id, _ in entries[: feed.PAGE_SIZE] if rec_id}
        recs = [rec for rec in tracker.recommendations if rec.id in owners]
        return feed.build_feed(
            tracker, records_of(tracker, recs, context=True)[: feed.PAGE_SIZE], base_url=links,
            feed_url=links.feed(), title=settings.title, feed_key="feed", alternate=links.page(),
        )  # fmt: skip

    outputs = [Output("feed.atom", None, tracker_feed)]
    for rec in tracker.recommendations:

        def rec_feed(cited, rec=rec):
            return feed.build_feed(
                tracker, records_of(tracker, [rec], context=False)[: feed.PAGE_SIZE], base_url=links,
                feed_url=links.feed(rec.id), title=f"{rec.title} ({settings.title})", feed_key=f"feed/rec/{rec.id}",
                alternate=links.page(rec.id),
            )  # fmt: skip

        outputs.append(Output(f"feed/{rec.id}.atom", f"{settings_key}|{keys[rec.id]}|feed", rec_feed))

    def state(cited):
        # The tracker here is already as published at the edition's moment: asked without `published`, the
        # payload reuses the event log already made, then says which moment it is.
        payload = api.recommendations_payload(tracker, api.Query(view=inputs.view), links, statuses=inputs.frame)
        return _json({**payload, "published": inputs.edition.stamp})

    outputs.append(Output("api/v1/recommendations.json", None, state))
    # The event log as the API pages it (what `select_events` keeps of it: dated by the day shown), each page's
    # `next` the following file.
    logged = [entry for entry in entries if entry[0][1] <= inputs.as_of]
    pages = max(1, -(-len(logged) // api.EVENTS_PER_PAGE))
    for number in range(1, pages + 1):
        outputs.append(Output(events_path(number), None, lambda cited, n=number: _events_page(inputs, logged, n)))
    return outputs


def _sitemap(inputs: Inputs) -> bytes:
    """Every reader's page, with the day its content last changed where that is known."""
    options, tracker = inputs.options, inputs.tracker
    root = ET.Element("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    day = inputs.as_of.isoformat()
    entries = [(page_path(name, lang=options.lang, document=options.document), day) for name, _, _ in PAGES]
    for rec in tracker.recommendations:
        stamps = [u.recorded for u in rec.updates] + [c.recorded for c in rec.metadata_changes]
        entries.append((page_path("recommendation", rec.id, lang=options.lang, document=options.document),
                        max(stamps)[:10]))  # fmt: skip
    for path, lastmod in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = absolute(options.base_url, path)
        ET.SubElement(url, "lastmod").text = lastmod
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def _editions_page(inputs: Inputs, kept: list[dict]) -> bytes:
    options = inputs.options
    page = (
        template_environment()
        .get_template("site/editions.html.j2")
        .render(
            lang=options.lang,
            settings=inputs.settings,
            styles=STYLES,
            home="../" + page_path("index", lang=options.lang, document=options.document),
            editions=sorted(kept, key=lambda item: item["id"], reverse=True),
            index=page_path("index", lang=options.lang, document=options.document),
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


MANIFEST = "manifest.json"
PENDING = "manifest.pending.json"  # written before a swap, renamed after it: its presence means "in doubt"
CACHES = "caches.pickle"  # each recommendation's canonical text (fingerprint) and event-log entries


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


def read_manifest(folders: Folders) -> dict:
    """The live site's manifest: path -> {"sha256", "key", "cited"}; empty when unknown or in doubt (a build
    stopped between writing it and swapping), so that nothing is trusted that may not describe the live files."""
    if (folders.state / PENDING).exists():
        return {}
    found = _read_json(folders.state / MANIFEST)
    return found.get("files", {}) if isinstance(found, dict) and found.get("format") == FORMAT else {}


def _read_caches(folders: Folders) -> dict:
    """What earlier builds kept (`caches.pickle`, read with pickle: the state folder must be as trusted as the
    data, as it is beside the site the command writes; never fetch it from where others can write)."""
    if (folders.state / PENDING).exists():
        return {}  # a build stopped half way: nothing it kept is trusted
    try:
        with open(folders.state / CACHES, "rb") as handle:
            caches = pickle.load(handle)  # our own private cache, written by _write_private
        return caches if isinstance(caches, dict) and caches.get("format") == FORMAT else {}
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        return {}


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


def _place(target: str, data: bytes | None, source: str | None, made: set[str]) -> None:
    """Put a file in the new tree: `data`, or a hard link to `source` (plain strings: a large site places
    tens of thousands of files, where pathlib's objects cost more than the links)."""
    folder = os.path.dirname(target)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    if data is None:
        os.link(source, target)
    else:
        with open(target, "wb") as handle:
            handle.write(data)


def build_site(
    tracker: Tracker,
    out: str | os.PathLike,
    *,
    now: datetime | None = None,
    options: Options = Options(),  # noqa: B008 - frozen, never mutated
) -> Report:
    """Build the site of `tracker` into the folder `out` (created, or replaced whole by the new build).

    `now` is the edition's moment (default: the data's newest record time); records made after it are left
    out. Only outputs whose inputs changed are rendered, only files whose bytes changed are written; the rest
    is hard-linked from the live site into the new one, which then replaces it in one swap."""
    folders = Folders(Path(out).resolve())
    folders.live.parent.mkdir(parents=True, exist_ok=True)
    refuse_foreign(folders)
    recover(folders)
    moment = now or newest_record(tracker) or datetime(2000, 1, 1, tzinfo=timezone.utc)
    shown = as_published(tracker, moment)
    keys = recommendation_keys(shown)
    caches = _read_caches(folders)
    fingerprint, caches["texts"] = fingerprint_of(shown, caches.get("texts", {}), keys)
    edition = Edition(moment=moment, fingerprint=fingerprint, kept=options.keep_edition)
    previous = read_manifest(folders)
    kept = kept_editions(folders.live)
    if options.keep_edition:
        kept = [item for item in kept if item.get("id") != edition.id]
        kept.append(json.loads(_edition_json(Inputs(shown, edition, options))))
    outputs = plan_site(shown, edition, options, keys, caches)
    report = Report(edition=edition, files=len(outputs))
    staging = folders.staging
    staging.mkdir(parents=True)
    manifest, made = {}, set()
    cited_now = edition.id if options.keep_edition else None
    live_root, staging_root = str(folders.live), str(staging)
    for output in outputs:
        entry = previous.get(output.path)
        live_file = os.path.join(live_root, output.path)
        target = os.path.join(staging_root, output.path)
        if output.key is not None and entry and entry.get("key") == output.key and os.path.isfile(live_file):
            _place(target, None, live_file, made)
            manifest[output.path] = entry
            report.reused += 1
            continue
        data = output.render(cited_now)
        report.rendered += 1
        digest = hashlib.sha256(data).hexdigest()
        same = bool(entry) and entry.get("sha256") == digest and os.path.isfile(live_file)
        _place(target, None if same else data, live_file if same else None, made)
        report.reused += same
        report.written += not same
        manifest[output.path] = {"sha256": digest, "key": output.key, "cited": cited_now}
    report.removed = sum(1 for path in previous if path not in manifest)
    snapshot = _snapshot(staging, edition) if options.keep_edition else None
    folders.state.mkdir(exist_ok=True)
    record = json.dumps({"format": FORMAT, "edition": edition.stamp, "files": manifest}, sort_keys=True).encode()
    _write_private(folders.state / PENDING, record)
    caches["format"] = FORMAT
    _write_private(folders.state / CACHES, pickle.dumps(caches, protocol=pickle.HIGHEST_PROTOCOL))
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
        _write_private(editions / "index.html", _editions_page(Inputs(shown, edition, options), kept))
    swap_in(folders)
    os.replace(folders.state / PENDING, folders.state / MANIFEST)
    shutil.rmtree(folders.staging, ignore_errors=True)
    if not options.base_url:
        report.notes.append(
            "No base address (--base-url or TRACKER_SITE_URL): the feeds, the API's files and the sitemap, "
            "which need absolute addresses, were left out."
        )
    return report


def _snapshot(staging: Path, edition: Edition) -> Path:
    """The edition kept for good: every current file, hard-linked into a folder of its own (moved under
    editions/<id>/ at the swap). Files are never modified in place, so the links cost no space."""
    folder, made = staging / ".edition", set()
    for source in sorted(staging.rglob("*")):
        if source.is_file() and not source.relative_to(staging).parts[0].startswith("."):
            _place(str(folder / source.relative_to(staging)), None, str(source), made)
    return folder
