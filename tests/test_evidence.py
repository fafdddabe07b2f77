"""How sure we are (tracker/evidence.py, tracker/sources.py): the evidence behind each status, in words."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import RECORDED, TODAY, make_data

from tracker import analysis, evidence
from tracker.sources import mention_source, name_publisher
from tracker.validation import validate_data


def _source(url: str, kind: str, title: str = "A page") -> dict:
    return {"url": url, "title": title, "kind": kind}


def _update(when: str, status: str, note: str, *sources: dict) -> dict:
    return {"date": when, "status": status, "note": note, "sources": list(sources), "author": "T", "recorded": RECORDED}


def tracker_with_each_kind_of_evidence():
    """The small tracker, with one recommendation per kind of evidence:
    - export-controls: talks (official), then lifted (news), then an official statement and a news report
      confirm it (sourced: official, news);
    - joint-fund: set by a news report, then a review that found nothing new (sourced: news);
    - trilateral-talks: a baseline with no source, then reviews (no evidence since the baseline);
    - hotline: a baseline with no source, then an update citing only a repost and an aggregator (copy only)."""
    data = make_data()
    data["tracker"]["source_kinds"].append(
        {"id": "aggregator", "label": "Aggregator", "definition": "A summary site.", "supports_change": False}
    )
    recs = {rec["id"]: rec for rec in data["recommendations"]}
    recs["export-controls"]["updates"][1]["sources"][0]["kind"] = "official"  # the talks: an official statement
    recs["export-controls"]["updates"].append(
        _update(
            "2023-04-02",
            "implemented",
            "Confirmed by the ministry.",
            _source("https://www.meti.go.jp/english/press/2023/0402.html", "official", "METI news release"),
            _source("https://en.yna.co.kr/view/AEN2023", "news", "Yonhap report"),
        )
    )
    recs["trilateral-talks"]["updates"].append(_update("2026-10-01", "not_started", "Reviewed, no change."))
    hotline = {
        **{key: value for key, value in recs["trilateral-talks"].items() if key != "review_interval_days"},
        "id": "hotline",
        "title": "Open a hotline",
        "updates": [
            _update("2022-07", "not_started", "Baseline."),
            _update(
                "2024-07-28",
                "not_started",
                "Reported only by copies.",
                _source("https://exbulletin.com/world/3076037/", "repost", "[ExBulletin: a copy of the statement]"),
                _source("https://d33gy59ovltp76.cloudfront.net/news/x", "aggregator", "(unidentified site)"),
            ),
        ],
    }
    data["recommendations"].append(hotline)
    return validate_data(data, today=TODAY)


@pytest.fixture(scope="module")
def varied():
    return tracker_with_each_kind_of_evidence()


def history(tracker, rec_id: str, as_of: date = TODAY) -> pd.DataFrame:
    log = analysis.list_updates(tracker)
    return log[(log["rec_id"] == rec_id) & (log["start"] <= pd.Timestamp(as_of))]


def test_each_kind_of_evidence_is_told_apart(varied):
    settings = varied.settings
    sourced = evidence.assess_evidence(history(varied, "export-controls"), settings)
    assert (sourced.code, sourced.kinds, sourced.date) == (evidence.SOURCED, ("official", "news"), "2023-04-02")
    reviewed = evidence.assess_evidence(history(varied, "joint-fund"), settings)
    assert (reviewed.code, reviewed.kinds, reviewed.date) == (evidence.SOURCED, ("news",), "2023-03")  # not the review
    copies = evidence.assess_evidence(history(varied, "hotline"), settings)
    assert (copies.code, copies.kinds, copies.date) == (evidence.COPY_ONLY, ("repost", "aggregator"), "2024-07-28")
    nothing = evidence.assess_evidence(history(varied, "trilateral-talks"), settings)
    assert (nothing.code, nothing.kinds, nothing.date) == (evidence.NO_EVIDENCE, (), "2022-07")


def test_the_evidence_in_words_a_reader_understands(varied):
    words = evidence.list_evidence(varied, analysis.list_updates(varied), TODAY).set_index("id")
    assert words.loc["export-controls", "evidence_text"] == "Official and news sources (latest 2 Apr 2023)"
    assert words.loc["joint-fund", "evidence_text"] == "News sources (latest Mar 2023)"
    assert words.loc["hotline", "evidence_text"] == "Only a repost or aggregator copy (latest 28 Jul 2024)"
    assert words.loc["trilateral-talks", "evidence_text"] == "No evidence found since Jul 2022"
    # The few words of a list name the source (publisher and kind), never a copy's or a page's long title.
    assert words.loc["export-controls", "evidence_label"] == "meti.go.jp, official"
    assert words.loc["hotline", "evidence_label"] == "Only a copy: exbulletin.com, repost"
    assert words.loc["trilateral-talks", "evidence_label"] == "None found since Jul 2022"
    assert not words["evidence_label"].str.contains("ExBulletin|unidentified").any()


def test_the_evidence_is_as_of_a_date_and_starts_afresh_with_each_status(varied):
    """Before the official confirmation the status rested on the news report that set it; the official
    statement behind the status before (in progress) does not carry over; before any source, nothing."""
    settings = varied.settings
    earlier = evidence.assess_evidence(history(varied, "export-controls", date(2023, 3, 20)), settings)
    assert (earlier.code, earlier.kinds, earlier.date) == (evidence.SOURCED, ("news",), "2023-03-16")
    talks = evidence.assess_evidence(history(varied, "export-controls", date(2023, 3, 10)), settings)
    assert (talks.code, talks.kinds, talks.date) == (evidence.SOURCED, ("official",), "2023-03-06")
    baseline = evidence.assess_evidence(history(varied, "export-controls", date(2022, 12, 31)), settings)
    assert (baseline.code, baseline.date) == (evidence.NO_EVIDENCE, "2022-07")
    assert evidence.assess_evidence(history(varied, "export-controls", date(2022, 6, 30)), settings) is None


def test_the_statuses_table_carries_the_evidence_of_each_row(varied):
    log = analysis.list_updates(varied)
    frame = evidence.add_evidence(
        analysis.statuses_as_of(varied, date(2023, 3, 20), log), varied, log, date(2023, 3, 20)
    )
    assert list(frame["id"]) == [rec.id for rec in varied.recommendations]  # one row each, in the table's order
    codes = dict(zip(frame["id"], frame["evidence"], strict=True))
    assert codes == {
        "export-controls": evidence.SOURCED,
        "joint-fund": evidence.SOURCED,
        "trilateral-talks": evidence.NO_EVIDENCE,
        "hotline": evidence.NO_EVIDENCE,  # its copies came later
    }


def test_a_short_name_for_a_source_prefers_its_publisher():
    def source(url, **fields):
        return SimpleNamespace(url=url, kind="news", **fields)

    assert name_publisher(source("https://en.yna.co.kr/view/AEN2023")) == "yna.co.kr"
    assert name_publisher(source("https://japannews.yomiuri.co.jp/politics/")) == "yomiuri.co.jp"
    assert name_publisher(source("https://www.nippon.com/en/news/")) == "nippon.com"
    assert name_publisher(source("https://www.aa.com.tr/en/asia-pacific/")) == "aa.com.tr"
    assert name_publisher(source("http://127.0.0.1:8501/x")) == "127.0.0.1"
    assert name_publisher(source("https://en.yna.co.kr/view/1", publisher="Yonhap")) == "Yonhap"
    assert mention_source(source("https://en.yna.co.kr/view/1"), {"news": "News"}) == "yna.co.kr, news"


def test_thin_evidence_is_said_from_the_data():
    """The small tracker's latest sourced item is of March 2023 while reviews ran to October 2026."""
    tracker = validate_data(make_data(), today=TODAY)
    log = analysis.list_updates(tracker)
    gap = evidence.find_evidence_gap(tracker, log, TODAY)
    assert gap == ("2023-03-16", "2026-10-01")
    assert evidence.describe_evidence_gap(gap) == (
        "Evidence is thin after Mar 2023: the latest sourced item is dated 16 Mar 2023, though the tracker was "
        "checked up to 1 Oct 2026, so a status unchanged since then reflects missing evidence, not confirmed inaction."
    )
    # Checked soon after the latest evidence: nothing to warn about.
    assert evidence.find_evidence_gap(tracker, log, date(2023, 5, 1)) is None


def test_a_review_of_the_whole_tracker_is_the_latest_check_as_the_header_says():
    """The header names a tracker-wide review as the latest check; the warning must not name an older one."""
    data = make_data()
    data["reviews"] = [
        {"date": "2026-11-20", "note": "Every recommendation checked.", "author": "A", "recorded": RECORDED}
    ]
    tracker = validate_data(data, today=TODAY)
    log = analysis.list_updates(tracker)
    assert analysis.latest_update(log, TODAY, tracker) == "2026-11-20"
    assert evidence.find_evidence_gap(tracker, log, TODAY) == ("2023-03-16", "2026-11-20")
    # Before the review, the latest check is the recommendations' own.
    assert evidence.find_evidence_gap(tracker, log, date(2026, 11, 1)) == ("2023-03-16", "2026-10-01")
