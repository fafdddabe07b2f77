"""The Edit page's translations section: pick a language and a text, see its English and the translation in
force (translated, outdated since the English changed, or missing), write or correct it, or mark it as
reviewed by you. Each save is one entry of the translations' log, with who and when, like any edit; the
core (tracker.translation) takes the English's fingerprint, never the form."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from tracker import model, translation
from tracker.errors import Problem, ValidationFailed
from tracker.language import LANGUAGES, mark
from tracker.text import escape_markdown
from ui.data import open_cached_store
from ui.editor import now_utc, require_editor, save_with_feedback
from ui.words import moment, t

# What each state of a text is called in the list and above the form.
STATES = {
    "missing": mark("Not translated yet"),
    "outdated": mark("Outdated (the English changed since)"),
    "translated": mark("Translated"),
}
# The parts of the data a text belongs to, as the list names them.
TARGETS = {
    "settings": mark("Tracker"),
    "recommendation": mark("Recommendation"),
    "context_event": mark("Context event"),
    "status": mark("Status"),
    "addressee": mark("Addressee"),
    "category": mark("Category"),
    "priority": mark("Priority"),
    "event_kind": mark("Kind of event"),
    "source_kind": mark("Kind of source"),
}
# The text areas a long text needs (the rest are one line).
LONG_FIELDS = {"methodology", "assessment", "criteria", "quote", "definition"}


def describe_key(key: translation.Key, english: dict, titles: dict[str, str]) -> str:
    """A text as the list names it: where it is, which field, and the start of its English."""
    target, item, field = key
    where = t(TARGETS.get(target, target))
    if target == "recommendation":
        where = f"{where} “{titles.get(item, item)[:40]}”"
    elif item:
        where = f"{where} {item}"
    start = " ".join(english[key].split())[:50]
    return f"{where} › {field}: {start}"


def adding(fields: dict, author: str):
    """The change that adds one translation; a text the model refuses is one plain problem, nothing saved."""

    def change(current):
        try:
            return translation.add_translation(current, fields, author=author, recorded=now_utc())
        except ValidationError as error:
            reason = error.errors(include_url=False)[0]["msg"]
            raise ValidationFailed([Problem(t("The translation cannot be saved: {reason}.", reason=reason))]) from None

    return change


def translations_ui(tracker, location, who, today) -> None:
    """The section (`tracker`: as stored, in English)."""
    st.caption(
        t(
            "Translations are kept with the English they translate: when the English changes, the translation is "
            "shown as outdated until it is updated here. A quote stays in its original words; its translation is "
            "shown beside it, labelled."
        )
    )
    codes = [code for code in LANGUAGES if code != "en"]
    lang = st.radio(
        t("Language of the translation"),
        codes,
        key="tr_lang",
        horizontal=True,
        format_func=lambda code: LANGUAGES[code].name,
    )
    english = translation.list_english(tracker)
    shown = translation.describe_texts(tracker, lang)
    counts = translation.count_states(shown)
    st.markdown(
        escape_markdown(
            t(
                "{translated} translated, {outdated} outdated, {missing} not translated yet.",
                translated=counts.get("translated", 0),
                outdated=counts.get("outdated", 0),
                missing=counts.get("missing", 0),
            )
        )
    )
    only_open = st.toggle(t("Only texts to translate or update"), value=True, key="tr_open")
    keys = [key for key in english if not only_open or shown[key].state != "translated"]
    if not keys:
        st.success(t("Every text is translated and up to date in this language."))
        return
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    labels = {"|".join(str(part) for part in key): key for key in keys}
    chosen = st.selectbox(
        t("Text"),
        list(labels),
        key="tr_key",
        format_func=lambda name: (
            f"{t(STATES[shown[labels[name]].state])} · {describe_key(labels[name], english, titles)}"
        ),
        placeholder=t("Choose a text"),
    )
    if chosen not in labels:
        return
    key = labels[chosen]
    item = shown[key]
    st.markdown(f"**{escape_markdown(t('English'))}**")
    st.text(english[key])
    if item.translation is not None:
        made = item.translation
        by = t("by {author}, {when}", author=made.author, when=moment(model.parse_timestamp(made.recorded)))
        reviewed = (
            t("reviewed by {name}, {when}", name=made.reviewed_by, when=moment(model.parse_timestamp(made.reviewed)))
            if made.reviewed_by
            else t("not yet reviewed")
        )
        st.caption(escape_markdown(f"{t(STATES[item.state])}: {by}; {reviewed}."))
    current = item.translation.text if item.translation is not None else ""
    field_key = f"tr_text_{lang}_{chosen}"
    if key[2] in LONG_FIELDS:
        text = st.text_area(t("Translation"), value=current, key=field_key, max_chars=model.MAX_METHODOLOGY)
    else:
        text = st.text_input(t("Translation"), value=current, key=field_key, max_chars=model.MAX_TITLE)
    save, review = st.columns(2)
    if save.button(t("Save translation"), key="tr_save", type="primary"):
        if not require_editor(who):
            return
        if not (text or "").strip():
            st.error(t("Nothing was saved: write the translation first."))
            return
        fields = {"lang": lang, "target": key[0], "id": key[1], "field": key[2], "text": text.strip()}
        save_with_feedback(
            lambda: open_cached_store(location).change(adding(fields, who.author), today=today) and [],
            success=t(
                "Saved the translation ({language}) of {text}.",
                language=LANGUAGES[lang].name,
                text=describe_key(key, english, titles),
            ),  # fmt: skip
        )
    can_review = item.state == "translated" and not item.reviewed
    if review.button(t("Mark as reviewed by me"), key="tr_review", disabled=not can_review):
        if not require_editor(who):
            return
        save_with_feedback(
            lambda: (
                open_cached_store(location).change(
                    lambda current: translation.review_translation(
                        current, lang, key, reviewer=who.author, recorded=now_utc()
                    ),
                    today=today,
                )
                and []
            ),
            success=t("Marked as reviewed: {text}.", text=describe_key(key, english, titles)),
        )
