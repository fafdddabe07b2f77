"""The one table of filters: each row says everything about one way to narrow the recommendations.

A row drives parsing a link, writing a link, the sidebar's widget, the table's column and the API's
parameter; adding a filter is one row here plus its vocabulary. Pure data and pure functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .language import mark
from .model import Recommendation, Settings, Term, labels_of, status_by_id


@dataclass(frozen=True)
class Filter:
    """One filter. `parameter` names it in links, in the API and in a view (`View.chosen`); `column` is
    the statuses table's column it tests (a list of ids when `many`), `label_column` the column that
    shows its labels; `vocabulary` gives its terms in the order shown; `value` computes the column from
    a recommendation (None: the column is computed elsewhere, as the status is, which changes with the
    date). `label`, `noun` (in a sentence), `plural` and `placeholder` are the words shown (message ids
    for translation)."""

    parameter: str
    label: str
    noun: str
    plural: str
    placeholder: str
    column: str
    label_column: str
    vocabulary: Callable[[Settings], Sequence[Term]]
    value: Callable[[Recommendation], str | list[str]] | None = None
    many: bool = False

    def labels(self, settings: Settings) -> dict[str, str]:
        """Its vocabulary as id -> label, in the order shown."""
        return labels_of(self.vocabulary(settings))


FILTERS: tuple[Filter, ...] = (
    Filter(
        "status", mark("Status"), mark("status"), mark("statuses"), mark("All statuses"),
        "status", "status_label",
        lambda settings: list(status_by_id(settings).values()),
    ),
    Filter(
        "addressee", mark("Addressee"), mark("addressee"), mark("addressees"), mark("All addressees"),
        "addressees", "addressee_labels",
        lambda settings: settings.addressees, lambda rec: list(rec.addressees), many=True,
    ),
    Filter(
        "category", mark("Category"), mark("category"), mark("categories"), mark("All categories"),
        "category", "category_label",
        lambda settings: settings.categories, lambda rec: rec.category,
    ),
    Filter(
        "priority", mark("Priority"), mark("priority"), mark("priorities"), mark("All priorities"),
        "priority", "priority_label",
        lambda settings: settings.priorities, lambda rec: rec.priority,
    ),
)  # fmt: skip

SEARCH = "q"  # the free-text search's parameter: words in a title, an id or the latest note


def filter_by_parameter(parameter: str, filters: Sequence[Filter] | None = None) -> Filter | None:
    """The filter a link or request parameter names (None for anything else)."""
    return next((row for row in (FILTERS if filters is None else filters) if row.parameter == parameter), None)


def parameters(filters: Sequence[Filter] | None = None) -> tuple[str, ...]:
    """Every filter's parameter, in the table's order."""
    return tuple(row.parameter for row in (FILTERS if filters is None else filters))
