"""Reliability of the theme scores: Cronbach's alpha per questionnaire × wave × theme.

Only themes of two or more items. Alpha is computed on the respondents who answered every item of
the theme validly (listwise), from the items' 0–100 scores (for five-point items the same alpha as
from the codes). Fewer than ``min_n`` such respondents: no alpha, only the reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from measures.indicators import Settings, ThemeIndicator
from measures.scoring import Scored
from measures.suppression import flags, reasons
from surveys.vocabulary import SUPPRESSED


def _item_scores(scored: Scored, theme: ThemeIndicator) -> pd.DataFrame:
    columns = {}
    for key, mapping, dont_know in zip(
        theme.items, theme.scores, theme.dont_know_codes, strict=True
    ):
        codes = scored.codes[key]
        columns[key] = codes.map(mapping).where(~codes.isin(list(dont_know)))
    return pd.DataFrame(columns)


def theme_reliability(
    scored: Scored, settings: Settings, by: tuple[str, ...] = ("wave",)
) -> pd.DataFrame:
    """One row per ``by`` group × theme: n_items, n (complete respondents), alpha, flag, reason."""
    parts = []
    for theme in scored.spec.themes:
        k = len(theme.items)
        if k < 2:
            continue
        scores = _item_scores(scored, theme)
        complete = scores.notna().all(axis=1)
        frame = scores[complete].assign(_total=scores[complete].sum(axis=1))
        keys = [scored.meta.loc[complete, c] for c in by]
        grouped = frame.groupby(keys, observed=True)
        variances = grouped.var(ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = (
                k / (k - 1) * (1 - variances[list(theme.items)].sum(axis=1) / variances["_total"])
            )
        found = pd.DataFrame({"alpha": alpha, "n": grouped.size()}).reset_index()
        everyone = scored.meta[list(by)].drop_duplicates().sort_values(list(by))
        table = everyone.merge(found, on=list(by), how="left").reset_index(drop=True)
        table["n"] = table["n"].fillna(0).astype(np.int64)
        table.insert(len(by), "theme", theme.name)
        table.insert(len(by) + 1, "n_items", k)
        parts.append(table)
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["alpha"] = out["alpha"].where(np.isfinite(out["alpha"]))
    out["flag"] = flags(out["n"], settings)
    out["reason"] = reasons(out["n"], 0, settings)
    no_spread = (out["flag"] != SUPPRESSED) & out["alpha"].isna()
    out.loc[no_spread, "reason"] = "geen alpha: de antwoorden hebben geen spreiding"
    out.loc[out["flag"] == SUPPRESSED, "alpha"] = np.nan
    out.insert(0, "questionnaire", scored.questionnaire)
    return out[["questionnaire", *by, "theme", "n_items", "n", "alpha", "flag", "reason"]]
