"""Readers' suggestions, the pure rules: what a reader may send, abuse limits, editors' decisions,
what the reader's status link shows, and the switch."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import RECORDED, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.access import BadSetting
from tracker.errors import NotFound, ValidationFailed
from tracker.suggestion import (
    MAX_SUGGESTION_NOTE,
    Limits,
    Suggestion,
    accept,
    check_abuse,
    client_key,
    count_pending,
    credit_line,
    decline,
    describe_change,
    draft_sources,
    merge,
    new_reference,
    public_view,
    suggestions_enabled,
    url_key,
    validate_suggestion,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
CONTACT = "reader.zq7@example.net"
CLIENT = client_key("203.0.113.7", "test salt")


def _form(**changes) -> dict:
    form = {
        "rec_id": "joint-fund",
        "note": "Japanese firms joined the fund.",
        "date": "2026-10-15",
        "status": "implemented",
        "sources": [{"url": "https://example.org/joined", "title": "Firms join the fund"}],
        "contact": CONTACT,
        "honeypot": "",
    }
    return {**form, **changes}


def _suggest(tracker, client=CLIENT, submitted=RECORDED, **changes) -> Suggestion:
    return validate_suggestion(
        tracker, _form(**changes), reference=new_reference(), client=client, submitted=submitted, today=TODAY
    )


def _messages(failed) -> list[str]:
    return [str(problem) for problem in failed.value.problems]


def test_a_good_submission_is_pending_with_its_fields(tracker):
    suggestion = _suggest(tracker)
    assert suggestion.state == "pending" and suggestion.decision is None
    assert suggestion.rec_id == "joint-fund" and suggestion.status == "implemented"
    assert suggestion.sources[0].url == "https://example.org/joined"
    assert len(suggestion.reference) == 12 and suggestion.client == CLIENT


@pytest.mark.parametrize("blank", ["", None])
def test_no_change_is_stored_as_no_status(tracker, blank):
    assert _suggest(tracker, status=blank).status is None


def test_month_only_dates_are_kept(tracker):
    assert _suggest(tracker, date="2026-10").date == "2026-10"


@pytest.mark.parametrize(
    "changes,messages",
    [
        ({"note": "  "}, ["Say what happened."]),
        (
            {"note": "x" * (MAX_SUGGESTION_NOTE + 1)},
            [f"What happened is too long ({MAX_SUGGESTION_NOTE + 1} characters; the limit is {MAX_SUGGESTION_NOTE})."],
        ),
        ({"date": ""}, ["Give the date it happened."]),
        ({"date": "2026"}, ["Write the date as YYYY-MM-DD, or YYYY-MM when only the month is known."]),
        ({"date": "15/10/2026"}, ["Write the date as YYYY-MM-DD, or YYYY-MM when only the month is known."]),
        ({"date": "2026-02-30"}, ["2026-02-30 is not a real calendar date."]),
        ({"date": "2026-12-01"}, ["The date 2026-12-01 is in the future (today is 2026-11-27)."]),
        ({"date": "2022-06"}, ["The date 2022-06 is before this recommendation's baseline of 2022-07."]),
        ({"status": "done"}, ["'done' is not a status; choose one from the list."]),
        ({"sources": []}, ["Give at least one source: its web address and title."]),
        ({"sources": [{"url": " ", "title": ""}]}, ["Give at least one source: its web address and title."]),
        (
            {"sources": [{"url": f"https://example.org/{n}", "title": "T"} for n in range(6)]},
            ["Give at most 5 sources."],
        ),
        (
            {"sources": [{"url": "javascript:alert(1)", "title": "T"}]},
            ["Source 1: 'javascript:alert(1)' is not a web address; it must start with http:// or https://."],
        ),
        (
            {"sources": [{"url": "ftp://example.org/f", "title": "T"}]},
            ["Source 1: 'ftp://example.org/f' is not a web address; it must start with http:// or https://."],
        ),
        (
            {"sources": [{"url": "https://example.org/" + "a" * 2000, "title": "T"}]},
            ["Source 1: the web address is too long (the limit is 2000)."],
        ),
        ({"sources": [{"url": "https://example.org/x", "title": ""}]}, ["Source 1: give its title."]),
        (
            {"sources": [{"url": "https://example.org/x", "title": "t" * 301}]},
            ["Source 1: the title is too long (301 characters; the limit is 300)."],
        ),
        ({"contact": "not an email"}, ["The email address does not look like one; correct it or leave it empty."]),
        ({"contact": "a@" + "b" * 260 + ".org"}, ["The email address is too long (the limit is 254 characters)."]),
        ({"honeypot": "http://spam.example"}, ["This form could not be sent; reload the page and try again."]),
        (
            {"rec_id": "no-such"},
            ["There is no recommendation 'no-such'; open the form from a recommendation's page."],
        ),
        ({"note": "Bell\x07"}, ["Suggestion note: contains invisible control characters; retype it as plain text."]),
        (
            {"sources": [{"url": "https://example.org/x", "title": "Briefing\r=2+3"}]},
            ["Suggestion source 1 › title: must be one line; remove the line break."],
        ),
        (
            {"sources": [{"url": "https://example.org/x", "title": "@SUM(1+1)\n=cmd"}]},
            ["Suggestion source 1 › title: must be one line; remove the line break."],
        ),
        (
            {"note": "", "date": "2030-01-01", "sources": []},
            [
                "Say what happened.",
                "The date 2030-01-01 is in the future (today is 2026-11-27).",
                "Give at least one source: its web address and title.",
            ],
        ),
    ],
)
def test_bad_input_is_refused_with_one_plain_sentence_per_field(tracker, changes, messages):
    with pytest.raises(ValidationFailed) as failed:
        _suggest(tracker, **changes)
    assert _messages(failed) == messages


# -- abuse ------------------------------------------------------------------------------------------


def _pending(tracker, n, client=CLIENT, submitted=RECORDED):
    return _suggest(
        tracker,
        client=client,
        submitted=submitted,
        sources=[{"url": f"https://example.org/pending-{n}-{client[:4]}", "title": "Pending"}],
    )


def test_a_client_gets_three_per_hour(tracker):
    earlier = [_pending(tracker, n) for n in range(3)]
    new = _suggest(tracker)
    with pytest.raises(ValidationFailed) as failed:
        check_abuse(earlier, new, tracker=tracker, now=NOW)
    assert _messages(failed) == [
        "3 suggestions came from your connection in the last 60 minutes, the most we take; please try again later."
    ]
    # Another client may still send; and the same one once the hour has passed.
    check_abuse(earlier, _suggest(tracker, client=client_key("198.51.100.1", "test salt")), tracker=tracker, now=NOW)
    check_abuse(earlier, new, tracker=tracker, now=NOW + timedelta(hours=1))


def test_the_pending_cap_holds_for_everyone(tracker):
    others = [_pending(tracker, n, client=client_key(f"10.0.0.{n}", "s")) for n in range(4)]
    with pytest.raises(ValidationFailed) as failed:
        check_abuse(others, _suggest(tracker), tracker=tracker, now=NOW, limits=Limits(max_pending=4))
    assert _messages(failed) == [
        "The editors already have 4 suggestions to review, the most we hold; please try again in a few days."
    ]
    decided = [decline(item, editor="Ed", reason="No.", at=RECORDED) for item in others]
    check_abuse(decided, _suggest(tracker), tracker=tracker, now=NOW, limits=Limits(max_pending=4))


@pytest.mark.parametrize(
    "url,message",
    [
        ("https://example.org/c", "The source https://example.org/c is already cited for this recommendation."),
        ("HTTP://EXAMPLE.ORG/c/", "The source HTTP://EXAMPLE.ORG/c/ is already cited for this recommendation."),
        (
            "https://example.org/waiting#part",
            "The source https://example.org/waiting#part was already suggested and is waiting for an editor.",
        ),
    ],
)
def test_duplicates_are_refused(tracker, url, message):
    waiting = _suggest(
        tracker, client=client_key("x", "s"), sources=[{"url": "https://example.org/waiting", "title": "W"}]
    )
    new = _suggest(tracker, sources=[{"url": url, "title": "Again"}])
    with pytest.raises(ValidationFailed) as failed:
        check_abuse([waiting], new, tracker=tracker, now=NOW)
    assert _messages(failed) == [message]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/c?utm_source=newsletter&utm_medium=email",
        "https://example.org:443/c",
        "http://example.org:80/c/",
        "https://EXAMPLE.org./c",
        "https://example.org/c/?fbclid=IwAR0x&gclid=abc&mc_cid=1&mc_eid=2#top",
        "https://example.org/c?UTM_Campaign=x&_ga=2.1&msclkid=3",
        "https://reader@example.org/c",
    ],
)
def test_a_cited_address_with_tracking_parameters_or_a_default_port_is_a_duplicate(tracker, url):
    new = _suggest(tracker, sources=[{"url": url, "title": "Again"}])
    with pytest.raises(ValidationFailed) as failed:
        check_abuse([], new, tracker=tracker, now=NOW)
    # The reader is told the address as they typed it, and a suggestion would keep it as typed.
    assert _messages(failed) == [f"The source {url} is already cited for this recommendation."]
    assert new.sources[0].url == url


@pytest.mark.parametrize(
    "typed,key",
    [
        ("https://example.org/c?utm_source=newsletter&utm_medium=email", "example.org/c"),
        ("https://example.org/c?id=7&utm_source=x&page=2", "example.org/c?id=7&page=2"),  # order kept
        ("https://example.org:8443/c", "example.org:8443/c"),  # not a default port: another server
        ("https://example.org:80/c", "example.org:80/c"),  # http's port on https is not the default
        ("https://example.org/a%2fb", "example.org/a%2Fb"),
        ("https://[2001:DB8::1]:443/c", "[2001:db8::1]/c"),
        ("https://example.org/c?utm=1", "example.org/c?utm=1"),  # not a utm_ parameter
        ("https://example.org:99999/c", "https://example.org:99999/c"),  # no such port: compared as typed
    ],
)
def test_url_key(typed, key):
    assert url_key(typed) == key


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/c?id=8",  # another page of the same site
        "https://example.org/c/d",
        "https://example.org:8443/c",
        "https://www.example.org/c",  # another host, as far as anyone can tell
    ],
)
def test_a_different_address_is_not_a_duplicate(tracker, url):
    check_abuse([], _suggest(tracker, sources=[{"url": url, "title": "New"}]), tracker=tracker, now=NOW)


def test_a_source_cited_for_another_recommendation_is_allowed(tracker):
    # https://example.org/a is cited for export-controls, not for joint-fund.
    check_abuse(
        [], _suggest(tracker, sources=[{"url": "https://example.org/a", "title": "A"}]), tracker=tracker, now=NOW
    )


# -- decisions --------------------------------------------------------------------------------------


def test_accept_makes_a_normal_update_by_the_editor_crediting_the_suggestion(tracker):
    suggestion = _suggest(tracker)
    sources = draft_sources(suggestion, ["news"])
    new, accepted = accept(
        tracker, suggestion, editor="Ed Itor", note="Firms joined.", sources=sources, recorded=RECORDED, today=TODAY
    )
    rec = new.recommendations[1]
    added = rec.updates[-1]
    assert added.status == "implemented" and added.author == "Ed Itor" and added.date == "2026-10-15"
    assert added.note == f"Firms joined.\n\n{credit_line(suggestion.reference)}"
    assert added.sources[0].kind == "news"
    assert CONTACT not in added.model_dump_json()
    assert accepted.state == "accepted"
    assert (accepted.decision.by, accepted.decision.at) == ("Ed Itor", RECORDED)
    assert (accepted.decision.update.rec_id, accepted.decision.update.recorded) == ("joint-fund", RECORDED)
    with pytest.raises(ValidationFailed, match="already accepted by Ed Itor"):
        accept(new, accepted, editor="Other", note=None, sources=sources, recorded=RECORDED, today=TODAY)


def test_accept_without_change_keeps_the_status_and_needs_the_supporting_kind_rule(tracker):
    suggestion = _suggest(tracker, status=None)
    assert describe_change(tracker, suggestion) == "No change: stays Partially implemented (a review)."
    new, _ = accept(
        tracker,
        suggestion,
        editor="Ed",
        note=None,
        sources=draft_sources(suggestion, ["repost"]),
        recorded=RECORDED,
        today=TODAY,
    )
    assert new.recommendations[1].updates[-1].status == "partial"
    # A status change resting only on a repost is refused by the normal update rules.
    changing = _suggest(tracker)
    assert describe_change(tracker, changing) == "Partially implemented → Implemented."
    with pytest.raises(ValidationFailed, match="cites only reposts"):
        accept(
            tracker,
            changing,
            editor="Ed",
            note=None,
            sources=draft_sources(changing, ["repost"]),
            recorded=RECORDED,
            today=TODAY,
        )


def test_draft_sources_needs_a_kind_per_source(tracker):
    with pytest.raises(ValidationFailed, match="Choose a kind for each source."):
        draft_sources(_suggest(tracker), [])


def test_decline_needs_a_reason_and_shows_it_publicly(tracker):
    suggestion = _suggest(tracker)
    with pytest.raises(ValidationFailed) as failed:
        decline(suggestion, editor="Ed", reason=" ", at=RECORDED)
    assert _messages(failed) == ["Give the reason for declining; the reader will see it."]
    declined = decline(suggestion, editor="Ed", reason="The source reports a plan, not a decision.", at=RECORDED)
    view = public_view(declined)
    assert view["state"] == "declined" and view["reason"] == "The source reports a plan, not a decision."
    with pytest.raises(ValidationFailed, match="already declined"):
        decline(declined, editor="Ed", reason="Again.", at=RECORDED)


def test_merge_points_to_an_update_already_recorded(tracker):
    suggestion = _suggest(tracker)
    merged = merge(tracker, suggestion, editor="Ed", into=("joint-fund", 2), at=RECORDED, reason="Already there.")
    assert merged.state == "merged" and merged.decision.update.date == "2023-03"
    by_time = merge(tracker, suggestion, editor="Ed", into=("joint-fund", RECORDED), at=RECORDED)
    assert by_time.decision.update.date == "2022-07"  # the first update with that record time
    by_key = merge(tracker, suggestion, editor="Ed", into=("joint-fund", ("2023-03", RECORDED)), at=RECORDED)
    assert by_key.decision.update.date == "2023-03"
    with pytest.raises(ValidationFailed, match="'Joint fund' has no update 9"):
        merge(tracker, suggestion, editor="Ed", into=("joint-fund", 9), at=RECORDED)
    with pytest.raises(ValidationFailed, match=f"'Joint fund' has no update {RECORDED} of 2024-01"):
        merge(tracker, suggestion, editor="Ed", into=("joint-fund", ("2024-01", RECORDED)), at=RECORDED)
    with pytest.raises(NotFound):
        merge(tracker, suggestion, editor="Ed", into=("nope", 1), at=RECORDED)


def test_a_decided_suggestion_must_carry_its_decision():
    with pytest.raises(ValueError, match="a declined suggestion needs the editors' reason"):
        Suggestion.model_validate(
            {
                "reference": "abcdefghijkl",
                "rec_id": "joint-fund",
                "note": "n",
                "date": "2026-10",
                "sources": [{"url": "https://example.org", "title": "t"}],
                "submitted": RECORDED,
                "client": CLIENT,
                "state": "declined",
                "decision": {"by": "Ed", "at": RECORDED},
            }
        )


def test_public_view_has_no_personal_data(tracker):
    suggestion = _suggest(tracker, note=f"Write to me at {CONTACT}.")
    for item in (suggestion, decline(suggestion, editor="Editor Name", reason="Not sourced.", at=RECORDED)):
        view = public_view(item)
        shown = repr(view)
        assert CONTACT not in shown and CLIENT not in shown and "Editor Name" not in shown
        assert set(view) == {
            "reference",
            "rec_id",
            "state",
            "state_label",
            "submitted",
            "date",
            "proposed_status",
            "decided",
            "reason",
            "update_date",
        }


def test_client_keys_are_stable_salted_and_do_not_hold_the_address():
    key = client_key("203.0.113.7", "salt")
    assert key == client_key("203.0.113.7", "salt") != client_key("203.0.113.7", "other salt")
    assert "203" not in key and len(key) == 32


def test_references_are_short_and_unguessable():
    references = {new_reference() for _ in range(1000)}
    assert len(references) == 1000 and all(len(ref) == 12 for ref in references)


# -- the switch -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "environ,enabled",
    [
        ({}, True),
        ({"TRACKER_READ_ONLY": "1"}, False),
        ({"TRACKER_READ_ONLY": "yes", "TRACKER_SUGGESTIONS": "on"}, True),
        ({"TRACKER_READ_ONLY": "0", "TRACKER_SUGGESTIONS": "off"}, False),
        ({"TRACKER_SUGGESTIONS": "  "}, True),
        ({"TRACKER_READ_ONLY": "maybe"}, False),  # a mistyped read-only switch counts as read-only
        ({"TRACKER_READ_ONLY": "maybe", "TRACKER_SUGGESTIONS": "1"}, True),
    ],
)
def test_the_switch(environ, enabled):
    assert suggestions_enabled(environ) is enabled


def test_a_mistyped_switch_is_refused_plainly():
    with pytest.raises(BadSetting, match="TRACKER_SUGGESTIONS is set to 'sometimes'"):
        suggestions_enabled({"TRACKER_SUGGESTIONS": "sometimes"})


# -- a property: many submissions, none lost, no contact leaked ------------------------------------

_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            _texts,
            st.sampled_from(["joint-fund", "export-controls", "trilateral-talks"]),
            st.sampled_from([None, "in_progress", "implemented"]),
            st.integers(0, 9),
            st.sampled_from(["", "decline", "accept"]),
        ),
        max_size=12,
    )
)
def test_submissions_are_never_lost_and_never_leak_the_contact(tracker, items):
    kept: list[Suggestion] = []
    current = tracker
    for n, (note, rec_id, status, client, action) in enumerate(items):
        try:
            suggestion = _suggest(
                current,
                client=client_key(str(client), "s"),
                rec_id=rec_id,
                status=status,
                note=note,
                sources=[{"url": f"https://example.org/p/{n}", "title": note}],
            )
        except ValidationFailed:
            assert not note.strip()  # only a blank note may be refused here
            continue
        try:
            check_abuse(kept, suggestion, tracker=current, now=NOW)
        except ValidationFailed:
            assert sum(1 for item in kept if item.client == suggestion.client) >= 3
            continue
        if action == "decline":
            suggestion = decline(suggestion, editor="Ed", reason="No.", at=RECORDED)
        elif action == "accept":
            try:
                current, suggestion = accept(
                    current,
                    suggestion,
                    editor="Ed",
                    note=None,
                    sources=draft_sources(suggestion, ["official"]),
                    recorded=RECORDED,
                    today=TODAY,
                )
            except ValidationFailed:
                pass  # e.g. a date before an update of the same day is still fine; kept pending
        kept.append(suggestion)
        assert CONTACT not in repr(public_view(suggestion))
    assert len({item.reference for item in kept}) == len(kept)
    assert count_pending(kept) == sum(1 for item in kept if item.state == "pending")
    accepted = [item for item in kept if item.state == "accepted"]
    notes = [u.note for rec in current.recommendations for u in rec.updates]
    assert all(any(note.endswith(credit_line(item.reference)) for note in notes) for item in accepted)
    assert CONTACT not in current.model_dump_json()
