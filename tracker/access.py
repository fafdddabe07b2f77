"""Who may edit: passcode, login or local mode, and the passcode lockout.

Pure decisions; the dashboard supplies secrets, the logged-in user and the time.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .errors import TrackerError

MAX_TRIES = 5  # wrong tries in a row from one client before it must wait
BASE_WAIT_SECONDS = 30.0  # that client's first wait; each further wrong try doubles it
# Everyone together: wrong tries allowed per window before every try (anyone's) is spaced out. The
# spacing is short, so strangers flooding wrong passcodes slow the real editor by seconds, never
# lock them out; yet brute force from many clients stays capped near one try per spacing.
GLOBAL_WINDOW_SECONDS = 3600.0
GLOBAL_FREE_TRIES = 50
GLOBAL_SPACING_SECONDS = 2.0
MAX_CLIENTS_REMEMBERED = 10_000

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


def login_access(user: dict, editors: list[str]) -> Access:
    """Editors are logged-in users whose email is on the allow-list."""
    if not user.get("is_logged_in", False):
        return Access("login", False, message="Log in to record updates. Readers can use every other part of the page.")
    email = str(user.get("email") or "")
    allowed = {email_key(address) for address in editors if address.strip()}
    if email and email_key(email) in allowed:
        return Access("login", True, author=str(user.get("name") or email))
    return Access(
        "login",
        False,
        message=f"You are logged in as {email or 'an unknown user'}, who is not on the editors list; "
        "ask the tracker's owner to add your email.",
    )


@dataclass(frozen=True)
class Lockout:
    """One client's wrong passcode tries in a row, and until when its further tries must wait."""

    failures: int = 0
    locked_until: float = 0.0


@dataclass(frozen=True)
class Throttle:
    """Every client's lockout, and when the recent wrong tries (anyone's) and the last try were made."""

    clients: Mapping[str, Lockout] = field(default_factory=dict)
    wrong: tuple[float, ...] = ()
    last_try: float = float("-inf")


def _one_client(lockout: Lockout, ok: bool, now: float) -> Lockout:
    # A right passcode resets it; from the fifth wrong one in a row each try waits twice as long.
    if ok:
        return Lockout()
    failures = lockout.failures + 1
    if failures < MAX_TRIES:
        return Lockout(failures, 0.0)
    return Lockout(failures, now + BASE_WAIT_SECONDS * 2 ** (failures - MAX_TRIES))


def seconds_to_wait(throttle: Throttle, client: str, now: float) -> float:
    """How long before this client's next try is accepted (0 when it may go ahead)."""
    own = throttle.clients.get(client, Lockout()).locked_until - now
    recent = sum(1 for moment in throttle.wrong if moment > now - GLOBAL_WINDOW_SECONDS)
    shared = throttle.last_try + GLOBAL_SPACING_SECONDS - now if recent >= GLOBAL_FREE_TRIES else 0.0
    return max(0.0, own, shared)


def record_try(throttle: Throttle, client: str, ok: bool, now: float) -> Throttle:
    """The throttle after one try by `client`."""
    clients = dict(throttle.clients)
    clients[client] = _one_client(clients.get(client, Lockout()), ok, now)
    if clients[client] == Lockout():
        del clients[client]
    if len(clients) > MAX_CLIENTS_REMEMBERED:  # forget the clients whose wait ended longest ago
        for stale in sorted(clients, key=lambda name: clients[name].locked_until)[: len(clients) // 10]:
            del clients[stale]
    window = tuple(moment for moment in throttle.wrong if moment > now - GLOBAL_WINDOW_SECONDS)
    return replace(throttle, clients=clients, wrong=window if ok else (*window, now), last_try=now)
