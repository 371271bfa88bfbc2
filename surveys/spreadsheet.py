"""CSV for Dutch spreadsheet programs: what Excel with Dutch settings opens by double-clicking.

Dutch Excel reads a semicolon as the column separator and a comma as the decimal sign, and
recognises UTF-8 only with a byte order mark. A cell that starts with ``= + - @``, a tab or a
carriage return would be run as a formula ("CSV injection"); such text gets a leading
apostrophe, so it is shown as typed and never computed. Numbers stay numbers.
"""

from __future__ import annotations

import csv

import pandas as pd

SEPARATOR = ";"
DECIMAL = ","
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> object:
    """Text that a spreadsheet would take for a formula, with an apostrophe in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
