"""Pure changes to a tracker: each takes a Tracker and returns a new, checked one.

Every store (YAML file or database) applies these same functions, so the rules
for an update or an edit are written once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .errors import Conflict, NotFound, Problem, ValidationFailed
from .model import (
    EDITABLE_FIELDS,
    MetadataChange,
    Recommendation,
    Tracker,
    Update,
    labels_of,
    parse_timestamp,
    start_of,
)
from .validation import check_problems, validate_model


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
    try:
        check_problems(new, today, only={rec_id})
    except ValidationFailed as failed:
        # Say "the new update" rather than its number in a history the editor may not see.
        number = f"update {position + 1}"
        raise ValidationFailed(
            [
                replace(problem, field=problem.field.replace(number, "the new update", 1)) if problem.field else problem
                for problem in failed.problems
            ]
        ) from None
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
    check_problems(new, today, only={rec.id})
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
    # The new values checked first, so a bad one is named as the recommendation's field ("Recommendation
    # title: ..."), not as the log entry that would record it.
    validate_model(Recommendation, {**current, **effective}, "recommendation")
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
    check_problems(new, today, only={rec_id})
    return new


def count_updates(tracker: Tracker) -> dict[str, int]:
    """How many updates each recommendation has: a cheap snapshot of what an editor saw."""
    return {rec.id: len(rec.updates) for rec in tracker.recommendations}


def describe_other_changes(seen: dict[str, int], tracker: Tracker, mine: dict[str, int]) -> list[str]:
    """Sentences about updates others saved since `seen`, leaving out the editor's own (`mine`)."""
    labels = labels_of(tracker.settings.statuses)
    sentences = []
    for rec in tracker.recommendations:
        if rec.id not in seen:
            sentences.append(f"'{rec.title}' was added by {rec.updates[0].author}.")
            continue
        others = len(rec.updates) - seen[rec.id] - mine.get(rec.id, 0)
        if others > 0:
            latest = sorted(rec.updates, key=lambda u: parse_timestamp(u.recorded))[-1]
            sentences.append(
                f"'{rec.title}' got {others} other update(s); it now stands at {labels[rec.updates[-1].status]} "
                f"(latest by {latest.author})."
            )
    return sentences


def plan_triage(tracker: Tracker, rows: list[dict], *, author: str, recorded: str, today: date) -> list[tuple]:
    """Check a batch of status changes before any is saved.

    Each row holds id, status, date, note, source_url, source_title and source_kind. Returns
    (recommendation id, Update) pairs; raises ValidationFailed naming each row's problems.
    """
    problems: list[Problem] = []
    planned: list[tuple] = []
    draft = tracker
    defined = {s.id for s in tracker.settings.statuses}
    kinds = ", ".join(kind.label.lower() for kind in tracker.settings.source_kinds)
    for row in rows:
        try:
            rec = find_recommendation(tracker, str(row.get("id")))
        except NotFound as missing:
            problems.append(Problem(str(missing)))
            continue
        name = f"'{rec.title}'"
        status = row.get("status")
        if status not in defined:
            problems.append(Problem(f"{name}: '{status}' is not a status; choose one from the list."))
            continue
        note = str(row.get("note") or "").strip()
        url, title = str(row.get("source_url") or "").strip(), str(row.get("source_title") or "").strip()
        if not note:
            problems.append(Problem(f"{name}: write a note saying what happened."))
        if status != rec.updates[-1].status and not url:
            problems.append(Problem(f"{name}: a status change needs a source; add its web address and title."))
        if url and not title:
            problems.append(Problem(f"{name}: give the source a title."))
        if url and not row.get("source_kind"):
            problems.append(Problem(f"{name}: say what kind of source it is ({kinds})."))
        if (
            not note
            or (status != rec.updates[-1].status and not url)
            or (url and not (title and row.get("source_kind")))
        ):
            continue
        fields = {
            "date": str(row.get("date") or today.isoformat()),
            "status": status,
            "note": note,
            "sources": [{"url": url, "title": title, "kind": row.get("source_kind")}] if url else [],
            "author": author,
            "recorded": recorded,
        }
        try:
            update = build_update(fields)
            draft = insert_update(draft, rec.id, update, today=today)
        except ValidationFailed as failed:
            problems += [Problem(f"{name}: {problem.message}") for problem in failed.problems]
            continue
        planned.append((rec.id, update))
    if problems:
        raise ValidationFailed(problems)
    return planned


class EditsThroughChange:
    """The writes every store offers: each applies one pure change from `edits` through the
    store's own `_change` (which reads, locks, validates and writes in its own way)."""

    def append_update(self, rec_id: str, update: Update, *, today: date) -> Tracker:
        """Add one update; it merges with whatever others saved meanwhile."""
        return self._change(lambda current: insert_update(current, rec_id, update, today=today), today=today)

    def add_recommendation(self, fields: dict, *, today: date) -> Tracker:
        """Add a recommendation with its baseline."""
        return self._change(lambda current: add_recommendation(current, fields, today=today), today=today)

    def edit_recommendation(
        self, rec_id: str, changes: dict, *, expected: dict, author: str, recorded: str, today: date
    ) -> Tracker:
        """Change metadata; refuses with Conflict what someone else changed meanwhile."""
        return self._change(
            lambda current: edit_recommendation(
                current, rec_id, changes, expected=expected, author=author, recorded=recorded, today=today
            ),
            today=today,
        )
