"""The Dutch clock's ways of writing a date."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys.clock import dutch_date, dutch_long_date


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (dt.date(2027, 3, 14), "14 maart 2027"),
        (dt.date(2026, 1, 1), "1 januari 2026"),
        (dt.date(2025, 12, 31), "31 december 2025"),
    ],
)
def test_a_long_date_is_written_out_in_dutch(day, written):
    assert dutch_long_date(day) == written


def test_a_short_date_has_no_leading_zeros():
    assert dutch_date(dt.date(2026, 3, 5)) == "5-3-2026"
