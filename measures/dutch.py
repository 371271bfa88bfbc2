"""Statistical figures in Dutch words: an estimate ("27,3 %", "7,4"), a change ("+14,0
procentpunt"), an interval ("23,1 % tot 31,4 %") and a p-value ("< 0,001").

Built on the one number formatter, :mod:`surveys.numbers` (one decimal for every estimate, a
decimal comma, a thousands point), so the dashboard, its downloads, the comparison and the council
report write the same figure the same way. Wave names and other words are in
:mod:`surveys.vocabulary`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from measures.indicators import PROPORTION
from surveys.numbers import NO_FIGURE, decimal, missing, percent, signed

__all__ = [
    "difference_interval_text",
    "difference_text",
    "in_unit",
    "interval_text",
    "p_text",
    "span_text",
    "value_text",
]


def in_unit(values: pd.Series, kinds: pd.Series) -> pd.Series:
    """Figures as they are read, as numbers: a share (or its change) in percent (0.412 → 41.2),
    a mean as it is; NaN stays NaN. So a column of them sorts as it reads."""
    factor = np.where(kinds.to_numpy() == PROPORTION, 100.0, 1.0)
    return values.astype(float) * factor


def value_text(value: float, kind: str) -> str:
    """An estimate as it is read: a share in percent, a mean as a number."""
    if missing(value):
        return NO_FIGURE
    if kind == PROPORTION:
        return percent(100 * value)
    return decimal(value)


def difference_text(value: float, kind: str) -> str:
    """A change with its sign: '+14,0 procentpunt', '-0,4'."""
    if missing(value):
        return NO_FIGURE
    text = signed(100 * value if kind == PROPORTION else value)
    return f"{text}\u00a0procentpunt" if kind == PROPORTION else text


def interval_text(low: float, high: float, kind: str) -> str:
    """'23,1 % tot 31,4 %'; '–' when there is no interval."""
    if missing(low) or missing(high):
        return NO_FIGURE
    return f"{value_text(low, kind)} tot {value_text(high, kind)}"


def span_text(low: float, high: float, kind: str) -> str:
    """An interval where space is short: '48,6–61,6 %' (as the charts write it); '–' when there
    is none."""
    if missing(low) or missing(high):
        return NO_FIGURE
    if kind == PROPORTION:
        return f"{decimal(100 * low)}–{percent(100 * high)}"
    return f"{decimal(low)}–{decimal(high)}"


def difference_interval_text(low: float, high: float, kind: str) -> str:
    if missing(low) or missing(high):
        return NO_FIGURE
    unit = "\u00a0procentpunt" if kind == PROPORTION else ""
    scale = 100 if kind == PROPORTION else 1
    return f"{decimal(scale * low)} tot {decimal(scale * high)}{unit}"


def p_text(value: float) -> str:
    """A p- or q-value: '< 0,001' or three decimals."""
    if missing(value):
        return NO_FIGURE
    if value < 0.001:
        return f"< {decimal(0.001, 3)}"
    text = decimal(value, 3)
    if text == decimal(0.05, 3) and value < 0.05:
        # 0,0499 next to "duidelijk hoger", never a puzzling "0,050": cut off, not rounded up
        text = decimal(math.floor(value * 10_000) / 10_000, 4)
    return text
