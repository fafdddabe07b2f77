"""The one schema of a tracker file, and the vocabulary of its dates.

Everything a tracker holds is defined here once; other modules read these
models and never re-declare a field, a limit or a status.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

SCHEMA_VERSION = 1

# Limits keep one hostile or mistaken entry from swamping the page or the file.
MAX_ID = 60
MAX_LABEL = 80
MAX_TITLE = 160
MAX_NOTE = 2000
MAX_QUOTE = 3000
MAX_URL = 2000
MAX_SOURCE_TITLE = 300
MAX_AUTHOR = 100
MAX_DEFINITION = 400
MAX_METHODOLOGY = 4000
MAX_ASSESSMENT = 1200
MAX_CRITERIA = 800

# ASCII digits only, anchored at the very end (`$` would let a final newline through).
_DATE_PATTERN = re.compile(r"\A([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\z"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class Invalid(ValueError):
    """A value a field refuses: `code` says why (for the words at the edge: `messages`), `params` the
    facts; the text is the plain English sentence for files and the command line."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


def _coerce_date(value):
    # YAML turns 2023-03-16 into a date and 2024 into an int; keep one spelling.
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


def _check_date(value: str) -> str:
    match = _DATE_PATTERN.match(value)
    if not match:
        raise Invalid("not_a_date", "must be a date written YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise Invalid("not_a_real_date", f"'{value}' is not a real calendar date", value=value) from None
    return value


def _coerce_timestamp(value):
    if isinstance(value, datetime):
        return format_timestamp(value)
    return value


_TIMESTAMP = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")


def _check_timestamp(value: str) -> str:
    # A pattern and fromisoformat: strptime was most of the time spent validating a large file.
    try:
        if not _TIMESTAMP.match(value):
            raise ValueError
        datetime.fromisoformat(value[:-1])
    except ValueError:
        raise Invalid("not_a_timestamp", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ") from None
    return value


def _check_plain_text(value: str) -> str:
    if _CONTROL.search(value):
        raise Invalid("control_characters", "contains invisible control characters; retype it as plain text")
    return value


# The one rule for "is this a web address": http(s), a host, and nothing that could end
# a quoted HTML attribute or a Markdown link (quotes, angle brackets, spaces, backslashes).
_WEB_ADDRESS = re.compile(r'https?://[^\s<>"/?#\\]+(?:[/?#][^\s<>"\\]*)?', re.IGNORECASE)


def is_web_address(value: object) -> bool:
    """Whether a value is an http(s) address that may become a link."""
    return isinstance(value, str) and _WEB_ADDRESS.fullmatch(value) is not None


def _check_web_address(value: str) -> str:
    if not is_web_address(value):
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise Invalid(
            "not_a_web_address",
            f"'{shown}' is not a web address; sources must start with http:// or https://",
            value=shown,
        )
    return value


def _text(max_length: int, min_length: int = 0):
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_check_plain_text),
    ]


PartialDate = Annotated[str, BeforeValidator(_coerce_date), AfterValidator(_check_date)]
Timestamp = Annotated[str, BeforeValidator(_coerce_timestamp), AfterValidator(_check_timestamp)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID, pattern=_ID_PATTERN)]
WebAddress = Annotated[str, StringConstraints(max_length=MAX_URL), AfterValidator(_check_web_address)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}\z")]


class Strict(BaseModel):
    """Unknown keys are mistakes, not extras to drop silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(Strict):
    """One entry of a vocabulary: an id used in the data and the label shown."""

    id: Identifier
    label: _text(MAX_LABEL, 1)


class Status(Strict):
    """A step of the status taxonomy."""

    id: Identifier
    label: _text(MAX_LABEL, 1)
    definition: _text(MAX_DEFINITION, 1)
    colour: Colour
    weight: float = Field(ge=0, le=1)
    order: int = Field(ge=1)


class SourceKind(Strict):
    """A kind of source, and whether a status change may rest on it."""

    id: Identifier
    label: _text(MAX_LABEL, 1)
    definition: _text(MAX_DEFINITION, 1)
    supports_change: bool


class Article(Strict):
    """The publication whose recommendations are tracked."""

    description: _text(MAX_NOTE, 1)
    publisher: _text(MAX_LABEL)
    author: _text(MAX_AUTHOR)
    published: PartialDate
    url: Annotated[str, StringConstraints(max_length=MAX_URL)] = ""


class Settings(Strict):
    """Tracker-wide metadata and the vocabularies the records refer to."""

    title: _text(MAX_TITLE, 1)
    article: Article
    methodology: _text(MAX_METHODOLOGY, 1)
    review_interval_days: int = Field(default=180, ge=1, le=3650)
    statuses: list[Status] = Field(min_length=1)
    addressees: list[Term] = Field(min_length=1)
    categories: list[Term] = Field(min_length=1)
    priorities: list[Term] = Field(min_length=1)
    event_kinds: list[Term] = Field(min_length=1)
    source_kinds: list[SourceKind] = Field(min_length=1)


class Source(Strict):
    """Public evidence for an update."""

    url: WebAddress
    title: _text(MAX_SOURCE_TITLE, 1)
    kind: Identifier
    published: PartialDate | None = None


class Update(Strict):
    """A dated status entry; the first one of a recommendation is its baseline."""

    date: PartialDate
    status: Identifier
    note: _text(MAX_NOTE, 1)
    sources: list[Source] = Field(default_factory=list)
    author: _text(MAX_AUTHOR, 1)
    recorded: Timestamp


class Assessment(Strict):
    """Why a recommendation has its current status, as judged on a date."""

    date: PartialDate
    text: _text(MAX_ASSESSMENT, 1)


class MetadataChange(Strict):
    """Who changed which field of a recommendation, and when."""

    field: Identifier
    old: object = None
    new: object = None
    author: _text(MAX_AUTHOR, 1)
    recorded: Timestamp


class Recommendation(Strict):
    """One recommendation from the article and its append-only history."""

    id: Identifier
    title: _text(MAX_TITLE, 1)
    quote: _text(MAX_QUOTE, 1)
    addressees: list[Identifier] = Field(min_length=1)
    category: Identifier
    priority: Identifier
    implied: bool = False
    review_interval_days: int | None = Field(default=None, ge=1, le=3650)
    assessment: Assessment
    criteria: _text(MAX_CRITERIA, 1)
    updates: list[Update] = Field(min_length=1)
    metadata_changes: list[MetadataChange] = Field(default_factory=list)


class ContextEvent(Strict):
    """Something that is not a recommendation but explains the timeline."""

    id: Identifier
    date: PartialDate
    kind: Identifier
    title: _text(MAX_TITLE, 1)
    note: _text(MAX_NOTE) = ""
    sources: list[Source] = Field(default_factory=list)
    # When it was added to the tracker; absent on events that predate record times.
    recorded: Timestamp | None = None


class Tracker(Strict):
    """A whole tracker file."""

    # Populated from the file's `tracker` key; named for what it holds.
    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, serialize_by_alias=True)

    schema_version: int = Field(ge=SCHEMA_VERSION, le=SCHEMA_VERSION)
    settings: Settings = Field(alias="tracker")
    context_events: list[ContextEvent] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)


# Fields of a recommendation an editor may change after it was added.
EDITABLE_FIELDS = (
    "title",
    "quote",
    "addressees",
    "category",
    "priority",
    "implied",
    "review_interval_days",
    "assessment",
    "criteria",
)


def format_timestamp(moment: datetime) -> str:
    """A moment as written in `recorded` (UTC, to the second)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def start_of(value: str) -> date:
    """The first day a partial date can mean; used to order and compare dates."""
    year, month, day = _DATE_PATTERN.match(value).groups()
    return date(int(year), int(month or 1), int(day or 1))


def precision_of(value: str) -> str:
    """'day', 'month' or 'year'."""
    return {10: "day", 7: "month", 4: "year"}[len(value)]


def format_date(value: str) -> str:
    """A partial date for people: '16 Mar 2023', 'Mar 2023 (day unknown)', '2024 (month unknown)'."""
    start = start_of(value)
    precision = precision_of(value)
    if precision == "day":
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year} (day unknown)"
    return f"{start.year} (month unknown)"


def format_short_date(value: str) -> str:
    """A partial date in few words, for lists where every character counts: '16 Mar 2023', 'Mar 2023',
    '2024' (a date without its day reads as one whose day is unknown)."""
    start = start_of(value)
    precision = precision_of(value)
    if precision == "day":
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    return str(start.year)


def labels_of(terms) -> dict[str, str]:
    """A vocabulary (statuses, addressees, categories, ...) as id -> label."""
    return {term.id: term.label for term in terms}


def status_by_id(settings: Settings) -> dict[str, Status]:
    """The taxonomy keyed by id, in its defined order."""
    return {status.id: status for status in sorted(settings.statuses, key=lambda s: s.order)}


def current_status(recommendation: Recommendation) -> str:
    """The status of the latest update; never stored twice."""
    return recommendation.updates[-1].status


def slugify(title: str) -> str:
    """A kebab-case id from a title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:MAX_ID].rstrip("-") or "recommendation"
