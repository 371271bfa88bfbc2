"""The Excel export, written by XlsxWriter in constant-memory mode (each row goes to disk as soon
as the next one starts: 80,000 responses never sit in memory as cells).

Sheets: *Gegevens* (the analysis layout of ``reports.export_columns``: one row per response, a
numeric column per question, 0/1 per answer of a multiple choice), *Codeboek* (every item: key,
question text in both registers, type, codes with labels, "weet niet", the versions that ask it),
*Cijfers* (the measures engine's estimates of the exported rows per koploper × wave ×
questionnaire × indicator; under n = ``min_n`` no figure and "minder dan 10" for n), *Uitleg*.
Every text passes the one spreadsheet rule (``surveys.spreadsheet.formula_safe``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from pandas.api.types import is_numeric_dtype

from measures.estimates import wave_estimates
from measures.indicators import IndicatorSet, Settings
from measures.responses import QuestionnaireResponses
from measures.scoring import score_questionnaire
from measures.suppression import shown_counts
from reports.export_columns import META_LABELS, Column
from surveys.export import Export
from surveys.spreadsheet import formula_safe
from surveys.types import DONT_KNOW_CODE
from surveys.vocabulary import LANGUAGES, REGISTERS, fewer_than, wave_title

CODEBOOK_HEADER = [
    "Variabelen",
    "Vraag (sleutel)",
    *(f"Vraagtekst, {r.name[:1].lower()}{r.name[1:]}" for r in REGISTERS),
    "Soort vraag",
    "Codes",
    "Ontbrekend (weet niet)",
    "Versies van de vragenlijst",
]


def figures_header(settings: Settings) -> list[str]:
    """The figures sheet's headers; the intervals named with their level as set."""
    return [
        "Koploper",
        "Meting",
        "Vragenlijst",
        "Indicator",
        "Omschrijving",
        "Schaal",
        "n",
        "Schatting",
        f"{settings.interval}, onder",
        f"{settings.interval}, boven",
        "Vlag",
        "Toelichting",
    ]


OPTIONS = {
    "constant_memory": True,
    # Texts stay texts: never turned into formulas, links or numbers.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""XlsxWriter's workbook options for the export."""
ESTIMATE_COLUMNS = (7, 8, 9)
"""The columns (H, I, J) of the estimate and its interval on the figures sheet."""


def figures(export: Export, indicators: IndicatorSet) -> pd.DataFrame:
    """The engine's estimates per koploper × wave × questionnaire × indicator of the exported
    rows, as ``measures.estimates.wave_estimates`` gives them, with each indicator's label."""
    parts = []
    questionnaires = export.meta["questionnaire"].to_numpy()
    for key, spec in indicators.questionnaires.items():
        rows = np.flatnonzero(questionnaires == key)
        if rows.size == 0:
            continue
        meta = export.meta.iloc[rows][["response_id", "koploper", "wave"]].reset_index(drop=True)
        codes = pd.DataFrame(
            {
                item.key: export.values[item.key][rows]
                for item in spec.definition.items
                if item.qtype.coded and item.key in export.values
            }
        )
        scored = score_questionnaire(
            QuestionnaireResponses(key, meta.assign(panel_id="", line=0), codes), spec
        )
        table = wave_estimates(scored, indicators.settings, hide_counts=True)
        table.insert(4, "label", [spec.label(name) for name in table["indicator"]])
        parts.append(table)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def _codebook_rows(export: Export) -> list[list[object]]:
    """A row per column of the response and per item: variables, key, texts, type, codes."""
    rows: list[list[object]] = [
        [name, name, label, "", "gegevens van het antwoord", "", "", "alle"]
        for name, label in META_LABELS.items()
    ]
    for key, item in export.items.items():
        codes = "; ".join(f"{o.code} = {o.label['nl']}" for o in item.options)
        if item.qtype.multiple:
            codes = f"per antwoord een kolom, 1 = gekozen, 0 = niet gekozen: {codes}"
        variables = (
            ", ".join(f"{key}_{o.code}" for o in item.options) if item.qtype.multiple else key
        )
        rows.append(
            [
                variables,
                key,
                item.text[LANGUAGES[0]],
                item.text[LANGUAGES[1]],
                item.qtype.label,
                codes,
                f"{DONT_KNOW_CODE} = weet niet" if item.missing_codes else "",
                ", ".join(f"{q} {v}" for q, v in export.versions.get(key, [])),
            ]
        )
    return rows


def _figure_rows(table: pd.DataFrame, settings: Settings) -> list[list[object]]:
    """The figures sheet's rows: under ``min_n`` neither the estimate nor the n (the published
    rule, ``measures.suppression.shown_counts``)."""

    def shown(value: object, small: bool) -> float | None:
        return None if small or pd.isna(value) else float(value)

    rows = []
    for row in table.itertuples(index=False):
        small = bool(np.isnan(shown_counts(row.n, settings)))
        rows.append(
            [
                row.koploper,
                wave_title(row.wave),
                row.questionnaire,
                row.indicator,
                row.label,
                row.scale,
                fewer_than(settings.min_n) if small else int(row.n),
                shown(row.estimate, small),
                shown(row.ci_low, small),
                shown(row.ci_high, small),
                row.flag or "",
                row.reason or "",
            ]
        )
    return rows


def data_cells(column: Column) -> list[object]:
    """A column's cells as Python values (None: empty), each distinct one converted once."""
    index, uniques = pd.factorize(column.values, use_na_sentinel=True)
    if not is_numeric_dtype(column.values.dtype):
        written = [formula_safe(str(value)) for value in uniques]
    else:
        written = [int(v) if float(v).is_integer() else float(v) for v in uniques]
    return np.asarray([*written, None], dtype=object)[index].tolist()


def _write_data(sheet, columns: list[Column], bold) -> None:
    """The data sheet a row at a time (constant memory: rows strictly in order); an empty cell
    (None) is not written at all. ``write_row`` is as fast as every other public way to write
    these cells (``bench/xlsx_writers.py``): nearly all the time is XlsxWriter's own per cell."""
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [column.name for column in columns], bold)
    cells = [data_cells(column) for column in columns]
    for line, row in enumerate(zip(*cells, strict=True), start=1):
        sheet.write_row(line, 0, row)


def _write_table(
    sheet, header: list[str], rows: list[list[object]], widths: list[int], bold, formats=None
) -> None:
    """A small sheet: a bold header, frozen, and its rows, every text made safe."""
    sheet.freeze_panes(1, 0)
    for number, width in enumerate(widths):
        sheet.set_column(number, number, width)
    sheet.write_row(0, 0, header, bold)
    for line, row in enumerate(rows, start=1):
        for number, value in enumerate(row):
            fmt = formats(row, number) if formats else None
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                continue  # an empty cell, not a cell holding an empty text
            if isinstance(value, str):
                sheet.write_string(line, number, formula_safe(value), fmt)
            else:
                sheet.write_number(line, number, value, fmt)


def write_xlsx(export: Export, columns: list[Column], path: Path, indicators: IndicatorSet) -> None:
    """Write the Excel export to ``path`` (see the module doc)."""
    min_n = indicators.settings.min_n
    table = figures(export, indicators)
    with xlsxwriter.Workbook(str(path), OPTIONS) as book:
        bold = book.add_format({"bold": True})
        share = book.add_format({"num_format": "0.0%"})
        plain = book.add_format({"num_format": "0.0"})
        _write_data(book.add_worksheet("Gegevens"), columns, bold)
        _write_table(
            book.add_worksheet("Codeboek"),
            CODEBOOK_HEADER,
            _codebook_rows(export),
            [28, 20, 60, 60, 18, 60, 20, 24],
            bold,
        )
        _write_table(
            book.add_worksheet("Cijfers"),
            figures_header(indicators.settings),
            _figure_rows(table, indicators.settings) if len(table) else [],
            [16, 22, 14, 22, 50, 8, 14, 12, 12, 12, 12, 50],
            bold,
            lambda row, number: (
                (share if row[5] == "0-1" else plain) if number in ESTIMATE_COLUMNS else None
            ),
        )
        _write_table(
            book.add_worksheet("Uitleg"),
            ["Uitleg"],
            [[line] for line in _explanation(min_n)],
            [100],
            bold,
        )


def _explanation(min_n: int) -> list[str]:
    return [
        "Gegevens: één regel per ingevulde vragenlijst, één kolom per vraag met de codes.",
        "Meerkeuzevragen: één kolom per antwoord (1 = gekozen, 0 = niet gekozen, leeg = "
        "vraag niet gesteld).",
        f"Code {DONT_KNOW_CODE} is 'weet niet / niet van toepassing'.",
        "Een lege cel: de vraag is niet beantwoord of niet gesteld.",
        "Codeboek: elke vraag met de tekst in beide versies, de codes en de versies van de "
        "vragenlijst die haar stellen.",
        f"Cijfers: schattingen van de koplopermonitor; onder n = {min_n} geen cijfer.",
        "Tijd van insturen: alleen de dag.",
    ]
