"""The CSV for Dutch Excel (``csv-nl``): what a spreadsheet user reads, not what a script reads.

The plain ``csv`` stays the interchange format (codes, ``2;5`` for multiple choice) that
``python -m measures`` and the import read back. This one is the same responses laid out as the
Excel file's data sheet, in Dutch words:

- headers in Dutch ("Koploper", "Meting", "Ingevuld op"), the question text per item, unique;
- the koploper's name, the wave's name, the questionnaire's audience, the day as 2-3-2019;
- an answer's label instead of its code ("Helemaal mee eens", "Weet niet / n.v.t.");
- multiple choice as one column per answer ("question: answer") with 1 (chosen) or 0, empty when
  the question was not asked, as in the Excel file;
- numbers with a decimal comma; semicolons; UTF-8 with BOM, so Excel reads the accents.

Every text (answers, labels, headers) is defused against formulas (``safe_text``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.export import Export
from db.models import Koploper
from surveys.vocabulary import CHANNEL_LABELS, LANGUAGE_LABELS, wave_title
from surveys.vocabulary import CHANNEL_NUMBERS as CHANNELS
from surveys.vocabulary import LANGUAGE_NUMBERS as LANGUAGES

SEPARATOR = ";"
AUDIENCES = {"client": "Inwoners en cliënten", "professional": "Professionals"}
HEADERS = {
    "response_id": "Nummer",
    "koploper": "Koploper",
    "wave": "Meting",
    "questionnaire": "Vragenlijst",
    "questionnaire_version": "Versie van de vragenlijst",
    "submitted_at": "Ingevuld op",
    "channel": "Kanaal",
    "language": "Taal",
}


def _meta_cell(name: str, value: object, koplopers: dict[str, str]) -> str:
    text = str(value)
    if name == "koploper":
        return koplopers.get(text, text)
    if name == "wave":
        return f"{wave_title(text)} ({text})"
    if name == "questionnaire":
        return AUDIENCES.get(text, text)
    if name == "submitted_at":
        year, month, day = text.split("-")
        return f"{int(day)}-{int(month)}-{year}"
    if name == "channel":
        return CHANNEL_LABELS.get(CHANNELS.get(text, 0), text)
    if name == "language":
        return LANGUAGE_LABELS.get(LANGUAGES.get(text, 0), text)
    return text


def _number(value: float) -> str:
    if np.isnan(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", ",")


def _cells(values: np.ndarray, write) -> np.ndarray:
    """``write`` applied once per distinct value (the cells of 80,000 rows repeat a lot)."""
    index, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray([*(write(value) for value in uniques), ""], dtype=object)[index]


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


def write_dutch_csv(session: Session, export: Export, path: Path) -> None:
    """Write the export for Dutch Excel to ``path`` (see the module doc)."""
    from db.export_files import CHOSEN, META_LABELS, _csv_cells, analysis_columns, safe_text

    koplopers = dict(session.execute(select(Koploper.slug, Koploper.name)).tuples().all())
    names: list[str] = []
    headers: list[str] = []
    columns: list[np.ndarray] = []
    for name, header in HEADERS.items():
        values = export.meta[name].to_numpy()
        names.append(name)
        headers.append(header)
        columns.append(_cells(values, lambda v, n=name: safe_text(_meta_cell(n, v, koplopers))))
    for column in analysis_columns(export)[len(META_LABELS) :]:
        names.append(column.name)
        headers.append(column.label)
        if column.values.dtype == object:  # open text, already made safe
            columns.append(_cells(column.values, str))
        elif column.labels and column.labels is not CHOSEN:  # a code with a label
            labels = column.labels
            columns.append(
                _cells(
                    column.values,
                    lambda v, labels=labels: safe_text(labels.get(int(v), _number(v))),
                )
            )
        else:  # 0/1 per answer of a multiple choice, a grade, a number
            columns.append(_cells(column.values, _number))
    header = SEPARATOR.join(
        _csv_cells(np.asarray([safe_text(h) for h in _unique(headers, names)], dtype=object), ";")
    )
    fields = [_csv_cells(column, SEPARATOR) for column in columns]
    lines = map(SEPARATOR.join, zip(*fields, strict=True)) if fields else iter(())
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(header + "\n")
        handle.write("\n".join(lines))
        if len(export):
            handle.write("\n")
