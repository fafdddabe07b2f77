"""Pure changes to a tracker: each takes a Tracker and returns a new, checked one.

Every store (YAML file or database) applies these same functions, so the rules
for an update or an edit are written once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .errors import Conflict, NotFound, Problem, ValidationFailed, sentence
from .model import (
    EDITABLE_FIELDS,
    MetadataChange,
    Recommendation,
    Review,
    Tracker,
    Update,
    current_status,
    labels_of,
    parse_timestamp,
    start_of,
)
from .validation import SourceKinds, check_change_sources, check_problems, validate_model


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

    Raises NotFound or ValidationFailed (also for an exact copy of an update already recorded: a
    second click on Save records nothing twice).
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
                    code="before_baseline",
                    params={"value": update.date, "baseline": baseline.date},
                )
            ]
        )
    if any(_same_entry(update, existing) for existing in rec.updates):
        raise ValidationFailed(
            [
                Problem(
                    "This update is already recorded (same date, status, note and sources); nothing was added.",
                    record=rec_id,
                    code="duplicate_update",
                    params={"value": update.date},
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


def _same_entry(new: Update, existing: Update) -> bool:
    """The same update typed twice: same date, status, note and sources (who and when aside)."""
    return (new.date, new.status, new.note, new.sources) == (existing.date, existing.status, existing.note,
                                                               existing.sources)  # fmt: skip


def add_review(tracker: Tracker, fields: dict, *, today: date) -> Tracker:
    """Record a review of the whole tracker (or of the recommendations in `scope`) as one act.

    Raises ValidationFailed with plain problems (an empty note, an unknown recommendation, a date to come)."""
    review = validate_model(Review, fields, "review")
    new = tracker.model_copy(update={"reviews": [*tracker.reviews, review]})
    check_problems(new, today)
    return new


def state_no_status_on_reviews(tracker: Tracker) -> Tracker:
    """The tracker with every review in today's form: an update that cites no source (files written before
    reviews stated no status restated the one they found) states no status. What every view shows is
    unchanged, the status in force included, and so is the fingerprint of every view published before
    (`edition.published_text` reads a review's status as the one in force)."""
    recs = []
    for rec in tracker.recommendations:
        updates = [
            update.model_copy(update={"status": None})
            if position and update.status is not None and not update.sources and not update.withdrawn
            else update
            for position, update in enumerate(rec.updates)
        ]
        same = all(a is b for a, b in zip(updates, rec.updates, strict=True))
        recs.append(rec if same else rec.model_copy(update={"updates": updates}))
    if all(a is b for a, b in zip(recs, tracker.recommendations, strict=True)):
        return tracker
    return tracker.model_copy(update={"recommendations": recs})


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
                f"'{rec.title}' got {others} other update(s); it now stands at {labels[current_status(rec)]} "
                f"(latest by {latest.author})."
            )
    return sentences


def apply_triage(tracker: Tracker, rows: list[dict], *, author: str, recorded: str, today: date) -> Tracker:
    """Several status changes at once, all or nothing: the tracker with every row's update inserted, or
    ValidationFailed naming each row's problems (its recommendation's title) when any row is wrong.

    Each row holds id, status, date, note, source_url, source_title and source_kind. The rules are the
    model's and the tracker's (`validation`); only their words are the triage table's."""
    problems: list[Problem] = []
    draft = tracker
    kinds = SourceKinds(tracker.settings.source_kinds)
    for row in rows:
        try:
            rec = find_recommendation(tracker, str(row.get("id")))
        except NotFound as missing:
            problems.append(Problem(str(missing), code="unknown_rec", params={"value": str(row.get("id"))}))
            continue
        url = str(row.get("source_url") or "").strip()
        fields = {
            "date": str(row.get("date") or today.isoformat()),
            # The same status and no source: a review, which states no status.
            "status": None if row.get("status") == current_status(rec) and not url else row.get("status"),
            "note": str(row.get("note") or "").strip(),
            "sources": [
                {"url": url, "title": str(row.get("source_title") or "").strip(), "kind": row.get("source_kind")}
            ]
            if url
            else [],  # fmt: skip
            "author": author,
            "recorded": recorded,
        }
        found = []
        if fields["status"] is not None and fields["status"] not in labels_of(tracker.settings.statuses):
            found.append(Problem(code="undefined_term", params={"value": fields["status"], "loc": ("status",)}))
        elif fields["status"] is not None and all(source["kind"] for source in fields["sources"]):
            # (a missing kind is a problem of its own; a review states no status to source)
            for code, facts, message in check_change_sources(
                current_status(rec), fields["status"], [source["kind"] for source in fields["sources"]], kinds
            ):
                found.append(Problem(sentence(message), code=code, params={**facts, "loc": ("sources",)}))
        try:
            update = build_update(fields)
        except ValidationFailed as failed:
            found = [p for p in failed.problems if p.fact("loc") != ("status",)] + found
        if not found:
            try:
                draft = insert_update(draft, rec.id, update, today=today)
            except ValidationFailed as failed:
                found = failed.problems
        problems += [replace(p, message=f"'{rec.title}': {triage_words(p, kinds)}") for p in found]
    if problems:
        raise ValidationFailed(problems)
    return draft


def triage_words(problem: Problem, kinds: SourceKinds) -> str:
    """A problem of a triage row in the words of the triage table (its columns)."""
    names = [part for part in problem.fact("loc", ()) if isinstance(part, str)]
    leaf = names[-1] if names else (problem.field or "")
    code = problem.code
    if code == "undefined_term" and leaf == "status":
        return f"'{problem.fact('value')}' is not a status; choose one from the list."
    if code == "unsourced_change":
        return "a status change needs a source; add its web address and title."
    if code == "weakly_sourced_change":
        return f"a status change needs {kinds.strong_words} source; add one."
    if leaf == "note" and code in ("empty", "required", "missing"):
        return "write a note saying what happened."
    if leaf == "title" and code in ("empty", "required", "missing"):
        return "give the source a title."
    if leaf == "kind" and code in ("empty", "required", "missing", "not_an_id"):
        return f"say what kind of source it is ({', '.join(kinds.labels)})."
    return problem.message.split(": ", 1)[-1]
