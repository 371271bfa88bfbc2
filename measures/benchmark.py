"""Benchmarks: each koploper against the others in the same wave.

Two reference groups, each *without* the koploper itself so the two samples are independent: all
other koplopers together (their respondents pooled), and the other koplopers of its own cohort (a
koploper → cohort mapping given by the caller). A reference group is a difference of count tables:
everyone in the wave (or cohort) minus the koploper.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from measures.contrast import add_q_values, contrast, order_rows, rename_sides
from measures.indicators import Settings
from measures.scoring import Scored
from measures.tabulate import summarise, tabulate
from surveys.vocabulary import OTHERS

BASE_COUNTS = ["n", "n_dont_know", "n_missing"]


def leave_one_out(
    counts: pd.DataFrame, base: pd.DataFrame, pool: Mapping[str, str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count and base tables of each koploper's reference group: its pool in the wave minus itself.

    ``pool`` maps koploper → pool (a cohort); koplopers without a pool get no reference. ``None``
    puts every koploper in one pool.
    """

    def pooled(table: pd.DataFrame) -> pd.DataFrame:
        label = table["koploper"].map(pool) if pool is not None else OTHERS
        return table.assign(pool=label).dropna(subset=["pool"])

    counts, base = pooled(counts), pooled(base)
    by = ["pool", "wave", "indicator"]
    totals = counts.groupby([*by, "value"], observed=True)["count"].sum().rename("total")
    grid = base[["koploper", *by]].merge(totals.reset_index(), on=by)
    own = counts[["koploper", "wave", "indicator", "value", "count"]]
    grid = grid.merge(own, on=["koploper", "wave", "indicator", "value"], how="left")
    grid["count"] = grid["total"] - grid["count"].fillna(0).astype(grid["total"].dtype)
    reference_counts = grid[grid["count"] > 0].drop(columns="total")

    base_totals = base.groupby(by, observed=True)[BASE_COUNTS].sum()
    reference_base = base.merge(base_totals, left_on=by, right_index=True, suffixes=("_own", ""))
    for column in BASE_COUNTS:
        reference_base[column] = reference_base[column] - reference_base[f"{column}_own"]
    reference_base = reference_base.drop(columns=[f"{c}_own" for c in BASE_COUNTS])
    return reference_counts, reference_base


def benchmark(
    scored: dict[str, Scored],
    settings: Settings,
    cohorts: Mapping[str, str] | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """Each koploper × wave × questionnaire × indicator against 'overige koplopers' and, when
    ``cohorts`` is given, against the rest of its cohort. Columns ``_reference`` and ``_koploper``;
    the difference is koploper minus reference. q-values per koploper × wave × reference group.
    """
    parts = []
    for key, part in scored.items():
        meta = part.meta
        rows = meta.index if wave is None else meta.index[meta["wave"] == wave]
        tab = tabulate(part, meta.loc[rows, ["koploper", "wave"]], rows.to_numpy())
        own = summarise(tab.counts, tab.base, tab.keys)
        pools: list[tuple[str, Mapping[str, str] | None]] = [(OTHERS, None)]
        if cohorts:
            pools.append(("cohort", cohorts))
        for label, pool in pools:
            ref_counts, ref_base = leave_one_out(tab.counts, tab.base, pool)
            keys = ["koploper", "wave"]
            ref_stats = summarise(ref_counts, ref_base, keys)
            own_part = own[own["koploper"].isin(ref_base["koploper"])]
            counts_part = tab.counts[tab.counts["koploper"].isin(ref_base["koploper"])]
            table = contrast(
                ref_stats,
                own_part,
                keys,
                settings,
                ref_counts,
                counts_part,
                side_names=(
                    f"bij de {label}" if pool is None else "bij het cohort",
                    "bij de koploper",
                ),
            )
            if pool is None:
                table.insert(2, "reference", OTHERS)
            else:
                names = table["koploper"].map(pool)
                table.insert(2, "reference", "cohort " + names.astype(str))
            table.insert(0, "questionnaire", key)
            parts.append(table)
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True)
    order = {k: s.indicators for k, s in scored.items()}
    table = order_rows(table, order, ["koploper", "wave", "reference"])
    table["_family"] = table["reference"].where(table["reference"] == OTHERS, "cohort")
    table = add_q_values(table, ["koploper", "wave", "_family"]).drop(columns="_family")
    table["significant"] = table["q_value"] < settings.significance
    return rename_sides(table, "reference", "koploper")
