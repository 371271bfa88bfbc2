"""Typed text shown as typed: Streamlit's st.error, st.success, st.table … read Markdown."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")
MARKUP = re.compile(r"[\\`*_\[\]<>#|~:$&]|^\s*(?:[-+]|\d+[.)])\s")
"""What can start Markdown, HTML, LaTeX, an entity or an icon (``:smile:``) in a table cell:
those characters, or a list mark."""


def plain(text: str) -> str:
    """``text`` with every Markdown character escaped, so it shows exactly as typed."""
    return MARKDOWN.sub(r"\\\1", text)


def plain_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (index included) that could be read as Markdown escaped
    by :func:`plain`, for ``st.table``, which renders its cells as Markdown. Cells without such a
    character stay as they are. A bare web address still becomes a link: for text someone typed
    use :func:`text_table`."""

    def cell(value: object) -> object:
        return plain(value) if isinstance(value, str) and MARKUP.search(value) else value

    out = frame.map(cell)
    out.index = out.index.map(cell)
    return out


# A word is never broken to make a column narrower ('anywhere' did that: "Koplop-ers"); only a
# word longer than the whole column (a web address) still breaks.
TABLE_STYLE = """<style>
table.km-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.km-table th, table.km-table td { border: 1px solid #d1d5db; padding: 4px 8px;
  text-align: left; vertical-align: top; overflow-wrap: break-word; }
table.km-table th { background: #eef2f7; overflow-wrap: normal; hyphens: manual; }
</style>"""


def text_table(frame: pd.DataFrame, caption: str) -> None:
    """A plain HTML table of ``frame`` with every cell escaped: no Markdown, no links, no HTML.

    For tables with text someone typed (the Logboek's e-mail addresses, for instance), where
    ``st.table`` would turn ``[klik](https://…)`` or a bare web address into a link. Screen readers
    read it as a table, with its caption.
    """
    body = frame.to_html(index=False, escape=True, border=0, classes="km-table", na_rep="")
    body = body.replace("<table", f'<table aria-label="{html.escape(caption)}"', 1)
    st.html(TABLE_STYLE + body)
