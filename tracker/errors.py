"""Domain exceptions. Each carries a message a non-programmer can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """Text quoted in a message, with invisible characters shown as escapes (a newline as \\n),
    so each problem stays one line and says what is really there."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def sentence(text: str) -> str:
    """Text ending with one full stop, as every message to a person does."""
    text = text.strip()
    return text if text.endswith(".") else text + "."


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: a tracker file's field, a form's field, a link's parameter.

    `code` says what is wrong and `params` the facts a message quotes (a limit, the value given), so
    the page, the API and the command line each word it for their reader (`messages`); `message` is
    the plain English sentence for a file or the command line."""

    message: str = ""
    file: str = ""
    line: int | None = None
    record: str | None = None
    field: str | None = None
    code: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def __post_init__(self):
        if isinstance(self.params, dict):
            object.__setattr__(self, "params", tuple(self.params.items()))

    def fact(self, name: str, default=None):
        """One of `params` by name."""
        return dict(self.params).get(name, default)

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.line:
            where.append(f"line {self.line}")
        if self.record:
            where.append(f"recommendation '{self.record}'")
        if self.field:
            where.append(self.field)
        prefix = ", ".join(where)
        message = sentence(self.message)
        return f"{prefix}: {message}" if prefix else message


class TrackerError(Exception):
    """Base class for every error the tracker reports to a person."""


class ValidationFailed(TrackerError):
    """The data breaks one or more rules; nothing was written."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class NotFound(TrackerError):
    """A recommendation id that the tracker does not hold."""


class Conflict(TrackerError):
    """Someone else changed the same thing since it was read."""


class StoreUnavailable(TrackerError):
    """The storage (file or database) cannot be reached."""
