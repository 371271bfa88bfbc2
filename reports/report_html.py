"""The council report as HTML: Jinja2 templates (``reports/templates/``) fed with plain text.

Python decides what the report says: per goal every indicator with its sentence, its chart, the
figures (n, estimate and interval per wave and for the other koplopers) and the comparisons (the
koploper at the follow-up against the baseline and against both reference groups, each with
▲ / = / ▼ in words and the q-value of exactly that comparison); under Inzicht, who answered; the
appendix on how to read the report and how it was computed. Every figure is already text, written
by :mod:`measures.dutch` (one decimal, the '%' never on a line of its own). The templates lay it
out; Jinja2 escapes every text (autoescape), so a label or a name cannot add markup. Only the
style sheet, a constant of :mod:`reports.report_style`, goes in as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from measures.charts import chart_text
from measures.dutch import p_text, span_text, value_text
from measures.figures import Figures
from measures.groups import in_view
from measures.indicators import PROPORTION, Settings
from measures.suppression import count_text
from reports.report_front import (
    ChartKey,
    anchor,
    front_pages,
    goal_of,
    goals_shown,
    outcome_words,
    repeated_themes,
    row_of,
    shown_indicators,
)
from reports.report_style import STYLE
from surveys.numbers import NO_FIGURE, signed
from surveys.vocabulary import (
    GOALS,
    INDICATIVE,
    NONE,
    OWN,
    QUESTIONNAIRES,
    REFERENCE_LABELS,
    RESPONSE,
    SUPPRESSED,
    wave_name,
    wave_title,
    wave_with_code,
)

# --- one indicator ------------------------------------------------------------------------------


def _figure_row(header: str, row: dict | None, settings: Settings) -> dict[str, Any]:
    """One group at one wave: n ('minder dan 10' when withheld, as everywhere), figure (with
    'indicatief' under it when so) and interval."""
    cells: dict[str, Any] = {"header": header, "n": NO_FIGURE, "figure": NO_FIGURE}
    cells.update(interval=NO_FIGURE, flag=None, withheld=False)
    if row is None:
        return cells
    cells["n"] = count_text(row["n"], settings)
    if row["flag"] == SUPPRESSED or pd.isna(row["estimate"]):
        cells.update(figure=SUPPRESSED, withheld=True)
        return cells
    kind = row["kind"]
    cells["figure"] = value_text(row["estimate"], kind)
    cells["flag"] = INDICATIVE if row["flag"] == INDICATIVE else None
    cells["interval"] = span_text(row["ci_low"], row["ci_high"], kind)
    return cells


def _comparison_row(what: str, row: dict, kind: str) -> dict[str, Any]:
    """One comparison: with what, the difference, ▲ / = / ▼ in words and the q-value of exactly
    this comparison; 'onderdrukt' and '–' when it is withheld."""
    if row["flag"] == SUPPRESSED or pd.isna(row["difference"]) or row["direction"] == NONE:
        difference, outcome, q = SUPPRESSED, outcome_words(NONE), NO_FIGURE
    else:
        difference = signed((100 if kind == PROPORTION else 1) * row["difference"])
        outcome, q = outcome_words(row["direction"]), p_text(row["q_value"])
    return {
        "what": what,
        "difference": difference,
        "withheld": difference == SUPPRESSED,
        "outcome": outcome,
        "q": q,
    }


def _indicator(
    fig: Figures,
    questionnaire: str,
    indicator: str,
    koploper_name: str,
    source: str | None,
    repeats: ChartKey | None = None,
) -> dict[str, Any]:
    own = fig.estimates[
        (fig.estimates["group"] == OWN)
        & (fig.estimates["questionnaire"] == questionnaire)
        & (fig.estimates["indicator"] == indicator)
    ]
    kind = own["kind"].iloc[0]
    change = row_of(fig.changes, questionnaire=questionnaire, indicator=indicator)
    if fig.baseline == fig.followup:
        change = None
    chart = None
    if source is not None:
        chart = {"source": source, "alt": chart_text(fig, questionnaire, indicator, koploper_name)}
    reasons: list[str] = []

    def keep(reason: object) -> None:
        if isinstance(reason, str) and reason and reason not in reasons:
            reasons.append(reason)

    order = {wave: position for position, wave in enumerate(fig.waves)}
    figures = []
    for row in sorted(own.to_dict("records"), key=lambda r: order.get(r["wave"], len(order))):
        figures.append(_figure_row(wave_with_code(row["wave"]), row, fig.settings))
        keep(row["reason"])
    comparisons = []
    if change is not None:
        what = f"{wave_name(fig.baseline).removeprefix('de ')} ({fig.baseline})"
        comparisons.append(_comparison_row(what, change, kind))
        keep(change["reason"])
    for reference, name in REFERENCE_LABELS.items():
        bench = row_of(
            fig.benchmarks,
            wave=fig.followup,
            reference=reference,
            questionnaire=questionnaire,
            indicator=indicator,
        )
        if bench is None:
            continue
        # The reference's own figure, as the page and the chart show it: a comparison withheld
        # for the koploper's side leaves the reference's figure standing.
        shown = row_of(
            fig.estimates,
            group=reference,
            wave=fig.followup,
            questionnaire=questionnaire,
            indicator=indicator,
        )
        figures.append(_figure_row(f"{name} ({fig.followup})", shown, fig.settings))
        what = f"{name.lower()} ({fig.followup})"
        comparisons.append(_comparison_row(what, bench, kind))
        keep(bench["reason"])
    return {
        "label": own["label"].iloc[0],
        "sentence": None if change is None else change["sentence"],
        "chart": chart,
        "figures": figures,
        "interval": fig.settings.interval,
        "against": f"{koploper_name} ({fig.followup})",
        "comparisons": comparisons,
        "repeats": None if repeats is None else _repeated_label(fig, repeats),
        "reasons": "; ".join(reasons),
    }


def _repeated_label(fig: Figures, key: ChartKey) -> str:
    row = row_of(fig.estimates, questionnaire=key[0], indicator=key[1])
    return key[1] if row is None else str(row["label"])


# --- the goals ----------------------------------------------------------------------------------


def _profile(fig: Figures, questionnaires: Sequence[str]) -> list[dict[str, Any]]:
    """Who answered (under Inzicht): per question the share of each answer at both waves, with
    the number who answered the question in the header."""
    profile = in_view(fig.profile, questionnaires)
    if profile.empty:
        return []
    waves = [w for w in dict.fromkeys((fig.baseline, fig.followup)) if w in set(profile["wave"])]
    questions = []
    for (questionnaire, _item), rows in profile.groupby(
        ["questionnaire", "item"], sort=False, observed=True
    ):
        headers = []
        for wave in waves:
            answered = rows.loc[rows["wave"] == wave, "answered"]
            base = count_text(answered.max(), fig.settings) if not answered.empty else "0"
            headers.append(f"{wave_title(wave)} (n\u00a0=\u00a0{base})")
        reasons: list[str] = []
        lines = []
        for category, answers in rows.groupby("category", sort=False, observed=True):
            cells = []
            for wave in waves:
                at = answers[answers["wave"] == wave]
                if at.empty:
                    cells.append({"text": NO_FIGURE, "withheld": False})
                    continue
                entry = at.iloc[0]
                if entry["flag"] == SUPPRESSED or pd.isna(entry["share"]):
                    cells.append({"text": SUPPRESSED, "withheld": True})
                    if entry["reason"] and entry["reason"] not in reasons:
                        reasons.append(entry["reason"])
                else:
                    share = value_text(entry["share"], PROPORTION)
                    cells.append({"text": share, "withheld": False})
            lines.append({"category": category, "cells": cells})
        questions.append(
            {
                "question": rows["question"].iloc[0],
                "questionnaire": QUESTIONNAIRES.get(questionnaire, ""),
                "headers": headers,
                "rows": lines,
                "reasons": "; ".join(reasons),
            }
        )
    return questions


def _goal_sections(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    sources: Mapping[ChartKey, str],
) -> list[dict[str, Any]]:
    keys = shown_indicators(fig, questionnaires)
    repeats = {item: theme for theme, item in repeated_themes(fig, questionnaires).items()}
    goals = []
    for goal in goals_shown(fig, questionnaires):
        parts = []
        for questionnaire in questionnaires:
            here = [k for k in keys if k[0] == questionnaire and goal_of(fig, k) == goal]
            if here:
                parts.append(
                    {
                        "questionnaire": QUESTIONNAIRES.get(questionnaire, questionnaire),
                        "indicators": [
                            _indicator(fig, *key, koploper_name, sources.get(key), repeats.get(key))
                            for key in here
                        ],
                    }
                )
        goals.append(
            {
                "anchor": anchor(goal),
                "name": GOALS[goal],
                "parts": parts,
                "profile": _profile(fig, questionnaires) if goal == "profile" else [],
            }
        )
    return goals


# --- the appendix and the document --------------------------------------------------------------


def _paragraphs(text: str) -> list[dict[str, Any]]:
    """Plain text as blocks split by blank lines; a block's first line is its title when more
    lines follow, and every further line a paragraph (a list of sources stays a list)."""
    blocks = []
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        title = lines.pop(0) if len(lines) > 1 else None
        blocks.append({"title": title, "lines": lines})
    return blocks


def _text(value: object) -> object:
    """What a template writes for a value: nothing for no text (None, or NaN from a table)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


@functools.cache
def _environment() -> Any:
    """The templates of ``reports/templates/``, made once: every text escaped, a name missing
    from the data an error rather than an empty place in the report."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_text,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_html(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    sources: Mapping[ChartKey, str],
    explanation: Sequence[tuple[str, str]],
    methods_text: str,
    made_on: dt.date,
    response: Sequence[str] = (),
) -> str:
    """The report as one HTML document (every text escaped), ready for WeasyPrint.

    ``sources`` gives the image address of each chart (``reports.report.chart_sources``); a
    chart without one is left out. The limits and levels are those the figures were made with
    (``fig.settings``). ``response`` (``measures.response_rates.response_lines``) opens the
    appendix on the methods, under "Respons"; none: no such part."""
    from markupsafe import Markup

    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=f"Rapport voor de raad – {koploper_name}",
            # Our own style sheet, no one's input: CSS in <style> is raw text (an escaped quote
            # would stay '&#34;' there), so it goes in as it is.
            style=Markup(STYLE),
            front=front_pages(fig, koploper_name, questionnaires, made_on, fig.settings),
            goals=_goal_sections(fig, koploper_name, questionnaires, sources),
            explanation=list(explanation),
            methods=[
                *([{"title": RESPONSE, "lines": list(response)}] if response else []),
                *_paragraphs(methods_text),
            ],
        )
    )
