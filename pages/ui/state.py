"""What the pages keep between runs: cache keys per viewer and choices that must still fit."""

from __future__ import annotations

import streamlit as st

from db.access import Viewer


def viewer_key(who: Viewer) -> tuple:
    """The whole viewer in every cache key: figures are never shared across viewers."""
    return (who.email, who.role, sorted(who.koploper_slugs), who.free_text, who.user_id)


def keep(key: str, options: list, default: object) -> None:
    """A choice that no longer fits (another koploper, fewer waves) goes back to its default."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
