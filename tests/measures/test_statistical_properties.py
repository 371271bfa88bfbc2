"""Properties that must hold for any data (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.compare import compare_waves
from measures.contrast import FIGURES
from measures.estimates import subgroup_estimates, wave_estimates
from measures.indicators import load_indicators
from measures.intervals import newcombe_interval, t_interval, wilson_interval
from measures.responses import check_responses
from measures.scoring import score

INDICATORS = load_indicators()
MIN_N = INDICATORS.settings.min_n
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def successes_and_n(draw) -> tuple[int, int]:
    n = draw(st.integers(1, 5000))
    return draw(st.integers(0, n)), n


@given(successes_and_n())
def test_the_wilson_interval_holds_the_estimate(case: tuple[int, int]) -> None:
    x, n = case
    low, high = wilson_interval(x, n)
    assert 0 <= low <= x / n <= high <= 1


@given(successes_and_n(), successes_and_n())
def test_the_newcombe_interval_holds_the_difference(first, second) -> None:
    (x1, n1), (x2, n2) = first, second
    low, high = newcombe_interval(x1, n1, x2, n2)
    assert low - 1e-12 <= x2 / n2 - x1 / n1 <= high + 1e-12
    assert low >= -1 - 1e-12 and high <= 1 + 1e-12


@given(st.lists(st.integers(1, 10), min_size=2, max_size=200))
def test_the_t_interval_holds_the_mean(grades: list[int]) -> None:
    values = np.asarray(grades, dtype=float)
    low, high = t_interval(values.mean(), values.var(ddof=1), values.size)
    assert low - 1e-9 <= values.mean() <= high + 1e-9


ANSWER = st.one_of(st.none(), st.sampled_from([0, 1, 9]))
AGREEMENT = st.one_of(st.none(), st.sampled_from([1, 2, 3, 4, 5, 9]))
GRADE = st.one_of(st.none(), st.integers(1, 10))


@st.composite
def small_waves(draw) -> pd.DataFrame:
    """Client answers of one or two koplopers at T0 and T1, often with fewer than ten each."""
    rows = []
    for koploper in draw(st.sampled_from([("almere",), ("almere", "breda")])):
        for wave in ("T0", "T1"):
            for _ in range(draw(st.integers(0, 40))):
                age = draw(st.one_of(st.none(), st.integers(1, 6)))
                rows.append(
                    {
                        "koploper": koploper,
                        "wave": wave,
                        "aware_oco": draw(ANSWER),
                        "knew_where": draw(AGREEMENT),
                        "quick_help": draw(AGREEMENT),
                        "grade": draw(GRADE),
                        "age_group": age,
                    }
                )
    table = pd.DataFrame(
        rows,
        columns=["koploper", "wave", "aware_oco", "knew_where", "quick_help", "grade", "age_group"],
    )
    table.insert(0, "response_id", [f"r{i}" for i in range(len(table))])
    table["questionnaire"] = "client"
    table["questionnaire_version"] = 1
    table["used_oco"] = 1  # required; yes, so the questions about the support are asked
    # both waves must occur somewhere for a comparison to be asked for
    if set(table["wave"]) != {"T0", "T1"}:
        extra = pd.DataFrame(
            [
                {
                    "response_id": "x0",
                    "koploper": "almere",
                    "wave": "T0",
                    "questionnaire": "client",
                    "questionnaire_version": 1,
                    "used_oco": 1,
                },
                {
                    "response_id": "x1",
                    "koploper": "almere",
                    "wave": "T1",
                    "questionnaire": "client",
                    "questionnaire_version": 1,
                    "used_oco": 1,
                },
            ]
        )
        table = pd.concat([table, extra], ignore_index=True)
    return table


def _scored(table: pd.DataFrame):
    return score(check_responses(table, INDICATORS), INDICATORS)


@PROPERTY
@given(small_waves())
def test_swapping_baseline_and_follow_up_flips_the_difference_and_keeps_p(table) -> None:
    scored = _scored(table)
    forward = compare_waves(scored, "T0", "T1", INDICATORS.settings)
    backward = compare_waves(scored, "T1", "T0", INDICATORS.settings)
    key = ["koploper", "questionnaire", "indicator"]
    both = forward.merge(backward, on=key, suffixes=("", "_swapped"))
    assert len(both) == len(forward)
    np.testing.assert_allclose(both["difference"], -both["difference_swapped"], atol=1e-12)
    np.testing.assert_allclose(both["diff_ci_low"], -both["diff_ci_high_swapped"], atol=1e-9)
    np.testing.assert_allclose(both["p_value"], both["p_value_swapped"], atol=1e-12)
    np.testing.assert_allclose(both["q_value"], both["q_value_swapped"], atol=1e-12)
    np.testing.assert_allclose(both["effect_size"], -both["effect_size_swapped"], atol=1e-12)


@PROPERTY
@given(small_waves())
def test_suppression_never_lets_a_figure_on_fewer_than_ten_out(table) -> None:
    scored = _scored(table)
    comparison = compare_waves(scored, "T0", "T1", INDICATORS.settings)
    small = np.minimum(comparison["n_baseline"], comparison["n_followup"]) < MIN_N
    figures = [c.replace("_1", "_baseline").replace("_2", "_followup") for c in FIGURES]
    assert comparison.loc[small, figures].isna().all().all()
    assert (comparison.loc[small, "flag"] == "onderdrukt").all()
    assert (comparison.loc[small, "test"] == "").all()

    for table_ in (
        wave_estimates(scored["client"], INDICATORS.settings),
        subgroup_estimates(scored["client"], INDICATORS.settings),
    ):
        small = table_["n"] < MIN_N
        assert table_.loc[small, ["estimate", "ci_low", "ci_high"]].isna().all().all()


@PROPERTY
@given(small_waves())
def test_every_shown_interval_holds_its_estimate(table) -> None:
    estimates = wave_estimates(_scored(table)["client"], INDICATORS.settings)
    shown = estimates[estimates["estimate"].notna() & estimates["ci_low"].notna()]
    assert (shown["ci_low"] <= shown["estimate"] + 1e-9).all()
    assert (shown["estimate"] <= shown["ci_high"] + 1e-9).all()
