"""The council report as HTML: the front pages, one section per goal and the appendix.

The first page holds the title, the period, a short table of contents and the overview per goal
(each indicator at both waves with ▲ / = / ▼); then the clear changes in sentences; then per goal
every indicator: its chart beside its sentence, a table of the figures (n, estimate, interval per
wave and for the other koplopers) and a table of the comparisons, each with its ▲ / = / ▼ and the
q-value of exactly what it compares. A theme score built from one question says what that
question says: it is named once, under the question, not twice (:func:`repeated_themes`).

Every text is escaped; figures are written by :mod:`measures.dutch` (one decimal, the '%' never
on a line of its own).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from html import escape

import pandas as pd

from measures import dutch
from measures.charts import chart_text
from measures.dashboard import (
    COHORT,
    DIRECTION_WORDS,
    DOWN,
    GOALS,
    NONE,
    OTHERS,
    OWN,
    QUESTIONNAIRES,
    UP,
    Figures,
    in_view,
)
from measures.dutch import (
    NO_FIGURE,
    WAVE_NAMES,
    decimal,
    p_text,
    span_text,
    value_text,
    wave_name,
    whole,
)
from measures.indicators import PROPORTION
from measures.report_style import STYLE
from measures.suppression import INDICATIVE, SUPPRESSED

ChartKey = tuple[str, str]
"""(questionnaire, indicator)."""

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WITHHELD = "onderdrukt"
THEME_SCALE = "0-100"
"""The scale of a theme score (an item's share is '0-1')."""
REFERENCE_ROWS = ((OTHERS, "Overige koplopers"), (COHORT, "Eigen cohort"))
REFERENCE_WORDS = {OTHERS: "overige koplopers", COHORT: "eigen cohort"}


def dutch_date(day: dt.date) -> str:
    """'14 maart 2025'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def wave_title(code: str) -> str:
    """'Nulmeting (T0)'."""
    return f"{dutch.wave_title(code)} ({code})" if code in WAVE_NAMES else code


def _text(value: object) -> str:
    """Escaped text for the HTML; '' for no text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape(str(value))


def _row(table: pd.DataFrame, **where: object) -> dict | None:
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
    """Whether a theme score (0–100) has the item's share (0–1) at every wave, on the same n."""
    if set(theme["wave"]) != set(item["wave"]):
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


def _anchor(goal: str) -> str:
    return f"doel-{goal}"


def _contents(goals: Sequence[str], one_wave: bool) -> str:
    entries = [("overzicht", "Overzicht per doel")]
    if not one_wave:
        entries.append(("veranderingen", "De belangrijkste veranderingen"))
    entries += [(_anchor(goal), GOALS[goal]) for goal in goals]
    entries += [
        ("uitleg", "Bijlage: hoe leest u dit rapport?"),
        ("werkwijze", "Bijlage: werkwijze"),
    ]
    items = "".join(f'<li><a href="#{key}">{_text(name)}</a></li>' for key, name in entries)
    return f'<nav class="contents"><h2>Inhoud</h2><ol>{items}</ol></nav>'


def _own_figure(fig: Figures, questionnaire: str, indicator: str, wave: str) -> str:
    row = _row(
        fig.estimates, group=OWN, wave=wave, questionnaire=questionnaire, indicator=indicator
    )
    if row is None:
        return NO_FIGURE
    if row["flag"] == SUPPRESSED or pd.isna(row["estimate"]):
        return WITHHELD
    text = value_text(row["estimate"], row["kind"])
    return f"{text}\u00a0*" if row["flag"] == INDICATIVE else text


def _outcome(symbol: object, words: Mapping[str, str] = DIRECTION_WORDS) -> str:
    symbol = symbol if isinstance(symbol, str) and symbol in words else NONE
    return f"{symbol} {words[symbol]}"


def _overview(fig: Figures, questionnaires: Sequence[str], goals: Sequence[str]) -> str:
    """One small table: per goal and questionnaire each indicator at both waves, and ▲ = ▼."""
    one_wave = fig.baseline == fig.followup
    keys = shown_indicators(fig, questionnaires)
    labels = fig.estimates.drop_duplicates(["questionnaire", "indicator"]).set_index(
        ["questionnaire", "indicator"]
    )["label"]
    waves = [fig.baseline] if one_wave else [fig.baseline, fig.followup]
    outcome_header = "Tegenover de andere koplopers" if one_wave else "Uitkomst"
    head = (
        '<thead><tr><th scope="col">Indicator</th>'
        + "".join(f'<th scope="col">{_text(dutch.wave_title(w))}</th>' for w in waves)
        + f'<th scope="col">{outcome_header}</th></tr></thead>'
    )
    body = []
    for goal in goals:
        for questionnaire in questionnaires:
            here = [k for k in keys if k[0] == questionnaire and _goal_of(fig, k) == goal]
            if not here:
                continue
            body.append(
                f'<tr><th class="group" colspan="{len(waves) + 2}" scope="colgroup">'
                f"{_text(GOALS[goal])}: {_text(QUESTIONNAIRES.get(questionnaire, questionnaire))}"
                "</th></tr>"
            )
            for key in here:
                if one_wave:
                    compared = _row(
                        fig.benchmarks,
                        wave=fig.baseline,
                        reference=OTHERS,
                        questionnaire=key[0],
                        indicator=key[1],
                    )
                else:
                    compared = _row(fig.changes, questionnaire=key[0], indicator=key[1])
                symbol = compared["direction"] if compared is not None else NONE
                cells = "".join(
                    f'<td class="number">{_text(_own_figure(fig, *key, w))}</td>' for w in waves
                )
                body.append(
                    f'<tr><th scope="row">{_text(labels.get(key, key[1]))}</th>{cells}'
                    f'<td class="outcome">{_text(_outcome(symbol))}</td></tr>'
                )
    if not body:
        return "<p>In deze weergave zijn er geen cijfers.</p>"
    caption = (
        f"Elke indicator bij {_text(wave_name(fig.baseline))}"
        + ("" if one_wave else f" en {_text(wave_name(fig.followup))}")
        + ", en of het verschil groter is dan toeval"
    )
    note = (
        "▲ duidelijk hoger, ▼ duidelijk lager: groter dan toeval. = niet duidelijk anders: het "
        "verschil kan toeval zijn. – geen cijfer. * indicatief: minder dan 30 antwoorden."
    )
    return "\n".join(
        [
            '<table class="overview">',
            f"<caption>{caption}</caption>",
            head,
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
            f'<p class="note">{_text(note)}</p>',
        ]
    )


def _goal_of(fig: Figures, key: ChartKey) -> str:
    row = _row(fig.estimates, questionnaire=key[0], indicator=key[1])
    return "" if row is None else str(row["goal"])


def _goals_shown(fig: Figures, questionnaires: Sequence[str]) -> list[str]:
    shown = {_goal_of(fig, key) for key in shown_indicators(fig, questionnaires)}
    if not in_view(fig.profile, questionnaires).empty:
        shown.add("profile")
    return [goal for goal in GOALS if goal in shown]


def _front(
    fig: Figures, koploper_name: str, questionnaires: Sequence[str], made_on: dt.date
) -> str:
    one_wave = fig.baseline == fig.followup
    period = (
        f"Dit rapport geeft de cijfers van {_text(wave_name(fig.baseline))} "
        f"({_text(fig.baseline)}), voor {_text(_questionnaire_words(questionnaires))}. Er is "
        "nog geen vervolgmeting, dus nog geen verandering om te laten zien."
        if one_wave
        else f"Dit rapport vergelijkt {_text(wave_name(fig.followup))} "
        f"({_text(fig.followup)}) met {_text(wave_name(fig.baseline))} ({_text(fig.baseline)}), "
        f"voor {_text(_questionnaire_words(questionnaires))}."
    )
    goals = _goals_shown(fig, questionnaires)
    parts = [
        '<section class="front">',
        f"<h1>Rapport voor de raad – {_text(koploper_name)}</h1>",
        f'<p class="period">{period}</p>',
        f"<p>Gemaakt op {dutch_date(made_on)} met de Koplopermonitor.</p>",
        _contents(goals, one_wave),
        '<h2 id="overzicht">Overzicht per doel</h2>',
        _overview(fig, questionnaires, [g for g in goals if g != "profile"] or goals),
        "</section>",
    ]
    if not one_wave:
        parts.append(_key_changes(fig, questionnaires))
    return "\n".join(parts)


def _key_changes(fig: Figures, questionnaires: Sequence[str]) -> str:
    clear, same, none = key_changes(fig, questionnaires)
    parts = [
        '<section class="key-changes">',
        '<h2 id="veranderingen">De belangrijkste veranderingen</h2>',
    ]
    if clear:
        parts.append("<ul>")
        parts += [f"<li>{_text(sentence)}</li>" for sentence in clear]
        parts.append("</ul>")
    elif same:
        parts.append(
            "<p>Geen enkele indicator is duidelijk gestegen of gedaald: de verschillen zijn "
            "niet groter dan toeval.</p>"
        )
    else:
        parts.append(
            "<p>Bij geen enkele indicator zijn er genoeg antwoorden om een verandering te laten "
            "zien.</p>"
        )
    if same:
        parts.append(
            f"<p>Bij {_indicators(same)} is de uitkomst niet duidelijk anders dan bij "
            f"{_text(wave_name(fig.baseline))}.</p>"
        )
    if none:
        parts.append(
            f"<p>Over {_indicators(none)} zeggen we niets: daarvoor waren er te weinig "
            "antwoorden. Cijfers op te weinig antwoorden tonen we nooit.</p>"
        )
    parts.append(
        "<p>Hierna volgt per doel van het programma elke indicator: een grafiek, de cijfers per "
        "meting en de vergelijking met de andere koplopers. Achterin staat hoe u de cijfers "
        "leest en hoe ze berekend zijn.</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


# --- one indicator ------------------------------------------------------------------------------


def _estimate_cells(row: dict | None, prefix: str = "") -> tuple[str, str, str]:
    """(n, figure, interval) cells of one group at one wave, as HTML."""
    if row is None:
        return NO_FIGURE, NO_FIGURE, NO_FIGURE
    n = whole(row[f"n{prefix}"])
    if row["flag"] == SUPPRESSED or pd.isna(row[f"estimate{prefix}"]):
        return n, WITHHELD, NO_FIGURE
    kind = row["kind"]
    figure = _text(value_text(row[f"estimate{prefix}"], kind))
    if row["flag"] == INDICATIVE:
        figure += f'<span class="flag">{INDICATIVE}</span>'
    interval = span_text(row[f"ci_low{prefix}"], row[f"ci_high{prefix}"], kind)
    return n, figure, _text(interval)


def _figure_row(header: str, n: str, figure: str, interval: str) -> str:
    figure_class = "number withheld" if figure == WITHHELD else "number"
    return (
        f'<tr><th scope="row">{_text(header)}</th><td class="number">{_text(n)}</td>'
        f'<td class="{figure_class}">{figure}</td><td class="interval">{interval}</td></tr>'
    )


def _comparison_row(what: str, row: dict, kind: str) -> str:
    """One comparison: with what, the difference, ▲ / = / ▼ in words and the q-value of exactly
    this comparison; '–' when it is withheld."""
    if row["flag"] == SUPPRESSED or pd.isna(row["difference"]) or row["direction"] == NONE:
        difference, outcome, q = WITHHELD, _outcome(NONE), NO_FIGURE
    else:
        scale = 100 if kind == PROPORTION else 1
        difference = decimal(scale * row["difference"])
        if difference.strip("0,.") and not difference.startswith("-"):
            difference = "+" + difference
        outcome, q = _outcome(row["direction"]), p_text(row["q_value"])
    difference_class = "number withheld" if difference == WITHHELD else "number"
    return (
        f'<tr><th scope="row">{_text(what)}</th>'
        f'<td class="{difference_class}">{_text(difference)}</td>'
        f'<td>{_text(outcome)}</td><td class="number">{_text(q)}</td></tr>'
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
    change = _row(fig.changes, questionnaire=questionnaire, indicator=indicator)
    if fig.baseline == fig.followup:
        change = None
    parts = ['<section class="indicator">', f"<h4>{_text(label)}</h4>"]
    if change is not None:
        parts.append(f"<p>{_text(change['sentence'])}</p>")
    parts.append('<div class="pair">')
    if source is not None:
        alt = chart_text(fig, questionnaire, indicator, koploper_name)
        parts.append(f'<img src="{source}" alt="{_text(alt)}">')
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
        bench = _row(
            fig.benchmarks,
            wave=fig.followup,
            reference=reference,
            questionnaire=questionnaire,
            indicator=indicator,
        )
        if bench is None:
            continue
        parts.append(_figure_row(f"{name} ({fig.followup})", *_estimate_cells(bench, "_reference")))
        what = f"{REFERENCE_WORDS[reference]} ({fig.followup})"
        comparisons.append(_comparison_row(what, bench, kind))
        keep(bench["reason"])
    parts += ["</tbody>", "</table>"]
    if comparisons:
        unit = " (procentpunt)" if kind == PROPORTION else ""
        parts += [
            '<table class="comparisons">',
            f'<thead><tr><th scope="col">{_text(koploper_name)} ({_text(fig.followup)}) '
            f'vergeleken met</th><th scope="col">Verschil{unit}</th>'
            '<th scope="col">Uitkomst</th><th scope="col">q-waarde</th></tr></thead>',
            "<tbody>",
            *comparisons,
            "</tbody>",
            "</table>",
        ]
    parts += ["</div>", "</div>"]
    if repeats is not None:
        parts.append(
            f'<p class="note">{_text(_repeated_label(fig, repeats))} is hier hetzelfde cijfer, '
            "op 100: het thema heeft één vraag. Het staat daarom niet apart in dit rapport.</p>"
        )
    if reasons:
        parts.append(
            '<p class="note">Niet getoond of met voorzichtigheid te lezen: '
            + _text("; ".join(reasons))
            + ".</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _repeated_label(fig: Figures, key: ChartKey) -> str:
    row = _row(fig.estimates, questionnaire=key[0], indicator=key[1])
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
                f'<th scope="col">{_text(dutch.wave_title(wave))} (n\u00a0=\u00a0{base})</th>'
            )
        parts += [
            '<div class="answers">',
            "<table>",
            f"<caption>{_text(question)} ({_text(QUESTIONNAIRES.get(questionnaire, ''))})"
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
                    cells.append(f'<td class="number">{_text(share)}</td>')
            parts.append(f'<tr><th scope="row">{_text(category)}</th>{"".join(cells)}</tr>')
        parts += ["</tbody>", "</table>"]
        if reasons:
            parts.append(f'<p class="note">{_text("; ".join(reasons))}.</p>')
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
    for goal in _goals_shown(fig, questionnaires):
        section = [f'<section class="goal" id="{_anchor(goal)}">', f"<h2>{_text(GOALS[goal])}</h2>"]
        for questionnaire in questionnaires:
            here = [k for k in keys if k[0] == questionnaire and _goal_of(fig, k) == goal]
            if not here:
                continue
            section.append(f"<h3>{_text(QUESTIONNAIRES.get(questionnaire, questionnaire))}</h3>")
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
            parts.append(f"<h3>{_text(lines[0])}</h3>")
            lines = lines[1:]
        parts += [f"<p>{_text(line)}</p>" for line in lines]
    return "\n".join(parts)


def _appendix(explanation: Sequence[tuple[str, str]], methods_text: str) -> str:
    parts = [
        '<section class="appendix">',
        '<h2 id="uitleg">Bijlage: hoe leest u dit rapport?</h2>',
        '<div class="text">',
    ]
    for subject, text in explanation:
        parts += [f"<h3>{_text(subject)}</h3>", f"<p>{_text(text)}</p>"]
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

    ``sources`` gives the image address of each chart (``measures.report.chart_sources``); a
    chart without one is left out."""
    title = f"Rapport voor de raad – {koploper_name}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="nl">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{_text(title)}</title>",
            '<meta name="author" content="Koplopermonitor">',
            f'<meta name="description" content="{_text(title)}: '
            f'{_text(wave_name(fig.baseline))} en {_text(wave_name(fig.followup))}">',
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            _front(fig, koploper_name, questionnaires, made_on),
            _goal_sections(fig, koploper_name, questionnaires, sources),
            _appendix(explanation, methods_text),
            "</body>",
            "</html>",
        ]
    )
