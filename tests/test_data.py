"""The bundled data: valid, canonical, sourced, and true to the article.

Invariants only: an analyst recording a legitimate update never turns these red.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pytest
from conftest import BUNDLED, ROOT
from markupsafe import escape

from tracker.model import Tracker, parse_timestamp, start_of, statuses_in_force
from tracker.storage.yaml_files import YamlStore
from tracker.validation import find_problems
from tracker.yaml_text import dump_tracker, parse_yaml

ARTICLE = ROOT.parent / "shared" / "article.txt"


@pytest.fixture(scope="module")
def bundled():
    return YamlStore(BUNDLED).load(today=date.today())


def test_bundled_data_is_valid():
    assert find_problems(BUNDLED, today=date.today()) == []


def test_bundled_data_is_canonical(bundled):
    assert dump_tracker(bundled) == BUNDLED.read_text(encoding="utf-8")


def _status_changes(rec):
    """(status in force before, update) for every update of a recommendation that changes its status
    (a review states none and a withdrawn entry counts for nothing: neither is a change)."""
    held = statuses_in_force(rec.updates)
    return [
        (held[position - 1], update)
        for position, update in enumerate(rec.updates)
        if position and update.status is not None and not update.withdrawn and update.status != held[position - 1]
    ]


def test_every_status_change_is_sourced(bundled):
    unsourced = [
        (rec.id, update.date)
        for rec in bundled.recommendations
        for _, update in _status_changes(rec)
        if not update.sources
    ]
    assert unsourced == []


def test_every_baseline_is_the_article_month(bundled):
    assert {rec.updates[0].date for rec in bundled.recommendations} == {bundled.settings.article.published}


def test_no_excluded_or_unreliable_sources(bundled):
    urls = [s.url for rec in bundled.recommendations for u in rec.updates for s in u.sources]
    urls += [s.url for event in bundled.context_events for s in event.sources]
    for banned in ("hanna-ai.com", "metaqsol.com", "xn--vg1b002a.net", "hotscup.com", "time.news"):
        assert not [url for url in urls if banned in url]


@pytest.mark.skipif(not ARTICLE.exists(), reason="the article text (../shared/article.txt) is not beside this checkout")
def test_quotes_are_verbatim_from_the_article(bundled):
    article = re.sub(r"\s+", " ", ARTICLE.read_text(encoding="utf-8"))
    missing = [rec.id for rec in bundled.recommendations if re.sub(r"\s+", " ", rec.quote).strip() not in article]
    assert missing == []


def test_no_source_title_is_a_placeholder(bundled):
    titles = [s.title for rec in bundled.recommendations for u in rec.updates for s in u.sources]
    titles += [s.title for event in bundled.context_events for s in event.sources]
    assert [title for title in titles if "not captured" in title.lower() or "placeholder" in title.lower()] == []


def test_no_recommendation_was_stale_on_the_day_of_the_last_documented_sweep(bundled):
    # A fixed day: later updates cannot change how things stood then, so new records never turn this red.
    from tracker.analysis import statuses_as_of

    assert not statuses_as_of(bundled, date(2026, 12, 1))["stale"].any()


# --- Round 3 (the audit of 6 December 2026): invariants of the bundled data --------------------------------

# A source published on day P reports events of day P or a little before it (a time zone, a next-day paper, a
# weekend); a status change dated earlier than that is dated before what its sources can show.
REPORTING_LAG = timedelta(days=3)


def test_no_status_change_is_dated_before_the_earliest_date_its_sources_report(bundled):
    early = []
    for rec in bundled.recommendations:
        for _, update in _status_changes(rec):
            reported = [start_of(source.published) for source in update.sources if source.published]
            if reported and start_of(update.date) < min(reported) - REPORTING_LAG:
                early.append((rec.id, update.date, min(reported).isoformat()))
    assert early == []


def test_no_description_stands_as_a_headline(bundled):
    from tracker.validation import check_source_title

    titles = {s.title for rec in bundled.recommendations for u in rec.updates for s in u.sources}
    titles |= {s.title for event in bundled.context_events for s in event.sources}
    assert sorted(title for title in titles if check_source_title(title)) == []


def test_context_events_show_all_their_sources_on_the_timeline_and_in_the_brief(bundled):
    from tracker import analysis
    from tracker.brief import render_brief
    from tracker.model import labels_of
    from tracker.view import View, earliest_date
    from ui.table import render_context_events

    as_of = date(2026, 12, 7)
    events = analysis.list_context_events(bundled, earliest_date(bundled), as_of)
    several = [event for event in bundled.context_events if len(event.sources) > 1]
    assert several, "no context event with several sources to check"
    listed_here = render_context_events(
        events, analysis.event_sources(bundled), labels_of(bundled.settings.source_kinds)
    )
    lines = dict(zip(events["id"], re.findall(r"<li value=.*?</li>", listed_here), strict=True))
    page = render_brief(bundled, View(as_of=as_of), since=as_of, permalink="/", generated=datetime(2026, 12, 7))
    listed = re.search(r'<ol class="events">(.*?)</ol>', page, re.S).group(1)
    for event in several:
        assert all(f'href="{html.escape(source.url)}"' in lines[event.id] for source in event.sources), event.id
        assert all(f'href="{escape(source.url)}"' in listed for source in event.sources), event.id


def test_the_methodology_types_no_figure_of_weak_sources(bundled):
    # The Methodology page computes it (analysis.count_weakly_sourced); a typed figure goes stale with every update.
    assert not re.search(r"\(\d+ as of [0-9]", bundled.settings.methodology)


# The data as it stood on main before round 3, and the moments before round 3's record time: what any view
# published then showed must read the same from today's file (corrections are undone, later records left out).
BEFORE_ROUND_3 = ROOT / "tests" / "fixtures" / "recommendations-2026-12-06.yaml"
ROUND_3 = "2026-12-07T01:13:20Z"


@pytest.mark.parametrize(
    "moment", ["2026-11-27T12:00:00Z", "2026-11-30T08:00:00Z", "2026-12-01T23:59:59Z", "2026-12-07T01:13:19Z"]
)
def test_views_published_before_round_3_read_as_they_did(bundled, moment):
    from tracker import analysis, edition

    old = Tracker.model_validate(parse_yaml(BEFORE_ROUND_3.read_bytes(), BEFORE_ROUND_3.name)[0])
    pinned = parse_timestamp(moment)
    assert pinned < parse_timestamp(ROUND_3)
    then, now = edition.as_published(old, pinned), edition.as_published(bundled, pinned)
    assert edition.fingerprint(now) == edition.fingerprint(then)
    for as_of in (pinned.date(), date(2023, 6, 30), date(2025, 6, 30)):
        assert analysis.statuses_as_of(now, as_of).equals(analysis.statuses_as_of(then, as_of))


# -- every document of the index: the same rules (the Camp David commitments beside the USIP article) ------


def _documents():
    from tracker.storage import list_documents, yaml_file_of

    return [
        (document.id, yaml_file_of(document.location)) for document in list_documents(ROOT / "data" / "documents.yaml")
    ]


@pytest.mark.parametrize(("doc_id", "path"), _documents(), ids=[doc_id for doc_id, _ in _documents()])
def test_every_document_is_valid_canonical_and_sourced(doc_id, path):
    assert find_problems(path, today=date.today()) == []
    tracker = YamlStore(path).load(today=date.today())
    assert dump_tracker(tracker) == path.read_text(encoding="utf-8")
    supporting = {kind.id for kind in tracker.settings.source_kinds if kind.supports_change}
    weak = [
        (rec.id, update.date)
        for rec in tracker.recommendations
        for _, update in _status_changes(rec)
        if not any(source.kind in supporting for source in update.sources)
    ]
    assert weak == []  # every change of status rests on an official, news or analysis source
    from tracker.validation import check_source_title

    titles = {s.title for rec in tracker.recommendations for u in rec.updates for s in u.sources}
    titles |= {s.title for rec in tracker.recommendations for p in rec.periods for s in p.sources}
    titles |= {s.title for event in tracker.context_events for s in event.sources}
    assert sorted(title for title in titles if check_source_title(title)) == []


def test_the_camp_david_paraphrases_are_marked_as_such():
    """A paraphrase is never shown as a quote: every commitment says what its words are."""
    path = dict(_documents())["camp-david-2023"]
    tracker = YamlStore(path).load(today=date.today())
    kinds = {rec.quote_kind for rec in tracker.recommendations}
    assert "paraphrase" in kinds and kinds <= {"verbatim", "quoted", "fact_sheet", "paraphrase"}
    assert all(rec.quote_source or rec.quote_kind in ("verbatim", "paraphrase") for rec in tracker.recommendations)


def test_the_bundled_index_round_trips_through_a_database(tmp_path):
    """Every field of every document survives an import into a database and back (an SQLite file:
    the same tables and code as PostgreSQL)."""
    from tracker.storage import list_documents, open_store

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    for document in list_documents(ROOT / "data" / "documents.yaml"):
        original = open_store(document.location).load(today=date.today())
        store = open_store(f"{url}#{document.id}")
        store.replace(original, today=date.today())
        assert open_store(f"{url}#{document.id}").load(today=date.today()) == original
        store.dispose()
