"""An XlsxWriter workbook for the downloads, and the one way a cell is written into it.

XlsxWriter never turns a string into a formula or a link here (``strings_to_formulas`` and
``strings_to_urls`` off), and every text cell also gets the one defusing rule of
``surveys.spreadsheet.formula_safe``, so a value that starts like a formula reads as typed in any
program. A figure is a number cell (with a number format); no figure is an empty cell. Formats
are made once per workbook (:class:`Book`).
"""

from __future__ import annotations

import io
import math
import numbers
from typing import Any

from surveys.spreadsheet import formula_safe

WRAP = {"text_wrap": True, "valign": "top"}
TITLE = {"bold": True, "font_size": 13}
BOLD = {"bold": True}


class Book:
    """One workbook written to bytes: its formats, made once, and its cells, written safely."""

    def __init__(self, title: str) -> None:
        import xlsxwriter

        self._out = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._out,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.workbook.set_properties({"title": title})
        self._formats: dict[tuple, Any] = {}

    def format(self, **properties: object) -> Any:
        """The XlsxWriter format with these properties (None for none)."""
        if not properties:
            return None
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(dict(properties))
        return self._formats[key]

    def write(self, sheet: Any, row: int, column: int, value: object, **properties: object) -> None:
        """One cell: text made formula-safe, a finite number as a number; no text, None and a
        number that is not finite (no figure) leave it empty.

        ``properties`` are the cell's format (``num_format`` is used for numbers only)."""
        if value is None or value == "":
            return
        if isinstance(value, str):
            properties.pop("num_format", None)
            sheet.write_string(row, column, formula_safe(value), self.format(**properties))
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            if math.isfinite(value):
                sheet.write_number(row, column, value, self.format(**properties))
        else:
            raise TypeError(f"not text or a number for a cell: {type(value).__name__}")

    def symbol(self, sheet: Any, row: int, column: int, text: str, **properties: object) -> None:
        """One of our own signs (▲ ▼ = –, nobody typed it) as text marked as text, so that a
        spreadsheet shows '=' and never takes it for a formula, not even when it is edited."""
        sheet.write_string(row, column, text, self.format(quote_prefix=True, **properties))

    def to_bytes(self) -> bytes:
        """The finished workbook (.xlsx); call once, after every sheet is written."""
        self.workbook.close()
        return self._out.getvalue()
