"""The offline brief: one self-contained HTML page (no script, no network) describing a view.

Rendered by Jinja2 with autoescape from `templates/brief.html.j2`, so every piece of
text from the data is escaped; only http(s) addresses (and, for the permalink, a
relative link) become links. The layout (`layout.html.j2`), the macros (`macros.html.j2`)
and the styles (`base.css`) are shared with the static site (`site.py`), whose pages
use the same environment (`template_environment`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from functools import cache

import jinja2
from markupsafe import Markup

from . import analysis, charts, citation, evidence, translation
from .edition import FINGERPRINT_SHOWN, describe_moment
from .edition import fingerprint as edition_fingerprint
from .exports import export_chart, title_of
from .language import DEFAULT, LANGUAGES, catalog, is_language, words
from .model import Tracker, format_date, is_web_address, status_by_id
from .view import View, describe_as_of, describe_filters, earliest_date, filter_recommendations

_RELATIVE_URL = re.compile(r"\A(?:/(?!/)|\?)[^\s\x00-\x1f\x7f<>\"']*\Z|\A/\Z")
_COLOUR = re.compile(r"\A#[0-9a-fA-F]{6}\Z")
# Widths for the page; the dashboard stretches the same charts to its columns.
_BRIEF_WIDTHS = {"status_over_time": 900, "timeline": 620}


def _is_link(url: str, allow_relative: bool = False) -> bool:
    url = url or ""
    return is_web_address(url) or (allow_relative and bool(_RELATIVE_URL.match(url)))


def _safe_colour(colour: str) -> str:
    return colour if _COLOUR.match(colour or "") else "#999999"


class CompiledTemplates(jinja2.BytecodeCache):
    """The templates' compiled code, kept in memory for the whole process (Jinja2's bytecode-cache interface, as
    its documentation shows it for memcached): shared by the languages' environments, each template is compiled
    once per process instead of once per language (half a second of a new process's first site build). They can
    share it: the environments differ only in their catalogs, filters and tests, which a page looks up when
    rendered, and a template whose source changed is compiled again (its checksum is checked when loaded)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)  # resets the bucket where the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


@cache
def template_environment(lang: str = DEFAULT) -> jinja2.Environment:
    """The Jinja2 environment of the brief and the site in one language: autoescaped, strict, with their
    filters and tests, and the i18n extension installed with that language's catalog (`{% trans %}`, `_()`,
    `ngettext`; messages trimmed as scripts/catalogs.py extracts them). One environment per language, never
    a catalog shared across languages; dates and numbers (`date`, `number`) as the language writes them."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("tracker", "templates"),
        autoescape=True,  # explicit: select_autoescape() says no for .j2 names
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=COMPILED,
    )
    environment.policies["ext.i18n.trimmed"] = True
    translations = catalog(lang)
    environment.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)
    said = words(lang)
    environment.filters["date"] = format_date if lang == DEFAULT else said.date
    environment.filters["number"] = said.number
    environment.filters["colour"] = _safe_colour
    environment.tests["link"] = _is_link
    return environment


def inline_svg(chart, label: str) -> Markup:
    """A chart drawn as SVG to sit inside HTML (the brief's, the site's), named by `label` for screen readers."""
    # vl-convert escapes the chart's own text; the label is escaped here.
    svg = export_chart(chart, "svg").decode("utf-8")
    svg = svg[svg.find("<svg") :]  # drop any XML prolog: the SVG sits inside HTML
    return Markup(svg.replace("<svg", str(Markup('<svg role="img" aria-label="{}"').format(label)), 1))


def _when(generated: datetime) -> str:
    if generated.tzinfo is None:
        return generated.isoformat(sep=" ", timespec="minutes")
    moment = generated.astimezone(timezone.utc).replace(tzinfo=None)
    return f"{moment.isoformat(sep=' ', timespec='minutes')} UTC"  # isoformat: four-digit years, always


def render_brief(
    tracker: Tracker, view: View, *, since: date, permalink: str, generated: datetime, publisher: str = ""
) -> str:
    """The brief of a view: stamp, headline numbers, the four charts as inline SVG, the
    recommendations table with the evidence behind each status, what changed since `since`, and how to
    cite it (APA 7, BibTeX, RIS: `publisher` publishes it, by default the permalink's site). `tracker` is the
    data as stored (English): in the view's language its texts are read from its translations, and its words,
    dates, charts and fonts are that language's."""
    fingerprint = edition_fingerprint(tracker)  # of the data as stored, as the frozen link's page shows it
    lang = view.lang if is_language(view.lang) else DEFAULT
    w = words(lang)
    if lang != DEFAULT:
        tracker = translation.read_in(tracker, lang)[0]
    settings = tracker.settings
    log = analysis.list_updates(tracker)
    frame = evidence.add_evidence(analysis.statuses_as_of(tracker, view.as_of, log), tracker, log, view.as_of, w)
    shown = filter_recommendations(frame, view)
    subset = log[log["rec_id"].isin(shown["id"])]
    changes = analysis.list_changes(tracker, since, view.as_of, subset)
    latest = analysis.latest_update(log, view.as_of, tracker)
    event = analysis.latest_event(tracker, log, view.as_of)
    figures = []
    for name, chart in charts.build_charts(tracker, view, log, shown=shown, w=w).items():
        if name in _BRIEF_WIDTHS:
            chart = chart.properties(width=_BRIEF_WIDTHS[name])
        figures.append((name, inline_svg(chart, title_of(chart) or name)))
    cited = citation.cite_page(
        settings, title=settings.title, kind="Offline brief", as_of=view.as_of, published=view.published or generated,
        url=permalink, accessed=generated.date(), publisher=publisher,
    )  # fmt: skip
    # The key to the numbered dashed lines of "Status over time": on paper nothing else explains them.
    events = analysis.list_context_events(tracker, earliest_date(tracker), view.as_of, w).to_dict(orient="records")
    sources = analysis.event_sources(tracker)  # every source of each event, not only the chart's first
    events = [{**event, "sources": sources[event["id"]]} for event in events]
    return (
        template_environment(lang)
        .get_template("brief.html.j2")
        .render(
            settings=settings,
            article=settings.article,
            as_of=view.as_of,
            as_of_text=describe_as_of(view, w),
            latest=latest,
            event=event,
            filters=describe_filters(view, tracker, w),
            fingerprint=fingerprint,
            fingerprint_short=fingerprint[:FINGERPRINT_SHOWN],
            generated=_when(generated),
            published=(describe_moment(view.published) if lang == DEFAULT else w.moment(view.published))
            if view.published
            else _when(generated),
            permalink=permalink,
            counts=analysis.count_by_status(shown, settings).to_dict(orient="records"),
            score=analysis.score_progress(shown, settings),
            stale=int(shown["stale"].sum()),
            changed=int(changes["changed"].sum()) if not changes.empty else 0,
            since=since,
            shown=shown.to_dict(orient="records"),
            total=len(frame),
            colours={s.id: s.colour for s in settings.statuses},
            changes=changes.to_dict(orient="records"),
            formula=analysis.describe_progress_formula(settings, w),
            methodology=[part for part in settings.methodology.split("\n\n") if part.strip()],
            statuses=list(status_by_id(settings).values()),
            charts=figures,
            events=events,
            cite=citation.format_apa(cited),
            cite_style=citation.STYLE,
            bibtex=citation.format_bibtex(cited),
            ris=citation.format_ris(cited).replace("\r\n", "\n"),
            css=Markup(template_environment().loader.get_source(template_environment(), "base.css")[0]),
            lang=lang,
            # The language's fonts, Latin first, for a brief opened offline (Hangul and kana need a CJK face).
            fonts="" if lang == DEFAULT else f"system-ui, {LANGUAGES[lang].fonts}",
        )
    )
