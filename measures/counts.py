"""Counting a koploper's dashboard: the count and base tables (``measures.tabulate``) of the
koploper and its two reference groups, per wave and, with a subgroup, per category.

:func:`from_scored` counts scored responses with the engine's own ``tabulate``; the data layer
gives it the responses it read, tests and ``bench/dashboard.py`` give it responses in memory.
Besides the figures it counts who answered (``measures.profile``) and how many koplopers each
reference group pools (``members``, for ``measures.pools``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from measures.estimates import _subgroup_rows
from measures.groups import ALL, KEYS, MEMBER_COLUMNS, wave_order
from measures.indicators import IndicatorSet, Subgroup
from measures.profile import empty_profile, profile_items, profile_of
from measures.scoring import VALID, Scored
from measures.subgroups import subgroup_choices
from measures.tabulate import group_codes, tabulate
from surveys.vocabulary import COHORT, OTHERS, OWN

KoploperKey = int | str
"""A koploper as the responses' ``koploper`` column holds it: its id (``views``, which reads by
id only) or its slug (``python -m measures``, which reads a file)."""


@dataclass(frozen=True)
class GroupCounts:
    """Count and base tables of the koploper (``OWN``) and its reference groups.

    ``counts``: group, category, wave, questionnaire, indicator, value, count.
    ``base``: group, category, wave, questionnaire, indicator, n, n_dont_know, n_missing, kind,
    scale. ``profile`` (the koploper only): wave, questionnaire, item, code, count, answered.
    ``versions`` (the koploper only): wave, questionnaire, version, responses.
    """

    counts: pd.DataFrame
    base: pd.DataFrame
    profile: pd.DataFrame
    versions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["wave", "questionnaire", "version", "responses"]
        )
    )
    subgroup: str | None = None
    members: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MEMBER_COLUMNS))
    """How many koplopers a group pools: group, category, wave, questionnaire, indicator,
    koplopers (those with at least one respondent in the base, not counting the koplopers the
    viewer sees by name). A reference group of too few would give them away."""

    @property
    def waves(self) -> list[str]:
        """The waves in which the koploper has responses."""
        own = self.base[
            (self.base["group"] == OWN)
            & (self.base["n"] + self.base["n_dont_know"] + self.base["n_missing"] > 0)
        ]
        return wave_order(own["wave"])


def _typed_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    columns = [*KEYS, "indicator", "value", "count"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    table["value"] = table["value"].astype(float)
    table["count"] = table["count"].astype(np.int64)
    table["category"] = table["category"].astype(np.int64)
    return table[columns]


def _typed_base(parts: list[pd.DataFrame]) -> pd.DataFrame:
    columns = [*KEYS, "indicator", "n", "n_dont_know", "n_missing", "kind", "scale"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    for column in ("n", "n_dont_know", "n_missing", "category"):
        table[column] = table[column].astype(np.int64)
    return table[columns]


def from_scored(
    scored: dict[str, Scored],
    koploper: KoploperKey,
    cohort: Collection[KoploperKey],
    indicators: IndicatorSet,
    subgroup: str | None = None,
    known: Collection[KoploperKey] = frozenset(),
) -> GroupCounts:
    """The count tables of ``koploper`` and its two reference groups, with the engine's
    ``tabulate``.

    ``koploper``, ``cohort`` and ``known`` name koplopers as ``scored`` does (ids or slugs:
    :data:`KoploperKey`). ``cohort`` holds the koplopers of the koploper's cohort. ``subgroup``
    is a key of :func:`~measures.subgroups.subgroup_choices` (a question counts only in its own
    questionnaire). ``known`` are the koplopers the viewer sees by name anyway: they do not count
    toward a pool's size.
    """
    count_parts, base_parts, profile_parts, member_parts = [], [], [], []
    choice = subgroup_choices(indicators).get(subgroup) if subgroup else None
    if subgroup is not None and choice is None:
        raise ValueError(f"onbekende subgroep '{subgroup}'")
    for key, part in scored.items():
        koplopers = part.meta["koploper"].to_numpy()
        if choice is None:
            rows, category = np.arange(len(koplopers)), np.full(len(koplopers), ALL)
        elif choice.column is not None:
            if choice.column not in part.meta:
                raise ValueError(f"the responses have no column '{choice.column}'")
            rows = np.arange(len(koplopers))
            category = part.meta[choice.column].to_numpy(dtype=np.int64)
        elif choice.questionnaire != key:
            continue
        else:
            chosen = Subgroup(choice.key, choice.multiple, choice.categories)
            rows, category = _subgroup_rows(part, chosen)
        members = {
            OWN: koplopers == koploper,
            COHORT: np.isin(koplopers, list(cohort)) & (koplopers != koploper),
            OTHERS: koplopers != koploper,
        }
        pairs_rows, pairs_group, pairs_category = [], [], []
        for group, mask in members.items():
            keep = mask[rows]
            pairs_rows.append(rows[keep])
            pairs_group.append(np.full(keep.sum(), group, dtype=object))
            pairs_category.append(category[keep])
        all_rows = np.concatenate(pairs_rows)
        groups = pd.DataFrame(
            {
                "group": np.concatenate(pairs_group),
                "category": np.concatenate(pairs_category).astype(np.int64),
                "wave": part.meta["wave"].to_numpy()[all_rows],
            }
        )
        member_parts.append(
            _members(part, groups, koplopers[all_rows], all_rows, set(known) | {koploper}, key)
        )
        tab = tabulate(part, groups, all_rows)
        tab.counts.insert(3, "questionnaire", key)
        tab.base.insert(3, "questionnaire", key)
        count_parts.append(tab.counts)
        base_parts.append(tab.base)
        own = np.flatnonzero(members[OWN])
        for item in profile_items(indicators)[key]:
            profile_parts.append(profile_of(part, own, item, key))
    profile = pd.concat(profile_parts, ignore_index=True) if profile_parts else empty_profile()
    members = (
        pd.concat(member_parts, ignore_index=True)
        if member_parts
        else pd.DataFrame(columns=MEMBER_COLUMNS)
    )
    return GroupCounts(
        _typed_counts(count_parts),
        _typed_base(base_parts),
        profile,
        subgroup=subgroup,
        members=members[MEMBER_COLUMNS],
    )


def _members(
    part: Scored,
    groups: pd.DataFrame,
    koplopers: np.ndarray,
    rows: np.ndarray,
    known: Collection[KoploperKey],
    key: str,
) -> pd.DataFrame:
    """Per group, category, wave and indicator: how many koplopers outside ``known`` have a
    respondent in the base."""
    cells, keys = group_codes(groups)
    pooled, names = pd.factorize(koplopers)
    counted = ~np.isin(names, list(known))
    width = max(len(names), 1)
    parts = []
    for indicator in part.indicators:
        valid = (part.status[indicator][rows] == VALID) & counted[pooled]
        present = np.zeros(len(keys) * width, dtype=bool)
        present[cells[valid] * width + pooled[valid]] = True
        parts.append(
            keys.assign(
                questionnaire=key,
                indicator=indicator,
                koplopers=present.reshape(len(keys), width).sum(axis=1),
            )
        )
    return pd.concat(parts, ignore_index=True)
