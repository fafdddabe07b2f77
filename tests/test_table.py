"""All recommendations' table (ui/table.py): escaped HTML, its orders, its pages, the latest changes list."""

from __future__ import annotations

import html

import pandas as pd
import pytest
import streamlit as st
from conftest import TODAY, make_demo_data, new_recommendation
from helpers import goto, table_rows
from streamlit.testing.v1 import AppTest

from tracker import analysis, evidence
from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker
from ui.table import (
    PAGE_ROWS,
    SORTS,
    recommendation_link,
    render_context_events,
    render_history,
    render_latest_changes,
    render_status_badge,
    render_status_table,
    render_table,
    sort_rows,
)

APP = "../dashboard.py"


def statuses(tracker, as_of=TODAY):
    """The statuses table as the page has it: with the evidence behind each status."""
    log = analysis.list_updates(tracker)
    return evidence.add_evidence(analysis.statuses_as_of(tracker, as_of, log), tracker, log, as_of)


def demo():
    tracker = validate_data(make_demo_data(), today=TODAY)
    return tracker, statuses(tracker)


def test_text_from_the_data_is_escaped_and_only_web_sources_are_links():
    data = make_demo_data()
    rec = data["recommendations"][0]
    rec["title"] = '<script>alert(1)</script> & "quotes"'
    rec["assessment"]["text"] = "Implemented. <img src=x onerror=alert(2)> was seen."
    tracker = validate_data(data, today=TODAY)
    frame = statuses(tracker)
    frame.loc[1, "evidence_label"] = "<b>not a link</b>"
    page = render_table(frame, tracker.settings, "http://host/app/", {"as_of": "2024-01-01"})
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(2)&gt; was seen." in page  # the why, escaped
    assert "<b>" not in page and "&lt;b&gt;not a link&lt;/b&gt;" in page
    assert page.count('href="') == len(frame)  # the titles only: a source is named, its link is on its page
    assert f'href="http://host/app/recommendation?as_of=2024-01-01&amp;rec={rec["id"]}"' in page
    assert page.count("<tr>") == len(frame) + 1  # and the heading row


def test_each_row_says_its_status_days_and_staleness():
    tracker, frame = demo()
    page = render_table(frame, tracker.settings, "http://host/", {})
    row = frame[frame["id"] == "export-controls"].iloc[0]
    assert f'{row["status_label"]}<span class="rec-sub">{row["days_in_status"]:,}&nbsp;days' in page
    assert ("⚠&nbsp;stale" in page) == bool(frame["stale"].any())


def test_the_status_badge_names_its_status_in_text_and_escapes_everything():
    line = render_status_badge("<b>Done</b>", '"><script>', "since 1 Jan 2024 <i>(3 days)</i>")
    assert "<script>" not in line and "<b>" not in line and "<i>" not in line
    assert "&lt;b&gt;Done&lt;/b&gt;</span> since 1 Jan 2024 &lt;i&gt;(3 days)&lt;/i&gt;</p>" in line
    assert line.startswith("<p") and "<strong>Status:</strong>" in line and 'aria-hidden="true"' in line


def test_the_orders_sort_as_they_say():
    _, frame = demo()
    assert list(sort_rows(frame, "order")["id"]) == list(frame["id"])
    assert sort_rows(frame, "days")["days_in_status"].is_monotonic_decreasing
    assert sort_rows(frame, "status")["status_order"].is_monotonic_increasing
    assert list(sort_rows(frame, "no-such-order")["id"]) == list(frame["id"])
    by_priority = sort_rows(frame, "priority")
    assert by_priority["priority_order"].is_monotonic_increasing and by_priority.iloc[0]["priority"] == "high"
    assert set(SORTS) == {"order", "status", "priority", "days", "reviewed", "event"}


def test_the_latest_changes_list_links_each_recommendation_and_its_source():
    tracker, _ = demo()
    changes = analysis.list_latest_changes(tracker, analysis.list_updates(tracker), TODAY, 5)
    listed = render_latest_changes(changes, "http://host/app", {"as_of": "2026-11-27"})
    assert listed.count("<li") == len(changes) == 5
    first = changes.iloc[0]
    assert html.escape(recommendation_link("http://host/app", first["rec_id"], {"as_of": "2026-11-27"})) in listed
    assert f"{first['before']} → {first['after']}" in listed
    # A source's title from the data names its short link, escaped like every other text.
    hostile = changes.assign(source_title='"><script>alert(1)</script>', source_url="https://example.org/a?b=1&c=2")
    listed = render_latest_changes(hostile.head(1), "http://host/app", {})
    assert "<script>" not in listed and 'title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in listed
    assert 'href="https://example.org/a?b=1&amp;c=2"' in listed and ">source</a>)" in listed
    assert ">source</a>" not in render_latest_changes(changes.head(1).assign(source_url="javascript:alert(1)"), "h", {})


def test_a_long_list_is_shown_a_page_at_a_time(tmp_path, monkeypatch):
    data = make_demo_data()
    extra = PAGE_ROWS + 7 - len(data["recommendations"])
    data["recommendations"] += [new_recommendation(f"extra-{n:03d}", title=f"Extra {n:03d}") for n in range(extra)]
    path = tmp_path / "recommendations.yaml"
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(path))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    st.cache_resource.clear()
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "recommendations")
    assert not at.exception
    first = table_rows(at)
    assert len(first) == PAGE_ROWS
    assert any(caption.value == f"Rows 1–{PAGE_ROWS} of {PAGE_ROWS + 7}." for caption in at.caption)
    pages = at.get("pagination")
    assert len(pages) == 1
    pages[0].set_value(2).run()
    second = table_rows(at)
    assert len(second) == 7 and not {row["Recommendation"] for row in first} & {row["Recommendation"] for row in second}
    # A new filter starts again at the first page (and a short list has no page picker).
    at.sidebar.text_input(key="f_query").input("Extra 00").run()
    assert len(table_rows(at)) == 10 and at.get("pagination") == []


def test_the_reader_picks_the_order(demo_file, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    st.cache_resource.clear()
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "recommendations")
    _, frame = demo()
    assert [row["Recommendation"] for row in table_rows(at)] == list(frame["title"])
    at.selectbox(key="table_sort").set_value("days").run()
    assert [row["Recommendation"] for row in table_rows(at)] == list(sort_rows(frame, "days")["title"])
    assert any(box.proto.popover.label == "Order: longest in its status" for box in at.get("popover"))


def test_the_context_events_are_numbered_as_the_chart_marks_them_and_escaped():
    events = pd.DataFrame(
        {
            "number": [1, 2],
            "date_label": ["16 Mar 2023", "Jan 2026 (day unknown)"],
            "title": ["<b>Summit</b>", "Vote"],
            "kind_label": ["Summit", "Other"],
            "source_url": ["https://example.org/a", "javascript:alert(1)"],
            "source_title": ["Report & more", "Bad"],
        }
    )
    listed = render_context_events(events)
    assert (
        '<li value="1"><strong>16 Mar 2023</strong> — &lt;b&gt;Summit&lt;/b&gt; (Summit): <a href="https://example.org/a"'
        in listed
    )
    assert ">Report &amp; more</a></li>" in listed
    assert "javascript:" not in listed and '<li value="2">' in listed  # only web addresses become links


def history_rows(**changed) -> pd.DataFrame:
    row = {
        "date": "16 Mar 2023", "status": "Implemented", "review": False, "note": "Lifted <b>today</b> & more",
        "author": "Ana", "recorded": "2023-03-17T10:00:00Z",
        "sources": [{"url": "https://example.org/a", "title": "Report <i>1</i>", "kind": "news", "publisher": "Kyodo"},
                    {"url": "javascript:alert(1)", "title": "Bad", "kind": "news"}],
    }  # fmt: skip
    return pd.DataFrame([{**row, **changed}])


def test_a_history_entry_says_when_what_why_its_sources_and_who_recorded_it():
    listed = render_history(history_rows(), {"news": "news"})
    (entry,) = listed.split("<li")[1:]
    assert "<strong>16 Mar 2023</strong> — Implemented<br>Lifted &lt;b&gt;today&lt;/b&gt; &amp; more<br>" in entry
    assert (
        'Sources: <a href="https://example.org/a" style="color:#1d4f91">Report &lt;i&gt;1&lt;/i&gt;</a> (Kyodo, news)'
        in entry
    )
    assert "javascript:" not in listed and "Bad" not in listed  # only web addresses are sources shown
    assert "<small>Recorded by Ana on 17 Mar 2023</small>" in entry


@pytest.mark.parametrize(
    ("changed", "expected", "absent"),
    [
        ({"review": True}, "— review, no change found (still Implemented)<br>", ""),
        ({"sources": []}, "more<br><small>", "Sources:"),
        ({"sources": [{"url": "ftp://example.org/x", "title": "Ftp"}]}, "more<br><small>", "Sources:"),
    ],
    ids=["review", "no-source", "no-web-source"],
)
def test_a_history_entry_without_a_status_or_sources_says_so(changed, expected, absent):
    listed = render_history(history_rows(**changed), {})
    assert expected in listed and (not absent or absent not in listed)


def test_the_status_table_shows_each_colour_as_a_swatch_beside_its_name(tracker):
    table = render_status_table(tracker.settings)
    rows = table.split("<tr>")[2:]
    assert len(rows) == len(tracker.settings.statuses)
    assert 'aria-hidden="true"' in rows[0] and "background:#868686" in rows[0] and "No step found</td>" in rows[0]
    assert ">#868686<" not in table  # the swatch shows the colour; no hex code is written out
