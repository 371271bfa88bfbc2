"""The two CSV exports, written by the ``csv`` module (quoting, separators, line ends).

- ``csv``: the interchange format (``surveys.interchange``), so that ``python -m measures`` and
  the import read it back: a code per question, multiple choice as the chosen codes joined
  (``2;5``), UTF-8, commas.
- ``csv-nl``: what a Dutch Excel user reads, laid out as the Excel file's data sheet: Dutch
  headers ("Koploper", "Meting", "Ingevuld op") and the question text per item, unique; the
  koploper's and wave's names, the questionnaire's audience, the day as 2-3-2019; an answer's
  label instead of its code; multiple choice as a 1/0 column per answer ("question: answer"),
  empty when not asked; a decimal comma; semicolons; UTF-8 with BOM, so Excel reads the accents.

Lines end in CRLF (RFC 4180), so a carriage return inside a text is quoted too. Every text
passes the one spreadsheet rule (``surveys.spreadsheet``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from reports.export_columns import CHOSEN, META_LABELS, analysis_columns
from surveys.export import Export, interchange_cells, is_free_text
from surveys.spreadsheet import formula_safe, printable
from surveys.vocabulary import (
    CHANNEL_LABELS,
    CHANNEL_NAMES,
    OTHER_CHANNEL,
    PANEL_KEY,
    PANEL_KEY_HEADER,
    QUESTIONNAIRES,
    REGISTER_NAMES,
    wave_with_code,
)

LINE_END = "\r\n"
DUTCH_SEPARATOR = ";"
HEADERS = {
    "response_id": "Nummer",
    "koploper": "Koploper",
    "wave": "Meting",
    "questionnaire": "Vragenlijst",
    "questionnaire_version": "Versie van de vragenlijst",
    "submitted_at": "Ingevuld op",
    "channel": "Kanaal",
    "language": "Taal",
    PANEL_KEY: PANEL_KEY_HEADER,
}


def _cells(values: np.ndarray, write: Callable[[object], str]) -> np.ndarray:
    """``write`` applied once per distinct value (the cells of 80,000 rows repeat a lot); an
    empty value is an empty cell."""
    index, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray([*(write(value) for value in uniques), ""], dtype=object)[index]


def _write(path: Path, header: list[str], columns: list[np.ndarray], **dialect) -> None:
    encoding = dialect.pop("encoding", "utf-8")
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=LINE_END, **dialect)
        writer.writerow(header)
        if columns:
            writer.writerows(zip(*columns, strict=True))


def write_csv(export: Export, path: Path) -> None:
    """The interchange format, exactly as ``python -m measures`` and the import read it."""
    columns = [
        _cells(export.meta[name].to_numpy(), formula_safe if name == PANEL_KEY else str)
        for name in export.meta.columns
    ]
    for key, item in export.items.items():
        values = export.values[key]
        if is_free_text(item):
            values = _cells(values, printable)
            values[values == ""] = None
        columns.append(interchange_cells(item, values))
    _write(path, [*export.meta.columns, *export.items], columns)


def _meta_cell(name: str, value: object, koplopers: dict[str, str]) -> str:
    text = str(value)
    if name == "koploper":
        return koplopers.get(text, text)
    if name == "wave":
        return wave_with_code(text)
    if name == "questionnaire":
        return QUESTIONNAIRES.get(text, text)
    if name == "submitted_at":
        year, month, day = text.split("-")
        return f"{int(day)}-{int(month)}-{year}"
    if name == "channel":
        return CHANNEL_NAMES.get(text, CHANNEL_LABELS[OTHER_CHANNEL])
    if name == "language":
        return REGISTER_NAMES.get(text, text)
    return text


def _number(value: float) -> str:
    """A number with a decimal comma; a whole one without decimals."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")


def _unique(headers: list[str], names: list[str]) -> list[str]:
    """Headers as given; one that is already there gets its variable name added."""
    seen: set[str] = set()
    unique = []
    for header, name in zip(headers, names, strict=True):
        if header in seen:
            header = f"{header} ({name})"
        seen.add(header)
        unique.append(header)
    return unique


def write_dutch_csv(export: Export, path: Path) -> None:
    """Write the export for Dutch Excel to ``path`` (see the module doc)."""
    koplopers = export.koploper_names
    names: list[str] = []
    headers: list[str] = []
    columns: list[np.ndarray] = []
    for name, header in HEADERS.items():
        names.append(name)
        headers.append(header)
        columns.append(
            _cells(
                export.meta[name].to_numpy(),
                lambda v, n=name: formula_safe(_meta_cell(n, v, koplopers)),
            )
        )
    for column in analysis_columns(export)[len(META_LABELS) :]:
        names.append(column.name)
        headers.append(column.label)
        if not is_numeric_dtype(column.values.dtype):  # open text, already made safe
            columns.append(_cells(column.values, str))
        elif column.labels and column.labels is not CHOSEN:  # a code with a label
            labels = column.labels
            columns.append(
                _cells(
                    column.values,
                    lambda v, labels=labels: formula_safe(labels.get(int(v), _number(v))),
                )
            )
        else:  # 0/1 per answer of a multiple choice, a grade, a number
            columns.append(_cells(column.values, _number))
    header = [formula_safe(h) for h in _unique(headers, names)]
    _write(path, header, columns, delimiter=DUTCH_SEPARATOR, encoding="utf-8-sig")
