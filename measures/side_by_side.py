"""Every koploper side by side, for Movisie: changes, pooled changes, trends and fieldwork.

All figures are the engine's: the change per koploper × questionnaire × indicator is
``compare_waves`` (independent samples, q-values per koploper over all its indicators, as on the
dashboard), the estimates per wave are ``wave_estimates``, a cohort's trend is the engine's
``tabulate``/``summarise`` over the cohort's respondents pooled, and the pooled change over
koplopers is ``measures.meta``. Movisie sees koplopers by name, so no pool is withheld for being
small; but nothing rests on fewer than ``min_n`` answers: no estimate, no change and no count
(shown as empty, the reason says "minder dan 10"), and such a koploper is left out of the pooled
change.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from measures.compare import available_waves, compare_waves
from measures.estimates import finish, interval_columns, wave_estimates
from measures.indicators import IndicatorSet, Settings
from measures.meta import ALL_KOPLOPERS, change_standard_errors, pooled_changes
from measures.scoring import Scored
from measures.suppression import shown_count_columns
from measures.tabulate import summarise, tabulate
from measures.wording import direction
from surveys.vocabulary import CHANNEL_LABELS, CHANNEL_NUMBERS, QUESTIONNAIRES, SUPPRESSED

CLOSED = ("gesloten", "afgelopen")
"""Wave statuses (``db.fieldwork_overview.wave_status``) after which no answers come in."""
TABLE_COLUMNS = [
    "koploper",
    "name",
    "cohort",
    "questionnaire",
    "goal",
    "indicator",
    "label",
    "kind",
    "n_baseline",
    "estimate_baseline",
    "flag_baseline",
    "n_followup",
    "estimate_followup",
    "flag_followup",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "se",
    "q_value",
    "direction",
    "flag",
    "reason",
]
TREND_COLUMNS = ["questionnaire", "indicator", "wave", "n", "estimate", "ci_low", "ci_high", "flag"]


def wave_pairs(scored: dict[str, Scored]) -> list[tuple[str, str]]:
    """Every earlier × later wave that has answers: (T0, T1), (T0, T2), (T1, T2), …"""
    waves = available_waves(scored)
    return [(a, b) for i, a in enumerate(waves) for b in waves[i + 1 :]]


def all_estimates(scored: dict[str, Scored], settings: Settings) -> pd.DataFrame:
    """``wave_estimates`` of every questionnaire: koploper × wave × indicator, counts < 10 empty."""
    parts = [wave_estimates(part, settings, hide_counts=True) for part in scored.values()]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if table.empty:
        return table
    return shown_count_columns(table, ["n", "n_dont_know", "n_missing"], settings)


def koploper_table(
    scored: dict[str, Scored],
    estimates: pd.DataFrame,
    baseline: str,
    followup: str,
    indicators: IndicatorSet,
    cohort_of: Mapping[str, str],
    names: Mapping[str, str],
) -> pd.DataFrame:
    """One row per koploper × questionnaire × indicator: each wave's own estimate and n (from
    ``estimates``, :func:`all_estimates`), the change with its interval, standard error,
    q-value and ▲ / ▼ / =."""
    settings = indicators.settings
    changes = compare_waves(
        scored, baseline, followup, settings, design="independent", hide_counts=True
    )
    changes["se"] = change_standard_errors(changes, settings)
    by = ["koploper", "questionnaire", "indicator"]
    for side, wave in (("baseline", baseline), ("followup", followup)):
        own = estimates[estimates["wave"] == wave][[*by, "n", "estimate", "flag"]]
        own = own.rename(
            columns={"n": f"n_{side}", "estimate": f"estimate_{side}", "flag": f"flag_{side}"}
        )
        changes = changes.drop(columns=[f"n_{side}", f"estimate_{side}"]).merge(
            own, on=by, how="left", indicator=True
        )
        absent = (changes.pop("_merge") == "left_only").to_numpy()
        changes[f"n_{side}"] = changes[f"n_{side}"].astype(float).mask(absent, 0.0)
        changes[f"flag_{side}"] = changes[f"flag_{side}"].fillna(SUPPRESSED)
    specs = indicators.questionnaires
    pairs = list(zip(changes["questionnaire"], changes["indicator"], strict=True))
    changes["goal"] = [specs[q].goal(i) for q, i in pairs]
    changes["label"] = [specs[q].label(i) for q, i in pairs]
    changes["direction"] = [
        direction(s, d, f)
        for s, d, f in zip(
            changes["significant"], changes["difference"], changes["flag"], strict=True
        )
    ]
    changes["name"] = changes["koploper"].map(names).fillna(changes["koploper"])
    changes["cohort"] = changes["koploper"].map(cohort_of).fillna("")
    changes = shown_count_columns(changes, ["n_baseline", "n_followup"], settings)
    return changes[TABLE_COLUMNS].reset_index(drop=True)


def pooled(table: pd.DataFrame, cohort_of: Mapping[str, str], settings: Settings) -> pd.DataFrame:
    """The pooled change (``measures.meta``) of a :func:`koploper_table`, over all koplopers
    and per cohort."""
    return pooled_changes(table, cohort_of, settings)


def cohort_trends(
    scored: dict[str, Scored], cohort_of: Mapping[str, str], settings: Settings
) -> pd.DataFrame:
    """Per cohort (and all koplopers together) × wave × indicator the estimate over the
    cohort's respondents pooled, with its interval and ``koplopers``: how many answered."""
    parts = []
    for part in scored.values():
        meta = part.meta
        cohort = meta["koploper"].map(cohort_of).fillna("").to_numpy(dtype=object)
        for groups in (
            pd.DataFrame({"pool": cohort, "wave": meta["wave"].to_numpy()}),
            pd.DataFrame({"pool": ALL_KOPLOPERS, "wave": meta["wave"].to_numpy()}),
        ):
            keep = np.flatnonzero(groups["pool"].to_numpy() != "")
            tab = tabulate(part, groups.iloc[keep].reset_index(drop=True), keep)
            stats = summarise(tab.counts, tab.base, tab.keys)
            table = finish(interval_columns(stats, settings, hide_counts=True))
            members = (
                pd.DataFrame(
                    {"pool": groups["pool"], "wave": groups["wave"], "k": meta["koploper"]}
                )
                .iloc[keep]
                .groupby(["pool", "wave"])["k"]
                .nunique()
                .rename("koplopers")
                .reset_index()
            )
            table = table.merge(members, on=["pool", "wave"], how="left")
            table.insert(0, "questionnaire", part.questionnaire)
            parts.append(table)
    if not parts:
        return pd.DataFrame(columns=["pool", "koplopers", *TREND_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    return shown_count_columns(out, ["n", "n_dont_know", "n_missing"], settings)


def fieldwork_table(
    counts: pd.DataFrame, waves: pd.DataFrame, cohort_of: Mapping[str, str], settings: Settings
) -> pd.DataFrame:
    """Responses per koploper × wave × questionnaire, per channel and in total, with the wave's
    status, and ``too_few``: a closed wave with fewer than ``indicative_n`` responses.

    ``counts`` and ``waves`` are ``db.fieldwork_overview.response_counts`` and
    ``fieldwork_waves``. Every wave of every koploper is listed, also without responses; a
    questionnaire without responses at that wave counts 0.
    """
    questionnaires = [*QUESTIONNAIRES, *sorted(set(counts["questionnaire"]) - set(QUESTIONNAIRES))]
    frame = waves[["koploper", "koploper_name", "code", "status", "fieldwork_start"]].merge(
        pd.DataFrame({"questionnaire": questionnaires}), how="cross"
    )
    frame = frame.rename(columns={"code": "wave", "koploper_name": "name"})
    channels = [c for c in CHANNEL_NUMBERS if c in set(counts["channel"])]
    by = ["koploper", "wave", "questionnaire"]
    if not counts.empty:
        per_channel = counts.pivot_table(
            index=by, columns="channel", values="responses", aggfunc="sum", fill_value=0
        ).reset_index()
        per_channel.columns.name = None
        frame = frame.merge(per_channel, on=by, how="left")
    for channel in channels:
        frame[channel] = frame[channel].fillna(0).astype(np.int64)
    others = [c for c in set(counts["channel"]) if c not in CHANNEL_NUMBERS]
    frame["other"] = frame[others].fillna(0).sum(axis=1).astype(np.int64) if others else 0
    frame["total"] = frame[[*channels, "other"]].sum(axis=1).astype(np.int64)
    frame["cohort"] = frame["koploper"].map(cohort_of).fillna("")
    frame["too_few"] = frame["status"].isin(CLOSED) & (frame["total"] < settings.indicative_n)
    frame = frame.rename(columns={c: CHANNEL_LABELS[CHANNEL_NUMBERS[c]] for c in channels})
    return frame.drop(columns=others).reset_index(drop=True)


def calendar(waves: pd.DataFrame, cohort_of: Mapping[str, str]) -> pd.DataFrame:
    """Per cohort × wave: how many koplopers, the first start and the last end of fieldwork."""
    frame = waves.assign(cohort=waves["koploper"].map(cohort_of).fillna(""))
    return (
        frame.groupby(["cohort", "code"], as_index=False)
        .agg(
            koplopers=("koploper", "nunique"),
            first_start=("fieldwork_start", "min"),
            last_end=("fieldwork_end", "max"),
        )
        .rename(columns={"code": "wave"})
        .sort_values(["first_start", "cohort", "wave"], kind="stable")
        .reset_index(drop=True)
    )
