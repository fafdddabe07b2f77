"""Who may edit: passcode, login or local mode, and the passcode lockout.

Pure decisions; the dashboard supplies secrets, the logged-in user and the time.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

MAX_TRIES = 5
BASE_WAIT_SECONDS = 30.0


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


def login_access(user: dict, editors: list[str]) -> Access:
    """Editors are logged-in users whose email is on the allow-list."""
    if not user.get("is_logged_in", False):
        return Access("login", False, message="Log in to record updates. Readers can use every other part of the page.")
    email = str(user.get("email") or "")
    allowed = {address.strip().casefold() for address in editors if address.strip()}
    if email.casefold() in allowed:
        return Access("login", True, author=str(user.get("name") or email))
    return Access(
        "login",
        False,
        message=f"You are logged in as {email or 'an unknown user'}, who is not on the editors list; "
        "ask the tracker's owner to add your email.",
    )


@dataclass(frozen=True)
class Lockout:
    """Wrong passcode tries in a row, and until when further tries must wait."""

    failures: int = 0
    locked_until: float = 0.0


def seconds_to_wait(lockout: Lockout, now: float) -> float:
    """How long before the next try is accepted (0 when it may go ahead)."""
    return max(0.0, lockout.locked_until - now)


def record_try(lockout: Lockout, ok: bool, now: float) -> Lockout:
    """The lockout after one try: a right passcode resets it; from the fifth wrong one
    in a row each further try waits, twice as long each time."""
    if ok:
        return Lockout()
    failures = lockout.failures + 1
    if failures < MAX_TRIES:
        return Lockout(failures, 0.0)
    return Lockout(failures, now + BASE_WAIT_SECONDS * 2 ** (failures - MAX_TRIES))
