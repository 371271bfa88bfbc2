"""Baseline against follow-up: every figure of a row recomputed from the raw codes by references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from measures.compare import compare_waves
from measures.errors import AnalysisError
from measures.responses import check_responses
from measures.scoring import score
from surveys.vocabulary import SUPPRESSED

TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def comparison(scored, indicators) -> pd.DataFrame:
    return compare_waves(scored, "T0", "T1", indicators.settings)


def _row(table: pd.DataFrame, koploper: str, indicator: str, questionnaire="client") -> pd.Series:
    chosen = table[
        (table["koploper"] == koploper)
        & (table["indicator"] == indicator)
        & (table["questionnaire"] == questionnaire)
    ]
    assert len(chosen) == 1
    return chosen.iloc[0]


def _raw(wide: pd.DataFrame, koploper: str, wave: str, questionnaire="client") -> pd.DataFrame:
    chosen = (
        (wide["koploper"] == koploper)
        & (wide["wave"] == wave)
        & (wide["questionnaire"] == questionnaire)
    )
    return wide[chosen]


def test_a_share_change_matches_newcombe_and_chi_square_from_the_raw_codes(
    comparison, wide
) -> None:
    row = _row(comparison, "regio-twente", "taken_seriously")
    counts = []
    for wave in ("T0", "T1"):
        codes = _raw(wide, "regio-twente", wave)["taken_seriously"]
        valid = codes[codes.isin([1, 2, 3, 4, 5])]
        counts.append((int(valid.isin([4, 5]).sum()), len(valid)))
    (x0, n0), (x1, n1) = counts
    assert (row["n_baseline"], row["n_followup"]) == (n0, n1)
    assert row["difference"] == pytest.approx(x1 / n1 - x0 / n0, abs=TOLERANCE)
    ci = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb")
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(ci, abs=TOLERANCE)
    assert (row["ci_low_followup"], row["ci_high_followup"]) == pytest.approx(
        proportion_confint(x1, n1, method="wilson"), abs=TOLERANCE
    )
    table = [[x0, n0 - x0], [x1, n1 - x1]]
    assert row["test"] == "chi2"
    p = stats.chi2_contingency(table, correction=False).pvalue
    assert row["p_value"] == pytest.approx(p, abs=TOLERANCE)
    h = 2 * np.arcsin(np.sqrt(x1 / n1)) - 2 * np.arcsin(np.sqrt(x0 / n0))
    assert row["effect_size"] == pytest.approx(h, abs=TOLERANCE)


def _quality_scores(raw: pd.DataFrame) -> np.ndarray:
    """The client quality theme score recomputed with plain pandas: ≥ 2 of 4 valid answers."""
    items = raw[["taken_seriously", "solutions_together", "on_my_side", "knew_enough"]]
    scores = (items.where(items.isin([1, 2, 3, 4, 5])) - 1) * 25
    enough = scores.notna().sum(axis=1) >= 2
    return scores[enough].mean(axis=1).to_numpy()


def test_a_theme_score_change_matches_welch_mann_whitney_and_hedges_g(comparison, wide) -> None:
    row = _row(comparison, "almere", "quality")
    before = _quality_scores(_raw(wide, "almere", "T0"))
    after = _quality_scores(_raw(wide, "almere", "T1"))
    assert (row["n_baseline"], row["n_followup"]) == (before.size, after.size)
    assert row["estimate_baseline"] == pytest.approx(before.mean(), abs=TOLERANCE)
    welch = stats.ttest_ind(after, before, equal_var=False)
    assert row["test"] == "welch_t"
    assert row["p_value"] == pytest.approx(welch.pvalue, abs=TOLERANCE)
    ci = welch.confidence_interval()
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx(
        (ci.low, ci.high), abs=TOLERANCE
    )
    rank = stats.mannwhitneyu(after, before, method="asymptotic").pvalue
    assert row["p_value_rank"] == pytest.approx(rank, abs=TOLERANCE)
    g = pingouin.compute_effsize(after, before, eftype="hedges")
    assert row["effect_size"] == pytest.approx(g, abs=TOLERANCE)


def test_q_values_are_benjamini_hochberg_over_one_koplopers_indicators(comparison) -> None:
    for koploper in ("almere", "breda"):
        rows = comparison[(comparison["koploper"] == koploper) & comparison["p_value"].notna()]
        reference = multipletests(rows["p_value"], method="fdr_bh")[1]
        np.testing.assert_allclose(rows["q_value"], reference, atol=TOLERANCE)


def test_every_indicator_of_every_koploper_gets_a_row(comparison, indicators) -> None:
    per_koploper = sum(len(q.indicators) for q in indicators.questionnaires.values())
    assert len(comparison) == 3 * per_koploper
    assert set(comparison["design"]) == {"onafhankelijk"}


def test_a_single_wave_an_unknown_wave_or_the_same_wave_twice_is_refused(scored, indicators):
    with pytest.raises(AnalysisError, match="'T7' komt niet voor"):
        compare_waves(scored, "T0", "T7", indicators.settings)
    with pytest.raises(AnalysisError, match="geen meting"):
        compare_waves(scored, "nul", "T1", indicators.settings)
    with pytest.raises(AnalysisError, match="allebei 'T0'"):
        compare_waves(scored, "T0", "T0", indicators.settings)
    with pytest.raises(AnalysisError, match="koploper 'zwolle'"):
        compare_waves(scored, "T0", "T1", indicators.settings, koploper="zwolle")


def test_a_file_with_one_wave_says_there_is_nothing_to_compare(frame, indicators) -> None:
    only_t0 = score(check_responses(frame([{"aware_oco": 1}] * 20), indicators), indicators)
    with pytest.raises(AnalysisError, match="maar één meting"):
        compare_waves(only_t0, "T0", "T1", indicators.settings)


def test_a_koploper_without_a_follow_up_is_suppressed_not_crashed(frame, indicators) -> None:
    rows = [{"aware_oco": 1, "koploper": "almere", "wave": "T0"}] * 20
    rows += [{"aware_oco": 0, "koploper": "almere", "wave": "T1"}] * 20
    rows += [{"aware_oco": 1, "koploper": "gouda", "wave": "T0"}] * 20
    scored = score(check_responses(frame(rows), indicators), indicators)
    table = compare_waves(scored, "T0", "T1", indicators.settings)
    gouda = _row(table, "gouda", "aware_oco")
    assert gouda["n_followup"] == 0 and gouda["flag"] == SUPPRESSED
    assert gouda["reason"] == "geen antwoorden bij T1"
    assert np.isnan(gouda["estimate_baseline"]) and np.isnan(gouda["p_value"])


def _panel(frame, indicators, pairs: list[tuple[int, int]], grades: list[tuple[int, int]]):
    rows = []
    for person, ((before, after), (grade_before, grade_after)) in enumerate(
        zip(pairs, grades, strict=True)
    ):
        rows.append({"aware_oco": before, "grade": grade_before, "panel_id": f"p{person}"})
        rows.append(
            {"aware_oco": after, "grade": grade_after, "panel_id": f"p{person}", "wave": "T1"}
        )
    rows.append({"aware_oco": 1, "grade": 8, "panel_id": ""})  # not linked: left out
    return score(check_responses(frame(rows), indicators), indicators)


def test_linked_responses_get_exact_mcnemar_and_newcombes_paired_interval(frame, indicators):
    pairs = [(1, 1)] * 14 + [(0, 1)] * 9 + [(1, 0)] * 2 + [(0, 0)] * 10
    rng = np.random.default_rng(3)
    before = rng.integers(4, 10, len(pairs))
    after = np.clip(before + rng.integers(-1, 3, len(pairs)), 1, 10)
    scored = _panel(frame, indicators, pairs, list(zip(before, after, strict=True)))
    table = compare_waves(scored, "T0", "T1", indicators.settings)
    aware = _row(table, "almere", "aware_oco")
    assert aware["design"] == "gekoppeld" and aware["test"] == "mcnemar_exact"
    assert aware["n_baseline"] == aware["n_followup"] == len(pairs)
    assert aware["n_unlinked_baseline"] == 1
    reference = mcnemar([[14, 2], [9, 10]], exact=True).pvalue
    assert aware["p_value"] == pytest.approx(reference, abs=TOLERANCE)
    assert aware["difference"] == pytest.approx((9 - 2) / len(pairs))

    grade = _row(table, "almere", "grade")
    assert grade["test"] == "paired_t"
    assert grade["p_value"] == pytest.approx(stats.ttest_rel(after, before).pvalue, abs=TOLERANCE)
    wilcoxon = stats.wilcoxon(after, before, method="approx").pvalue
    assert grade["p_value_rank"] == pytest.approx(wilcoxon, abs=TOLERANCE)


def test_the_independent_design_can_be_forced_on_linked_responses(frame, indicators) -> None:
    pairs = [(1, 1)] * 20 + [(0, 1)] * 15
    scored = _panel(frame, indicators, pairs, [(7, 8)] * len(pairs))
    table = compare_waves(scored, "T0", "T1", indicators.settings, design="independent")
    row = _row(table, "almere", "aware_oco")
    assert row["design"] == "onafhankelijk" and row["n_baseline"] == 36


def test_asking_for_a_paired_comparison_without_panel_ids_is_refused(scored, indicators) -> None:
    with pytest.raises(AnalysisError, match="panel_id"):
        compare_waves(scored, "T0", "T1", indicators.settings, design="paired")


def test_a_change_is_called_significant_only_when_its_q_value_is_below_005(comparison) -> None:
    called = comparison["significant"].to_numpy(dtype=bool)
    assert (comparison.loc[called, "q_value"] < 0.05).all()
    assert not (comparison.loc[~called, "q_value"] < 0.05).any()


def test_only_koplopers_with_linked_responses_are_compared_paired(frame, indicators) -> None:
    rows = []
    for person in range(15):
        rows.append({"aware_oco": 1, "panel_id": f"p{person}"})
        rows.append({"aware_oco": person % 2, "panel_id": f"p{person}", "wave": "T1"})
    rows += [{"aware_oco": 1, "koploper": "gouda", "wave": w} for w in ("T0", "T1")] * 15
    scored = score(check_responses(frame(rows), indicators), indicators)
    table = compare_waves(scored, "T0", "T1", indicators.settings)
    assert _row(table, "almere", "aware_oco")["design"] == "gekoppeld"
    gouda = _row(table, "gouda", "aware_oco")
    assert gouda["design"] == "onafhankelijk" and gouda["n_baseline"] == 15

    forced = compare_waves(scored, "T0", "T1", indicators.settings, design="paired")
    gouda = _row(forced, "gouda", "aware_oco")
    assert gouda["flag"] == SUPPRESSED and "geen gekoppelde paren" in gouda["reason"]
