"""The export writers on an Export made by hand: no database, each file read back."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd

from reports.export_columns import Column
from reports.export_csv import write_csv, write_dutch_csv
from reports.export_excel import data_cells
from reports.export_files import write_file
from surveys.definition import load_builtin
from surveys.export import Export
from surveys.interchange import META_COLUMNS

TEXTS = ["\x01=1+1", 'zei "ja",\r\nen ging', None]


def made() -> Export:
    items = {item.key: item for item in load_builtin("client").items}
    meta = pd.DataFrame(
        {
            "response_id": np.array([1, 2, 3], dtype=np.int64),
            "koploper": np.array(["tilburg"] * 3, dtype=object),
            "wave": np.array(["T0"] * 3, dtype=object),
            "questionnaire": np.array(["client"] * 3, dtype=object),
            "questionnaire_version": np.array([1, 1, 1], dtype=np.int64),
            "submitted_at": np.array(["2019-03-02"] * 3, dtype=object),
            "channel": np.array(["web"] * 3, dtype=object),
            "language": np.array(["nl"] * 3, dtype=object),
        },
        columns=list(META_COLUMNS),
    )
    values = {}
    for key, item in items.items():
        if item.qtype.multiple:
            values[key] = np.zeros(3, dtype=np.int64)
        elif item.qtype.column == "text":
            values[key] = np.full(3, None, dtype=object)
        else:
            values[key] = np.full(3, np.nan)
    values["aware_oco"][:2] = [1, 0]
    values["heard_via"][0] = (1 << 2) | (1 << 5)
    values["comments"][:] = TEXTS
    return Export(meta, items, values, {}, [], {"tilburg": "Tilburg"})


def test_the_csv_quotes_line_breaks_and_never_holds_a_live_formula(tmp_path):
    write_csv(made(), tmp_path / "a.csv")
    raw = (tmp_path / "a.csv").read_bytes()
    assert b"\x01" not in raw and raw.count(b"\r\n") == 5  # header, 3 rows, 1 inside a quote
    frame = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert list(frame["comments"]) == ["'=1+1", 'zei "ja",\r\nen ging', ""]
    assert list(frame["heard_via"]) == ["2;5", "", ""]


def test_the_dutch_csv_has_names_labels_and_safe_texts(tmp_path):
    write_dutch_csv(made(), tmp_path / "nl.csv")
    frame = pd.read_csv(tmp_path / "nl.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert list(frame["Koploper"]) == ["Tilburg"] * 3
    comments = next(c for c in frame.columns if frame[c].iloc[0] == "'=1+1")
    assert frame[comments].iloc[1] == 'zei "ja",\r\nen ging'


def test_the_excel_file_writes_only_given_cells_and_safe_texts(tmp_path):
    write_file(made(), "xlsx", tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Gegevens"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 4 and header[0] == "response_id"
    comments = rows[1][header.index("comments")]
    assert comments == "'=1+1"
    assert [row[header.index("heard_via_2")] for row in rows[1:]] == [1, None, None]
    assert [row[header.index("aware_oco")] for row in rows[1:]] == [1, 0, None]


def test_texts_in_a_pandas_string_column_are_made_safe_too():
    """pandas 3 holds texts in its own string dtype, not as objects: a text is a text by not
    being a number, whatever its dtype."""
    texts = pd.array(["=1+1", None, "-5"], dtype="string")
    column = Column("comments", "Opmerkingen", texts, {}, (), "nominal")
    assert data_cells(column) == ["'=1+1", None, "'-5"]


def test_an_empty_text_on_the_small_sheets_is_an_empty_cell(tmp_path):
    write_file(made(), "xlsx", tmp_path / "a.xlsx")
    codebook = list(openpyxl.load_workbook(tmp_path / "a.xlsx")["Codeboek"].values)
    assert codebook[1][:5] == (
        "response_id",
        "response_id",
        "Nummer van de ingevulde vragenlijst",
        None,
        "gegevens van het antwoord",
    )


def test_the_benchmarked_ways_write_the_products_data_sheet(tmp_path):
    """``bench/xlsx_writers.py`` compares ways of writing the data sheet; the constant-memory
    ones must write exactly the sheet ``write_xlsx`` writes, or its figures compare nothing."""
    import zipfile

    import xlsxwriter

    from bench import xlsx_writers
    from reports.export_columns import analysis_columns
    from reports.export_excel import OPTIONS

    export = made()
    write_file(export, "xlsx", tmp_path / "product.xlsx")
    with zipfile.ZipFile(tmp_path / "product.xlsx") as book:
        product = book.read(xlsx_writers.SHEET)
    columns = analysis_columns(export)
    for name, (write, constant) in xlsx_writers.VARIANTS.items():
        if not constant:
            continue
        out = tmp_path / f"{write.__name__}.xlsx"
        with xlsxwriter.Workbook(str(out), OPTIONS) as book:
            write(book.add_worksheet("Gegevens"), columns, book.add_format({"bold": True}))
        with zipfile.ZipFile(out) as book:
            assert book.read(xlsx_writers.SHEET) == product, name
