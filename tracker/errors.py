"""Domain exceptions. Each carries a message a non-programmer can act on."""

from __future__ import annotations


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
