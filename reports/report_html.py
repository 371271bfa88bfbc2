"""The council report as HTML: its first pages (:mod:`reports.report_front`), one section per
goal and the appendix.

Per goal every indicator: its sentence, its chart beside two tables: the figures (n, estimate and
interval per wave and for the other koplopers) and the comparisons (the koploper at the
follow-up against the baseline and against both reference groups), each with ▲ / = / ▼ in words
and the q-value of exactly that comparison. Under Inzicht, who answered. The appendix explains
how to read the report and how it was computed, and stands on its own. Every text is escaped;
figures are written by :mod:`measures.dutch` (one decimal, the '%' never on a line of its own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from measures import dutch
from measures.charts import chart_text
from measures.dutch import p_text, span_text, value_text
from measures.figures import Figures
from measures.groups import in_view
from measures.indicators import PROPORTION
from reports.report_front import (
    REFERENCE_ROWS,
    REFERENCE_WORDS,
    WITHHELD,
    ChartKey,
    anchor,
    escaped,
    front_pages,
    goal_of,
    goals_shown,
    outcome_words,
    repeated_themes,
    row_of,
    shown_indicators,
    wave_title,
)
from reports.report_style import STYLE
from surveys.numbers import NO_FIGURE, signed, whole
from surveys.vocabulary import GOALS, INDICATIVE, NONE, OWN, QUESTIONNAIRES, SUPPRESSED, wave_name

# --- one indicator ------------------------------------------------------------------------------


def _estimate_cells(row: dict | None, prefix: str = "") -> tuple[str, str, str]:
    """(n, figure, interval) cells of one group at one wave, as HTML."""
    if row is None:
        return NO_FIGURE, NO_FIGURE, NO_FIGURE
    n = whole(row[f"n{prefix}"])
    if row["flag"] == SUPPRESSED or pd.isna(row[f"estimate{prefix}"]):
        return n, WITHHELD, NO_FIGURE
    kind = row["kind"]
    figure = escaped(value_text(row[f"estimate{prefix}"], kind))
    if row["flag"] == INDICATIVE:
        figure += f'<span class="flag">{INDICATIVE}</span>'
    interval = span_text(row[f"ci_low{prefix}"], row[f"ci_high{prefix}"], kind)
    return n, figure, escaped(interval)


def _figure_row(header: str, n: str, figure: str, interval: str) -> str:
    figure_class = "number withheld" if figure == WITHHELD else "number"
    return (
        f'<tr><th scope="row">{escaped(header)}</th><td class="number">{escaped(n)}</td>'
        f'<td class="{figure_class}">{figure}</td><td class="interval">{interval}</td></tr>'
    )


def _comparison_row(what: str, row: dict, kind: str) -> str:
    """One comparison: with what, the difference, ▲ / = / ▼ in words and the q-value of exactly
    this comparison; '–' when it is withheld."""
    if row["flag"] == SUPPRESSED or pd.isna(row["difference"]) or row["direction"] == NONE:
        difference, outcome, q = WITHHELD, outcome_words(NONE), NO_FIGURE
    else:
        difference = signed((100 if kind == PROPORTION else 1) * row["difference"])
        outcome, q = outcome_words(row["direction"]), p_text(row["q_value"])
    difference_class = "number withheld" if difference == WITHHELD else "number"
    return (
        f'<tr><th scope="row">{escaped(what)}</th>'
        f'<td class="{difference_class}">{escaped(difference)}</td>'
        f'<td>{escaped(outcome)}</td><td class="number">{escaped(q)}</td></tr>'
    )


def _indicator(
    fig: Figures,
    questionnaire: str,
    indicator: str,
    koploper_name: str,
    source: str | None,
    repeats: ChartKey | None = None,
) -> str:
    own = fig.estimates[
        (fig.estimates["group"] == OWN)
        & (fig.estimates["questionnaire"] == questionnaire)
        & (fig.estimates["indicator"] == indicator)
    ]
    label = own["label"].iloc[0]
    kind = own["kind"].iloc[0]
    change = row_of(fig.changes, questionnaire=questionnaire, indicator=indicator)
    if fig.baseline == fig.followup:
        change = None
    parts = ['<section class="indicator">', f"<h4>{escaped(label)}</h4>"]
    if change is not None:
        parts.append(f"<p>{escaped(change['sentence'])}</p>")
    parts.append('<div class="pair">')
    if source is not None:
        alt = chart_text(fig, questionnaire, indicator, koploper_name)
        parts.append(f'<img src="{source}" alt="{escaped(alt)}">')
    parts += [
        '<div class="side">',
        '<table class="figures">',
        '<thead><tr><th scope="col">Meting of groep</th><th scope="col">n</th>'
        '<th scope="col">Cijfer</th><th scope="col">95\u00a0%-interval</th></tr></thead>',
        "<tbody>",
    ]
    reasons: list[str] = []

    def keep(reason: object) -> None:
        if isinstance(reason, str) and reason and reason not in reasons:
            reasons.append(reason)

    order = {wave: position for position, wave in enumerate(fig.waves)}
    for row in sorted(own.to_dict("records"), key=lambda r: order.get(r["wave"], len(order))):
        parts.append(_figure_row(wave_title(row["wave"]), *_estimate_cells(row)))
        keep(row["reason"])
    comparisons = []
    if change is not None:
        what = f"{wave_name(fig.baseline).removeprefix('de ')} ({fig.baseline})"
        comparisons.append(_comparison_row(what, change, kind))
        keep(change["reason"])
    for reference, name in REFERENCE_ROWS:
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
        parts.append(_figure_row(f"{name} ({fig.followup})", *_estimate_cells(shown)))
        what = f"{REFERENCE_WORDS[reference]} ({fig.followup})"
        comparisons.append(_comparison_row(what, bench, kind))
        keep(bench["reason"])
    parts += ["</tbody>", "</table>"]
    if comparisons:
        parts += [
            '<table class="comparisons">',
            f'<thead><tr><th scope="col">{escaped(koploper_name)} ({escaped(fig.followup)}) '
            'tegenover</th><th scope="col">Verschil</th>'
            '<th scope="col">Uitkomst</th><th scope="col">q-waarde</th></tr></thead>',
            "<tbody>",
            *comparisons,
            "</tbody>",
            "</table>",
        ]
    parts += ["</div>", "</div>"]
    if repeats is not None:
        parts.append(
            f'<p class="note">{escaped(_repeated_label(fig, repeats))} is hier hetzelfde cijfer, '
            "op 100: het thema heeft één vraag. Het staat daarom niet apart in dit rapport.</p>"
        )
    if reasons:
        parts.append(
            '<p class="note">Niet getoond of met voorzichtigheid te lezen: '
            + escaped("; ".join(reasons))
            + ".</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _repeated_label(fig: Figures, key: ChartKey) -> str:
    row = row_of(fig.estimates, questionnaire=key[0], indicator=key[1])
    return key[1] if row is None else str(row["label"])


# --- the goals ----------------------------------------------------------------------------------


def _profile(fig: Figures, questionnaires: Sequence[str]) -> str:
    """Who answered (under Inzicht): per question the share of each answer at both waves, with
    the number who answered the question in the header."""
    profile = in_view(fig.profile, questionnaires)
    if profile.empty:
        return ""
    waves = [w for w in dict.fromkeys((fig.baseline, fig.followup)) if w in set(profile["wave"])]
    parts = ["<h3>Wie vulden de vragenlijst in</h3>", '<div class="profile-tables">']
    for (questionnaire, _item), rows in profile.groupby(
        ["questionnaire", "item"], sort=False, observed=True
    ):
        question = rows["question"].iloc[0]
        headers = []
        for wave in waves:
            answered = rows.loc[rows["wave"] == wave, "answered"]
            base = whole(answered.max()) if not answered.empty else "0"
            headers.append(
                f'<th scope="col">{escaped(dutch.wave_title(wave))} (n\u00a0=\u00a0{base})</th>'
            )
        parts += [
            '<div class="answers">',
            "<table>",
            f"<caption>{escaped(question)} ({escaped(QUESTIONNAIRES.get(questionnaire, ''))})"
            "</caption>",
            '<thead><tr><th scope="col">Antwoord</th>' + "".join(headers) + "</tr></thead>",
            "<tbody>",
        ]
        reasons: list[str] = []
        for category, answers in rows.groupby("category", sort=False, observed=True):
            cells = []
            for wave in waves:
                at = answers[answers["wave"] == wave]
                if at.empty:
                    cells.append(f'<td class="number">{NO_FIGURE}</td>')
                    continue
                entry = at.iloc[0]
                if entry["flag"] == SUPPRESSED or pd.isna(entry["share"]):
                    cells.append(f'<td class="number withheld">{WITHHELD}</td>')
                    if entry["reason"] and entry["reason"] not in reasons:
                        reasons.append(entry["reason"])
                else:
                    share = value_text(entry["share"], PROPORTION)
                    cells.append(f'<td class="number">{escaped(share)}</td>')
            parts.append(f'<tr><th scope="row">{escaped(category)}</th>{"".join(cells)}</tr>')
        parts += ["</tbody>", "</table>"]
        if reasons:
            parts.append(f'<p class="note">{escaped("; ".join(reasons))}.</p>')
        parts.append("</div>")
    parts.append("</div>")
    return "\n".join(parts)


def _goal_sections(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    sources: Mapping[ChartKey, str],
) -> str:
    keys = shown_indicators(fig, questionnaires)
    repeats = {item: theme for theme, item in repeated_themes(fig, questionnaires).items()}
    parts = []
    for goal in goals_shown(fig, questionnaires):
        section = [
            f'<section class="goal" id="{anchor(goal)}">',
            f"<h2>{escaped(GOALS[goal])}</h2>",
        ]
        for questionnaire in questionnaires:
            here = [k for k in keys if k[0] == questionnaire and goal_of(fig, k) == goal]
            if not here:
                continue
            section.append(f"<h3>{escaped(QUESTIONNAIRES.get(questionnaire, questionnaire))}</h3>")
            for key in here:
                section.append(
                    _indicator(fig, *key, koploper_name, sources.get(key), repeats.get(key))
                )
        if goal == "profile":
            section.append(_profile(fig, questionnaires))
        section.append("</section>")
        parts.append("\n".join(section))
    if not parts:
        parts.append("<section><h2>Cijfers</h2><p>In deze weergave zijn er geen cijfers.</p>")
        parts.append("</section>")
    return "\n".join(parts)


# --- the appendix and the document --------------------------------------------------------------


def _paragraphs(text: str) -> str:
    """Plain text as HTML: blocks split by blank lines; a block's first line is its title when
    more lines follow, and every further line a paragraph (a list of sources stays a list)."""
    parts = []
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) > 1:
            parts.append(f"<h3>{escaped(lines[0])}</h3>")
            lines = lines[1:]
        parts += [f"<p>{escaped(line)}</p>" for line in lines]
    return "\n".join(parts)


def _appendix(explanation: Sequence[tuple[str, str]], methods_text: str) -> str:
    parts = [
        '<section class="appendix">',
        '<h2 id="uitleg">Bijlage: hoe leest u dit rapport?</h2>',
        '<div class="text">',
    ]
    for subject, text in explanation:
        parts += [f"<h3>{escaped(subject)}</h3>", f"<p>{escaped(text)}</p>"]
    parts += [
        "</div>",
        '<h2 id="werkwijze">Bijlage: werkwijze</h2>',
        '<div class="text">',
        _paragraphs(methods_text),
        "</div>",
        "</section>",
    ]
    return "\n".join(parts)


def report_html(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    sources: Mapping[ChartKey, str],
    explanation: Sequence[tuple[str, str]],
    methods_text: str,
    made_on: dt.date,
) -> str:
    """The report as one HTML document (every text escaped), ready for WeasyPrint.

    ``sources`` gives the image address of each chart (``reports.report.chart_sources``); a
    chart without one is left out."""
    title = f"Rapport voor de raad – {koploper_name}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="nl">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{escaped(title)}</title>",
            '<meta name="author" content="Koplopermonitor">',
            f'<meta name="description" content="{escaped(title)}: '
            f'{escaped(wave_name(fig.baseline))} en {escaped(wave_name(fig.followup))}">',
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            front_pages(fig, koploper_name, questionnaires, made_on),
            _goal_sections(fig, koploper_name, questionnaires, sources),
            _appendix(explanation, methods_text),
            "</body>",
            "</html>",
        ]
    )
