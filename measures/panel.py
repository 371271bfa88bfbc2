"""The dashboard's paired change: the same people (a panel) at the baseline and at a follow-up.

Responses made with panel codes carry a pseudonymous panel key (``responses.panel_key``); the
responses of one koploper with the same key at two waves are one person's pair. For those pairs
the engine's paired design (``measures.paired.paired_contrast``: McNemar and Newcombe's paired
interval for shares; the paired t-test with the Wilcoxon signed-rank test beside it for means)
gives the change, with the count of pairs as its n and the same suppression rules as every other
figure (``measures.suppression``: no figure under ``min_n`` pairs, "indicatief" under
``indicative_n``; a published count under ``min_n`` is empty).

The table stands beside the independent-samples change of ``measures.figures``, never instead of
it: the panel is usually a part of the respondents only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from measures.contrast import add_q_values, order_rows, rename_sides
from measures.indicators import IndicatorSet
from measures.paired import paired_contrast
from measures.ranktests import WILCOXON
from measures.scoring import Scored
from measures.significance import MCNEMAR, PAIRED_T
from measures.suppression import reasons, shown_count_columns
from measures.wording import direction
from surveys.vocabulary import SAME_PEOPLE_WHERE

PAIRED_DESIGN = "gekoppeld"
"""The ``design`` of a paired row (as ``measures.compare`` names it)."""
TEST_NAMES = {
    MCNEMAR: "McNemar-toets",
    PAIRED_T: "gepaarde t-toets",
    WILCOXON: "Wilcoxon-rangtekentoets",
}
"""The paired tests in Dutch."""
COLUMNS = [
    "questionnaire",
    "indicator",
    "goal",
    "label",
    "kind",
    "scale",
    "design",
    "n_pairs",
    "n_baseline",
    "n_followup",
    "estimate_baseline",
    "ci_low_baseline",
    "ci_high_baseline",
    "estimate_followup",
    "ci_low_followup",
    "ci_high_followup",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "test",
    "p_value",
    "rank_test",
    "p_value_rank",
    "q_value",
    "effect_size",
    "significant",
    "direction",
    "flag",
    "reason",
]
"""What :func:`panel_change` gives: per questionnaire × indicator the paired change; ``n_pairs``
(also as ``n_baseline`` and ``n_followup``, both the pairs) as a published table shows it."""


def empty_panel_change() -> pd.DataFrame:
    """No pairs: no rows, the columns of :func:`panel_change`."""
    return pd.DataFrame(columns=COLUMNS)


def _linked(part: Scored, rows: np.ndarray, keys: np.ndarray) -> Scored:
    """The responses at ``rows`` only, each with its panel key as ``panel_id``; a second response
    with the same key in one wave (two codes of one person) is left out: one pair per person."""
    meta = part.meta.iloc[rows].reset_index(drop=True).assign(panel_id=keys)
    first = ~meta.duplicated(["koploper", "wave", "panel_id"], keep="first").to_numpy()
    meta = meta[first].reset_index(drop=True)
    rows = rows[first]
    return replace(
        part,
        meta=meta,
        values={name: values[rows] for name, values in part.values.items()},
        status={name: status[rows] for name, status in part.status.items()},
        codes=part.codes.iloc[rows].reset_index(drop=True),
    )


def panel_change(
    scored: Mapping[str, Scored],
    panel: Mapping[int, str],
    koploper: object,
    baseline: str,
    followup: str,
    indicators: IndicatorSet,
) -> pd.DataFrame:
    """The paired change of ``koploper``'s panel from ``baseline`` to ``followup`` (see the
    module doc), in the registry's order, with Benjamini–Hochberg q-values over its rows and
    each row's goal, label and direction (▲ ▼ = –, as the independent change).

    ``panel``: response id → panel key (``db.read_model.panel_keys``); ``koploper`` as
    ``scored``'s meta names it (the dashboard: its id). Empty (:func:`empty_panel_change`) when
    no one answered both waves, or the waves are the same."""
    settings = indicators.settings
    if baseline == followup or not panel:
        return empty_panel_change()
    keyed = pd.Series(panel, dtype=object)
    parts = []
    for key, part in scored.items():
        meta = part.meta
        rows = np.flatnonzero(
            (meta["koploper"] == koploper).to_numpy()
            & meta["wave"].isin([baseline, followup]).to_numpy()
            & meta["response_id"].isin(keyed.index).to_numpy()
        )
        if rows.size == 0:
            continue
        keys = keyed.reindex(meta["response_id"].to_numpy()[rows]).to_numpy(dtype=object)
        linked = _linked(part, rows, keys)
        waves = linked.meta.groupby("panel_id")["wave"].nunique()
        if not (waves == 2).any():
            continue
        table = paired_contrast(
            linked,
            baseline,
            followup,
            settings,
            [koploper],
            (SAME_PEOPLE_WHERE, SAME_PEOPLE_WHERE),
            hide_counts=True,
        )
        table.insert(1, "questionnaire", key)
        parts.append(table)
    if not parts:
        return empty_panel_change()
    table = pd.concat(parts, ignore_index=True)
    order = {k: [i.name for i in s.indicators] for k, s in indicators.questionnaires.items()}
    table = order_rows(table, {k: v for k, v in order.items() if k in scored}, ["koploper"])
    nobody = (table["n_1"] == 0).to_numpy()
    if nobody.any():  # the engine's reason names its column: here the words of every table
        table.loc[nobody, "reason"] = reasons(
            np.zeros(nobody.sum()), np.zeros(nobody.sum()), settings, SAME_PEOPLE_WHERE, True
        )
    table = add_q_values(table, [])
    table["significant"] = table["q_value"] < settings.significance
    table = rename_sides(table, "baseline", "followup")
    specs = indicators.questionnaires
    pairs = list(zip(table["questionnaire"], table["indicator"], strict=True))
    table["goal"] = [specs[q].goal(i) for q, i in pairs]
    table["label"] = [specs[q].label(i) for q, i in pairs]
    table["design"] = PAIRED_DESIGN
    table["direction"] = [
        direction(s, d, f)
        for s, d, f in zip(table["significant"], table["difference"], table["flag"], strict=True)
    ]
    table["n_pairs"] = table["n_baseline"]
    table = shown_count_columns(table, ["n_pairs", "n_baseline", "n_followup"], settings)
    return table.reindex(columns=COLUMNS).reset_index(drop=True)
