"""One plain Dutch sentence (B1) per figure: what changed, and whether it is more than chance.

"Bekendheid van onafhankelijke cliëntondersteuning steeg van 27,0 % bij de nulmeting naar 41,3 % bij
de eerste vervolgmeting. Dat verschil is groter dan toeval." A figure on too few answers says so
instead; an indicative one says that it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from measures.dashboard import REFERENCE_NAMES
from measures.dutch import value_text, wave_name
from measures.indicators import PROPORTION
from measures.suppression import COMPLEMENT_REASON, INDICATIVE, SUPPRESSED

MORE_THAN_CHANCE = "Dat verschil is groter dan toeval."
INDICATIVE_NOTE = "Let op: dit cijfer rust op weinig antwoorden (indicatief)."
MANY_TESTS_NOTE = (
    "Het verschil lijkt groot, maar omdat we veel cijfers tegelijk toetsen, is het nog niet "
    "duidelijk genoeg. Het kan nog toeval zijn."
)
"""Why an interval without 0 can still be 'niet duidelijk anders': the q-value corrects for
testing many indicators at once (Benjamini–Hochberg), the interval does not."""
READS = [
    "label",
    "kind",
    "scale",
    "flag",
    "reason",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "significant",
]
CHANGE_COLUMNS = [*READS, "estimate_baseline", "estimate_followup", "wording"]
"""The columns :func:`change_sentence` reads (a caller may pass rows of only these)."""
BENCHMARK_COLUMNS = [*READS, "reference", "estimate_koploper", "estimate_reference"]
"""The columns :func:`benchmark_sentence` reads."""


def _value(row: Mapping[str, Any], column: str) -> str:
    text = value_text(row[column], row["kind"])
    if row["kind"] != PROPORTION and str(row.get("scale", "")) == "0-100":
        return f"{text} op 100"
    return text


def looks_clear_but_is_not(row: Mapping[str, Any]) -> bool:
    """The interval of the difference leaves out 0, yet the change is not called a change: the
    correction for many tests at once (q-value) is stricter than the interval alone."""
    if row["significant"] or pd.isna(row["difference"]):
        return False
    low, high = row.get("diff_ci_low"), row.get("diff_ci_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return False
    return bool(low > 0 or high < 0)


def _not_clear(row: Mapping[str, Any]) -> str:
    """' ' + the reason an apparently clear difference is not called one ('' otherwise)."""
    return " " + MANY_TESTS_NOTE if looks_clear_but_is_not(row) else ""


def change_sentence(row: Mapping[str, Any], baseline: str, followup: str) -> str:
    """The change of one indicator from ``baseline`` to ``followup``."""
    label = row["label"]
    first, second = wave_name(baseline), wave_name(followup)
    if row["flag"] == SUPPRESSED and row.get("reason") == COMPLEMENT_REASON:
        sentence = (
            f"{label}: geen cijfer, om een kleine groep elders in dit overzicht te beschermen."
        )
    elif row["flag"] == SUPPRESSED or pd.isna(row["difference"]):
        sentence = (
            f"{label}: te weinig antwoorden om {first} en {second} te vergelijken. "
            "Daarom staat hier geen cijfer."
        )
    else:
        before, after = _value(row, "estimate_baseline"), _value(row, "estimate_followup")
        if row["significant"] and row["difference"] > 0:
            sentence = (
                f"{label} steeg van {before} bij {first} naar {after} bij {second}. "
                + MORE_THAN_CHANCE
            )
        elif row["significant"] and row["difference"] < 0:
            sentence = (
                f"{label} daalde van {before} bij {first} naar {after} bij {second}. "
                + MORE_THAN_CHANCE
            )
        else:
            sentence = (
                f"{label} was {after} bij {second} en {before} bij {first}. "
                f"Dat is niet duidelijk anders dan bij {first}."
            ) + _not_clear(row)
        if row["flag"] == INDICATIVE:
            sentence += " " + INDICATIVE_NOTE
    if row.get("wording"):
        sentence += " " + str(row["wording"])
    return sentence


def benchmark_sentence(row: Mapping[str, Any], koploper_name: str) -> str:
    """The koploper beside a reference group at one wave."""
    reference = REFERENCE_NAMES.get(row["reference"], str(row["reference"]))
    reason = str(row.get("reason", ""))
    if row["flag"] == SUPPRESSED and reason == COMPLEMENT_REASON:
        return f"Geen vergelijking met {reference}, om een kleine groep te beschermen."
    if row["flag"] == SUPPRESSED and "te weinig andere koplopers" in reason:
        return (
            f"Geen vergelijking met {reference}: dat zijn te weinig koplopers, "
            "hun cijfers zouden herkenbaar zijn."
        )
    if row["flag"] == SUPPRESSED or pd.isna(row["difference"]):
        return f"Te weinig antwoorden om {koploper_name} te vergelijken met {reference}."
    own, other = _value(row, "estimate_koploper"), _value(row, "estimate_reference")
    if row["significant"] and row["difference"] > 0:
        sentence = (
            f"{koploper_name} ({own}) scoort hoger dan {reference} ({other}). " + MORE_THAN_CHANCE
        )
    elif row["significant"] and row["difference"] < 0:
        sentence = (
            f"{koploper_name} ({own}) scoort lager dan {reference} ({other}). " + MORE_THAN_CHANCE
        )
    else:
        sentence = (
            f"{koploper_name} ({own}) is niet duidelijk anders dan {reference} ({other})."
            + _not_clear(row)
        )
    if row["flag"] == INDICATIVE:
        sentence += " " + INDICATIVE_NOTE
    return sentence
