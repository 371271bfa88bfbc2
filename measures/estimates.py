"""Estimates per koploper × wave × questionnaire, optionally per subgroup.

Each row: n (in the base), n_dont_know and n_missing (left out, counted apart), the estimate and its
95 % interval (Wilson for shares, t for means), a flag and the reason. Small numbers are withheld by
``measures.suppression``; subgroup tables also get complementary suppression.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from measures.indicators import PROPORTION, Settings, Subgroup
from measures.intervals import t_interval, wilson_interval
from measures.scoring import Scored
from measures.suppression import (
    blank,
    complement_of_overlapping,
    complement_of_partition,
    flags,
    reasons,
)
from measures.tabulate import summarise, tabulate
from surveys.vocabulary import COMPLEMENT_REASON, SUPPRESSED

FIGURES = ["estimate", "ci_low", "ci_high"]
UNANSWERED = -1
UNANSWERED_LABEL = "niet ingevuld"


def interval_columns(
    stats: pd.DataFrame, settings: Settings, hide_counts: bool = False
) -> pd.DataFrame:
    """Estimate, interval, flag and reason for a statistics table (not yet suppressed).

    ``hide_counts``: a published table's reason does not say a withheld count (``reasons``).
    """
    out = stats.copy()
    proportion = (out["kind"] == PROPORTION).to_numpy()
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["successes"].to_numpy(dtype=float) / n
    w_low, w_high = wilson_interval(out["successes"].fillna(0), n, settings.confidence)
    t_low, t_high = t_interval(out["mean"], out["variance"], n, settings.confidence)
    out["estimate"] = np.where(proportion, share, out["mean"])
    out["ci_low"] = np.where(proportion, w_low, t_low)
    out["ci_high"] = np.where(proportion, w_high, t_high)
    out["flag"] = flags(n, settings)
    out["reason"] = reasons(n, out["n_dont_know"], settings, hide_counts=hide_counts)
    return out


def finish(table: pd.DataFrame) -> pd.DataFrame:
    """Withhold the figures of suppressed rows and drop the working columns."""
    out = blank(table, FIGURES, table["flag"] == SUPPRESSED)
    return out.drop(columns=["successes", "mean", "variance"])


def wave_estimates(scored: Scored, settings: Settings, hide_counts: bool = False) -> pd.DataFrame:
    """One row per koploper × wave × indicator of one questionnaire (``hide_counts``: as
    :func:`interval_columns`)."""
    tab = tabulate(scored, scored.meta[["koploper", "wave"]])
    stats = summarise(tab.counts, tab.base, tab.keys)
    table = finish(interval_columns(stats, settings, hide_counts))
    table.insert(0, "questionnaire", scored.questionnaire)
    return table


def _subgroup_rows(scored: Scored, subgroup: Subgroup) -> tuple[np.ndarray, np.ndarray]:
    codes = scored.codes[subgroup.item].to_numpy()
    if not subgroup.multiple:
        category = np.where(np.isnan(codes), UNANSWERED, codes).astype(np.int64)
        return np.arange(codes.size), category
    rows, categories = [], []
    for code in subgroup.labels:
        chosen = np.flatnonzero((codes.astype(np.int64) >> code) & 1)
        rows.append(chosen)
        categories.append(np.full(chosen.size, code, dtype=np.int64))
    return np.concatenate(rows), np.concatenate(categories)


def subgroup_estimates(scored: Scored, settings: Settings) -> pd.DataFrame:
    """Estimates per koploper × wave × subgroup category, with complementary suppression.

    Single-choice subgroups include a 'niet ingevuld' category, so together the categories add up
    to the total; for multiple-choice subgroups (a respondent may be in several) a cell is withheld
    when the respondents outside it are too few.
    """
    total = wave_estimates(scored, settings)[["koploper", "wave", "indicator", "n"]]
    parts = []
    for subgroup in scored.spec.subgroups:
        rows, category = _subgroup_rows(scored, subgroup)
        groups = scored.meta[["koploper", "wave"]].iloc[rows].reset_index(drop=True)
        groups["category"] = category
        tab = tabulate(scored, groups, rows)
        table = interval_columns(summarise(tab.counts, tab.base, tab.keys), settings)
        if subgroup.multiple:
            with_total = table.merge(
                total, on=["koploper", "wave", "indicator"], how="left", suffixes=("", "_total")
            )
            extra = complement_of_overlapping(
                table["n"].to_numpy(), with_total["n_total"].to_numpy(), settings
            )
        else:
            extra = complement_of_partition(table, ["koploper", "wave", "indicator"], settings)
        extra &= table["flag"].to_numpy() != SUPPRESSED
        table.loc[extra, "flag"] = SUPPRESSED
        table.loc[extra, "reason"] = COMPLEMENT_REASON
        table.insert(2, "subgroup", subgroup.item)
        labels = {**subgroup.labels, UNANSWERED: UNANSWERED_LABEL}
        table.insert(4, "category_label", table["category"].map(labels))
        parts.append(finish(table))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "questionnaire", scored.questionnaire)
    return out
