"""The one schema of a tracker file, and the vocabulary of its dates.

Everything a tracker holds is defined here once; other modules read these
models and never re-declare a field, a limit or a status.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime, timezone
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
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
# Every character that ends a line somewhere: CSV readers and spreadsheets split rows on a bare CR,
# and Python's splitlines() on the Unicode separators too.
_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")
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


def _check_one_line(value: str) -> str:
    if _LINE_BREAK.search(value):
        raise Invalid("line_break", "must be one line; remove the line break")
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
    """Text that may run over several lines (a note, a quote, an assessment)."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_check_plain_text),
    ]


def _line(max_length: int, min_length: int = 0):
    """Text of one line (a title, a name, a label): a line break in it would split a CSV row or a
    heading, so it is refused rather than kept."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_check_plain_text),
        AfterValidator(_check_one_line),
    ]


PartialDate = Annotated[str, BeforeValidator(_coerce_date), AfterValidator(_check_date)]
Timestamp = Annotated[str, BeforeValidator(_coerce_timestamp), AfterValidator(_check_timestamp)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID, pattern=_ID_PATTERN)]
WebAddress = Annotated[str, StringConstraints(max_length=MAX_URL), AfterValidator(_check_web_address)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}\z")]


class Strict(BaseModel):
    """Unknown keys are mistakes, not extras to drop silently; NaN and infinity are not numbers
    (JSON has neither, and the API would write them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Term(Strict):
    """One entry of a vocabulary: an id used in the data and the label shown."""

    id: Identifier
    label: _line(MAX_LABEL, 1)


class Status(Strict):
    """A step of the status taxonomy."""

    id: Identifier
    label: _line(MAX_LABEL, 1)
    definition: _text(MAX_DEFINITION, 1)
    colour: Colour
    weight: float = Field(ge=0, le=1)
    order: int = Field(ge=1)


class SourceKind(Strict):
    """A kind of source, and whether a status change may rest on it."""

    id: Identifier
    label: _line(MAX_LABEL, 1)
    definition: _text(MAX_DEFINITION, 1)
    supports_change: bool


DOCUMENT_KINDS = ("article", "report", "joint_statement")  # how a document is named to readers
ITEM_WORDS = ("recommendation", "commitment")  # what the document's items are called


class Article(Strict):
    """The document whose recommendations (or commitments) are tracked: an article, a report, a joint
    statement. `title` is its own title ("" when not known); `parties` are the addressees that made it
    (a joint statement's governments); `item_word` says what its items are called."""

    title: _line(MAX_TITLE) = ""
    kind: Literal["article", "report", "joint_statement"] = "article"
    parties: list[Identifier] = Field(default_factory=list)
    item_word: Literal["recommendation", "commitment"] = "recommendation"
    description: _text(MAX_NOTE, 1)
    publisher: _line(MAX_LABEL)
    author: _line(MAX_AUTHOR)
    published: PartialDate
    url: Annotated[str, StringConstraints(max_length=MAX_URL)] = ""


class Settings(Strict):
    """Tracker-wide metadata and the vocabularies the records refer to."""

    title: _line(MAX_TITLE, 1)
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
    # The page's own headline; a description written where no headline could be read stands in
    # [square brackets] (never passed off as the source's title).
    title: _line(MAX_SOURCE_TITLE, 1)
    kind: Identifier
    published: PartialDate | None = None
    publisher: _line(MAX_LABEL) | None = None  # who published it (an outlet, a ministry), when known


class Assessment(Strict):
    """Why a recommendation has its current status, as judged on a date."""

    date: PartialDate
    text: _text(MAX_ASSESSMENT, 1)


class MetadataChange(Strict):
    """Who changed which field of a recommendation (or corrected an update, a context event or the
    settings), what it held before and after, when, and why. `old` and `new` must be values the field
    can hold: a view published before the change puts `old` back."""

    field: Identifier
    old: object = None
    new: object = None
    author: _line(MAX_AUTHOR, 1)
    recorded: Timestamp
    reason: _text(MAX_NOTE) = ""

    @field_validator("old", "new")
    @classmethod
    def _fits_its_field(cls, value, info: ValidationInfo):
        _check_finite(value)
        field = info.data.get("field")
        if field in EDITABLE_FIELDS:
            try:
                _field_type(field).validate_python(value)
            except ValidationError as error:
                raise ValueError(f"does not fit the field '{field}': {_misfit(error)}") from None
        return value


class Update(Strict):
    """A dated entry of a recommendation's history; the first one is its baseline.

    An update that states a `status` claims the recommendation stood there from its date (a change of
    status needs a source that may carry one). An update without a status is a REVIEW: "checked on this
    date, nothing new" (with the sources searched, if any); it claims nothing about the status, so news
    found later and dated before it slots in without contradicting it. Older files restated the status
    on a review (no source, the same status): those still load and read as reviews."""

    date: PartialDate
    status: Identifier | None = None
    # What one addressee did (its id), when a recommendation is addressed to several: that addressee's own
    # status; the recommendation's overall status is the latest update without a part.
    part: Identifier | None = None
    note: _text(MAX_NOTE, 1)
    sources: list[Source] = Field(default_factory=list)
    author: _line(MAX_AUTHOR, 1)
    recorded: Timestamp
    # Withdrawn by a correction (see `changes`): kept in the history, shown as withdrawn, counts for nothing.
    withdrawn: bool = False
    # Corrections of this entry after it was published (who, when, what it said before, why); a view
    # published before a correction shows the entry as it was.
    changes: list[MetadataChange] = Field(default_factory=list)


class QuoteSource(Strict):
    """Where a recommendation's words were read (a news report quoting a statement, a fact sheet)."""

    url: WebAddress
    title: _line(MAX_SOURCE_TITLE, 1)


class Period(Strict):
    """One year of a commitment that recurs: met, not met, or not known (`None`), and on what evidence.
    Not met means no qualifying event was found in the sources searched, which the note says."""

    period: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}\z")]
    met: bool | None = None
    note: _text(MAX_NOTE, 1)
    sources: list[Source] = Field(default_factory=list)
    author: _line(MAX_AUTHOR, 1)
    recorded: Timestamp


class Link(Strict):
    """A recommendation of another document this one takes up, repeats or supersedes."""

    document: Identifier
    rec: Identifier
    relation: Literal["takes_up", "repeats", "supersedes"] = "takes_up"


QUOTE_KINDS = ("verbatim", "quoted", "fact_sheet", "paraphrase")


class Recommendation(Strict):
    """One recommendation (or commitment) of a document and its append-only history.

    `quote` holds the document's words as `quote_kind` says: verbatim (read in the document), quoted (the
    document's words as a news report quotes them), fact_sheet (a companion fact sheet's words), or
    paraphrase (no wording of the document was found: never shown as a quote). A commitment that recurs
    (`recurrence: yearly`) records each year in `periods`."""

    id: Identifier
    title: _line(MAX_TITLE, 1)
    quote: _text(MAX_QUOTE, 1)
    quote_kind: Literal["verbatim", "quoted", "fact_sheet", "paraphrase"] = "verbatim"
    quote_source: QuoteSource | None = None
    addressees: list[Identifier] = Field(min_length=1)
    category: Identifier
    priority: Identifier
    implied: bool = False
    review_interval_days: int | None = Field(default=None, ge=1, le=3650)
    recurrence: Literal["yearly"] | None = None
    periods: list[Period] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    assessment: Assessment
    criteria: _text(MAX_CRITERIA, 1)
    updates: list[Update] = Field(min_length=1)
    metadata_changes: list[MetadataChange] = Field(default_factory=list)


class ContextEvent(Strict):
    """Something that is not a recommendation but explains the timeline."""

    id: Identifier
    date: PartialDate
    kind: Identifier
    title: _line(MAX_TITLE, 1)
    note: _text(MAX_NOTE) = ""
    sources: list[Source] = Field(default_factory=list)
    # When it was added to the tracker; absent on events that predate record times.
    recorded: Timestamp | None = None
    # Corrections after it was published (see Update.changes).
    changes: list[MetadataChange] = Field(default_factory=list)


class Review(Strict):
    """A review of the whole tracker (or of some recommendations, `scope`): one act, recorded once,
    saying what was searched, over which period, and what was found. It resets each reviewed
    recommendation's staleness clock without restating any status."""

    date: PartialDate
    note: _text(MAX_NOTE, 1)
    scope: list[Identifier] = Field(default_factory=list)  # empty: every recommendation
    author: _line(MAX_AUTHOR, 1)
    recorded: Timestamp


# What may be translated: the texts of the data a reader reads, by the kind of thing that holds them. The
# article's own title and the quote stay in their original language (a quote's translation is shown as one).
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "settings": ("title", "methodology"),
    "recommendation": ("title", "quote", "assessment", "criteria"),
    "status": ("label", "definition"),
    "addressee": ("label",),
    "category": ("label",),
    "priority": ("label",),
    "event_kind": ("label",),
    "source_kind": ("label", "definition"),
    "context_event": ("title",),
}
_FINGERPRINT = re.compile(r"\A[0-9a-f]{16}\Z")


class Translation(Strict):
    """A text of the data in another language. `english` is the fingerprint of the English it translates
    (translation.fingerprint_text): when the English changes, the translation reads as outdated until it
    is updated. The entries are a log: the latest one recorded for a text is in force, so a view
    published earlier shows the translation as it was. `author` wrote it (the project, or a person);
    `reviewed_by` names a person who checked it against the English, and `reviewed` when."""

    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}\z")]
    target: Literal[tuple(TRANSLATABLE)]
    id: Identifier | None = None  # the settings have no id
    field: Identifier
    text: _text(max(MAX_METHODOLOGY, MAX_QUOTE), 1)
    english: str
    author: _line(MAX_AUTHOR, 1)
    recorded: Timestamp
    reviewed_by: _line(MAX_AUTHOR) = ""
    reviewed: Timestamp | None = None

    @field_validator("english")
    @classmethod
    def _is_fingerprint(cls, value: str) -> str:
        if not _FINGERPRINT.match(value):
            raise ValueError("must be the 16-character fingerprint of the English it translates")
        return value

    @model_validator(mode="after")
    def _fits_its_target(self):
        if self.field not in TRANSLATABLE[self.target]:
            fields, what = ", ".join(TRANSLATABLE[self.target]), self.target.replace("_", " ")
            raise ValueError(f"the field '{self.field}' of a {what} is not translated ({fields} are)")
        if (self.target == "settings") != (self.id is None):
            raise ValueError("the settings take no id; every other target needs its id")
        if bool(self.reviewed_by) != (self.reviewed is not None):
            raise ValueError("a review names both who reviewed the translation and when")
        return self


class Tracker(Strict):
    """A whole tracker file."""

    # Populated from the file's `tracker` key; named for what it holds.
    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, serialize_by_alias=True)

    schema_version: int = Field(ge=SCHEMA_VERSION, le=SCHEMA_VERSION)
    settings: Settings = Field(alias="tracker")
    context_events: list[ContextEvent] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    # Corrections of the settings (a label, the article's address, the methodology) after they were
    # published; a view published before one shows the settings as they were.
    settings_changes: list[MetadataChange] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    # The data's texts in other languages, a log (Translation); written after the recommendations.
    translations: list[Translation] = Field(default_factory=list)


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


def _check_finite(value) -> None:
    """Refuse NaN and infinity anywhere in a free value (a metadata change's old or new)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("holds NaN or infinity, which is not a number; write a real number")
    if isinstance(value, dict):
        for item in value.values():
            _check_finite(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_finite(item)


@functools.cache
def _field_type(name: str) -> TypeAdapter:
    """The validator of one field of a recommendation, built from its own annotation and constraints
    (so the rule is the model's, never a second copy)."""
    return TypeAdapter(Recommendation.model_fields[name].rebuild_annotation())


_MISFITS = {
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "list_type": "must be a list",
    "model_type": "must be a set of fields",
    "model_attributes_type": "must be a set of fields",
    "dict_type": "must be a set of fields",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "string_pattern_mismatch": "is not a valid id",
    "missing": "is missing",
    "extra_forbidden": "is not a field the tracker knows",
}


def _misfit(error: ValidationError) -> str:
    """The first reason a value does not fit a field, in the schema's plain words."""
    item = error.errors(include_url=False)[0]
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "value_error":  # the schema's own rules (control characters, line breaks, dates) say it plainly
        reason = str(ctx.get("error", item["msg"]))
    elif kind == "string_too_long":
        reason = f"is too long (the limit is {ctx.get('max_length')} characters)"
    elif kind == "greater_than_equal":
        reason = f"must be at least {ctx.get('ge')}"
    elif kind == "less_than_equal":
        reason = f"must be at most {ctx.get('le')}"
    else:
        reason = _MISFITS.get(kind, "has the wrong form")
    where = " › ".join(str(part) for part in item["loc"] if not isinstance(part, int))
    return f"its {where} {reason}" if where else f"it {reason}"


def format_timestamp(moment: datetime) -> str:
    """A moment as written in `recorded` (UTC, to the second)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    # isoformat, not strftime: strftime's %Y drops a year's leading zeros (999, not 0999).
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def parse_timestamp(value: str) -> datetime:
    """A `recorded` time (YYYY-MM-DDTHH:MM:SSZ) as an aware UTC datetime, to compare times as times."""
    return datetime.fromisoformat(value.removesuffix("Z")).replace(tzinfo=timezone.utc)


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
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year:04d}"
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year:04d} (day unknown)"
    return f"{start.year:04d} (month unknown)"


def item_words(settings: Settings) -> tuple[str, str]:
    """What a document's items are called, singular and plural: ('recommendation', 'recommendations') or
    ('commitment', 'commitments')."""
    word = settings.article.item_word
    return word, f"{word}s"


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


def is_review(update: Update, position: int) -> bool:
    """Whether an update (at `position` in its history) is a review, a claim about no status: it states
    none, or it cites no source (a status change always cites one: older files restated the status they
    found on a review, and news found later and dated before such a review must not turn it into an
    unsourced change). The baseline is never a review."""
    return position > 0 and (update.status is None or not update.sources)


def statuses_in_force(updates) -> list[str | None]:
    """The status each update leaves in force: its own, or for a review (and a withdrawn entry) the one
    before it."""
    held, result = None, []
    for position, update in enumerate(updates):
        # An update about one addressee (`part`) leaves the overall status as it was.
        if not update.withdrawn and not is_review(update, position) and update.part is None:
            held = update.status
        result.append(held)
    return result


def current_status(recommendation: Recommendation) -> str:
    """The status in force after the latest update; never stored twice."""
    return statuses_in_force(recommendation.updates)[-1]


def slugify(title: str) -> str:
    """A kebab-case id from a title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:MAX_ID].rstrip("-") or "recommendation"
