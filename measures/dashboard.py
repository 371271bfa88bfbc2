"""The figures of one koploper's dashboard: every indicator at every wave, the change from the
baseline to a follow-up, and the koploper beside the other koplopers (pooled, anonymous) and the
rest of its cohort.

Input is a :class:`GroupCounts`: count and base tables (``measures.tabulate``) of three groups,
the koploper itself, all other koplopers together and the other koplopers of its cohort, per wave
and (when a subgroup is chosen) per category. :func:`from_scored` makes them with the engine's own
``tabulate`` from scored responses: ``db.dashboard`` reads the codes from the database, tests
and ``bench/dashboard.py`` give it responses in memory. A reference group that pools fewer than
``min_koplopers`` koplopers is withheld (:func:`withhold_small_pools`). Everything after that is
the engine: ``summarise``, the intervals, ``contrast`` and Benjamini–Hochberg, exactly as
``compare_waves``, ``benchmark`` and ``wave_estimates`` compute them, so the dashboard's figures
are the engine's figures.

Both questionnaires are always computed together, so the q-values are the engine's (one family per
koploper over all its indicators); a page shows the questionnaire it is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from measures.contrast import FIGURES as CONTRAST_FIGURES
from measures.contrast import add_q_values, contrast, order_rows, rename_sides
from measures.dutch import wave_name
from measures.estimates import _subgroup_rows, finish, interval_columns
from measures.indicators import IndicatorSet, ItemIndicator, Settings, Subgroup
from measures.scoring import VALID, Scored
from measures.suppression import (
    COMPLEMENT_REASON,
    SUPPRESSED,
    blank,
    complement_of_overlapping,
    complement_of_partition,
    flags,
    reasons,
)
from measures.tabulate import group_codes, key_codes, summarise, tabulate

OWN = "koploper"
OTHERS = "overige koplopers"
COHORT = "cohort"
GROUPS = (OWN, OTHERS, COHORT)
ALL = -99
"""The category of every row when no subgroup is chosen."""
KEYS = ["group", "category", "wave", "questionnaire"]
MEMBER_COLUMNS = ["group", "category", "wave", "questionnaire", "indicator", "koplopers"]
POOL_KEYS = ["group", "category", "wave", "questionnaire", "indicator"]
"""The keys of :func:`small_pools`: a reference group's figure of one indicator."""
FEW_KOPLOPERS_REASON = (
    "niet getoond: te weinig andere koplopers om mee te vergelijken (minder dan {n}), "
    "hun cijfers zouden herkenbaar zijn"
)

GOALS = {
    "awareness": "Bekendheid",
    "findability": "Vindbaarheid",
    "quality": "Kwaliteit",
    "outcome": "Effect",
    "profile": "Inzicht",
}
"""The goals of the programme, in the order the dashboard shows them; 'profile' is 'Inzicht'."""
QUESTIONNAIRES = {
    "client": "Inwoners en cliënten",
    "professional": "Cliëntondersteuners en verwijzers",
}
UP, DOWN, SAME, NONE = "▲", "▼", "=", "–"
DIRECTION_WORDS = {
    UP: "duidelijk hoger",
    DOWN: "duidelijk lager",
    SAME: "niet duidelijk anders",
    NONE: "geen cijfer",
}
REFERENCE_NAMES = {
    OTHERS: "de andere koplopers samen",
    COHORT: "de andere koplopers van het cohort",
}


@dataclass(frozen=True)
class SubgroupChoice:
    """A subgroup the dashboard can show on its own: a profile question, or how people answered.

    ``questionnaire`` is the questionnaire that asks the question (``None``: both); ``column``
    names a response column (channel, language) instead of a question.
    """

    key: str
    label: str
    questionnaire: str | None
    multiple: bool
    categories: dict[int, str]
    column: str | None = None


CHANNELS = {"web": 1, "paper": 2, "import": 3, "demo": 4}
"""The stored channels (``responses.channel``), as the page Veldwerk names them too."""
CHANNEL_LABELS = {0: "Anders", 1: "Online", 2: "Op papier", 3: "Ingelezen", 4: "Demo"}
LANGUAGES = {"nl": 1, "nl-eenvoudig": 2}
LANGUAGE_LABELS = {1: "Standaard (B1)", 2: "Makkelijk lezen"}
SUBGROUP_ITEMS = {
    "target_group": "Doelgroep",
    "age_group": "Leeftijd",
    "filled_by": "Wie vulde in",
    "role": "Rol (verwijzers en ondersteuners)",
}


def subgroup_choices(indicators: IndicatorSet) -> dict[str, SubgroupChoice]:
    """The subgroups of the filter, by key: target group, age, who filled in, role, channel,
    register."""
    found: dict[str, SubgroupChoice] = {}
    for key, spec in indicators.questionnaires.items():
        for item in spec.definition.items:
            if item.key in SUBGROUP_ITEMS:
                labels = {
                    o.code: o.label["nl"] for o in item.options if o.code not in item.missing_codes
                }
                found[item.key] = SubgroupChoice(
                    item.key, SUBGROUP_ITEMS[item.key], key, item.qtype.multiple, labels
                )
    found["channel"] = SubgroupChoice(
        "channel", "Kanaal", None, False, dict(CHANNEL_LABELS), column="channel"
    )
    found["language"] = SubgroupChoice(
        "language",
        "Versie van de vragenlijst",
        None,
        False,
        dict(LANGUAGE_LABELS),
        column="language",
    )
    return found


def in_view(table: pd.DataFrame, questionnaires: Iterable[str]) -> pd.DataFrame:
    """The rows of the questionnaires a view shows."""
    if table.empty:
        return table
    return table[table["questionnaire"].isin(list(questionnaires))]


def wave_order(waves: object) -> list[str]:
    return sorted({str(w) for w in waves}, key=lambda w: int(w[1:]))


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


# --- making the tables --------------------------------------------------------------------------


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


def _empty_profile() -> pd.DataFrame:
    return pd.DataFrame(columns=["wave", "questionnaire", "item", "code", "count", "answered"])


def profile_items(indicators: IndicatorSet) -> dict[str, list[str]]:
    """Per questionnaire the coded profile questions shown under 'Inzicht' (who answered)."""
    found: dict[str, list[str]] = {}
    for key, spec in indicators.questionnaires.items():
        as_indicator = {i.item for i in spec.items}
        found[key] = [
            item.key
            for item in spec.definition.items
            if item.theme == "profile" and item.qtype.coded and item.key not in as_indicator
        ]
    return found


def from_scored(
    scored: dict[str, Scored],
    koploper: str,
    cohort: set[str] | frozenset[str],
    indicators: IndicatorSet,
    subgroup: str | None = None,
    known: set[str] | frozenset[str] = frozenset(),
) -> GroupCounts:
    """The count tables of ``koploper`` and its two reference groups, with the engine's
    ``tabulate``.

    ``cohort`` holds the koplopers of the koploper's cohort. ``subgroup`` is a key of
    :func:`subgroup_choices` (a question counts only in its own questionnaire). ``known`` are the
    koplopers the viewer sees by name anyway: they do not count toward a pool's size.
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
            profile_parts.append(_profile_of(part, own, item, key))
    profile = pd.concat(profile_parts, ignore_index=True) if profile_parts else _empty_profile()
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
    known: set[str],
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


def _profile_of(part: Scored, own: np.ndarray, item_key: str, key: str) -> pd.DataFrame:
    item = part.spec.definition.item(item_key)
    codes = part.codes[item_key].to_numpy()[own]
    waves = part.meta["wave"].to_numpy()[own]
    rows = []
    for wave in wave_order(waves):
        here = codes[waves == wave]
        if item.qtype.multiple:
            chosen = {
                o.code: int(((here.astype(np.int64) >> o.code) & 1).sum()) for o in item.options
            }
            answered = int((here.astype(np.int64) > 0).sum())
        else:
            chosen = {o.code: int((here == o.code).sum()) for o in item.options}
            answered = int((~np.isnan(here.astype(float))).sum())
        for code, count in chosen.items():
            rows.append((wave, key, item_key, code, count, answered))
    return pd.DataFrame(
        rows, columns=["wave", "questionnaire", "item", "code", "count", "answered"]
    )


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Everything one view of the dashboard shows; every table already suppressed."""

    baseline: str
    followup: str
    waves: list[str]
    estimates: pd.DataFrame
    """group, questionnaire, wave, indicator, goal, label, kind, scale, n, n_dont_know,
    n_missing, estimate, ci_low, ci_high, flag, reason."""
    changes: pd.DataFrame
    """The columns of ``python -m measures compare`` (koploper = the group) plus goal, label,
    direction, sentence, wording."""
    benchmarks: pd.DataFrame
    """Per wave and reference (``OTHERS``, ``COHORT``): the columns of ``benchmark`` plus
    direction and sentence."""
    profile: pd.DataFrame
    """Who answered: wave, questionnaire, item, question, code, category, count, answered,
    share, flag, reason."""


def _rows_in(table: pd.DataFrame, keys: list[str], found: set[tuple]) -> np.ndarray:
    """Whether the ``keys`` of each row of ``table`` are one of the tuples ``found``."""
    if not found:
        return np.zeros(len(table), dtype=bool)
    rows = zip(*(table[key].tolist() for key in keys), strict=True)
    return np.fromiter((row in found for row in rows), dtype=bool, count=len(table))


def _complement_keys(
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
    why. The data layer applies this before anything leaves it; :func:`figures` again.
    ``hidden`` is :func:`small_pools` when the caller has it already."""
    hidden = small_pools(counts, settings) if hidden is None else hidden
    if not hidden:
        return counts
    base = counts.base.copy()
    gone = _rows_in(base, POOL_KEYS, hidden)
    base.loc[gone, ["n", "n_dont_know", "n_missing"]] = 0
    kept = counts.counts[~_rows_in(counts.counts, POOL_KEYS, hidden)].reset_index(drop=True)
    return replace(counts, counts=kept, base=base)


def _in_small_pool(
    table: pd.DataFrame,
    group: pd.Series | str,
    wave: pd.Series | str,
    category: int,
    pooled: set[tuple],
) -> np.ndarray:
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


def _withhold(table: pd.DataFrame, mask: np.ndarray, figures: list[str]) -> pd.DataFrame:
    said = {"flag": SUPPRESSED, "reason": COMPLEMENT_REASON, "test": "", "rank_test": ""}
    out = blank(table, figures, mask)
    return out.assign(
        **{
            column: np.where(mask, text, out[column].to_numpy(dtype=object))
            for column, text in said.items()
            if column in out
        }
    )


def figures(
    counts: GroupCounts,
    indicators: IndicatorSet,
    baseline: str,
    followup: str,
    category: int | None = None,
    multiple: bool = False,
    total: GroupCounts | None = None,
    koploper_name: str = "deze koploper",
    wording: dict[str, dict[str, str]] | None = None,
) -> Figures:
    """The dashboard's figures for ``baseline`` against ``followup``.

    With a subgroup (``counts.subgroup``), ``category`` is the one shown; ``multiple`` says a
    respondent may be in several categories (then ``total``, the counts without subgroup, is
    needed for complementary suppression). ``wording`` maps questionnaire → indicator → a note
    that the question was asked differently.
    """
    settings = indicators.settings
    pooled = small_pools(counts, settings)
    counts = withhold_small_pools(counts, settings, pooled)
    chosen = ALL if counts.subgroup is None else category
    if chosen is None:
        raise ValueError("kies een categorie van de subgroep")
    withheld = (
        set()
        if counts.subgroup is None
        else _complement_keys(counts, chosen, multiple, total, settings, pooled)
    )
    sel_counts = counts.counts[counts.counts["category"] == chosen].drop(columns="category")
    sel_base = counts.base[counts.base["category"] == chosen].drop(columns="category")
    keys = ["group", "wave", "questionnaire"]
    stats = summarise(sel_counts, sel_base, keys)

    def hidden(frame: pd.DataFrame, group: pd.Series | str, wave: pd.Series | str) -> np.ndarray:
        return _hidden(withheld, frame, group, wave)

    estimates = interval_columns(stats, settings)
    few = _in_small_pool(estimates, estimates["group"], estimates["wave"], chosen, pooled)
    mask = hidden(estimates, estimates["group"], estimates["wave"])
    for rows, reason in (
        (few, FEW_KOPLOPERS_REASON.format(n=settings.min_koplopers)),
        (mask, COMPLEMENT_REASON),
    ):
        if rows.any():
            estimates.loc[rows, "flag"] = SUPPRESSED
            estimates.loc[rows, "reason"] = reason
    estimates = finish(estimates)

    order = {k: [i.name for i in s.indicators] for k, s in indicators.questionnaires.items()}
    present = set(sel_base["questionnaire"])
    order = {k: v for k, v in order.items() if k in present}
    changes = _wave_change(stats, sel_counts, baseline, followup, settings, hidden, order)
    waves = counts.waves
    benchmarks = _benchmarks(stats, sel_counts, waves, settings, hidden, order, chosen, pooled)

    changes = _sides_from(estimates, changes, {"baseline": baseline, "followup": followup})
    benchmarks = _sides_from(estimates, benchmarks, {"koploper": OWN, "reference": None})
    estimates, changes, benchmarks = _describe(
        indicators,
        estimates,
        changes,
        benchmarks,
        baseline,
        followup,
        koploper_name,
        wording or {},
    )
    profile = profile_table(counts.profile, indicators)
    estimates = _hide_small_counts(estimates, ["n"], settings)
    changes = _hide_small_counts(changes, ["n_baseline", "n_followup"], settings)
    benchmarks = _hide_small_counts(benchmarks, ["n_reference", "n_koploper"], settings)
    profile = _hide_small_counts(profile, ["answered"], settings)
    return Figures(baseline, followup, waves, estimates, changes, benchmarks, profile)


def _hidden(
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


def _side(frame: pd.DataFrame, group: str, waves: list[str]) -> pd.DataFrame:
    """The rows of ``group`` at ``waves`` (contrast reads only the columns it needs)."""
    return frame[(frame["group"] == group) & frame["wave"].isin(waves)]


Hidden = Callable[[pd.DataFrame, "pd.Series | str", "pd.Series | str"], np.ndarray]


def _wave_change(
    stats: pd.DataFrame,
    counts: pd.DataFrame,
    baseline: str,
    followup: str,
    settings: Settings,
    hidden: Hidden,
    order: dict[str, list[str]],
) -> pd.DataFrame:
    """The koploper's change from the baseline to the follow-up (as ``compare_waves``,
    independent samples), with q-values; no rows for one wave (nothing to compare, not a change
    of 0 against itself)."""
    changes = contrast(
        _side(stats, OWN, [baseline]),
        _side(stats, OWN, [followup]),
        ["questionnaire"],
        settings,
        _side(counts, OWN, [baseline]),
        _side(counts, OWN, [followup]),
        side_names=(f"bij {baseline}", f"bij {followup}"),
    )
    mask = hidden(changes, OWN, baseline) | hidden(changes, OWN, followup)
    if mask.any():
        changes = _withhold(changes, mask, CONTRAST_FIGURES)
    changes.insert(0, "koploper", OWN)
    changes.insert(2, "design", "onafhankelijk")
    changes = order_rows(changes, order, ["koploper"]) if len(changes) else changes
    if baseline == followup:
        changes = changes.iloc[0:0]
    changes = add_q_values(changes, [])
    changes["significant"] = changes["q_value"] < settings.significance
    return rename_sides(changes, "baseline", "followup")


def _benchmarks(
    stats: pd.DataFrame,
    counts: pd.DataFrame,
    waves: list[str],
    settings: Settings,
    hidden: Hidden,
    order: dict[str, list[str]],
    chosen: int,
    pooled: set[tuple],
) -> pd.DataFrame:
    """The koploper beside the other koplopers and beside its cohort, at every wave (as
    ``benchmark``, leave-one-out), with q-values per wave and reference."""
    parts = []
    own, own_counts = _side(stats, OWN, waves), _side(counts, OWN, waves)
    for reference in (OTHERS, COHORT):
        if own.empty:
            continue
        name = "bij de overige koplopers" if reference == OTHERS else "bij het cohort"
        table = contrast(
            _side(stats, reference, waves),
            own,
            ["wave", "questionnaire"],
            settings,
            _side(counts, reference, waves),
            own_counts,
            side_names=(name, "bij de koploper"),
        )
        mask = hidden(table, reference, table["wave"]) | hidden(table, OWN, table["wave"])
        if mask.any():
            table = _withhold(table, mask, CONTRAST_FIGURES)
        few_rows = _in_small_pool(table, reference, table["wave"], chosen, pooled)
        if few_rows.any():
            table = _withhold(table, few_rows, CONTRAST_FIGURES)
            table.loc[few_rows, "reason"] = FEW_KOPLOPERS_REASON.format(n=settings.min_koplopers)
        table.insert(1, "reference", reference)
        parts.append(table)
    if not parts:
        return pd.DataFrame()
    benchmarks = pd.concat(parts, ignore_index=True)
    benchmarks = order_rows(benchmarks, order, ["wave", "reference"])
    benchmarks = add_q_values(benchmarks, ["wave", "reference"])
    benchmarks["significant"] = benchmarks["q_value"] < settings.significance
    return rename_sides(benchmarks, "reference", "koploper")


SIDE_COLUMNS = ["n", "estimate", "ci_low", "ci_high"]
COMPARISON_FIGURES = [c for c in CONTRAST_FIGURES if c[-2:] not in ("_1", "_2")]
"""The figures of a comparison itself (difference, its interval, p, q, effect size)."""


def _sides_from(
    estimates: pd.DataFrame, table: pd.DataFrame, sides: dict[str, str | None]
) -> pd.DataFrame:
    """``table`` (changes or benchmarks) with each side's n, estimate and interval taken from
    ``estimates``: one suppression decision per group, wave and indicator behind every output.

    The engine's ``contrast`` blanks both sides of a withheld comparison; but a figure that is
    shown on its own (the other koplopers beside a protected koploper, the baseline beside a
    follow-up with too few answers) is shown everywhere, and one withheld is withheld
    everywhere. A comparison with a withheld side shows no comparison figures either.

    ``sides`` maps a side's suffix to a wave (changes: the koploper's own rows) or, for
    benchmarks, ``"koploper"`` to ``OWN`` and ``"reference"`` to ``None`` (the row's reference
    group, at the row's wave).
    """
    if table.empty:
        return table
    keyed = estimates.set_index(["group", "wave", "questionnaire", "indicator"])[SIDE_COLUMNS]
    keyed = keyed[~keyed.index.duplicated()]
    out = table.copy()
    withheld = np.zeros(len(out), dtype=bool)
    for side, fixed in sides.items():
        if "reference" in out and side in ("koploper", "reference"):
            group = out["reference"] if fixed is None else pd.Series(fixed, index=out.index)
            wave = out["wave"]
        else:
            group = pd.Series(OWN, index=out.index)
            wave = pd.Series(fixed, index=out.index)
        where = pd.MultiIndex.from_arrays(
            [group.to_numpy(), wave.to_numpy(), out["questionnaire"], out["indicator"]]
        )
        found = keyed.reindex(where)
        for column in SIDE_COLUMNS:
            target = f"{column}_{side}"
            if target in out:
                out[target] = found[column].to_numpy(dtype=float)
        withheld |= np.isnan(found["estimate"].to_numpy(dtype=float))
    if withheld.any():
        out = blank(out, COMPARISON_FIGURES, withheld)
        if "significant" in out:
            out["significant"] = out["significant"].to_numpy(dtype=bool) & ~withheld
        if "flag" in out:
            out.loc[withheld, "flag"] = SUPPRESSED
    return out


SMALL_COUNT = re.compile(r"\(n = \d+, minimaal (\d+)\)")


def _hide_small_counts(table: pd.DataFrame, columns: list[str], settings: Settings) -> pd.DataFrame:
    """Nothing on fewer than ``min_n``: not even how many there were (empty, and the reason says
    "minder dan 10" instead of "n = 8"); 0 stays 0."""
    if table.empty:
        return table
    hidden = {}
    for column in columns:
        values = table[column].to_numpy(dtype=float)
        hidden[column] = np.where((values > 0) & (values < settings.min_n), np.nan, values)
    said = table["reason"].astype(str).tolist()
    worded = {r: SMALL_COUNT.sub(r"(minder dan \1)", r) for r in set(said)}
    return table.assign(**hidden, reason=[worded[r] for r in said])


# --- words --------------------------------------------------------------------------------------


def direction(significant: object, difference: float, flag: str) -> str:
    if flag == SUPPRESSED or pd.isna(difference):
        return NONE
    if bool(significant) and difference > 0:
        return UP
    if bool(significant) and difference < 0:
        return DOWN
    return SAME


def _describe(
    indicators: IndicatorSet,
    estimates: pd.DataFrame,
    changes: pd.DataFrame,
    benchmarks: pd.DataFrame,
    baseline: str,
    followup: str,
    koploper_name: str,
    wording: dict[str, dict[str, str]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from measures.sentences import (
        BENCHMARK_COLUMNS,
        CHANGE_COLUMNS,
        benchmark_sentence,
        change_sentence,
    )

    specs = indicators.questionnaires

    def annotate(table: pd.DataFrame) -> pd.DataFrame:
        if table.empty:  # the same columns, no rows
            return table.assign(goal=[], label=[], direction=[], wording=[], sentence=[])
        pairs = list(zip(table["questionnaire"], table["indicator"], strict=True))
        words = {(q, i): (specs[q].goal(i), specs[q].label(i)) for q, i in set(pairs)}
        return table.assign(
            goal=[words[pair][0] for pair in pairs], label=[words[pair][1] for pair in pairs]
        )

    def rows(table: pd.DataFrame, columns: list[str]) -> list[dict]:
        return table[[c for c in columns if c in table]].to_dict("records")

    estimates = annotate(estimates)
    changes = annotate(changes)
    benchmarks = annotate(benchmarks)
    if not changes.empty:
        changes["direction"] = [
            direction(s, d, f)
            for s, d, f in zip(
                changes["significant"], changes["difference"], changes["flag"], strict=True
            )
        ]
        changes["wording"] = [
            wording.get(q, {}).get(i, "")
            for q, i in zip(changes["questionnaire"], changes["indicator"], strict=True)
        ]
        changes["sentence"] = [
            change_sentence(row, baseline, followup) for row in rows(changes, CHANGE_COLUMNS)
        ]
    if not benchmarks.empty:
        benchmarks["direction"] = [
            direction(s, d, f)
            for s, d, f in zip(
                benchmarks["significant"], benchmarks["difference"], benchmarks["flag"], strict=True
            )
        ]
        benchmarks["sentence"] = [
            benchmark_sentence(row, koploper_name) for row in rows(benchmarks, BENCHMARK_COLUMNS)
        ]
    return estimates, changes, benchmarks


def profile_table(profile: pd.DataFrame, indicators: IndicatorSet) -> pd.DataFrame:
    """Who answered, as shares of those who answered each question, with small numbers withheld.

    A category of fewer than ``min_n`` respondents is withheld; so is, when one category of a
    single-choice question is withheld, the next smallest (else it follows from the total); a
    multiple-choice category is also withheld when fewer than ``min_n`` did not choose it.
    """
    settings = indicators.settings
    columns = [
        "wave",
        "questionnaire",
        "item",
        "question",
        "code",
        "category",
        "count",
        "answered",
        "share",
        "flag",
        "reason",
    ]
    if profile.empty:
        return pd.DataFrame(columns=columns)
    wave, questionnaire = profile["wave"].to_numpy(), profile["questionnaire"].to_numpy()
    key, code = profile["item"].to_numpy(), profile["code"].to_numpy()
    items = {
        (q, k): indicators.questionnaires[q].definition.item(k)
        for q, k in set(zip(questionnaire.tolist(), key.tolist(), strict=True))
    }

    def label(q: str, k: str, c: int) -> str:
        return next((o.label["nl"] for o in items[q, k].options if o.code == c), str(c))

    rows = list(zip(questionnaire.tolist(), key.tolist(), code.tolist(), strict=True))
    labels = {row: label(*row) for row in set(rows)}
    n = profile["count"].to_numpy(dtype=np.int64)
    answered = profile["answered"].to_numpy(dtype=np.int64)
    multiple = np.asarray([items[q, k].qtype.multiple for q, k, _ in rows], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = n / answered
    small = (n > 0) & (n < settings.min_n)
    base_small = answered < settings.min_n
    parts = pd.DataFrame({"wave": wave, "questionnaire": questionnaire, "item": key, "n": n})
    partition = complement_of_partition(parts, ["wave", "questionnaire", "item"], settings)
    overlapping = complement_of_overlapping(n, answered, settings) & (n >= settings.min_n)
    extra = np.where(multiple, overlapping, partition) & ~small
    flag = flags(answered, settings)
    reason = reasons(answered, np.zeros(len(n)), settings)
    cell_small = small & ~base_small
    flag[cell_small] = SUPPRESSED
    reason[cell_small] = f"te weinig mensen in deze groep (minder dan {settings.min_n})"
    flag[extra & ~base_small] = SUPPRESSED
    reason[extra & ~base_small] = COMPLEMENT_REASON
    hide = flag == SUPPRESSED
    return pd.DataFrame(
        {
            "wave": wave,
            "questionnaire": questionnaire,
            "item": key,
            "question": [items[q, k].text["nl"] for q, k, _ in rows],
            "code": code,
            "category": [labels[row] for row in rows],
            "count": np.where(hide, np.nan, n.astype(float)),
            "answered": answered,
            "share": np.where(hide, np.nan, share),
            "flag": flag,
            "reason": reason,
        },
        columns=columns,
    )


def overview(result: Figures) -> pd.DataFrame:
    """One row per indicator of the koploper: the two waves, the change and ▲ / ▼ / = (with one
    wave only, the indicators without a change)."""
    columns = [
        "goal",
        "questionnaire",
        "indicator",
        "label",
        "kind",
        "n_baseline",
        "estimate_baseline",
        "n_followup",
        "estimate_followup",
        "difference",
        "q_value",
        "direction",
        "flag",
    ]
    own = result.estimates[result.estimates["group"] == OWN] if len(result.estimates) else None
    if own is None or own.empty:
        return pd.DataFrame(columns=columns)
    rows = own.drop_duplicates(["questionnaire", "indicator"])[
        ["goal", "questionnaire", "indicator", "label", "kind"]
    ]
    change = result.changes.drop(columns=["goal", "label", "kind"], errors="ignore")
    table = rows.merge(change, on=["questionnaire", "indicator"], how="left").reset_index(drop=True)
    table = table.reindex(columns=list(dict.fromkeys([*table.columns, *columns])))
    keys = pd.MultiIndex.from_frame(table[["questionnaire", "indicator"]])
    for side, wave in (("baseline", result.baseline), ("followup", result.followup)):
        # Without a change (one wave, or a change withheld) the wave's own estimate still shows.
        at = own[own["wave"] == wave].drop_duplicates(["questionnaire", "indicator"])
        at = at.set_index(["questionnaire", "indicator"]).reindex(keys)
        for column, source in ((f"n_{side}", "n"), (f"estimate_{side}", "estimate")):
            table[column] = (
                table[column]
                .astype(float)
                .fillna(pd.Series(at[source].to_numpy(dtype=float), index=table.index))
            )
    table["direction"] = table["direction"].fillna(NONE)
    table["flag"] = table["flag"].fillna("")
    return table.reindex(columns=columns).reset_index(drop=True)


__all__ = [
    "ALL",
    "COHORT",
    "DIRECTION_WORDS",
    "Figures",
    "GOALS",
    "GroupCounts",
    "OTHERS",
    "OWN",
    "QUESTIONNAIRES",
    "REFERENCE_NAMES",
    "figures",
    "from_scored",
    "in_view",
    "overview",
    "profile_items",
    "subgroup_choices",
    "wording_notes",
    "wave_order",
]


def wording_notes(
    versions: pd.DataFrame,
    changes: dict[str, dict[str, list[int]]],
    indicators: IndicatorSet,
    baseline: str,
    followup: str,
) -> dict[str, dict[str, str]]:
    """Per questionnaire and indicator, a note when a question of it was asked differently at
    ``followup`` than at ``baseline``.

    ``versions``: wave, questionnaire, version, responses (the koploper's). ``changes``: per
    questionnaire, item → the versions from which its wording changed
    (``surveys.versions.wording_changes``).
    """
    notes: dict[str, dict[str, str]] = {}
    for key, spec in indicators.questionnaires.items():
        used = versions[versions["questionnaire"] == key]
        before = used.loc[used["wave"] == baseline, "version"]
        after = used.loc[used["wave"] == followup, "version"]
        if before.empty or after.empty:
            continue
        low, high = int(before.min()), int(after.max())
        for indicator in spec.indicators:
            item_keys = (
                [indicator.item] if isinstance(indicator, ItemIndicator) else indicator.items
            )
            changed = [
                v
                for item in item_keys
                for v in changes.get(key, {}).get(item, [])
                if low < v <= high
            ]
            if changed:
                notes.setdefault(key, {})[indicator.name] = (
                    f"Let op: de vraag is bij {wave_name(followup)} anders gesteld dan bij "
                    f"{wave_name(baseline)} (vragenlijstversie {min(changed)})."
                )
    return notes
