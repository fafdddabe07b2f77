"""The data in other languages: the English texts that can be translated, the translations in force, and
the tracker as read in a language, with what each of its texts is (translated, outdated, missing).

A translation names the English it translates by a fingerprint. When the English changes (an editor
corrects a title, an assessment is rewritten), the fingerprint no longer matches and the translation is
shown as outdated until someone updates it. A text with no translation is shown in English, marked. The
quote stays in its original words; its translation is shown beside it, as a translation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import ValidationError

from .errors import Problem
from .model import TRANSLATABLE, Tracker, Translation

Key = tuple[str, str | None, str]  # (target, id, field): "recommendation", "export-controls", "title"

# The vocabularies of the settings, by target (each a list of terms with an id and a label).
_VOCABULARIES = {
    "status": "statuses",
    "addressee": "addressees",
    "category": "categories",
    "priority": "priorities",
    "event_kind": "event_kinds",
    "source_kind": "source_kinds",
}
# Texts read in their original words even in another language; their translation is shown beside them.
KEPT_IN_ORIGINAL = {("recommendation", "quote")}


def fingerprint_text(text: str) -> str:
    """The 16-character fingerprint of an English text a translation records (sha256, hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def list_english(tracker: Tracker) -> dict[Key, str]:
    """Every translatable text of the tracker, in English, by key, in reading order."""
    settings = tracker.settings
    texts: dict[Key, str] = {
        ("settings", None, "title"): settings.title,
        ("settings", None, "methodology"): settings.methodology,
    }
    for target, name in _VOCABULARIES.items():
        for term in getattr(settings, name):
            for field in TRANSLATABLE[target]:
                texts[(target, term.id, field)] = getattr(term, field)
    for event in tracker.context_events:
        texts[("context_event", event.id, "title")] = event.title
    for rec in tracker.recommendations:
        texts[("recommendation", rec.id, "title")] = rec.title
        texts[("recommendation", rec.id, "quote")] = rec.quote
        texts[("recommendation", rec.id, "assessment")] = rec.assessment.text
        texts[("recommendation", rec.id, "criteria")] = rec.criteria
    return texts


def key_of(item: Translation) -> Key:
    return (item.target, item.id, item.field)


def list_in_force(tracker: Tracker, lang: str) -> dict[Key, Translation]:
    """The translation in force of each text into `lang`: the latest one recorded (ties: the later entry)."""
    found: dict[Key, Translation] = {}
    for item in tracker.translations:
        if item.lang == lang:
            key = key_of(item)
            if key not in found or item.recorded >= found[key].recorded:
                found[key] = item
    return found


@dataclass(frozen=True)
class Shown:
    """What one text reads as in a language: `state` is "translated", "outdated" (the English changed
    since) or "missing" (shown in English); `translation` is the one in force, if any."""

    state: str
    translation: Translation | None = None

    @property
    def reviewed(self) -> bool:
        return self.translation is not None and bool(self.translation.reviewed_by)


def describe_texts(tracker: Tracker, lang: str) -> dict[Key, Shown]:
    """What each translatable text reads as in `lang` (every key of list_english)."""
    in_force = list_in_force(tracker, lang)
    shown = {}
    for key, english in list_english(tracker).items():
        item = in_force.get(key)
        if item is None:
            shown[key] = Shown("missing")
        elif item.english != fingerprint_text(english):
            shown[key] = Shown("outdated", item)
        else:
            shown[key] = Shown("translated", item)
    return shown


class Texts:
    """The texts of a tracker in `lang`, looked up one at a time (a page reads a few texts of a large
    tracker, and a rebuild reads only the pages that changed): what `describe_texts` and `read_in` say of
    each, without reading the whole tracker in the language. In the default language every text is itself."""

    def __init__(self, tracker: Tracker, lang: str, default: str = "en"):
        self.lang, self.default = lang, lang == default
        self.in_force = {} if self.default else list_in_force(tracker, lang)
        self._by_item: dict[tuple[str, str | None], list[Translation]] = {}
        for key, item in self.in_force.items():
            self._by_item.setdefault(key[:2], []).append(item)

    def shown(self, key: Key, english: str) -> Shown | None:
        """What the text of `key` reads as (as `describe_texts` says); None in the default language."""
        if self.default:
            return None
        item = self.in_force.get(key)
        if item is None:
            return Shown("missing")
        return Shown("outdated" if item.english != fingerprint_text(english) else "translated", item)

    def text(self, key: Key, english: str) -> str:
        """The text as `read_in` shows it: the translation in force (outdated too), else the English. The
        quote is kept in its original words: its translation is `shown(...).translation`."""
        item = self.in_force.get(key)
        return item.text if item is not None and key[::2] not in KEPT_IN_ORIGINAL else english

    def items(self, target: str, item_id: str | None) -> list[Translation]:
        """The translations in force of one item's fields."""
        return self._by_item.get((target, item_id), [])

    def key(self, target: str, item_id: str | None) -> str:
        """Everything in force for one item (its fields' translations, their authors and reviews), as a text:
        part of the key of whatever shows it."""
        found = sorted(self._by_item.get((target, item_id), []), key=lambda item: item.field)
        return "\x1e".join(
            f"{item.field}\x1f{item.text}\x1f{item.english}\x1f{item.author}\x1f{item.reviewed_by}\x1f{item.reviewed}"
            for item in found
        )

    def settings(self, settings):
        """The settings with their title, methodology and vocabularies in the language, as `read_in` has them."""
        if self.default:
            return settings
        changes = {
            "title": self.text(("settings", None, "title"), settings.title),
            "methodology": self.text(("settings", None, "methodology"), settings.methodology),
        }
        for target, name in _VOCABULARIES.items():
            fields = TRANSLATABLE[target]
            changes[name] = [
                term.model_copy(
                    update={field: self.text((target, term.id, field), getattr(term, field)) for field in fields}
                )
                for term in getattr(settings, name)
            ]
        return settings.model_copy(update=changes)


def read_in(tracker: Tracker, lang: str, default: str = "en") -> tuple[Tracker, dict[Key, Shown]]:
    """The tracker with its texts in `lang` where a translation is in force (an outdated one too: it is
    marked, see `describe_texts`), English where none is, and the quote in its original words; and what
    each text is. In the default language, the tracker itself."""
    if lang == default:
        return tracker, {}
    shown = describe_texts(tracker, lang)

    def text(key: Key, english: str) -> str:
        found = shown.get(key)
        return found.translation.text if found and found.translation else english

    settings = tracker.settings
    changes = {
        "title": text(("settings", None, "title"), settings.title),
        "methodology": text(("settings", None, "methodology"), settings.methodology),
    }
    for target, name in _VOCABULARIES.items():
        fields = TRANSLATABLE[target]
        changes[name] = [
            term.model_copy(update={field: text((target, term.id, field), getattr(term, field)) for field in fields})
            for term in getattr(settings, name)
        ]
    events = [
        event.model_copy(update={"title": text(("context_event", event.id, "title"), event.title)})
        for event in tracker.context_events
    ]
    recs = []
    for rec in tracker.recommendations:
        update = {
            "title": text(("recommendation", rec.id, "title"), rec.title),
            "criteria": text(("recommendation", rec.id, "criteria"), rec.criteria),
            "assessment": rec.assessment.model_copy(
                update={"text": text(("recommendation", rec.id, "assessment"), rec.assessment.text)}
            ),
        }
        recs.append(rec.model_copy(update=update))
    read = tracker.model_copy(
        update={"settings": settings.model_copy(update=changes), "context_events": events, "recommendations": recs}
    )
    return read, shown


def count_states(shown: dict[Key, Shown]) -> dict[str, int]:
    """How many texts are translated (of which reviewed), outdated and missing."""
    counts = {"translated": 0, "reviewed": 0, "outdated": 0, "missing": 0}
    for item in shown.values():
        counts[item.state] += 1
        counts["reviewed"] += item.state == "translated" and item.reviewed
    return counts


def add_translation(tracker: Tracker, fields: dict, *, author: str, recorded: str) -> Tracker:
    """The tracker with one more translation: of the English as it stands now (its fingerprint is taken
    here, never typed), written by `author`. Reviewing is `review_translation`."""
    key = (fields["target"], fields.get("id"), fields["field"])
    english = list_english(tracker).get(key)
    item = Translation.model_validate(
        {
            **fields,
            "english": fingerprint_text(english if english is not None else ""),
            "author": author,
            "recorded": recorded,
        }
    )
    return tracker.model_copy(update={"translations": [*tracker.translations, item]})


def review_translation(tracker: Tracker, lang: str, key: Key, *, reviewer: str, recorded: str) -> Tracker:
    """The tracker with the translation in force of `key` marked as reviewed by `reviewer`, now: a new entry
    of the log (the text and the English it translates are those in force, reviewed as they stand)."""
    item = list_in_force(tracker, lang)[key]
    fields = {**item.model_dump(), "recorded": recorded, "reviewed_by": reviewer, "reviewed": recorded}
    return tracker.model_copy(update={"translations": [*tracker.translations, Translation.model_validate(fields)]})


def translations_as_published(tracker: Tracker, moment_stamp: str) -> list[Translation]:
    """The translations recorded by a moment (a timestamp as format_timestamp writes it)."""
    return [item for item in tracker.translations if item.recorded <= moment_stamp]


# -- worksheets: the texts to translate, out to a translator and back --------------------------------------


def make_sheet(tracker: Tracker, lang: str, *, everything: bool = False) -> dict:
    """A worksheet of the texts to translate into `lang` (those missing or outdated; all with `everything`):
    each with its English and, where one is in force, the translation to update. Plain data, written as
    YAML by the command line and read back by `apply_sheet`."""
    shown = describe_texts(tracker, lang)
    texts = []
    for key, english in list_english(tracker).items():
        state = shown[key]
        if everything or state.state != "translated":
            target, item_id, field = key
            entry = {"target": target, "id": item_id, "field": field, "english": english}
            entry["text"] = state.translation.text if state.translation else ""
            if state.state == "outdated":
                entry["outdated"] = True
            texts.append({k: v for k, v in entry.items() if v is not None})
    return {"lang": lang, "texts": texts}


def apply_sheet(tracker: Tracker, sheet: dict, *, author: str, recorded: str) -> tuple[Tracker, int, list[Problem]]:
    """The tracker with a worksheet's translations added (`author`, now), how many were added, and the
    problems that refuse the whole sheet: an entry whose English is no longer the tracker's (the sheet is
    older than an edit), a text the tracker does not hold. An entry left empty, or the same as the
    translation in force of the same English, adds nothing."""
    lang = sheet.get("lang") if isinstance(sheet, dict) else None
    entries = sheet.get("texts") if isinstance(sheet, dict) else None
    if not isinstance(lang, str) or not isinstance(entries, list):
        return tracker, 0, [Problem("The worksheet must have `lang` and a list of `texts`.", code="bad_sheet")]
    english = list_english(tracker)
    in_force = list_in_force(tracker, lang)
    problems, added = [], 0
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"target", "field", "english", "text"} <= set(entry):
            problems.append(Problem(f"Text {n} needs target, field, english and text.", code="bad_sheet_entry"))
            continue
        key = (entry["target"], entry.get("id"), entry["field"])
        text = entry["text"]
        if not isinstance(text, str) or not text.strip():
            continue
        if key not in english:
            problems.append(
                Problem(
                    f"Text {n}: the tracker has no {entry['target']} '{entry.get('id')}' to translate.",
                    code="nothing_to_translate",
                    params={"n": n},
                )  # fmt: skip
            )
            continue
        if entry["english"] != english[key]:
            problems.append(
                Problem(
                    f"Text {n} ({key[1] or key[0]}, {key[2]}): the English has changed since the worksheet was made; "
                    "make a new worksheet and translate the English as it now reads.",
                    code="english_changed",
                    params={"n": n},
                )
            )
            continue
        current = in_force.get(key)
        if current is not None and current.text == text and current.english == fingerprint_text(english[key]):
            continue
        try:
            fields = {"lang": lang, "target": key[0], "id": key[1], "field": key[2], "text": text}
            tracker = add_translation(tracker, fields, author=author, recorded=recorded)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            message = f"Text {n}: {where + ': ' if where else ''}{first['msg']}."
            problems.append(Problem(message, code="bad_translation", params={"n": n}))
            continue
        added += 1
    return tracker, added, problems
