"""Who may edit: pure decisions, tested directly."""

from __future__ import annotations

import pytest

from tracker.access import (
    GLOBAL_FREE_TRIES,
    GLOBAL_SPACING_SECONDS,
    BadSetting,
    Throttle,
    choose_mode,
    login_access,
    parse_switch,
    passcode_matches,
    record_try,
    seconds_to_wait,
)


@pytest.mark.parametrize(
    "passcode,login,read_only,mode",
    [
        (None, False, False, "local"),
        ("p", False, False, "passcode"),
        ("p", True, False, "login"),
        ("p", True, True, "read_only"),
    ],
)
def test_choose_mode(passcode, login, read_only, mode):
    assert choose_mode(passcode=passcode, login_configured=login, read_only=read_only) == mode


def test_passcode_matches_exactly():
    assert passcode_matches("opal harbour", "opal harbour")
    assert not passcode_matches("opal harbour ", "opal harbour")
    assert not passcode_matches("", "opal harbour")


def test_login_access_follows_the_allow_list():
    editors = ["ana@example.org", " Ben@Example.org "]
    assert login_access({"is_logged_in": True, "email": "ana@example.org", "name": "Ana"}, editors).can_edit
    assert login_access({"is_logged_in": True, "email": "BEN@example.ORG"}, editors).can_edit
    stranger = login_access({"is_logged_in": True, "email": "eve@example.org"}, editors)
    assert not stranger.can_edit and "not on the editors list" in stranger.message
    assert not login_access({"is_logged_in": False}, editors).can_edit
    assert not login_access({"is_logged_in": True, "email": ""}, ["", " "]).can_edit


@pytest.mark.parametrize(
    "listed,address",
    [
        ("kim@example.org", "\u212aim@example.org"),  # a Kelvin sign folds to k under Unicode rules
        ("strasse@example.org", "straße@example.org"),  # ß folds to ss
        ("ana@example.org", "ana@example.org\u200b"),  # an invisible character
        ("ana@example.org", "аna@example.org"),  # a Cyrillic а
    ],
)
def test_a_different_address_never_matches(listed, address):
    assert not login_access({"is_logged_in": True, "email": address}, [listed]).can_edit


@pytest.mark.parametrize(
    "value,expected",
    [
        (None, False),
        ("", False),
        ("1", True),
        ("true", True),
        (" TRUE ", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
    ],
)
def test_switches_accept_the_usual_spellings(value, expected):
    assert parse_switch("TRACKER_READ_ONLY", value) is expected


@pytest.mark.parametrize("value", ["y", "enabled", "1 1", "tru", "2"])
def test_an_unreadable_switch_is_refused_in_a_sentence(value):
    with pytest.raises(BadSetting) as refused:
        parse_switch("TRACKER_READ_ONLY", value)
    assert str(refused.value) == (
        f"TRACKER_READ_ONLY is set to '{value}', which is neither true nor false; write 1 or 0 (or true or false)."
    )


def test_one_client_waits_longer_and_longer_and_a_right_passcode_resets():
    state = Throttle()
    for _ in range(4):
        state = record_try(state, "a", False, now=100.0)
    assert seconds_to_wait(state, "a", 100.0) == 0
    state = record_try(state, "a", False, now=100.0)
    assert seconds_to_wait(state, "a", 100.0) == 30
    state = record_try(state, "a", False, now=130.0)
    assert seconds_to_wait(state, "a", 130.0) == 60
    assert record_try(state, "a", True, now=200.0).clients == {}


def test_strangers_cannot_lock_the_editor_out():
    state = Throttle()
    for n in range(10):
        state = record_try(state, "stranger", False, now=100.0 + n)
    assert seconds_to_wait(state, "stranger", 110.0) > 0
    assert seconds_to_wait(state, "editor", 110.0) == 0  # another client is not held back by them


def test_many_clients_together_are_spaced_out_but_never_locked_out():
    state = Throttle()
    for n in range(GLOBAL_FREE_TRIES):
        state = record_try(state, f"bot-{n}", False, now=1000.0 + n * 0.01)
    last = 1000.0 + (GLOBAL_FREE_TRIES - 1) * 0.01
    assert seconds_to_wait(state, "editor", last) == pytest.approx(GLOBAL_SPACING_SECONDS)
    assert seconds_to_wait(state, "editor", last + GLOBAL_SPACING_SECONDS) == 0
    assert seconds_to_wait(state, "editor", last + 3600 + 1) == 0  # the window passes
