"""Numbers written the Dutch way, for everyone who reads them: "27,3 %", "50,0 %", "7,4", "5.590",
"+14,0", and a respondent's own "2,5".

A decimal comma and a thousands point everywhere; one decimal for every estimate (so "50,0 %"
stands beside "26,3 %", never "50 %"); a space before the percent sign (as the Taalunie advises)
that does not break, so a line never starts with "%". Pages, downloads, exports, the council
report, commands and the respondent page all write numbers with these functions, and Plotly
charts use :data:`PLOTLY_SEPARATORS`, so a figure reads the same in a table, a sentence and a
chart. Settings ("q kleiner dan 0,05", "95 %-interval") are written as set, without added zeros
(``trim``).
"""

from __future__ import annotations

import math

NO_FIGURE = "–"
PERCENT = "\u00a0%"
"""A non-breaking space and the percent sign: '27,3\u00a0%' stays on one line."""
PLOTLY_SEPARATORS = ",."
"""Plotly's ``layout.separators``: decimal comma, thousands point (its axis ticks and hovers)."""
_DUTCH = str.maketrans({",": ".", ".": ","})
_ANY_DECIMALS = 6
"""Enough decimals for a number someone typed or set (0,05; 2,5); trailing zeros go."""


def missing(value: object) -> bool:
    """No figure: None or NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


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
    return text.translate(_DUTCH)


def whole(value: object) -> str:
    """A count with a thousands point: '5.590'; '–' for no count."""
    if value is None or missing(value):
        return NO_FIGURE
    return f"{int(value):,}".translate(_DUTCH)  # type: ignore[call-overload]


def number(value: float) -> str:
    """A number as given (a limit, a respondent's answer): '1.234', '2,5', '0,05'; no rounding
    to a fixed number of decimals, no added zeros."""
    if missing(value):
        return NO_FIGURE
    if isinstance(value, int) or float(value).is_integer():
        return whole(value)
    return decimal(value, _ANY_DECIMALS, trim=True)


def percent(value: float, decimals: int = 1, *, trim: bool = False) -> str:
    """A number of percent with its sign: '27,3\u00a0%' (the space does not break)."""
    if missing(value):
        return NO_FIGURE
    return decimal(value, decimals, trim=trim) + PERCENT


def rate_percent(used: int, sent: int) -> str:
    """A rate (``used`` out of ``sent``) in percent with one decimal, rounded half up in whole
    numbers: '31,3\u00a0%' for 75 of 240, as a reader rounds 31,25 by hand (a float would round
    it to the even '31,2\u00a0%'); '–' without anything sent. The one rounding of every response
    rate: pages, commands, downloads and the report."""
    if not sent:
        return NO_FIGURE
    tenths = (2000 * int(used) + int(sent)) // (2 * int(sent))
    return percent(tenths / 10)


def signed(value: float) -> str:
    """A change already in its unit, with its sign: '+4,2', '-0,4', '0,0'; '–' for none."""
    text = decimal(value)
    if text == NO_FIGURE or text.startswith("-") or not text.strip("0,."):
        return text
    return "+" + text
