"""Confidence intervals, vectorised: every function takes arrays (one element per group) and returns
arrays of the same shape, NaN where an interval does not exist (no respondents, one respondent).

Proportions use Wilson's score interval; means the t interval; the difference of two independent
proportions Newcombe's hybrid score interval (1998a, method 10) and of two paired proportions its
paired counterpart (Newcombe 1998b, method 10). The reasons are in METHODS.md.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]


def z_value(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (1.959964 for 0.95)."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson_interval(
    successes: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson's score interval for successes out of n (Wilson 1927)."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # at 0 and n the limits are exactly 0 and 1; rounding would otherwise leave 1e-18 over
    low = np.where(x <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(x >= n, 1.0, np.clip(centre + half, 0.0, 1.0))
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return low, high


def t_interval(
    mean: ArrayLike, variance: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """The t interval for a mean: mean ± t(n-1) · s/√n. Needs n ≥ 2."""
    mean = np.asarray(mean, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.asarray(variance, dtype=float) / n)
        quantile = stats.t.ppf(0.5 + confidence / 2, np.where(n >= 2, n - 1, np.nan))
    half = quantile * se
    return mean - half, mean + half


def newcombe_interval(
    successes_1: ArrayLike,
    n_1: ArrayLike,
    successes_2: ArrayLike,
    n_2: ArrayLike,
    confidence: float = 0.95,
) -> tuple[FloatArray, FloatArray]:
    """Newcombe's hybrid score interval for p2 − p1, two independent samples.

    Built from the two Wilson intervals (l1, u1) and (l2, u2):
    ``(p2 − p1) − √((p2 − l2)² + (u1 − p1)²)`` to ``(p2 − p1) + √((u2 − p2)² + (p1 − l1)²)``.
    """
    x1, m1 = np.asarray(successes_1, dtype=float), np.asarray(n_1, dtype=float)
    x2, m2 = np.asarray(successes_2, dtype=float), np.asarray(n_2, dtype=float)
    l1, u1 = wilson_interval(x1, m1, confidence)
    l2, u2 = wilson_interval(x2, m2, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / m1, x2 / m2
    difference = p2 - p1
    low = difference - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = difference + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return low, high


def newcombe_paired_interval(
    both: ArrayLike,
    only_first: ArrayLike,
    only_second: ArrayLike,
    neither: ArrayLike,
    confidence: float = 0.95,
) -> tuple[FloatArray, FloatArray]:
    """Newcombe's score interval (1998b, method 10) for p2 − p1 from paired yes/no answers.

    ``both`` said yes at both waves, ``only_first`` only at the first, ``only_second`` only at the
    second, ``neither`` at none. The Wilson limits of both marginal proportions are combined with
    the correlation φ of the pairs, as defined in Newcombe's paper.
    """
    a, b = np.asarray(both, dtype=float), np.asarray(only_first, dtype=float)
    c, d = np.asarray(only_second, dtype=float), np.asarray(neither, dtype=float)
    n = a + b + c + d
    l1, u1 = wilson_interval(a + b, n, confidence)
    l2, u2 = wilson_interval(a + c, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = (a + b) / n, (a + c) / n
        margins = (a + b) * (c + d) * (a + c) * (b + d)
        cross = a * d - b * c
        # Newcombe's φ: a positive association is shrunk by n/2 (never below 0); a negative one is
        # used as it is; an empty margin gives 0.
        cross = np.where(cross > n / 2, cross - n / 2, np.where(cross > 0, 0.0, cross))
        phi = np.where(margins > 0, cross / np.sqrt(margins), 0.0)
    difference = p2 - p1
    lower_part = (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2
    upper_part = (u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2
    low = difference - np.sqrt(np.maximum(lower_part, 0.0))
    high = difference + np.sqrt(np.maximum(upper_part, 0.0))
    return low, high
