"""Follow-up against baseline for the same people: the paired design.

Responses are linked across waves by ``panel_id`` (same koploper and questionnaire, one response
per wave). Only linked pairs in which both answers are in the base count. Shares: Newcombe's paired
score interval and the exact McNemar test; means: the t interval of the within-pair changes, the
paired t-test and, beside it, the Wilcoxon signed-rank test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from measures.contrast import finish_contrast
from measures.effects import cohen_h, hedges_g_paired
from measures.indicators import PROPORTION, Settings
from measures.intervals import newcombe_paired_interval, t_interval, wilson_interval
from measures.ranktests import WILCOXON, wilcoxon_from_counts
from measures.scoring import DONT_KNOW, MISSING, VALID, Scored
from measures.significance import MCNEMAR, PAIRED_T, mcnemar_exact, paired_t

Part = dict[str, np.ndarray]
"""The columns of one indicator's rows, each an array over the koplopers."""
NO_PAIRS_REASON = "geen gekoppelde paren (panel_id) met een geldig antwoord bij beide metingen"


def linked_pairs(scored: Scored, baseline: str, followup: str) -> pd.DataFrame:
    """Positions of the baseline and follow-up response of each linked person, per koploper."""
    meta = scored.meta.reset_index(drop=True)
    linked = meta[meta["panel_id"] != ""]
    first = linked[linked["wave"] == baseline][["koploper", "panel_id"]].reset_index()
    second = linked[linked["wave"] == followup][["koploper", "panel_id"]].reset_index()
    return first.merge(second, on=["koploper", "panel_id"], suffixes=("_1", "_2")).rename(
        columns={"index_1": "row_1", "index_2": "row_2"}
    )


def _grouped(group: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(group, weights=weights, minlength=size).astype(float)


def paired_contrast(
    scored: Scored,
    baseline: str,
    followup: str,
    settings: Settings,
    koplopers: list[str],
    side_names: tuple[str, str] = ("", ""),
    hide_counts: bool = False,
) -> pd.DataFrame:
    """Compare baseline and follow-up within linked pairs, per koploper × indicator
    (``hide_counts``: as ``measures.contrast.contrast``)."""
    pairs = linked_pairs(scored, baseline, followup)
    pairs = pairs[pairs["koploper"].isin(koplopers)]
    index = {k: i for i, k in enumerate(koplopers)}
    group = pairs["koploper"].map(index).to_numpy(dtype=np.int64)
    size = len(koplopers)
    meta = scored.meta
    in_wave = [
        meta[meta["wave"] == wave]["koploper"].value_counts().reindex(koplopers, fill_value=0)
        for wave in (baseline, followup)
    ]
    row_1, row_2 = pairs["row_1"].to_numpy(), pairs["row_2"].to_numpy()
    linked_in = _grouped(group, size)
    # All indicators of one kind at once, each indicator × koploper a group of its own: one pass
    # per kind, not a frame per indicator (the dashboard computes this on a view's first visit).
    parts: list[Part] = []
    order: list[np.ndarray] = []
    for kind_is_share in (True, False):
        family = [
            (position, indicator)
            for position, indicator in enumerate(scored.indicators)
            if (scored.kinds[indicator] == PROPORTION) == kind_is_share
        ]
        if not family:
            continue
        total = len(family) * size
        part: Part = {
            "koploper": np.tile(np.asarray(koplopers, dtype=object), len(family)),
            "indicator": np.repeat(np.array([i for _, i in family], dtype=object), size),
            "kind": np.repeat(np.array([scored.kinds[i] for _, i in family], dtype=object), size),
            "scale": np.repeat(np.array([scored.scales[i] for _, i in family], dtype=object), size),
        }
        groups, firsts, seconds = [], [], []
        counts: dict[str, list[np.ndarray]] = {}
        for k, (_, indicator) in enumerate(family):
            v1, v2 = scored.values[indicator][row_1], scored.values[indicator][row_2]
            s1, s2 = scored.status[indicator][row_1], scored.status[indicator][row_2]
            both = (s1 == VALID) & (s2 == VALID)
            groups.append(group[both] + k * size)
            firsts.append(v1[both])
            seconds.append(v2[both])
            for side, status in ((1, s1), (2, s2)):
                counts.setdefault(f"n_dont_know_{side}", []).append(
                    _grouped(group[status == DONT_KNOW], size).astype(int)
                )
                counts.setdefault(f"n_missing_{side}", []).append(
                    _grouped(group[status == MISSING], size).astype(int)
                )
                counts.setdefault(f"n_unlinked_{side}", []).append(
                    in_wave[side - 1].to_numpy() - linked_in
                )
        g = np.concatenate(groups)
        n = _grouped(g, total).astype(np.int64)
        part["n_1"], part["n_2"] = n, n.copy()
        for side in (1, 2):
            for name in ("n_dont_know", "n_missing", "n_unlinked"):
                part[f"{name}_{side}"] = np.concatenate(counts[f"{name}_{side}"])
        compute = _proportions if kind_is_share else _means
        compute(part, g, np.concatenate(firsts), np.concatenate(seconds), total, settings)
        parts.append(part)
        order.append(np.repeat([position for position, _ in family], size))
    columns = list(parts[0])
    joined = pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in columns})
    # rows in the order of the indicators, each with its koplopers, as one frame per indicator
    joined = joined.iloc[np.argsort(np.concatenate(order), kind="stable")]
    joined = joined.reset_index(drop=True)
    table = finish_contrast(joined, settings, side_names, hide_counts)
    unlinked = (table["n_1"] == 0).to_numpy()
    table.loc[unlinked, "reason"] = NO_PAIRS_REASON
    return table


def _proportions(
    part: Part,
    g: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    size: int,
    settings: Settings,
) -> None:
    both = _grouped(g, size, (first == 1) & (second == 1))
    only_first = _grouped(g, size, (first == 1) & (second == 0))
    only_second = _grouped(g, size, (first == 0) & (second == 1))
    neither = _grouped(g, size, (first == 0) & (second == 0))
    n = both + only_first + only_second + neither
    for side, yes in ((1, both + only_first), (2, both + only_second)):
        with np.errstate(divide="ignore", invalid="ignore"):
            part[f"estimate_{side}"] = yes / n
        part[f"ci_low_{side}"], part[f"ci_high_{side}"] = wilson_interval(
            yes, n, settings.confidence
        )
    part["difference"] = part["estimate_2"] - part["estimate_1"]
    part["diff_ci_low"], part["diff_ci_high"] = newcombe_paired_interval(
        both, only_first, only_second, neither, settings.confidence
    )
    part["test"] = np.where(n > 0, MCNEMAR, "").astype(object)
    part["p_value"] = np.where(n > 0, mcnemar_exact(only_first, only_second), np.nan)
    part["rank_test"] = np.full(size, "", dtype=object)
    part["p_value_rank"] = np.full(size, np.nan)
    part["q_value"] = np.full(size, np.nan)
    part["effect_size"] = cohen_h(part["estimate_1"], part["estimate_2"])


def _mean_var(g: np.ndarray, x: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = _grouped(g, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = _grouped(g, size, x) / n
        variance = _grouped(g, size, (x - mean[g]) ** 2) / (n - 1)
    return n, mean, np.where(n >= 2, variance, np.nan)


def _means(
    part: Part,
    g: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    size: int,
    settings: Settings,
) -> None:
    n, m1, v1 = _mean_var(g, first, size)
    _, m2, v2 = _mean_var(g, second, size)
    _, md, vd = _mean_var(g, second - first, size)
    for side, mean, variance in ((1, m1, v1), (2, m2, v2)):
        part[f"estimate_{side}"] = mean
        part[f"ci_low_{side}"], part[f"ci_high_{side}"] = t_interval(
            mean, variance, n, settings.confidence
        )
    part["difference"] = md
    part["diff_ci_low"], part["diff_ci_high"] = t_interval(md, vd, n, settings.confidence)
    part["test"] = np.full(size, PAIRED_T, dtype=object)
    part["p_value"] = paired_t(md, vd, n)
    change = pd.DataFrame({"g": g, "d": second - first}).value_counts().reset_index()
    part["rank_test"] = np.full(size, WILCOXON, dtype=object)
    part["p_value_rank"] = wilcoxon_from_counts(
        change["g"].to_numpy(), change["d"].to_numpy(), change["count"].to_numpy(), size
    )
    part["q_value"] = np.full(size, np.nan)
    part["effect_size"] = hedges_g_paired(m1, v1, m2, v2, n)
