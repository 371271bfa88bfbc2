"""The vectorised steps behind the dashboard's figures give exactly what the straightforward pandas
computation gives: the same rows in the same order, the same dtypes and the same values to the
last bit.

Each reference below is the plain way to compute the step (merges, groupby, a pivot table, a join
per row), as the engine once did. The tables are random, with the awkward cases of real data:
keys in only one group, an empty group, shuffled rows, a count cell split over two rows,
no spread, small numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from measures.contrast import (
    FIGURES,
    MEAN,
    NO_TEST_REASON,
    STATS,
    add_q_values,
    align,
    finish_contrast,
    order_rows,
    rank_p_values,
)
from measures.counts import GroupCounts
from measures.indicators import PROPORTION, Settings
from measures.pools import small_pools
from measures.ranktests import mann_whitney_from_counts
from measures.sentences import (
    BENCHMARK_COLUMNS,
    CHANGE_COLUMNS,
    benchmark_sentence,
    change_sentence,
)
from measures.significance import benjamini_hochberg
from measures.suppression import blank, complement_of_partition, flags, reasons
from measures.tabulate import summarise
from surveys.vocabulary import COHORT, OTHERS, OWN, SUPPRESSED

SETTINGS = Settings()
STAT_COLUMNS = ["kind", "scale", "n", "n_dont_know", "n_missing", "successes", "mean", "variance"]
KEYS = ["wave", "questionnaire"]
CELLS = [("T0", "client"), ("T1", "client"), ("T0", "professional"), ("T2", "professional")]
ROUNDS = 20


# --- random count and base tables ---------------------------------------------------------------


def _tables(rng: np.random.Generator, cells: list[tuple], indicators: int):
    """A count table and a base table (keys wave, questionnaire) for ``cells`` × indicators."""
    counts, base = [], []
    for cell in cells:
        for i in range(indicators):
            kind = PROPORTION if i % 2 == 0 else MEAN
            n = int(rng.choice([0, 1, 2, 5, 9, 10, 25, 40, 200]))
            values = [0.0, 1.0] if kind == PROPORTION else [1.0, 2.0, 3.0, 4.0, 5.0, 7.5, 6.2]
            if rng.random() < 0.2:
                values = values[:1]  # no spread
            drawn = rng.choice(values, size=n)
            for value in np.unique(drawn):
                counts.append((*cell, f"i{i}", float(value), int((drawn == value).sum())))
            scale = "0-1" if kind == PROPORTION else "1-10"
            base.append((*cell, f"i{i}", n, int(rng.integers(0, 4)), 0, kind, scale))
    counts = pd.DataFrame(counts, columns=[*KEYS, "indicator", "value", "count"])
    base = pd.DataFrame(
        base, columns=[*KEYS, "indicator", "n", "n_dont_know", "n_missing", "kind", "scale"]
    )
    counts = counts.astype({"value": float, "count": np.int64})
    base = base.astype({"n": np.int64, "n_dont_know": np.int64, "n_missing": np.int64})
    return counts, base


def _shuffled(rng: np.random.Generator, table: pd.DataFrame) -> pd.DataFrame:
    return table.sample(frac=1, random_state=int(rng.integers(1 << 30)))


def _cases(seed: int):
    """(counts, base) pairs: some shuffled, some without a base row or with no counts at all,
    some with one count cell split over two rows."""
    rng = np.random.default_rng(seed)
    for _ in range(ROUNDS):
        cells = [cell for cell in CELLS if rng.random() < 0.6]
        counts, base = _tables(rng, cells, int(rng.integers(1, 5)))
        if rng.random() < 0.5:
            counts, base = _shuffled(rng, counts), _shuffled(rng, base)
        if rng.random() < 0.2:
            counts = counts.iloc[0:0]
        yield rng, counts, base


# --- the straightforward references -------------------------------------------------------------


def reference_summarise(counts: pd.DataFrame, base: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    by = [*keys, "indicator"]
    table = counts[by].copy()
    weight = counts["count"].to_numpy(dtype=float)
    value = counts["value"].to_numpy(dtype=float)
    table["weighted"] = weight * value
    table["successes"] = np.where(value == 1, weight, 0.0)
    table["count"] = weight
    sums = table.groupby(by, sort=False, observed=True)[["count", "weighted", "successes"]].sum()
    out = base.merge(sums, how="left", left_on=by, right_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["mean"] = out["weighted"] / out["count"]
    mean = counts[by].merge(out[[*by, "mean"]], how="left", on=by)["mean"].to_numpy()
    table["squares"] = weight * (value - mean) ** 2
    squares = table.groupby(by, sort=False, observed=True)["squares"].sum().rename("ss")
    out = out.merge(squares, how="left", left_on=by, right_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["variance"] = np.where(out["n"] >= 2, out["ss"] / (out["n"] - 1), np.nan)
    proportion = out["kind"] == PROPORTION
    out["successes"] = np.where(proportion, out["successes"].fillna(0.0), np.nan)
    out["mean"] = np.where(out["n"] > 0, out["mean"], np.nan)
    return out.drop(columns=["count", "weighted", "ss"])[[*by, *STAT_COLUMNS]]


def reference_align(first: pd.DataFrame, second: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    by = [*keys, "indicator"]
    left = first[[*by, "kind", "scale", *STATS]]
    right = second[[*by, "kind", "scale", *STATS]]
    both = left.merge(right, on=by, how="outer", suffixes=("_1", "_2"))
    both["kind"] = both["kind_1"].fillna(both["kind_2"])
    both["scale"] = both["scale_1"].fillna(both["scale_2"])
    for column in ("n", "n_dont_know", "n_missing"):
        for side in (1, 2):
            both[f"{column}_{side}"] = both[f"{column}_{side}"].fillna(0).astype(np.int64)
    return both.drop(columns=["kind_1", "kind_2", "scale_1", "scale_2"]).reset_index(drop=True)


def reference_rank_p_values(
    both: pd.DataFrame, keys: list[str], counts_1: pd.DataFrame, counts_2: pd.DataFrame
) -> np.ndarray:
    by = [*keys, "indicator"]
    rows = both.loc[both["kind"] == MEAN, by].copy()
    p = np.full(len(both), np.nan)
    if rows.empty:
        return p
    rows["row"] = rows.index
    cells = counts_1[[*by, "value", "count"]].merge(
        counts_2[[*by, "value", "count"]], on=[*by, "value"], how="outer", suffixes=("_1", "_2")
    )
    cells = cells.merge(rows, on=by, how="inner")
    p_mean = mann_whitney_from_counts(
        cells["row"].to_numpy(),
        cells["value"].to_numpy(),
        cells["count_1"].fillna(0).to_numpy(),
        cells["count_2"].fillna(0).to_numpy(),
        len(both),
    )
    p[rows.index] = p_mean[rows.index]
    return p


def reference_finish(both: pd.DataFrame, side_names: tuple[str, str]) -> pd.DataFrame:
    n1, n2 = both["n_1"].to_numpy(), both["n_2"].to_numpy()
    first_smaller = n1 <= n2
    smallest = np.minimum(n1, n2)
    dont_know = np.where(first_smaller, both["n_dont_know_1"], both["n_dont_know_2"])
    where = np.where(first_smaller, side_names[0], side_names[1])
    both["flag"] = flags(smallest, SETTINGS)
    both["reason"] = reasons(smallest, dont_know, SETTINGS, where)
    no_test = ((both["flag"] != SUPPRESSED) & both["p_value"].isna()).to_numpy()
    reason = both["reason"].to_numpy(dtype=object)
    both["reason"] = np.where(
        no_test, reason + np.where(reason == "", "", "; ") + NO_TEST_REASON, reason
    )
    both.loc[no_test, "test"] = ""
    suppressed = (both["flag"] == SUPPRESSED).to_numpy()
    both.loc[suppressed, ["test", "rank_test"]] = ""
    out = both.copy()
    for column in FIGURES:
        if column in out:
            out[column] = out[column].astype(float).where(~suppressed)
    working = [f"{c}_{s}" for c in ("successes", "mean", "variance") for s in (1, 2)]
    return out.drop(columns=working, errors="ignore")


def reference_complement_of_partition(table: pd.DataFrame, partition: list[str]) -> np.ndarray:
    n = table["n"].to_numpy(dtype=float)
    small = (n > 0) & (n < SETTINGS.min_n)
    frame = pd.DataFrame({"small": small, "n": n}, index=table.index)
    for column in partition:
        frame[column] = table[column].to_numpy()
    lonely = frame.groupby(partition, observed=True)["small"].transform("sum") == 1
    candidates = frame[lonely & ~small & (frame["n"] > 0)]
    extra = np.zeros(len(table), dtype=bool)
    if not candidates.empty:
        chosen = (
            candidates.sort_values("n", kind="stable").groupby(partition, observed=True).head(1)
        )
        extra[table.index.get_indexer(chosen.index)] = True
    return extra


def reference_order_rows(table: pd.DataFrame, order: dict, keys: list[str]) -> pd.DataFrame:
    position = {
        (q, name): (qi, ii)
        for qi, (q, names) in enumerate(order.items())
        for ii, name in enumerate(names)
    }
    rank = [position[q, i] for q, i in zip(table["questionnaire"], table["indicator"], strict=True)]
    out = table.assign(_rank=rank)
    return (
        out.sort_values([*keys, "_rank"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def reference_benjamini_hochberg(p: np.ndarray, families: np.ndarray) -> np.ndarray:
    q = np.full(p.shape, np.nan)
    for family in pd.unique(families):
        index = np.flatnonzero((families == family) & ~np.isnan(p))
        if not index.size:
            continue
        order = index[np.argsort(p[index], kind="stable")]
        scaled = p[order] * index.size / np.arange(1, index.size + 1)
        q[order] = np.minimum(pd.Series(scaled[::-1]).cummin().to_numpy()[::-1], 1.0)
    return q


def reference_small_pools(members: pd.DataFrame) -> set[tuple]:
    keys = ["category", "wave", "questionnaire", "indicator"]
    wide = members.pivot_table(
        index=keys, columns="group", values="koplopers", aggfunc="sum", fill_value=0
    )
    others = wide[OTHERS] if OTHERS in wide else pd.Series(0, index=wide.index)
    cohort = wide[COHORT] if COHORT in wide else pd.Series(0, index=wide.index)
    rest = others - cohort
    few = SETTINGS.min_koplopers
    found = set()
    for group, hidden in (
        (OTHERS, (others > 0) & (others < few)),
        (COHORT, ((cohort > 0) & (cohort < few)) | ((cohort > 0) & (rest > 0) & (rest < few))),
    ):
        found |= {(group, *key) for key in wide.index[hidden.to_numpy()]}
    return found


# --- the tests ----------------------------------------------------------------------------------


def test_summarise_equals_the_merges():
    for _, counts, base in _cases(1):
        expected = reference_summarise(counts, base, KEYS)
        pd.testing.assert_frame_equal(summarise(counts, base, KEYS), expected, check_exact=True)


def _two_groups(rng, counts, base):
    """Statistics and counts of two groups that share only some keys."""
    other_counts, other_base = _tables(rng, [c for c in CELLS if rng.random() < 0.6], 3)
    first = summarise(counts, base, KEYS)
    second = summarise(other_counts, other_base, KEYS)
    if len(second) and rng.random() < 0.3:  # counts of a key without statistics: left out
        second = second.iloc[1:]
    return first, second, counts, other_counts


def test_align_equals_the_outer_merge_and_the_rank_test_the_merged_cells():
    for rng, *tables in _cases(2):
        first, second, counts_1, counts_2 = _two_groups(rng, *tables)
        for one, two, c1, c2 in (
            (first, second, counts_1, counts_2),
            (second, first, counts_2, counts_1),
        ):
            both, rows = align(one, two, KEYS, c1, c2)
            expected = reference_align(one, two, KEYS)
            pd.testing.assert_frame_equal(pd.DataFrame(both), expected, check_exact=True)
            p = rank_p_values(both["kind"] == MEAN, rows, c1, c2)
            np.testing.assert_array_equal(p, reference_rank_p_values(expected, KEYS, c1, c2))


def test_align_refuses_two_rows_of_one_key():
    _, counts, base = next(_cases(3))
    stats = summarise(counts, base, KEYS)
    with pytest.raises(ValueError, match="one row per"):
        align(pd.concat([stats, stats.iloc[:1]]), stats, KEYS)


def test_finish_contrast_equals_the_column_by_column_version():
    rng = np.random.default_rng(4)
    for _ in range(ROUNDS):
        size = int(rng.integers(0, 30))
        both = pd.DataFrame(
            {
                "indicator": rng.choice(["a", "b"], size),
                **{
                    f"{c}_{s}": rng.choice([0, 3, 9, 12, 40], size)
                    for c in ("n", "n_dont_know")
                    for s in (1, 2)
                },
                **{f"{c}_{s}": rng.random(size) for c in ("successes", "mean") for s in (1, 2)},
                **{c: rng.random(size) for c in FIGURES},
                "test": rng.choice(["chi2", "welch_t"], size).astype(object),
                "rank_test": rng.choice(["", "mann_whitney_u"], size).astype(object),
            }
        )
        both["p_value"] = np.where(rng.random(size) < 0.3, np.nan, both["p_value"])
        names = ("bij T0", "bij T1")
        out = finish_contrast(both.copy(), SETTINGS, names)
        expected = reference_finish(both.copy(), names)
        pd.testing.assert_frame_equal(out, expected, check_exact=True)


def test_complement_of_partition_equals_the_groupby():
    rng = np.random.default_rng(5)
    for _ in range(ROUNDS * 2):
        size = int(rng.integers(0, 30))
        table = pd.DataFrame(
            {
                "a": rng.choice(["x", "y", "z"], size),
                "b": rng.integers(0, 3, size),
                "n": rng.choice([0, 1, 3, 9, 10, 12, 12, 30, 50], size),
            }
        )
        if rng.random() < 0.3:
            table.index = rng.permutation(size) + 100
        for partition in (["a"], ["a", "b"]):
            np.testing.assert_array_equal(
                complement_of_partition(table, partition, SETTINGS),
                reference_complement_of_partition(table, partition),
            )


def test_order_rows_and_q_values_equal_the_sort_and_the_row_join():
    rng = np.random.default_rng(6)
    order = {"client": ["a", "b", "c"], "professional": ["d", "a", "e", "f"]}
    for _ in range(ROUNDS):
        size = int(rng.integers(0, 40))
        questionnaire = rng.choice(["client", "professional"], size)
        p = rng.choice([0.001, 0.01, 0.04, 0.04, 0.5, 1.0, np.nan], size)
        table = pd.DataFrame(
            {
                "wave": rng.choice(["T0", "T1", "T10"], size),
                "reference": rng.choice(["x", "y"], size),
                "k": rng.integers(0, 3, size),
                "questionnaire": questionnaire,
                "indicator": [rng.choice(order[q]) for q in questionnaire],
                "p_value": np.where(rng.random(size) < 0.5, p, rng.random(size)),
                "q_value": np.nan,
            }
        )
        for keys in ([], ["wave"], ["wave", "reference"], ["k", "wave"]):
            pd.testing.assert_frame_equal(
                order_rows(table, order, keys),
                reference_order_rows(table, order, keys),
                check_exact=True,
            )
            joined = table[keys].astype(str).agg("\x1f".join, axis=1) if keys else None
            expected = table.assign(q_value=benjamini_hochberg(table["p_value"].to_numpy(), joined))
            pd.testing.assert_frame_equal(add_q_values(table, keys), expected, check_exact=True)
        families = table["reference"].to_numpy()
        np.testing.assert_array_equal(
            benjamini_hochberg(table["p_value"].to_numpy(), families),
            reference_benjamini_hochberg(table["p_value"].to_numpy(), families),
        )


def test_blank_equals_the_column_by_column_version():
    rng = np.random.default_rng(7)
    table = pd.DataFrame(
        {"a": rng.integers(0, 9, 20), "b": rng.random(20), "c": rng.choice(["x", "y"], 20)}
    )
    mask = rng.random(20) < 0.4
    expected = table.copy()
    for column in ("a", "b"):
        expected[column] = expected[column].astype(float).where(~mask)
    pd.testing.assert_frame_equal(blank(table, ["a", "b", "gone"], mask), expected)


def test_small_pools_equal_the_pivot_table():
    rng = np.random.default_rng(8)
    for _ in range(ROUNDS):
        rows = [
            (group, int(category), wave, "client", indicator, int(rng.integers(0, 6)))
            for group in (OWN, OTHERS, COHORT)
            for category in (-99, 1)
            for wave in ("T0", "T1")
            for indicator in ("a", "b")
            if rng.random() < 0.8
        ]
        members = pd.DataFrame(
            rows, columns=["group", "category", "wave", "questionnaire", "indicator", "koplopers"]
        )
        counts = GroupCounts(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), members=members)
        assert small_pools(counts, SETTINGS) == reference_small_pools(members)


class _Reading(dict):
    """A row that notes which columns are read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


@pytest.mark.parametrize("flag", ["", "indicatief", SUPPRESSED])
@pytest.mark.parametrize("significant", [True, False])
def test_a_sentence_reads_only_the_columns_the_dashboard_hands_it(flag, significant):
    row = {
        "label": "Bekendheid",
        "kind": PROPORTION,
        "scale": "0-1",
        "flag": flag,
        "reason": "",
        "difference": 0.1,
        "significant": significant,
        "estimate_baseline": 0.2,
        "estimate_followup": 0.3,
        "estimate_koploper": 0.3,
        "estimate_reference": 0.2,
        "reference": OTHERS,
        "wording": "Let op.",
        "n_baseline": 40,
    }
    change = _Reading(row)
    change_sentence(change, "T0", "T1")
    assert change.read <= set(CHANGE_COLUMNS)
    bench = _Reading(row)
    benchmark_sentence(bench, "Almere")
    assert bench.read <= set(BENCHMARK_COLUMNS)
