"""Every koploper side by side: the engine's changes and estimates, small numbers, the pooled
change, cohort trends and the fieldwork table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from measures.compare import compare_waves
from measures.estimates import wave_estimates
from measures.meta import ALL_KOPLOPERS, dersimonian_laird
from measures.responses import check_responses
from measures.scoring import score
from measures.side_by_side import (
    all_estimates,
    calendar,
    cohort_trends,
    fieldwork_table,
    koploper_table,
    pooled,
    wave_pairs,
)
from measures.synthetic import synthetic_responses

COHORTS = {"almere": "Cohort 1", "breda": "Cohort 1", "gouda": "Cohort 2", "voorst": "Cohort 2"}
NAMES = {"almere": "Almere", "breda": "Breda", "gouda": "Gouda", "voorst": "Voorst"}


@pytest.fixture(scope="module")
def scored(indicators):
    big = synthetic_responses(("almere", "breda", "gouda"), ("T0", "T1", "T2"), 40, seed=7)
    tiny = synthetic_responses(("voorst",), ("T0", "T1", "T2"), 6, seed=8)
    tiny["response_id"] = "v" + tiny["response_id"]
    wide = pd.concat([big, tiny], ignore_index=True)
    return score(check_responses(wide, indicators), indicators)


@pytest.fixture(scope="module")
def table(scored, indicators):
    estimates = all_estimates(scored, indicators.settings)
    return koploper_table(scored, estimates, "T0", "T2", indicators, COHORTS, NAMES)


def test_every_pair_of_waves_is_offered(scored):
    assert wave_pairs(scored) == [("T0", "T1"), ("T0", "T2"), ("T1", "T2")]


def test_the_change_and_its_q_value_are_compare_waves(scored, table, indicators):
    engine = compare_waves(scored, "T0", "T2", indicators.settings, design="independent")
    merged = table.merge(engine, on=["koploper", "questionnaire", "indicator"], suffixes=("", "_e"))
    assert len(merged) == len(engine) == len(table)
    for column in ("difference", "diff_ci_low", "diff_ci_high", "q_value"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_e"], equal_nan=True)
    assert set(table["name"]) == set(NAMES.values())
    assert set(table["direction"]) <= {"▲", "▼", "=", "–"}
    significant = merged["q_value"] < indicators.settings.significance
    assert (table.loc[significant & (table["difference"] > 0), "direction"] == "▲").all()


def test_each_wave_shows_its_own_estimate_from_wave_estimates(scored, table, indicators):
    client = wave_estimates(scored["client"], indicators.settings)
    row = table[(table["koploper"] == "almere") & (table["indicator"] == "aware_oco")].iloc[0]
    at_t2 = client[
        (client["koploper"] == "almere")
        & (client["wave"] == "T2")
        & (client["indicator"] == "aware_oco")
    ].iloc[0]
    assert row["estimate_followup"] == pytest.approx(at_t2["estimate"])
    assert row["n_followup"] == at_t2["n"]
    assert row["goal"] == "awareness" and row["cohort"] == "Cohort 1"


def test_nothing_rests_on_fewer_than_ten_answers(table, indicators):
    tiny = table[table["koploper"] == "voorst"]
    assert not tiny.empty
    assert tiny[["estimate_baseline", "estimate_followup", "difference", "se"]].isna().all().all()
    shown = tiny[["n_baseline", "n_followup"]].to_numpy(dtype=float)
    assert np.all(np.isnan(shown) | (shown == 0))
    assert (tiny["direction"] == "–").all()
    assert not tiny["reason"].str.contains(r"n = \d", regex=True).any()
    assert tiny["reason"].str.contains("minder dan 10").any()


def test_the_pooled_change_leaves_out_withheld_koplopers(table, indicators):
    pools = pooled(table, COHORTS, indicators.settings)
    aware = pools[(pools["questionnaire"] == "client") & (pools["indicator"] == "aware_oco")]
    everyone = aware.set_index("pool").loc[ALL_KOPLOPERS]
    rows = table[
        (table["questionnaire"] == "client")
        & (table["indicator"] == "aware_oco")
        & (table["koploper"] != "voorst")
    ]
    expected = dersimonian_laird(rows["difference"], rows["se"])
    assert everyone["k"] == 3
    assert everyone["estimate"] == pytest.approx(expected.estimate)
    assert everyone["tau2"] == pytest.approx(expected.tau2)
    second = aware.set_index("pool").loc["Cohort 2"]
    assert second["k"] == 1 and np.isnan(second["estimate"])  # Voorst is left out


def test_a_cohorts_trend_counts_its_respondents_pooled(scored, indicators):
    trends = cohort_trends(scored, COHORTS, indicators.settings)
    one = trends[
        (trends["pool"] == "Cohort 1")
        & (trends["indicator"] == "aware_oco")
        & (trends["wave"] == "T1")
    ].iloc[0]
    client = scored["client"]
    meta = client.meta
    rows = np.flatnonzero(meta["koploper"].isin(["almere", "breda"]) & (meta["wave"] == "T1"))
    values = client.values["aware_oco"][rows]
    valid = client.status["aware_oco"][rows] == 0
    assert one["n"] == valid.sum()
    assert one["estimate"] == pytest.approx(values[valid].mean())
    assert one["koplopers"] == 2
    assert {ALL_KOPLOPERS, "Cohort 1", "Cohort 2"} <= set(trends["pool"])


def waves_frame():
    day = dt.date(2025, 3, 1)
    return pd.DataFrame(
        {
            "koploper": ["almere", "almere", "gouda"],
            "koploper_name": ["Almere", "Almere", "Gouda"],
            "code": ["T0", "T1", "T0"],
            "fieldwork_start": [day, day + dt.timedelta(days=365), day + dt.timedelta(days=30)],
            "fieldwork_end": [day + dt.timedelta(days=42)] * 2 + [day + dt.timedelta(days=72)],
            "status": ["afgelopen", "open", "gesloten"],
        }
    )


def test_fieldwork_counts_every_wave_and_names_closed_waves_under_thirty(indicators):
    counts = pd.DataFrame(
        {
            "koploper": ["almere", "almere", "almere", "gouda"],
            "wave": ["T0", "T0", "T1", "T0"],
            "questionnaire": ["client", "client", "client", "client"],
            "channel": ["web", "paper", "web", "web"],
            "language": ["nl"] * 4,
            "responses": [20, 15, 3, 12],
        }
    )
    table = fieldwork_table(counts, waves_frame(), COHORTS, indicators.settings)
    table = table.set_index(["koploper", "wave", "questionnaire"])
    assert table.loc[("almere", "T0", "client"), "total"] == 35
    assert table.loc[("almere", "T0", "client"), "Op papier"] == 15
    assert not table.loc[("almere", "T0", "client"), "too_few"]
    assert table.loc[("gouda", "T0", "client"), "too_few"]  # closed, 12 responses
    assert not table.loc[("almere", "T1", "client"), "too_few"]  # still open
    assert table.loc[("gouda", "T0", "professional"), "total"] == 0


def test_the_calendar_gives_each_cohorts_waves(indicators):
    cal = calendar(waves_frame(), COHORTS).set_index(["cohort", "wave"])
    assert cal.loc[("Cohort 1", "T0"), "koplopers"] == 1
    assert cal.loc[("Cohort 2", "T0"), "first_start"] == dt.date(2025, 3, 31)
