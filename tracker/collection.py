"""The documents a tracker follows, read together: each one summed up, everything asked of one
addressee across them, and the items of other documents an item is linked to.

Pure functions of the trackers (by document id, in the index's order) and the day they reason about."""

from __future__ import annotations

from datetime import date

import pandas as pd

from .analysis import count_by_status, latest_event, list_updates, score_progress, statuses_as_of
from .language import mark
from .model import Tracker, status_by_id

# What each kind of document (model.DOCUMENT_KINDS) is called to readers, in a heading or a card.
KIND_WORDS = {"article": mark("Article"), "report": mark("Report"), "joint_statement": mark("Joint statement")}


def summarise_document(tracker: Tracker, as_of: date) -> dict:
    """One document for the list of documents: what it is, and where its items stand on `as_of`."""
    log = list_updates(tracker)
    frame = statuses_as_of(tracker, as_of, log)
    article = tracker.settings.article
    return {
        "title": tracker.settings.title,
        "document_title": article.title or article.description,
        "kind": article.kind,
        "item_word": article.item_word,
        "published": article.published,
        "publisher": article.publisher,
        "items": len(frame),
        "counts": count_by_status(frame, tracker.settings),
        "score": score_progress(frame, tracker.settings),
        "latest_event": latest_event(tracker, log, as_of),
    }


ASKED_COLUMNS = ["document", "document_title", "id", "title", "status", "status_label", "colour", "last_event"]


def list_asked_of(
    trackers: dict[str, Tracker], addressee: str, as_of: date, query: str = "", statuses: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Everything asked of one addressee across documents (`trackers` by document id; "" for every
    addressee), and what it did: each item's status for that addressee (its own part, else the overall
    status); `query` narrows it to items whose title, id or latest note holds the words, `statuses` to
    items in one of those statuses."""
    rows = []
    for doc_id, tracker in trackers.items():
        frame = statuses_as_of(tracker, as_of)
        taxonomy = status_by_id(tracker.settings)
        for row in frame.itertuples():
            if addressee and addressee not in row.addressee_statuses:
                continue
            text = f"{row.title} {row.id} {row.last_note}".casefold()
            if query and query.casefold() not in text:
                continue
            status = row.addressee_statuses.get(addressee, row.status) if addressee else row.status
            if statuses and status not in statuses:
                continue
            rows.append(
                (
                    doc_id,
                    tracker.settings.title,
                    row.id,
                    row.title,
                    status,
                    taxonomy[status].label,
                    taxonomy[status].colour,
                    row.last_event,
                )  # fmt: skip
            )
    return pd.DataFrame(rows, columns=ASKED_COLUMNS)


LINKED_COLUMNS = ["relation", "direction", "document", "document_title", "id", "title", "status", "status_label",
                  "last_event"]  # fmt: skip


def list_linked(trackers: dict[str, Tracker], doc_id: str, rec_id: str, as_of: date) -> pd.DataFrame:
    """The items of other documents that the item `rec_id` of `doc_id` takes up, repeats or supersedes
    (`direction` "to") and those that do so to it ("from"), each with its own status and latest evidence
    on `as_of`: evidence recorded once, credited to both without being copied. A link to an item the
    tracker does not hold is left out (validation names it)."""
    found = []
    here = trackers.get(doc_id)
    rec = next((item for item in here.recommendations if item.id == rec_id), None) if here else None
    for link in rec.links if rec else []:
        if link.document in trackers:
            found.append((link.relation, "to", link.document, link.rec))
    for other_id, other in trackers.items():
        for item in other.recommendations:
            found.extend(
                (link.relation, "from", other_id, item.id)
                for link in item.links
                if link.document == doc_id and link.rec == rec_id
            )
    rows = []
    frames = {}
    for relation, direction, other_id, item_id in found:
        other = trackers[other_id]
        if other_id not in frames:
            frames[other_id] = statuses_as_of(other, as_of).set_index("id", drop=False)
        frame = frames[other_id]
        if item_id not in frame.index:
            continue
        row = frame.loc[item_id]
        rows.append((relation, direction, other_id, other.settings.title, item_id, row["title"], row["status"],
                     row["status_label"], row["last_event"]))  # fmt: skip
    return pd.DataFrame(rows, columns=LINKED_COLUMNS)
