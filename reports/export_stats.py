"""SPSS (``.sav``) and Stata (``.dta``) files of an export, written by pyreadstat.

SPSS: question texts as variable labels, answer labels as value labels, 9 "weet niet" as
user-missing, measure levels. Stata: the same labels (variable labels cut to Stata's 80
characters); 9 stays a labelled code. Both from the analysis layout (``reports.export_columns``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from reports.export_columns import Column

STATA_LABEL = 80
SPSS_LABEL = 256


def _readstat_frame(columns: list[Column]):
    """The columns as a polars frame (empty cells null) for pyreadstat: it checks every cell of a
    pandas frame with ``pd.isna``, which makes 80,000 rows take three to four times as long."""
    import polars as pl

    frame = pd.DataFrame({column.name: column.values for column in columns})
    return pl.from_pandas(frame, nan_to_null=True)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _spss_format(column: Column) -> str | None:
    """Whole numbers without decimals (codes, 0/1, ids); other numbers as pyreadstat sets them."""
    values = column.values
    if not is_numeric_dtype(values.dtype):
        return None
    given = values[~np.isnan(values)]
    if given.size and not np.all(given == np.round(given)):
        return None
    width = max(1, len(str(int(np.abs(given).max())))) if given.size else 1
    return f"F{width + 1}.0"


def write_sav(columns: list[Column], path: Path) -> None:
    import pyreadstat  # heavy; only for this format

    frame = _readstat_frame(columns)
    formats = {c.name: _spss_format(c) for c in columns}
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={c.name: _cut(c.label, SPSS_LABEL) for c in columns},
        row_compress=True,  # SPSS's own bytecode compression, as SPSS writes by default
        variable_value_labels={c.name: c.labels for c in columns if c.labels},
        missing_ranges={c.name: list(c.missing) for c in columns if c.missing},
        variable_measure={c.name: c.measure for c in columns},
        variable_format={name: fmt for name, fmt in formats.items() if fmt},
    )


def write_dta(columns: list[Column], path: Path) -> None:
    import pyreadstat

    frame = _readstat_frame(columns)
    pyreadstat.write_dta(
        frame,
        str(path),
        column_labels={c.name: _cut(c.short or c.label, STATA_LABEL) for c in columns},
        variable_value_labels={c.name: c.labels for c in columns if c.labels},
    )
