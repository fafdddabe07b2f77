"""Readers' suggested updates and the editors' decisions on them: the models and pure rules.

A reader suggests what happened to a recommendation, with a date, the status they believe
applies (or none: "no change") and at least one public source. Editors then accept it (it
becomes a normal update, authored by the editor, its note crediting the suggestion's
reference), decline it with a reason, or merge it into an update already recorded.

Nothing here touches a file or a database; each storage backend keeps suggestions apart from the
tracker (they never enter the tracker file until accepted: `storage.contract.SuggestionStore`).

What the page will call (a reader's form, an editor's queue):
- `suggestions_enabled(os.environ)`: whether to show the form at all (TRACKER_SUGGESTIONS).
- `client_key(address, salt)`: the hashed client key stored for the rate limit.
- `validate_suggestion(tracker, form, reference=new_reference(), client=..., submitted=..., today=...)`,
  then `store.suggestions.submit(suggestion, tracker=..., now=...)`
  (which runs `check_abuse` under the store's lock); give the reader `suggestion.reference`, the key
  of their status link.
- `store.get(reference)` then `public_view(suggestion)`: the only thing the reader's status link may
  show. The reference is unguessable so nobody can list the queue, but it is not a secret: an
  accepted update's note credits it publicly, and its status view holds nothing personal.
- Editors: `store.list(state="pending")` / `count_pending()` for the queue, `describe_change`
  for how a suggestion would change the status, `draft_sources` to prefill the sources with a
  kind, then `decisions.accept_suggestion`, `decline_suggestion` or `merge_suggestion`.

Sources from readers carry no kind: a reader cannot judge whether a page is official,
news or a repost, and the tracker's kinds decide whether a status change may rest on a
source. A suggested source is therefore a `SuggestedSource` (url, title, optional
published date) and the editor assigns each source its kind when accepting (the accepted
update's sources are ordinary `model.Source`s, validated like any other update's).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Literal, get_args
from urllib.parse import unquote_plus, urlsplit

from pydantic import AfterValidator, Field, StringConstraints, ValidationError, model_validator

from .access import BadSetting, parse_switch
from .edits import build_update, find_recommendation, insert_update
from .errors import NotFound, Problem, ValidationFailed, printable
from .model import (
    MAX_AUTHOR,
    MAX_NOTE,
    MAX_SOURCE_TITLE,
    Identifier,
    Invalid,
    PartialDate,
    Source,
    Strict,
    Timestamp,
    Tracker,
    Update,
    WebAddress,
    _line,  # the schema's text rules (a length, no control characters, one line or several), shared
    _text,
    current_status,
    labels_of,
    parse_timestamp,
    precision_of,
    start_of,
)
from .validation import explain_pydantic, validate_model, validate_model_message

SUGGESTIONS_SCHEMA_VERSION = 1

# Limits: every field has one, so a hostile reader cannot swamp the queue or the file.
MAX_SUGGESTION_NOTE = 1500  # leaves room in the accepted update's note (MAX_NOTE) for the credit
MAX_SUGGESTION_SOURCES = 5
MAX_CONTACT = 254  # the longest email address SMTP allows
MAX_REASON = 500
REFERENCE_BYTES = 9  # secrets.token_urlsafe(9): 12 characters, 72 random bits

State = Literal["pending", "accepted", "declined", "merged"]
STATES = get_args(State)
STATE_LABELS = {
    "pending": "Waiting for an editor",
    "accepted": "Accepted",
    "declined": "Declined",
    "merged": "Merged into an update already recorded",
}


@dataclass(frozen=True)
class Limits:
    """The abuse limits: per client within a window, and suggestions pending at once."""

    per_client: int = 3
    window: timedelta = timedelta(hours=1)
    max_pending: int = 200


LIMITS = Limits()

_REFERENCE = r"^[A-Za-z0-9_-]{8,43}\z"
_CLIENT = r"^[0-9a-f]{32}\z"
# Deliberately simple: one @, something before, a dotted domain after, no spaces or angle brackets.
_EMAIL = re.compile(r"\A[^\s@<>\"\\]+@[^\s@<>\"\\]+\.[^\s@<>\"\\.]+\Z")


def _check_email(value: str) -> str:
    if value and not _EMAIL.match(value):
        raise Invalid("not_an_email", "does not look like an email address")
    return value


def _check_day_or_month(value: str) -> str:
    if precision_of(value) == "year":
        raise Invalid("year_only", "must give at least the month: YYYY-MM-DD, or YYYY-MM when the day is not known")
    return value


class SuggestedSource(Strict):
    """A source as a reader gives it: no kind (the editor assigns one when accepting)."""

    url: WebAddress
    title: _line(MAX_SOURCE_TITLE, 1)
    published: PartialDate | None = None


class UpdateRef(Strict):
    """Which update a decision points to: recommendation, date and record time (stable when
    back-dated updates shift positions)."""

    rec_id: Identifier
    date: PartialDate
    recorded: Timestamp


class Decision(Strict):
    """Who decided, when, why (a declined or merged suggestion), and the update it led to."""

    by: _line(MAX_AUTHOR, 1)
    at: Timestamp
    reason: _text(MAX_REASON) = ""
    update: UpdateRef | None = None


class Suggestion(Strict):
    """One reader's suggested update and, once decided, the editors' decision."""

    reference: Annotated[str, StringConstraints(pattern=_REFERENCE)]
    rec_id: Identifier
    note: _text(MAX_SUGGESTION_NOTE, 1)
    date: Annotated[PartialDate, AfterValidator(_check_day_or_month)]
    status: Identifier | None = None  # None: "no change"
    sources: list[SuggestedSource] = Field(min_length=1, max_length=MAX_SUGGESTION_SOURCES)
    # Editors' data only: never in a public view, an export, a feed, the API or the brief.
    contact: Annotated[str, StringConstraints(max_length=MAX_CONTACT), AfterValidator(_check_email)] = ""
    submitted: Timestamp
    # An HMAC of the client's address (see client_key), for the rate limit; never shown.
    client: Annotated[str, StringConstraints(pattern=_CLIENT)]
    state: State = "pending"
    decision: Decision | None = None

    @model_validator(mode="after")
    def _decided_consistently(self):
        if (self.state == "pending") != (self.decision is None):
            raise ValueError("a pending suggestion has no decision, and a decided one needs one")
        if self.state == "declined" and not self.decision.reason:
            raise ValueError("a declined suggestion needs the editors' reason")
        if self.state in ("accepted", "merged") and self.decision.update is None:
            raise ValueError(f"an {self.state} suggestion must name its update")
        return self


class SuggestionLog(Strict):
    """A whole suggestions file (or table): every suggestion, in the order submitted."""

    schema_version: int = Field(ge=SUGGESTIONS_SCHEMA_VERSION, le=SUGGESTIONS_SCHEMA_VERSION)
    suggestions: list[Suggestion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_references(self):
        seen = set()
        for item in self.suggestions:
            if item.reference in seen:
                raise ValueError(f"the reference '{item.reference}' is used twice; references must be unique")
            seen.add(item.reference)
        return self


def check_log(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """The suggestions, checked as a whole (unique references). Raises ValidationFailed."""
    fields = {"schema_version": SUGGESTIONS_SCHEMA_VERSION, "suggestions": list(suggestions)}
    return list(validate_model(SuggestionLog, fields, "suggestions").suggestions)


# -- the switch and the client key ----------------------------------------------------------------


def suggestions_enabled(environ: Mapping[str, str]) -> bool:
    """Whether readers may suggest updates: TRACKER_SUGGESTIONS when it is set, else on unless the
    deployment is read-only (a TRACKER_READ_ONLY that is neither true nor false counts as read-only).

    Raises access.BadSetting when TRACKER_SUGGESTIONS is neither true nor false (the page then keeps
    the form off and says why)."""
    explicit = environ.get("TRACKER_SUGGESTIONS")
    if explicit is not None and explicit.strip():
        return parse_switch("TRACKER_SUGGESTIONS", explicit)
    try:
        read_only = parse_switch("TRACKER_READ_ONLY", environ.get("TRACKER_READ_ONLY"))
    except BadSetting:
        read_only = True
    return not read_only


def client_key(address: str, salt: str) -> str:
    """The key stored for a client's rate limit: an HMAC of its address, so the file never holds
    the address itself and the key cannot be reversed without the deployment's salt."""
    return hmac.new(salt.encode("utf-8"), address.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def new_reference() -> str:
    """A short, unguessable reference (12 URL-safe characters)."""
    return secrets.token_urlsafe(REFERENCE_BYTES)


# -- a reader's submission --------------------------------------------------------------------------


def _reader_words(loc: tuple, code: str, facts: dict, message: str) -> str:
    """A problem of the reader's form in the form's own words (its labels), one sentence each."""
    field = loc[0] if loc else ""
    if field == "note":
        if code in ("empty", "required", "missing"):
            return "Say what happened."
        if code == "too_long":
            return f"What happened is too long ({facts['length']} characters; the limit is {facts['limit']})."
    if field == "date":
        if code == "not_a_date" and not facts.get("given"):
            return "Give the date it happened."
        if code in ("not_a_date", "year_only"):
            return "Write the date as YYYY-MM-DD, or YYYY-MM when only the month is known."
        if code == "not_a_real_date":
            return f"{facts['value']} is not a real calendar date."
    if field == "sources" and len(loc) == 1:
        if code == "too_few":
            return "Give at least one source: its web address and title."
        if code == "too_many":
            return f"Give at most {MAX_SUGGESTION_SOURCES} sources."
    if field == "sources" and len(loc) == 3:
        number, part = loc[1] + 1, loc[2]
        if part == "url" and code == "not_a_web_address":
            return f"Source {number}: '{facts['value']}' is not a web address; it must start with http:// or https://."
        if part == "url" and code == "too_long":
            return f"Source {number}: the web address is too long (the limit is {facts['limit']})."
        if part == "title" and code in ("empty", "required"):
            return f"Source {number}: give its title."
        if part == "title" and code == "too_long":
            return (
                f"Source {number}: the title is too long ({facts['length']} characters; the limit is {facts['limit']})."
            )
    if field == "contact":
        if code == "too_long":
            return f"The email address is too long (the limit is {facts['limit']} characters)."
        if code == "not_an_email":
            return "The email address does not look like one; correct it or leave it empty."
    return message


# The form's fields in the order the reader sees them: problems are listed in that order.
_FORM_ORDER = ("note", "date", "status", "sources", "contact")


def validate_suggestion(
    tracker: Tracker, form: Mapping, *, reference: str, client: str, submitted: str, today: date
) -> Suggestion:
    """A Suggestion from a reader's form, or ValidationFailed with one plain sentence per bad field.

    The rules are the model's (`Suggestion`) and the tracker's (a status it defines, a date neither in
    the future nor before the recommendation's baseline); only their words are the form's.
    `form` holds rec_id, note, date, status ("" or None: no change), sources (a list of
    {url, title}), contact (optional) and honeypot (a field hidden from people: filled, it is a bot).
    """
    if str(form.get("honeypot") or "").strip():
        raise ValidationFailed([Problem("This form could not be sent; reload the page and try again.")])
    rec_id = str(form.get("rec_id") or "")
    try:
        rec = find_recommendation(tracker, rec_id)
    except NotFound:
        shown = printable(rec_id[:60])
        raise ValidationFailed(
            [Problem(f"There is no recommendation '{shown}'; open the form from a recommendation's page.")]
        ) from None
    typed = [
        {key: str(source.get(key) or "").strip() for key in ("url", "title")} for source in form.get("sources") or []
    ]
    fields = {
        "reference": reference,
        "rec_id": rec.id,
        "note": str(form.get("note") or "").strip(),
        "date": str(form.get("date") or "").strip(),
        "status": form.get("status") or None,
        "sources": [source for source in typed if source["url"] or source["title"]],
        "contact": str(form.get("contact") or "").strip(),
        "submitted": submitted,
        "client": client,
    }
    found: list[tuple[tuple, str]] = []  # (where in the form, the sentence)
    try:
        suggestion = Suggestion.model_validate(fields)
    except ValidationError as error:
        suggestion = None
        for item in error.errors(include_url=False):
            code, facts, message = explain_pydantic(item)
            if item["loc"] == ("date",):
                facts = {**facts, "given": fields["date"]}
            fallback = validate_model_message("suggestion", item["loc"], fields, message)
            found.append((item["loc"], _reader_words(item["loc"], code, facts, fallback)))
    if fields["status"] is not None and fields["status"] not in labels_of(tracker.settings.statuses):
        found.append(
            (("status",), f"'{printable(str(fields['status'])[:40])}' is not a status; choose one from the list.")
        )
    when = fields["date"]
    if not any(loc[:1] == ("date",) for loc, _ in found):
        if start_of(when) > today:
            found.append((("date",), f"The date {when} is in the future (today is {today.isoformat()})."))
        elif start_of(when) < start_of(rec.updates[0].date):
            found.append(
                (("date",), f"The date {when} is before this recommendation's baseline of {rec.updates[0].date}.")
            )
    if found:
        rank = {name: n for n, name in enumerate(_FORM_ORDER)}
        found.sort(key=lambda item: rank.get(item[0][0] if item[0] else "", len(rank)))
        raise ValidationFailed([Problem(message) for _, message in found])
    return suggestion


# -- abuse ------------------------------------------------------------------------------------------


# Query parameters that only say how a reader reached a page (campaign and click trackers of mail,
# search and social sites): the same article with them added is the same source.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _tracking(parameter: str) -> bool:
    name = unquote_plus(parameter.partition("=")[0]).strip().lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def url_key(url: str) -> str:
    """A web address as compared for duplicates (the source keeps the address as typed): http and https
    alike, the host in any case and without a final dot, no default port (:80 for http, :443 for https),
    no user name, no fragment, no trailing slash, no tracking parameters (utm_* and TRACKING_PARAMETERS);
    the other parameters keep their order, which can matter to the site."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 host: compared as typed
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.rstrip(".")  # urlsplit lowercases it
    host = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = _ESCAPE.sub(lambda escape: escape.group().upper(), parts.path).rstrip("/")
    kept = [item for item in parts.query.split("&") if item and not _tracking(item)]
    return host + path + ("?" + "&".join(kept) if kept else "")


def cited_urls(tracker: Tracker, rec_id: str) -> set[str]:
    """The url_keys cited in a recommendation's history."""
    try:
        rec = find_recommendation(tracker, rec_id)
    except NotFound:
        return set()
    return {url_key(source.url) for update in rec.updates for source in update.sources}


def check_abuse(
    existing: Sequence[Suggestion], new: Suggestion, *, tracker: Tracker, now: datetime, limits: Limits = LIMITS
) -> None:
    """Refuse a submission (ValidationFailed, one plain sentence each) when its client sent too many
    within the window, when too many are pending, or when a source is already cited in the
    recommendation's history or already in a pending suggestion for it.

    A URL cited for another recommendation is allowed: the same article can be evidence for two."""
    since = (now if now.tzinfo else now.replace(tzinfo=timezone.utc)) - limits.window  # compared as times
    recent = sum(1 for item in existing if item.client == new.client and parse_timestamp(item.submitted) > since)
    if recent >= limits.per_client:
        minutes = int(limits.window.total_seconds() // 60)
        raise ValidationFailed(
            [
                Problem(
                    f"{recent} suggestions came from your connection in the last {minutes} minutes, the most "
                    "we take; please try again later."
                )
            ]
        )
    pending = [item for item in existing if item.state == "pending"]
    if len(pending) >= limits.max_pending:
        raise ValidationFailed(
            [
                Problem(
                    f"The editors already have {len(pending)} suggestions to review, the most we hold; "
                    "please try again in a few days."
                )
            ]
        )
    cited = cited_urls(tracker, new.rec_id)
    waiting = {url_key(s.url) for item in pending if item.rec_id == new.rec_id for s in item.sources}
    problems = []
    for source in new.sources:
        key = url_key(source.url)
        if key in cited:
            problems.append(Problem(f"The source {source.url} is already cited for this recommendation."))
        elif key in waiting:
            problems.append(Problem(f"The source {source.url} was already suggested and is waiting for an editor."))
    if problems:
        raise ValidationFailed(problems)


# -- editors' decisions -----------------------------------------------------------------------------


def credit_line(reference: str) -> str:
    """The sentence an accepted update's note ends with."""
    return f"(Suggested by a reader: suggestion {reference}.)"


def credited_note(note: str, reference: str) -> str:
    """The editor's note followed by the credit (on a line of its own)."""
    return f"{note.strip()}\n\n{credit_line(reference)}"


def _refuse_decided(suggestion: Suggestion) -> None:
    if suggestion.state != "pending":
        decided = suggestion.decision
        raise ValidationFailed(
            [
                Problem(
                    f"Suggestion {suggestion.reference} was already {suggestion.state} by {decided.by} "
                    f"at {decided.at}; nothing was changed."
                )
            ]
        )


def draft_sources(suggestion: Suggestion, kinds: Sequence[str]) -> list[Source]:
    """The suggestion's sources with the kinds an editor assigned, one per source.

    Raises ValidationFailed when a kind is missing or a source does not validate."""
    if len(kinds) != len(suggestion.sources):
        raise ValidationFailed([Problem("Choose a kind for each source.")])
    return [
        validate_model(Source, {**source.model_dump(exclude_none=True), "kind": kind}, f"source {n}")
        for n, (source, kind) in enumerate(zip(suggestion.sources, kinds, strict=True), start=1)
    ]


def edit_sources(rows: Sequence[Mapping], kinds: Iterable[str]) -> list[Source]:
    """The sources an editor accepts, as edited on the queue (each row: url, title, kind and the
    reader's published date, if any); rows left empty are dropped.

    Raises ValidationFailed with one plain sentence per problem (the kind must be one of `kinds`)."""
    known = set(kinds)
    problems: list[Problem] = []
    sources: list[Source] = []
    kept = [row for row in rows if str(row.get("url") or "").strip() or str(row.get("title") or "").strip()]
    if not kept:
        problems.append(Problem("Keep at least one source: an update that changes nothing still needs one."))
    for number, row in enumerate(kept, start=1):
        kind = row.get("kind")
        if not kind:
            problems.append(Problem(f"Source {number}: choose what kind of source it is."))
            continue
        if kind not in known:
            problems.append(Problem(f"Source {number}: '{printable(str(kind)[:40])}' is not a source kind."))
            continue
        fields = {
            "url": str(row.get("url") or "").strip(),
            "title": str(row.get("title") or "").strip(),
            "kind": kind,
            **({"published": row["published"]} if row.get("published") else {}),
        }
        try:
            sources.append(validate_model(Source, fields, f"source {number}"))
        except ValidationFailed as failed:
            problems += failed.problems
    if problems:
        raise ValidationFailed(problems)
    return sources


def build_accepted_update(
    tracker: Tracker,
    suggestion: Suggestion,
    *,
    editor: str,
    note: str | None,
    sources: Sequence[Source],
    recorded: str,
) -> Update:
    """The update an accepted suggestion becomes: the suggestion's date and status (its
    recommendation's current status for "no change"), the editor's note (the reader's by
    default) with the credit, the editor's sources (with kinds), authored by the editor."""
    _refuse_decided(suggestion)
    rec = find_recommendation(tracker, suggestion.rec_id)
    text = suggestion.note if note is None else note
    if not text.strip():
        raise ValidationFailed([Problem("Write the note the update will carry.")])
    full = credited_note(text, suggestion.reference)
    if len(full) > MAX_NOTE:
        limit = MAX_NOTE - len(full) + len(text.strip())
        raise ValidationFailed(
            [Problem(f"The note is too long; with the credit it must stay under {limit} characters.")]
        )
    return build_update(
        {
            "date": suggestion.date,
            "status": suggestion.status or current_status(rec),
            "note": full,
            "sources": [source.model_dump(exclude_none=True) for source in sources],
            "author": editor,
            "recorded": recorded,
        }
    )


def reference_to(rec_id: str, update: Update) -> UpdateRef:
    """How a decision names an update."""
    return UpdateRef(rec_id=rec_id, date=update.date, recorded=update.recorded)


def mark_accepted(suggestion: Suggestion, *, editor: str, update: UpdateRef, at: str) -> Suggestion:
    """The suggestion, accepted: it led to `update`."""
    _refuse_decided(suggestion)
    decision = validate_model(Decision, {"by": editor, "at": at, "update": update.model_dump()}, "decision")
    return suggestion.model_copy(update={"state": "accepted", "decision": decision})


def accept(
    tracker: Tracker,
    suggestion: Suggestion,
    *,
    editor: str,
    note: str | None,
    sources: Sequence[Source],
    recorded: str,
    today: date,
) -> tuple[Tracker, Suggestion]:
    """The tracker with the suggestion's update inserted (through edits.insert_update, so every
    rule of a normal update applies), and the suggestion marked accepted by `editor`.

    Safe to run again: when the tracker already holds the update that credits this suggestion (an
    accept whose second write, recording the decision, was lost), the tracker is returned as it is
    and the decision points to that update."""
    credited = find_credited_update(tracker, suggestion)
    if credited is None:
        update = build_accepted_update(
            tracker, suggestion, editor=editor, note=note, sources=sources, recorded=recorded
        )
        tracker = insert_update(tracker, suggestion.rec_id, update, today=today)
        credited = reference_to(suggestion.rec_id, update)
    return tracker, mark_accepted(suggestion, editor=editor, update=credited, at=recorded)


def find_credited_update(tracker: Tracker, suggestion: Suggestion) -> UpdateRef | None:
    """The update of the tracker that credits this suggestion, if any (an accept whose second
    step, recording the decision, failed)."""
    try:
        rec = find_recommendation(tracker, suggestion.rec_id)
    except NotFound:
        return None
    credit = credit_line(suggestion.reference)
    for update in rec.updates:
        if update.note.endswith(credit):
            return reference_to(rec.id, update)
    return None


def decline(suggestion: Suggestion, *, editor: str, reason: str, at: str) -> Suggestion:
    """The suggestion, declined with the editors' reason (shown at the reader's link)."""
    _refuse_decided(suggestion)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed([Problem("Give the reason for declining; the reader will see it.")])
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            [Problem(f"The reason is too long ({len(reason)} characters; the limit is {MAX_REASON}).")]
        )
    decision = validate_model(Decision, {"by": editor, "at": at, "reason": reason}, "decision")
    return suggestion.model_copy(update={"state": "declined", "decision": decision})


def merge(
    tracker: Tracker,
    suggestion: Suggestion,
    *,
    editor: str,
    into: tuple[str, int | str | tuple[str, str]],
    at: str,
    reason: str = "",
) -> Suggestion:
    """The suggestion, merged into an update already recorded: `into` is (recommendation id, the
    update's 1-based number in its history, its record time, or its (date, record time))."""
    _refuse_decided(suggestion)
    rec_id, which = into
    rec = find_recommendation(tracker, rec_id)
    if isinstance(which, int):
        found = rec.updates[which - 1] if 1 <= which <= len(rec.updates) else None
    elif isinstance(which, tuple):  # (date, record time): what an UpdateRef holds, stable under insertions
        found = next((update for update in rec.updates if (update.date, update.recorded) == which), None)
    else:
        found = next((update for update in rec.updates if update.recorded == which), None)
    if found is None:
        shown = " of ".join(reversed(which)) if isinstance(which, tuple) else which
        raise ValidationFailed([Problem(f"'{rec.title}' has no update {shown}; choose one from its history.")])
    decision = validate_model(
        Decision,
        {"by": editor, "at": at, "reason": reason.strip(), "update": reference_to(rec_id, found).model_dump()},
        "decision",
    )
    return suggestion.model_copy(update={"state": "merged", "decision": decision})


# -- what readers and editors see -------------------------------------------------------------------


def public_view(suggestion: Suggestion) -> dict:
    """What the reader's status link may show: no contact, client key, editor's name, note or sources
    (the link is unguessable but may be shared; what a reader typed may hold personal data)."""
    decision = suggestion.decision
    return {
        "reference": suggestion.reference,
        "rec_id": suggestion.rec_id,
        "state": suggestion.state,
        "state_label": STATE_LABELS[suggestion.state],
        "submitted": suggestion.submitted[:10],
        "date": suggestion.date,
        "proposed_status": suggestion.status,
        "decided": decision.at[:10] if decision else None,
        "reason": decision.reason if decision and suggestion.state in ("declined", "merged") else "",
        "update_date": decision.update.date if decision and decision.update else None,
    }


def describe_change(tracker: Tracker, suggestion: Suggestion) -> str:
    """How accepting would change the status, for the editors' queue."""
    rec = find_recommendation(tracker, suggestion.rec_id)
    labels = labels_of(tracker.settings.statuses)
    current = current_status(rec)
    if suggestion.status is None or suggestion.status == current:
        return f"No change: stays {labels.get(current, current)} (a review)."
    return f"{labels.get(current, current)} → {labels.get(suggestion.status, suggestion.status)}."


def count_pending(suggestions: Iterable[Suggestion]) -> int:
    """How many wait for an editor (the count shown to editors)."""
    return sum(1 for item in suggestions if item.state == "pending")
