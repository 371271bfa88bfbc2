"""Which waves a view compares by default, and how each wave reads in the wave choice.

A wave that has just started (three responses in a new follow-up) has no figures yet: every cell
would say "geen cijfer". So the default comparison is the baseline against the latest wave that
has figures, and a wave still in fieldwork says so beside its name ("loopt nog: 3 antwoorden");
it can still be chosen, it is never the empty default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from surveys.numbers import decimal, missing
from surveys.vocabulary import wave_title

RUNNING = "open"
"""The fieldwork status of a wave whose respondent links work (``db.fieldwork_overview``)."""


def waves_with_figures(estimates: pd.DataFrame) -> set[str]:
    """The waves at which at least one estimate is shown (columns ``wave`` and ``estimate``; a
    withheld estimate is empty)."""
    if estimates.empty:
        return set()
    return {str(w) for w in estimates.loc[estimates["estimate"].notna(), "wave"]}


def waves_most_have(estimates: pd.DataFrame, unit: str = "koploper") -> set[str]:
    """The waves at which at least half of the koplopers (``unit``) that have a figure at any
    wave have one: one koploper early with its follow-up must not make that wave the default
    for all of them."""
    if estimates.empty:
        return set()
    shown = estimates.loc[estimates["estimate"].notna(), [unit, "wave"]].drop_duplicates()
    if shown.empty:
        return set()
    per_wave = shown.groupby("wave")[unit].nunique()
    everyone = shown[unit].nunique()
    return {str(w) for w, count in per_wave.items() if 2 * count >= everyone}


def waves_with_enough(base: pd.DataFrame, min_n: int) -> set[str]:
    """The waves at which at least one indicator has ``min_n`` answers in its base (columns
    ``wave`` and ``n``): the waves that will have figures."""
    if base.empty:
        return set()
    return {str(w) for w in base.loc[base["n"] >= min_n, "wave"]}


def default_pair(waves: list[str], with_figures: Iterable[str]) -> tuple[str, str]:
    """(baseline, follow-up) for a first view: the nulmeting (else the first wave with figures)
    against the latest wave with figures. With figures at one wave only, that wave on its own;
    with none at all, the first wave (the page then says why there are no figures)."""
    usable = [w for w in waves if w in set(with_figures)]
    if len(usable) >= 2:
        return ("T0" if "T0" in usable[:-1] else usable[0]), usable[-1]
    if usable:
        return usable[0], usable[0]
    return (waves[0], waves[0]) if waves else ("", "")


def wave_option(
    wave: str,
    status: Mapping[str, str],
    responses: Mapping[str, int],
    with_figures: Iterable[str],
) -> str:
    """A wave as the wave choice shows it: 'Eerste vervolgmeting'; 'Tweede vervolgmeting (loopt
    nog: 3 antwoorden)' while its fieldwork runs; '… (nog geen cijfers: 3 antwoorden)' when it
    has ended with too few answers for any figure."""
    title = wave_title(wave)
    count = responses.get(wave)
    counted = "" if missing(count) else f": {_answers(int(count))}"  # type: ignore[arg-type]
    if status.get(wave) == RUNNING:
        return f"{title} (loopt nog{counted})"
    if wave not in set(with_figures):
        return f"{title} (nog geen cijfers{counted})"
    return title


def _answers(count: int) -> str:
    return "1 antwoord" if count == 1 else f"{decimal(count, 0)} antwoorden"


__all__ = [
    "RUNNING",
    "default_pair",
    "wave_option",
    "waves_most_have",
    "waves_with_enough",
    "waves_with_figures",
]
