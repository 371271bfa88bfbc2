"""One way a cell is written into the downloads' workbooks (reports.excel_book)."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pytest

from reports.excel_book import Book


def written(*values: object) -> list[openpyxl.cell.Cell]:
    book = Book("Titel")
    sheet = book.workbook.add_worksheet("Blad")
    for column, value in enumerate(values):
        book.write(sheet, 0, column, value, num_format="0.0")
    read = openpyxl.load_workbook(io.BytesIO(book.to_bytes()))
    assert read.properties.title == "Titel"
    return [read["Blad"].cell(row=1, column=column + 1) for column in range(len(values))]


def test_text_stays_text_defused_never_a_formula_a_link_or_a_number() -> None:
    cells = written("=1+1", "@SUM(A1)", "https://example.org", "123", "-2+3", "gewoon")
    assert [cell.value for cell in cells] == [
        "'=1+1",
        "'@SUM(A1)",
        "https://example.org",
        "123",
        "'-2+3",
        "gewoon",
    ]
    assert all(cell.data_type == "s" and cell.hyperlink is None for cell in cells)
    assert cells[0].number_format == "General"  # a number format is for numbers only


def test_a_figure_is_a_number_and_no_figure_an_empty_cell() -> None:
    cells = written(0.1234, np.int64(120), float("nan"), None, "", float("inf"))
    assert cells[0].value == 0.1234 and cells[0].number_format == "0.0"
    assert cells[1].value == 120 and cells[1].data_type == "n"
    assert [cell.value for cell in cells[2:]] == [None, None, None, None]


def test_anything_else_is_refused_rather_than_left_out() -> None:
    book = Book("Titel")
    sheet = book.workbook.add_worksheet("Blad")
    with pytest.raises(TypeError):
        book.write(sheet, 0, 0, object())
    with pytest.raises(TypeError):
        book.write(sheet, 0, 0, True)
