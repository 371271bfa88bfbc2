"""The one codec of the wide interchange format, shared by export, import and measures.

One row per response: ``META_COLUMNS``, then one column per item key holding the answer as text:

- a code as a whole number (``4``; ``4.0`` is read as 4 too, as pandas and spreadsheets write
  whole numbers in a column with gaps); "weet niet / n.v.t." is just the code the definition
  gives it (``surveys.types.DONT_KNOW_CODE``), nothing special here;
- multiple choice: the codes joined by ``;`` in ascending order (``2;5``);
- a number: whole numbers without a decimal point (``3``), others as Python's exact ``repr``
  (``2.5``, ``0.1``), so a float read back is the float written;
- a text as typed, except that a text a spreadsheet would run as a formula (the rule of
  ``surveys.spreadsheet``), or one starting with the apostrophe that defuses formulas, gets a
  leading ``'``, which decoding takes off again;
- an empty cell (for codes and numbers also a cell of only spaces): not answered.

Decoding is total: a cell that is not in its item's format comes back as the text itself, which the
response check then refuses as the wrong type. So a file is understood exactly as the respondent
check understands the same answers. Which of these functions an item uses is decided by its question
type (``surveys.types.QUESTION_TYPES``); this module knows no type names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveys.spreadsheet import DEFUSE, FORMULA_STARTS

if TYPE_CHECKING:  # the model imports the type table, which imports this codec
    from surveys.definition import Item

META_COLUMNS = (
    "response_id",
    "koploper",
    "wave",
    "questionnaire",
    "questionnaire_version",
    "submitted_at",
    "channel",
    "language",
)
VERSION_COLUMN = "questionnaire_version"
MULTIPLE_SEPARATOR = ";"
_WHOLE = re.compile(r"[+-]?[0-9]+")
_WHOLE_CODE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""What a number is written as: ASCII digits only (not '١' or '１'), no '_', 'inf' or 'nan'."""
"""A code as written, or as pandas and spreadsheets write a whole number in a column with gaps
(``4.0``)."""

Decoder = Callable[[str], Any]


# --- one answer --------------------------------------------------------------------------------


def encode_code(code: int) -> str:
    return str(int(code))


def decode_code(text: str) -> Any:
    """A code from its text; None for a blank cell; the text itself when not a whole number."""
    stripped = text.strip()
    if not stripped:
        return None
    return int(stripped.split(".")[0]) if _WHOLE_CODE.fullmatch(stripped) else text


def encode_codes(codes: Sequence[int]) -> str:
    return MULTIPLE_SEPARATOR.join(str(int(code)) for code in sorted(codes))


def decode_codes(text: str) -> Any:
    """A list of codes from ``2;5``; None for a blank cell; the text itself when a part is not
    a whole number."""
    if not text.strip():
        return None
    parts = [part.strip() for part in text.split(MULTIPLE_SEPARATOR)]
    if all(_WHOLE_CODE.fullmatch(part) for part in parts):
        return [int(part.split(".")[0]) for part in parts]
    return text


def encode_number(number: float) -> str:
    """Whole numbers without a decimal point, others exactly (``repr``)."""
    if isinstance(number, int) and not isinstance(number, bool):
        return str(number)
    number = float(number)
    return str(int(number)) if number.is_integer() else repr(number)


def decode_number(text: str) -> Any:
    """An int or a float from its text; None for a blank cell; the text itself when not a number."""
    stripped = text.strip()
    if not stripped:
        return None
    if _WHOLE.fullmatch(stripped):
        return int(stripped)
    return float(stripped) if _DECIMAL.fullmatch(stripped) else text


def encode_text(text: str) -> str:
    """The text, with a leading ``'`` when a spreadsheet would run it (or it starts with ``'``).

    Lossless, so that decoding gives the text as typed; a file writer first takes out what no
    file should carry (``surveys.spreadsheet.printable``), as for every spreadsheet output."""
    return DEFUSE + text if text.startswith((*FORMULA_STARTS, DEFUSE)) else text


def decode_text(text: str) -> str:
    """The text as typed: the ``'`` that ``encode_text`` added is taken off again."""
    if text.startswith(DEFUSE) and text[1:].startswith((*FORMULA_STARTS, DEFUSE)):
        return text[1:]
    return text


def decode_version(text: str) -> int | None:
    """The questionnaire version a row names; None when the cell is not a version number."""
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() and int(stripped) > 0 else None


# --- one response --------------------------------------------------------------------------------


def encode_answers(items: Iterable[Item], answers: Mapping[str, Any]) -> dict[str, str]:
    """A response's answers as the cells of its row: '' for a question not answered."""
    return {
        item.key: "" if item.is_unanswered(value) else item.qtype.encode(value)
        for item in items
        for value in [answers.get(item.key)]
    }


def decode_answers(items: Iterable[Item], cells: Mapping[str, str]) -> dict[str, Any]:
    """The answers a row's cells hold, as the response check takes them: blank cells left out."""
    answers = {}
    for item in items:
        cell = cells.get(item.key, "")
        value = item.qtype.decode(cell) if cell else None
        if value is not None:
            answers[item.key] = value
    return answers


# --- cells ---------------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """One cell as text, '' for empty; works on a CSV read as text and on an in-memory frame.

    A frame built in memory may hold ints, floats (a column with gaps becomes float, so 4 is
    4.0) or NaN; they become the text the codec would have written.
    """
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else encode_number(float(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class DecodedColumn:
    """A column decoded once per distinct cell: ``values[index[row]]``; ``index`` −1 when empty."""

    index: np.ndarray
    values: list[Any]
    texts: list[str]
    """The distinct cells as text, for messages."""


def decode_column(column: pd.Series, decode: Decoder) -> DecodedColumn:
    """Decode a whole column, each distinct cell once (answers repeat a lot: fast on 1M cells)."""
    index, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [cell_text(value) for value in uniques]
    values = [None if text == "" else decode(text) for text in texts]
    empty = np.asarray([value is None for value in values] + [True], dtype=bool)
    index = np.where(empty[index], -1, index)
    return DecodedColumn(index.astype(np.int64), values, texts)
