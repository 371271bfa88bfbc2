"""Two groups side by side: the difference, its interval, the test and the effect size.

Used for a follow-up against its baseline (independent samples) and for a koploper against a
reference group. Groups are given as statistics tables (``measures.tabulate.summarise``) plus their
count tables for the rank test. Columns ending in ``_1`` describe the first group (baseline,
reference), ``_2`` the second (follow-up, koploper); differences are second minus first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from measures.effects import cohen_h, hedges_g
from measures.indicators import MEAN, PROPORTION, Settings
from measures.intervals import newcombe_interval, t_interval, wilson_interval
from measures.ranktests import MANN_WHITNEY, mann_whitney_from_counts
from measures.significance import WELCH, benjamini_hochberg, proportion_test, welch
from measures.suppression import SUPPRESSED, blank, flags, reasons

SIDE_FIGURES = ["estimate", "ci_low", "ci_high"]
FIGURES = [
    *(f"{c}_{side}" for side in (1, 2) for c in SIDE_FIGURES),
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_value_rank",
    "q_value",
    "effect_size",
]
NO_TEST_REASON = "geen toets mogelijk: er is geen spreiding in de antwoorden"
STATS = ["n", "n_dont_know", "n_missing", "successes", "mean", "variance"]


def align(first: pd.DataFrame, second: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Both groups' statistics on one row per keys × indicator; an absent group has n = 0."""
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


def _side(both: pd.DataFrame, side: int, settings: Settings) -> None:
    proportion = (both["kind"] == PROPORTION).to_numpy()
    n = both[f"n_{side}"].to_numpy(dtype=float)
    successes = both[f"successes_{side}"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = successes / n
    w_low, w_high = wilson_interval(np.nan_to_num(successes), n, settings.confidence)
    mean, variance = both[f"mean_{side}"], both[f"variance_{side}"]
    t_low, t_high = t_interval(mean, variance, n, settings.confidence)
    both[f"estimate_{side}"] = np.where(proportion, share, mean)
    both[f"ci_low_{side}"] = np.where(proportion, w_low, t_low)
    both[f"ci_high_{side}"] = np.where(proportion, w_high, t_high)


def rank_p_values(
    both: pd.DataFrame, keys: list[str], counts_1: pd.DataFrame, counts_2: pd.DataFrame
) -> np.ndarray:
    """Mann–Whitney p per row of ``both`` (NaN for shares), from the two count tables."""
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


def contrast(
    first: pd.DataFrame,
    second: pd.DataFrame,
    keys: list[str],
    settings: Settings,
    counts_1: pd.DataFrame,
    counts_2: pd.DataFrame,
    side_names: tuple[str, str] = ("", ""),
) -> pd.DataFrame:
    """Compare two independent groups per keys × indicator; figures withheld on small numbers.

    ``side_names`` (such as "bij T0", "bij T1") say in the reason which group was too small.
    """
    both = align(first, second, keys)
    _side(both, 1, settings)
    _side(both, 2, settings)
    proportion = (both["kind"] == PROPORTION).to_numpy()
    x1, n1 = np.nan_to_num(both["successes_1"].to_numpy(dtype=float)), both["n_1"].to_numpy()
    x2, n2 = np.nan_to_num(both["successes_2"].to_numpy(dtype=float)), both["n_2"].to_numpy()
    m1, v1 = both["mean_1"].to_numpy(dtype=float), both["variance_1"].to_numpy(dtype=float)
    m2, v2 = both["mean_2"].to_numpy(dtype=float), both["variance_2"].to_numpy(dtype=float)

    nc_low, nc_high = newcombe_interval(x1, n1, x2, n2, settings.confidence)
    test_p, p_prop = proportion_test(x1, n1, x2, n2)
    w_low, w_high, p_welch = welch(m1, v1, n1, m2, v2, n2, settings.confidence)
    both["difference"] = both["estimate_2"] - both["estimate_1"]
    both["diff_ci_low"] = np.where(proportion, nc_low, w_low)
    both["diff_ci_high"] = np.where(proportion, nc_high, w_high)
    both["test"] = np.where(proportion, test_p, WELCH)
    both["p_value"] = np.where(proportion, p_prop, p_welch)
    both["rank_test"] = np.where(proportion, "", MANN_WHITNEY)
    both["p_value_rank"] = rank_p_values(both, keys, counts_1, counts_2)
    both["q_value"] = np.nan
    both["effect_size"] = np.where(
        proportion,
        cohen_h(both["estimate_1"], both["estimate_2"]),
        hedges_g(m1, v1, n1, m2, v2, n2),
    )
    return finish_contrast(both, settings, side_names)


def finish_contrast(
    both: pd.DataFrame, settings: Settings, side_names: tuple[str, str]
) -> pd.DataFrame:
    """Flag and reason from the smaller group; withhold every figure of suppressed rows."""
    n1, n2 = both["n_1"].to_numpy(), both["n_2"].to_numpy()
    first_smaller = n1 <= n2
    smallest = np.minimum(n1, n2)
    dont_know = np.where(first_smaller, both["n_dont_know_1"], both["n_dont_know_2"])
    where = np.where(first_smaller, side_names[0], side_names[1])
    both["flag"] = flags(smallest, settings)
    both["reason"] = reasons(smallest, dont_know, settings, where)
    no_test = ((both["flag"] != SUPPRESSED) & both["p_value"].isna()).to_numpy()
    reason = both["reason"].to_numpy(dtype=object)
    both["reason"] = np.where(
        no_test, reason + np.where(reason == "", "", "; ") + NO_TEST_REASON, reason
    )
    both.loc[no_test, "test"] = ""
    suppressed = (both["flag"] == SUPPRESSED).to_numpy()
    both.loc[suppressed, ["test", "rank_test"]] = ""
    out = blank(both, FIGURES, suppressed)
    working = [f"{c}_{s}" for c in ("successes", "mean", "variance") for s in (1, 2)]
    return out.drop(columns=working, errors="ignore")


def add_q_values(table: pd.DataFrame, family: list[str]) -> pd.DataFrame:
    """Benjamini–Hochberg q-values over the shown p-values within each family."""
    out = table.copy()
    keys = out[family].astype(str).agg("\x1f".join, axis=1) if family else None
    out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy(dtype=float), keys)
    return out


def rename_sides(table: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Name the sides: ``estimate_1`` → ``estimate_<first>``, ``…_2`` → ``…_<second>``."""

    def name(column: str) -> str:
        if column.endswith("_1"):
            return f"{column[:-2]}_{first}"
        if column.endswith("_2"):
            return f"{column[:-2]}_{second}"
        return column

    return table.rename(columns=name)


def order_rows(
    table: pd.DataFrame, scored_order: dict[str, list[str]], keys: list[str]
) -> pd.DataFrame:
    """Sort by keys, then questionnaire and indicator in the order the registry declares them."""
    position = {
        (q, name): (qi, ii)
        for qi, (q, names) in enumerate(scored_order.items())
        for ii, name in enumerate(names)
    }
    rank = [position[q, i] for q, i in zip(table["questionnaire"], table["indicator"], strict=True)]
    out = table.assign(_rank=rank)
    return (
        out.sort_values([*keys, "_rank"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
