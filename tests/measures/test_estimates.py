"""Estimates per koploper × wave: n, left-out counts, estimate and interval, flags and reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from measures.estimates import subgroup_estimates, wave_estimates
from measures.indicators import IndicatorSet
from measures.responses import check_responses
from measures.scoring import score
from surveys.vocabulary import INDICATIVE, SUPPRESSED


def _row(table: pd.DataFrame, **where) -> pd.Series:
    chosen = table
    for column, value in where.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1
    return chosen.iloc[0]


def test_a_share_is_estimated_with_a_wilson_interval_from_the_raw_codes(
    wide: pd.DataFrame, scored, indicators: IndicatorSet
) -> None:
    table = wave_estimates(scored["client"], indicators.settings)
    row = _row(table, koploper="breda", wave="T1", indicator="knew_where")
    client = wide[wide["questionnaire"] == "client"]
    raw = client[(client["koploper"] == "breda") & (client["wave"] == "T1")]["knew_where"]
    valid = raw[raw.isin([1, 2, 3, 4, 5])]
    agree = int(valid.isin([4, 5]).sum())
    assert row["n"] == len(valid)
    assert row["n_dont_know"] == int((raw == 9).sum())
    assert row["n_missing"] == int(raw.isna().sum())
    assert row["estimate"] == pytest.approx(agree / len(valid))
    ref = proportion_confint(agree, len(valid), method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(ref, abs=1e-6)


def test_a_mean_grade_gets_a_t_interval(wide, scored, indicators) -> None:
    from scipy import stats

    table = wave_estimates(scored["client"], indicators.settings)
    row = _row(table, koploper="almere", wave="T0", indicator="grade")
    raw = wide[(wide["koploper"] == "almere") & (wide["wave"] == "T0")]["grade"].dropna()
    ref = stats.t.interval(0.95, len(raw) - 1, raw.mean(), stats.sem(raw))
    assert row["estimate"] == pytest.approx(raw.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(ref, abs=1e-6)


def _estimates(rows: list[dict], frame, indicators, questionnaire="client") -> pd.DataFrame:
    scored = score(check_responses(frame(rows, questionnaire), indicators), indicators)
    return wave_estimates(scored[questionnaire], indicators.settings)


def test_only_dont_know_answers_give_no_estimate_and_a_dutch_reason(frame, indicators) -> None:
    table = _estimates([{"aware_oco": 9}] * 25, frame, indicators)
    row = _row(table, indicator="aware_oco")
    assert row["n"] == 0 and row["n_dont_know"] == 25
    assert np.isnan(row["estimate"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert row["flag"] == SUPPRESSED
    assert "alleen 'weet niet / n.v.t.'" in row["reason"]


def test_fewer_than_ten_answers_are_suppressed_with_the_reason(frame, indicators) -> None:
    table = _estimates([{"aware_oco": 1}] * 9, frame, indicators)
    row = _row(table, indicator="aware_oco")
    assert row["flag"] == SUPPRESSED and np.isnan(row["estimate"])
    assert row["reason"] == "te weinig antwoorden (n = 9, minimaal 10)"


def test_ten_to_twenty_nine_answers_are_shown_as_indicative(frame, indicators) -> None:
    table = _estimates([{"aware_oco": 1}] * 6 + [{"aware_oco": 0}] * 6, frame, indicators)
    row = _row(table, indicator="aware_oco")
    assert row["flag"] == INDICATIVE and row["estimate"] == 0.5


def test_thirty_answers_carry_no_flag(frame, indicators) -> None:
    row = _row(_estimates([{"aware_oco": 1}] * 30, frame, indicators), indicator="aware_oco")
    assert row["flag"] == "" and row["reason"] == "" and row["estimate"] == 1.0


def _subgroups(rows, frame, indicators, questionnaire="client"):
    scored = score(check_responses(frame(rows, questionnaire), indicators), indicators)
    return subgroup_estimates(scored[questionnaire], indicators.settings)


def test_a_lone_small_subgroup_cell_takes_the_next_smallest_cell_with_it(frame, indicators) -> None:
    # age groups: 40 × code 2, 15 × code 3, 4 × code 5; 'niet ingevuld' empty
    rows = [{"aware_oco": 1, "age_group": 2}] * 40 + [{"aware_oco": 0, "age_group": 3}] * 15
    rows += [{"aware_oco": 1, "age_group": 5}] * 4
    table = _subgroups(rows, frame, indicators)
    age = table[(table["subgroup"] == "age_group") & (table["indicator"] == "aware_oco")]
    flags = dict(zip(age["category"], age["flag"], strict=True))
    assert flags[5] == SUPPRESSED  # too small itself
    assert flags[3] == SUPPRESSED  # else total − 40 − 15 would give the 4 away
    assert flags[2] == ""
    reason = age.loc[age["category"] == 3, "reason"].iloc[0]
    assert "aanvullende onderdrukking" in reason
    assert age.loc[age["flag"] == SUPPRESSED, "estimate"].isna().all()


def test_two_small_subgroup_cells_protect_each_other(frame, indicators) -> None:
    rows = [{"aware_oco": 1, "age_group": 2}] * 40 + [{"aware_oco": 0, "age_group": 3}] * 15
    rows += [{"aware_oco": 1, "age_group": 5}] * 4 + [{"aware_oco": 1}] * 3  # 3 unanswered
    table = _subgroups(rows, frame, indicators)
    age = table[(table["subgroup"] == "age_group") & (table["indicator"] == "aware_oco")]
    flags = dict(zip(age["category"], age["flag"], strict=True))
    assert flags[-1] == SUPPRESSED and flags[5] == SUPPRESSED
    assert flags[3] == INDICATIVE and flags[2] == ""


def test_a_multiple_choice_group_is_suppressed_when_few_are_outside_it(frame, indicators) -> None:
    # 35 respondents: 30 chose 'mantelzorger' (6); only 5 did not, so 'mantelzorger' is withheld
    rows = [{"aware_oco": 1, "target_group": "6"}] * 30 + [
        {"aware_oco": 0, "target_group": "1"}
    ] * 5
    table = _subgroups(rows, frame, indicators)
    target = table[(table["subgroup"] == "target_group") & (table["indicator"] == "aware_oco")]
    carers = target[target["category"] == 6].iloc[0]
    assert carers["n"] == 30 and carers["flag"] == SUPPRESSED and np.isnan(carers["estimate"])


def test_subgroup_rows_carry_the_dutch_category_label(scored, indicators) -> None:
    table = subgroup_estimates(scored["professional"], indicators.settings)
    labels = set(table.loc[table["subgroup"] == "role", "category_label"])
    assert "Vrijwillige cliëntondersteuner" in labels
