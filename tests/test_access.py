"""Who may edit: pure decisions, tested directly."""

from __future__ import annotations

import pytest

from tracker.access import (
    MAX_CLIENTS_REMEMBERED,
    BadSetting,
    Throttle,
    choose_mode,
    client_network,
    describe_wait,
    login_access,
    parse_switch,
    passcode_matches,
    passcode_problem,
    record_try,
    seconds_to_wait,
)

EDITOR = "198.51.100.20"


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


def test_the_wait_doubles_up_to_an_hour_and_stays_there():
    state, now, waits = Throttle(), 0.0, []
    for _ in range(40):  # 2**35 * 30 s would overflow nothing, but it is capped long before
        now += seconds_to_wait(state, "a", now)
        state = record_try(state, "a", False, now)
        waits.append(seconds_to_wait(state, "a", now))
    assert waits[:12] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600]
    assert set(waits[11:]) == {3600}


def guesses(horizon: float) -> int:
    """How many wrong tries one client gets within `horizon` seconds, trying the moment it may."""
    state, now, count = Throttle(), 0.0, 0
    while True:
        now += seconds_to_wait(state, "a", now)
        if now >= horizon:
            return count
        state, count = record_try(state, "a", False, now), count + 1


def test_the_arithmetic_the_readme_states():
    # README, "Passcode tries": per client 11 tries in the first hour, 34 in a day, 8,770 in a year.
    assert (guesses(3600), guesses(86_400), guesses(365 * 86_400)) == (11, 34, 8770)


def test_strangers_cannot_lock_the_editor_out():
    state = Throttle()
    for n in range(10):
        state = record_try(state, "stranger", False, now=100.0 + n)
    assert seconds_to_wait(state, "stranger", 110.0) > 0
    assert seconds_to_wait(state, EDITOR, 110.0) == 0  # another client is not held back by them


def test_a_flood_from_fresh_addresses_never_keeps_the_editor_out():
    # The attack that beat the shared spacing: one wrong try from a fresh address every 2 s, all hour
    # long, with the editor's right try now and then in between. The editor gets in at once, each time.
    state, attempts, admitted = Throttle(), 0, 0
    for n in range(1800):
        now = 1000.0 + 2 * n
        attacker = client_network(f"2001:db8:{n // 65536:x}:{n % 65536:x}::1")  # a fresh /64 each time
        if seconds_to_wait(state, attacker, now) == 0:
            state = record_try(state, attacker, False, now)
        state = record_try(state, f"203.0.113.{n % 250}", False, now + 0.5)  # and a few IPv4 addresses
        if n % 120 == 60:  # 15 times in the hour
            attempts += 1
            wait = seconds_to_wait(state, EDITOR, now + 1)
            admitted += wait == 0 and passcode_matches("the right passcode!", "the right passcode!")
            state = record_try(state, EDITOR, True, now + 1)
    assert (attempts, admitted) == (15, 15)
    assert seconds_to_wait(state, "203.0.113.7", 1000.0 + 3600) > 0  # the guessers themselves wait


def test_the_addresses_of_one_ipv6_network_count_as_one_client():
    state = Throttle()
    for n in range(5):
        state = record_try(state, client_network(f"2001:db8:5:6::{n + 1:x}"), False, now=100.0)
    assert seconds_to_wait(state, client_network("2001:db8:5:6:ffff:ffff:ffff:ffff"), 100.0) == 30
    assert seconds_to_wait(state, client_network("2001:db8:5:7::1"), 100.0) == 0  # the next /64 is another


@pytest.mark.parametrize(
    "address,network",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:DB8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::", "2001:db8:1:2::/64"),
        ("fe80::1", "fe80::/64"),
        (None, None),
        ("", None),
        ("not an address", "not an address"),
    ],
)
def test_client_network(address, network):
    assert client_network(address) == network


def test_the_clients_remembered_are_bounded():
    state = Throttle()
    for n in range(MAX_CLIENTS_REMEMBERED + 5):
        state = record_try(state, f"client-{n}", False, now=float(n))
    assert len(state.clients) <= MAX_CLIENTS_REMEMBERED


@pytest.mark.parametrize(
    "seconds,shown",
    [
        (0.001, "1 second"),
        (0.5, "1 second"),
        (1.0, "1 second"),
        (1.01, "2 seconds"),
        (29.2, "30 seconds"),
        (119.0, "119 seconds"),
        (119.5, "2 minutes"),
        (3600.0, "60 minutes"),
    ],
)
def test_a_wait_is_rounded_up_never_zero(seconds, shown):
    assert describe_wait(seconds) == shown


@pytest.mark.parametrize(
    "passcode,length,different",
    [
        ("opal-harbour", 12, 9),
        ("aaaaaaaaaaaaaaaa", 16, 1),
        ("abcabcabcabcabcabc", 18, 3),
        ("0123456789012345", 16, 10),  # long and varied enough for the rule (but choose one at random)
        ("", 0, 0),
    ],
)
def test_a_weak_passcode_is_named_plainly(passcode, length, different):
    expected = (
        f"The editor passcode is too weak: it has {length} characters, {different} of them different, and needs at "
        "least 16, with at least 8 different; choose a longer one at random (four random words, or "
        'python -c "import secrets; print(secrets.token_urlsafe(16))").'
    )
    assert passcode_problem(passcode) == ("" if length >= 16 and different >= 8 else expected)
    assert passcode not in passcode_problem(passcode) or not passcode


@pytest.mark.parametrize("passcode", ["opal harbour lantern mist", "Vq3-Jx9_mT2sLw8eRk4aZg"])
def test_a_strong_passcode_passes(passcode):
    assert passcode_problem(passcode) == ""


def test_editors_can_be_limited_to_some_documents():
    from tracker.access import login_access

    ana = {"is_logged_in": True, "email": "ana@example.org", "name": "Ana"}
    ben = {"is_logged_in": True, "email": "ben@example.org", "name": "Ben"}
    by_document = {"camp-david-2023": ["ben@example.org"]}
    editors = ["ana@example.org"]
    # The tracker's list for documents without a list of their own; the document's own list for it.
    assert login_access(ana, editors, document="usip-2022", by_document=by_document).can_edit
    assert not login_access(ben, editors, document="usip-2022", by_document=by_document).can_edit
    assert login_access(ben, editors, document="camp-david-2023", by_document=by_document).can_edit
    refused = login_access(ana, editors, document="camp-david-2023", by_document=by_document)
    assert not refused.can_edit and "not on the editors list" in refused.message
