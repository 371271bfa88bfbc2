"""The Excel export, written by rust_xlsxwriter (compiled, through the ``rvgsrust_xlsxwriter``
binding); the data sheet in constant-memory mode, straight from a polars frame's Arrow buffers
(each row goes to disk as soon as the next one starts: 80,000 responses never sit in memory as
cells). XlsxWriter, pure Python, took six times the CPU for the same cells (12.8 s against 2.1 s
for 80,171 responses, ``bench/xlsx_writers.py``).

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
import polars as pl
import rvgsrust_xlsxwriter
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


MAX_TEXT = 32_767
"""The most characters a cell holds (Excel's limit; a longer text is cut, as XlsxWriter did)."""
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


def cell_text(value: object) -> str:
    """A text as a cell holds it: the one spreadsheet rule, and no more than ``MAX_TEXT``."""
    return str(formula_safe(str(value)))[:MAX_TEXT]


def data_frame(columns: list[Column]) -> pl.DataFrame:
    """The data sheet's cells as a polars frame, a column per variable: numbers as Float64, texts
    as String (each distinct text made safe once), null for an empty cell (an empty text too)."""
    frame = {}
    for column in columns:
        if not is_numeric_dtype(column.values.dtype):
            index, uniques = pd.factorize(column.values, use_na_sentinel=True)
            written = [cell_text(value) or None for value in uniques]
            texts = pl.Series(column.name, [*written, None], dtype=pl.String)
            frame[column.name] = texts.gather(np.where(index < 0, len(written), index))
        else:
            values = column.values.astype(np.float64)
            frame[column.name] = pl.Series(column.name, values, nan_to_null=True)
    return pl.DataFrame(frame)


def write_data(book, columns: list[Column], bold) -> None:
    """The data sheet in constant memory, written by rust_xlsxwriter from the frame's Arrow
    buffers (no Python object per cell); a null is no cell at all. The header is bold, frozen."""
    sheet = book.add_worksheet("Gegevens", constant_memory=True)
    sheet.freeze_panes(1, 0)
    sheet.write_dataframe(0, 0, data_frame(columns), header_format=bold)


def _write_table(
    sheet, header: list[str], rows: list[list[object]], widths: list[int], bold, formats=None
) -> None:
    """A small sheet: a bold header, frozen, and its rows, every text made safe."""
    sheet.freeze_panes(1, 0)
    for number, width in enumerate(widths):
        sheet.set_column_width(number, width)
    for number, name in enumerate(header):
        sheet.write(0, number, cell_text(name), bold)
    for line, row in enumerate(rows, start=1):
        for number, value in enumerate(row):
            fmt = formats(row, number) if formats else None
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                continue  # an empty cell, not a cell holding an empty text
            if isinstance(value, str):
                sheet.write(line, number, cell_text(value), fmt)
            else:
                sheet.write(line, number, value, fmt)


def write_xlsx(export: Export, columns: list[Column], path: Path, indicators: IndicatorSet) -> None:
    """Write the Excel export to ``path`` (see the module doc)."""
    min_n = indicators.settings.min_n
    table = figures(export, indicators)
    book = rvgsrust_xlsxwriter.Workbook(str(path))
    bold = book.add_format().set_bold()
    share = book.add_format().set_num_format("0.0%")
    plain = book.add_format().set_num_format("0.0")
    write_data(book, columns, bold)
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
    book.close()  # the file is written here, whole


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
