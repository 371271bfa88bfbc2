"""One dashboard view for the download and report tests, built by the engine from synthetic data.

Almere against the nulmeting: its clients clearly improve (so there are ▲ rows), while only eight
professionals answered at T1, so every professional figure at T1 is withheld (too few answers).
``unsuppressed()`` is the same view with the small-number rule switched off, to know which figures
must never leak out. ``full_view()`` is a full view as a demo koploper has it: both questionnaires
answered by a few hundred people at both waves, every figure shown.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from measures import check_responses, load_indicators, score
from measures.counts import from_scored
from measures.figures import Figures, figures
from measures.synthetic import synthetic_responses

KOPLOPER = "almere"
KOPLOPER_NAME = "Almere"
PROFESSIONALS_AT_T1 = 8
KOPLOPERS = ("almere", "breda", "delft", "ede", "gouda", "hengelo", "leiden", "zwolle")
COHORT = {"almere", "breda", "delft", "ede"}
"""Enough koplopers that both reference groups pool at least three (``min_koplopers``)."""


@cache
def _counts():
    indicators = load_indicators()
    wide = synthetic_responses(KOPLOPERS, per_group=120, seed=7, improvement=1.2)
    late = (
        (wide["questionnaire"] == "professional")
        & (wide["koploper"] == KOPLOPER)
        & (wide["wave"] == "T1")
    )
    wide = wide.drop(wide[late].index[PROFESSIONALS_AT_T1:])
    scored = score(check_responses(wide, indicators), indicators)
    return indicators, from_scored(scored, KOPLOPER, COHORT, indicators)


@cache
def view() -> Figures:
    indicators, counts = _counts()
    return figures(counts, indicators, "T0", "T1", koploper_name=KOPLOPER_NAME)


@cache
def unsuppressed() -> Figures:
    indicators, counts = _counts()
    open_settings = replace(indicators.settings, min_n=2, indicative_n=2)
    return figures(
        counts, replace(indicators, settings=open_settings), "T0", "T1", koploper_name="Almere"
    )


@cache
def full_view() -> Figures:
    indicators = load_indicators()
    wide = synthetic_responses(KOPLOPERS, per_group=200, seed=11, improvement=0.6)
    scored = score(check_responses(wide, indicators), indicators)
    counts = from_scored(scored, KOPLOPER, COHORT, indicators)
    return figures(counts, indicators, "T0", "T1", koploper_name=KOPLOPER_NAME)


def with_label(fig: Figures, indicator: str, label: str) -> Figures:
    """The same view with another label for one indicator (as a registry could hold it)."""

    def relabel(table):
        out = table.copy()
        out.loc[out["indicator"] == indicator, "label"] = label
        return out

    return replace(
        fig,
        estimates=relabel(fig.estimates),
        changes=relabel(fig.changes),
        benchmarks=relabel(fig.benchmarks),
    )
