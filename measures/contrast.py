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
from measures.suppression import flags, reasons
from measures.tabulate import key_codes
from surveys.vocabulary import SUPPRESSED

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


def _spread(values: np.ndarray, rows: np.ndarray, length: int) -> np.ndarray:
    """``values`` placed at ``rows`` of an array of ``length``, missing (NaN) elsewhere."""
    take = np.full(length, -1, dtype=np.int64)
    take[rows] = np.arange(len(rows))
    return pd.api.extensions.take(values, take, allow_fill=True)


def _first_present(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``first``, with ``second`` where ``first`` is missing."""
    missing = pd.isna(first)
    return np.where(missing, second, first) if missing.any() else first


def align(
    first: pd.DataFrame, second: pd.DataFrame, keys: list[str], *counts: pd.DataFrame
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """Both groups' statistics on one row per keys × indicator (sorted, as an outer join); an
    absent group has n = 0. Also, per table of ``counts``, the row of each of its rows (−1: none).

    The columns are the keys, then ``n_1`` … ``variance_1``, ``n_2`` … ``variance_2``, kind and
    scale.
    """
    by = [*keys, "indicator"]
    code_1, code_2, *count_codes = key_codes([first, second, *counts], by)
    distinct, first_seen = np.unique(np.concatenate([code_1, code_2]), return_index=True)
    row_1, row_2 = np.searchsorted(distinct, code_1), np.searchsorted(distinct, code_2)
    if len(np.unique(row_1)) < len(row_1) or len(np.unique(row_2)) < len(row_2):
        raise ValueError(f"contrast needs one row per {', '.join(by)} in each group")
    length = len(distinct)
    both = {
        column: np.concatenate([first[column].to_numpy(), second[column].to_numpy()])[first_seen]
        for column in by
    }
    for side, frame, rows in ((1, first, row_1), (2, second, row_2)):
        for column in STATS:
            values = _spread(frame[column].to_numpy(), rows, length)
            if column in ("n", "n_dont_know", "n_missing"):
                values = np.where(pd.isna(values), 0, values).astype(np.int64)
            both[f"{column}_{side}"] = values
    for column in ("kind", "scale"):
        both[column] = _first_present(
            _spread(first[column].to_numpy(), row_1, length),
            _spread(second[column].to_numpy(), row_2, length),
        )
    found = []
    for codes in count_codes:
        at = np.minimum(np.searchsorted(distinct, codes), max(length - 1, 0))
        hit = distinct[at] == codes if length else np.zeros(len(codes), dtype=bool)
        found.append(np.where(hit, at, -1))
    return both, found


def _side(both: dict[str, np.ndarray], side: int, settings: Settings) -> None:
    proportion = both["kind"] == PROPORTION
    n = both[f"n_{side}"].astype(float)
    successes = both[f"successes_{side}"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = successes / n
    w_low, w_high = wilson_interval(np.nan_to_num(successes), n, settings.confidence)
    mean, variance = both[f"mean_{side}"], both[f"variance_{side}"]
    t_low, t_high = t_interval(mean, variance, n, settings.confidence)
    both[f"estimate_{side}"] = np.where(proportion, share, mean)
    both[f"ci_low_{side}"] = np.where(proportion, w_low, t_low)
    both[f"ci_high_{side}"] = np.where(proportion, w_high, t_high)


def rank_p_values(
    mean: np.ndarray,
    rows: tuple[np.ndarray, np.ndarray],
    counts_1: pd.DataFrame,
    counts_2: pd.DataFrame,
) -> np.ndarray:
    """Mann–Whitney p per row (NaN where ``mean`` is false: shares) from the two count tables;
    ``rows`` holds each count row's row (−1: none, left out)."""
    p = np.full(len(mean), np.nan)
    if not mean.any():
        return p
    row = np.concatenate(rows)
    value = np.concatenate([counts_1["value"].to_numpy(float), counts_2["value"].to_numpy(float)])
    count_1 = np.concatenate([counts_1["count"].to_numpy(float), np.zeros(len(counts_2))])
    count_2 = np.concatenate([np.zeros(len(counts_1)), counts_2["count"].to_numpy(float)])
    keep = row >= 0
    keep[keep] = mean[row[keep]]
    order = np.lexsort((value[keep], row[keep]))
    row, value = row[keep][order], value[keep][order]
    count_1, count_2 = count_1[keep][order], count_2[keep][order]
    # one cell per row and value: both groups' counts of it
    new = np.r_[True, (row[1:] != row[:-1]) | (value[1:] != value[:-1])][: len(row)]
    cell = np.cumsum(new) - 1
    p_mean = mann_whitney_from_counts(
        row[new],
        value[new],
        np.bincount(cell, weights=count_1),
        np.bincount(cell, weights=count_2),
        len(mean),
    )
    p[mean] = p_mean[mean]
    return p


def contrast(
    first: pd.DataFrame,
    second: pd.DataFrame,
    keys: list[str],
    settings: Settings,
    counts_1: pd.DataFrame,
    counts_2: pd.DataFrame,
    side_names: tuple[str, str] = ("", ""),
    hide_counts: bool = False,
) -> pd.DataFrame:
    """Compare two independent groups per keys × indicator; figures withheld on small numbers.

    ``side_names`` (such as "bij T0", "bij T1") say in the reason which group was too small.
    ``hide_counts``: a published table's reason does not say a withheld count (``reasons``).
    """
    both, count_rows = align(first, second, keys, counts_1, counts_2)
    _side(both, 1, settings)
    _side(both, 2, settings)
    proportion = both["kind"] == PROPORTION
    x1, n1 = np.nan_to_num(both["successes_1"].astype(float)), both["n_1"]
    x2, n2 = np.nan_to_num(both["successes_2"].astype(float)), both["n_2"]
    m1, v1 = both["mean_1"].astype(float), both["variance_1"].astype(float)
    m2, v2 = both["mean_2"].astype(float), both["variance_2"].astype(float)

    nc_low, nc_high = newcombe_interval(x1, n1, x2, n2, settings.confidence)
    test_p, p_prop = proportion_test(x1, n1, x2, n2)
    w_low, w_high, p_welch = welch(m1, v1, n1, m2, v2, n2, settings.confidence)
    both["difference"] = both["estimate_2"] - both["estimate_1"]
    both["diff_ci_low"] = np.where(proportion, nc_low, w_low)
    both["diff_ci_high"] = np.where(proportion, nc_high, w_high)
    both["test"] = np.where(proportion, test_p, WELCH)
    both["p_value"] = np.where(proportion, p_prop, p_welch)
    both["rank_test"] = np.where(proportion, "", MANN_WHITNEY).astype(object)
    both["p_value_rank"] = rank_p_values(both["kind"] == MEAN, count_rows, counts_1, counts_2)
    both["q_value"] = np.full(len(proportion), np.nan)
    both["effect_size"] = np.where(
        proportion,
        cohen_h(both["estimate_1"], both["estimate_2"]),
        hedges_g(m1, v1, n1, m2, v2, n2),
    )
    return pd.DataFrame(_finish(both, settings, side_names, hide_counts))


def _finish(
    both: dict[str, np.ndarray],
    settings: Settings,
    side_names: tuple[str, str],
    hide_counts: bool = False,
) -> dict[str, np.ndarray]:
    n1, n2 = both["n_1"], both["n_2"]
    first_smaller = n1 <= n2
    smallest = np.minimum(n1, n2)
    dont_know = np.where(first_smaller, both["n_dont_know_1"], both["n_dont_know_2"])
    where = np.where(first_smaller, side_names[0], side_names[1])
    flag = flags(smallest, settings)
    reason = reasons(smallest, dont_know, settings, where, hide_counts)
    no_test = (flag != SUPPRESSED) & pd.isna(both["p_value"])
    reason = np.where(no_test, reason + np.where(reason == "", "", "; ") + NO_TEST_REASON, reason)
    suppressed = flag == SUPPRESSED
    test = np.array(both["test"], dtype=object)
    test[no_test | suppressed] = ""
    rank_test = np.array(both["rank_test"], dtype=object)
    rank_test[suppressed] = ""
    working = {f"{c}_{s}" for c in ("successes", "mean", "variance") for s in (1, 2)}
    out = {}
    for column, values in {**both, "flag": flag, "reason": reason}.items():
        if column in FIGURES:
            values = np.where(suppressed, np.nan, np.asarray(values, dtype=float))
        if column not in working:
            out[column] = values
    out["test"], out["rank_test"] = test, rank_test
    return out


def finish_contrast(
    both: pd.DataFrame,
    settings: Settings,
    side_names: tuple[str, str],
    hide_counts: bool = False,
) -> pd.DataFrame:
    """Flag and reason from the smaller group; withhold every figure of suppressed rows."""
    columns = {column: both[column].to_numpy() for column in both.columns}
    return pd.DataFrame(_finish(columns, settings, side_names, hide_counts), index=both.index)


def add_q_values(table: pd.DataFrame, family: list[str]) -> pd.DataFrame:
    """Benjamini–Hochberg q-values over the shown p-values within each family."""
    keys = None
    for column in family:  # the family's columns as one text, "\x1f" between them
        text = table[column].astype(str).to_numpy(dtype=object)
        keys = text if keys is None else keys + "\x1f" + text
    return table.assign(q_value=benjamini_hochberg(table["p_value"].to_numpy(dtype=float), keys))


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
    width = max((len(names) for names in scored_order.values()), default=0)
    position = {
        (q, name): qi * width + ii
        for qi, (q, names) in enumerate(scored_order.items())
        for ii, name in enumerate(names)
    }
    rank = [position[q, i] for q, i in zip(table["questionnaire"], table["indicator"], strict=True)]
    # as sort_values(kind="stable") on the keys and the rank: each key by its sorted values
    sort_keys = [pd.factorize(table[k], sort=True, use_na_sentinel=False)[0] for k in keys]
    out = table.take(np.lexsort([np.asarray(rank, dtype=np.int64), *sort_keys[::-1]]))
    out.index = pd.RangeIndex(len(out))
    return out
