"""Figures written the Dutch way, for people who read them: "27,3 %", "50,0 %", "7,4", "5.590",
"+14,0 procentpunt".

One decimal for every estimate (so "50,0 %" stands beside "26,3 %", never "50 %"), a decimal
comma, a thousands point, and a space before the percent sign (as the Taalunie advises) that does
not break: a line never starts with "%". Used by the dashboard, its downloads, the comparison and
the council report, so the same figure reads the same everywhere. Thresholds from the settings
("q kleiner dan 0,05", "95 %-interval") are written as set, without added zeros (``trim``).
"""

from __future__ import annotations

import math

from measures.indicators import PROPORTION
from surveys.validation import dutch_number

WAVE_NAMES = {
    "T0": "de nulmeting",
    "T1": "de eerste vervolgmeting",
    "T2": "de tweede vervolgmeting",
    "T3": "de derde vervolgmeting",
    "T4": "de vierde vervolgmeting",
}
NO_FIGURE = "–"
PERCENT = "\u00a0%"
"""A non-breaking space and the percent sign: '27,3\u00a0%' stays on one line."""


def missing(value: object) -> bool:
    """No figure: None or NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def wave_name(code: str) -> str:
    """'de nulmeting' for T0, 'de eerste vervolgmeting' for T1, …"""
    return WAVE_NAMES.get(code, f"meting {code}")


def wave_title(code: str) -> str:
    """'Nulmeting' for T0, 'Eerste vervolgmeting' for T1, … (as a label, without 'de')."""
    name = wave_name(code).removeprefix("de ")
    return name[:1].upper() + name[1:]


def decimal(value: float, decimals: int = 1, *, trim: bool = False) -> str:
    """A number with ``decimals`` decimals, a decimal comma and a thousands point: '5.590,0',
    '-0,4'; '–' for no figure. ``trim`` drops trailing zeros (a setting: '0,05', '95')."""
    if missing(value):
        return NO_FIGURE
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.lstrip("+-").strip("0.,") == "":
        text = text.lstrip("+-")  # '-0,0' is no figure below zero
    return text.translate(str.maketrans({",": ".", ".": ","}))


def whole(value: object) -> str:
    """A count with a thousands point: '5.590'; '–' for no count."""
    if value is None or missing(value):  # type: ignore[arg-type]
        return NO_FIGURE
    return dutch_number(int(value))  # type: ignore[call-overload]


def percent(number: float, decimals: int = 1, *, trim: bool = False) -> str:
    """A number of percent with its sign: '27,3\u00a0%' (the space does not break)."""
    if missing(number):
        return NO_FIGURE
    return decimal(number, decimals, trim=trim) + PERCENT


def signed(number: float) -> str:
    """A change already in its unit, with its sign: '+4,2', '-0,4', '0,0'; '–' for none."""
    text = decimal(number)
    if text == NO_FIGURE or text.startswith("-") or not text.strip("0,."):
        return text
    return "+" + text


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
