"""What the page "Vergelijken" shows of every koploper × indicator, as files: Excel and a CSV
for Dutch Excel.

Both come from :func:`comparison_rows`, one row per koploper and indicator with the figures the
page's table shows (a share in percent and a change in percentage points, one decimal; a count
under the minimum written as the page writes it, 'minder dan 10', with the reason in "Let op"),
so the files and the page cannot disagree. The workbook is written by XlsxWriter
(:mod:`reports.excel_book`), the CSV by pandas (``surveys.spreadsheet.dutch_csv``). Text a
spreadsheet would run as a formula is defused (``surveys.spreadsheet.formula_safe``); the
direction signs are written as text.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from measures.dutch import in_unit, p_text
from measures.indicators import PROPORTION
from reports.excel_book import BOLD, TITLE, Book
from surveys.spreadsheet import dutch_csv
from surveys.vocabulary import (
    INDICATIVE,
    QUESTIONNAIRES,
    SUPPRESSED,
    TOO_FEW_NOTE,
    direction_text,
    fewer_than,
    wave_title,
)

SHEET = "Vergelijken"
EXPLANATION_SHEET = "Uitleg"
ONE_DECIMAL = "0.0"
COUNT = "0"
UNITS = {PROPORTION: "procent (verandering in procentpunt)"}
OTHER_UNIT = "gemiddelde (verandering in punten)"


def _note(flag: object) -> str:
    if flag == SUPPRESSED:
        return TOO_FEW_NOTE
    return INDICATIVE if flag == INDICATIVE else ""


def _scaled(table: pd.DataFrame, column: str) -> list[float | None]:
    """Shares as percentages (``measures.dutch.in_unit``), one decimal, as the page writes
    them; empty for no figure."""
    return [None if pd.isna(v) else round(v, 1) for v in in_unit(table[column], table["kind"])]


def _count(values: pd.Series, min_n: int) -> list[int | str]:
    """Whole counts; a withheld one (empty: ``measures.suppression.shown_counts``) as the page
    writes it, 'minder dan 10'."""
    return [fewer_than(min_n) if pd.isna(v) else int(v) for v in values]


def comparison_rows(table: pd.DataFrame, baseline: str, followup: str, min_n: int) -> pd.DataFrame:
    """The rows the page shows (``views.compare``'s changes, already suppressed), with Dutch
    headers: who and what, which way and how much, the figures of both waves with n (a count
    under ``min_n`` worded as on the page)."""
    table = table.reset_index(drop=True)
    first, later = wave_title(baseline), wave_title(followup)
    return pd.DataFrame(
        {
            "Koploper": table["name"].astype(str),
            "Cohort": table["cohort"].astype(str),
            "Vragenlijst": table["questionnaire"].map(QUESTIONNAIRES),
            "Indicator": table["label"].astype(str),
            "Eenheid": [UNITS.get(k, OTHER_UNIT) for k in table["kind"]],
            "Richting": [direction_text(d) for d in table["direction"]],
            "Verandering": _scaled(table, "difference"),
            first: _scaled(table, "estimate_baseline"),
            f"n {first.lower()}": _count(table["n_baseline"], min_n),
            later: _scaled(table, "estimate_followup"),
            f"n {later.lower()}": _count(table["n_followup"], min_n),
            # As the page writes it: '< 0,001', never a q rounded to 0.
            "q-waarde": [None if pd.isna(q) else p_text(float(q)) for q in table["q_value"]],
            "Let op": [_note(f) for f in table["flag"]],
        }
    ).astype(object)


def comparison_csv(rows: pd.DataFrame) -> bytes:
    """The rows as CSV for Dutch Excel (';', decimal comma, UTF-8 with BOM). The direction
    is written in words only: a cell starting with '=' would be defused with an apostrophe."""
    words = rows.assign(Richting=rows["Richting"].str[2:])
    counts = [c for c in rows.columns if c.startswith("n ")]  # 120 or 'minder dan 10'
    numbers = [c for c in rows.columns if c not in (*TEXT_COLUMNS, *counts)]
    words[numbers] = words[numbers].apply(pd.to_numeric)
    return dutch_csv(words)


TEXT_COLUMNS = (
    "Koploper",
    "Cohort",
    "Vragenlijst",
    "Indicator",
    "Eenheid",
    "Richting",
    "q-waarde",
    "Let op",
)


def comparison_xlsx(rows: pd.DataFrame, title: str, explanation: Sequence[str]) -> bytes:
    """The rows as an Excel workbook: a sheet with the table (one decimal, counts whole,
    q-values written as the page writes them) and a sheet "Uitleg" with ``explanation``."""
    book = Book(title)
    sheet = book.workbook.add_worksheet(SHEET)
    book.write(sheet, 0, 0, title, **TITLE)
    headers = list(rows.columns)
    for column, header in enumerate(headers):
        book.write(sheet, 1, column, header, **BOLD)
    sheet.freeze_panes(2, 2)
    formats = {h: COUNT if h.startswith("n ") else ONE_DECIMAL for h in headers}
    for row, values in enumerate(rows.itertuples(index=False), start=2):
        for column, (header, value) in enumerate(zip(headers, values, strict=True)):
            if header == "Richting":
                book.symbol(sheet, row, column, str(value))
            elif isinstance(value, str):
                book.write(sheet, row, column, value)  # a withheld count: 'minder dan 10'
            elif value is not None and not pd.isna(value):
                book.write(sheet, row, column, value, num_format=formats[header])
    for column, header in enumerate(headers):
        longest = max([len(header), *(len(str(v)) for v in rows[header] if v is not None)])
        sheet.set_column(column, column, min(max(longest, 8), 60) + 2)
    notes = book.workbook.add_worksheet(EXPLANATION_SHEET)
    book.write(notes, 0, 0, title, **TITLE)
    for row, line in enumerate(explanation, start=1):
        book.write(notes, row, 0, line)
    notes.set_column(0, 0, 110)
    return book.to_bytes()
