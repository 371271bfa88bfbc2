"""The dashboard's words beside its figures: the direction of a comparison (▲ ▼ = –), a goal
and label per indicator, one sentence per change and per comparison with a reference group, and a
note when a question was asked differently at the two waves.
"""

from __future__ import annotations

import pandas as pd

from measures.indicators import IndicatorSet, ItemIndicator
from measures.sentences import (
    BENCHMARK_COLUMNS,
    CHANGE_COLUMNS,
    benchmark_sentence,
    change_sentence,
)
from surveys.vocabulary import DOWN, NONE, SAME, SUPPRESSED, UP, wave_name


def direction(significant: object, difference: float, flag: str) -> str:
    """▲ or ▼ for a difference more than chance, = for one that is not, – for none."""
    if flag == SUPPRESSED or pd.isna(difference):
        return NONE
    if bool(significant) and difference > 0:
        return UP
    if bool(significant) and difference < 0:
        return DOWN
    return SAME


def describe(
    indicators: IndicatorSet,
    estimates: pd.DataFrame,
    changes: pd.DataFrame,
    benchmarks: pd.DataFrame,
    baseline: str,
    followup: str,
    koploper_name: str,
    wording: dict[str, dict[str, str]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables with each indicator's goal and label; changes and benchmarks also with
    their direction and sentence, changes with the wording note (``wording``, questionnaire →
    indicator → note)."""
    specs = indicators.questionnaires

    def annotate(table: pd.DataFrame) -> pd.DataFrame:
        if table.empty:  # the same columns, no rows
            return table.assign(goal=[], label=[], direction=[], wording=[], sentence=[])
        pairs = list(zip(table["questionnaire"], table["indicator"], strict=True))
        words = {(q, i): (specs[q].goal(i), specs[q].label(i)) for q, i in set(pairs)}
        return table.assign(
            goal=[words[pair][0] for pair in pairs], label=[words[pair][1] for pair in pairs]
        )

    def rows(table: pd.DataFrame, columns: list[str]) -> list[dict]:
        return table[[c for c in columns if c in table]].to_dict("records")

    estimates = annotate(estimates)
    changes = annotate(changes)
    benchmarks = annotate(benchmarks)
    if not changes.empty:
        changes["direction"] = [
            direction(s, d, f)
            for s, d, f in zip(
                changes["significant"], changes["difference"], changes["flag"], strict=True
            )
        ]
        changes["wording"] = [
            wording.get(q, {}).get(i, "")
            for q, i in zip(changes["questionnaire"], changes["indicator"], strict=True)
        ]
        changes["sentence"] = [
            change_sentence(row, baseline, followup) for row in rows(changes, CHANGE_COLUMNS)
        ]
    if not benchmarks.empty:
        benchmarks["direction"] = [
            direction(s, d, f)
            for s, d, f in zip(
                benchmarks["significant"], benchmarks["difference"], benchmarks["flag"], strict=True
            )
        ]
        benchmarks["sentence"] = [
            benchmark_sentence(row, koploper_name) for row in rows(benchmarks, BENCHMARK_COLUMNS)
        ]
    return estimates, changes, benchmarks


def wording_notes(
    versions: pd.DataFrame,
    changes: dict[str, dict[str, list[int]]],
    indicators: IndicatorSet,
    baseline: str,
    followup: str,
) -> dict[str, dict[str, str]]:
    """Per questionnaire and indicator, a note when a question of it was asked differently at
    ``followup`` than at ``baseline``.

    ``versions``: wave, questionnaire, version, responses (the koploper's). ``changes``: per
    questionnaire, item → the versions from which its wording changed
    (``surveys.versions.wording_changes``).
    """
    notes: dict[str, dict[str, str]] = {}
    for key, spec in indicators.questionnaires.items():
        used = versions[versions["questionnaire"] == key]
        before = used.loc[used["wave"] == baseline, "version"]
        after = used.loc[used["wave"] == followup, "version"]
        if before.empty or after.empty:
            continue
        low, high = int(before.min()), int(after.max())
        for indicator in spec.indicators:
            item_keys = (
                [indicator.item] if isinstance(indicator, ItemIndicator) else indicator.items
            )
            changed = [
                v
                for item in item_keys
                for v in changes.get(key, {}).get(item, [])
                if low < v <= high
            ]
            if changed:
                notes.setdefault(key, {})[indicator.name] = (
                    f"Let op: de vraag is bij {wave_name(followup)} anders gesteld dan bij "
                    f"{wave_name(baseline)} (vragenlijstversie {min(changed)})."
                )
    return notes
