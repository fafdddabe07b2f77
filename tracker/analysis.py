"""Tables about a tracker, as pandas DataFrames.

Every function is pure and takes the date it reasons about (`as_of`, `start`,
`end`) explicitly: nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .model import Settings, Tracker, format_date, start_of, status_by_id

PROGRESS_FORMULA = (
    "Progress score = the average of each recommendation's status weight, times 100 "
    "(weights: {weights}). 100 means every recommendation is implemented."
)

LOG_COLUMNS = [
    "rec_id",
    "title",
    "category",
    "addressees",
    "position",
    "date",
    "start",
    "status",
    "previous_status",
    "is_change",
    "note",
    "sources",
    "source_url",
    "source_title",
    "author",
    "recorded",
]


def list_updates(tracker: Tracker) -> pd.DataFrame:
    """The event log: one row per update, baselines included, in date order per recommendation."""
    rows = []
    for rec in tracker.recommendations:
        previous = None
        for position, update in enumerate(rec.updates):
            first = update.sources[0] if update.sources else None
            rows.append(
                (
                    rec.id,
                    rec.title,
                    rec.category,
                    tuple(rec.addressees),
                    position,
                    update.date,
                    start_of(update.date),
                    update.status,
                    previous,
                    update.status != previous,
                    update.note,
                    [source.model_dump() for source in update.sources],
                    first.url if first else "",
                    first.title if first else "",
                    update.author,
                    update.recorded,
                )
            )
            previous = update.status
    log = pd.DataFrame(rows, columns=LOG_COLUMNS)
    log["start"] = pd.to_datetime(log["start"])
    return log


def _before(log: pd.DataFrame, as_of: date) -> pd.DataFrame:
    return log[log["start"] <= pd.Timestamp(as_of)]


STATUS_COLUMNS = [
    "id",
    "title",
    "addressees",
    "addressee_labels",
    "category",
    "category_label",
    "priority",
    "priority_label",
    "implied",
    "status",
    "status_label",
    "status_order",
    "since",
    "days_in_status",
    "last_update",
    "days_since_update",
    "review_interval_days",
    "stale",
    "last_note",
    "last_source_url",
    "last_source_title",
    "updates",
    "order",
]


def list_recommendations(tracker: Tracker) -> pd.DataFrame:
    """What does not change with the date: one row per recommendation, with readable labels."""
    settings = tracker.tracker
    addressees = {term.id: term.label for term in settings.addressees}
    categories = {term.id: term.label for term in settings.categories}
    priorities = {term.id: term.label for term in settings.priorities}
    return pd.DataFrame(
        [
            {
                "id": rec.id,
                "title": rec.title,
                "addressees": list(rec.addressees),
                "addressee_labels": ", ".join(addressees[a] for a in rec.addressees),
                "category": rec.category,
                "category_label": categories[rec.category],
                "priority": rec.priority,
                "priority_label": priorities[rec.priority],
                "implied": rec.implied,
                "review_interval_days": rec.review_interval_days or settings.review_interval_days,
                "order": order,
            }
            for order, rec in enumerate(tracker.recommendations)
        ],
        columns=[
            "id",
            "title",
            "addressees",
            "addressee_labels",
            "category",
            "category_label",
            "priority",
            "priority_label",
            "implied",
            "review_interval_days",
            "order",
        ],
    )


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
    taxonomy = status_by_id(tracker.tracker)
    today = pd.Timestamp(as_of)
    frame["status"] = last["status"]
    frame["status_label"] = last["status"].map({s: t.label for s, t in taxonomy.items()})
    frame["status_order"] = last["status"].map({s: t.order for s, t in taxonomy.items()})
    frame["since"] = since.reindex(frame["id"]).reset_index(drop=True)
    frame["days_in_status"] = (today - frame["since"]).dt.days
    frame["last_update"] = last["date"]
    frame["days_since_update"] = (today - last["start"]).dt.days
    frame["stale"] = frame["days_since_update"] > frame["review_interval_days"]
    frame["last_note"] = last["note"]
    frame["last_source_url"] = last["source_url"]
    frame["last_source_title"] = last["source_title"]
    frame["updates"] = last["position"] + 1
    return frame[STATUS_COLUMNS]


def count_by_status(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """How many recommendations stand in each status (zeros included), in taxonomy order."""
    counts = frame["status"].value_counts()
    return pd.DataFrame(
        [
            {"status": s.id, "label": s.label, "colour": s.colour, "order": s.order, "count": int(counts.get(s.id, 0))}
            for s in status_by_id(settings).values()
        ]
    )


def count_by(frame: pd.DataFrame, column: str, settings: Settings) -> pd.DataFrame:
    """Counts per (group, status) for 'category' or 'addressee'; a recommendation
    addressed to several countries counts once for each."""
    terms = {"category": settings.categories, "addressee": settings.addressees}[column]
    source = frame.explode("addressees").rename(columns={"addressees": "addressee"}) if column == "addressee" else frame
    counts = source.groupby([column, "status"]).size()
    rows = []
    for group_order, term in enumerate(terms):
        for status in status_by_id(settings).values():
            rows.append(
                {
                    column: term.id,
                    "group_label": term.label,
                    "group_order": group_order,
                    "status": status.id,
                    "status_label": status.label,
                    "status_order": status.order,
                    "count": int(counts.get((term.id, status.id), 0)),
                }
            )
    return pd.DataFrame(rows)


def score_progress(frame: pd.DataFrame, settings: Settings) -> float:
    """The weighted progress score, 0–100 (see PROGRESS_FORMULA)."""
    if frame.empty:
        return 0.0
    weights = {s.id: s.weight for s in settings.statuses}
    return round(float(frame["status"].map(weights).mean()) * 100, 1)


def describe_progress_formula(settings: Settings) -> str:
    """The score's formula in words, with the weights of this tracker."""
    weights = ", ".join(f"{s.label} {s.weight:g}" for s in status_by_id(settings).values())
    return PROGRESS_FORMULA.format(weights=weights)


def count_status_over_time(tracker: Tracker, start: date, end: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many recommendations stood in each status on each date a status changed,
    from `start` to `end` (a step function: each row holds until the next date)."""
    log = list_updates(tracker) if log is None else log
    taxonomy = status_by_id(tracker.tracker)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    changes = log[log["is_change"] & (log["start"] <= last)]
    # Each change moves one recommendation out of its old status and into its new one.
    moves = pd.concat(
        [
            pd.DataFrame({"date": changes["start"], "status": changes["status"], "delta": 1}),
            pd.DataFrame({"date": changes["start"], "status": changes["previous_status"], "delta": -1}).dropna(),
        ]
    )
    moves["date"] = moves["date"].clip(lower=first)  # everything before `start` counts on `start`
    steps = moves.pivot_table(index="date", columns="status", values="delta", aggfunc="sum", fill_value=0)
    dates = steps.index.union(pd.DatetimeIndex([first, last]))
    counts = steps.reindex(index=dates, columns=list(taxonomy), fill_value=0).cumsum()
    counts = counts.reset_index(names="date").melt(id_vars="date", var_name="status", value_name="count")
    counts["status_label"] = counts["status"].map({s: t.label for s, t in taxonomy.items()})
    counts["status_order"] = counts["status"].map({s: t.order for s, t in taxonomy.items()})
    counts["count"] = counts["count"].astype(int)
    ordered = counts.sort_values(["date", "status_order"], ignore_index=True)
    return ordered[["date", "status", "status_label", "status_order", "count"]]


def list_changes(tracker: Tracker, start: date, end: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recommendations with a status change or any update after `start` up to `end`."""
    log = list_updates(tracker) if log is None else log
    before = _before(log, start).groupby("rec_id", sort=False)["status"].last()
    after = _before(log, end).groupby("rec_id", sort=False)[["status", "title"]].last()
    window = log[(log["start"] > pd.Timestamp(start)) & (log["start"] <= pd.Timestamp(end))]
    labels = {s.id: s.label for s in tracker.tracker.statuses}
    rows = []
    for rec_id, updates in window.groupby("rec_id", sort=False):
        old = before.get(rec_id)
        new = after.loc[rec_id, "status"]
        rows.append(
            {
                "id": rec_id,
                "title": after.loc[rec_id, "title"],
                "status_before": labels.get(old, "Not yet tracked"),
                "status_after": labels[new],
                "changed": old != new,
                "updates": len(updates),
                "latest": updates["date"].iloc[-1],
                "latest_note": updates["note"].iloc[-1],
            }
        )
    frame = pd.DataFrame(
        rows, columns=["id", "title", "status_before", "status_after", "changed", "updates", "latest", "latest_note"]
    )
    return frame.sort_values(["changed", "latest"], ascending=[False, False], ignore_index=True)


def list_status_periods(tracker: Tracker, as_of: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bands for a timeline: each status a recommendation held, from when to when
    (the last band runs to `as_of`)."""
    log = list_updates(tracker) if log is None else log
    known = _before(log, as_of)
    changes = known[known["is_change"]].copy()
    changes["end"] = changes.groupby("rec_id", sort=False)["start"].shift(-1).fillna(pd.Timestamp(as_of))
    labels = {s.id: s.label for s in tracker.tracker.statuses}
    changes["status_label"] = changes["status"].map(labels)
    return changes[["rec_id", "title", "status", "status_label", "start", "end"]].reset_index(drop=True)


def latest_update(log: pd.DataFrame, as_of: date) -> str | None:
    """The date (as written) of the most recent update on or before `as_of`."""
    known = _before(log, as_of)
    return None if known.empty else known.loc[known["start"].idxmax(), "date"]


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
        "progress": score_progress(frame, tracker.tracker),
        "stale": int(frame["stale"].sum()),
        "changed_recently": int(changes["changed"].sum()) if not changes.empty else 0,
        "latest_update": latest_update(log, as_of),
    }


def list_context_events(tracker: Tracker, start: date, end: date) -> pd.DataFrame:
    """Context events (summits, leadership changes, rulings) between two days, for chart annotations."""
    kinds = {term.id: term.label for term in tracker.tracker.event_kinds}
    rows = [
        {
            "id": event.id,
            "date": pd.Timestamp(start_of(event.date)),
            "date_label": format_date(event.date),
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
    return pd.DataFrame(rows, columns=columns).sort_values("date", ignore_index=True)


def list_update_points(tracker: Tracker, rec_ids, as_of: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """The updates of some recommendations up to `as_of`, with readable labels (timeline dots)."""
    log = list_updates(tracker) if log is None else log
    labels = {s.id: s.label for s in tracker.tracker.statuses}
    points = _before(log, as_of)
    points = points[points["rec_id"].isin(list(rec_ids))]
    return pd.DataFrame(
        {
            "rec_id": points["rec_id"],
            "title": points["title"],
            "start": points["start"],
            "date_label": points["date"].map(format_date),
            "status_label": points["status"].map(labels),
            "note": points["note"].str.slice(0, 280),
            "source_title": points["source_title"],
            "source_url": points["source_url"],
        }
    ).reset_index(drop=True)


def history_of(tracker: Tracker, rec_id: str, as_of: date, log: pd.DataFrame | None = None) -> pd.DataFrame:
    """One recommendation's dated history up to `as_of`, newest first, with every source."""
    log = list_updates(tracker) if log is None else log
    labels = {s.id: s.label for s in tracker.tracker.statuses}
    rows = _before(log, as_of)
    rows = rows[rows["rec_id"] == rec_id]
    return (
        pd.DataFrame(
            {
                "date": rows["date"].map(format_date),
                "status": rows["status"].map(labels),
                "change": rows["is_change"],
                "note": rows["note"],
                "sources": rows["sources"],
                "author": rows["author"],
                "recorded": rows["recorded"],
            }
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )
