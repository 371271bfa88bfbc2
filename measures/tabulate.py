"""From respondent values to group tables: how often each value occurs, and group statistics.

A *count table* has the group keys, ``indicator``, ``value`` and ``count`` (only values that occur).
A *base table* has, per group and indicator, ``n`` (in the base), ``n_dont_know`` and ``n_missing``.
Everything downstream (estimates, changes, benchmarks, rank tests) is computed from these two, so a
reference group such as "all other koplopers" is simply a difference of count tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from measures.indicators import PROPORTION
from measures.scoring import DONT_KNOW, MISSING, VALID, Scored

STAT_COLUMNS = ["kind", "scale", "n", "n_dont_know", "n_missing", "successes", "mean", "variance"]


@dataclass(frozen=True)
class Tabulation:
    keys: list[str]
    counts: pd.DataFrame
    base: pd.DataFrame


def group_codes(groups: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """A group number per row (0 … G − 1, in sorted key order) and the G distinct key rows."""
    combined = np.zeros(len(groups), dtype=np.int64)
    levels = []
    for column in groups.columns:
        codes, uniques = pd.factorize(groups[column], sort=True)
        combined = combined * (len(uniques) + 1) + codes
        levels.append((column, uniques, len(uniques) + 1))
    distinct, group = np.unique(combined, return_inverse=True)
    keys = {}
    rest = distinct
    for column, uniques, size in reversed(levels):
        keys[column] = np.asarray(uniques)[rest % size]
        rest = rest // size
    key_frame = pd.DataFrame({c: keys[c] for c in groups.columns})
    return group.astype(np.int64).ravel(), key_frame


def tabulate(scored: Scored, groups: pd.DataFrame, rows: np.ndarray | None = None) -> Tabulation:
    """Count values per group and indicator.

    ``groups`` holds the key columns, one row per element of ``rows`` (respondent positions; the
    same respondent may appear in several groups, as with multiple-choice subgroups). Without
    ``rows``, ``groups`` is aligned with the respondents.
    """
    keys = list(groups.columns)
    rows = np.arange(len(scored.meta)) if rows is None else np.asarray(rows)
    group, key_frame = group_codes(groups)
    n_groups = len(key_frame)
    names = scored.indicators
    cell_group, cell_indicator, cell_value, cell_count = [], [], [], []
    n, dont_know, missing = (np.zeros((len(names), n_groups), dtype=np.int64) for _ in range(3))
    for position, indicator in enumerate(names):
        value = scored.values[indicator][rows]
        status = scored.status[indicator][rows]
        valid = status == VALID
        distinct, which = np.unique(value[valid], return_inverse=True)
        width = max(len(distinct), 1)
        cells = np.bincount(group[valid] * width + which.ravel(), minlength=n_groups * width)
        filled = np.flatnonzero(cells)
        cell_group.append(filled // width)
        cell_indicator.append(np.full(filled.size, position))
        cell_value.append(distinct[filled % width] if len(distinct) else np.zeros(0))
        cell_count.append(cells[filled])
        n[position] = np.bincount(group[valid], minlength=n_groups)
        dont_know[position] = np.bincount(group[status == DONT_KNOW], minlength=n_groups)
        missing[position] = np.bincount(group[status == MISSING], minlength=n_groups)
    labels = np.asarray(names, dtype=object)
    counts = key_frame.take(np.concatenate(cell_group)).reset_index(drop=True)
    counts["indicator"] = labels[np.concatenate(cell_indicator)]
    counts["value"] = np.concatenate(cell_value).astype(float)
    counts["count"] = np.concatenate(cell_count)
    base = key_frame.take(np.tile(np.arange(n_groups), len(names))).reset_index(drop=True)
    base["indicator"] = np.repeat(labels, n_groups)
    base["n"] = n.ravel()
    base["n_dont_know"] = dont_know.ravel()
    base["n_missing"] = missing.ravel()
    base["kind"] = base["indicator"].map(scored.kinds)
    base["scale"] = base["indicator"].map(scored.scales)
    return Tabulation(keys, counts, base)


def summarise(counts: pd.DataFrame, base: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Group statistics: ``base`` plus successes (shares), mean and variance (n − 1)."""
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
