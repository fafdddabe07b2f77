"""The bundled data: valid, canonical, sourced, and true to the article.

Invariants only: an analyst recording a legitimate update never turns these red.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import BUNDLED, ROOT

from tracker.model import statuses_in_force
from tracker.storage.yaml_files import YamlStore
from tracker.validation import find_problems
from tracker.yaml_text import dump_tracker

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
