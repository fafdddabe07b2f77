"""The rules a tracker must follow, checked on parsed data, every problem located.

Each problem names the file, the line where it can, the recommendation and the
field, in one plain sentence, so an analyst can fix the file without help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from .errors import Problem, ValidationFailed, printable, sentence
from .language import DEFAULT as DEFAULT_LANGUAGE
from .language import LANGUAGES
from .model import EDITABLE_FIELDS, Invalid, Tracker, is_review, is_web_address, start_of, statuses_in_force
from .translation import key_of, list_english
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
    "changes": "correction",
    "settings_changes": "settings correction",
    "reviews": "review",
    "scope": "recommendation",
    "periods": "year",
    "links": "link",
    "translations": "translation",
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


def explain_pydantic(error: dict) -> tuple[str, dict, str]:
    """A pydantic error as (code, facts, plain English message)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "missing", {}, "is required but missing"
    if kind == "extra_forbidden":
        return "unknown_field", {}, "is not a field the tracker knows; check its spelling or remove it"
    if kind == "string_type":
        if value is None:
            return "required", {}, "is required; fill it in"
        return "not_text", {}, "must be text"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "not_whole_number", {}, "must be a whole number"
    if kind in ("float_type", "float_parsing"):
        return "not_a_number", {}, "must be a number"
    if kind == "finite_number":
        return "not_finite", {}, "must be a real number, not NaN or infinity"
    if kind in ("bool_type", "bool_parsing"):
        return "not_true_or_false", {}, "must be true or false"
    if kind == "list_type":
        return "not_a_list", {}, "must be a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "not_fields", {}, "must be a set of fields"
    if kind == "string_too_short":
        return "empty", {}, "must not be empty"
    if kind == "string_too_long":
        facts = {"length": len(value), "limit": ctx.get("max_length")}
        return "too_long", facts, f"is too long ({len(value)} characters; the limit is {ctx.get('max_length')})"
    if kind == "too_short":
        return "too_few", {"minimum": ctx.get("min_length")}, f"must have at least {ctx.get('min_length')} entry"
    if kind == "too_long":
        return "too_many", {"maximum": ctx.get("max_length")}, f"must have at most {ctx.get('max_length')} entries"
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith("^#"):
            return "not_a_colour", {"value": value}, f"'{value}' is not a colour; write it as #RRGGBB"
        shown = printable(str(value))
        return "not_an_id", {"value": shown}, f"'{shown}' is not a valid id; use lowercase letters, digits and hyphens"
    if kind == "greater_than_equal":
        return "too_small", {"minimum": ctx.get("ge")}, f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return "too_big", {"maximum": ctx.get("le")}, f"must be at most {ctx.get('le')}"
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, Invalid):
            return cause.code, dict(cause.params), str(cause)
        return "invalid", {}, str(cause if cause is not None else error["msg"])
    return kind, {}, error["msg"]


@dataclass(frozen=True)
class Finding:
    """One broken rule: where (a path of keys and indexes into the tracker), what (`code`), the facts
    a message quotes, and the plain English message for files and the command line."""

    loc: tuple
    code: str
    message: str
    params: dict = field(default_factory=dict)


def check_tracker(tracker: Tracker, today: date, only: set[str] | None = None) -> list[Finding]:
    """Rules that span fields: unique ids, defined terms, dates, sources.

    With `only`, just the named recommendations are checked (after a change to them,
    the rest is as valid as when it was loaded). An empty list means the tracker is sound.
    """
    found: list[Finding] = []
    settings = tracker.settings
    vocab = {
        name: {term.id for term in getattr(settings, name)}
        for name in ("statuses", "addressees", "categories", "priorities", "event_kinds", "source_kinds")
    }
    kinds = SourceKinds(settings.source_kinds)

    def unique(items, path, watched=None):
        seen = set()
        for index, item in enumerate(items):
            if item.id in seen and (watched is None or item.id in watched):
                message = f"the id '{item.id}' is used twice; ids must be unique"
                found.append(Finding((*path, index, "id"), "duplicate_id", message, {"value": item.id}))
            seen.add(item.id)

    def defined(value, name, path, what):
        if value not in vocab[name]:
            choices = ", ".join(sorted(vocab[name]))
            message = f"'{value}' is not a defined {what}; use one of: {choices}"
            found.append(Finding(path, "undefined_term", message, {"value": value, "what": what, "choices": choices}))

    unique(tracker.recommendations, ("recommendations",), only)
    for r, rec in enumerate(tracker.recommendations):
        if only is None or rec.id in only:
            _check_recommendation(rec, ("recommendations", r), defined, found, today, kinds)
    if only is not None:
        return found
    for name in vocab:
        unique(getattr(settings, name), ("tracker", name))
    unique(tracker.context_events, ("context_events",))
    _check_translations(tracker, found)
    if settings.article.url and not is_web_address(settings.article.url):
        message = "must be empty or start with http:// or https://"
        found.append(Finding(("tracker", "article", "url"), "not_a_web_address", message))
    for e, event in enumerate(tracker.context_events):
        defined(event.kind, "event_kinds", ("context_events", e, "kind"), "event kind")
        for s, source in enumerate(event.sources):
            defined(source.kind, "source_kinds", ("context_events", e, "sources", s, "kind"), "source kind")
        _check_source_titles(event.sources, ("context_events", e), found)
        if start_of(event.date) > today:
            found.append(_future(("context_events", e, "date"), event.date, today))
        _check_changes(event.changes, ("context_events", e, "changes"), CORRECTABLE["context_events"], found)
    _check_changes(tracker.settings_changes, ("settings_changes",), tuple(type(settings).model_fields), found)
    for r, review in enumerate(tracker.reviews):
        if start_of(review.date) > today:
            found.append(_future(("reviews", r, "date"), review.date, today))
        for i, rec_id in enumerate(review.scope):
            if rec_id not in {rec.id for rec in tracker.recommendations}:
                message = f"'{rec_id}' is not a recommendation of this tracker"
                found.append(Finding(("reviews", r, "scope", i), "unknown_rec", message, {"value": rec_id}))
    return found


def _future(loc: tuple, value: str, today: date) -> Finding:
    message = f"{value} is in the future (today is {today.isoformat()})"
    return Finding(loc, "future_date", message, {"value": value, "today": today.isoformat()})


class SourceKinds:
    """Which source kinds may carry a status change, and how to name both groups in a message."""

    def __init__(self, source_kinds):
        self.supporting = {kind.id for kind in source_kinds if kind.supports_change}
        self.labels = [kind.label.lower() for kind in source_kinds]
        strong = [kind.label.lower() for kind in source_kinds if kind.supports_change]
        weak = [kind.label.lower() for kind in source_kinds if not kind.supports_change]
        self.weak_words = _either([word if word.endswith("s") else word + "s" for word in weak]) or "weak sources"
        strong_words = _either(strong) or "supporting"
        self.strong_words = ("an " if strong_words[:1] in "aeiou" else "a ") + strong_words


def _either(words: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return " or ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def check_change_sources(previous: str | None, status: str, source_kinds: list[str], kinds: SourceKinds) -> list:
    """The rule for a status change's evidence, as (code, facts, message): a change from `previous` to
    `status` cites at least one source, and one of a kind that may carry a change. The one rule, used
    on a whole tracker (`check_tracker`) and on a form's rows before anything is saved."""
    if previous is None or status == previous:
        return []
    facts = {"old": previous, "new": status}
    if not source_kinds:
        message = f"changes the status from {previous} to {status} but cites no source; add a source URL and title"
        return [("unsourced_change", facts, message)]
    if not any(kind in kinds.supporting for kind in source_kinds):
        message = (
            f"changes the status from {previous} to {status} but cites only {kinds.weak_words}; "
            f"add {kinds.strong_words} source"
        )
        return [("weakly_sourced_change", {**facts, "weak": kinds.weak_words, "strong": kinds.strong_words}, message)]
    return []


# A source's title is the page's own headline; where none could be read, a description stands in its place,
# written in [square brackets] so that it is never passed off as the page's headline. A placeholder is
# neither. The patterns are narrow on purpose: a real headline that merely contains "report" or a colon passes.
_PLACEHOLDER = re.compile(r"not captured|placeholder", re.IGNORECASE)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DESCRIPTION = [
    # words that only a description uses, anywhere in the title
    re.compile(
        r"(?:title (?:taken|completed) from the web address|headline (?:is )?not (?:visible|shown)"
        r"|no headline (?:visible|shown))",
        re.IGNORECASE,
    ),
    # "report on ...", "copy of ...", "full text of ..." at the start or right after a colon
    re.compile(r"(?:\A|:\s*)(?:report (?:on|of|that)|(?:a )?copy of|full text of|summary of)\b", re.IGNORECASE),
    # an outlet-and-date prefix: "Korea Herald, 27 Jun 2023: ...", "KBS World, Jul 2022: ...", "X, 2025-06-17: ..."
    re.compile(
        rf"\A[^:\[\]]{{1,80}}, (?:(?:[0-9]{{1,2}} )?{_MONTH} [0-9]{{4}}|[0-9]{{4}}-[0-9]{{2}}(?:-[0-9]{{2}})?):",
        re.IGNORECASE,
    ),
]


def check_source_title(title: str) -> list:
    """The rule for a source's title, as (code, facts, message): not a placeholder, and a description (one
    that reads like "report on ...", "copy of ...", "title taken from the web address" or starts with an
    outlet and a date) stands in [square brackets]. Checked on every source of every update and context event."""
    if _PLACEHOLDER.search(title):
        message = "is a placeholder, not a title; write the page's headline, or a description in [square brackets]"
        return [("placeholder_title", {}, message)]
    bracketed = title.startswith("[") and title.endswith("]")
    if not bracketed and any(pattern.search(title) for pattern in _DESCRIPTION):
        message = (
            "reads like a description, not the page's headline; write the headline the page shows, "
            "or put the description in [square brackets]"
        )
        return [("description_as_headline", {}, message)]
    return []


def _check_source_titles(sources, path: tuple, found: list) -> None:
    for s, source in enumerate(sources):
        for code, facts, message in check_source_title(source.title):
            found.append(Finding((*path, "sources", s, "title"), code, message, facts))


# The fields of an update, a context event and the settings a correction may change.
CORRECTABLE = {
    "updates": ("date", "status", "note", "sources", "withdrawn"),
    "context_events": ("date", "kind", "title", "note", "sources"),
}


def _check_translations(tracker: Tracker, found: list) -> None:
    """Each translation is of a text the tracker holds, into a language it translates into."""
    english = list_english(tracker)
    others = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    for t, item in enumerate(tracker.translations):
        if item.lang not in others:
            message = f"'{item.lang}' is not a language the tracker translates into; use one of: {', '.join(others)}"
            found.append(Finding(("translations", t, "lang"), "unknown_language", message, {"value": item.lang}))
        if key_of(item) not in english:
            what = item.target.replace("_", " ")
            message = f"the tracker has no {what} '{item.id}' to translate"
            found.append(Finding(("translations", t, "id"), "nothing_to_translate", message, {"value": item.id or ""}))


def _check_changes(changes, path: tuple, allowed, found: list) -> None:
    for c, change in enumerate(changes):
        if change.field not in allowed:
            message = f"'{change.field}' is not a field that can be corrected here"
            found.append(Finding((*path, c, "field"), "not_editable", message, {"value": change.field}))


def _check_recommendation(rec, base: tuple, defined, found: list, today: date, kinds: SourceKinds) -> None:
    for a, addressee in enumerate(rec.addressees):
        defined(addressee, "addressees", (*base, "addressees", a), "addressee")
    defined(rec.category, "categories", (*base, "category"), "category")
    defined(rec.priority, "priorities", (*base, "priority"), "priority")
    baseline = start_of(rec.updates[0].date)
    assessed = start_of(rec.assessment.date)
    if assessed > today:
        found.append(_future((*base, "assessment", "date"), rec.assessment.date, today))
    for u, update in enumerate(rec.updates):
        if update.part is not None and update.part not in rec.addressees:
            message = f"'{update.part}' is not one of this recommendation's addressees"
            found.append(Finding((*base, "updates", u, "part"), "part_not_addressee", message, {"value": update.part}))
    years = set()
    for p, period in enumerate(rec.periods):
        if period.period in years:
            message = f"the year {period.period} is assessed twice; keep one"
            found.append(
                Finding((*base, "periods", p, "period"), "duplicate_period", message, {"value": period.period})
            )
        years.add(period.period)
        if int(period.period) > today.year:
            found.append(_future((*base, "periods", p, "period"), period.period, today))
        for s, source in enumerate(period.sources):
            defined(source.kind, "source_kinds", (*base, "periods", p, "sources", s, "kind"), "source kind")
    if rec.updates[0].status is None:
        message = "is the baseline, so it must state the status the recommendation started from"
        found.append(Finding((*base, "updates", 0, "status"), "baseline_without_status", message))
    previous, held = None, None
    for u, update in enumerate(rec.updates):
        path = (*base, "updates", u)
        if update.status is not None:
            defined(update.status, "statuses", (*path, "status"), "status")
        for s, source in enumerate(update.sources):
            defined(source.kind, "source_kinds", (*path, "sources", s, "kind"), "source kind")
        _check_source_titles(update.sources, path, found)
        _check_changes(update.changes, (*path, "changes"), CORRECTABLE["updates"], found)
        when = start_of(update.date)
        if when > today:
            found.append(_future((*path, "date"), update.date, today))
        if u and when < baseline:
            message = f"{update.date} is before the baseline of {rec.updates[0].date}"
            facts = {"value": update.date, "baseline": rec.updates[0].date}
            found.append(Finding((*path, "date"), "before_baseline", message, facts))
        elif previous is not None and when < start_of(previous.date):
            message = f"{update.date} is earlier than the update before it; keep updates in date order"
            found.append(Finding((*path, "date"), "out_of_order", message, {"value": update.date}))
        if update.withdrawn:
            previous = update
            continue  # a withdrawn entry counts for nothing, its status included
        if u and update.status is not None and not update.sources:
            # A review that restates a status (older files) restated the one in force when it was
            # recorded; anything else is a change of status without a source.
            found_then = _held_when_recorded(rec.updates, u)
            if update.status != found_then:
                for code, facts, message in check_change_sources(found_then, update.status, [], kinds):
                    found.append(Finding((*path, "sources"), code, message, facts))
        elif update.status is not None:
            for code, facts, message in check_change_sources(
                held, update.status, [s.kind for s in update.sources], kinds
            ):
                found.append(Finding((*path, "sources"), code, message, facts))
        if not is_review(update, u):
            held = update.status
        previous = update
    for c, change in enumerate(rec.metadata_changes):
        if change.field not in EDITABLE_FIELDS:
            message = f"'{change.field}' is not an editable field"
            found.append(Finding((*base, "metadata_changes", c, "field"), "not_editable", message,
                                 {"value": change.field}))  # fmt: skip


def _held_when_recorded(updates, index: int) -> str | None:
    """The status in force just before updates[index], counting only the updates recorded by then."""
    stamp = updates[index].recorded
    earlier = [update for update in updates[:index] if update.recorded <= stamp]
    return statuses_in_force(earlier)[-1] if earlier else None


def _problem(loc, data, code: str, params: dict, message: str, filename: str, line) -> Problem:
    record, field_path = _describe(loc, data)
    return Problem(sentence(message), filename, line, record, field_path, code, {**params, "loc": tuple(loc)})


def validate_data(data: dict, *, today: date, filename: str = "", node=None) -> Tracker:
    """Check plain data against the schema and the cross-field rules.

    Raises ValidationFailed listing every problem.
    """
    try:
        tracker = Tracker.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            code, facts, message = explain_pydantic(item)
            problems.append(_problem(item["loc"], data, code, facts, message, filename, line_of(node, item["loc"])))
        raise ValidationFailed(problems) from None
    issues = check_tracker(tracker, today)
    if issues:
        raise ValidationFailed(
            [_problem(f.loc, data, f.code, f.params, f.message, filename, line_of(node, f.loc)) for f in issues]
        )
    return tracker


def check_problems(tracker: Tracker, today: date, filename: str = "", only: set[str] | None = None) -> None:
    """Raise ValidationFailed when check_tracker finds anything (in `only`, when given)."""
    issues = check_tracker(tracker, today, only)
    if issues:
        raise ValidationFailed([_problem(f.loc, tracker, f.code, f.params, f.message, filename, None) for f in issues])


def validate_model_message(label: str, loc: tuple, fields: dict, message: str) -> str:
    """The plain sentence `validate_model` says for one bad field: 'Update note: must not be empty.'"""
    _, field_path = _describe(loc, fields)
    subject = f"{label.capitalize()} {field_path}" if field_path else label.capitalize()
    return sentence(f"{subject}: {message}")


def validate_model(model, fields: dict, label: str):
    """Build one model (an update, a recommendation) from plain values.

    Raises ValidationFailed naming each bad field in plain words.
    """
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            _, field_path = _describe(item["loc"], fields)
            code, facts, message = explain_pydantic(item)
            problems.append(
                Problem(
                    validate_model_message(label, item["loc"], fields, message),
                    code=code,
                    params={**facts, "loc": tuple(item["loc"]), "path": field_path},
                )
            )
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
