"""Who may edit: pure decisions, tested directly."""

from __future__ import annotations

import pytest

from tracker.access import Lockout, choose_mode, login_access, passcode_matches, record_try, seconds_to_wait


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
    assert login_access({"is_logged_in": True, "email": "ben@example.org"}, editors).can_edit
    stranger = login_access({"is_logged_in": True, "email": "eve@example.org"}, editors)
    assert not stranger.can_edit and "not on the editors list" in stranger.message
    assert not login_access({"is_logged_in": False}, editors).can_edit


def test_lockout_waits_grow_and_a_right_passcode_resets():
    state = Lockout()
    for _ in range(4):
        state = record_try(state, False, now=100.0)
    assert seconds_to_wait(state, 100.0) == 0
    state = record_try(state, False, now=100.0)
    assert seconds_to_wait(state, 100.0) == 30
    state = record_try(state, False, now=130.0)
    assert seconds_to_wait(state, 130.0) == 60
    assert record_try(state, True, now=200.0) == Lockout()
