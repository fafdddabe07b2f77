"""Property: whatever is recorded later, the tracker as published at a moment never changes (Hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from conftest import TODAY, make_data, new_recommendation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import analysis, edits
from tracker.edition import as_published
from tracker.errors import ValidationFailed
from tracker.model import format_timestamp
from tracker.validation import validate_data

START = datetime(2026, 11, 28, 9, 0, 0, tzinfo=timezone.utc)  # after every record of the small tracker
REC_IDS = ["export-controls", "joint-fund", "trilateral-talks"]
STATUSES = ["not_started", "in_progress", "partial", "implemented", "stalled", "reversed"]

edit = st.one_of(
    st.tuples(
        st.just("update"),
        st.sampled_from(REC_IDS),
        st.dates(date(2022, 8, 1), TODAY),
        st.sampled_from(STATUSES),
    ),
    st.tuples(st.just("title"), st.sampled_from(REC_IDS), st.text("abcdefgh ", min_size=1, max_size=20)),
    st.tuples(st.just("add"), st.integers(0, 99)),
)


def apply(tracker, change, recorded: str):
    kind = change[0]
    if kind == "update":
        _, rec_id, when, status = change
        sources = [{"url": "https://example.org/p", "title": "Report", "kind": "news"}]
        fields = {"date": when.isoformat(), "status": status, "note": "Later.", "author": "P", "recorded": recorded}
        return edits.insert_update(tracker, rec_id, edits.build_update({**fields, "sources": sources}), today=TODAY)
    if kind == "title":
        _, rec_id, title = change
        title = title.strip() or "Untitled"
        return edits.edit_recommendation(
            tracker, rec_id, {"title": title}, expected={}, author="P", recorded=recorded, today=TODAY
        )
    rec_id = f"added-{change[1]}"
    if any(rec.id == rec_id for rec in tracker.recommendations):
        return tracker
    return edits.add_recommendation(tracker, new_recommendation(rec_id, recorded=recorded), today=TODAY)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=6))
def test_the_view_pinned_at_any_moment_never_changes(changes):
    states = [validate_data(make_data(), today=TODAY)]
    moments = []
    for n, change in enumerate(changes):
        moment = START + timedelta(minutes=n)
        moments.append(moment)
        try:
            states.append(apply(states[-1], change, format_timestamp(moment)))
        except ValidationFailed:  # a refused edit (say, a back-dated one that breaks the history) records nothing
            states.append(states[-1])
    final = states[-1]
    # Pinned just before each record: exactly the state before it, in every table a reader sees.
    for moment, before in zip(moments, states, strict=False):
        pinned = as_published(final, moment - timedelta(seconds=1))
        assert pinned == before
        assert analysis.statuses_as_of(pinned, TODAY).equals(analysis.statuses_as_of(before, TODAY))
    assert as_published(final, moments[-1]) == final
