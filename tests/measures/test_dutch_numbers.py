"""The one Dutch number formatter (surveys.numbers) and the statistical wording built on it
(measures.dutch): one decimal for every percentage, a non-breaking space before '%', a thousands
point, settings written as set, and a number someone typed as given, with a decimal comma."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.dutch import difference_interval_text, difference_text, interval_text, value_text
from surveys.numbers import NO_FIGURE, decimal, percent, rate_percent, whole

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (0.5, "50,0\u00a0%"),
        (0.263, "26,3\u00a0%"),
        (1.0, "100,0\u00a0%"),
        (0.0, "0,0\u00a0%"),
        (0.27, "27,0\u00a0%"),
        (0.2734, "27,3\u00a0%"),
    ],
)
def test_a_share_is_a_percentage_with_one_decimal_and_a_space_that_does_not_break(share, text):
    assert value_text(share, "proportion") == text


def test_a_mean_has_one_decimal_too():
    assert value_text(8.0, "mean") == "8,0"
    assert value_text(7.46, "mean") == "7,5"
    assert value_text(50, "mean") == "50,0"


def test_a_change_has_its_sign_and_one_decimal():
    assert difference_text(0.14, "proportion") == "+14,0\u00a0procentpunt"
    assert difference_text(-0.0001, "proportion") == "0,0\u00a0procentpunt"
    assert difference_text(-0.4, "mean") == "-0,4"
    assert difference_text(0.0, "mean") == "0,0"


def test_intervals_keep_one_decimal_at_both_ends():
    assert interval_text(0.2, 0.337, "proportion") == "20,0\u00a0% tot 33,7\u00a0%"
    assert difference_interval_text(0.128, 0.34, "proportion") == "12,8 tot 34,0\u00a0procentpunt"
    assert interval_text(float("nan"), 0.3, "proportion") == NO_FIGURE


def test_large_numbers_get_a_thousands_point():
    assert whole(5590) == "5.590"
    assert whole(1234567.0) == "1.234.567"
    assert whole(12) == "12"
    assert whole(None) == NO_FIGURE and whole(float("nan")) == NO_FIGURE
    assert decimal(5590.04) == "5.590,0"
    assert percent(1234.5) == "1.234,5\u00a0%"


def test_settings_are_written_as_set_without_added_zeros():
    assert decimal(0.05, 3, trim=True) == "0,05"
    assert decimal(95.0, trim=True) == "95"
    assert percent(95.0, trim=True) == "95\u00a0%"
    assert decimal(0.2, 2) == "0,20"  # an effect size: a fixed number of decimals


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_every_percentage_has_exactly_one_decimal_and_never_stands_alone(share):
    text = value_text(share, "proportion")
    assert re.fullmatch(r"\d{1,3},\d\u00a0%", text), text
    assert " %" not in text


@given(st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_a_change_reads_as_the_number_it_is(change):
    text = difference_text(change, "proportion")
    number = float(text.split(NBSP)[0].replace(",", "."))
    assert abs(number - 100 * change) <= 0.05 + 1e-9
    assert not text.startswith("-0,0") and not text.startswith("+0,0")


def test_a_change_in_its_unit_has_a_sign_but_nothing_has_minus_zero():
    from surveys.numbers import signed

    assert signed(4.2) == "+4,2"
    assert signed(-0.44) == "-0,4"
    assert signed(0.0) == "0,0" and signed(-0.01) == "0,0"
    assert signed(float("nan")) == NO_FIGURE


def test_a_number_as_given_keeps_its_decimals_and_gets_a_comma():
    from surveys.numbers import number

    assert number(2.5) == "2,5"
    assert number(7.25) == "7,25"
    assert number(0.05) == "0,05"
    assert number(1200) == "1.200" and number(1200.0) == "1.200"
    assert number(-1234.5) == "-1.234,5"
    assert number(float("nan")) == NO_FIGURE


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)))
def test_a_number_as_given_reads_back_as_the_same_number(value):
    from surveys.numbers import number

    text = number(value)
    assert "." not in text.split(",")[-1] if "," in text else True
    assert float(text.replace(".", "").replace(",", ".")) == value


def test_a_figure_in_its_unit_is_a_share_in_percent_and_a_mean_as_it_is():
    import numpy as np
    import pandas as pd

    from measures.dutch import in_unit

    values = pd.Series([0.412, 7.4, np.nan, -0.05], index=[3, 5, 8, 9])
    kinds = pd.Series(["proportion", "mean", "proportion", "proportion"], index=[3, 5, 8, 9])
    found = in_unit(values, kinds)
    assert list(found.index) == [3, 5, 8, 9]
    np.testing.assert_allclose(found.to_numpy(), [41.2, 7.4, np.nan, -5.0])


@pytest.mark.parametrize(
    ("used", "sent", "text"),
    [
        (75, 240, f"31,3{NBSP}%"),  # 31,25: half up, as by hand (a float gives the even 31,2)
        (1, 8, f"12,5{NBSP}%"),  # 12,5 exactly: no rounding
        (1, 16, f"6,3{NBSP}%"),  # 6,25
        (1, 3, f"33,3{NBSP}%"),
        (2, 3, f"66,7{NBSP}%"),
        (0, 10, f"0,0{NBSP}%"),
        (5_000, 5_000, f"100,0{NBSP}%"),
        (0, 0, NO_FIGURE),
    ],
)
def test_a_rate_is_rounded_half_up_as_a_reader_does(used, sent, text):
    assert rate_percent(used, sent) == text


@given(st.integers(min_value=1, max_value=10**6), st.data())
def test_a_rate_is_the_nearest_tenth_and_half_a_tenth_goes_up(sent, data):
    used = data.draw(st.integers(min_value=0, max_value=sent))
    written = rate_percent(used, sent).removesuffix(f"{NBSP}%")
    tenths = int(written.replace(".", "").replace(",", ""))
    # 1000 * used / sent tenths of a percent, within half a tenth; exactly half a tenth goes up.
    assert (2 * tenths - 1) * sent <= 2000 * used < (2 * tenths + 1) * sent
