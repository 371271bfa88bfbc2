"""The dashboard's figures are the engine's figures, and small numbers hold in every view."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from measures import benchmark, check_responses, compare_waves, score
from measures.charts import chart_text, indicator_chart
from measures.counts import from_scored
from measures.dutch import difference_text, p_text, value_text
from measures.figures import figures
from measures.groups import ALL
from measures.pools import small_pools, withhold_small_pools
from measures.sentences import MORE_THAN_CHANCE, change_sentence
from measures.subgroups import subgroup_choices
from measures.synthetic import synthetic_responses
from measures.wording import direction, wording_notes
from surveys.numbers import decimal
from surveys.vocabulary import COHORT, COMPLEMENT_REASON, DOWN, OTHERS, OWN, SAME, SUPPRESSED, UP

KOPLOPER = "almere"
KOPLOPERS = ("almere", "breda", "delft", "ede", "gouda", "hengelo", "leiden", "zwolle")
COHORT_MEMBERS = {"almere", "breda", "delft", "ede"}
"""Eight koplopers, four in Almere's cohort: every reference group pools at least three."""
CHANGE = [
    "estimate_baseline",
    "ci_low_baseline",
    "ci_high_baseline",
    "estimate_followup",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_value_rank",
    "q_value",
    "effect_size",
]
BENCH = [
    "estimate_reference",
    "ci_low_reference",
    "estimate_koploper",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "q_value",
    "effect_size",
]


@pytest.fixture(scope="module")
def wide():
    return synthetic_responses(KOPLOPERS, per_group=40, seed=7)


@pytest.fixture(scope="module")
def scored(wide, indicators):
    return score(check_responses(wide, indicators), indicators)


@pytest.fixture(scope="module")
def whole(scored, indicators):
    counts = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators)
    return counts, figures(counts, indicators, "T0", "T1", koploper_name="Almere")


def test_changes_equal_compare_waves(whole, scored, indicators):
    _, result = whole
    engine = compare_waves(scored, "T0", "T1", indicators.settings, koploper=KOPLOPER)
    both = result.changes.merge(engine, on=["questionnaire", "indicator"], suffixes=("", "_e"))
    assert len(both) == len(engine) == len(result.changes)
    for column in CHANGE:
        np.testing.assert_allclose(
            both[column].to_numpy(float),
            both[f"{column}_e"].to_numpy(float),
            rtol=1e-12,
            err_msg=column,
        )
    assert (both["flag"] == both["flag_e"]).all()
    assert (both["significant"] == both["significant_e"]).all()
    for column in ("n_baseline", "n_followup"):
        assert_counts_as_shown(both[column], both[f"{column}_e"])


def assert_counts_as_shown(shown: pd.Series, engine: pd.Series) -> None:
    """The engine's counts, except that a count under 10 is not shown at all."""
    small = (engine > 0) & (engine < 10)
    assert shown[small].isna().all()
    np.testing.assert_array_equal(shown[~small].to_numpy(float), engine[~small].to_numpy(float))


def test_benchmarks_equal_the_engine_with_this_koploper_left_out(whole, scored, indicators, wide):
    _, result = whole
    cohorts = {k: ("a" if k in COHORT_MEMBERS else "b") for k in wide["koploper"].unique()}
    engine = benchmark(scored, indicators.settings, cohorts=cohorts)
    engine = engine[engine["koploper"] == KOPLOPER].assign(
        reference=lambda t: np.where(t["reference"] == "overige koplopers", OTHERS, COHORT)
    )
    keys = ["wave", "reference", "questionnaire", "indicator"]
    both = result.benchmarks.merge(engine, on=keys, suffixes=("", "_e"))
    assert len(both) == len(engine) == len(result.benchmarks) > 0
    for column in BENCH:
        np.testing.assert_allclose(
            both[column].to_numpy(float),
            both[f"{column}_e"].to_numpy(float),
            rtol=1e-12,
            err_msg=column,
        )


def test_estimates_of_the_koploper_equal_wave_estimates(whole, scored, indicators):
    from measures import wave_estimates

    _, result = whole
    for key, part in scored.items():
        engine = wave_estimates(part, indicators.settings)
        engine = engine[engine["koploper"] == KOPLOPER]
        own = result.estimates[
            (result.estimates["group"] == OWN) & (result.estimates["questionnaire"] == key)
        ]
        both = own.merge(engine, on=["wave", "indicator"], suffixes=("", "_e"))
        assert len(both) == len(engine) > 0
        assert_counts_as_shown(both["n"], both["n_e"])
        for column in ("n_dont_know", "n_missing", "estimate", "ci_low", "ci_high"):
            np.testing.assert_allclose(
                both[column].to_numpy(float), both[f"{column}_e"].to_numpy(float), rtol=1e-12
            )


def test_a_single_choice_subgroup_equals_the_engine_on_those_respondents(scored, indicators, wide):
    total = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators)
    counts = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators, subgroup="age_group")
    result = figures(counts, indicators, "T0", "T1", category=3, total=total)
    assert set(result.changes["questionnaire"]) == {"client"}
    part = wide[(wide["questionnaire"] == "client") & (wide["age_group"].astype(str) == "3")]
    engine = compare_waves(
        score(check_responses(part, indicators), indicators),
        "T0",
        "T1",
        indicators.settings,
        koploper=KOPLOPER,
    )
    both = result.changes.merge(engine, on=["questionnaire", "indicator"], suffixes=("", "_e"))
    shown = both[both["reason"] != COMPLEMENT_REASON]
    assert len(both) == len(engine) and len(shown) > 0
    for column in ("estimate_baseline", "estimate_followup", "difference", "p_value"):
        np.testing.assert_allclose(
            shown[column].to_numpy(float), shown[f"{column}_e"].to_numpy(float), rtol=1e-12
        )
    for column in ("n_baseline", "n_followup"):
        assert_counts_as_shown(shown[column], shown[f"{column}_e"])


def _all_categories(scored, indicators, subgroup: str) -> pd.DataFrame:
    total = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators)
    counts = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators, subgroup=subgroup)
    choice = subgroup_choices(indicators)[subgroup]
    parts = []
    codes = sorted(set(counts.base["category"]))
    for code in codes:
        result = figures(
            counts, indicators, "T0", "T1", category=code, multiple=choice.multiple, total=total
        )
        parts.append(result.estimates.assign(category=code).drop(columns="n"))
    table = pd.concat(parts, ignore_index=True)
    keys = ["group", "category", "wave", "questionnaire", "indicator"]
    return table.merge(counts.base[[*keys, "n"]], on=keys), total  # the counts, not as shown


@pytest.mark.parametrize("subgroup", ["age_group", "filled_by"])
def test_no_single_hidden_cell_can_be_worked_out_from_the_total(scored, indicators, subgroup):
    table, _ = _all_categories(scored, indicators, subgroup)
    hidden = table[(table["flag"] == SUPPRESSED) & ((table["n"] + table["n_dont_know"]) > 0)]
    hidden = hidden[hidden["n"] > 0]
    per_partition = hidden.groupby(["group", "wave", "questionnaire", "indicator"]).size()
    assert len(per_partition) > 0, "the test data should hold small groups"
    assert (per_partition != 1).all(), per_partition[per_partition == 1]
    assert (table.loc[table["reason"] == COMPLEMENT_REASON, "n"] >= 10).all()
    shown = table[table["flag"] != SUPPRESSED]
    assert (shown["n"] >= 10).all()


@pytest.mark.parametrize("subgroup", ["age_group", "filled_by"])
def test_a_count_under_min_n_is_neither_shown_nor_said(scored, indicators, subgroup):
    total = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators)
    counts = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators, subgroup=subgroup)
    min_n = indicators.settings.min_n
    said = []
    for code in sorted(set(counts.base["category"])):
        result = figures(counts, indicators, "T0", "T1", category=code, total=total)
        for table, columns in (
            (result.estimates, ["n"]),
            (result.changes, ["n_baseline", "n_followup"]),
            (result.benchmarks, ["n_reference", "n_koploper"]),
            (result.profile, ["answered"]),
        ):
            for column in columns:
                shown = table[column].dropna()
                assert ((shown == 0) | (shown >= min_n)).all(), (code, column)
            reasons = table["reason"].astype(str)
            assert not reasons.str.contains(r"n = \d+, minimaal").any()
            said += [r for r in reasons if f"(minder dan {min_n})" in r]
    assert said, "the test data should hold small groups"


def test_a_multiple_choice_cell_is_hidden_when_few_are_outside_it(scored, indicators):
    table, total = _all_categories(scored, indicators, "target_group")
    whole = total.base[total.base["category"] == ALL][
        ["group", "wave", "questionnaire", "indicator", "n"]
    ]
    table = table.merge(
        whole, on=["group", "wave", "questionnaire", "indicator"], suffixes=("", "_total")
    )
    shown = table[table["flag"] != SUPPRESSED]
    rest = shown["n_total"] - shown["n"]
    assert ((rest == 0) | (rest >= 10)).all()
    assert (shown["n"] >= 10).all()


def test_profile_shares_hold_small_numbers(whole, indicators):
    _, result = whole
    profile = result.profile
    assert {"target_group", "age_group", "filled_by", "role"} <= set(profile["item"])
    shown = profile[profile["flag"] != SUPPRESSED]
    assert (shown["count"].isna() | (shown["count"] >= 10) | (shown["count"] == 0)).all()
    single = profile[profile["item"].isin(["age_group", "filled_by", "role"])]
    hidden = single[(single["flag"] == SUPPRESSED) & (single["answered"] >= 10)]
    per_question = hidden.groupby(["wave", "questionnaire", "item"]).size()
    assert (per_question != 1).all()
    share = shown["share"].dropna()
    assert ((share >= 0) & (share <= 1)).all()


def test_a_reference_of_too_few_koplopers_is_not_shown(indicators):
    three = synthetic_responses(per_group=40, seed=3)  # almere, breda, regio-twente
    scored = score(check_responses(three, indicators), indicators)
    counts = from_scored(scored, "almere", {"almere", "breda"}, indicators)
    result = figures(counts, indicators, "T0", "T1")
    bench = result.benchmarks
    assert len(bench) > 0
    assert (bench["flag"] == SUPPRESSED).all()
    assert bench["estimate_reference"].isna().all() and bench["difference"].isna().all()
    # the koploper's own figure stands beside it, as it does on the page and in the chart
    assert bench["estimate_koploper"].notna().any()
    assert bench["reason"].str.contains("te weinig andere koplopers").all()
    assert bench["sentence"].str.contains("te weinig koplopers").all()
    assert result.changes["estimate_followup"].notna().any()  # the koploper's own figures stay
    references = result.estimates[result.estimates["group"] != OWN]
    assert len(references) > 0 and references["estimate"].isna().all()
    assert references["reason"].str.contains("te weinig andere koplopers").all()
    assert (counts.counts["group"] == OWN).any()
    pooled = withhold_small_pools(counts, indicators.settings)
    assert set(pooled.counts["group"]) == {OWN}  # not even the counts leave the data layer
    assert (pooled.base.loc[pooled.base["group"] != OWN, "n"] == 0).all()
    for row in result.changes.itertuples():
        chart = indicator_chart(result, row.questionnaire, row.indicator)
        drawn = [trace for trace in chart.data if (trace.meta or {}).get("group") != OWN]
        assert all(not [y for y in (trace.y or ()) if y is not None] for trace in drawn)
        text = chart_text(result, row.questionnaire, row.indicator)
        assert not re.search(r"(overige koplopers|eigen cohort) \d", text), text


def test_the_pool_counts_koplopers_per_indicator_and_not_those_the_viewer_knows(wide, indicators):
    scored = score(check_responses(wide, indicators), indicators)
    counts = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators)
    assert not small_pools(counts, indicators.settings)  # eight koplopers: every pool is large
    # Only two other koplopers answered 'quick_help': that pool is too small, the others not.
    few = wide.copy()
    few.loc[~few["koploper"].isin(["almere", "breda", "gouda"]), "quick_help"] = pd.NA
    counts = from_scored(
        score(check_responses(few, indicators), indicators), KOPLOPER, COHORT_MEMBERS, indicators
    )
    hidden = small_pools(counts, indicators.settings)
    assert {(group, indicator) for group, _, _, _, indicator in hidden} == {
        (OTHERS, "quick_help"),
        (COHORT, "quick_help"),
    }
    # An account that also sees Breda and Delft by name: the rest of its cohort is Ede alone.
    known = {"breda", "delft"}
    counts = from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators, known=known)
    groups = {group for group, *_ in small_pools(counts, indicators.settings)}
    assert groups == {COHORT}


def test_directions_follow_the_q_value():
    assert direction(True, 0.1, "") == UP
    assert direction(True, -0.1, "indicatief") == DOWN
    assert direction(False, 0.3, "") == SAME
    assert direction(True, float("nan"), SUPPRESSED) != UP


def test_sentences_are_plain_dutch_with_a_decimal_comma():
    row = {
        "label": "Bekendheid",
        "kind": "proportion",
        "scale": "0-1",
        "flag": "",
        "difference": 0.14,
        "estimate_baseline": 0.27,
        "estimate_followup": 0.413,
        "significant": True,
        "wording": "",
    }
    text = change_sentence(row, "T0", "T1")
    assert text == (
        "Bekendheid steeg van 27,0\u00a0% bij de nulmeting naar 41,3\u00a0% bij de eerste "
        "vervolgmeting. " + MORE_THAN_CHANCE
    )
    same = change_sentence({**row, "significant": False}, "T0", "T1")
    assert "niet duidelijk anders dan bij de nulmeting" in same
    small = change_sentence({**row, "flag": SUPPRESSED, "difference": np.nan}, "T0", "T2")
    assert "te weinig antwoorden" in small and "%" not in small
    protected = change_sentence(
        {**row, "flag": SUPPRESSED, "difference": np.nan, "reason": COMPLEMENT_REASON}, "T0", "T1"
    )
    assert "kleine groep" in protected and "te weinig antwoorden" not in protected
    indicative = change_sentence({**row, "flag": "indicatief"}, "T0", "T1")
    assert "indicatief" in indicative


def test_every_label_makes_a_sentence(indicators):
    for spec in indicators.questionnaires.values():
        for indicator in spec.indicators:
            label = spec.label(indicator.name)
            assert label[0].isupper() and not label.endswith("."), label
            assert label.split()[0] in {"Het", "De", "Bekendheid", "Cliëntondersteuning"}, label
            row = {
                "label": label,
                "kind": indicator.kind,
                "scale": indicator.scale,
                "flag": "",
                "difference": 0.1,
                "estimate_baseline": 0.5,
                "estimate_followup": 0.6,
                "significant": True,
                "wording": "",
            }
            assert change_sentence(row, "T0", "T1").startswith(f"{label} steeg van ")


def test_dutch_formats():
    assert value_text(0.2734, "proportion") == "27,3\u00a0%"
    assert value_text(0.27, "proportion") == "27,0\u00a0%"  # one decimal beside 27,3 %
    assert value_text(7.46, "mean") == "7,5"
    assert difference_text(0.14, "proportion") == "+14,0\u00a0procentpunt"
    assert difference_text(-0.4, "mean") == "-0,4"
    assert decimal(float("nan")) == "–"
    assert p_text(0.0004) == "< 0,001" and p_text(0.0312) == "0,031"
    assert p_text(0.04996) == "0,0499" and p_text(0.0503) == "0,050"  # never 0,050 beside ▲


def test_a_question_worded_differently_between_the_waves_is_noted(indicators):
    versions = pd.DataFrame(
        {
            "wave": ["T0", "T1"],
            "questionnaire": ["client", "client"],
            "version": [1, 2],
            "responses": [50, 50],
        }
    )
    notes = wording_notes(versions, {"client": {"knew_where": [2]}}, indicators, "T0", "T1")
    assert "knew_where" in notes["client"] and "findability" in notes["client"]
    assert "anders gesteld" in notes["client"]["knew_where"]
    assert "aware_oco" not in notes["client"]
    assert wording_notes(versions, {"client": {"knew_where": [3]}}, indicators, "T0", "T1") == {}
