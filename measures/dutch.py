"""Statistical figures in Dutch words: an estimate ("27,3 %", "7,4"), a change ("+14,0
procentpunt"), an interval ("23,1 % tot 31,4 %") and a p-value ("< 0,001").

Built on the one number formatter, :mod:`surveys.numbers` (one decimal for every estimate, a
decimal comma, a thousands point), so the dashboard, its downloads, the comparison and the council
report write the same figure the same way. Wave names come from :mod:`surveys.vocabulary`.
"""

from __future__ import annotations

import math

from measures.indicators import PROPORTION
from surveys.numbers import NO_FIGURE, PERCENT, decimal, missing, percent, signed, whole
from surveys.vocabulary import wave_name, wave_title

WAVE_NAMES = {code: wave_name(code) for code in ("T0", "T1", "T2", "T3", "T4")}
"""For the modules not yet moved to :mod:`surveys.vocabulary` (reports): the lead moves them."""

__all__ = [
    "NO_FIGURE",
    "PERCENT",
    "WAVE_NAMES",
    "decimal",
    "difference_interval_text",
    "difference_text",
    "interval_text",
    "missing",
    "p_text",
    "percent",
    "signed",
    "span_text",
    "value_text",
    "wave_name",
    "wave_title",
    "whole",
]


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
        return "< 0,001"
    text = f"{value:.3f}"
    if text == "0.050" and value < 0.05:
        # 0,0499 next to "duidelijk hoger", never a puzzling "0,050": cut off, not rounded up
        text = f"{math.floor(value * 10_000) / 10_000:.4f}"
    return text.replace(".", ",")
