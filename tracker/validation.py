"""The rules a tracker must follow, checked on parsed data, every problem located.

Each problem names the file, the line where it can, the recommendation and the
field, in one plain sentence, so an analyst can fix the file without help.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import ValidationError

from .errors import Problem, ValidationFailed, printable, sentence
from .model import EDITABLE_FIELDS, Tracker, is_web_address, start_of
from .yaml_text import MAX_FILE_BYTES, line_of, parse_yaml, read_file

_SINGULAR = {
    "updates": "update",
    "sources": "source",
    "addressees": "addressee",
    "metadata_changes": "metadata change",
    "statuses": "status",
    "categories": "category",
    "priorities": "priority",
    "event_kinds": "event kind",
    "source_kinds": "source kind",
    "context_events": "context event",
    "recommendations": "recommendation",
}


def _describe(loc, data) -> tuple[str | None, str | None]:
    """(recommendation id, readable field path) for a location."""
    record = None
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "recommendations" and isinstance(parts[1], int):
        try:
            item = (data["recommendations"] if isinstance(data, dict) else data.recommendations)[parts[1]]
            record = printable(str(item.get("id") if isinstance(item, dict) else item.id)) or None
        except (KeyError, IndexError, TypeError, AttributeError):
            record = None
        if record is None:
            record = f"number {parts[1] + 1}"
        parts = parts[2:]
    words = []
    for index, part in enumerate(parts):
        if isinstance(part, int):
            continue
        following = parts[index + 1] if index + 1 < len(parts) else None
        if isinstance(following, int):
            words.append(f"{_SINGULAR.get(part, part)} {following + 1}")
        else:
            words.append(str(part))
    return record, " › ".join(words) or None


def _explain_pydantic(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a field the tracker knows; check its spelling or remove it"
    if kind == "string_type":
        return "is required; fill it in" if value is None else "must be text"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_type", "float_parsing"):
        return "must be a number"
    if kind == "finite_number":
        return "must be a real number, not NaN or infinity"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind == "list_type":
        return "must be a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a set of fields"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(value)} characters; the limit is {ctx.get('max_length')})"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} entry"
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith("^#"):
            return f"'{value}' is not a colour; write it as #RRGGBB"
        return f"'{printable(str(value))}' is not a valid id; use lowercase letters, digits and hyphens"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def check_tracker(tracker: Tracker, today: date, only: set[str] | None = None) -> list[tuple[tuple, str]]:
    """Rules that span fields: unique ids, defined terms, dates, sources.

    With `only`, just the named recommendations are checked (after a change to them,
    the rest is as valid as when it was loaded). Returns (location, message) pairs; an
    empty list means the tracker is sound.
    """
    found: list[tuple[tuple, str]] = []
    settings = tracker.settings
    vocab = {
        name: {term.id for term in getattr(settings, name)}
        for name in ("statuses", "addressees", "categories", "priorities", "event_kinds", "source_kinds")
    }
    kinds = _SourceKinds(settings.source_kinds)

    def unique(items, path, watched=None):
        seen = set()
        for index, item in enumerate(items):
            if item.id in seen and (watched is None or item.id in watched):
                found.append(((*path, index, "id"), f"the id '{item.id}' is used twice; ids must be unique"))
            seen.add(item.id)

    def defined(value, name, path, what):
        if value not in vocab[name]:
            choices = ", ".join(sorted(vocab[name]))
            found.append((path, f"'{value}' is not a defined {what}; use one of: {choices}"))

    unique(tracker.recommendations, ("recommendations",), only)
    for r, rec in enumerate(tracker.recommendations):
        if only is None or rec.id in only:
            _check_recommendation(rec, ("recommendations", r), defined, found, today, kinds)
    if only is not None:
        return found
    for name in vocab:
        unique(getattr(settings, name), ("tracker", name))
    unique(tracker.context_events, ("context_events",))
    if settings.article.url and not is_web_address(settings.article.url):
        found.append((("tracker", "article", "url"), "must be empty or start with http:// or https://"))
    for e, event in enumerate(tracker.context_events):
        defined(event.kind, "event_kinds", ("context_events", e, "kind"), "event kind")
        for s, source in enumerate(event.sources):
            defined(source.kind, "source_kinds", ("context_events", e, "sources", s, "kind"), "source kind")
        if start_of(event.date) > today:
            found.append(
                (("context_events", e, "date"), f"{event.date} is in the future (today is {today.isoformat()})")
            )
    return found


class _SourceKinds:
    """Which source kinds may carry a status change, and how to name both groups in a message."""

    def __init__(self, source_kinds):
        self.supporting = {kind.id for kind in source_kinds if kind.supports_change}
        strong = [kind.label.lower() for kind in source_kinds if kind.supports_change]
        weak = [kind.label.lower() for kind in source_kinds if not kind.supports_change]
        self.weak_words = _either([word if word.endswith("s") else word + "s" for word in weak]) or "weak sources"
        strong_words = _either(strong) or "supporting"
        self.strong_words = ("an " if strong_words[:1] in "aeiou" else "a ") + strong_words


def _either(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return " or ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def _check_recommendation(rec, base: tuple, defined, found: list, today: date, kinds: _SourceKinds) -> None:
    for a, addressee in enumerate(rec.addressees):
        defined(addressee, "addressees", (*base, "addressees", a), "addressee")
    defined(rec.category, "categories", (*base, "category"), "category")
    defined(rec.priority, "priorities", (*base, "priority"), "priority")
    baseline = start_of(rec.updates[0].date)
    assessed = start_of(rec.assessment.date)
    if assessed > today:
        found.append(
            ((*base, "assessment", "date"), f"{rec.assessment.date} is in the future (today is {today.isoformat()})")
        )
    previous = None
    for u, update in enumerate(rec.updates):
        path = (*base, "updates", u)
        defined(update.status, "statuses", (*path, "status"), "status")
        for s, source in enumerate(update.sources):
            defined(source.kind, "source_kinds", (*path, "sources", s, "kind"), "source kind")
        when = start_of(update.date)
        if when > today:
            found.append(((*path, "date"), f"{update.date} is in the future (today is {today.isoformat()})"))
        if u and when < baseline:
            found.append(((*path, "date"), f"{update.date} is before the baseline of {rec.updates[0].date}"))
        elif previous is not None and when < start_of(previous.date):
            found.append(
                ((*path, "date"), f"{update.date} is earlier than the update before it; keep updates in date order")
            )
        if previous is not None and update.status != previous.status and not update.sources:
            found.append(
                (
                    (*path, "sources"),
                    f"changes the status from {previous.status} to {update.status} but cites no source; "
                    "add a source URL and title",
                )
            )
        elif (
            previous is not None
            and update.status != previous.status
            and not any(source.kind in kinds.supporting for source in update.sources)
        ):
            found.append(
                (
                    (*path, "sources"),
                    f"changes the status from {previous.status} to {update.status} but cites only "
                    f"{kinds.weak_words}; add {kinds.strong_words} source",
                )
            )
        previous = update
    for c, change in enumerate(rec.metadata_changes):
        if change.field not in EDITABLE_FIELDS:
            found.append(((*base, "metadata_changes", c, "field"), f"'{change.field}' is not an editable field"))


def validate_data(data: dict, *, today: date, filename: str = "", node=None) -> Tracker:
    """Check plain data against the schema and the cross-field rules.

    Raises ValidationFailed listing every problem.
    """
    try:
        tracker = Tracker.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            record, field = _describe(item["loc"], data)
            problems.append(
                Problem(sentence(_explain_pydantic(item)), filename, line_of(node, item["loc"]), record, field)
            )
        raise ValidationFailed(problems) from None
    issues = check_tracker(tracker, today)
    if issues:
        problems = []
        for loc, message in issues:
            record, field = _describe(loc, data)
            problems.append(Problem(sentence(message), filename, line_of(node, loc), record, field))
        raise ValidationFailed(problems)
    return tracker


def check_problems(tracker: Tracker, today: date, filename: str = "", only: set[str] | None = None) -> None:
    """Raise ValidationFailed when check_tracker finds anything (in `only`, when given)."""
    issues = check_tracker(tracker, today, only)
    if issues:
        problems = []
        for loc, message in issues:
            record, field = _describe(loc, tracker)
            problems.append(Problem(sentence(message), filename, None, record, field))
        raise ValidationFailed(problems)


def validate_model(model, fields: dict, label: str):
    """Build one model (an update, a recommendation) from plain values.

    Raises ValidationFailed naming each bad field in plain words.
    """
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            _, field = _describe(item["loc"], fields)
            subject = f"{label.capitalize()} {field}" if field else label.capitalize()
            problems.append(Problem(sentence(f"{subject}: {_explain_pydantic(item)}")))
        raise ValidationFailed(problems) from None


def validate_bytes(raw: bytes, *, today: date, filename: str = "", max_bytes: int = MAX_FILE_BYTES) -> Tracker:
    """Parse and validate tracker bytes. Raises ValidationFailed."""
    data, node = parse_yaml(raw, filename, max_bytes)
    return validate_data(data, today=today, filename=filename, node=node)


def find_problems(path: Path, *, today: date, max_bytes: int = MAX_FILE_BYTES) -> list[Problem]:
    """Every problem of a tracker file; an empty list means it is valid."""
    path = Path(path)
    try:
        validate_bytes(read_file(path, max_bytes), today=today, filename=path.name, max_bytes=max_bytes)
    except ValidationFailed as failed:
        return failed.problems
    except OSError as error:
        return [Problem(f"cannot be read ({error.strerror or error}); check the path", path.name)]
    return []
