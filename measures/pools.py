"""What a dashboard view withholds to protect a small group, beyond ``min_n``:

- a reference group that pools too few koplopers (:func:`small_pools`): its figures would give
  those koplopers away;
- with a subgroup, a category whose figure follows from the others or from the total
  (complementary suppression, :func:`complement_keys`).

``measures.figures`` applies both; the data layer applies :func:`withhold_small_pools` before
counts leave it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from measures.counts import GroupCounts
from measures.groups import ALL, POOL_KEYS
from measures.indicators import Settings
from measures.suppression import blank, complement_of_overlapping, complement_of_partition
from measures.tabulate import key_codes
from surveys.vocabulary import COHORT, COMPLEMENT_REASON, OTHERS, SUPPRESSED


def _rows_in(table: pd.DataFrame, keys: list[str], found: set[tuple]) -> np.ndarray:
    """Whether the ``keys`` of each row of ``table`` are one of the tuples ``found``."""
    if not found:
        return np.zeros(len(table), dtype=bool)
    rows = zip(*(table[key].tolist() for key in keys), strict=True)
    return np.fromiter((row in found for row in rows), dtype=bool, count=len(table))


def complement_keys(
    counts: GroupCounts,
    category: int,
    multiple: bool,
    total: GroupCounts | None,
    settings: Settings,
    pooled: set[tuple],
) -> set[tuple[str, str, str, str]]:
    """(group, wave, questionnaire, indicator) whose figure for ``category`` is withheld because
    the other categories or the total would give a small group away."""
    base = counts.base
    if multiple:
        if total is None:
            raise ValueError("a multiple-choice subgroup needs the totals (total=…)")
        whole = total.base[total.base["category"] == ALL][
            ["group", "wave", "questionnaire", "indicator", "n"]
        ]
        own = base[base["category"] == category].merge(
            whole,
            on=["group", "wave", "questionnaire", "indicator"],
            suffixes=("", "_total"),
            how="left",
        )
        extra = complement_of_overlapping(own["n"].to_numpy(), own["n_total"].to_numpy(), settings)
        hit = own[extra & (own["n"].to_numpy() >= settings.min_n)]
    else:
        table = base.reset_index(drop=True)
        # A cell hidden for a small pool counts as a small cell: it must not follow by subtraction.
        hidden = _rows_in(table, POOL_KEYS, pooled)
        table["n"] = np.where(hidden & (table["n"].to_numpy() == 0), 1, table["n"].to_numpy())
        extra = complement_of_partition(
            table, ["group", "wave", "questionnaire", "indicator"], settings
        )
        hit = table[extra & ~hidden & (table["category"].to_numpy() == category)]
    return set(zip(hit["group"], hit["wave"], hit["questionnaire"], hit["indicator"], strict=True))


def small_pools(counts: GroupCounts, settings: Settings) -> set[tuple]:
    """(group, category, wave, questionnaire, indicator) of the reference groups that pool too
    few koplopers to be shown: the other koplopers fewer than ``min_koplopers``; the cohort
    fewer, or so few koplopers outside it that "all others" minus "the cohort" would give those
    away."""
    members = counts.members
    if members.empty:
        return set()
    keys = ["category", "wave", "questionnaire", "indicator"]
    (cell,) = key_codes([members], keys)
    group = members["group"].to_numpy()
    pooled = members["koplopers"].to_numpy()
    others, cohort = (
        np.bincount(cell, weights=np.where(group == name, pooled, 0), minlength=cell.max() + 1)
        for name in (OTHERS, COHORT)
    )
    rest = others - cohort
    few = settings.min_koplopers
    first = np.unique(cell, return_index=True)[1]
    key_rows = list(zip(*(members[key].to_numpy()[first].tolist() for key in keys), strict=True))
    found = set()
    for group_name, hidden in (
        (OTHERS, (others > 0) & (others < few)),
        (COHORT, ((cohort > 0) & (cohort < few)) | ((cohort > 0) & (rest > 0) & (rest < few))),
    ):
        found |= {(group_name, *key_rows[c]) for c in np.flatnonzero(hidden)}
    return found


def withhold_small_pools(
    counts: GroupCounts, settings: Settings, hidden: set[tuple] | None = None
) -> GroupCounts:
    """The count tables without the figures of reference groups that pool too few koplopers
    (:func:`small_pools`): their counts gone and their base set to 0; ``members`` still says
    why. The data layer applies this before anything leaves it; ``measures.figures`` again.
    ``hidden`` is :func:`small_pools` when the caller has it already."""
    hidden = small_pools(counts, settings) if hidden is None else hidden
    if not hidden:
        return counts
    base = counts.base.copy()
    gone = _rows_in(base, POOL_KEYS, hidden)
    base.loc[gone, ["n", "n_dont_know", "n_missing"]] = 0
    kept = counts.counts[~_rows_in(counts.counts, POOL_KEYS, hidden)].reset_index(drop=True)
    return replace(counts, counts=kept, base=base)


def in_small_pool(
    table: pd.DataFrame,
    group: pd.Series | str,
    wave: pd.Series | str,
    category: int,
    pooled: set[tuple],
) -> np.ndarray:
    """Rows of ``table`` (at ``group`` and ``wave``, per row or for all) whose reference group
    pools too few koplopers (``pooled``: :func:`small_pools`) for ``category``."""
    if not pooled:
        return np.zeros(len(table), dtype=bool)
    groups = np.broadcast_to(np.asarray(group, dtype=object), len(table))
    waves = np.broadcast_to(np.asarray(wave, dtype=object), len(table))
    return np.asarray(
        [
            (g, category, w, q, i) in pooled
            for g, w, q, i in zip(
                groups, waves, table["questionnaire"], table["indicator"], strict=True
            )
        ],
        dtype=bool,
    )


def withhold(table: pd.DataFrame, mask: np.ndarray, figures: list[str]) -> pd.DataFrame:
    """``table`` with the ``figures`` of the ``mask`` rows emptied, flagged as suppressed to
    protect a small group (the reason: complementary suppression; no test named)."""
    said = {"flag": SUPPRESSED, "reason": COMPLEMENT_REASON, "test": "", "rank_test": ""}
    out = blank(table, figures, mask)
    return out.assign(
        **{
            column: np.where(mask, text, out[column].to_numpy(dtype=object))
            for column, text in said.items()
            if column in out
        }
    )


def complement_rows(
    withheld: set, frame: pd.DataFrame, group: pd.Series | str, wave: pd.Series | str
) -> np.ndarray:
    """Rows of ``frame`` (by group, wave, questionnaire, indicator) that complementary
    suppression withholds."""
    if not withheld:
        return np.zeros(len(frame), dtype=bool)
    groups = np.broadcast_to(np.asarray(group, dtype=object), len(frame))
    waves = np.broadcast_to(np.asarray(wave, dtype=object), len(frame))
    return np.asarray(
        [
            (g, w, q, i) in withheld
            for g, w, q, i in zip(
                groups, waves, frame["questionnaire"], frame["indicator"], strict=True
            )
        ],
        dtype=bool,
    )
