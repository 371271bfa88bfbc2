"""Tests and q-values against SciPy and statsmodels, and Fisher's tea-tasting example."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from measures.significance import (
    CHI_SQUARE,
    FISHER,
    benjamini_hochberg,
    chi_square_2x2,
    fisher_exact_2x2,
    mcnemar_exact,
    paired_t,
    proportion_test,
    welch,
)

TOLERANCE = 1e-6
TABLES = [(30, 50, 20, 60), (48, 80, 56, 70), (5, 12, 9, 11), (120, 400, 150, 410), (1, 30, 9, 30)]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), TABLES)
def test_chi_square_matches_scipy_without_continuity_correction(x1, n1, x2, n2) -> None:
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    reference = stats.chi2_contingency(table, correction=False).pvalue
    assert chi_square_2x2(x1, n1, x2, n2) == pytest.approx(reference, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [*TABLES, (0, 10, 3, 12), (10, 10, 0, 10), (0, 15, 0, 20), (2, 40, 0, 900), (7, 9, 1, 8)],
)
def test_fisher_exact_matches_scipy(x1, n1, x2, n2) -> None:
    reference = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue
    assert fisher_exact_2x2(x1, n1, x2, n2) == pytest.approx(reference, abs=TOLERANCE)


def test_fisher_exact_reproduces_the_tea_tasting_example() -> None:
    # Fisher (1935), The Design of Experiments: 3 of 4 cups right each way, two-sided p = 34/70.
    assert fisher_exact_2x2(3, 4, 1, 4) == pytest.approx(34 / 70, abs=TOLERANCE)


def test_fisher_is_used_when_an_expected_count_is_below_five() -> None:
    names, p = proportion_test([30, 2], [50, 20], [20, 1], [60, 20])
    assert list(names) == [CHI_SQUARE, FISHER]
    assert p[1] == pytest.approx(stats.fisher_exact([[2, 18], [1, 19]]).pvalue, abs=TOLERANCE)


def test_proportion_test_of_an_empty_group_has_no_name_and_no_p() -> None:
    names, p = proportion_test([0], [0], [3], [10])
    assert names[0] == "" and np.isnan(p[0])


def test_welch_matches_scipy_and_statsmodels() -> None:
    rng = np.random.default_rng(5)
    first, second = rng.normal(6.5, 1.2, 35), rng.normal(7.1, 2.0, 52)
    low, high, p = welch(
        first.mean(), first.var(ddof=1), first.size, second.mean(), second.var(ddof=1), second.size
    )
    assert p == pytest.approx(stats.ttest_ind(second, first, equal_var=False).pvalue, abs=TOLERANCE)
    compare = CompareMeans(DescrStatsW(second), DescrStatsW(first))
    assert (low, high) == pytest.approx(compare.tconfint_diff(usevar="unequal"), abs=TOLERANCE)


def test_welch_without_any_spread_gives_no_p_value() -> None:
    _, _, p = welch(7.0, 0.0, 20, 7.0, 0.0, 25)
    assert np.isnan(p)


def test_paired_t_matches_scipy() -> None:
    rng = np.random.default_rng(6)
    before = rng.integers(1, 11, 40).astype(float)
    after = np.clip(before + rng.integers(-1, 3, 40), 1, 10)
    change = after - before
    p = paired_t(change.mean(), change.var(ddof=1), change.size)
    assert p == pytest.approx(stats.ttest_rel(after, before).pvalue, abs=TOLERANCE)


@pytest.mark.parametrize(("b", "c"), [(12, 2), (0, 0), (5, 5), (1, 9), (30, 18)])
def test_mcnemar_exact_matches_statsmodels(b: int, c: int) -> None:
    reference = mcnemar([[10, b], [c, 10]], exact=True).pvalue
    assert mcnemar_exact(b, c) == pytest.approx(reference, abs=TOLERANCE)


def test_benjamini_hochberg_matches_statsmodels_within_each_family() -> None:
    rng = np.random.default_rng(7)
    p = rng.uniform(0, 0.2, 60)
    families = rng.choice(["almere", "breda", "gouda"], 60)
    q = benjamini_hochberg(p, families)
    for family in ("almere", "breda", "gouda"):
        chosen = families == family
        reference = multipletests(p[chosen], method="fdr_bh")[1]
        np.testing.assert_allclose(q[chosen], reference, atol=TOLERANCE)


def test_benjamini_hochberg_leaves_missing_p_values_out_of_the_family() -> None:
    p = np.array([0.01, np.nan, 0.04, 0.03])
    q = benjamini_hochberg(p)
    assert np.isnan(q[1])
    np.testing.assert_allclose(q[[0, 2, 3]], multipletests([0.01, 0.04, 0.03], method="fdr_bh")[1])
