"""Analysis functions on the small hand-written tracker, with explicit dates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from conftest import TODAY

from tracker import analysis


def test_statuses_as_of_today(tracker):
    frame = analysis.statuses_as_of(tracker, TODAY).set_index("id")
    assert frame.loc["export-controls", "status"] == "implemented"
    assert frame.loc["export-controls", "since"] == pd.Timestamp("2023-03-16")
    assert frame.loc["export-controls", "days_in_status"] == (TODAY - date(2023, 3, 16)).days
    # A review with the same status keeps the 'since' date but resets staleness.
    assert frame.loc["joint-fund", "since"] == pd.Timestamp("2023-03-01")
    assert frame.loc["joint-fund", "days_since_update"] == (TODAY - date(2026, 10, 1)).days
    assert not frame.loc["joint-fund", "stale"]
    assert frame.loc["export-controls", "stale"]
    # A per-recommendation review interval overrides the tracker's.
    assert frame.loc["trilateral-talks", "review_interval_days"] == 30


def test_statuses_as_of_a_past_day(tracker):
    frame = analysis.statuses_as_of(tracker, date(2023, 3, 10)).set_index("id")
    assert frame.loc["export-controls", "status"] == "in_progress"
    assert frame.loc["joint-fund", "status"] == "partial"


def test_recommendations_not_yet_tracked_are_left_out(tracker):
    assert analysis.statuses_as_of(tracker, date(2022, 1, 1)).empty


def test_count_by_status_includes_zeros_in_taxonomy_order(tracker):
    counts = analysis.count_by_status(analysis.statuses_as_of(tracker, TODAY), tracker.settings)
    assert list(counts["status"]) == ["not_started", "in_progress", "partial", "implemented", "stalled", "reversed"]
    assert list(counts["count"]) == [1, 0, 1, 1, 0, 0]


def test_count_by_addressee_counts_shared_recommendations_once_per_country(tracker):
    counts = analysis.count_by(analysis.statuses_as_of(tracker, TODAY), "addressee", tracker.settings)
    japan = counts[counts["addressee"] == "japan"].set_index("status")["count"]
    assert japan["implemented"] == 1 and japan["partial"] == 1 and japan["not_started"] == 1
    assert counts[counts["addressee"] == "united_states"]["count"].sum() == 1


def test_count_by_category(tracker):
    counts = analysis.count_by(analysis.statuses_as_of(tracker, TODAY), "category", tracker.settings)
    assert counts.groupby("category")["count"].sum().to_dict() == {"history": 1, "security": 1, "trade": 1}


def test_progress_score_is_the_mean_weight(tracker):
    frame = analysis.statuses_as_of(tracker, TODAY)
    assert analysis.score_progress(frame, tracker.settings) == pytest.approx((1.0 + 0.6 + 0.0) / 3 * 100, abs=0.1)
    assert analysis.score_progress(frame.iloc[0:0], tracker.settings) == 0.0
    assert "Implemented 1" in analysis.describe_progress_formula(tracker.settings)


def test_status_counts_over_time_step_on_change_dates(tracker):
    over_time = analysis.count_status_over_time(tracker, date(2022, 7, 1), TODAY)
    pivot = over_time.pivot(index="date", columns="status", values="count")
    assert list(pivot.index) == [
        pd.Timestamp(d) for d in ("2022-07-01", "2023-03-01", "2023-03-06", "2023-03-16", "2026-11-27")
    ]
    assert pivot.loc["2023-03-06", "in_progress"] == 1
    assert pivot.loc["2026-11-27", "implemented"] == 1
    assert (pivot.sum(axis=1) == 3).all()


@pytest.mark.parametrize("as_of", [date(2022, 7, 1), date(2023, 3, 6), TODAY], ids=["article-day", "mid", "today"])
def test_status_counts_over_time_end_on_the_statuses_of_that_day(tracker, as_of):
    over_time = analysis.count_status_over_time(tracker, date(2022, 7, 1), as_of)
    last = over_time[over_time["date"] == over_time["date"].max()].set_index("status")["count"]
    expected = analysis.count_by_status(analysis.statuses_as_of(tracker, as_of), tracker.settings)
    assert last.to_dict() == expected.set_index("status")["count"].to_dict()
    assert not over_time.duplicated(["date", "status"]).any()  # one step per date, even when start == end


def test_changes_between_two_dates(tracker):
    changes = analysis.list_changes(tracker, date(2023, 3, 5), date(2023, 3, 31)).set_index("id")
    assert changes.loc["export-controls", "status_before"] == "No step found"
    assert changes.loc["export-controls", "status_after"] == "Implemented"
    assert changes.loc["export-controls", "updates"] == 2
    assert "joint-fund" not in changes.index  # its 2023-03 update counts from 1 March, before the window


def test_a_review_shows_as_an_update_but_not_a_change(tracker):
    changes = analysis.list_changes(tracker, date(2026, 9, 1), TODAY).set_index("id")
    assert not changes.loc["joint-fund", "changed"]


def test_the_latest_source_skips_reviews_that_cite_none(tracker):
    """A review that found nothing new cites no source: the table shows the latest source there is."""
    rec = next(rec for rec in tracker.recommendations if rec.id == "joint-fund")
    assert not rec.updates[-1].sources  # its latest update is a review
    cited = [update.sources[0] for update in rec.updates if update.sources][-1]
    row = analysis.statuses_as_of(tracker, TODAY).set_index("id").loc["joint-fund"]
    assert (row["last_source_url"], row["last_source_title"]) == (cited.url, cited.title)
    # One with no source yet has empty text, not a missing value, in the table and the exports.
    early = analysis.statuses_as_of(tracker, date(2022, 8, 1))
    assert early["last_source_url"].map(type).eq(str).all() and early["last_source_title"].map(type).eq(str).all()


def test_status_periods_run_to_as_of(tracker):
    periods = analysis.list_status_periods(tracker, TODAY)
    export = periods[periods["rec_id"] == "export-controls"]
    assert list(export["status"]) == ["not_started", "in_progress", "implemented"]
    assert export["end"].iloc[-1] == pd.Timestamp(TODAY)
    assert (export["end"].iloc[:-1].values == export["start"].iloc[1:].values).all()


def test_summarise(tracker):
    numbers = analysis.summarise(tracker, TODAY)
    assert numbers["recommendations"] == 3
    assert numbers["stale"] == 2
    assert numbers["latest_update"] == "2026-10-01"
    assert analysis.summarise(tracker, date(2023, 3, 31), recent_days=31)["changed_recently"] == 2
    # The window excludes its first day: joint-fund's "2023-03" counts as 1 March.
    assert analysis.summarise(tracker, date(2023, 3, 31), recent_days=30)["changed_recently"] == 1


def test_last_reviewed_and_latest_event_are_told_apart(tracker):
    # joint-fund's latest update (2026-10-01) is a review with no source: someone checked, nothing happened.
    log = analysis.list_updates(tracker)
    frame = analysis.statuses_as_of(tracker, TODAY, log).set_index("id")
    assert frame.loc["joint-fund", "last_update"] == "2026-10-01"
    assert frame.loc["joint-fund", "last_event"] == "2023-03"
    assert pd.isna(frame.loc["trilateral-talks", "last_event"])  # only a baseline
    assert analysis.latest_update(log, TODAY) == "2026-10-01"
    assert analysis.latest_event(tracker, log, TODAY) == "2023-03-16"  # the lifting, and the summit that day
    assert analysis.latest_event(tracker, log, date(2023, 3, 10)) == "2023-03-06"


def test_the_overview_answers_in_one_sentence(tracker):
    log = analysis.list_updates(tracker)
    frame = analysis.statuses_as_of(tracker, TODAY, log)
    reviewed, event = analysis.latest_update(log, TODAY), analysis.latest_event(tracker, log, TODAY)
    assert analysis.describe_overview(frame, tracker.settings, reviewed, event) == (
        "1 of 3 implemented, 1 no step found, 1 partially implemented; "
        "last reviewed 1 Oct 2026; latest event 16 Mar 2023."
    )
    # Before anything happened: the done count leads even at zero, and the dates say so.
    early = analysis.statuses_as_of(tracker, date(2022, 8, 1), log)
    assert analysis.describe_overview(early, tracker.settings, None, None) == (
        "0 of 3 implemented, 3 no step found; last reviewed —; latest event —."
    )
    assert analysis.describe_overview(early.iloc[0:0], tracker.settings, None, None) == (
        "No recommendation is tracked yet."
    )


def test_latest_changes_are_status_changes_newest_first(tracker):
    log = analysis.list_updates(tracker)
    changes = analysis.list_latest_changes(tracker, log, TODAY, limit=2)
    assert changes[["rec_id", "date", "before", "after"]].values.tolist() == [
        ["export-controls", "16 Mar 2023", "In progress", "Implemented"],
        ["export-controls", "6 Mar 2023", "No step found", "In progress"],
    ]
    assert changes["source_url"].tolist() == ["https://example.org/b", "https://example.org/a"]
    # A review with no change and baselines never show; the as-of date cuts later ones.
    assert analysis.list_latest_changes(tracker, log, date(2023, 3, 10))["date"].tolist() == [
        "6 Mar 2023",
        "Mar 2023 (day unknown)",
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_latest_changes_keep_the_logs_order_among_changes_of_one_day(tracker, limit):
    """The newest changes are found on the sorting columns alone: the same rows, in the same order, as the whole
    log sorted by day (newest first) then by recommendation, ties in the log's order."""
    log = analysis.list_updates(tracker)
    # Every change on one of two days, and the log's rows reversed: many ties, kept in the log's order.
    day = pd.Timestamp(2023, 3, 1)
    log = log.assign(start=[day + pd.Timedelta(days=n % 2) for n in range(len(log))]).iloc[::-1]
    rows = log[(log["start"] <= pd.Timestamp(TODAY)) & log["is_change"] & (log["position"] > 0)]
    expected = rows.sort_values(["start", "rec_order"], ascending=[False, True]).head(limit)
    found = analysis.list_latest_changes(tracker, log, TODAY, limit=limit)
    assert len(expected) == min(limit, len(rows)) and len(rows) > 2
    assert found["rec_id"].tolist() == expected["rec_id"].tolist()
    labels = {status.id: status.label for status in tracker.settings.statuses}
    assert found["after"].tolist() == [labels[status] for status in expected["status"]]
    assert found["source_url"].tolist() == expected["source_url"].tolist()


def test_each_chart_has_a_one_sentence_summary(tracker):
    frame = analysis.statuses_as_of(tracker, TODAY)
    sentences = analysis.describe_charts(frame, tracker.settings, date(2022, 7, 1), TODAY, 1)
    assert sentences["status_by_category"] == (
        "Status by category, as of 27 Nov 2026: Trade holds the most recommendations (1 of 3); "
        "Trade has the most implemented (1)."
    )
    assert (
        sentences["scorecard"] == "Implemented per addressee: Japan 1 of 3, South Korea 0 of 2, United States 0 of 1."
    )
    assert sentences["status_over_time"].endswith(
        "1 implemented at the end; 1 context event is marked with dashed lines, numbered in the list below."
    )
    assert all(sentence.endswith(".") for sentence in sentences.values())


def test_count_weakly_sourced_counts_entries_resting_only_on_weak_kinds(data):
    from tracker.validation import validate_data

    assert analysis.count_weakly_sourced(validate_data(data, today=TODAY)) == 0
    copy = {"url": "https://example.org/copy", "title": "[A copy]", "kind": "repost"}
    data["context_events"][0]["sources"] = [copy]  # only a repost: counted
    update = data["recommendations"][1]["updates"][-1]
    update["sources"] = [copy, {"url": "https://example.org/own", "title": "Own report", "kind": "news"}]  # not
    assert analysis.count_weakly_sourced(validate_data(data, today=TODAY)) == 1


def test_a_rows_why_is_the_assessments_first_sentence_that_says_something(tracker):
    settings = tracker.settings
    text = "Implemented. On 16 March 2023 METI lifted the U.S.-style controls. Seoul followed in April."
    assert analysis.summarise_assessment(text, settings) == "On 16 March 2023 METI lifted the U.S.-style controls."
    # A status restated by its id in words (an older label, 'Not started') is passed over too.
    assert analysis.summarise_assessment("Not started. No step found in   2024.", settings) == "No step found in 2024."
    assert analysis.summarise_assessment("Talks began. More later.", settings) == "Talks began."
    assert analysis.summarise_assessment("Implemented.", settings) == "Implemented."  # nothing else to say


def test_what_changed_between_two_dates_in_a_sentence(tracker):
    log = analysis.list_updates(tracker)
    updates = analysis.list_window_updates(tracker, date(2023, 3, 6), date(2023, 3, 31), log)
    # Both ends count: the talks of 6 March are in; the fund (March, day unknown: the 1st) is not.
    assert updates[["rec_id", "date", "before", "after", "change"]].values.tolist() == [
        ["export-controls", "2023-03-06", "No step found", "In progress", True],
        ["export-controls", "2023-03-16", "In progress", "Implemented", True],
    ]
    assert analysis.describe_window(updates, date(2023, 3, 6), date(2023, 3, 31)) == (
        "Between 6 Mar and 31 Mar 2023: 2 status changes and 0 other updates, for 1 recommendation."
    )
    everything = analysis.list_window_updates(tracker, date(2022, 7, 1), TODAY, log)
    assert analysis.describe_window(everything, date(2022, 7, 1), TODAY) == (
        "Between 1 Jul 2022 and 27 Nov 2026: 3 status changes, 0 other updates, 1 review that found nothing new "
        "and 3 baselines (where tracking began), for 3 recommendations."
    )
    nothing = analysis.list_window_updates(tracker, date(2024, 1, 1), date(2024, 6, 30), log)
    assert analysis.describe_window(nothing, date(2024, 1, 1), date(2024, 6, 30)) == (
        "Between 1 Jan and 30 Jun 2024: nothing was recorded for the recommendations shown."
    )


def test_a_document_of_commitments_names_its_items_so(tracker):
    """A joint statement's items are commitments: every sentence that names the items says so (#26, #27)."""
    article = tracker.settings.article.model_copy(update={"item_word": "commitment"})
    settings = tracker.settings.model_copy(update={"article": article})
    frame = analysis.statuses_as_of(tracker, TODAY)
    assert "each commitment's status weight" in analysis.describe_progress_formula(settings)
    sentences = analysis.describe_charts(frame, settings, date(2022, 7, 1), TODAY, 1)
    assert all("recommendation" not in text for text in sentences.values()), sentences
    assert "holds the most commitments" in sentences["status_by_category"]
    assert sentences["status_over_time"].startswith(f"Status of the {len(frame)} commitments from")
    assert "recommendation" in analysis.describe_charts(frame, tracker.settings, date(2022, 7, 1), TODAY, 1)["timeline"]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Searched the news of November.", "Searched the news of November."),
        ("Searched the news. Found nothing new.", "Searched the news."),
        ("  Searched\nthe news.  Found nothing.", "Searched the news."),
        ("U.S. Forces Korea was checked. Nothing new.", "U.S. Forces Korea was checked."),
        ("word " * 50, ("word " * 31).strip() + "…"),
        (
            "Checked the archive, " + "and more " * 30 + "in every language.",
            "Checked the archive, " + ("and more " * 15).strip() + "…",
        ),
    ],
)
def test_a_note_is_shortened_to_its_first_sentence_and_a_header_line(note, expected):
    shortened = analysis.shorten_note(note)
    assert shortened == expected
    assert len(shortened) <= 160
