"""The first pages of the council report as data, and what the report says only once.

The first page holds the title, the period, a short table of contents and the overview per goal:
each indicator at both waves with ▲ / = / ▼ in words. Then the clear changes in sentences. A
theme score built from one question says exactly what that question says (the same people, 0 or
100 each): it is named once, under the question, never as a second chart or a second sentence
(:func:`repeated_themes`). :func:`front_pages` gives plain text (figures written by
:mod:`measures.dutch`); the template ``templates/front.html.j2`` lays it out and escapes it.
Shared helpers of :mod:`reports.report_html` are here too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from measures.dutch import value_text
from measures.figures import Figures
from measures.groups import in_view
from measures.indicators import PROPORTION, Settings, load_indicators
from surveys.clock import dutch_long_date
from surveys.numbers import NO_FIGURE
from surveys.vocabulary import (
    DIRECTION_WORDS,
    DOWN,
    GOALS,
    INDICATIVE,
    NO_ESTIMATE,
    NONE,
    OTHERS,
    OWN,
    QUESTIONNAIRES,
    SAME,
    SUPPRESSED,
    UP,
    fewer_than,
    wave_name,
    wave_title,
)

ChartKey = tuple[str, str]
"""(questionnaire, indicator)."""

THEME_SCALE = "0-100"
"""The scale of a theme score (an item's share is '0-1')."""


def row_of(table: pd.DataFrame, **where: object) -> dict | None:
    if table.empty:
        return None
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    rows = table[mask]
    return None if rows.empty else rows.iloc[0].to_dict()


def _questionnaire_words(questionnaires: Sequence[str]) -> str:
    names = [QUESTIONNAIRES.get(q, q).lower() for q in questionnaires]
    if not names:
        return "geen vragenlijst"
    if len(names) == 1:
        return f"de vragenlijst voor {names[0]}"
    return "de vragenlijsten voor " + ", ".join(names[:-1]) + " en voor " + names[-1]


# --- what is said once --------------------------------------------------------------------------


def _same_figures(theme: pd.DataFrame, item: pd.DataFrame) -> bool:
    """Whether a theme score (0–100) has the item's share (0–1) at every wave, on the same n
    (and at least one figure: two withheld rows say nothing alike)."""
    if set(theme["wave"]) != set(item["wave"]) or theme["estimate"].isna().all():
        return False
    by_wave = item.set_index("wave")
    for row in theme.to_dict("records"):
        other = by_wave.loc[row["wave"]]
        if row["n"] != other["n"] or row["flag"] != other["flag"]:
            return False
        one, two = row["estimate"], other["estimate"]
        if pd.isna(one) != pd.isna(two):
            return False
        if not pd.isna(one) and not math.isclose(one, 100 * two, abs_tol=1e-9):
            return False
    return True


def repeated_themes(fig: Figures, questionnaires: Sequence[str]) -> dict[ChartKey, ChartKey]:
    """Theme scores that say exactly what one question's share says (a theme of one yes/no
    question: the same people, 0 or 100 each): {theme: question}, both as (questionnaire,
    indicator)."""
    estimates = in_view(fig.estimates, questionnaires)
    if estimates.empty:
        return {}
    own = estimates[estimates["group"] == OWN]
    found: dict[ChartKey, ChartKey] = {}
    for (questionnaire, _goal), rows in own.groupby(["questionnaire", "goal"], sort=False):
        themes = rows[rows["scale"] == THEME_SCALE]
        items = rows[rows["kind"] == PROPORTION]
        for theme, theme_rows in themes.groupby("indicator", sort=False):
            for item, item_rows in items.groupby("indicator", sort=False):
                if _same_figures(theme_rows, item_rows):
                    found[(questionnaire, str(theme))] = (questionnaire, str(item))
                    break
    return found


def shown_indicators(fig: Figures, questionnaires: Sequence[str]) -> list[ChartKey]:
    """The indicators the report shows a chart of, in the order of the goals: every indicator of
    the view but a theme that repeats a question."""
    estimates = in_view(fig.estimates, questionnaires)
    if estimates.empty:
        return []
    own = estimates[estimates["group"] == OWN]
    repeated = repeated_themes(fig, questionnaires)
    keys = []
    for goal in GOALS:
        for questionnaire in questionnaires:
            here = own[(own["goal"] == goal) & (own["questionnaire"] == questionnaire)]
            for indicator in dict.fromkeys(here["indicator"]):
                if (questionnaire, indicator) not in repeated:
                    keys.append((questionnaire, str(indicator)))
    return keys


def key_changes(fig: Figures, questionnaires: Sequence[str]) -> tuple[list[str], int, int]:
    """The sentences of the clear changes (rises first), how many indicators stayed the same,
    and how many had too few answers to compare; a theme that repeats a question is counted
    once, as that question."""
    changes = in_view(fig.changes, questionnaires)
    if changes.empty:
        return [], 0, 0
    repeated = repeated_themes(fig, questionnaires)
    keep = [
        (questionnaire, indicator) not in repeated
        for questionnaire, indicator in zip(
            changes["questionnaire"], changes["indicator"], strict=True
        )
    ]
    changes = changes[keep]
    clear = [
        sentence
        for direction in (UP, DOWN)
        for sentence in changes.loc[changes["direction"] == direction, "sentence"]
    ]
    same = int((~changes["direction"].isin([UP, DOWN, NONE])).sum())
    none = int((changes["direction"] == NONE).sum())
    return clear, same, none


def _indicators(word: int) -> str:
    return "1 indicator" if word == 1 else f"{word} indicatoren"


# --- the front pages ----------------------------------------------------------------------------


def anchor(goal: str) -> str:
    return f"doel-{goal}"


def _contents(goals: Sequence[str], one_wave: bool) -> list[tuple[str, str]]:
    """(anchor, title) of every entry of the table of contents."""
    entries = [("overzicht", "Overzicht per doel")]
    if not one_wave:
        entries.append(("veranderingen", "De belangrijkste veranderingen"))
    entries += [(anchor(goal), GOALS[goal]) for goal in goals]
    entries += [
        ("uitleg", "Bijlage: hoe leest u dit rapport?"),
        ("werkwijze", "Bijlage: werkwijze"),
    ]
    return entries


def _own_figure(fig: Figures, questionnaire: str, indicator: str, wave: str) -> str:
    row = row_of(
        fig.estimates, group=OWN, wave=wave, questionnaire=questionnaire, indicator=indicator
    )
    if row is None:
        return NO_FIGURE
    if row["flag"] == SUPPRESSED or pd.isna(row["estimate"]):
        return SUPPRESSED
    text = value_text(row["estimate"], row["kind"])
    return f"{text}\u00a0*" if row["flag"] == INDICATIVE else text


def outcome_words(symbol: object, words: Mapping[str, str] = DIRECTION_WORDS) -> str:
    symbol = symbol if isinstance(symbol, str) and symbol in words else NONE
    return f"{symbol} {words[symbol]}"


def _overview(
    fig: Figures, questionnaires: Sequence[str], goals: Sequence[str]
) -> dict[str, Any] | None:
    """One small table: per goal and questionnaire each indicator at both waves, and ▲ = ▼
    (None when the view has no indicator)."""
    one_wave = fig.baseline == fig.followup
    keys = shown_indicators(fig, questionnaires)
    labels = fig.estimates.drop_duplicates(["questionnaire", "indicator"]).set_index(
        ["questionnaire", "indicator"]
    )["label"]
    waves = [fig.baseline] if one_wave else [fig.baseline, fig.followup]
    groups = []
    for goal in goals:
        for questionnaire in questionnaires:
            here = [k for k in keys if k[0] == questionnaire and goal_of(fig, k) == goal]
            if not here:
                continue
            rows = []
            for key in here:
                if one_wave:
                    compared = row_of(
                        fig.benchmarks,
                        wave=fig.baseline,
                        reference=OTHERS,
                        questionnaire=key[0],
                        indicator=key[1],
                    )
                else:
                    compared = row_of(fig.changes, questionnaire=key[0], indicator=key[1])
                symbol = compared["direction"] if compared is not None else NONE
                rows.append(
                    {
                        "label": str(labels.get(key, key[1])),
                        "figures": [_own_figure(fig, *key, w) for w in waves],
                        "outcome": outcome_words(symbol),
                    }
                )
            groups.append(
                {
                    "goal": GOALS[goal],
                    "questionnaire": QUESTIONNAIRES.get(questionnaire, questionnaire),
                    "rows": rows,
                }
            )
    if not groups:
        return None
    return {
        "waves": [wave_title(w) for w in waves],
        "columns": len(waves) + 2,
        "outcome_header": "Tegenover de andere koplopers" if one_wave else "Uitkomst",
        "groups": groups,
    }


def goal_of(fig: Figures, key: ChartKey) -> str:
    row = row_of(fig.estimates, questionnaire=key[0], indicator=key[1])
    return "" if row is None else str(row["goal"])


def goals_shown(fig: Figures, questionnaires: Sequence[str]) -> list[str]:
    shown = {goal_of(fig, key) for key in shown_indicators(fig, questionnaires)}
    if not in_view(fig.profile, questionnaires).empty:
        shown.add("profile")
    return [goal for goal in GOALS if goal in shown]


def overview_note(settings: Settings) -> str:
    """What the overview's signs mean, in the vocabulary's words; the limit of an indicative
    figure is the one of ``settings``."""
    return (
        f"{UP} {DIRECTION_WORDS[UP]}, {DOWN} {DIRECTION_WORDS[DOWN]}: groter dan toeval. "
        f"{SAME} {DIRECTION_WORDS[SAME]}: het verschil kan toeval zijn. {NONE} {NO_ESTIMATE}. "
        f"* {INDICATIVE}: {fewer_than(settings.indicative_n)} antwoorden. "
        "Een verschil tussen twee percentages is in procentpunten."
    )


def front_pages(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    made_on: dt.date,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """What the first pages say, as text for ``templates/front.html.j2``. ``settings`` are the
    limits the figures were made with (by default those of ``indicators.yaml``)."""
    if settings is None:
        settings = load_indicators().settings
    one_wave = fig.baseline == fig.followup
    goals = goals_shown(fig, questionnaires)
    return {
        "koploper": koploper_name,
        "one_wave": one_wave,
        "baseline": fig.baseline,
        "followup": fig.followup,
        "baseline_name": wave_name(fig.baseline),
        "followup_name": wave_name(fig.followup),
        "questionnaires": _questionnaire_words(questionnaires),
        "made_on": dutch_long_date(made_on),
        "contents": _contents(goals, one_wave),
        "overview": _overview(fig, questionnaires, [g for g in goals if g != "profile"] or goals),
        "overview_note": overview_note(settings),
        "changes": None if one_wave else _key_changes(fig, questionnaires),
    }


def _key_changes(fig: Figures, questionnaires: Sequence[str]) -> dict[str, Any]:
    """The sentences of the clear changes, and how many indicators stayed the same or had too
    few answers, in words ('1 indicator', '8 indicatoren'; None for none)."""
    clear, same, none = key_changes(fig, questionnaires)
    return {
        "sentences": clear,
        "same": _indicators(same) if same else None,
        "none": _indicators(none) if none else None,
    }
