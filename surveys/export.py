"""One export of responses as plain data: what ``db.export`` reads and ``reports`` writes.

Here, not in ``db``, so that the writers (``reports.export_*``) need no database to write it.
One row per response in :attr:`Export.meta` (``surveys.interchange.META_COLUMNS``: the day of
submission only) and, per item, one array on those rows: a code (float, NaN when not answered), a
bit mask of the chosen codes for multiple choice (bit ``code``, 0 when not answered, as the
measures engine keeps them), a number (float) or a text (None when not answered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveys.definition import Item

FREE_TEXT_COLUMN = "text"
"""The storage column of open-text answers (``surveys.types``: the ``text`` question type)."""
NUMBER_COLUMN = "number"
"""The storage column of numbers (a storage column, not a question type)."""


def is_free_text(item: Item) -> bool:
    """An open question: the respondent typed the answer, so it may hold anything personal."""
    return item.qtype.column == FREE_TEXT_COLUMN


@dataclass(frozen=True)
class Export:
    """The rows of one export and, per item, its values on those rows (see the module doc)."""

    meta: pd.DataFrame
    items: dict[str, Item]
    values: dict[str, np.ndarray]
    versions: dict[str, list[tuple[str, int]]]
    """Per item key, the questionnaire versions (key, number) that hold it."""
    definitions: list[tuple[str, int, dict[str, Any]]]
    """(key, version, stored definition) of every questionnaire version the rows name."""
    koploper_names: dict[str, str] = field(default_factory=dict)
    """Koploper slug → name (``Tilburg``), for the files in Dutch words."""

    def __len__(self) -> int:
        return len(self.meta)


def interchange_cells(item: Item, values: np.ndarray) -> np.ndarray:
    """One item's values as interchange texts ('' when not answered); each distinct one once."""
    qtype = item.qtype
    if qtype.multiple:
        index, uniques = pd.factorize(values)
        texts = [
            "" if mask == 0 else qtype.encode([c for c in range(64) if int(mask) >> c & 1])
            for mask in uniques
        ]
    else:
        index, uniques = pd.factorize(values, use_na_sentinel=True)
        texts = [qtype.encode(qtype.load([value])) for value in uniques]
    return np.asarray([*texts, ""], dtype=object)[index]


def interchange(export: Export) -> pd.DataFrame:
    """The export in the wide interchange format, every item a column of texts (None: empty)."""
    frame = export.meta.copy()
    for key, item in export.items.items():
        cells = interchange_cells(item, export.values[key])
        frame[key] = np.where(cells == "", None, cells)
    return frame
