"""Significance tests and q-values, vectorised over groups (one array element per comparison).

Two proportions: Pearson's chi-square without continuity correction, or Fisher's exact test when an
expected count in the 2×2 table is below 5. Two means: Welch's t-test (independent) or the paired
t-test. Paired yes/no answers: the exact McNemar test. Many indicators at once: Benjamini–Hochberg.
A p-value is NaN when the test does not exist (an empty group, no spread at all).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

FloatArray = NDArray[np.float64]

CHI_SQUARE = "chi2"
FISHER = "fisher_exact"
WELCH = "welch_t"
PAIRED_T = "paired_t"
MCNEMAR = "mcnemar_exact"
FISHER_BELOW = 5.0
"""Fisher's exact test replaces chi-square when any expected count is below this."""
_FISHER_TOLERANCE = 1 + 1e-7
"""Tables as probable as the observed one, up to rounding, count as 'as extreme' (as R does)."""


def _table(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    x1, n1 = np.asarray(x1, dtype=float), np.asarray(n1, dtype=float)
    x2, n2 = np.asarray(x2, dtype=float), np.asarray(n2, dtype=float)
    return x1, n1, x2, n2


def min_expected_count(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> FloatArray:
    """The smallest expected cell count of the 2×2 table (groups × yes/no) under no difference."""
    x1, n1, x2, n2 = _table(x1, n1, x2, n2)
    total = n1 + n2
    yes = x1 + x2
    with np.errstate(divide="ignore", invalid="ignore"):
        smallest = np.minimum(n1, n2) * np.minimum(yes, total - yes) / total
    return np.where(total > 0, smallest, np.nan)


def chi_square_2x2(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> FloatArray:
    """Pearson's chi-square p-value for x1/n1 against x2/n2, without continuity correction."""
    x1, n1, x2, n2 = _table(x1, n1, x2, n2)
    total = n1 + n2
    yes = x1 + x2
    no = total - yes
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = total * (x1 * (n2 - x2) - x2 * (n1 - x1)) ** 2 / (n1 * n2 * yes * no)
    return stats.chi2.sf(statistic, 1)


def fisher_exact_2x2(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike) -> FloatArray:
    """Fisher's exact two-sided p: the total probability of tables no likelier than the one seen.

    The first row's count given all margins is hypergeometric; its support is evaluated on a padded
    grid so many tables are done at once. Call it on tables with a small margin (that is where
    Fisher is used), since the grid is as wide as the widest support.
    """
    x1, n1, x2, n2 = _table(x1, n1, x2, n2)
    shape = np.broadcast(x1, n1, x2, n2).shape
    x1, n1, x2, n2 = (np.broadcast_to(a, shape).ravel() for a in (x1, n1, x2, n2))
    p = np.full(x1.shape, np.nan)
    valid = (n1 > 0) & (n2 > 0)
    if valid.any():
        p[valid] = _fisher_valid(x1[valid], n1[valid], x2[valid], n2[valid])
    return p.reshape(shape)


def _log_choose(n: FloatArray, k: FloatArray) -> FloatArray:
    return special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)


def _fisher_valid(x1: FloatArray, n1: FloatArray, x2: FloatArray, n2: FloatArray) -> FloatArray:
    yes = x1 + x2
    total = n1 + n2
    lowest = np.maximum(0.0, yes - n2)
    highest = np.minimum(n1, yes)
    width = int((highest - lowest).max()) + 1
    k = lowest[:, None] + np.arange(width)[None, :]
    inside = k <= highest[:, None]
    k = np.where(inside, k, lowest[:, None])

    def log_pmf(count: FloatArray) -> FloatArray:
        return (
            _log_choose(n1[:, None], count)
            + _log_choose(n2[:, None], yes[:, None] - count)
            - _log_choose(total[:, None], yes[:, None])
        )

    grid = log_pmf(k)
    observed = log_pmf(x1[:, None])
    extreme = inside & (grid <= observed + np.log(_FISHER_TOLERANCE))
    return np.minimum(1.0, np.where(extreme, np.exp(grid), 0.0).sum(axis=1))


def proportion_test(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike
) -> tuple[NDArray[np.object_], FloatArray]:
    """The test used for two independent proportions, with its name per comparison, and p.

    Chi-square as a rule; Fisher's exact test when an expected count is below 5. Names are empty and
    p is NaN where a group is empty.
    """
    x1, n1, x2, n2 = (np.atleast_1d(a) for a in _table(x1, n1, x2, n2))
    expected = min_expected_count(x1, n1, x2, n2)
    use_fisher = expected < FISHER_BELOW
    p = chi_square_2x2(x1, n1, x2, n2)
    if use_fisher.any():
        p = p.copy()
        p[use_fisher] = fisher_exact_2x2(
            x1[use_fisher], n1[use_fisher], x2[use_fisher], n2[use_fisher]
        )
    names = np.where(use_fisher, FISHER, CHI_SQUARE).astype(object)
    names[(n1 == 0) | (n2 == 0)] = ""
    return names, p


def welch(
    mean_1: ArrayLike,
    variance_1: ArrayLike,
    n_1: ArrayLike,
    mean_2: ArrayLike,
    variance_2: ArrayLike,
    n_2: ArrayLike,
    confidence: float = 0.95,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Welch's test for mean_2 − mean_1: the interval (low, high) of the difference, and p."""
    m1, v1, k1 = (np.asarray(a, dtype=float) for a in (mean_1, variance_1, n_1))
    m2, v2, k2 = (np.asarray(a, dtype=float) for a in (mean_2, variance_2, n_2))
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, s2 = v1 / k1, v2 / k2
        se = np.sqrt(s1 + s2)
        df = (s1 + s2) ** 2 / (s1**2 / (k1 - 1) + s2**2 / (k2 - 1))
        df = np.where((k1 >= 2) & (k2 >= 2) & (se > 0), df, np.nan)
        t = (m2 - m1) / se
    p = 2 * stats.t.sf(np.abs(t), df)
    half = stats.t.ppf(0.5 + confidence / 2, df) * se
    difference = m2 - m1
    return difference - half, difference + half, p


def paired_t(
    mean_difference: ArrayLike, variance_difference: ArrayLike, n_pairs: ArrayLike
) -> FloatArray:
    """The paired t-test's p-value from the mean and variance of the within-pair differences."""
    d, v, n = (np.asarray(a, dtype=float) for a in (mean_difference, variance_difference, n_pairs))
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(v / n)
        df = np.where((n >= 2) & (se > 0), n - 1, np.nan)
        t = d / se
    return 2 * stats.t.sf(np.abs(t), df)


def mcnemar_exact(only_first: ArrayLike, only_second: ArrayLike) -> FloatArray:
    """The exact McNemar p-value: a two-sided binomial test on the discordant pairs (b, c)."""
    b, c = np.asarray(only_first, dtype=float), np.asarray(only_second, dtype=float)
    p = 2 * stats.binom.cdf(np.minimum(b, c), b + c, 0.5)
    return np.where(b + c > 0, np.minimum(p, 1.0), 1.0)


def benjamini_hochberg(p_values: ArrayLike, families: ArrayLike | None = None) -> FloatArray:
    """Benjamini–Hochberg q-values, computed separately within each family; NaN p stays NaN.

    q for the i-th smallest of m p-values is min over j ≥ i of p_(j) · m / j, capped at 1.
    """
    p = np.asarray(p_values, dtype=float).ravel()
    family = (
        np.zeros(p.shape, dtype=np.int64)
        if families is None
        else pd.factorize(np.asarray(families, dtype=object).ravel())[0]
    )
    q = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if not tested.any():
        return q
    index = np.flatnonzero(tested)
    order = index[np.lexsort((p[index], family[index]))]
    fam, pv = family[order], p[order]
    starts = np.r_[0, np.flatnonzero(np.diff(fam)) + 1]
    sizes = np.diff(np.r_[starts, fam.size])
    size = np.repeat(sizes, sizes)
    rank = np.arange(fam.size) - np.repeat(starts, sizes) + 1
    scaled = pv * size / rank
    # the running minimum from the largest p downwards, restarted per family
    running = np.empty_like(scaled)
    for start, end in zip(starts, starts + sizes, strict=True):
        running[start:end] = np.minimum.accumulate(scaled[start:end][::-1])[::-1]
    q[order] = np.minimum(running, 1.0)
    return q
