"""The page's own session-state keys, read with the type they must have.

A browser can send a crafted value for any key, so a value of the wrong type is treated as absent:
the page refuses it quietly instead of failing on it.
"""

from __future__ import annotations

import streamlit as st


def read_state(key: str, kinds: type | tuple[type, ...], default=None):
    """`st.session_state[key]` when it is one of `kinds`, else `default`."""
    value = st.session_state.get(key, default)
    return value if isinstance(value, kinds) else default


def read_texts(key: str) -> list[str]:
    """A list of messages kept for the next run (strings only)."""
    values = read_state(key, list, [])
    return [value for value in values if isinstance(value, str)]
