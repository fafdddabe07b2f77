"""The recommendation tracker's dashboard: the page script of a multipage app (st.navigation).
It loads the data, reads the link, draws the sidebar, builds the page's context once and runs the page
asked for; the pages are in `ui/pages/` (their table is `ui/registry.py`), their widgets in `ui/`, and
every number, table and chart comes from `tracker/`.

Run with `scripts/dashboard` (or `streamlit run app.py`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime

import altair as alt
import streamlit as st

from tracker import clock, edits
from tracker.clock import BadClockSetting
from tracker.errors import Problem, TrackerError
from tracker.language import DEFAULT as DEFAULT_LANGUAGE
from tracker.language import mark
from tracker.messages import link_words
from tracker.model import item_words
from tracker.text import escape_markdown
from tracker.view import document_of
from ui.context import Context, set_current
from ui.data import (
    data_location,
    document_titles,
    documents_cached,
    frozen_facts,
    load_cached,
    load_or_explain,
    texts_cached,
)
from ui.editor import access_ui, last_saved_ui
from ui.reader import (
    cite_ui,
    document_ui,
    filters_ui,
    keep_filters,
    read_url_once,
    share_ui,
    sync_url,
    view_from_state,
)
from ui.registry import PAGES, forward_old_link, page_view, titled
from ui.state import Key, read_state, read_texts
from ui.suggest import pending_count, suggestions_switch
from ui.words import choose_language, current_words, language_ui, mark_language, t, tn

PAGE_TITLE = mark("Recommendation tracker")


def register_pages(*, editing: bool, suggesting: bool, waiting: int, item: str = "recommendation",
                   several: bool = False) -> dict[str, st.Page]:  # fmt: skip
    """The pages of the registry this reader may open, by address: Edit only for someone who may edit (its
    title counts the suggestions waiting), the suggestion form only while suggestions are on (a reader's
    status link keeps working when they are turned off)."""
    pages = {}
    for spec in PAGES:
        if (spec.editors_only and not editing) or (spec.while_suggesting and not suggesting):
            continue
        if spec.several_documents and not several:
            continue
        # A document names its items (recommendations or commitments): its pages say so, in the reader's language.
        title = t(titled(spec.title, item))
        if spec.path == "edit" and waiting:
            # TRANSLATORS: the Edit page's title in the sidebar, with the readers' suggestions waiting for an editor.
            title = tn("Edit ({n} suggestion)", "Edit ({n} suggestions)", waiting)
        pages[spec.path] = st.Page(
            spec.file,
            title=title,
            icon=spec.icon,
            url_path=spec.url_path,
            default=not spec.path,
            visibility="hidden" if spec.hidden else "visible",
        )
    return pages


def choose_document(portfolio: str):
    """The documents, and the location of the one shown: the link's (`doc=`) on a session's first run, then
    the sidebar's choice; the first document when none is named (every older link opens it)."""
    try:
        documents = documents_cached(portfolio)
    except TrackerError as error:
        st.error(t("The tracker data cannot be reached. {error}", error=escape_markdown(str(error))))
        st.stop()
    ids = [document.id for document in documents]
    if not read_state(Key.URL_READ, bool):
        asked = document_of(st.query_params.to_dict())
        if st.query_params.get("doc") and asked not in ids:
            shown = str(st.query_params.get("doc"))[:60]
            st.session_state[Key.WARNINGS] = [
                Problem(code="unknown_document", field="doc", params={"values": (shown,)})
            ]
        st.session_state[Key.DOCUMENT] = asked if asked in ids else ids[0]
    if read_state(Key.DOCUMENT, str) not in ids:
        st.session_state[Key.DOCUMENT] = ids[0]
    chosen = st.session_state[Key.DOCUMENT]
    return documents, next(document.location for document in documents if document.id == chosen)


def cited_title(tracker, spec, view) -> str:
    """What a citation of a page calls it: the tracker's title for the overview, a recommendation's title on
    its page, else the page's own title (in the reader's language)."""
    if spec.path == "":
        return tracker.settings.title
    titles = {rec.id: rec.title for rec in tracker.recommendations}
    own = t(titled(spec.title, item_words(tracker.settings)[0]))
    return titles.get(view.rec, own) if spec.path == "recommendation" else own


def main() -> None:
    lang = choose_language()
    st.set_page_config(page_title=t(PAGE_TITLE), page_icon="📋", layout="wide")
    alt.data_transformers.disable_max_rows()
    try:
        today = clock.today(os.environ)
    except BadClockSetting as error:
        st.error(str(error))  # for whoever runs the server: a setting's name and value, said by the core
        st.stop()
    mark_language()
    portfolio = data_location()
    documents, location = choose_document(portfolio)
    tracker, log, _, revision = load_or_explain(location, today, current_words())
    keep_filters()
    # What this editor had in front of them since they began editing (or last saved).
    seen = read_state(Key.SEEN, dict)
    if seen is None:
        seen = st.session_state[Key.SEEN] = edits.count_updates(tracker)
    asked = read_url_once(tracker, today)
    # The sidebar's order: the language, the document, filters, share, then the way in for editors (decided
    # before the pages).
    language_ui(st.sidebar)
    document_ui(documents, document_titles(documents, today), st.sidebar)
    filters_box, share_box = st.sidebar.container(), st.sidebar.container()
    who = access_ui()
    frozen_view = read_state(Key.PUBLISHED, datetime) is not None
    suggesting, why_not = suggestions_switch()
    if why_not:
        st.sidebar.warning(escape_markdown(why_not))
    editing = who.can_edit and not frozen_view
    waiting = pending_count(location) if editing else 0
    pages = register_pages(editing=editing, suggesting=suggesting, waiting=waiting,
                           item=item_words(tracker.settings)[0], several=len(documents) > 1)  # fmt: skip
    st.session_state[Key.OFFERED_PAGES] = {page.url_path: page.title for page in pages.values()}
    current = st.navigation(list(pages.values()))
    # The tab title follows the page (a page may set its own); without this the last one would stick.
    site = t(PAGE_TITLE)
    st.set_page_config(page_title=f"{current.title} · {site}")
    path = next((key for key, page in pages.items() if page.url_path == current.url_path), "")
    spec = next(item for item in PAGES if item.path == path)
    if asked is not None and path == "":
        # A link shared before the dashboard had pages opens the page that shows what it names.
        target = forward_old_link(asked)
        if target:
            st.switch_page(pages[target], query_params=st.query_params.to_dict())
    if read_state(Key.GO_EDIT, bool) and "edit" in pages:
        st.session_state.pop(Key.GO_EDIT)
        st.switch_page(pages["edit"])
    # Messages quote titles and link values: shown as text, never as markup.
    if path == "edit":
        last_saved_ui()
    for message in read_texts(Key.FLASH):
        st.success(escape_markdown(message))
    st.session_state.pop(Key.FLASH, None)
    if read_state(Key.FLASH_TOAST, str):
        st.toast(escape_markdown(st.session_state.pop(Key.FLASH_TOAST)))
    for problem in read_state(Key.WARNINGS, list, []):
        # A recommendation's page says itself that it has no such id, with the closest ones.
        if isinstance(problem, Problem) and not (path == "recommendation" and problem.code == "unknown_rec"):
            st.warning(escape_markdown(link_words(problem, current_words().t)))
    filters_ui(tracker, today, filters_box, with_filters=spec.lists)
    chosen = read_state(Key.DOCUMENT, str)
    view = replace(view_from_state(tracker, today), document=None if chosen == documents[0].id else chosen, lang=lang)
    view = page_view(view, path)
    if spec.shares:
        share_ui(view, today, share_box, page=path)
    if path != "suggest":
        st.session_state.pop(Key.SUGGEST_SENT, None)  # the thanks are for the send just made
    ctx = Context(tracker=tracker, log=log, view=view, location=location, revision=revision, today=today, who=who,
                  seen=seen, pages=pages, suggesting=suggesting, waiting=waiting,
                  portfolio=portfolio, document=chosen, source=tracker)  # fmt: skip
    if view.frozen:
        # Every page reads the tracker as published at the view's moment.
        ctx.frozen = frozen_facts(location, revision, today, view.published, view.as_of)
        ctx.source = load_cached(location, revision, today, view.published)[0]
    if view.frozen or lang != DEFAULT_LANGUAGE:
        # ... and in the reader's language (a frozen link keeps its language: `lang` is in it).
        ctx.tracker, ctx.log, _ = load_cached(location, revision, today, view.published, lang)
        ctx.texts = texts_cached(location, revision, today, view.published, lang) if lang != DEFAULT_LANGUAGE else {}
    set_current(ctx)
    current.run()
    keep, unknown = None, None
    if path == "recommendation":
        # An id the tracker does not have stays in the address as asked: the page says so, shows no other.
        unknown = read_state(Key.UNKNOWN_REC, str)
        view = replace(view, rec=None if unknown else read_state(Key.REC, str) or None)
        keep = {"rec": unknown}
    elif path == "suggest":
        view = replace(view, rec=read_state(Key.SUGGEST_REC, str) or None)
    elif path == "suggestion":  # its status page keeps its reference in the address, so the link can be kept
        keep = {"ref": read_state(Key.SUGGESTION_REF, str)}
    if spec.cites and not unknown and ctx.tracker.recommendations:
        cite_ui(ctx.tracker.settings, view, today, page=path, title=cited_title(ctx.tracker, spec, view),
                kind=t(spec.cites), sidebar=share_box)  # fmt: skip
    sync_url(view, today, keep=keep)


main()
