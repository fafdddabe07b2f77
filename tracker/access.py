"""Who may edit: passcode, login or local mode, the passcode's strength and the passcode throttle.

Pure decisions; the dashboard supplies secrets, the logged-in user, the client's address and the time.

The throttle is per client only: nobody's wrong tries slow anyone else down, so strangers cannot keep
the editor out. Guessing from many addresses at once is bounded by the number of addresses and by the
passcode's strength (README, "Passcode tries", gives the arithmetic).
"""

from __future__ import annotations

import hmac
import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import TrackerError

MAX_TRIES = 5  # wrong tries in a row from one client before it must wait
BASE_WAIT_SECONDS = 30.0  # that client's first wait; each further wrong try doubles it ...
MAX_WAIT_SECONDS = 3600.0  # ... up to an hour, so a client that keeps guessing gets one try an hour
MAX_CLIENTS_REMEMBERED = 10_000
IPV6_PREFIX = 64  # one household, office or server usually holds a whole /64: it counts as one client
MIN_PASSCODE_LENGTH = 16
MIN_PASSCODE_CHARACTERS = 8  # different characters: "aaaaaaaaaaaaaaaa" is 16 long, and no passcode

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class BadSetting(TrackerError):
    """A switch set to something that is neither true nor false."""


def parse_switch(name: str, value: str | None) -> bool:
    """A true/false setting: 1/true/yes/on or 0/false/no/off (any case, spaces ignored); unset is false.

    Raises BadSetting for anything else, so a mistyped switch is noticed rather than guessed."""
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadSetting(
        f"{name} is set to '{(value or '')[:40]}', which is neither true nor false; write 1 or 0 (or true or false)."
    )


@dataclass(frozen=True)
class Access:
    """The outcome for one person on one run of the page."""

    mode: str  # "local", "passcode", "login" or "read_only"
    can_edit: bool
    author: str = ""
    message: str = ""


def choose_mode(*, passcode: str | None, login_configured: bool, read_only: bool = False) -> str:
    """Login wins over a passcode; with neither, a person's own machine is 'local'."""
    if read_only:
        return "read_only"
    if login_configured:
        return "login"
    if passcode:
        return "passcode"
    return "local"


def passcode_matches(typed: str, expected: str) -> bool:
    """Constant-time comparison, so timing reveals nothing about the passcode."""
    return hmac.compare_digest(typed.encode("utf-8"), expected.encode("utf-8"))


def email_key(address: str) -> str:
    """An address as compared with the allow-list: ASCII letters in any case match, nothing else is
    folded (Unicode folding would let a Kelvin sign pass for a K, or ß for ss)."""
    address = address.strip()
    return "".join(char.lower() if char.isascii() else char for char in address)


def login_access(user: dict, editors: list[str], *, document: str = "", by_document: Mapping | None = None) -> Access:
    """Editors are logged-in users whose email is on the allow-list: the document's own list when the
    deployment gives one (`by_document`: document id -> emails, limiting editors to some documents), else
    the tracker's."""
    if not user.get("is_logged_in", False):
        return Access("login", False, message="Log in to record updates. Readers can use every other part of the page.")
    email = str(user.get("email") or "")
    own = (by_document or {}).get(document)
    listed = list(own) if isinstance(own, list | tuple) else editors
    allowed = {email_key(address) for address in listed if isinstance(address, str) and address.strip()}
    if email and email_key(email) in allowed:
        return Access("login", True, author=str(user.get("name") or email))
    return Access(
        "login",
        False,
        message=f"You are logged in as {email or 'an unknown user'}, who is not on the editors list; "
        "ask the tracker's owner to add your email.",
    )


def passcode_problem(passcode: str) -> str:
    """Why a passcode is too weak to guard editing, in one sentence ("" when it is strong enough).

    At least MIN_PASSCODE_LENGTH characters, MIN_PASSCODE_CHARACTERS of them different: the throttle
    bounds how fast a client guesses, not how many clients guess, so the passcode must be out of reach
    of billions of tries. The message never repeats the passcode."""
    length, different = len(passcode), len(set(passcode))
    if length >= MIN_PASSCODE_LENGTH and different >= MIN_PASSCODE_CHARACTERS:
        return ""
    return (
        f"The editor passcode is too weak: it has {length} characters, {different} of them different, and needs "
        f"at least {MIN_PASSCODE_LENGTH}, with at least {MIN_PASSCODE_CHARACTERS} different; choose a longer one "
        'at random (four random words, or python -c "import secrets; print(secrets.token_urlsafe(16))").'
    )


def client_network(address: str | None) -> str | None:
    """Who is trying, as the throttles count clients: an IPv4 address, or the /64 network of an IPv6
    address (each household holds billions of addresses in its /64, which would otherwise each start
    afresh); an IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 address. None when there
    is no address (Streamlit gives none for connections from this computer)."""
    if not isinstance(address, str) or not address:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return str(parsed)


@dataclass(frozen=True)
class Lockout:
    """One client's wrong passcode tries in a row, and until when its further tries must wait."""

    failures: int = 0
    locked_until: float = 0.0


@dataclass(frozen=True)
class Throttle:
    """Every client's lockout. There is no shared count: strangers' wrong tries never hold anyone else back."""

    clients: Mapping[str, Lockout] = field(default_factory=dict)


def wait_after(failures: int) -> float:
    """How long a client waits after this many wrong tries in a row: nothing for the first MAX_TRIES - 1,
    then 30 s, doubling with each further wrong try, up to an hour."""
    if failures < MAX_TRIES:
        return 0.0
    return min(MAX_WAIT_SECONDS, BASE_WAIT_SECONDS * 2 ** min(failures - MAX_TRIES, 32))


def _one_client(lockout: Lockout, ok: bool, now: float) -> Lockout:
    # A right passcode resets it; from the fifth wrong one in a row each try waits twice as long.
    if ok:
        return Lockout()
    failures = lockout.failures + 1
    return Lockout(failures, now + wait_after(failures) if failures >= MAX_TRIES else 0.0)


def seconds_to_wait(throttle: Throttle, client: str, now: float) -> float:
    """How long before this client's next try is accepted (0 when it may go ahead)."""
    return max(0.0, throttle.clients.get(client, Lockout()).locked_until - now)


def record_try(throttle: Throttle, client: str, ok: bool, now: float) -> Throttle:
    """The throttle after one try by `client`."""
    clients = dict(throttle.clients)
    clients[client] = _one_client(clients.get(client, Lockout()), ok, now)
    if clients[client] == Lockout():
        del clients[client]
    if len(clients) > MAX_CLIENTS_REMEMBERED:  # forget the clients whose wait ended longest ago
        for stale in sorted(clients, key=lambda name: clients[name].locked_until)[: len(clients) // 10]:
            del clients[stale]
    return Throttle(clients)


def describe_wait(seconds: float) -> str:
    """A wait for people, rounded up: '1 second', '45 seconds', '4 minutes' (never '0 seconds': a
    try a fraction of a second early is still refused)."""
    whole = max(1, math.ceil(seconds))
    if whole < 120:
        return f"{whole} second" + ("s" if whole > 1 else "")
    return f"{math.ceil(whole / 60)} minutes"
