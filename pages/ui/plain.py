"""Typed text inside a message: Streamlit's st.error, st.success … read their text as Markdown."""

from __future__ import annotations

import re

MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def plain(text: str) -> str:
    """``text`` with every Markdown character escaped, so it shows exactly as typed."""
    return MARKDOWN.sub(r"\\\1", text)
