"""Words for problems: the core reports what is wrong as data (`errors.Problem`: a code, the parameter
or field, the values); the page, the API and the command line word it here, each for its reader.

A link's problem falls back to a default on the page ("it was ignored"), while the API refuses the
same request ("The request asks for ..."): one table of templates per audience, so translating the
page's words can never change what the API reports, and the API never reads a message to learn what
went wrong. `translate` is a gettext function (the identity for English)."""

from __future__ import annotations

from collections.abc import Callable

from . import filters
from .errors import Problem
from .language import mark
from .model import format_date

SHOWN_UNKNOWN = 3  # unknown values quoted in one message; the rest are counted

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


# What each parameter is called in a sentence, by its name (filters add their own: see `filters`).
PARAMETER_WORDS = {
    "as_of": mark("as-of date"),
    "since": mark("'changed since' date"),
    "published": mark("publication time"),
}

# code -> (the page's template, the API's template); {what} names the parameter, {value} quotes it.
LINK_TEMPLATES = {
    "unknown_value": (
        mark("The link asks for the {what} '{value}', which this tracker does not have; it was ignored."),
        "The request asks for the {what} '{value}', which this tracker does not have.",
    ),
    "unknown_values": (
        mark("The link asks for {count} {plural} this tracker does not have ({named}{more}); they were ignored."),
        "The request asks for {count} {plural} this tracker does not have ({named}{more}).",
    ),
    "not_a_date": (
        mark("The link's {what} '{value}' is not a date (YYYY-MM-DD); showing the default instead."),
        "The {what} '{value}' is not a date (YYYY-MM-DD).",
    ),
    "future_date": (
        mark("The link's {what} {value} is in the future; showing today instead."),
        "The {what} {value} is in the future.",
    ),
    "before_tracking": (
        mark("The link's {what} {value} is before tracking began ({earliest}); showing the default instead."),
        "The {what} {value} is before tracking began ({earliest}).",
    ),
    "not_a_time": (
        mark(
            "The link's publication time '{value}' is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC); "
            "showing the tracker as published now."
        ),
        "'{value}' is not a publication time; write it as YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD.",
    ),
    "not_a_real_time": (
        mark(
            "The link's publication time '{value}' is not a real date and time; showing the tracker as published now."
        ),
        "'{value}' is not a real date and time.",
    ),
    "future_time": (
        mark("The link's publication time {value} is in the future; showing the tracker as published now."),
        "The publication time {value} is in the future; the tracker cannot show it yet.",
    ),
    "unknown_rec": (
        mark("The link points to a recommendation '{value}' that this tracker does not have."),
        "This tracker has no recommendation '{value}'{when}.",
    ),
    "since_not_before": (
        mark("The link's 'changed since' date {value} is not before the as-of date; showing the default instead."),
        "The 'since' date {value} must be before the as-of date.",
    ),
    "unknown_parameter": (
        mark("The link has a part '{value}' this page does not use; it was ignored."),
        "Unknown parameter '{value}'; this address accepts {allowed}.",
    ),
    "unknown_document": (
        mark("The link asks for a document '{value}' that this tracker does not have; showing the first one."),
        "This tracker follows no document '{value}'.",
    ),
    "unknown_language": (
        mark("The link asks for a language '{value}' this tracker does not have; showing {allowed}."),
        "The parameter 'lang' must be one of {allowed}; it was '{value}'.",
    ),
    "two_documents": (
        mark("The link names two documents ('{value}' and '{other}'); showing the first one named."),
        "The parameters 'document' and 'doc' name different documents ('{value}' and '{other}'); give one.",
    ),
    "not_a_number": (
        mark("The link's {what} '{value}' is not a whole number; showing the first page instead."),
        "The parameter '{parameter}' must be a whole number {limits}; it was '{value}'.",
    ),
}

PAGE, REQUEST = 0, 1
AND_MORE = mark(" and {count} more")  # after the first unknown values a link names


def _words(problem: Problem, audience: int, translate: Translate) -> str:
    facts = dict(problem.params)
    parameter = problem.field or ""
    row = filters.filter_by_parameter(parameter)
    what, plural = (row.noun, row.plural) if row else (PARAMETER_WORDS.get(parameter, parameter), parameter)
    values = [str(value)[:40] for value in facts.pop("values", ())]
    named = ", ".join(f"'{value}'" for value in values[:SHOWN_UNKNOWN])
    extra = len(values) - SHOWN_UNKNOWN
    template = translate(LINK_TEMPLATES[problem.code][audience])
    return template.format(
        what=translate(what),
        plural=translate(plural),
        parameter=parameter,
        count=f"{len(values):,}",
        named=named,
        more=translate(AND_MORE).format(count=f"{extra:,}") if extra > 0 else "",
        **{
            "value": values[0] if values else "",
            "when": "",
            "allowed": "",
            "earliest": "",
            "limits": "",
            "other": "",
            **facts,
        },
    )


def link_words(problem: Problem, translate: Translate = _same) -> str:
    """A link's problem as the page says it (the page then shows its default)."""
    return _words(problem, PAGE, translate)


def request_words(problem: Problem, translate: Translate = _same) -> str:
    """A request's problem as the API says it (it refuses the request)."""
    return _words(problem, REQUEST, translate)


# -- the Edit page: a problem in the analyst's words -------------------------------------------------

# An update form's fields, by the model's name, as the form labels them.
UPDATE_LABELS = {"date": mark("When it happened"), "status": mark("Status after this update"), "note": mark("Note")}


def _source_part(loc: tuple) -> tuple[int, str] | None:
    """(the source's number, its part) when a location points into an update's sources."""
    names = [part for part in loc if isinstance(part, str)]
    if "sources" in names:
        at = loc.index("sources")
        if len(loc) > at + 2 and isinstance(loc[at + 1], int):
            return loc[at + 1] + 1, str(loc[at + 2])
    return None


def _day(value: str) -> str:
    """A date in a sentence, as people read it ('27 Nov 2026', 'Jul 2022')."""
    try:
        return format_date(value).split(" (")[0]
    except (AttributeError, TypeError, ValueError):
        return str(value)


def editor_words(problem: Problem, *, title: str, when: str, statuses: dict, kinds_words: str,
                 translate: Translate = _same) -> str:  # fmt: skip
    """A problem with an update an analyst tried to save, in their words: the recommendation's title
    (never its id), the entry by its date, the field by its label, and what to do about it.

    `when` is the update's date for people ("25 Nov 2026"), `statuses` the status labels by id,
    `kinds_words` the source kinds that may carry a change ("official, news or analysis")."""
    t = translate
    facts = dict(problem.params)
    loc = tuple(facts.get("loc", ()))
    code = problem.code
    leaf = next((part for part in reversed(loc) if isinstance(part, str)), problem.field or "")
    source = _source_part(loc)

    def label(name: str) -> str:
        return t(UPDATE_LABELS.get(name, name.replace("_", " ")))

    if code in ("unsourced_change", "weakly_sourced_change"):
        old, new = statuses.get(facts.get("old"), facts.get("old")), statuses.get(facts.get("new"), facts.get("new"))
        if code == "unsourced_change":
            what = t("it changes the status from {old} to {new} but cites no source").format(old=old, new=new)
        else:
            what = t("it changes the status from {old} to {new} but cites only copies (reposts or aggregators)")
            what = what.format(old=old, new=new)
        action = t("Add a source for this change ({kinds}), or keep the status.").format(kinds=kinds_words)
    elif code == "duplicate_update":
        what, action = t("this update is already recorded"), t("Nothing was added; it was saved before.")
    elif code == "future_date":
        what = t("the date is in the future (today is {today})").format(today=_day(facts.get("today", "")))
        action = t("Pick the day it happened.")
    elif code == "before_baseline":
        what = t("the date is before this recommendation's baseline ({baseline})").format(
            baseline=_day(facts.get("baseline", ""))
        )
        action = t("Pick a date on or after the baseline.")
    elif source is not None:
        number, part = source
        if part == "url" and code == "not_a_web_address":
            what = t("source {n}'s web address is not a web address").format(n=number)
            action = t("Paste the page's address, starting with http:// or https://.")
        elif part == "url" and code == "too_long":
            what = t("source {n}'s web address is too long").format(n=number)
            action = t("Use the page's shorter address.")
        elif part == "title" and code in ("empty", "required", "missing"):
            what, action = t("source {n} has no title").format(n=number), t("Give the page's headline.")
        elif part == "title" and code == "line_break":
            what, action = t("source {n}'s title has a line break").format(n=number), t("Keep it on one line.")
        elif part == "title" and code == "too_long":
            what = t("source {n}'s title is too long ({length} characters; the limit is {limit})").format(
                n=number, length=facts.get("length"), limit=facts.get("limit")
            )
            action = t("Shorten it.")
        elif part == "kind" and code in ("empty", "required", "missing", "not_an_id", "undefined_term"):
            what = t("source {n} has no kind").format(n=number)
            action = t("Say what kind of source it is.")
        else:
            what, action = t("source {n}: {message}").format(n=number, message=problem.message.rstrip(".")), ""
    elif leaf == "note" and code in ("empty", "required", "missing"):
        what, action = t("the note is empty"), t("Write what happened, in your own words.")
    elif leaf == "note" and code == "too_long":
        what = t("the note is too long ({length} characters; the limit is {limit})").format(
            length=facts.get("length"), limit=facts.get("limit")
        )
        action = t("Shorten it.")
    elif code == "control_characters":
        what = t("the {field} holds invisible control characters").format(field=label(leaf).lower())
        action = t("Retype it as plain text.")
    elif leaf == "date" and code in ("not_a_date", "not_a_real_date"):
        what = t("the date is not a real date")
        action = t("Pick it in the calendar, or tick “Only the month is known”.")
    elif leaf == "status" and code == "undefined_term":
        what, action = (
            t("'{value}' is not a status").format(value=facts.get("value", "")),
            t("Choose one from the list."),
        )
    else:
        what, action = problem.message.rstrip(".").split(": ", 1)[-1], ""
    head = t("'{title}', the update of {when}").format(title=title, when=when)
    # TRANSLATORS: an Edit page problem: '{subject}' names the update, '{problem}' says what is wrong.
    said = t("{subject}: {problem}.").format(subject=head, problem=what)
    return said + (f" {action}" if action else "")
