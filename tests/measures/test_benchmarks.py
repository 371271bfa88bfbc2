"""Each koploper against the other koplopers (itself left out) and the rest of its cohort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from measures.benchmark import OTHERS, benchmark
from measures.responses import check_responses
from measures.scoring import score
from measures.synthetic import synthetic_responses
from surveys.vocabulary import SUPPRESSED

COHORTS = {"almere": "2017", "breda": "2018", "gouda": "2018", "regio-twente": "2018"}


@pytest.fixture(scope="module")
def four(indicators) -> tuple[pd.DataFrame, dict]:
    wide = synthetic_responses(("almere", "breda", "gouda", "regio-twente"), ("T0", "T1"), 50)
    return wide, score(check_responses(wide, indicators), indicators)


@pytest.fixture(scope="module")
def table(four, indicators) -> pd.DataFrame:
    return benchmark(four[1], indicators.settings, COHORTS)


def _row(table, koploper, wave, reference, indicator, questionnaire="client") -> pd.Series:
    chosen = table[
        (table["koploper"] == koploper)
        & (table["wave"] == wave)
        & (table["reference"] == reference)
        & (table["indicator"] == indicator)
        & (table["questionnaire"] == questionnaire)
    ]
    assert len(chosen) == 1
    return chosen.iloc[0]


def _agree(wide: pd.DataFrame, koplopers: list[str], wave: str, item: str) -> tuple[int, int]:
    client = wide[(wide["questionnaire"] == "client") & (wide["wave"] == wave)]
    codes = client[client["koploper"].isin(koplopers)][item]
    valid = codes[codes.isin([1, 2, 3, 4, 5])]
    return int(valid.isin([4, 5]).sum()), len(valid)


def test_the_reference_is_all_other_koplopers_pooled_without_the_koploper(four, table) -> None:
    wide = four[0]
    row = _row(table, "breda", "T1", OTHERS, "on_my_side")
    x_ref, n_ref = _agree(wide, ["almere", "gouda", "regio-twente"], "T1", "on_my_side")
    x_own, n_own = _agree(wide, ["breda"], "T1", "on_my_side")
    assert (row["n_reference"], row["n_koploper"]) == (n_ref, n_own)
    assert row["difference"] == pytest.approx(x_own / n_own - x_ref / n_ref)
    ci = confint_proportions_2indep(x_own, n_own, x_ref, n_ref, method="newcomb")
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(ci, abs=1e-6)


def test_the_cohort_reference_is_the_rest_of_the_cohort(four, table) -> None:
    wide = four[0]
    row = _row(table, "gouda", "T0", "cohort 2018", "grade")
    client = wide[(wide["questionnaire"] == "client") & (wide["wave"] == "T0")]
    own = client[client["koploper"] == "gouda"]["grade"].dropna()
    rest = client[client["koploper"].isin(["breda", "regio-twente"])]["grade"].dropna()
    assert (row["n_reference"], row["n_koploper"]) == (len(rest), len(own))
    welch = stats.ttest_ind(own, rest, equal_var=False)
    assert row["p_value"] == pytest.approx(welch.pvalue, abs=1e-6)
    mann_whitney = stats.mannwhitneyu(own, rest, method="asymptotic").pvalue
    assert row["p_value_rank"] == pytest.approx(mann_whitney, abs=1e-6)


def test_a_koploper_alone_in_its_cohort_has_no_cohort_figures(table) -> None:
    row = _row(table, "almere", "T0", "cohort 2017", "aware_oco")
    assert row["n_reference"] == 0 and row["flag"] == SUPPRESSED
    assert np.isnan(row["estimate_koploper"]) and np.isnan(row["p_value"])


def test_a_koploper_without_a_cohort_is_only_compared_with_the_others(four, indicators) -> None:
    table = benchmark(four[1], indicators.settings, {"almere": "2017", "breda": "2017"})
    gouda = table[table["koploper"] == "gouda"]
    assert set(gouda["reference"]) == {OTHERS}


def test_benchmarks_cover_every_koploper_wave_and_indicator(table, indicators) -> None:
    per_koploper_wave = sum(len(q.indicators) for q in indicators.questionnaires.values())
    assert len(table) == 4 * 2 * 2 * per_koploper_wave


def test_a_single_wave_can_be_chosen(four, indicators) -> None:
    table = benchmark(four[1], indicators.settings, wave="T1")
    assert set(table["wave"]) == {"T1"}
