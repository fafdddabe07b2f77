"""Pure changes to a tracker: each takes a Tracker and returns a new, checked one.

Every store (YAML file or database) applies these same functions, so the rules
for an update or an edit are written once.
"""

from __future__ import annotations

from datetime import date

from .errors import Conflict, NotFound, ValidationFailed
from .model import EDITABLE_FIELDS, MetadataChange, Recommendation, Tracker, Update, start_of
from .validation import Problem, check_problems, validate_model


def find_recommendation(tracker: Tracker, rec_id: str) -> Recommendation:
    """The recommendation with this id. Raises NotFound."""
    for rec in tracker.recommendations:
        if rec.id == rec_id:
            return rec
    raise NotFound(f"There is no recommendation with the id '{rec_id}'; check the id in the table.")


def _replace(tracker: Tracker, rec: Recommendation) -> Tracker:
    recs = [rec if existing.id == rec.id else existing for existing in tracker.recommendations]
    return tracker.model_copy(update={"recommendations": recs})


def build_update(fields: dict) -> Update:
    """An Update from plain values. Raises ValidationFailed with friendly messages."""
    return validate_model(Update, fields, "update")


def insert_update(tracker: Tracker, rec_id: str, update: Update, *, today: date) -> Tracker:
    """Add an update in date order (a back-dated one lands in its place).

    Raises NotFound or ValidationFailed.
    """
    rec = find_recommendation(tracker, rec_id)
    when = start_of(update.date)
    baseline = rec.updates[0]
    if when < start_of(baseline.date):
        raise ValidationFailed(
            [
                Problem(
                    f"The date {update.date} is before this recommendation's baseline of {baseline.date}.",
                    record=rec_id,
                    field="date",
                )
            ]
        )
    # Same-day updates keep the order they were recorded in.
    position = len(rec.updates)
    while position > 1 and start_of(rec.updates[position - 1].date) > when:
        position -= 1
    updates = [*rec.updates[:position], update, *rec.updates[position:]]
    new = _replace(tracker, rec.model_copy(update={"updates": updates}))
    check_problems(new, today)
    return new


def add_recommendation(tracker: Tracker, fields: dict, *, today: date) -> Tracker:
    """Add a new recommendation (its first update is the baseline).

    Raises ValidationFailed, for instance when the id is taken.
    """
    rec = validate_model(Recommendation, fields, "recommendation")
    if any(existing.id == rec.id for existing in tracker.recommendations):
        raise ValidationFailed(
            [Problem(f"The id '{rec.id}' is already used by another recommendation; choose another id.", field="id")]
        )
    new = tracker.model_copy(update={"recommendations": [*tracker.recommendations, rec]})
    check_problems(new, today)
    return new


def edit_recommendation(
    tracker: Tracker,
    rec_id: str,
    changes: dict,
    *,
    expected: dict,
    author: str,
    recorded: str,
    today: date,
) -> Tracker:
    """Change metadata fields, recording who changed what and when.

    `expected` holds the values the editor saw; a field someone else changed
    since then is refused with Conflict rather than overwritten.
    """
    rec = find_recommendation(tracker, rec_id)
    current = rec.model_dump()
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed([Problem(f"The field '{name}' cannot be edited.", record=rec_id) for name in unknown])
    for name, value in changes.items():
        if name in expected and expected[name] != current[name] and value != current[name]:
            raise Conflict(
                f"Someone else changed the {name.replace('_', ' ')} of '{rec_id}' since you opened it "
                f"(it is now {current[name]!r}); reload the page and make your change again."
            )
    effective = {name: value for name, value in changes.items() if value != current[name]}
    if not effective:
        return tracker
    log = [
        validate_model(
            MetadataChange,
            {"field": name, "old": current[name], "new": value, "author": author, "recorded": recorded},
            "change",
        )
        for name, value in effective.items()
    ]
    merged = {
        **current,
        **effective,
        "metadata_changes": [*current["metadata_changes"], *(c.model_dump() for c in log)],
    }
    new = _replace(tracker, validate_model(Recommendation, merged, "recommendation"))
    check_problems(new, today)
    return new
