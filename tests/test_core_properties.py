"""Properties of the core (Hypothesis): whatever validation accepts, everything handles.

Random valid trackers (hostile text included) and random edit sequences: each loads, analyses,
exports, draws, renders the brief, feeds and API, and saves; save then load gives the same
tracker; an append never loses an earlier update.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timezone

from conftest import RECORDED, TODAY, make_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import analysis, api, brief, charts, edits, exports, feed, records
from tracker.errors import ValidationFailed
from tracker.storage.yaml_files import YamlStore
from tracker.validation import validate_data
from tracker.view import View
from tracker.yaml_text import dump_tracker

STATUSES = ["not_started", "in_progress", "partial", "implemented", "stalled", "reversed"]
# Any printable text, Markdown, HTML and quotes included; the model refuses control characters.
TEXT = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\u2028\u2029\x85"), min_size=1, max_size=24
)
GENERATED = datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc)
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def trackers(draw):
    data = make_data()
    data["tracker"]["title"] = draw(TEXT)
    count = draw(st.integers(0, 4))
    recs = []
    for n in range(count):
        days = sorted(draw(st.lists(st.dates(date(2022, 8, 1), TODAY), max_size=4)))
        updates = [
            {"date": "2022-07", "status": "not_started", "note": draw(TEXT), "author": "A", "recorded": RECORDED}
        ]
        for day in days:
            updates.append(
                {
                    "date": day.isoformat(),
                    "status": draw(st.sampled_from(STATUSES)),
                    "note": draw(TEXT),
                    "sources": [{"url": "https://example.org/s?a=1&b=%3C'", "title": draw(TEXT), "kind": "news"}],
                    "author": draw(TEXT),
                    "recorded": RECORDED,
                }
            )
        recs.append(
            {
                "id": f"rec-{n}",
                "title": draw(TEXT),
                "quote": draw(TEXT),
                "addressees": draw(
                    st.lists(
                        st.sampled_from(["japan", "south_korea", "united_states"]), min_size=1, max_size=3, unique=True
                    )
                ),
                "category": draw(st.sampled_from(["trade", "history", "security"])),
                "priority": draw(st.sampled_from(["high", "low"])),
                "assessment": {"date": "2026-11-01", "text": draw(TEXT)},
                "criteria": draw(TEXT),
                "updates": updates,
            }
        )
    data["recommendations"] = recs
    return data


def handle_everything(tracker) -> None:
    """Every reader-facing product of a tracker, made without an exception."""
    for as_of in (date(2022, 12, 31), TODAY):
        view = View(as_of=as_of)
        frame = analysis.statuses_as_of(tracker, as_of)
        analysis.summarise(tracker, as_of)
        for what in ("recommendations", "events"):
            for fmt in ("csv", "json"):
                text = exports.export_table(tracker, what=what, fmt=fmt, as_of=as_of, frame=None)
                if fmt == "json":
                    json.loads(text)
        charts.build_charts(tracker, view)
        assert len(frame) == len(tracker.recommendations) or as_of < TODAY
    # The brief draws every chart with vl-convert (the slow part): once, on the latest day.
    brief.render_brief(tracker, View(as_of=TODAY), since=date(2023, 1, 1), permalink="/", generated=GENERATED)
    logged = records.list_records(tracker)
    feed.build_feed(
        tracker,
        logged,
        base_url="https://t.example",
        feed_url="https://t.example/feed.atom",
        title=tracker.settings.title,
        feed_key="feed",
    )
    query = api.parse_query({}, tracker, today=TODAY, now=GENERATED, allowed=api.recommendation_parameters())
    json.loads(api.to_json(api.recommendations_payload(tracker, query, "https://t.example")))


@SETTINGS
@given(trackers())
def test_whatever_validation_accepts_everything_handles(tmp_path_factory, data):
    tracker = validate_data(data, today=TODAY)
    handle_everything(tracker)
    path = tmp_path_factory.mktemp("prop") / "recommendations.yaml"
    store = YamlStore(path)
    store.replace(tracker, today=TODAY)
    assert YamlStore(path).load(today=TODAY) == tracker  # save then load gives the same tracker
    assert dump_tracker(YamlStore(path).load(today=TODAY)) == path.read_text(encoding="utf-8")


@SETTINGS
@given(
    trackers(),
    st.lists(
        st.tuples(st.integers(0, 3), st.dates(date(2022, 8, 1), TODAY), st.sampled_from(STATUSES), TEXT),
        min_size=1,
        max_size=5,
    ),
)
def test_appends_never_lose_an_earlier_update(tmp_path_factory, data, appends):
    tracker = validate_data(data, today=TODAY)
    if not tracker.recommendations:
        return
    path = tmp_path_factory.mktemp("prop") / "recommendations.yaml"
    store = YamlStore(path)
    store.replace(tracker, today=TODAY)
    expected = {rec.id: list(rec.updates) for rec in tracker.recommendations}
    for index, day, status, note in appends:
        rec = tracker.recommendations[index % len(tracker.recommendations)]
        sources = [{"url": "https://example.org/a", "title": note, "kind": "news"}]
        fields = {"date": day.isoformat(), "status": status, "note": note, "author": "P", "recorded": RECORDED}
        try:
            update = edits.build_update({**fields, "sources": sources})
            saved = store.append_update(rec.id, update, today=TODAY)
        except ValidationFailed:
            continue  # refused: nothing was written
        expected[rec.id].append(update)
        analysis.statuses_as_of(saved, TODAY)
    handle_everything(YamlStore(path).load(today=TODAY))
    reloaded = YamlStore(path).load(today=TODAY)
    for rec in reloaded.recommendations:
        kept = copy.copy(rec.updates)
        for update in expected[rec.id]:
            assert update in kept  # every earlier update, and every accepted one, is still there
            kept.remove(update)
        assert kept == []
