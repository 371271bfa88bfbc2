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


def key_codes(frames: list[pd.DataFrame], by: list[str]) -> list[np.ndarray]:
    """A number per row of each frame for its ``by`` key: 0 … K − 1 over the K distinct keys of
    all frames together, in sorted key order (as ``merge(how="outer")`` sorts them)."""
    combined = np.zeros(sum(len(frame) for frame in frames), dtype=np.int64)
    for column in by:
        values = np.concatenate([frame[column].to_numpy() for frame in frames])
        codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
        combined = combined * len(uniques) + codes
    dense = np.unique(combined, return_inverse=True)[1].ravel()
    return np.split(dense, np.cumsum([len(frame) for frame in frames])[:-1])


def _per_key(values: pd.DataFrame, cell: np.ndarray, keys: int) -> dict[str, np.ndarray]:
    """The sums of ``values``' columns per key number (NaN for a key without rows)."""
    sums = values.groupby(cell, sort=False).sum()
    out = {}
    for column in values.columns:
        spread = np.full(keys, np.nan)
        spread[sums.index.to_numpy()] = sums[column].to_numpy()
        out[column] = spread
    return out


def summarise(counts: pd.DataFrame, base: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Group statistics: ``base`` plus successes (shares), mean and variance (n − 1)."""
    by = [*keys, "indicator"]
    cell, base_cell = key_codes([counts, base], by)
    n_keys = int(max(cell.max(initial=-1), base_cell.max(initial=-1))) + 1
    weight = counts["count"].to_numpy(dtype=float)
    value = counts["value"].to_numpy(dtype=float)
    table = pd.DataFrame(
        {
            "count": weight,
            "weighted": weight * value,
            "successes": np.where(value == 1, weight, 0.0),
        }
    )
    sums = _per_key(table, cell, n_keys)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums["weighted"] / sums["count"]
    squares = pd.DataFrame({"ss": weight * (value - mean[cell]) ** 2})
    ss = _per_key(squares, cell, n_keys)["ss"][base_cell]
    out = base[[*by, "kind", "scale", "n", "n_dont_know", "n_missing"]].copy()  # base's index
    n = out["n"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = np.where(n >= 2, ss / (n - 1), np.nan)
    proportion = (out["kind"] == PROPORTION).to_numpy()
    successes = sums["successes"][base_cell]
    out["successes"] = np.where(proportion, np.where(np.isnan(successes), 0.0, successes), np.nan)
    out["mean"] = np.where(n > 0, mean[base_cell], np.nan)
    out["variance"] = variance
    return out
