"""Per respondent: the value each indicator takes, and why a respondent is out of its base.

An item indicator's value is 1/0 (a share) or the code (a mean); a theme score is the mean 0–100
score over the theme's validly answered items, given only when enough of them were answered.
Every respondent has a status per indicator: in the base, out because of "weet niet / n.v.t." (for
a theme: answered, but too few items validly), or out because the question was not answered or not
shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from measures.indicators import (
    PROPORTION,
    IndicatorSet,
    ItemIndicator,
    Kind,
    QuestionnaireIndicators,
    ThemeIndicator,
)
from measures.responses import QuestionnaireResponses, Responses

VALID, DONT_KNOW, MISSING = 0, 1, 2


@dataclass(frozen=True)
class Scored:
    """Indicator values of one questionnaire's respondents, aligned with ``meta``."""

    questionnaire: str
    meta: pd.DataFrame
    values: dict[str, np.ndarray]
    status: dict[str, np.ndarray]
    kinds: dict[str, Kind]
    scales: dict[str, str]
    codes: pd.DataFrame
    spec: QuestionnaireIndicators

    @property
    def indicators(self) -> list[str]:
        return list(self.values)


def _lookup(mapping: dict[int, float], codes: np.ndarray) -> np.ndarray:
    """Map float codes (NaN = unanswered) through a small code → value table; others → NaN."""
    size = max(mapping) + 1
    table = np.full(size + 1, np.nan)
    for code, value in mapping.items():
        table[code] = value
    index = np.where(np.isnan(codes) | (codes < 0) | (codes >= size), size, codes)
    return table[index.astype(np.int64)]


def _item_values(indicator: ItemIndicator, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    status = np.full(codes.shape, VALID, dtype=np.int8)
    status[np.isin(codes, list(indicator.dont_know_codes))] = DONT_KNOW
    status[np.isnan(codes)] = MISSING
    if indicator.kind == PROPORTION:
        value = np.isin(codes, list(indicator.success)).astype(float)
    else:
        value = codes.astype(float)
    value[status != VALID] = np.nan
    return value, status


def _theme_values(indicator: ThemeIndicator, codes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(codes)
    scores = np.full((n, len(indicator.items)), np.nan)
    answered = np.zeros(n, dtype=np.int64)
    for column, (key, mapping, dont_know) in enumerate(
        zip(indicator.items, indicator.scores, indicator.dont_know_codes, strict=True)
    ):
        item_codes = codes[key].to_numpy(dtype=float)
        answered += ~np.isnan(item_codes)
        valid = ~np.isin(item_codes, list(dont_know))
        scores[:, column] = np.where(valid, _lookup(dict(mapping), item_codes), np.nan)
    valid_count = (~np.isnan(scores)).sum(axis=1)
    enough = valid_count >= indicator.min_answered
    total = np.where(np.isnan(scores), 0.0, scores).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(enough, total / valid_count, np.nan)
    status = np.where(enough, VALID, np.where(answered > 0, DONT_KNOW, MISSING)).astype(np.int8)
    return value, status


def score_questionnaire(responses: QuestionnaireResponses, spec: QuestionnaireIndicators) -> Scored:
    """Every indicator of one questionnaire, per respondent."""
    values: dict[str, np.ndarray] = {}
    status: dict[str, np.ndarray] = {}
    for indicator in spec.items:
        codes = responses.codes[indicator.item].to_numpy(dtype=float)
        values[indicator.name], status[indicator.name] = _item_values(indicator, codes)
    for theme in spec.themes:
        values[theme.name], status[theme.name] = _theme_values(theme, responses.codes)
    return Scored(
        questionnaire=spec.key,
        meta=responses.meta,
        values=values,
        status=status,
        kinds={i.name: i.kind for i in spec.indicators},
        scales={i.name: i.scale for i in spec.indicators},
        codes=responses.codes,
        spec=spec,
    )


def score(responses: Responses, indicators: IndicatorSet) -> dict[str, Scored]:
    """Every indicator of every questionnaire in the responses."""
    return {
        key: score_questionnaire(part, indicators.questionnaires[key])
        for key, part in responses.questionnaires.items()
    }
