"""The mailing house's CSV of invitation codes: Dutch Excel, printed codes, personal links."""

from __future__ import annotations

import codecs
import csv
import io

from reports.codes_csv import codes_csv, file_name
from surveys.codes import new_code, normalise

HEADER = ["briefnummer", "briefnummer_vorige_meting", "code", "link"]


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_columns_printed_codes_and_links_in_the_order_given():
    codes = [new_code() for _ in range(3)]
    letters = zip([7, 8, 1200], codes, [None] * 3, strict=True)
    data = codes_csv(letters, "https://monitor.example.nl")
    assert data.count(b"\r\n") == 4 and data.replace(b"\r\n", b"").count(b"\n") == 0
    header, *rows = parse(data)
    assert header == HEADER
    assert [row[0] for row in rows] == ["7", "8", "1200"]
    assert [row[1] for row in rows] == ["", "", ""]  # no follow-ups: empty, the column stays
    for row, code in zip(rows, codes, strict=True):
        assert row[2] == f"{code[:4]}-{code[4:]}" and normalise(row[2]) == code
        assert row[3] == f"https://monitor.example.nl/code?c={code}"


def test_a_follow_up_code_names_the_letter_number_of_the_earlier_wave():
    letters = [(1, "K7QM2XPD", 1204), (2, "AB12CD34", 3), (3, "ZZ99YY88", None)]
    _, *rows = parse(codes_csv(letters, "https://x.example"))
    assert [row[:2] for row in rows] == [["1", "1204"], ["2", "3"], ["3", ""]]


def test_a_base_a_spreadsheet_would_run_as_a_formula_is_defused():
    [_, row] = parse(codes_csv([(1, "K7QM2XPD", None)], "=HYPERLINK(1)"))
    assert row[3].startswith("'=")


def test_no_codes_is_a_header_only():
    assert parse(codes_csv([], "https://x.example")) == [HEADER]


def test_file_names_say_what_is_in_them():
    assert file_name("tilburg", "T2", "client", False) == "codes-tilburg-T2-client.csv"
    assert file_name("tilburg", "T2", "client", True) == "codes-tilburg-T2-client-ongebruikt.csv"
