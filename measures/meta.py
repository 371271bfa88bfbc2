"""The pooled change over koplopers: random-effects meta-analysis by DerSimonian and Laird.

Each koploper's change (follow-up minus baseline) is one study with its standard error. Inverse
variance weights give a fixed-effect mean and Cochran's Q; the between-koploper variance is
τ² = max(0, (Q − (k − 1)) / (Σw − Σw² / Σw)) (DerSimonian & Laird 1986), and the pooled change
weights each koploper by 1 / (se² + τ²). I² = max(0, (Q − (k − 1)) / Q) is the share of the spread
between koplopers that chance does not explain. The interval is normal: estimate ± z · se.

The standard error of a koploper's change is taken from the engine's own comparison
(``measures.compare.compare_waves``), so that a pooled change rests on the same figures as the
koploper's own interval: for a mean, Welch's standard error √(se₀² + se₁²), each wave's se read
back from its t interval; for a share, the half width of Newcombe's interval divided by z (an
approximation: Newcombe's interval is not symmetric around the change).
Rows without a figure (fewer than ``min_n`` answers at either wave) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from measures.indicators import PROPORTION, Settings
from surveys.vocabulary import SUPPRESSED, fewer_than

ALL_KOPLOPERS = "Alle koplopers"
MIN_KOPLOPERS = 2
"""Fewer koplopers with a figure than this: no pooled change."""
POOL_COLUMNS = [
    "questionnaire",
    "indicator",
    "pool",
    "k",
    "estimate",
    "ci_low",
    "ci_high",
    "se",
    "tau2",
    "i2",
    "q_statistic",
    "heterogeneity_p",
    "reason",
]


@dataclass(frozen=True)
class Pooled:
    """One random-effects pooled estimate."""

    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q_statistic: float
    heterogeneity_p: float
    """The p-value of Cochran's Q (do the koplopers differ more than chance?), not of the
    pooled change."""


def dersimonian_laird(
    effects: ArrayLike, standard_errors: ArrayLike, confidence: float = 0.95
) -> Pooled:
    """The DerSimonian–Laird pooled effect of ``effects`` with their standard errors (k ≥ 1;
    with k = 1, τ² = 0 and I² is not defined)."""
    y = np.asarray(effects, dtype=float)
    v = np.asarray(standard_errors, dtype=float) ** 2
    if y.size == 0 or y.shape != v.shape:
        raise ValueError("effects and standard errors: one each, at least one")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v)) and np.all(v > 0)):
        raise ValueError("every effect and standard error must be finite, every se above 0")
    k = y.size
    w = 1 / v
    fixed = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - fixed) ** 2))
    df = k - 1
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    tau2 = max(0.0, (q - df) / c) if df > 0 else 0.0
    i2 = max(0.0, (q - df) / q) if df > 0 and q > 0 else (0.0 if df > 0 else float("nan"))
    w_star = 1 / (v + tau2)
    estimate = float(np.sum(w_star * y) / np.sum(w_star))
    se = float(np.sqrt(1 / np.sum(w_star)))
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = float(stats.chi2.sf(q, df)) if df > 0 else float("nan")
    return Pooled(k, estimate, se, estimate - z * se, estimate + z * se, float(tau2), i2, q, p)


def change_standard_errors(changes: pd.DataFrame, settings: Settings) -> np.ndarray:
    """The standard error of each row's difference in a ``compare_waves`` table (NaN when the
    row has no figure)."""
    proportion = (changes["kind"] == PROPORTION).to_numpy()
    z = stats.norm.ppf(0.5 + settings.confidence / 2)
    width = changes["diff_ci_high"].to_numpy(dtype=float) - changes["diff_ci_low"].to_numpy(
        dtype=float
    )
    newcombe = width / (2 * z)

    def wave_se(side: str) -> np.ndarray:
        n = changes[f"n_{side}"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = stats.t.ppf(0.5 + settings.confidence / 2, np.where(n >= 2, n - 1, np.nan))
            half = changes[f"ci_high_{side}"].to_numpy(dtype=float) - changes[
                f"estimate_{side}"
            ].to_numpy(dtype=float)
            return half / t

    welch = np.sqrt(wave_se("baseline") ** 2 + wave_se("followup") ** 2)
    se = np.where(proportion, newcombe, welch)
    return np.where(changes["flag"].to_numpy() == SUPPRESSED, np.nan, se)


def pooled_changes(
    changes: pd.DataFrame,
    cohort_of: Mapping[str, str],
    settings: Settings,
    min_koplopers: int = MIN_KOPLOPERS,
) -> pd.DataFrame:
    """Per questionnaire × indicator the pooled change over all koplopers and over each cohort.

    ``changes`` is a ``compare_waves`` table with a column ``se``
    (:func:`change_standard_errors`); ``cohort_of`` maps a koploper slug to its cohort's name.
    Koplopers without a figure (suppressed, or no spread to test) are left out of every pool.
    """
    usable = changes[
        (changes["flag"] != SUPPRESSED)
        & np.isfinite(changes["se"].astype(float))
        & (changes["se"].astype(float) > 0)
        & changes["difference"].notna()
    ].copy()
    usable["cohort"] = usable["koploper"].map(cohort_of)
    rows = []
    keys = changes[["questionnaire", "indicator"]].drop_duplicates()
    cohorts = sorted({c for c in cohort_of.values() if c})
    for questionnaire, indicator in keys.itertuples(index=False):
        part = usable[
            (usable["questionnaire"] == questionnaire) & (usable["indicator"] == indicator)
        ]
        for pool in (ALL_KOPLOPERS, *cohorts):
            members = part if pool == ALL_KOPLOPERS else part[part["cohort"] == pool]
            row = {"questionnaire": questionnaire, "indicator": indicator, "pool": pool}
            if len(members) < min_koplopers:
                row |= {
                    "k": len(members),
                    "reason": f"te weinig koplopers met een cijfer ({fewer_than(min_koplopers)})",
                }
            else:
                found = dersimonian_laird(members["difference"], members["se"], settings.confidence)
                row |= asdict(found) | {"reason": ""}
            rows.append(row)
    return pd.DataFrame(rows).reindex(columns=POOL_COLUMNS)
