"""CSV for Dutch Excel: semicolons, decimal comma, UTF-8 with BOM, and no formula ever run."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from surveys.clock import dutch_time, start_of_dutch_day
from surveys.spreadsheet import dutch_csv, formula_safe


def read_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, decimal=",")


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+31 13 542", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'],
)
def test_text_that_a_spreadsheet_would_compute_gets_an_apostrophe(cell):
    assert formula_safe(cell) == "'" + cell
    back = read_back(dutch_csv(pd.DataFrame({"tekst": [cell]})))
    assert back["tekst"].iloc[0].startswith("'")


@pytest.mark.parametrize("cell", ["gewoon", "Cliënt 'x'", "a=b", "", "1-2", " =1"])
def test_other_text_stays_as_it_is(cell):
    assert formula_safe(cell) == cell


def test_semicolons_bom_decimal_comma_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {"Koploper": ["Tilburg", "Den Haag; Zuid"], "Aandeel": [0.25, -1.5], "n": [12, -3]}
    )
    data = dutch_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Koploper;Aandeel;n"
    assert lines[1] == "Tilburg;0,25;12"
    assert lines[2] == '"Den Haag; Zuid";-1,5;-3'  # a negative number is no formula
    back = read_back(data)
    assert back["Koploper"].tolist() == ["Tilburg", "Den Haag; Zuid"]


def test_headers_quotes_newlines_and_accents_survive_the_round_trip():
    frame = pd.DataFrame({"=kop": ['zei "ja"\nen ging', None], "Cliënt": ["ë", "ü"]})
    back = read_back(dutch_csv(frame))
    assert list(back.columns) == ["'=kop", "Cliënt"]
    assert back["'=kop"].iloc[0] == 'zei "ja"\nen ging'
    assert pd.isna(back["'=kop"].iloc[1])
    assert back["Cliënt"].tolist() == ["ë", "ü"]


def test_dutch_days_and_times_follow_summer_and_winter_time():
    assert start_of_dutch_day(dt.date(2026, 7, 1)) == dt.datetime(2026, 6, 30, 22)
    assert start_of_dutch_day(dt.date(2026, 1, 1)) == dt.datetime(2025, 12, 31, 23)
    assert dutch_time(dt.datetime(2026, 7, 1, 12)).hour == 14
    assert dutch_time(dt.datetime(2026, 1, 1, 12)).hour == 13


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("\x01=1", "'=1"), ("a\x00b\x1fc", "abc"), ("regel\nregel\tkolom", "regel\nregel\tkolom")],
)
def test_unprintable_control_characters_go_before_the_formula_check(cell, safe):
    assert formula_safe(cell) == safe


def test_a_number_as_text_is_text_and_a_number_stays_a_number():
    assert formula_safe("-5") == "'-5"  # a text is always treated as text
    assert formula_safe(-5) == -5 and formula_safe(-2.5) == -2.5
