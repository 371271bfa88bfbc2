"""The figures of one koploper's dashboard view: every indicator at every wave, the change from
the baseline to a follow-up, and the koploper beside the other koplopers (pooled, anonymous) and
the rest of its cohort.

Input is a :class:`~measures.counts.GroupCounts`. What protects small groups is withheld first
(``measures.pools``); everything after that is the engine: ``summarise``, the intervals,
``contrast`` and Benjamini–Hochberg, exactly as ``compare_waves``, ``benchmark`` and
``wave_estimates`` compute them, so the dashboard's figures are the engine's figures. Both
questionnaires are always computed together, so the q-values are the engine's (one family per
koploper over all its indicators); a page shows the questionnaire it is asked for. Counts leave
as every published table shows them: under ``min_n`` empty, and the reason says "minder dan 10"
(``measures.suppression.shown_counts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from measures.contrast import FIGURES as CONTRAST_FIGURES
from measures.contrast import add_q_values, contrast, order_rows, rename_sides
from measures.counts import GroupCounts
from measures.estimates import finish, interval_columns
from measures.groups import ALL
from measures.indicators import IndicatorSet, Settings
from measures.panel import empty_panel_change
from measures.pools import (
    complement_keys,
    complement_rows,
    in_small_pool,
    small_pools,
    withhold,
    withhold_small_pools,
)
from measures.profile import profile_table
from measures.suppression import blank, shown_count_columns
from measures.tabulate import summarise
from measures.wording import describe
from surveys.vocabulary import (
    COHORT,
    COMPLEMENT_REASON,
    FEW_KOPLOPERS_REASON,
    NONE,
    OTHERS,
    OWN,
    REFERENCE_WHERE,
    SUPPRESSED,
)


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
    settings: Settings
    """The limits and levels the figures were made with (the intervals' level, the minimum n)."""
    paired: pd.DataFrame = field(default_factory=empty_panel_change)
    """The change for the same people (a panel) at both waves (``measures.panel``): beside
    ``changes``, never instead of it; no rows when nobody answered both waves."""


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
        else complement_keys(counts, chosen, multiple, total, settings, pooled)
    )
    sel_counts = counts.counts[counts.counts["category"] == chosen].drop(columns="category")
    sel_base = counts.base[counts.base["category"] == chosen].drop(columns="category")
    keys = ["group", "wave", "questionnaire"]
    stats = summarise(sel_counts, sel_base, keys)

    def hidden(frame: pd.DataFrame, group: pd.Series | str, wave: pd.Series | str) -> np.ndarray:
        return complement_rows(withheld, frame, group, wave)

    estimates = interval_columns(stats, settings, hide_counts=True)
    few = in_small_pool(estimates, estimates["group"], estimates["wave"], chosen, pooled)
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
    estimates, changes, benchmarks = describe(
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
    estimates = _shown(estimates, ["n"], settings)
    changes = _shown(changes, ["n_baseline", "n_followup"], settings)
    benchmarks = _shown(benchmarks, ["n_reference", "n_koploper"], settings)
    profile = _shown(profile, ["answered"], settings)
    return Figures(baseline, followup, waves, estimates, changes, benchmarks, profile, settings)


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
        hide_counts=True,
    )
    mask = hidden(changes, OWN, baseline) | hidden(changes, OWN, followup)
    if mask.any():
        changes = withhold(changes, mask, CONTRAST_FIGURES)
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
        name = REFERENCE_WHERE[reference]
        table = contrast(
            _side(stats, reference, waves),
            own,
            ["wave", "questionnaire"],
            settings,
            _side(counts, reference, waves),
            own_counts,
            side_names=(name, "bij de koploper"),
            hide_counts=True,
        )
        mask = hidden(table, reference, table["wave"]) | hidden(table, OWN, table["wave"])
        if mask.any():
            table = withhold(table, mask, CONTRAST_FIGURES)
        few_rows = in_small_pool(table, reference, table["wave"], chosen, pooled)
        if few_rows.any():
            table = withhold(table, few_rows, CONTRAST_FIGURES)
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


def _shown(table: pd.DataFrame, columns: list[str], settings: Settings) -> pd.DataFrame:
    """The count ``columns`` as a published table shows them (``shown_counts``)."""
    return table if table.empty else shown_count_columns(table, columns, settings)


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
