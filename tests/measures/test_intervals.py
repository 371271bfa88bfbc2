"""Confidence intervals against statsmodels, SciPy and Newcombe's published worked examples."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from measures.intervals import (
    newcombe_interval,
    newcombe_paired_interval,
    t_interval,
    wilson_interval,
)

TOLERANCE = 1e-6


@pytest.mark.parametrize(
    ("successes", "n"), [(0, 10), (3, 10), (10, 10), (1, 1), (56, 70), (481, 1000), (7, 240)]
)
def test_wilson_interval_matches_statsmodels(successes: int, n: int) -> None:
    low, high = wilson_interval(successes, n)
    ref_low, ref_high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(ref_low, abs=TOLERANCE)
    assert high == pytest.approx(ref_high, abs=TOLERANCE)


def test_wilson_interval_at_90_percent_matches_statsmodels() -> None:
    low, high = wilson_interval(12, 40, confidence=0.90)
    ref = proportion_confint(12, 40, alpha=0.10, method="wilson")
    assert (low, high) == pytest.approx(ref, abs=TOLERANCE)


def test_wilson_interval_of_an_empty_group_is_nan_not_an_error() -> None:
    low, high = wilson_interval([0, 5], [0, 10])
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert not np.isnan(low[1])


def test_t_interval_matches_scipy() -> None:
    sample = np.array([7, 8, 6, 9, 7, 7, 10, 5, 8, 8], dtype=float)
    low, high = t_interval(sample.mean(), sample.var(ddof=1), sample.size)
    ref = stats.t.interval(0.95, sample.size - 1, sample.mean(), stats.sem(sample))
    assert (low, high) == pytest.approx(ref, abs=TOLERANCE)


def test_t_interval_needs_two_respondents() -> None:
    low, high = t_interval(7.0, np.nan, 1)
    assert np.isnan(low) and np.isnan(high)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [
        (48, 80, 56, 70),
        (3, 10, 9, 10),
        (0, 29, 5, 56),
        (0, 10, 0, 20),
        (20, 20, 0, 10),
        (1, 2, 2, 2),
    ],
)
def test_newcombe_interval_matches_statsmodels(x1: int, n1: int, x2: int, n2: int) -> None:
    low, high = newcombe_interval(x1, n1, x2, n2)
    # statsmodels' "newcomb" gives the interval for its first proportion minus its second
    ref = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
    assert (low, high) == pytest.approx(ref, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("x2", "n2", "x1", "n1", "published"),
    [
        # Newcombe RG (1998). Interval estimation for the difference between independent
        # proportions: comparison of eleven methods. Stat Med 17:873-890, Table II, method 10.
        (56, 70, 48, 80, (0.0524, 0.3339)),
        (9, 10, 3, 10, (0.1705, 0.8090)),
    ],
)
def test_newcombe_interval_reproduces_newcombes_published_examples(
    x2: int, n2: int, x1: int, n1: int, published: tuple[float, float]
) -> None:
    low, high = newcombe_interval(x1, n1, x2, n2)
    assert (low, high) == pytest.approx(published, abs=5e-5)


@pytest.mark.parametrize(
    ("e", "f", "g", "h", "published"),
    [
        # Newcombe RG (1998). Improved confidence intervals for the difference between binomial
        # proportions based on paired data. Stat Med 17:2635-2650, Table II, method 10.
        # e: + at both, f: + then -, g: - then +, h: - at both; interval for (f - g) / n.
        (36, 12, 2, 0, (0.0569, 0.3404)),
        (18, 12, 2, 18, (0.0562, 0.3290)),
        (53, 0, 0, 1, (-0.0729, 0.0729)),
        (0, 30, 0, 0, (0.8395, 1.0)),
    ],
)
def test_paired_newcombe_interval_reproduces_newcombes_published_examples(
    e: int, f: int, g: int, h: int, published: tuple[float, float]
) -> None:
    # Newcombe's difference is first minus second; ours is second minus first, so the waves swap:
    # 'only_first' in our terms is his g, 'only_second' his f.
    low, high = newcombe_paired_interval(both=e, only_first=g, only_second=f, neither=h)
    assert (low, high) == pytest.approx(published, abs=5e-5)


def test_paired_newcombe_interval_without_correlation_equals_the_independent_interval() -> None:
    # a·d = b·c makes phi zero: the paired interval reduces to combining the two Wilson intervals
    low, high = newcombe_paired_interval(both=10, only_first=10, only_second=20, neither=20)
    n = 60
    l1, u1 = wilson_interval(20, n)
    l2, u2 = wilson_interval(30, n)
    d = 30 / n - 20 / n
    expected = (d - np.hypot(0.5 - l2, u1 - 1 / 3), d + np.hypot(u2 - 0.5, 1 / 3 - l1))
    assert (low, high) == pytest.approx(expected, abs=TOLERANCE)
