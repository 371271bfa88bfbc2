"""The pooled change (DerSimonian–Laird) against statsmodels' ``combine_effects``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2
from statsmodels.stats.meta_analysis import combine_effects

from measures.indicators import load_indicators
from measures.meta import ALL_KOPLOPERS, change_standard_errors, dersimonian_laird, pooled_changes
from surveys.vocabulary import SUPPRESSED

# statsmodels computes with its uncut (negative) τ² in homogeneous cases: sqrt of a negative, 1/0
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning:statsmodels.stats.meta_analysis")


def reference(effects, ses):
    """statsmodels' DerSimonian–Laird. Its moment estimate of τ² is not cut off at 0 (it can
    be negative when the koplopers differ less than chance predicts); DerSimonian and Laird cut
    it off, and then the random-effects result is the fixed-effect one, I² = 0."""
    result = combine_effects(np.asarray(effects), np.asarray(ses) ** 2, method_re="dl")
    (fe_low, fe_high), (re_low, re_high) = result.conf_int(use_t=False)[:2]
    if result.tau2 < 0:
        return (result.mean_effect_fe, result.sd_eff_w_fe, fe_low, fe_high, 0.0, 0.0, result.q)
    return (
        result.mean_effect_re,
        result.sd_eff_w_re,
        re_low,
        re_high,
        result.tau2,
        result.i2,
        result.q,
    )


@pytest.mark.parametrize(
    "effects, ses",
    [
        ([0.1, 0.3, -0.05, 0.2, 0.15], [0.05, 0.08, 0.1, 0.06, 0.04]),  # heterogeneous: τ² > 0
        ([0.1, 0.11, 0.09], [0.1, 0.12, 0.09]),  # homogeneous: τ² = 0, I² = 0
        ([-0.4, 0.5], [0.05, 0.05]),  # two koplopers far apart
        ([1.2, 0.3, 0.8, -0.2, 0.5, 0.9, 0.1], [0.3, 0.2, 0.4, 0.25, 0.15, 0.35, 0.2]),  # means
    ],
)
def test_the_pooled_change_is_statsmodels_dersimonian_laird(effects, ses):
    found = dersimonian_laird(effects, ses)
    estimate, se, low, high, tau2, i2, q = reference(effects, ses)
    assert found.k == len(effects)
    assert found.estimate == pytest.approx(estimate, abs=1e-10)
    assert found.se == pytest.approx(se, abs=1e-10)
    assert (found.ci_low, found.ci_high) == pytest.approx((low, high), abs=1e-10)
    assert found.tau2 == pytest.approx(tau2, abs=1e-10)
    assert found.i2 == pytest.approx(i2, abs=1e-10)
    assert found.q_statistic == pytest.approx(q, abs=1e-10)
    # the p-value of Cochran's Q (heterogeneity), not of the pooled change
    assert found.heterogeneity_p == pytest.approx(chi2.sf(q, len(effects) - 1), abs=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-0.6, 0.6, allow_nan=False), st.floats(0.01, 0.3, allow_nan=False)),
        min_size=2,
        max_size=30,
    )
)
def test_any_set_of_koplopers_pools_as_statsmodels_does(pairs):
    effects, ses = zip(*pairs, strict=True)
    found = dersimonian_laird(effects, ses)
    estimate, se, low, high, tau2, i2, _ = reference(effects, ses)
    assert found.estimate == pytest.approx(estimate, abs=1e-9)
    assert (found.ci_low, found.ci_high) == pytest.approx((low, high), abs=1e-9)
    assert found.tau2 == pytest.approx(tau2, abs=1e-9)
    assert found.i2 == pytest.approx(i2, abs=1e-9)


def test_one_koploper_is_its_own_pool_without_i2():
    found = dersimonian_laird([0.2], [0.05])
    assert found.estimate == pytest.approx(0.2) and found.tau2 == 0 and np.isnan(found.i2)


@pytest.mark.parametrize("ses", [[0.1, 0.0], [0.1, np.nan]])
def test_a_standard_error_of_zero_or_none_is_refused(ses):
    with pytest.raises(ValueError):
        dersimonian_laird([0.1, 0.2], ses)


def changes(rows):
    table = pd.DataFrame(rows, columns=["koploper", "difference", "se", "flag"]).assign(
        questionnaire="client", indicator="aware_oco"
    )
    return table


def test_pools_leave_out_withheld_koplopers_and_pool_each_cohort():
    settings_ = load_indicators().settings
    table = changes(
        [
            ("a", 0.1, 0.05, ""),
            ("b", 0.2, 0.06, "indicatief"),
            ("c", np.nan, np.nan, SUPPRESSED),
            ("d", 0.3, 0.04, ""),
            ("e", 0.0, 0.07, ""),
        ]
    )
    cohorts = {"a": "Cohort 1", "b": "Cohort 1", "c": "Cohort 1", "d": "Cohort 2", "e": "Cohort 3"}
    pools = pooled_changes(table, cohorts, settings_).set_index("pool")
    assert pools.loc[ALL_KOPLOPERS, "k"] == 4
    expected = dersimonian_laird([0.1, 0.2, 0.3, 0.0], [0.05, 0.06, 0.04, 0.07])
    assert pools.loc[ALL_KOPLOPERS, "estimate"] == pytest.approx(expected.estimate)
    assert pools.loc["Cohort 1", "k"] == 2
    assert pools.loc["Cohort 2", "k"] == 1 and np.isnan(pools.loc["Cohort 2", "estimate"])
    assert "te weinig koplopers" in pools.loc["Cohort 2", "reason"]


def test_the_standard_error_of_a_change_comes_from_the_engines_intervals():
    settings_ = load_indicators().settings
    from scipy import stats

    z = stats.norm.ppf(0.975)
    t30, t40 = stats.t.ppf(0.975, 29), stats.t.ppf(0.975, 39)
    table = pd.DataFrame(
        {
            "kind": ["proportion", "mean", "proportion"],
            "flag": ["", "", SUPPRESSED],
            "diff_ci_low": [-0.1, np.nan, np.nan],
            "diff_ci_high": [0.3, np.nan, np.nan],
            "n_baseline": [50, 30, 5],
            "n_followup": [50, 40, 50],
            "estimate_baseline": [0.4, 7.0, np.nan],
            "ci_high_baseline": [0.5, 7.0 + t30 * 0.2, np.nan],
            "estimate_followup": [0.5, 7.5, np.nan],
            "ci_high_followup": [0.6, 7.5 + t40 * 0.3, np.nan],
        }
    )
    se = change_standard_errors(table, settings_)
    assert se[0] == pytest.approx(0.4 / (2 * z))
    assert se[1] == pytest.approx(np.sqrt(0.2**2 + 0.3**2))
    assert np.isnan(se[2])
