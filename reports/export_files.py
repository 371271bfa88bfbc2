"""The export formats for analysts, and one file of an export in the format asked for.

``csv`` and ``csv-nl`` (``reports.export_csv``) with the codebook (JSON, ``surveys.codebook``)
beside them; ``xlsx`` (``reports.export_excel``), ``sav`` and ``dta`` (``reports.export_stats``)
in the analysis layout (``reports.export_columns``). Bytes to a path; what may be exported is
decided where it is read (``db.export``), the audit line and the file's name by
``views.export``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from measures.indicators import IndicatorSet, load_indicators
from reports.export_columns import analysis_columns
from reports.export_csv import write_csv, write_dutch_csv
from reports.export_excel import write_xlsx
from reports.export_stats import write_dta, write_sav
from surveys.codebook import write_codebook
from surveys.export import Export

FORMATS: dict[str, str] = {
    "csv": "CSV voor R en Python (komma's, UTF-8)",
    "csv-nl": "CSV voor Nederlandse Excel (kolomnamen en antwoorden in het Nederlands)",
    "xlsx": "Excel (gegevens, codeboek en cijfers)",
    "sav": "SPSS (.sav, met labels)",
    "dta": "Stata (.dta, met labels)",
}
EXTENSIONS = {"csv": "csv", "csv-nl": "csv", "xlsx": "xlsx", "sav": "sav", "dta": "dta"}
MEDIA_TYPES = {
    "csv": "text/csv",
    "csv-nl": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}
CSV_FORMATS = frozenset({"csv", "csv-nl"})
Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _text: str) -> None:
    """No progress to show."""


def file_name(fmt: str, koploper: str | None, wave: str | None, day: dt.date) -> str:
    """``koplopermonitor-antwoorden-tilburg-T1-2026-11-26.sav``; ``-nl`` for Dutch Excel's CSV."""
    parts = ["koplopermonitor-antwoorden", koploper or "alle", wave or "alle-metingen", str(day)]
    return "-".join(parts) + ("-nl" if fmt == "csv-nl" else "") + f".{EXTENSIONS[fmt]}"


def write_file(
    export: Export,
    fmt: str,
    out: Path,
    codebook: Path | None = None,
    *,
    indicators: IndicatorSet | None = None,
    progress: Progress = _quiet,
) -> bool:
    """Write ``export`` to ``out`` in ``fmt`` and, for CSV, the codebook to ``codebook``;
    returns whether a codebook was written."""
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}' (wel: {', '.join(FORMATS)})")
    if fmt in CSV_FORMATS:
        (write_csv if fmt == "csv" else write_dutch_csv)(export, out)
        if codebook is not None:
            write_codebook(codebook, export.definitions)
        return codebook is not None
    columns = analysis_columns(export)
    if fmt == "xlsx":
        progress(0.5, "Gegevens, codeboek en cijfers schrijven")
        write_xlsx(export, columns, out, indicators or load_indicators())
    elif fmt == "sav":
        write_sav(columns, out)
    else:
        write_dta(columns, out)
    return False
