"""The analysis layout of an export (Excel, SPSS, Stata, and the CSV for Dutch Excel).

One numeric column per question with its codes, labelled, and for multiple choice one 0/1 column
per answer (``heard_via_2``: 1 chosen, 0 not, empty when the question was not asked), which every
tool counts without splitting text. Open texts pass the one spreadsheet rule
(``surveys.spreadsheet.formula_safe``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveys.definition import Item
from surveys.export import NUMBER_COLUMN, Export
from surveys.spreadsheet import formula_safe
from surveys.vocabulary import (
    AUDIENCES,
    CHANNEL_CODES,
    PANEL_KEY,
    PANEL_KEY_LABEL,
    REGISTERS,
    wave_title,
)

META_LABELS = {
    "response_id": "Nummer van de ingevulde vragenlijst",
    "koploper": "Koploper",
    "wave": f"Meting (T0 = {wave_title('T0').lower()})",
    "questionnaire": "Vragenlijst ("
    + "; ".join(f"{a.survey}: {a.name.lower()}" for a in AUDIENCES)
    + ")",
    "questionnaire_version": "Versie van de vragenlijst",
    "submitted_at": "Dag van insturen (JJJJ-MM-DD)",
    "channel": f"Kanaal ({', '.join(CHANNEL_CODES)})",
    "language": "Taal ("
    + "; ".join(f"{r.code}: {r.name[:1].lower()}{r.name[1:]}" for r in REGISTERS)
    + ")",
    PANEL_KEY: PANEL_KEY_LABEL,
}
"""The variable labels of the response columns, from the vocabulary's words."""
CHOSEN = {0: "Niet gekozen", 1: "Gekozen"}


@dataclass(frozen=True)
class Column:
    """One variable of the analysis layout."""

    name: str
    label: str
    values: np.ndarray
    """Floats (NaN: empty) for numbers and codes, else texts (None: empty)."""
    labels: dict[int, str]
    missing: tuple[int, ...]
    measure: str
    """SPSS's measure level: nominal, ordinal or scale."""
    short: str = ""
    """The label where only 80 characters fit (Stata): the answer before the question."""


def safe_texts(values: np.ndarray) -> np.ndarray:
    """Texts through the spreadsheet rule, each distinct one once (None stays None)."""
    index, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = [formula_safe(value) for value in uniques]
    return np.asarray([*cleaned, None], dtype=object)[index]


def _measure(item: Item) -> str:
    qtype = item.qtype
    if qtype.quantity:
        return "scale"
    if qtype.scored and qtype.fixed_scale is not None and len(qtype.fixed_scale) > 2:
        return "ordinal"
    return "nominal"


def analysis_columns(export: Export) -> list[Column]:
    """The export in the analysis layout: labelled numeric codes, 0/1 per multiple-choice code."""
    columns = []
    for name, label in META_LABELS.items():
        values = export.meta[name].to_numpy()
        if name in ("response_id", "questionnaire_version"):
            values = values.astype(float)
        elif name == PANEL_KEY:
            values = safe_texts(values)
        columns.append(Column(name, label, values, {}, (), "nominal"))
    for key, item in export.items.items():
        text = item.text["nl"]
        values = export.values[key]
        qtype = item.qtype
        if qtype.multiple:
            for option in item.options:
                chosen = ((values >> option.code) & 1).astype(float)
                chosen[values == 0] = np.nan
                answer = option.label["nl"]
                columns.append(
                    Column(
                        f"{key}_{option.code}",
                        f"{text}: {answer}",
                        chosen,
                        CHOSEN,
                        (),
                        "nominal",
                        f"{answer} ({text})",
                    )
                )
        elif qtype.coded:
            labels = {} if qtype.quantity else {o.code: o.label["nl"] for o in item.options}
            missing = tuple(sorted(item.missing_codes))
            columns.append(Column(key, text, values, labels, missing, _measure(item)))
        elif qtype.column == NUMBER_COLUMN:
            columns.append(Column(key, text, values, {}, (), "scale"))
        else:
            columns.append(Column(key, text, safe_texts(values), {}, (), "nominal"))
    return columns
