"""The export writers on an Export made by hand: no database, each file read back."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd

from reports.export_columns import Column
from reports.export_csv import write_csv, write_dutch_csv
from reports.export_excel import data_frame
from reports.export_files import write_file
from surveys.definition import load_builtin
from surveys.export import Export
from surveys.interchange import META_COLUMNS
from surveys.vocabulary import PANEL_KEY, PANEL_KEY_HEADER, PANEL_KEY_LABEL

TEXTS = ["\x01=1+1", 'zei "ja",\r\nen ging', None]
PANEL = "P4WX7K2M9QDR"
"""A panel key: the first response's; the second has none, the third one that looks like a formula
(never made so, but the spreadsheet rule holds for every text)."""


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
            PANEL_KEY: np.array([PANEL, None, "=2+2"], dtype=object),
        },
        columns=[*META_COLUMNS, PANEL_KEY],
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
    assert data_frame([column])["comments"].to_list() == ["'=1+1", None, "'-5"]


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


def test_the_excel_file_has_a_bold_frozen_header_and_numbers_as_numbers(tmp_path):
    write_file(made(), "xlsx", tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["Gegevens", "Codeboek", "Cijfers", "Uitleg"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.b and not sheet["A2"].font.b, sheet.title
    data = book["Gegevens"]
    header = [cell.value for cell in data[1]]
    row = {name: cell for name, cell in zip(header, data[2], strict=True)}
    assert row["response_id"].data_type == "n" and row["response_id"].value == 1
    assert row["submitted_at"].data_type == "s" and row["submitted_at"].value == "2019-03-02"
    assert row["aware_oco"].data_type == "n" and row["comments"].data_type == "s"
    assert book["Codeboek"].column_dimensions["C"].width > 60  # 60 characters and the padding


def test_the_figures_sheet_shows_shares_in_percent_and_other_estimates_with_one_decimal(
    tmp_path,
):
    import rvgsrust_xlsxwriter

    from measures.indicators import load_indicators
    from reports.export_excel import ESTIMATE_COLUMNS, _write_table, figures_header

    header = figures_header(load_indicators().settings)

    rows = [
        ["tilburg", "Nulmeting", "client", "aware", "Bekend", "0-1", 120, 0.4, 0.3, 0.5, "", ""],
        ["tilburg", "Nulmeting", "client", "grade", "Cijfer", "1-10", 118, 7.25, 7, 7.5, "", ""],
        ["breda", "Nulmeting", "client", "grade", "Cijfer", "1-10", "minder dan 10"]
        + [None] * 3
        + ["", "=n te klein"],
    ]
    book = rvgsrust_xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    share = book.add_format().set_num_format("0.0%")
    plain = book.add_format().set_num_format("0.0")
    _write_table(
        book.add_worksheet("Cijfers"),
        header,
        rows,
        [16] * len(header),
        book.add_format().set_bold(),
        lambda row, number: (
            (share if row[5] == "0-1" else plain) if number in ESTIMATE_COLUMNS else None
        ),
    )
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["Cijfers"]
    assert [sheet.cell(2, c + 1).number_format for c in ESTIMATE_COLUMNS] == ["0.0%"] * 3
    assert [sheet.cell(3, c + 1).number_format for c in ESTIMATE_COLUMNS] == ["0.0"] * 3
    assert sheet["H2"].value == 0.4 and sheet["G3"].value == 118 and sheet["G3"].data_type == "n"
    assert sheet["G4"].value == "minder dan 10" and sheet["H4"].value is None
    assert sheet["K4"].value is None  # an empty text: no cell
    assert sheet["L4"].value == "'=n te klein"  # a text, defused, never a formula


def test_a_text_longer_than_a_cell_holds_is_cut_not_refused():
    from reports.export_columns import Column
    from reports.export_excel import MAX_TEXT, data_frame

    texts = np.array(["x" * 40_000, "", None, "=1"], dtype=object)
    frame = data_frame([Column("comments", "", texts, {}, (), "nominal")])
    assert frame["comments"].to_list() == ["x" * MAX_TEXT, None, None, "'=1"]


def test_the_benchmarked_ways_write_the_products_data_sheet(tmp_path):
    """``bench/xlsx_writers.py`` compares ways of writing the data sheet; each must write the
    cells ``write_xlsx`` writes (value and type), or its figures compare nothing; the
    constant-memory XlsxWriter ones write the very same sheet XML."""
    import zipfile

    import xlsxwriter

    from bench import xlsx_writers
    from reports.export_columns import analysis_columns

    export = made()
    write_file(export, "xlsx", tmp_path / "product.xlsx")
    product = xlsx_writers.sheet_cells(tmp_path / "product.xlsx")
    assert product["A1"][0] == "response_id" and len(product) > 3 * 8
    columns = analysis_columns(export)
    xml = set()
    for number, (name, (write, constant)) in enumerate(xlsx_writers.VARIANTS.items()):
        if name.startswith("polars"):
            continue  # a table with formats of its own: not the same file (timed only)
        out = tmp_path / f"{number}.xlsx"
        if constant is None:
            write(out, columns)
        else:
            options = {**xlsx_writers.OPTIONS, "constant_memory": constant}
            with xlsxwriter.Workbook(str(out), options) as book:
                write(book.add_worksheet("Gegevens"), columns, book.add_format({"bold": True}))
        cells = xlsx_writers.sheet_cells(out)
        assert {r: v for r, (v, _) in cells.items()} == {r: v for r, (v, _) in product.items()}
        if constant:
            with zipfile.ZipFile(out) as book:
                xml.add(book.read(xlsx_writers.SHEET))
    assert len(xml) == 1


def test_every_format_carries_the_panel_key_empty_without_a_panel(tmp_path):
    import json

    import pyreadstat

    export = made()
    write_file(export, "csv", tmp_path / "a.csv", tmp_path / "a.codebook.json")
    plain = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert list(plain[PANEL_KEY]) == [PANEL, "", "'=2+2"]
    book = json.loads((tmp_path / "a.codebook.json").read_text(encoding="utf-8"))
    assert book["columns"] == {PANEL_KEY: PANEL_KEY_LABEL}
    write_file(export, "csv-nl", tmp_path / "nl.csv")
    dutch = pd.read_csv(
        tmp_path / "nl.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert list(dutch[PANEL_KEY_HEADER]) == [PANEL, "", "'=2+2"]
    write_file(export, "xlsx", tmp_path / "a.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "a.xlsx")
    rows = list(workbook["Gegevens"].iter_rows(values_only=True))
    assert [row[rows[0].index(PANEL_KEY)] for row in rows[1:]] == [PANEL, None, "'=2+2"]
    codebook = [row[:3] for row in workbook["Codeboek"].values]
    assert (PANEL_KEY, PANEL_KEY, PANEL_KEY_LABEL) in codebook
    for fmt, read in (("sav", pyreadstat.read_sav), ("dta", pyreadstat.read_dta)):
        write_file(export, fmt, tmp_path / f"a.{fmt}")
        frame, meta = read(str(tmp_path / f"a.{fmt}"))
        assert list(frame[PANEL_KEY]) == [PANEL, "", "'=2+2"], fmt
        assert meta.column_names_to_labels[PANEL_KEY] == PANEL_KEY_LABEL, fmt


def test_an_export_without_any_panel_key_writes_an_empty_column(tmp_path):
    import pyreadstat

    export = made()
    export.meta[PANEL_KEY] = np.full(3, None, dtype=object)
    for fmt, read in (("sav", pyreadstat.read_sav), ("dta", pyreadstat.read_dta)):
        write_file(export, fmt, tmp_path / f"a.{fmt}")
        frame, _ = read(str(tmp_path / f"a.{fmt}"))
        assert list(frame[PANEL_KEY]) == ["", "", ""], fmt
    write_file(export, "csv", tmp_path / "a.csv")
    plain = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert list(plain[PANEL_KEY]) == ["", "", ""]
