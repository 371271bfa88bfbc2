"""What the pages keep between runs: choices that must still fit. (The viewer's cache key is
``db.access.viewer_key``, shared with ``views.cache``.)"""

from __future__ import annotations

import streamlit as st


def keep(key: str, options: list, default: object) -> None:
    """A choice that no longer fits (another koploper, fewer waves) goes back to its default."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
