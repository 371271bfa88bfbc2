"""Text for spreadsheets: the one formula-defusing rule, and CSV for Dutch spreadsheet programs.

**The rule** (:func:`formula_safe`), for every cell of every spreadsheet or data file the product
writes (export csv, csv-nl, xlsx, sav, dta; the dashboard's and Vergelijken's Excel and CSV):

1. unprintable control characters are taken out (:func:`printable`: they break XML and readers);
   tab, line feed and carriage return stay;
2. a text that starts with ``= + - @``, a tab or a carriage return gets a leading apostrophe, so a
   spreadsheet shows it as typed and never runs it as a formula ("CSV injection", OWASP).

Numbers-as-text: a *text* is always treated as text, so ``"-5"`` becomes ``'-5`` too; a value
that is a number is written as a number (int or float) and never touched. The rule never has to
guess whether a text is harmless, and a figure never turns into text. The interchange codec
(``surveys.interchange.encode_text``) uses the same starts, plus an apostrophe before a text that
starts with one, so reading the file back gives the text as typed.

Dutch Excel reads a semicolon as the column separator and a comma as the decimal sign, and
recognises UTF-8 only with a byte order mark (:func:`dutch_csv`).
"""

from __future__ import annotations

import csv
import re

import pandas as pd

SEPARATOR = ";"
DECIMAL = ","
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet run a cell as a formula."""
DEFUSE = "'"
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Control characters no file should carry (tab, line feed and carriage return are kept)."""


def printable(text: str) -> str:
    """The text without unprintable control characters."""
    return UNPRINTABLE.sub("", text)


def formula_safe(value: object) -> object:
    """A value as it may go into a spreadsheet cell: a text printable and, when a spreadsheet
    would take it for a formula, with an apostrophe in front; anything else unchanged."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return DEFUSE + text if text.startswith(FORMULA_STARTS) else text


def dutch_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes for Dutch Excel: ';', decimal ',', UTF-8 with BOM, formula-safe.

    Headers are made safe too. The index is left out; give it a column if it matters.
    """
    safe = frame.copy()
    safe.columns = [formula_safe(str(name)) for name in frame.columns]
    for position, dtype in enumerate(frame.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            safe.isetitem(position, frame.iloc[:, position].map(formula_safe))
    text = safe.to_csv(
        sep=SEPARATOR,
        decimal=DECIMAL,
        index=False,
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    return text.encode("utf-8-sig")
