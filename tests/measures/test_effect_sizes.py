"""Effect sizes against statsmodels (Cohen's h) and pingouin (Hedges' g)."""

from __future__ import annotations

import numpy as np
import pingouin
import pytest
from statsmodels.stats.proportion import proportion_effectsize

from measures.effects import cohen_h, hedges_g, hedges_g_paired

TOLERANCE = 1e-6


@pytest.mark.parametrize(("p1", "p2"), [(0.25, 0.5), (0.8, 0.6), (0.0, 1.0), (0.5, 0.5)])
def test_cohen_h_matches_statsmodels(p1: float, p2: float) -> None:
    assert cohen_h(p1, p2) == pytest.approx(proportion_effectsize(p2, p1), abs=TOLERANCE)


def test_hedges_g_matches_pingouin() -> None:
    rng = np.random.default_rng(21)
    first, second = rng.normal(60, 15, 40), rng.normal(66, 18, 55)
    g = hedges_g(
        first.mean(), first.var(ddof=1), first.size, second.mean(), second.var(ddof=1), second.size
    )
    assert g == pytest.approx(pingouin.compute_effsize(second, first, eftype="hedges"), abs=1e-9)


def test_paired_hedges_g_matches_pingouin() -> None:
    rng = np.random.default_rng(22)
    before = rng.normal(7, 1.2, 30)
    after = before + rng.normal(0.4, 0.8, 30)
    g = hedges_g_paired(before.mean(), before.var(ddof=1), after.mean(), after.var(ddof=1), 30)
    reference = pingouin.compute_effsize(after, before, paired=True, eftype="hedges")
    assert g == pytest.approx(reference, abs=1e-9)


def test_hedges_g_without_spread_is_nan_rather_than_infinite() -> None:
    assert np.isnan(hedges_g(7.0, 0.0, 20, 8.0, 0.0, 20))
