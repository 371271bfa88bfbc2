"""Mann–Whitney U and Wilcoxon signed-rank from frequency tables, against SciPy on the raw data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from measures.ranktests import mann_whitney_from_counts, wilcoxon_from_counts

TOLERANCE = 1e-6


def _cells(samples: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    rows = []
    for group, (first, second) in enumerate(samples):
        for value in np.union1d(first, second):
            rows.append((group, value, (first == value).sum(), (second == value).sum()))
    return np.array(rows, dtype=float)


def test_mann_whitney_from_counts_matches_scipy_on_grades() -> None:
    rng = np.random.default_rng(11)
    samples = [
        (rng.integers(1, 11, rng.integers(10, 80)), rng.integers(3, 11, rng.integers(10, 80)))
        for _ in range(8)
    ]
    cells = _cells(samples)
    p = mann_whitney_from_counts(cells[:, 0], cells[:, 1], cells[:, 2], cells[:, 3], len(samples))
    for group, (first, second) in enumerate(samples):
        reference = stats.mannwhitneyu(first, second, method="asymptotic").pvalue
        assert p[group] == pytest.approx(reference, abs=TOLERANCE)


def test_mann_whitney_from_counts_matches_scipy_on_theme_scores() -> None:
    rng = np.random.default_rng(12)
    levels = np.array([0, 25, 100 / 3, 50, 62.5, 75, 200 / 3, 100])
    first, second = rng.choice(levels, 45), rng.choice(levels[2:], 38)
    cells = _cells([(first, second)])
    p = mann_whitney_from_counts(cells[:, 0], cells[:, 1], cells[:, 2], cells[:, 3], 1)
    assert p[0] == pytest.approx(stats.mannwhitneyu(first, second).pvalue, abs=TOLERANCE)


def test_mann_whitney_without_spread_or_with_an_empty_group_gives_no_p() -> None:
    p = mann_whitney_from_counts([0, 1], [7.0, 7.0], [20, 0], [30, 12], 2)
    assert np.isnan(p).all()


def test_wilcoxon_from_counts_matches_scipy() -> None:
    rng = np.random.default_rng(13)
    rows, references = [], []
    for group in range(5):
        before = rng.integers(1, 6, 40)
        after = np.clip(before + rng.integers(-1, 3, 40), 1, 5)
        change = after - before
        references.append(stats.wilcoxon(after, before, method="approx").pvalue)
        for value in np.unique(change):
            rows.append((group, value, (change == value).sum()))
    cells = np.array(rows, dtype=float)
    p = wilcoxon_from_counts(cells[:, 0], cells[:, 1], cells[:, 2], 5)
    np.testing.assert_allclose(p, references, atol=TOLERANCE)


def test_wilcoxon_when_nobody_changed_gives_no_p() -> None:
    assert np.isnan(wilcoxon_from_counts([0], [0.0], [25], 1)[0])
