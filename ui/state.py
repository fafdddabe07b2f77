"""The page's session-state keys, named once, and reading them with the type they must have.

A browser can send a crafted value for any widget's key, so a value of the wrong type is treated as
absent: the page refuses it quietly instead of failing on it.
"""

from __future__ import annotations

import streamlit as st


class Key:
    """Every session-state key the page reads or writes itself (widgets' keys that code reads included).
    A filter's widget is keyed by its parameter (`filter_key`)."""

    # The document shown (its id; the first one of the index when the link names none).
    DOCUMENT = "f_doc"
    # The language of the page (tracker.language: ?lang=, else the browser's, else English), picked each run.
    LANG = "f_lang"
    # What the link asked for, read once per session, and its problems (`errors.Problem`, worded when shown).
    URL_READ = "_url_read"
    WARNINGS = "_warnings"
    # The view: the as-of date, the search, the recommendation shown, the 'changed since' date, the
    # record time a frozen view pins, and the Freeze switch.
    AS_OF = "f_as_of"
    QUERY = "f_query"
    REC = "f_rec"
    URL_REC = "_url_rec"  # the recommendation the address named when last read
    UNKNOWN_REC = "_unknown_rec"  # an id the address names that the tracker does not have (kept in the address)
    SINCE = "f_since"
    PUBLISHED = "_published"
    FREEZE = "share_freeze"
    # The pages this reader may open: url path -> title (what the sidebar lists; Edit only for editors).
    OFFERED_PAGES = "_offered_pages"
    # Messages kept for the next run.
    FLASH = "_flash"
    FLASH_TOAST = "_flash_toast"
    LAST_SAVED = "_last_saved"  # [what was saved, a link to it]: shown until the next save
    # Editing.
    EDITOR_OK = "_editor_ok"
    EDITOR_NAME = "editor_name"
    EDIT_SECTION = "edit_section"  # which of the Edit page's forms is shown
    GO_EDIT = "_go_edit"
    SEEN = "_seen"
    META_SEEN = "_meta_seen"
    UPDATE_REC = "upd_rec"
    UPDATE_REC_SHOWN = "_upd_rec_shown"
    UPDATE_STATUS = "upd_status"
    TRIAGE_ROUND = "_triage_round"
    # Readers' suggestions.
    SUGGEST_REC = "sug_rec"
    SUGGEST_URL_REC = "_sug_url_rec"
    SUGGEST_SENT = "_sug_sent"
    SUGGESTION_REF = "_sug_ref"

    @staticmethod
    def filter_key(parameter: str) -> str:
        """The widget key of a filter (`tracker.filters.FILTERS`)."""
        return f"f_{parameter}"


def read_state(key: str, kinds: type | tuple[type, ...], default=None):
    """`st.session_state[key]` when it is one of `kinds`, else `default`."""
    value = st.session_state.get(key, default)
    return value if isinstance(value, kinds) else default


def read_texts(key: str) -> list[str]:
    """A list of messages kept for the next run (strings only)."""
    values = read_state(key, list, [])
    return [value for value in values if isinstance(value, str)]
