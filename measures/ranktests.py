"""Rank tests computed from frequency tables, so thousands of comparisons take one pass.

Answers are discrete (a grade, a theme score built from five-point items), so a group is fully
described by how often each value occurs. The Mann–Whitney U statistic and the Wilcoxon signed-rank
statistic follow from those counts without ranking individual respondents. Both use the normal
approximation with the usual tie correction: Mann–Whitney with continuity correction (as SciPy's
``method="asymptotic"``), Wilcoxon without (as SciPy's ``method="approx"``), zero differences
dropped.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

MANN_WHITNEY = "mann_whitney_u"
WILCOXON = "wilcoxon_signed_rank"


def _sorted_cells(
    comparison: ArrayLike, value: ArrayLike, *counts: ArrayLike
) -> tuple[NDArray[np.int64], FloatArray, list[FloatArray]]:
    group = np.asarray(comparison, dtype=np.int64)
    values = np.asarray(value, dtype=float)
    order = np.lexsort((values, group))
    return group[order], values[order], [np.asarray(c, dtype=float)[order] for c in counts]


def _cumulative_before(group: NDArray[np.int64], x: FloatArray) -> FloatArray:
    """Per row, the sum of x over earlier rows of the same group (rows sorted by group)."""
    if x.size == 0:
        return x
    running = np.cumsum(x)
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    before_group = np.repeat(running[first] - x[first], np.diff(np.r_[first, x.size]))
    return running - x - before_group


def mann_whitney_from_counts(
    comparison: ArrayLike,
    value: ArrayLike,
    count_1: ArrayLike,
    count_2: ArrayLike,
    n_comparisons: int,
) -> FloatArray:
    """Two-sided Mann–Whitney p-values, one per comparison 0 … n_comparisons − 1.

    Each row is one (comparison, value) cell with how often the value occurs in sample 1 and 2.
    """
    group, _, (c1, c2) = _sorted_cells(comparison, value, count_1, count_2)
    below_2 = _cumulative_before(group, c2)
    u_1 = np.bincount(group, weights=c1 * (below_2 + c2 / 2), minlength=n_comparisons)
    n1 = np.bincount(group, weights=c1, minlength=n_comparisons)
    n2 = np.bincount(group, weights=c2, minlength=n_comparisons)
    tied = c1 + c2
    ties = np.bincount(group, weights=tied**3 - tied, minlength=n_comparisons)
    total = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = n1 * n2 / 12 * ((total + 1) - ties / (total * (total - 1)))
        z = (np.abs(u_1 - n1 * n2 / 2) - 0.5) / np.sqrt(variance)
    p = np.minimum(2 * stats.norm.sf(z), 1.0)
    return np.where((n1 > 0) & (n2 > 0) & (variance > 0), p, np.nan)


def wilcoxon_from_counts(
    comparison: ArrayLike, difference: ArrayLike, count: ArrayLike, n_comparisons: int
) -> FloatArray:
    """Two-sided Wilcoxon signed-rank p-values from counts of within-pair differences."""
    d = np.asarray(difference, dtype=float)
    keep = d != 0
    group = np.asarray(comparison, dtype=np.int64)[keep]
    magnitude = np.abs(d[keep])
    counts = np.asarray(count, dtype=float)[keep]
    positive = np.where(d[keep] > 0, counts, 0.0)
    if not keep.any():
        return np.full(n_comparisons, np.nan)
    # cells per (comparison, |difference|): how many differences, how many of them positive
    key = np.lexsort((magnitude, group))
    group, magnitude, counts, positive = group[key], magnitude[key], counts[key], positive[key]
    new = np.r_[True, (group[1:] != group[:-1]) | (magnitude[1:] != magnitude[:-1])]
    cell = np.cumsum(new) - 1
    cell_group = group[new]
    cell_count = np.bincount(cell, weights=counts)
    cell_positive = np.bincount(cell, weights=positive)
    before = _cumulative_before(cell_group, cell_count)
    rank = before + (cell_count + 1) / 2
    r_plus = np.bincount(cell_group, weights=cell_positive * rank, minlength=n_comparisons)
    n = np.bincount(cell_group, weights=cell_count, minlength=n_comparisons)
    ties = np.bincount(cell_group, weights=cell_count**3 - cell_count, minlength=n_comparisons)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = n * (n + 1) * (2 * n + 1) / 24 - ties / 48
        z = (r_plus - n * (n + 1) / 4) / np.sqrt(variance)
    p = np.minimum(2 * stats.norm.sf(np.abs(z)), 1.0)
    return np.where((n > 0) & (variance > 0), p, np.nan)
