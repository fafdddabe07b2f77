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

SHOWN_UNKNOWN = 3  # unknown values quoted in one message; the rest are counted

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


# What each parameter is called in a sentence, by its name (filters add their own: see `filters`).
PARAMETER_WORDS = {
    "as_of": "as-of date",
    "since": "'changed since' date",
    "published": "publication time",
}

# code -> (the page's template, the API's template); {what} names the parameter, {value} quotes it.
LINK_TEMPLATES = {
    "unknown_value": (
        "The link asks for the {what} '{value}', which this tracker does not have; it was ignored.",
        "The request asks for the {what} '{value}', which this tracker does not have.",
    ),
    "unknown_values": (
        "The link asks for {count} {plural} this tracker does not have ({named}{more}); they were ignored.",
        "The request asks for {count} {plural} this tracker does not have ({named}{more}).",
    ),
    "not_a_date": (
        "The link's {what} '{value}' is not a date (YYYY-MM-DD); showing the default instead.",
        "The {what} '{value}' is not a date (YYYY-MM-DD).",
    ),
    "future_date": (
        "The link's {what} {value} is in the future; showing today instead.",
        "The {what} {value} is in the future.",
    ),
    "before_tracking": (
        "The link's {what} {value} is before tracking began ({earliest}); showing the default instead.",
        "The {what} {value} is before tracking began ({earliest}).",
    ),
    "not_a_time": (
        "The link's publication time '{value}' is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC); "
        "showing the tracker as published now.",
        "'{value}' is not a publication time; write it as YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD.",
    ),
    "not_a_real_time": (
        "The link's publication time '{value}' is not a real date and time; showing the tracker as published now.",
        "'{value}' is not a real date and time.",
    ),
    "future_time": (
        "The link's publication time {value} is in the future; showing the tracker as published now.",
        "The publication time {value} is in the future; the tracker cannot show it yet.",
    ),
    "unknown_rec": (
        "The link points to a recommendation '{value}' that this tracker does not have.",
        "This tracker has no recommendation '{value}'{when}.",
    ),
    "since_not_before": (
        "The link's 'changed since' date {value} is not before the as-of date; showing the default instead.",
        "The 'since' date {value} must be before the as-of date.",
    ),
    "unknown_parameter": (
        "The link has a part '{value}' this page does not use; it was ignored.",
        "Unknown parameter '{value}'; this address accepts {allowed}.",
    ),
    "not_a_number": (
        "The link's {what} '{value}' is not a whole number; showing the first page instead.",
        "The parameter '{parameter}' must be a whole number {limits}; it was '{value}'.",
    ),
}

PAGE, REQUEST = 0, 1


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
        more=translate(" and {count} more").format(count=f"{extra:,}") if extra > 0 else "",
        **{"value": values[0] if values else "", "when": "", "allowed": "", "earliest": "", "limits": "", **facts},
    )


def link_words(problem: Problem, translate: Translate = _same) -> str:
    """A link's problem as the page says it (the page then shows its default)."""
    return _words(problem, PAGE, translate)


def request_words(problem: Problem, translate: Translate = _same) -> str:
    """A request's problem as the API says it (it refuses the request)."""
    return _words(problem, REQUEST, translate)
