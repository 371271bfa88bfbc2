"""Effect sizes: how large a change is, apart from how sure we are of it.

Cohen's h for two proportions (the difference of their arcsine-square-root transforms), Hedges' g
for two means (the difference in pooled standard deviations, with Hedges' small-sample correction).
Both are signed: positive when the second group (the follow-up, or the koploper against its
reference) is higher.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def cohen_h(p_1: ArrayLike, p_2: ArrayLike) -> FloatArray:
    """Cohen's h = 2·asin(√p2) − 2·asin(√p1); 0.2 small, 0.5 medium, 0.8 large."""
    p1 = np.clip(np.asarray(p_1, dtype=float), 0.0, 1.0)
    p2 = np.clip(np.asarray(p_2, dtype=float), 0.0, 1.0)
    return 2 * np.arcsin(np.sqrt(p2)) - 2 * np.arcsin(np.sqrt(p1))


def hedges_g(
    mean_1: ArrayLike,
    variance_1: ArrayLike,
    n_1: ArrayLike,
    mean_2: ArrayLike,
    variance_2: ArrayLike,
    n_2: ArrayLike,
) -> FloatArray:
    """Hedges' g for mean_2 − mean_1, independent groups.

    Cohen's d with the pooled standard deviation, times Hedges' correction 1 − 3 / (4(n1 + n2) − 9).
    """
    m1, v1, k1 = (np.asarray(a, dtype=float) for a in (mean_1, variance_1, n_1))
    m2, v2, k2 = (np.asarray(a, dtype=float) for a in (mean_2, variance_2, n_2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.sqrt(((k1 - 1) * v1 + (k2 - 1) * v2) / (k1 + k2 - 2))
        d = (m2 - m1) / pooled
        g = d * (1 - 3 / (4 * (k1 + k2) - 9))
    return np.where(np.isfinite(g), g, np.nan)


def hedges_g_paired(
    mean_1: ArrayLike, variance_1: ArrayLike, mean_2: ArrayLike, variance_2: ArrayLike, n: ArrayLike
) -> FloatArray:
    """Hedges' g for a paired change: the mean change over the average of the two waves' SDs
    (√((s1² + s2²)/2), 'd_av'), with the same small-sample correction (2n observations).

    Using the spread of the scores rather than of the changes keeps g comparable with the
    independent design.
    """
    m1, v1, m2, v2, k = (
        np.asarray(a, dtype=float) for a in (mean_1, variance_1, mean_2, variance_2, n)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (m2 - m1) / np.sqrt((v1 + v2) / 2)
        g = d * (1 - 3 / (4 * (2 * k) - 9))
    return np.where(np.isfinite(g), g, np.nan)
