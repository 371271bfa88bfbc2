"""Export files for analysts: CSV (R and Python, or Dutch Excel), Excel, SPSS and Stata.

:func:`export_file` reads what the viewer may export (``db.export.read_export``), writes one
format, and adds the line in the audit log in the caller's transaction: the caller commits, and
only then is the file put in place (:func:`replacing`), so there is no export without its line and
never a half-written file under the name asked for.

Two layouts:

- **CSV** (``csv``) is the interchange format (``surveys.interchange``), so that
  ``python -m measures`` and the import read it back: a code per question, multiple choice as the
  chosen codes joined (``2;5``), with the codebook (JSON) beside it. ``csv-nl`` is for a Dutch
  Excel user (``db.export_dutch``): Dutch headers, answers as labels, a 0/1 column per answer of a
  multiple choice, semicolons, UTF-8 with BOM, a decimal comma.
- **Excel, SPSS and Stata** (``xlsx``, ``sav``, ``dta``) get one numeric column per question with
  its codes, labelled, and for multiple choice one 0/1 column per answer (``heard_via_2``: 1 chosen,
  0 not, empty when the question was not asked), which every tool counts without splitting text.
  SPSS: question texts as variable labels, answer labels as value labels, 9 "weet niet" as
  user-missing, measure levels. Stata: the same labels (variable labels cut to Stata's 80
  characters); 9 stays a labelled code. Excel: a data sheet, a codebook sheet and the figures of the
  selection, counted by the measures engine with the product's rules (no figure under n = 10).

Every file has ``questionnaire_version`` and the day of submission only; texts that a spreadsheet
would run as a formula get a leading ``'`` (``surveys.interchange.encode_text``) in every format.

``db`` may load ``measures`` here (see ``tests/test_imports.py``): the Excel file's figures are the
engine's, counted from the exported rows.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import Viewer
from db.audit import record
from db.contacts import find_koploper
from db.export import (
    NUMBER_COLUMN,
    EmptyExport,
    Export,
    count_responses,
    interchange_cells,
    is_free_text,
    read_export,
)
from db.export_dutch import write_dutch_csv
from db.models import Wave
from measures.estimates import wave_estimates
from measures.indicators import IndicatorSet, load_indicators
from measures.responses import QuestionnaireResponses
from measures.scoring import score_questionnaire
from measures.suppression import shown_counts
from surveys.codebook import write_codebook
from surveys.definition import Item
from surveys.interchange import encode_text
from surveys.types import DONT_KNOW_CODE, LANGUAGES
from surveys.validation import dutch_number
from surveys.vocabulary import wave_title

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
META_LABELS = {
    "response_id": "Nummer van de ingevulde vragenlijst",
    "koploper": "Koploper",
    "wave": "Meting (T0 = nulmeting)",
    "questionnaire": "Vragenlijst (client: inwoners en cliënten; professional: professionals)",
    "questionnaire_version": "Versie van de vragenlijst",
    "submitted_at": "Dag van insturen (JJJJ-MM-DD)",
    "channel": "Kanaal (web, paper, import, demo)",
    "language": "Taal (nl: standaard B1; nl-eenvoudig: makkelijk lezen)",
}
CHOSEN = {0: "Niet gekozen", 1: "Gekozen"}
STATA_LABEL = 80
SPSS_LABEL = 256
MIN_N_TEXT = "minder dan {n}"
Progress = Callable[[float, str], None]
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class UnknownWave(LookupError):
    """A wave code that no koploper has."""


@dataclass(frozen=True)
class Column:
    """One variable of the analysis layout (Excel, SPSS, Stata)."""

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


@dataclass(frozen=True)
class Written:
    """What an export wrote: how many responses, in which format."""

    format: str
    responses: int
    codebook: bool


def _quiet(_fraction: float, _text: str) -> None:
    """No progress to show."""


def safe_text(value: object) -> object:
    """A text as it may go into a file: defused against formulas, without unprintable controls."""
    if not isinstance(value, str):
        return value
    return encode_text(_UNPRINTABLE.sub("", value))


def _texts(values: np.ndarray) -> np.ndarray:
    index, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = [safe_text(value) for value in uniques]
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
            columns.append(Column(key, text, _texts(values), {}, (), "nominal"))
    return columns


def _frame(columns: list[Column]) -> pd.DataFrame:
    return pd.DataFrame({column.name: column.values for column in columns})


def _readstat_frame(columns: list[Column]):
    """The columns as a polars frame (empty cells null) for pyreadstat: it checks every cell of a
    pandas frame with ``pd.isna``, which makes 80,000 rows take three to four times as long."""
    import polars as pl

    return pl.from_pandas(_frame(columns), nan_to_null=True)


# --- CSV: the interchange format ----------------------------------------------------------------


def _csv_cells(cells: np.ndarray, separator: str) -> np.ndarray:
    """Cells as CSV fields: quoted (doubling quotes) only where needed; each distinct one once."""
    index, uniques = pd.factorize(cells)
    quoted = [
        '"' + text.replace('"', '""') + '"'
        if any(mark in text for mark in (separator, '"', "\n", "\r"))
        else text
        for text in uniques
    ]
    return np.asarray(quoted, dtype=object)[index]


def write_csv(export: Export, path: Path) -> None:
    """The interchange format, exactly as ``python -m measures`` and the import read it."""
    separator = ","
    columns: list[np.ndarray] = []
    for name in export.meta.columns:
        index, uniques = pd.factorize(export.meta[name].to_numpy())
        columns.append(np.asarray([str(v) for v in uniques], dtype=object)[index])
    for key, item in export.items.items():
        cells = interchange_cells(item, export.values[key])
        if is_free_text(item):
            cells = np.asarray([_UNPRINTABLE.sub("", c) for c in cells], dtype=object)
        columns.append(cells)
    header = separator.join([*export.meta.columns, *export.items])
    fields = [_csv_cells(column, separator) for column in columns]
    lines = map(separator.join, zip(*fields, strict=True)) if fields else iter(())
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        handle.write("\n".join(lines))
        if len(export):
            handle.write("\n")


# --- SPSS and Stata -----------------------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _spss_format(column: Column) -> str | None:
    """Whole numbers without decimals (codes, 0/1, ids); other numbers as pyreadstat sets them."""
    values = column.values
    if values.dtype == object:
        return None
    given = values[~np.isnan(values)]
    if given.size and not np.all(given == np.round(given)):
        return None
    width = max(1, len(str(int(np.abs(given).max())))) if given.size else 1
    return f"F{width + 1}.0"


def write_sav(columns: list[Column], path: Path) -> None:
    import pyreadstat  # heavy; only for this format

    frame = _readstat_frame(columns)
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={c.name: _cut(c.label, SPSS_LABEL) for c in columns},
        row_compress=True,  # SPSS's own bytecode compression, as SPSS writes by default
        variable_value_labels={c.name: c.labels for c in columns if c.labels},
        missing_ranges={c.name: list(c.missing) for c in columns if c.missing},
        variable_measure={c.name: c.measure for c in columns},
        variable_format={c.name: _spss_format(c) for c in columns if _spss_format(c)},
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


# --- Excel --------------------------------------------------------------------------------------


def figures(export: Export, indicators: IndicatorSet) -> pd.DataFrame:
    """The engine's estimates per koploper × wave × questionnaire × indicator of the exported
    rows; a figure on fewer than ``min_n`` answers is withheld and its n not shown."""
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


def _data_sheet(columns: list[Column]) -> bytes:
    """The data sheet's XML, built a column at a time (openpyxl needs a minute for 80,000 rows):
    each distinct cell is written once, cells in order (empty ones as ``<c/>``)."""
    cells = []
    for column in columns:
        index, uniques = pd.factorize(column.values, use_na_sentinel=True)
        if column.values.dtype == object:
            written = [
                f'<c t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'
                for v in uniques
            ]
        else:
            written = [
                f"<c><v>{int(v) if float(v).is_integer() else repr(float(v))}</v></c>"
                for v in uniques
            ]
        cells.append(np.asarray([*written, "<c/>"], dtype=object)[index])
    header = "".join(
        f'<c t="inlineStr"><is><t>{escape(column.name)}</t></is></c>' for column in columns
    )
    rows = "</row><row>".join(map("".join, zip(*cells, strict=True)))
    body = f"<row>{header}</row>" + (f"<row>{rows}</row>" if len(columns[0].values) else "")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def write_xlsx(export: Export, columns: list[Column], path: Path, indicators: IndicatorSet) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    data = book.active
    data.title = "Gegevens"
    data["A1"] = "wordt vervangen"  # the real sheet is written below, a column at a time

    def sheet(title: str, header: list[str], rows: list[list[object]], widths: list[int]):
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([safe_text(value) for value in row])
        for number, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + number)].width = width
        ws.freeze_panes = "A2"
        return ws

    sheet(
        "Codeboek",
        [
            "Variabelen",
            "Vraag (sleutel)",
            "Vraagtekst (standaard, B1)",
            "Vraagtekst (makkelijk lezen)",
            "Soort vraag",
            "Codes",
            "Ontbrekend (weet niet)",
            "Versies van de vragenlijst",
        ],
        _codebook_rows(export),
        [28, 20, 60, 60, 18, 60, 20, 24],
    )
    table = figures(export, indicators)
    min_n = indicators.settings.min_n
    rows = []
    for row in table.itertuples(index=False):
        small = bool(np.isnan(shown_counts(row.n, indicators.settings)))
        rows.append(
            [
                row.koploper,
                wave_title(row.wave),
                row.questionnaire,
                row.indicator,
                row.label,
                row.scale,
                MIN_N_TEXT.format(n=min_n) if small else int(row.n),
                None if small or pd.isna(row.estimate) else float(row.estimate),
                None if small or pd.isna(row.ci_low) else float(row.ci_low),
                None if small or pd.isna(row.ci_high) else float(row.ci_high),
                row.flag or "",
                row.reason or "",
            ]
        )
    ws = sheet(
        "Cijfers",
        [
            "Koploper",
            "Meting",
            "Vragenlijst",
            "Indicator",
            "Omschrijving",
            "Schaal",
            "n",
            "Schatting",
            "95%-interval, onder",
            "95%-interval, boven",
            "Vlag",
            "Toelichting",
        ],
        rows,
        [16, 22, 14, 22, 50, 8, 14, 12, 12, 12, 12, 50],
    )
    for number, row in enumerate(rows, start=2):
        share = row[5] == "0-1"
        for letter in "HIJ":
            ws[f"{letter}{number}"].number_format = "0.0%" if share else "0.0"
    sheet(
        "Uitleg",
        ["Uitleg"],
        [
            ["Gegevens: één regel per ingevulde vragenlijst, één kolom per vraag met de codes."],
            [
                "Meerkeuzevragen: één kolom per antwoord (1 = gekozen, 0 = niet gekozen, leeg = "
                "vraag niet gesteld)."
            ],
            [f"Code {DONT_KNOW_CODE} is 'weet niet / niet van toepassing'."],
            ["Een lege cel: de vraag is niet beantwoord of niet gesteld."],
            [
                "Codeboek: elke vraag met de tekst in beide versies, de codes en de versies van de "
                "vragenlijst die haar stellen."
            ],
            [f"Cijfers: schattingen van de koplopermonitor; onder n = {min_n} geen cijfer."],
            ["Tijd van insturen: alleen de dag."],
        ],
        [100],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    sheet_xml = _data_sheet(columns)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml
            target.writestr(entry.filename, content)


# --- one export ---------------------------------------------------------------------------------


def describe_choice(koploper: str | None, wave: str | None, include_demo: bool) -> str:
    """The choice in words, for messages: 'van tilburg, meting T1, zonder demo-antwoorden'."""
    parts = [f"van {koploper}" if koploper else "van alle koplopers die u mag zien"]
    parts.append(f"meting {wave}" if wave else "alle metingen")
    parts.append("met demo-antwoorden" if include_demo else "zonder demo-antwoorden")
    return ", ".join(parts)


def file_name(fmt: str, koploper: str | None, wave: str | None, day: dt.date) -> str:
    """``koplopermonitor-antwoorden-tilburg-T1-2026-11-26.sav``; ``-nl`` for Dutch Excel's CSV."""
    parts = ["koplopermonitor-antwoorden", koploper or "alle", wave or "alle-metingen", str(day)]
    return "-".join(parts) + ("-nl" if fmt == "csv-nl" else "") + f".{EXTENSIONS[fmt]}"


def _empty_message(
    session: Session, viewer: Viewer, koploper: str | None, wave: str | None, include_demo: bool
) -> str:
    """Why there is nothing to export, in Dutch, with what would help."""
    message = f"Er zijn geen antwoorden {describe_choice(koploper, wave, include_demo)}."
    if not include_demo and count_responses(session, viewer, koploper, wave, include_demo=True):
        message += " Er zijn wel demo-antwoorden: kies 'met demo-antwoorden' (--include-demo)."
    return message + " Er is geen bestand gemaakt."


def wave_codes(session: Session) -> list[str]:
    """The codes of the waves any koploper has, in order: T0, T1, T2 (reference data)."""
    return sorted(set(session.scalars(select(Wave.code))), key=lambda c: (len(c), c))


def check_choice(session: Session, koploper: str | None, wave: str | None) -> None:
    """Refuse, in Dutch, a koploper or a wave that does not exist (``UnknownKoploper``,
    :class:`UnknownWave`)."""
    if koploper is not None:
        find_koploper(session, koploper)
    if wave is not None:
        codes = wave_codes(session)
        if wave not in codes:
            raise UnknownWave(f"Meting '{wave}' bestaat niet (wel: {', '.join(codes)}).")


def export_file(
    session: Session,
    viewer: Viewer,
    fmt: str,
    out: Path,
    codebook: Path | None = None,
    *,
    koploper: str | None = None,
    wave: str | None = None,
    include_demo: bool = False,
    how: str = "opdrachtregel",
    progress: Progress = _quiet,
    indicators: IndicatorSet | None = None,
) -> Written:
    """Write the viewer's selection to ``out`` in ``fmt`` (and, for CSV, the codebook to
    ``codebook``) and add the audit line in the caller's transaction (pass a session that has
    done nothing yet: its transaction then holds no lock while the file is made).

    Raises ``AccessDenied`` (scope), ``UnknownKoploper``, :class:`UnknownWave` and
    :class:`~db.export.EmptyExport` (nothing to export: nothing written, nothing logged).
    """
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}' (wel: {', '.join(FORMATS)})")
    # Read and write the file in a reading session of its own: an export can take a minute,
    # and in the caller's transaction SQLite's write lock would be held all that time, so no
    # respondent could send. The caller's transaction begins with the audit line at the end.
    with type(session)(bind=session.bind or session.get_bind()) as reading:
        check_choice(reading, koploper, wave)
        progress(0.05, "Antwoorden lezen")
        export = read_export(reading, viewer, koploper, wave, include_demo)
        if not len(export):
            raise EmptyExport(_empty_message(reading, viewer, koploper, wave, include_demo))
        progress(0.4, "Bestand schrijven")
        if fmt in CSV_FORMATS:
            if fmt == "csv":
                write_csv(export, out)
            else:
                write_dutch_csv(reading, export, out)
            if codebook is not None:
                write_codebook(codebook, export.definitions)
        else:
            columns = analysis_columns(export)
            if fmt == "xlsx":
                progress(0.5, "Gegevens, codeboek en cijfers schrijven")
                write_xlsx(export, columns, out, indicators or load_indicators())
            elif fmt == "sav":
                write_sav(columns, out)
            else:
                write_dta(columns, out)
    progress(0.95, "Vastleggen in het logboek")
    record(
        session,
        viewer,
        "export",
        koploper=koploper,
        detail=f"{fmt} ({how}), {dutch_number(len(export))} antwoorden, "
        + describe_choice(None, wave, include_demo).split(", ", 1)[1],
    )
    progress(1.0, "Klaar")
    return Written(fmt, len(export), fmt in CSV_FORMATS and codebook is not None)


@contextmanager
def replacing(*targets: Path) -> Iterator[list[Path]]:
    """Temporary files beside ``targets``; moved onto them when the block ends without error,
    else removed. So a target is either the whole new file or untouched, never half-written."""
    temporary = [
        target.with_name(f".{target.name}.{secrets.token_hex(4)}.deel") for target in targets
    ]
    try:
        yield temporary
    except BaseException:
        for path in temporary:
            path.unlink(missing_ok=True)
        raise
    for path, target in zip(temporary, targets, strict=True):
        if path.exists():
            os.replace(path, target)
