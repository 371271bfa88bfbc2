"""One plain Dutch sentence (B1) per figure: what changed, and whether it is more than chance.

"Bekendheid van onafhankelijke cliëntondersteuning steeg van 27,0 % bij de nulmeting naar 41,3 % bij
de eerste vervolgmeting. Dat verschil is groter dan toeval." A figure on too few answers says so
instead; an indicative one says that it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from measures.dutch import value_text, wave_name
from measures.indicators import PROPORTION
from measures.suppression import COMPLEMENT_REASON, INDICATIVE, SUPPRESSED

MORE_THAN_CHANCE = "Dat verschil is groter dan toeval."
INDICATIVE_NOTE = "Let op: dit cijfer rust op weinig antwoorden (indicatief)."
READS = ["label", "kind", "scale", "flag", "reason", "difference", "significant"]
CHANGE_COLUMNS = [*READS, "estimate_baseline", "estimate_followup", "wording"]
"""The columns :func:`change_sentence` reads (a caller may pass rows of only these)."""
BENCHMARK_COLUMNS = [*READS, "reference", "estimate_koploper", "estimate_reference"]
"""The columns :func:`benchmark_sentence` reads."""


def _value(row: Mapping[str, Any], column: str) -> str:
    text = value_text(row[column], row["kind"])
    if row["kind"] != PROPORTION and str(row.get("scale", "")) == "0-100":
        return f"{text} op 100"
    return text


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
            )
        if row["flag"] == INDICATIVE:
            sentence += " " + INDICATIVE_NOTE
    if row.get("wording"):
        sentence += " " + str(row["wording"])
    return sentence


def benchmark_sentence(row: Mapping[str, Any], koploper_name: str) -> str:
    """The koploper beside a reference group at one wave."""
    from measures.dashboard import REFERENCE_NAMES

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
        sentence = f"{koploper_name} ({own}) is niet duidelijk anders dan {reference} ({other})."
    if row["flag"] == INDICATIVE:
        sentence += " " + INDICATIVE_NOTE
    return sentence
