"""The interchange codec: how answers are written as cells and read back."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.definition import load_builtin
from surveys.interchange import (
    cell_text,
    decode_answers,
    decode_code,
    decode_codes,
    decode_column,
    decode_number,
    decode_text,
    decode_version,
    encode_answers,
    encode_codes,
    encode_number,
    encode_text,
)


@pytest.mark.parametrize(
    ("codes", "cell"), [([5, 2], "2;5"), ([9], "9"), ((3, 1, 2), "1;2;3"), ([0], "0")]
)
def test_multiple_choice_is_written_as_ascending_codes_joined_by_semicolons(codes, cell) -> None:
    assert encode_codes(codes) == cell


@pytest.mark.parametrize(
    ("number", "cell"),
    [(3, "3"), (3.0, "3"), (2.5, "2.5"), (0.1, "0.1"), (-12.25, "-12.25"), (1e20, str(10**20))],
)
def test_whole_numbers_have_no_decimal_point_and_others_are_exact(number, cell) -> None:
    assert encode_number(number) == cell


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**15), 10**15))
def test_a_number_read_back_is_the_number_written(number) -> None:
    assert decode_number(encode_number(number)) == number


@given(st.text())
def test_a_text_read_back_is_the_text_typed(text: str) -> None:
    assert decode_text(encode_text(text)) == text


@pytest.mark.parametrize(
    ("cell", "value"),
    [("4", 4), (" 4 ", 4), ("4.0", 4), ("+1", 1), ("", None), ("  ", None), ("4.5", "4.5")]
    + [("ja", "ja"), ("1;2", "1;2"), ("1e3", "1e3")],
)
def test_a_code_cell_is_read_as_a_code_or_else_as_the_text_the_check_refuses(cell, value) -> None:
    assert decode_code(cell) == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [("2;5", [2, 5]), ("5;2", [5, 2]), (" 1 ; 3 ", [1, 3]), ("2;2", [2, 2]), ("7", [7])]
    + [("", None), ("1;;2", "1;;2"), ("1,2", "1,2"), ("x", "x")],
)
def test_a_multiple_choice_cell_keeps_what_it_says_for_the_check_to_judge(cell, value) -> None:
    assert decode_codes(cell) == value


@pytest.mark.parametrize(
    ("cell", "ok"), [("nan", False), ("inf", False), ("1e400", False), ("veel", False)]
)
def test_a_number_cell_that_is_no_finite_number_is_not_read_as_one(cell, ok) -> None:
    value = decode_number(cell)
    assert isinstance(value, str) or not math.isfinite(value)


@pytest.mark.parametrize(
    ("cell", "version"), [("1", 1), (" 2 ", 2), ("0", None), ("v1", None), ("1.5", None)]
)
def test_the_version_column_holds_a_positive_whole_number(cell, version) -> None:
    assert decode_version(cell) == version


def test_a_cell_from_a_frame_in_memory_reads_as_the_codec_writes_it() -> None:
    assert [cell_text(v) for v in (np.nan, None, 4.0, 2.5, np.int64(3), "x ")] == [
        "",
        "",
        "4",
        "2.5",
        "3",
        "x ",
    ]


def test_a_column_is_decoded_once_per_distinct_cell() -> None:
    seen: list[str] = []

    def decode(text: str) -> object:
        seen.append(text)
        return decode_code(text)

    column = pd.Series(["4", "5", "4", "", np.nan, " ", "4"] * 1000)
    decoded = decode_column(column, decode)
    assert sorted(seen) == [" ", "4", "5"]
    values = [None if i < 0 else decoded.values[i] for i in decoded.index[:7]]
    assert values == [4, 5, 4, None, None, None, 4]
    assert (decoded.index[3:6] == -1).all()


def test_a_response_becomes_a_row_of_cells_and_back() -> None:
    client = load_builtin("client")
    answers = {"aware_oco": 9, "used_oco": 1, "heard_via": [5, 2], "contacts": 2.5, "comments": "-"}
    cells = encode_answers(client.items, {**answers, "grade": None, "need_domains": []})
    assert cells["heard_via"] == "2;5" and cells["comments"] == "'-" and cells["grade"] == ""
    assert set(cells) == {item.key for item in client.items}
    assert decode_answers(client.items, cells) == {**answers, "heard_via": [2, 5]}


@pytest.mark.parametrize("cell", ["１", "١", "1_0", "inf", "nan", "1,5"])
def test_only_ascii_digits_written_plainly_are_numbers_or_codes(cell) -> None:
    # Python's int() and float() take these; a file that holds them was not written by us.
    assert decode_number(cell) == cell
    assert decode_code(cell) == cell
    assert decode_codes(cell) == cell
