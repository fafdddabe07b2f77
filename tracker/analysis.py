"""Tables about a tracker, as pandas DataFrames.

Every function is pure and takes the date it reasons about (`as_of`, `start`,
`end`) explicitly: nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import numpy as np
import pandas as pd

from . import filters
from .language import ENGLISH, Words, mark
from .model import Settings, Tracker, format_date, is_review, labels_of, start_of, status_by_id

PROGRESS_FORMULA = mark(
    "Progress score = the average of each recommendation's status weight, times 100 "
    "(weights: {weights}). 100 means every recommendation is implemented."
)
# The same for a document whose items are commitments (a joint statement): the sentences that name the
# items come in both forms, whole, so that no translation has to fit a noun into a sentence.
PROGRESS_FORMULA_COMMITMENTS = mark(
    "Progress score = the average of each commitment's status weight, times 100 "
    "(weights: {weights}). 100 means every commitment is implemented."
)


def _commitments(settings: Settings) -> bool:
    """Whether a document's items are commitments (else recommendations)."""
    return settings.article.item_word == "commitment"


LOG_COLUMNS = [
    "rec_id",
    "rec_order",  # the recommendation's place in the file, the order charts list them in
    "title",
    "category",
    "addressees",
    "position",
    "date",
    "start",
    "status",
    "previous_status",
    "is_change",
    "is_review",  # someone checked and found nothing new (a review: it states no status)
    "note",
    "sources",
    "source_url",
    "source_title",
    "author",
    "recorded",
]


def list_entries(rec) -> list[tuple]:
    """The entries of a recommendation's overall history, in order: (position, update, status in force after
    it, status before it, whether it is a review). A review carries the status in force (it states none);
    withdrawn entries and addressees' own parts (list_parts) are left out. The one reading of a history that
    the log, the pages and the static site share."""
    entries, previous, position = [], None, 0
    for update in rec.updates:
        if update.withdrawn or update.part is not None:
            continue  # what one addressee did is its own track (list_parts), not the overall status
        review = is_review(update, position)
        status = previous if review else update.status
        entries.append((position, update, status, previous, review))
        previous = status
        position += 1
    return entries


def list_updates(tracker: Tracker) -> pd.DataFrame:
    """The event log: one row per update, baselines included, in date order per recommendation. A
    review's row carries the status in force (it states none); withdrawn entries are left out."""
    rows = []
    for rec_order, rec in enumerate(tracker.recommendations):
        for position, update, status, previous, review in list_entries(rec):
            first = update.sources[0] if update.sources else None
            rows.append(
                (
                    rec.id,
                    rec_order,
                    rec.title,
                    rec.category,
                    tuple(rec.addressees),
                    position,
                    update.date,
                    start_of(update.date),
                    status,
                    previous,
                    status != previous,
                    review,
                    update.note,
                    [source.model_dump(exclude_none=True) for source in update.sources],
                    first.url if first else "",
                    first.title if first else "",
                    update.author,
                    update.recorded,
                )
            )
    log = pd.DataFrame(rows, columns=LOG_COLUMNS)
    log["start"] = pd.to_datetime(log["start"])
    # Typed even when empty (a new tracker): an untyped empty column would select columns, not rows.
    log = log.astype({"is_change": bool, "is_review": bool, "position": "int64", "rec_order": "int64"})
    return log


def _before(log: pd.DataFrame, as_of: date) -> pd.DataFrame:
    return log[log["start"] <= pd.Timestamp(as_of)]


# What does not change with the date (list_recommendations), then what does (statuses_as_of); the
# filters' columns (`filters.FILTERS`) come in too, so a filter added to the table can filter the rows.
RECOMMENDATION_COLUMNS = [
    "id",
    "title",
    "addressees",
    "addressee_labels",
    "category",
    "category_label",
    "priority",
    "priority_label",
    "priority_order",
    "implied",
    "review_interval_days",
    "assessment",
    "assessment_date",
    "criteria",
    "order",
]
STATUS_COLUMNS = [
    *RECOMMENDATION_COLUMNS[: RECOMMENDATION_COLUMNS.index("implied") + 1],
    "status",
    "status_label",
    "status_order",
    "since",
    "days_in_status",
    "last_update",
    "last_event",
    "days_since_update",
    "review_interval_days",
    "stale",
    "last_note",
    "last_source_url",
    "last_source_title",
    "updates",
    "assessment",
    "assessment_date",
    "criteria",
    "order",
    "addressee_statuses",
]


def list_added_filters() -> list[filters.Filter]:
    """The filters beyond the standard columns (a row added to `filters.FILTERS`): their columns come
    after the standard ones in every statuses table, and the list shows them too."""
    return [row for row in filters.FILTERS if row.value is not None and row.column not in STATUS_COLUMNS]


def _filter_columns() -> list[str]:
    return [name for row in list_added_filters() for name in (row.column, row.label_column)]


def list_recommendations(tracker: Tracker) -> pd.DataFrame:
    """What does not change with the date: one row per recommendation, with readable labels."""
    settings = tracker.settings
    addressees = labels_of(settings.addressees)
    categories = labels_of(settings.categories)
    priorities = labels_of(settings.priorities)
    ranks = {term.id: rank for rank, term in enumerate(settings.priorities)}  # listed highest first
    extra = list_added_filters()
    extra_labels = {row.parameter: row.labels(settings) for row in extra}
    rows = []
    for order, rec in enumerate(tracker.recommendations):
        item = {
            "id": rec.id,
            "title": rec.title,
            "addressees": list(rec.addressees),
            "addressee_labels": ", ".join(addressees[a] for a in rec.addressees),
            "category": rec.category,
            "category_label": categories[rec.category],
            "priority": rec.priority,
            "priority_label": priorities[rec.priority],
            "priority_order": ranks[rec.priority],
            "implied": rec.implied,
            "review_interval_days": rec.review_interval_days or settings.review_interval_days,
            "assessment": rec.assessment.text,
            "assessment_date": rec.assessment.date,
            "criteria": rec.criteria,
            "order": order,
        }
        for row in extra:
            value = row.value(rec)
            labels = extra_labels[row.parameter]
            item[row.column] = value
            item[row.label_column] = (
                ", ".join(labels.get(v, v) for v in value) if row.many else labels.get(value, value)
            )
        rows.append(item)
    return pd.DataFrame(rows, columns=RECOMMENDATION_COLUMNS + _filter_columns())


def statuses_as_of(
    tracker: Tracker, as_of: date, log: pd.DataFrame | None = None, recommendations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per recommendation as things stood on `as_of`.

    Recommendations whose baseline is after `as_of` are left out. `log` and
    `recommendations` may be passed in when already computed.
    """
    log = list_updates(tracker) if log is None else log
    recs = list_recommendations(tracker) if recommendations is None else recommendations
    known = _before(log, as_of)
    latest = known.groupby("rec_id", sort=False).tail(1).set_index("rec_id")
    since = known[known["is_change"]].groupby("rec_id", sort=False)["start"].max()
    frame = recs[recs["id"].isin(latest.index)].reset_index(drop=True)
    last = latest.reindex(frame["id"]).reset_index(drop=True)
    taxonomy = status_by_id(tracker.settings)
    today = pd.Timestamp(as_of)
    frame["status"] = last["status"]
    frame["status_label"] = last["status"].map({s: t.label for s, t in taxonomy.items()})
    frame["status_order"] = last["status"].map({s: t.order for s, t in taxonomy.items()})
    frame["since"] = since.reindex(frame["id"]).reset_index(drop=True)
    frame["days_in_status"] = (today - frame["since"]).dt.days
    # A review of the whole tracker counts as a review of each recommendation it covered.
    reviewed = _reviewed_on(tracker, as_of, list(frame["id"]))
    own = list(zip(last["date"], last["start"], strict=True))
    latest = [max(mine, reviewed[rec_id], key=lambda pair: pair[1]) if rec_id in reviewed else mine
              for rec_id, mine in zip(frame["id"], own, strict=True)]  # fmt: skip
    frame["last_update"] = [written for written, _ in latest]
    events = known[~known["is_review"] & (known["position"] > 0)].groupby("rec_id", sort=False)["date"].last()
    # What one addressee did is evidence too, though it is not the overall status's.
    parts = _latest_parts(tracker, as_of)
    frame["last_event"] = [
        max((d for d in (date if isinstance(date, str) else None, parts.get(rec_id)) if d), key=start_of, default=None)
        for rec_id, date in zip(frame["id"], events.reindex(frame["id"]), strict=True)
    ]
    frame["days_since_update"] = (today - pd.to_datetime(pd.Series([start for _, start in latest]))).dt.days
    frame["stale"] = frame["days_since_update"] > frame["review_interval_days"]
    frame["last_note"] = last["note"]
    # The latest source a reader can weigh: a review that found nothing new cites none.
    sourced = known[known["source_url"] != ""].groupby("rec_id", sort=False).tail(1).set_index("rec_id")
    for column in ("source_url", "source_title"):
        frame[f"last_{column}"] = sourced[column].reindex(frame["id"]).fillna("").to_numpy()
    frame["updates"] = last["position"] + 1
    by_id = {rec.id: rec for rec in tracker.recommendations}
    # A commitment that recurs is judged on its years (describe_recurrence_rule); the rest on their history.
    judged = {rec_id: judge_years(by_id[rec_id], as_of) for rec_id in frame["id"] if by_id[rec_id].periods}
    for rec_id, (status, _) in judged.items():
        if status is not None:
            frame.loc[frame["id"] == rec_id, "status"] = status
    frame["status_label"] = frame["status"].map({s: t.label for s, t in taxonomy.items()})
    frame["status_order"] = frame["status"].map({s: t.order for s, t in taxonomy.items()})
    # Each addressee's own status: what it did (its `part` updates), else the overall one.
    frame["addressee_statuses"] = [
        list_parts(by_id[rec_id], as_of, status) for rec_id, status in zip(frame["id"], frame["status"], strict=True)
    ]
    return frame[STATUS_COLUMNS + _filter_columns()]


def _latest_parts(tracker: Tracker, as_of: date) -> dict[str, str]:
    """Each recommendation's latest `part` update on or before `as_of`, by id (only those that have one)."""
    latest = {}
    for rec in tracker.recommendations:
        dates = [u.date for u in rec.updates if u.part is not None and not u.withdrawn and start_of(u.date) <= as_of]
        if dates:
            latest[rec.id] = max(dates, key=start_of)
    return latest


PARTS_RULE = mark(
    "Where an item is addressed to several governments, its history may also record what one of them did (its "
    "own part). That part is that government's status, the one counted under its name in the view by addressee; "
    "the item's overall status comes from the entries about the item as a whole, so it is Implemented only when "
    "the whole of it was."
)


def list_parts(rec, as_of: date, overall: str) -> dict[str, str]:
    """Each addressee's status on `as_of`: its latest `part` update that states one, or the overall status."""
    own: dict[str, str] = {}
    for update in rec.updates:
        if update.part is not None and update.status is not None and not update.withdrawn:
            if start_of(update.date) <= as_of:
                own[update.part] = update.status
    return {addressee: own.get(addressee, overall) for addressee in rec.addressees}


RECURRENCE_RULE = mark(
    "A commitment made for every year is judged on the years that have ended (and on the current year once "
    "it is met): Implemented when every such year was met; Partially implemented when the latest was met but "
    "an earlier one was not; Stalled when the latest was not met; a year whose outcome is not known is left "
    "out. Not met means no qualifying event was found in the sources searched."
)


def judge_years(rec, as_of: date) -> tuple[str | None, list]:
    """A recurring commitment's status from its years (RECURRENCE_RULE), and the years judged; None when no
    year can be judged yet (its history's status then stands)."""
    judged = [
        period
        for period in sorted(rec.periods, key=lambda p: p.period)
        if period.met is not None
        and (int(period.period) < as_of.year or (int(period.period) == as_of.year and period.met))
    ]
    if not judged:
        return None, []
    if not judged[-1].met:
        return "stalled", judged
    return ("implemented" if all(period.met for period in judged) else "partial"), judged


def _reviewed_on(tracker: Tracker, as_of: date, rec_ids: list[str]) -> dict[str, tuple[str, pd.Timestamp]]:
    """The latest review of the whole tracker (or of some recommendations) on or before `as_of` that
    covered each recommendation: (its date as written, its first day)."""
    found: dict[str, tuple[str, pd.Timestamp]] = {}
    for review in tracker.reviews:
        start = pd.Timestamp(start_of(review.date))
        if start > pd.Timestamp(as_of):
            continue
        for rec_id in review.scope or rec_ids:
            if rec_id not in found or found[rec_id][1] < start:
                found[rec_id] = (review.date, start)
    return found


def latest_review(tracker: Tracker, as_of: date):
    """The latest review of the whole tracker (its scope empty: every recommendation) on or before
    `as_of`, or None: what the pages' header says was checked, once."""
    whole = [review for review in tracker.reviews if not review.scope and start_of(review.date) <= as_of]
    return max(whole, key=lambda review: (start_of(review.date), review.recorded)) if whole else None


def count_by_status(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """How many recommendations stand in each status (zeros included), in taxonomy order."""
    # Counted by pandas: a large table's statuses are slow to iterate one by one.
    counts = {status: int(count) for status, count in frame["status"].value_counts().items()}
    statuses = list(status_by_id(settings).values())
    return pd.DataFrame(
        {
            "status": [s.id for s in statuses],
            "label": [s.label for s in statuses],
            "colour": [s.colour for s in statuses],
            "order": [s.order for s in statuses],
            "count": [counts.get(s.id, 0) for s in statuses],
        }
    )


def count_by(frame: pd.DataFrame, column: str, settings: Settings) -> pd.DataFrame:
    """Counts per (group, status) for 'category' or 'addressee'; a recommendation
    addressed to several countries counts once for each."""
    terms = {"category": settings.categories, "addressee": settings.addressees}[column]
    # Plain counting: a dashboard view has tens of rows, where pandas' groupby costs more than it saves.
    if column == "addressee":
        # What each addressee did: its own status where its part was recorded, else the overall one.
        counts = Counter(
            (addressee, status) for statuses in frame["addressee_statuses"] for addressee, status in statuses.items()
        )
    else:
        counts = Counter(zip(frame["category"], frame["status"], strict=True))
    statuses = list(status_by_id(settings).values())
    pairs = [(order, term, status) for order, term in enumerate(terms) for status in statuses]
    return pd.DataFrame(
        {
            column: [term.id for _, term, _ in pairs],
            "group_label": [term.label for _, term, _ in pairs],
            "group_order": [order for order, _, _ in pairs],
            "status": [status.id for _, _, status in pairs],
            "status_label": [status.label for _, _, status in pairs],
            "status_order": [status.order for _, _, status in pairs],
            "count": [counts[term.id, status.id] for _, term, status in pairs],
        }
    )


def score_progress(frame: pd.DataFrame, settings: Settings) -> float:
    """The weighted progress score, 0–100 (see PROGRESS_FORMULA)."""
    if frame.empty:
        return 0.0
    weights = {s.id: s.weight for s in settings.statuses}
    return round(sum(weights[status] for status in frame["status"]) / len(frame) * 100, 1)


def describe_progress_formula(settings: Settings, w: Words = ENGLISH) -> str:
    """The score's formula in words, with the weights of this tracker."""
    weights = ", ".join(f"{s.label} {w.number(s.weight)}" for s in status_by_id(settings).values())
    return w.t(PROGRESS_FORMULA_COMMITMENTS if _commitments(settings) else PROGRESS_FORMULA, weights=weights)


def count_status_over_time(tracker: Tracker, start: date, end: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many recommendations stood in each status on each date a status changed,
    from `start` to `end` (a step function: each row holds until the next date)."""
    log = list_updates(tracker) if log is None else log
    statuses = list(status_by_id(tracker.settings).values())
    first, last = pd.Timestamp(start).to_datetime64(), pd.Timestamp(end).to_datetime64()
    starts = log["start"].to_numpy()
    changes = np.flatnonzero(log["is_change"].to_numpy() & (starts <= last))
    when = np.maximum(starts[changes], first)  # everything before `start` counts on `start`
    dates, row = np.unique(np.concatenate([when, [first, last]]), return_inverse=True)
    row = row[: len(when)]
    # Each change moves one recommendation out of its old status (none for a baseline) into its new one.
    steps = np.zeros((len(dates), len(statuses)), dtype=np.int64)
    # Each status as its column, looked up by pandas for the changes' rows only (-1: none, a baseline's before).
    columns = pd.Index([status.id for status in statuses])
    new = columns.get_indexer(log["status"].iloc[changes])
    if (new < 0).any():
        raise KeyError(log["status"].iloc[changes[new < 0][0]])  # a status the settings do not have
    np.add.at(steps, (row, new), 1)
    old = columns.get_indexer(log["previous_status"].iloc[changes])
    np.add.at(steps, (row[old >= 0], old[old >= 0]), -1)
    # One row per (date, status), dates ascending and statuses in taxonomy order.
    return pd.DataFrame(
        {
            "date": np.repeat(dates, len(statuses)),
            "status": [status.id for status in statuses] * len(dates),
            "status_label": [status.label for status in statuses] * len(dates),
            "status_order": [status.order for status in statuses] * len(dates),
            "count": steps.cumsum(axis=0).ravel(),
        }
    )


def list_changes(tracker: Tracker, start: date, end: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recommendations with a status change or any update after `start` up to `end`."""
    log = list_updates(tracker) if log is None else log
    rec_ids, starts, statuses = (log[column].to_numpy() for column in ("rec_id", "start", "status"))
    first, last = pd.Timestamp(start).to_datetime64(), pd.Timestamp(end).to_datetime64()

    def held_on(day) -> dict:
        rows = _last_rows(rec_ids, np.flatnonzero(starts <= day))
        return dict(zip(rec_ids[rows], statuses[rows], strict=True))

    window = np.flatnonzero((starts > first) & (starts <= last))
    latest = _last_rows(rec_ids, window)
    ids = rec_ids[latest]
    before, after = held_on(first), held_on(last)
    old, new = [before.get(rec_id) for rec_id in ids], [after[rec_id] for rec_id in ids]
    labels = labels_of(tracker.settings.statuses)
    frame = pd.DataFrame(
        {
            "id": ids,
            # The rows shown taken before their texts are made Python objects, not the whole log's.
            "title": log["title"].iloc[latest].to_numpy(),
            "status_before": [labels.get(status, "Not yet tracked") for status in old],
            "status_after": [labels[status] for status in new],
            "changed": [was != now for was, now in zip(old, new, strict=True)],
            # A recommendation's rows in the window are consecutive and end at its latest.
            "updates": np.diff(np.searchsorted(window, latest), prepend=-1),
            "latest": log["date"].iloc[latest].to_numpy(),
            "latest_note": log["note"].iloc[latest].to_numpy(),
        },
        columns=["id", "title", "status_before", "status_after", "changed", "updates", "latest", "latest_note"],
    )
    return frame.sort_values(["changed", "latest"], ascending=[False, False], ignore_index=True)


def _last_rows(rec_ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Of some rows of the log (ascending positions), the last of each recommendation.

    The log keeps each recommendation's rows together and in date order (so does any
    subset of it), so a row is the last when the next one belongs to another recommendation."""
    owners = rec_ids[rows]
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = owners[1:] != owners[:-1]
    return rows[last]


def list_status_periods(tracker: Tracker, as_of: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bands for a timeline: each status a recommendation held, from when to when
    (the last band runs to `as_of`)."""
    log = list_updates(tracker) if log is None else log
    keep = np.flatnonzero((log["is_change"] & (log["start"] <= pd.Timestamp(as_of))).to_numpy())
    columns = ("rec_id", "rec_order", "title", "status", "start")
    rec_ids, orders, titles, statuses, starts = (log[name].to_numpy()[keep] for name in columns)
    # A recommendation's rows are together and in date order: a band ends where the next one
    # of the same recommendation starts, and its last band at `as_of`.
    ends = np.full(len(starts), pd.Timestamp(as_of).to_datetime64()).astype(starts.dtype)
    same = rec_ids[1:] == rec_ids[:-1]
    ends[:-1][same] = starts[1:][same]
    labels = labels_of(tracker.settings.statuses)
    return pd.DataFrame(
        {
            "rec_id": rec_ids,
            "rec_order": orders,
            "title": titles,
            "status": statuses,
            "status_label": [labels[status] for status in statuses],
            "start": starts,
            "end": ends,
        }
    )


def latest_update(log: pd.DataFrame, as_of: date, tracker: Tracker | None = None) -> str | None:
    """The date (as written) of the most recent update or review on or before `as_of` (someone checked):
    with `tracker`, its reviews of the whole tracker count too."""
    starts = log["start"].to_numpy()
    known = np.flatnonzero(starts <= pd.Timestamp(as_of).to_datetime64())
    found = None if not len(known) else log["date"].iloc[known[starts[known].argmax()]]
    review = latest_review(tracker, as_of) if tracker is not None else None
    if review is not None and (found is None or start_of(review.date) > start_of(found)):
        return review.date
    return found


def latest_event(tracker: Tracker, log: pd.DataFrame, as_of: date) -> str | None:
    """The date (as written) of the latest thing that happened in the world by `as_of`: a status
    change, a sourced update or a context event. Reviews that found nothing new do not count."""
    rows = log[~log["is_review"] & (log["position"] > 0) & (log["start"] <= pd.Timestamp(as_of))]
    dated = [(start_of(e.date), e.date) for e in tracker.context_events if start_of(e.date) <= as_of]
    if len(rows):
        # Only the latest day's rows can win: found with numpy, not a tuple per row (a large log has 100,000).
        starts = rows["start"].to_numpy()
        latest = starts.max()
        dated += [(pd.Timestamp(latest).date(), written) for written in rows["date"].to_numpy()[starts == latest]]
    return max(dated)[1] if dated else None


def summarise(tracker: Tracker, as_of: date, recent_days: int = 90) -> dict:
    """Headline numbers: counts per status, progress score, stale and recently changed."""
    log = list_updates(tracker)
    frame = statuses_as_of(tracker, as_of, log)
    recent_start = (pd.Timestamp(as_of) - pd.Timedelta(days=recent_days)).date()
    changes = list_changes(tracker, recent_start, as_of, log)
    return {
        "as_of": as_of,
        "recommendations": len(frame),
        "by_status": {status: int(count) for status, count in frame["status"].value_counts().items()},
        "progress": score_progress(frame, tracker.settings),
        "stale": int(frame["stale"].sum()),
        "changed_recently": int(changes["changed"].sum()) if not changes.empty else 0,
        "latest_update": latest_update(log, as_of, tracker),
        "latest_event": latest_event(tracker, log, as_of),
    }


def list_context_events(tracker: Tracker, start: date, end: date, w: Words = ENGLISH) -> pd.DataFrame:
    """Context events (summits, leadership changes, rulings) between two days, for chart annotations (the
    first source only: a tooltip's room); the lists beside the charts show every source (`event_sources`)."""
    kinds = labels_of(tracker.settings.event_kinds)
    rows = [
        {
            "id": event.id,
            "date": pd.Timestamp(start_of(event.date)),
            "date_label": w.date(event.date),
            "kind": event.kind,
            "kind_label": kinds[event.kind],
            "title": event.title,
            "note": event.note,
            "source_url": event.sources[0].url if event.sources else "",
            "source_title": event.sources[0].title if event.sources else "",
        }
        for event in tracker.context_events
        if start <= start_of(event.date) <= end
    ]
    columns = ["id", "date", "date_label", "kind", "kind_label", "title", "note", "source_url", "source_title"]
    frame = pd.DataFrame(rows, columns=columns).sort_values("date", ignore_index=True, kind="stable")
    # Numbered in date order: the chart marks each event with its number, the list beside it explains it.
    return frame.assign(number=np.arange(1, len(frame) + 1, dtype="int64"))


def list_update_points(tracker: Tracker, rec_ids, as_of: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """The updates of some recommendations up to `as_of`, with readable labels (timeline dots)."""
    log = list_updates(tracker) if log is None else log
    known = (log["start"] <= pd.Timestamp(as_of)).to_numpy()
    keep = np.flatnonzero(known & log["rec_id"].isin(list(rec_ids)).to_numpy())
    columns = ("rec_id", "rec_order", "title", "start", "date", "status", "note")
    kept = {name: log[name].to_numpy()[keep] for name in columns}
    labels = labels_of(tracker.settings.statuses)
    dates = {written: format_date(written) for written in set(kept["date"])}  # a few dates, many rows
    return pd.DataFrame(
        {
            "rec_id": kept["rec_id"],
            "rec_order": kept["rec_order"],
            "title": kept["title"],
            "start": kept["start"],
            "date_label": [dates[written] for written in kept["date"]],
            "status_label": [labels[status] for status in kept["status"]],
            "note": [note[:280] for note in kept["note"]],
            "source_title": log["source_title"].to_numpy()[keep],
            "source_url": log["source_url"].to_numpy()[keep],
        }
    )


def history_of(tracker: Tracker, rec_id: str, as_of: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """One recommendation's dated history up to `as_of`, newest first, with every source."""
    log = list_updates(tracker) if log is None else log
    labels = labels_of(tracker.settings.statuses)
    rows = _before(log, as_of)
    rows = rows[rows["rec_id"] == rec_id]
    return (
        pd.DataFrame(
            {
                "date": rows["date"].map(format_date),
                "status": rows["status"].map(labels),
                "change": rows["is_change"],
                "review": rows["is_review"],
                "note": rows["note"],
                "sources": rows["sources"],
                "author": rows["author"],
                "recorded": rows["recorded"],
            }
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )


def describe_overview(
    frame: pd.DataFrame, settings: Settings, reviewed: str | None, event: str | None, w: Words = ENGLISH
) -> str:
    """The one-sentence answer the overview opens with, e.g. '3 of 8 implemented, 2 stalled, 1 not
    started; last reviewed 1 Oct 2026; latest event 24 Jun 2024.' The leading status is the one with
    the highest weight (done); the others follow in the taxonomy's order, left out when none."""
    if frame.empty:
        return (
            w.t("No commitment is tracked yet.") if _commitments(settings) else w.t("No recommendation is tracked yet.")
        )
    statuses = list(status_by_id(settings).values())
    lead = max(statuses, key=lambda status: (status.weight, -status.order))
    counts = frame["status"].value_counts()
    # TRANSLATORS: the overview's answer begins '3 of 8 implemented' ({status} is a status's name).
    parts = [
        w.t("{count} of {total} {status}", count=w.number(int(counts.get(lead.id, 0))), total=w.number(len(frame)),
            status=lead.label.lower())
    ]  # fmt: skip
    parts += [
        w.t("{count} {status}", count=w.number(int(counts[status.id])), status=status.label.lower())
        for status in statuses
        if status.id != lead.id and counts.get(status.id, 0)
    ]
    return w.t(
        "{counts}; last reviewed {reviewed}; latest event {event}.",
        counts=w.commas(parts),
        reviewed=w.date(reviewed) if reviewed else "—",
        event=w.date(event) if event else "—",
    )


def list_latest_changes(
    tracker: Tracker, log: pd.DataFrame, as_of: date, limit: int = 5, write_date=format_date
) -> pd.DataFrame:
    """The latest status changes by `as_of` (baselines left out), newest first: date (as `write_date` writes
    it), recommendation, old and new status, and the first source."""
    labels = labels_of(tracker.settings.statuses)
    starts = log["start"].to_numpy()
    kept = np.flatnonzero(
        (starts <= pd.Timestamp(as_of).to_datetime64()) & log["is_change"].to_numpy() & (log["position"].to_numpy() > 0)
    )
    # The newest `limit` found on the two sorting columns alone, then only those rows taken: sorting or filtering
    # the whole log moved every column's values (its texts among them), tens of thousands of rows to keep five.
    keys = pd.DataFrame({"start": starts[kept], "rec_order": log["rec_order"].to_numpy()[kept]})
    newest = keys.sort_values(["start", "rec_order"], ascending=[False, True]).index[:limit]
    shown = ["rec_id", "title", "date", "previous_status", "status", "source_title", "source_url"]
    rows = log[shown].iloc[kept[newest]]  # the columns shown only: a take reads each column's every piece
    return pd.DataFrame(
        {
            "rec_id": rows["rec_id"].to_numpy(),
            "title": rows["title"].to_numpy(),
            "date": [write_date(written) for written in rows["date"]],
            "before": [labels.get(status, "—") for status in rows["previous_status"]],
            "after": [labels[status] for status in rows["status"]],
            "source_title": rows["source_title"].to_numpy(),
            "source_url": rows["source_url"].to_numpy(),
        },
        columns=["rec_id", "title", "date", "before", "after", "source_title", "source_url"],
    )


def describe_charts(
    frame: pd.DataFrame, settings: Settings, start: date, as_of: date, events: int, w: Words = ENGLISH
) -> dict[str, str]:
    """One sentence per chart saying what it shows, beside the chart and as its accessible name."""
    statuses = list(status_by_id(settings).values())
    lead = max(statuses, key=lambda status: (status.weight, -status.order))
    sentences = {}
    if frame.empty:
        return dict.fromkeys(("status_by_category", "scorecard", "status_over_time", "timeline"), w.t("No data."))
    # The rows in the leading status, as a mask on the one column counted: filtering the table would copy
    # every column (a large table's texts among them).
    done = (frame["status"] == lead.id).to_numpy(dtype=bool, na_value=False)
    per_category = frame["category_label"].value_counts()
    done_category = frame["category_label"][done].value_counts()
    best = (
        w.t("; {category} has the most {status} ({count})", category=done_category.index[0],
            status=lead.label.lower(), count=w.number(int(done_category.iloc[0])))
        if len(done_category)
        else ""
    )  # fmt: skip
    most = {
        "date": w.date(as_of.isoformat()),
        "category": per_category.index[0],
        "count": w.number(int(per_category.iloc[0])),
        "total": w.number(len(frame)),
        "best": best,
    }
    commitments = _commitments(settings)
    sentences["status_by_category"] = (
        w.t(
            "Status by category, as of {date}: {category} holds the most commitments ({count} of {total}){best}.",
            **most,
        )
        if commitments
        else w.t(
            "Status by category, as of {date}: {category} holds the most recommendations ({count} of {total}){best}.",
            **most,
        )
    )
    parts = []
    for addressee in settings.addressees:
        mine = [statuses[addressee.id] for statuses in frame["addressee_statuses"] if addressee.id in statuses]
        if mine:
            parts.append(
                w.t("{addressee} {count} of {total}", addressee=addressee.label,
                    count=w.number(sum(status == lead.id for status in mine)), total=w.number(len(mine)))
            )  # fmt: skip
    sentences["scorecard"] = (
        w.t("{status} per addressee: {counts}.", status=lead.label, counts=w.commas(parts))
        if parts
        else w.t("No addressee.")
    )
    facts = {
        "total": w.number(len(frame)),
        "start": w.date(start.isoformat()),
        "end": w.date(as_of.isoformat()),
        "count": w.number(int(done.sum())),
        "status": lead.label.lower(),
    }
    # Whole sentences, with and without the context events, so a translation never ends on a stray '.'.
    sentences["status_over_time"] = (
        _over_time_commitments(w, events, facts)
        if commitments
        else (
            w.tn(
                "Status of the {total} recommendations from {start} to {end}: {count} {status} at the end; {n} context "
                "event is marked with dashed lines, numbered in the list below.",
                "Status of the {total} recommendations from {start} to {end}: {count} {status} at the end; {n} context "
                "events are marked with dashed lines, numbered in the list below.",
                events,
                **facts,
            )
            if events
            else w.t(
                "Status of the {total} recommendations from {start} to {end}: {count} {status} at the end.", **facts
            )
        )
    )
    sentences["timeline"] = (
        w.t(
            "One band per commitment ({count}), coloured by its status over time; each dot is an update. "
            "Click a band to open that commitment.",
            count=w.number(len(frame)),
        )
        if commitments
        else w.t(
            "One band per recommendation ({count}), coloured by its status over time; each dot is an update. "
            "Click a band to open that recommendation.",
            count=w.number(len(frame)),
        )
    )
    return sentences


def _over_time_commitments(w: Words, events: int, facts: dict) -> str:
    """describe_charts' sentence for 'Status over time' of a document of commitments."""
    if not events:
        return w.t("Status of the {total} commitments from {start} to {end}: {count} {status} at the end.", **facts)
    return w.tn(
        "Status of the {total} commitments from {start} to {end}: {count} {status} at the end; {n} context "
        "event is marked with dashed lines, numbered in the list below.",
        "Status of the {total} commitments from {start} to {end}: {count} {status} at the end; {n} context "
        "events are marked with dashed lines, numbered in the list below.",
        events,
        **facts,
    )


def event_sources(tracker: Tracker) -> dict[str, list[dict]]:
    """Every source of every context event, by the event's id, in the file's order, as plain dicts (every
    field, None where unknown)."""
    return {event.id: [source.model_dump() for source in event.sources] for event in tracker.context_events}


def count_weakly_sourced(tracker: Tracker) -> int:
    """How many updates and context events rest only on sources of a kind that cannot carry a status change
    (a repost, an aggregator): at least one source, and none of a kind that could carry a change. Withdrawn
    updates count for nothing; reviews that cite no source are not counted."""
    supporting = {kind.id for kind in tracker.settings.source_kinds if kind.supports_change}

    def weak(sources) -> bool:
        return bool(sources) and not any(source.kind in supporting for source in sources)

    updates = sum(
        weak(update.sources) for rec in tracker.recommendations for update in rec.updates if not update.withdrawn
    )
    return updates + sum(weak(event.sources) for event in tracker.context_events)


# A sentence ends at . ! or ? after a small letter, a digit or a closing mark, before a capital, a digit
# or an opening mark: "U.S. Forces" (a capital before the dot) is not an end.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]’”'\"][.!?])\s+(?=[A-Z0-9“‘\"'(])")


def summarise_assessment(text: str, settings: Settings) -> str:
    """A list row's one-line 'why': the assessment's first sentence, passing over one that only restates a
    status ('Implemented.', or a status's id in words, as an older label: 'Not started.')."""
    restated = {status.label.casefold() for status in settings.statuses}
    restated |= {status.id.replace("_", " ").casefold() for status in settings.statuses}
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    return next((s for s in sentences if s.rstrip(".!?").strip().casefold() not in restated), sentences[0])


def shorten_note(text: str, limit: int = 160) -> str:
    """A note in one short line, for a header: its first sentence, cut at a word before `limit` characters
    with an ellipsis when that sentence is longer (the whole note stays a click away where it is shown)."""
    first = _SENTENCE_END.split(" ".join(text.split()))[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0] or first[: limit - 1]
    return cut.rstrip(" ,;:—–-") + "…"


def list_window_updates(tracker: Tracker, start: date, end: date, log: pd.DataFrame) -> pd.DataFrame:
    """Every update from `start` to `end` (both included) of the recommendations in `log`, in date order per
    recommendation: its date, the status before and after, whether it changed the status or was a review
    that found nothing new, and its note."""
    labels = labels_of(tracker.settings.statuses)
    rows = log[(log["start"] >= pd.Timestamp(start)) & (log["start"] <= pd.Timestamp(end))]
    change = (rows["is_change"] & ~rows["is_review"]).to_numpy()
    return pd.DataFrame(
        {
            "rec_id": rows["rec_id"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "date_label": [format_date(written) for written in rows["date"]],
            "before": [labels.get(status, "Not yet tracked") for status in rows["previous_status"]],
            "after": [labels.get(status, "") for status in rows["status"]],
            "change": change,
            "baseline": (rows["position"] == 0).to_numpy(),
            "review": rows["is_review"].to_numpy(),
            "note": rows["note"].to_numpy(),
        },
        columns=["rec_id", "date", "date_label", "before", "after", "change", "baseline", "review", "note"],
    )


def describe_window(
    updates: pd.DataFrame, start: date, end: date, w: Words = ENGLISH, settings: Settings | None = None
) -> str:
    """The Changes page's answer in a sentence, e.g. 'Between 1 Jan and 30 Jun 2025: 2 status changes,
    5 other updates and 3 reviews that found nothing new, for 4 recommendations.' (`updates`:
    `list_window_updates`; reviews and baselines are named only when there are some)."""
    first = w.short_date(start.isoformat())
    last = w.short_date(end.isoformat())
    if start.year == end.year and w.code == "en":
        first = first.rsplit(" ", 1)[0]  # '1 Jan and 30 Jun 2025': the year said once
    when = w.t("Between {first} and {last}", first=first, last=last)
    if updates.empty:
        return w.t("{when}: nothing was recorded for the recommendations shown.", when=when)
    baselines = int(updates["baseline"].sum())
    changes = int((updates["change"] & ~updates["baseline"]).sum())
    reviews = int(updates["review"].sum())
    others = len(updates) - baselines - changes - reviews
    parts = [
        w.tn("{n} status change", "{n} status changes", changes),
        w.tn("{n} other update", "{n} other updates", others),
    ]
    if reviews:
        parts.append(w.tn("{n} review that found nothing new", "{n} reviews that found nothing new", reviews))
    if baselines:
        parts.append(w.tn("{n} baseline (where tracking began)", "{n} baselines (where tracking began)", baselines))
    recs = updates["rec_id"].nunique()
    return w.t(
        "{when}: {counts}, for {recommendations}.",
        when=when,
        counts=w.join(parts),
        recommendations=w.tn("{n} commitment", "{n} commitments", recs)
        if settings is not None and _commitments(settings)
        else w.tn("{n} recommendation", "{n} recommendations", recs),
    )
