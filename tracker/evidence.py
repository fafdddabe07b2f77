"""How sure we are: the strength of the evidence behind a recommendation's current status.

A status rests on the updates recorded since it was set: the one that set it and any later one that
confirmed it with a source. The latest of them with a source of a kind that may carry a status change
(official, news, analysis: `supports_change`) makes it **sourced**; failing that, the latest with only
copies (a repost, an aggregator) makes it **copy only**; with no source at all (a baseline nobody could
source, then reviews) there is **no evidence** since the status was set. Reviews that found nothing new
cite nothing, so they never count as evidence (`analysis.list_updates`'s `is_review`).

Pure functions over the event log (`analysis.list_updates`) cut at a date; nothing reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

import pandas as pd

from .analysis import latest_review
from .language import ENGLISH, Words
from .model import Settings, Tracker, labels_of, precision_of, start_of
from .sources import mention_source

SOURCED = "sourced"  # a source of a kind that may carry a change (official, news, analysis)
COPY_ONLY = "copy_only"  # only reposts or aggregator copies
NO_EVIDENCE = "none"  # no source since the status was set

# A tracker whose checks ran on this long after its latest sourced item says so on the Overview:
# a quarter with reviews but no evidence is long enough that an unchanged status may mislead.
THIN_AFTER_DAYS = 90

EVIDENCE_COLUMNS = ["id", "evidence", "evidence_kinds", "evidence_date", "evidence_text", "evidence_label"]


@dataclass(frozen=True)
class Evidence:
    """The evidence behind a status: `code` (SOURCED, COPY_ONLY or NO_EVIDENCE), the kinds (ids, in the
    taxonomy's order) of the sources it rests on, the date (as written) of the update they came with (for
    NO_EVIDENCE: when the status was set), and which of the recommendation's updates that is (`position`,
    None without a source) and which of its sources to name first (`source`)."""

    code: str
    kinds: tuple[str, ...]
    date: str
    position: int | None = None
    source: int | None = None


def assess_evidence(history: pd.DataFrame, settings: Settings) -> Evidence | None:
    """The evidence behind one recommendation's status, from its rows of the event log up to a date (in
    date order, as `analysis.list_updates` gives them); None when it has no row yet (not yet tracked)."""
    columns = ("is_change", "is_review", "date", "sources", "position")
    return _assess(*(history[name].tolist() for name in columns), settings)


def _assess(changes, reviews, dates, sources, positions, settings: Settings) -> Evidence | None:
    if not dates:
        return None
    order = [kind.id for kind in settings.source_kinds]
    supporting = {kind.id for kind in settings.source_kinds if kind.supports_change}
    # The update that set the status: the latest change (a review is never one, whatever it restates).
    first = max((n for n, (change, review) in enumerate(zip(changes, reviews, strict=True)) if change and not review),
                default=0)  # fmt: skip
    copies = None
    for n in range(len(dates) - 1, first - 1, -1):
        kinds = [source.get("kind") for source in sources[n]]
        strong = [n_source for n_source, kind in enumerate(kinds) if kind in supporting]
        if strong:
            found = tuple(kind for kind in order if kind in {kinds[i] for i in strong})
            return Evidence(SOURCED, found, dates[n], positions[n], strong[0])
        if kinds and copies is None:
            copies = Evidence(COPY_ONLY, tuple(kind for kind in order if kind in kinds), dates[n], positions[n], 0)
    return copies or Evidence(NO_EVIDENCE, (), dates[first])


def list_evidence(tracker: Tracker, log: pd.DataFrame, as_of: date, w: Words = ENGLISH) -> pd.DataFrame:
    """Every tracked recommendation's evidence on `as_of`: its code, kinds and date, the sentence that says
    it (`describe_evidence`) and the few words a list shows (`label_evidence`)."""
    settings = tracker.settings
    known = log[log["start"] <= pd.Timestamp(as_of)]
    columns = {name: known[name].tolist() for name in ("rec_id", "rec_order", "is_change", "is_review", "date")}
    columns.update(sources=known["sources"].tolist(), position=known["position"].tolist())
    kinds = labels_of(settings.source_kinds)
    rows = []
    # The log keeps each recommendation's rows together and in date order: one group per recommendation.
    for _, group in groupby(range(len(columns["rec_id"])), key=columns["rec_id"].__getitem__):
        numbers = list(group)
        part = {name: values[numbers[0] : numbers[-1] + 1] for name, values in columns.items()}
        evidence = _assess(*(part[name] for name in ("is_change", "is_review", "date", "sources", "position")),
                           settings)  # fmt: skip
        mention = ""
        if evidence.position is not None:
            update = tracker.recommendations[part["rec_order"][0]].updates[evidence.position]
            mention = mention_source(update.sources[evidence.source], kinds)
        rows.append(
            (part["rec_id"][0], evidence.code, evidence.kinds, evidence.date,
             describe_evidence(evidence, settings, w), label_evidence(evidence, mention, w))
        )  # fmt: skip
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def add_evidence(
    frame: pd.DataFrame, tracker: Tracker, log: pd.DataFrame, as_of: date, w: Words = ENGLISH
) -> pd.DataFrame:
    """A statuses table (`analysis.statuses_as_of`) with each recommendation's evidence beside it."""
    evidence = list_evidence(tracker, log, as_of, w).set_index("id").reindex(frame["id"])
    return frame.assign(**{name: evidence[name].to_numpy() for name in EVIDENCE_COLUMNS[1:]})


def describe_evidence(evidence: Evidence, settings: Settings, w: Words = ENGLISH) -> str:
    """The evidence in a sentence a reader understands: 'Official and news sources (latest 16 Mar 2023)',
    'Only a repost copy (latest 22 Sep 2025)' or 'No evidence found since Jul 2022'."""
    names = [label.lower() for kind, label in labels_of(settings.source_kinds).items() if kind in evidence.kinds]
    when = w.short_date(evidence.date)
    if evidence.code == SOURCED:
        kinds = " and ".join(names).capitalize() if w.code == "en" else w.join(names)
        return w.t("{kinds} sources (latest {date})", kinds=kinds, date=when)
    if evidence.code == COPY_ONLY:
        if w.code == "en":  # 'an aggregator', 'a repost'
            article = "an" if names[0][:1] in "aeiou" else "a"
            return f"Only {article} {' or '.join(names)} copy (latest {when})"
        return w.t("Only a copy: {kinds} (latest {date})", kinds=w.join(names), date=when)
    return w.t("No evidence found since {date}", date=when)


def label_evidence(evidence: Evidence, mention: str, w: Words = ENGLISH) -> str:
    """The evidence in the few words a list shows: the source named ('meti.go.jp, official'), 'Only a copy:
    exbulletin.com, repost', or 'None found since Jul 2022' (`mention`: `sources.mention_source`)."""
    if evidence.code == SOURCED:
        return mention
    if evidence.code == COPY_ONLY:
        return w.t("Only a copy: {source}", source=mention)
    return w.t("None found since {date}", date=w.short_date(evidence.date))


def find_evidence_gap(tracker: Tracker, log: pd.DataFrame, as_of: date) -> tuple[str, str] | None:
    """When the tracker's checks ran on long after its latest sourced item (THIN_AFTER_DAYS): the date (as
    written) of that item (a sourced update or context event) and of the latest check (an update, a review of
    some recommendations or of the whole tracker), both by `as_of`; None otherwise."""
    known = log[log["start"] <= pd.Timestamp(as_of)]
    if known.empty:
        return None
    sourced = known[~known["is_review"] & known["sources"].map(bool)]
    dated = [(start.date(), written) for start, written in zip(sourced["start"], sourced["date"], strict=True)]
    dated += [(start_of(e.date), e.date) for e in tracker.context_events if e.sources and start_of(e.date) <= as_of]
    checked = max(zip(known["start"], known["date"], strict=True))
    # A review of the whole tracker is a check too: the header names it as the latest, and so must this.
    whole = latest_review(tracker, as_of)
    if whole is not None and pd.Timestamp(start_of(whole.date)) > checked[0]:
        checked = (pd.Timestamp(start_of(whole.date)), whole.date)
    if not dated:
        return None
    latest = max(dated)
    if (checked[0].date() - latest[0]).days <= THIN_AFTER_DAYS:
        return None
    return latest[1], checked[1]


def describe_evidence_gap(gap: tuple[str, str], w: Words = ENGLISH) -> str:
    """The Overview's one warning about thin evidence, in plain words (`gap`: `find_evidence_gap`)."""
    latest, checked = gap
    month = w.short_date(latest[:7]) if precision_of(latest) != "year" else w.short_date(latest)
    return w.t(
        "Evidence is thin after {month}: the latest sourced item is dated {latest}, though the tracker was checked "
        "up to {checked}, so a status unchanged since then reflects missing evidence, not confirmed inaction.",
        month=month,
        latest=w.short_date(latest),
        checked=w.short_date(checked),
    )
