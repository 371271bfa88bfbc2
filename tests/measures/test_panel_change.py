"""The dashboard's paired change (``measures.panel``): pairs by panel key within one koploper,
the engine's paired tests, and the same suppression as every published figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

from measures.compare import compare_waves
from measures.errors import ResponsesError
from measures.panel import COLUMNS, panel_change
from measures.responses import check_responses
from measures.scoring import score
from surveys.vocabulary import INDICATIVE, SUPPRESSED

TOLERANCE = 1e-9


def _panel_rows(pairs: list[tuple[int, int]], grades: list[tuple[int, int]]) -> list[dict]:
    rows = []
    for person, ((before, after), (g0, g1)) in enumerate(zip(pairs, grades, strict=True)):
        rows.append({"aware_oco": before, "grade": g0, "key": f"p{person}"})
        rows.append({"aware_oco": after, "grade": g1, "key": f"p{person}", "wave": "T1"})
    return rows


def _scored(frame, indicators, rows: list[dict]):
    """Scored responses and the panel (response id → key) of the rows that carry a key."""
    wide = frame([{k: v for k, v in row.items() if k != "key"} for row in rows])
    panel = {wide["response_id"][i]: row["key"] for i, row in enumerate(rows) if row.get("key")}
    return score(check_responses(wide, indicators), indicators), panel


def _row(table: pd.DataFrame, indicator: str) -> pd.Series:
    found = table[(table["questionnaire"] == "client") & (table["indicator"] == indicator)]
    assert len(found) == 1
    return found.iloc[0]


def test_pairs_are_the_same_key_of_one_koploper_at_both_waves(frame, indicators) -> None:
    pairs = [(1, 1)] * 14 + [(0, 1)] * 9 + [(1, 0)] * 2 + [(0, 0)] * 10
    rng = np.random.default_rng(5)
    before = rng.integers(4, 10, len(pairs))
    after = np.clip(before + rng.integers(-1, 3, len(pairs)), 1, 10)
    rows = _panel_rows(pairs, list(zip(before, after, strict=True)))
    rows.append({"aware_oco": 1, "grade": 8})  # no key: not in any pair
    rows.append({"aware_oco": 0, "grade": 2, "key": "p0", "wave": "T1"})  # p0 again: left out
    rows.append({"aware_oco": 0, "grade": 1, "key": "p1", "koploper": "gouda", "wave": "T1"})
    rows.append({"aware_oco": 0, "grade": 1, "key": "p99"})  # only at T0: no pair
    scored, panel = _scored(frame, indicators, rows)

    table = panel_change(scored, panel, "almere", "T0", "T1", indicators)

    assert list(table.columns) == COLUMNS
    aware = _row(table, "aware_oco")
    assert aware["n_pairs"] == aware["n_baseline"] == aware["n_followup"] == len(pairs)
    assert aware["design"] == "gekoppeld" and aware["test"] == "mcnemar_exact"
    assert aware["p_value"] == pytest.approx(mcnemar([[14, 2], [9, 10]], exact=True).pvalue)
    assert aware["difference"] == pytest.approx((9 - 2) / len(pairs))
    assert aware["estimate_baseline"] == pytest.approx(16 / len(pairs))
    assert aware["diff_ci_low"] < aware["difference"] < aware["diff_ci_high"]
    assert aware["label"] and aware["goal"] == "awareness"
    grade = _row(table, "grade")
    assert grade["test"] == "paired_t" and grade["rank_test"] == "wilcoxon_signed_rank"
    assert grade["p_value"] == pytest.approx(stats.ttest_rel(after, before).pvalue, abs=1e-6)
    wilcoxon = stats.wilcoxon(after, before, method="approx").pvalue
    assert grade["p_value_rank"] == pytest.approx(wilcoxon, abs=1e-6)
    # the same pairs as the engine's own paired comparison of a file with panel_id
    linked = [{**r, "panel_id": r.get("key", "")} for r in rows[: 2 * len(pairs)]]
    engine = compare_waves(
        score(check_responses(frame([{k: v for k, v in r.items() if k != "key"} for r in linked]),
                              indicators), indicators),
        "T0", "T1", indicators.settings,
    )  # fmt: skip
    same = engine[(engine["indicator"] == "aware_oco") & (engine["questionnaire"] == "client")]
    assert same["p_value"].iloc[0] == pytest.approx(aware["p_value"], abs=TOLERANCE)
    assert same["diff_ci_low"].iloc[0] == pytest.approx(aware["diff_ci_low"], abs=TOLERANCE)


def test_fewer_pairs_than_the_minimum_are_withheld_in_the_vocabularys_words(
    frame, indicators
) -> None:
    scored, panel = _scored(frame, indicators, _panel_rows([(0, 1)] * 6, [(5, 8)] * 6))
    row = _row(panel_change(scored, panel, "almere", "T0", "T1", indicators), "aware_oco")
    assert row["flag"] == SUPPRESSED and np.isnan(row["n_pairs"])  # not even how many
    assert row["reason"] == "te weinig antwoorden bij dezelfde mensen (minder dan 10)"
    assert np.isnan([row["estimate_baseline"], row["difference"], row["p_value"]]).all()
    assert row["direction"] == "–"


def test_fewer_than_thirty_pairs_are_indicative(frame, indicators) -> None:
    pairs = [(0, 1)] * 12 + [(1, 1)] * 8
    scored, panel = _scored(frame, indicators, _panel_rows(pairs, [(5, 8)] * len(pairs)))
    row = _row(panel_change(scored, panel, "almere", "T0", "T1", indicators), "aware_oco")
    assert row["flag"] == INDICATIVE and row["n_pairs"] == 20
    assert row["reason"] == "indicatief: minder dan 30 antwoorden bij dezelfde mensen (n = 20)"
    assert row["difference"] == pytest.approx(12 / 20)


def test_no_pairs_no_table(frame, indicators) -> None:
    rows = [{"aware_oco": 1, "key": f"p{i}"} for i in range(12)]  # only at T0
    rows += [{"aware_oco": 1, "key": f"q{i}", "wave": "T1"} for i in range(12)]
    scored, panel = _scored(frame, indicators, rows)
    assert panel_change(scored, panel, "almere", "T0", "T1", indicators).empty
    assert panel_change(scored, {}, "almere", "T0", "T1", indicators).empty
    both, keys = _scored(frame, indicators, _panel_rows([(1, 1)] * 12, [(7, 7)] * 12))
    assert panel_change(both, keys, "almere", "T0", "T0", indicators).empty
    assert panel_change(both, keys, "gouda", "T0", "T1", indicators).empty


def test_an_exports_panel_key_column_links_as_panel_id(frame, indicators) -> None:
    rows = [{"aware_oco": 1, "panel_key": "K1"}, {"aware_oco": 0, "panel_key": "K1", "wave": "T1"}]
    rows += [{"aware_oco": 1, "panel_key": ""}]
    checked = check_responses(frame(rows), indicators)
    assert list(checked.questionnaires["client"].meta["panel_id"]) == ["K1", "K1", ""]
    doubled = frame([{"aware_oco": 1, "panel_key": "K1"}, {"aware_oco": 0, "panel_key": "K1"}])
    with pytest.raises(ResponsesError, match="komt twee keer voor in dezelfde meting"):
        check_responses(doubled, indicators)
