"""The plain sentences say why a difference whose interval leaves out 0 can still be 'niet
duidelijk anders': the q-value corrects for testing many indicators at once."""

from __future__ import annotations

import numpy as np

from measures.sentences import (
    MANY_TESTS_NOTE,
    benchmark_sentence,
    change_sentence,
    looks_clear_but_is_not,
)
from surveys.vocabulary import OTHERS

CHANGE = {
    "label": "Bekendheid",
    "kind": "proportion",
    "scale": "0-1",
    "flag": "",
    "reason": "",
    "estimate_baseline": 0.30,
    "estimate_followup": 0.414,
    "difference": 0.114,
    "diff_ci_low": 0.033,
    "diff_ci_high": 0.195,
    "q_value": 0.062,
    "significant": False,
    "wording": "",
}


def test_an_interval_without_0_but_q_above_the_limit_says_why_in_the_sentence() -> None:
    text = change_sentence(CHANGE, "T0", "T1")
    assert "niet duidelijk anders" in text
    assert MANY_TESTS_NOTE in text
    assert "veel cijfers tegelijk" in text


def test_the_same_holds_for_a_difference_below_0() -> None:
    row = {**CHANGE, "difference": -0.114, "diff_ci_low": -0.195, "diff_ci_high": -0.033}
    assert MANY_TESTS_NOTE in change_sentence(row, "T0", "T1")


def test_an_interval_around_0_needs_no_such_words() -> None:
    row = {**CHANGE, "diff_ci_low": -0.02, "diff_ci_high": 0.195}
    text = change_sentence(row, "T0", "T1")
    assert "niet duidelijk anders" in text and MANY_TESTS_NOTE not in text


def test_a_clear_change_or_no_figure_needs_no_such_words() -> None:
    clear = change_sentence({**CHANGE, "significant": True}, "T0", "T1")
    assert "steeg" in clear and MANY_TESTS_NOTE not in clear
    withheld = {**CHANGE, "flag": "onderdrukt", "difference": np.nan, "diff_ci_low": np.nan}
    assert MANY_TESTS_NOTE not in change_sentence(withheld, "T0", "T1")
    assert not looks_clear_but_is_not(withheld)


def test_the_comparison_with_the_other_koplopers_says_why_too() -> None:
    row = {
        **CHANGE,
        "reference": OTHERS,
        "estimate_koploper": 0.414,
        "estimate_reference": 0.30,
    }
    text = benchmark_sentence(row, "Almere")
    assert "niet duidelijk anders dan de andere koplopers samen" in text
    assert MANY_TESTS_NOTE in text
