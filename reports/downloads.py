"""The figures of one dashboard view as files: Excel for the municipality, CSV for analysts.

Both come from the same :class:`~measures.figures.Figures`, already suppressed, so a figure
withheld on the page is an empty cell here, with the reason beside it. The CSV has the columns of
``python -m measures compare`` (fractions, an empty cell for no figure, never "nan") plus
``reason``. The Excel file has Dutch headers, percentages as numbers with a percent format, a sheet
per goal and a sheet with the explanation, written by XlsxWriter (:mod:`reports.excel_book`).
Text that a spreadsheet would run as a formula gets a leading apostrophe
(``surveys.spreadsheet.formula_safe``). Bytes out; the page offers them for download and records
that in the audit log.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from measures.cli import COMPARE_COLUMNS, write_table
from measures.figures import Figures, overview
from measures.groups import in_view
from measures.indicators import PROPORTION, Settings
from measures.panel import TEST_NAMES
from measures.suppression import count_text
from reports.excel_book import BOLD, TITLE, WRAP, Book
from surveys.vocabulary import (
    COHORT,
    DIRECTION_WORDS,
    GOALS,
    OTHERS,
    OWN,
    QUESTIONNAIRES,
    REFERENCE_LABELS,
    RESPONSE,
    SAME_PEOPLE,
    SAME_PEOPLE_EXPLAINED,
    fewer_than,
    wave_name,
    wave_with_code,
)

CSV_COLUMNS = [*COMPARE_COLUMNS, "reason"]
OVERVIEW_SHEET = "Overzicht"
EXPLANATION_SHEET = "Uitleg"
NOTHING_TO_SHOW = "Geen cijfers in deze weergave."
OVERVIEW_EXTRA = ["diff_ci_low", "diff_ci_high", "effect_size", "reason", "wording"]
"""Columns of a change the overview sheet shows, empty when there is no change."""
PERCENT = "0.0%"
NUMBER = "0.0"
COUNT = "0"
Q_VALUE = "0.000"
EFFECT = "0.00"


def download_name(koploper_slug: str, day: dt.date, extension: str) -> str:
    """'koplopermonitor-tilburg-2025-03-14.xlsx'."""
    return f"koplopermonitor-{koploper_slug}-{day.isoformat()}.{extension.lstrip('.')}"


# --- CSV ----------------------------------------------------------------------------------------


def figures_csv(fig: Figures, koploper: str, questionnaires: Sequence[str]) -> bytes:
    """The change table as ``python -m measures compare`` writes it, plus ``reason``.

    ``koploper`` (the slug) fills the ``koploper`` column. UTF-8, comma-separated, fractions,
    empty cells for no figure; text cells formula-safe.
    """
    changes = in_view(fig.changes, questionnaires)
    table = (
        changes.reindex(columns=CSV_COLUMNS)
        if not changes.empty
        else pd.DataFrame(columns=CSV_COLUMNS)
    )
    table = table.assign(koploper=koploper)
    out = io.StringIO()
    write_table(table, None, out)
    return out.getvalue().encode("utf-8")


# --- Excel --------------------------------------------------------------------------------------


def _number(value: object) -> float | int | None:
    """A figure for a cell, or None (an empty cell) when there is none."""
    if value is None or isinstance(value, (str, bool)):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return int(value) if isinstance(value, (int, np.integer)) else number


def _count(value: object, settings: Settings) -> int | str:
    """A count for a cell: a whole number, or 'minder dan 10' where it is withheld, as the page
    and the report write it (``measures.suppression.count_text``)."""
    number = _number(value)
    return count_text(value, settings) if number is None else int(number)


def _reasons(*texts: object) -> str:
    """The distinct reasons (and a note that a question was asked differently), in order,
    joined by '; '."""
    seen: list[str] = []
    for text in texts:
        if isinstance(text, str) and text and text not in seen:
            seen.append(text)
    return "; ".join(seen)


class _Symbol(str):
    """A direction sign of our own (▲, ▼, =, –), written as text as it is."""


class _Sheet:
    """Writes one sheet: a title row, a frozen header row, rows with number formats; the
    columns in ``wrap`` wrap their text under the header row."""

    def __init__(
        self, book: Book, name: str, title: str, headers: list[str], wrap: set[int] | None = None
    ) -> None:
        self.book = book
        self.sheet = book.workbook.add_worksheet(name)
        self.headers = headers
        self.widths = [len(h) for h in headers]
        self.wrap = wrap or set()
        self.next_row = 0
        self.rows = 0
        self.note(title, **TITLE)
        self.header(headers)
        self.sheet.freeze_panes(2, 0)

    def _cell(self, column: int, value: object, **properties: object) -> None:
        if self.next_row >= 2 and column in self.wrap:
            properties.update(WRAP)
        if isinstance(value, _Symbol):
            self.book.symbol(self.sheet, self.next_row, column, str(value), **properties)
        else:
            self.book.write(self.sheet, self.next_row, column, value, **properties)

    def header(self, headers: list[str]) -> None:
        """A row of bold headers."""
        for column, header in enumerate(headers):
            self._cell(column, header, **BOLD)
        self.next_row += 1

    def add(self, values: list[object], formats: dict[int, str] | None = None) -> None:
        """A row; ``formats`` maps a column position to its number format."""
        formats = formats or {}
        for column, value in enumerate(values):
            if column in formats:
                self._cell(column, value, num_format=formats[column])
            else:
                self._cell(column, value)
            if column < len(self.widths) and value is not None:
                length = len(value) if isinstance(value, str) else 8
                self.widths[column] = max(self.widths[column], length)
        self.next_row += 1
        self.rows += 1

    def note(self, text: str, **properties: object) -> None:
        """A line of text in the first column."""
        self._cell(0, text, **properties)
        self.next_row += 1

    def finish(self) -> None:
        if self.rows == 0:
            self.note(NOTHING_TO_SHOW)
        for position, width in enumerate(self.widths):
            limit = 80 if position in self.wrap else 45
            self.sheet.set_column(position, position, min(max(width, 8), limit) + 2)


VALUE = "value"
"""A column in the indicator's unit: a percent format for a share, one decimal for a mean."""
OVERVIEW_FORMATS = (None, None, None, COUNT, VALUE, COUNT, VALUE, VALUE, VALUE, VALUE, Q_VALUE,
                    EFFECT, None, None, VALUE, VALUE, None, None)  # fmt: skip
"""The number format of each column of the overview sheet (None: text)."""
GOAL_FORMATS = (None, None, None, COUNT, VALUE, VALUE, VALUE, VALUE, VALUE, VALUE, Q_VALUE,
                EFFECT, None, None, None, VALUE, VALUE)  # fmt: skip
"""The number format of each column of a goal's sheet (None: text)."""


def _value_format(kind: str) -> str:
    """The number format of a figure in its indicator's unit: percent for a share, else one
    decimal."""
    return PERCENT if kind == PROPORTION else NUMBER


def _formats(columns: Sequence[str | None], kind: str) -> dict[int, str]:
    """Column position → number format, for a row of an indicator of ``kind``."""
    value = _value_format(kind)
    return {i: value if f == VALUE else f for i, f in enumerate(columns) if f is not None}


def _benchmark_lookup(fig: Figures) -> dict[tuple[str, str, str, str], pd.Series]:
    """(wave, reference, questionnaire, indicator) → the benchmark row."""
    if fig.benchmarks.empty:
        return {}
    return {
        (row.wave, row.reference, row.questionnaire, row.indicator): row
        for row in fig.benchmarks.itertuples(index=False)
    }


def _overview(book: Book, fig: Figures, title: str, changes: pd.DataFrame, benchmarks) -> None:
    base, follow = wave_with_code(fig.baseline), wave_with_code(fig.followup)
    interval = fig.settings.interval
    headers = [
        "Doel",
        "Vragenlijst",
        "Indicator",
        f"n {base}",
        f"Schatting {base}",
        f"n {follow}",
        f"Schatting {follow}",
        "Verschil",
        f"{interval} verschil ondergrens",
        f"{interval} verschil bovengrens",
        "q-waarde",
        "Effectgrootte",
        "Richting",
        "Betekenis",
        f"{REFERENCE_LABELS[OTHERS]} {follow}",
        f"{REFERENCE_LABELS[COHORT]} {follow}",
        "Teken",
        "Reden",
    ]
    sheet = _Sheet(book, OVERVIEW_SHEET, f"{title}: {base} tegen {follow}", headers, {2, 17})
    goal_order = {goal: position for position, goal in enumerate(GOALS)}
    in_goal_order = changes.sort_values(
        "goal", key=lambda goals: goals.map(goal_order), kind="stable"
    )
    for row in in_goal_order.itertuples(index=False):
        others = benchmarks.get((fig.followup, OTHERS, row.questionnaire, row.indicator))
        cohort = benchmarks.get((fig.followup, COHORT, row.questionnaire, row.indicator))
        sheet.add(
            [
                GOALS.get(row.goal, row.goal),
                QUESTIONNAIRES.get(row.questionnaire, row.questionnaire),
                row.label,
                _count(row.n_baseline, fig.settings),
                _number(row.estimate_baseline),
                _count(row.n_followup, fig.settings),
                _number(row.estimate_followup),
                _number(row.difference),
                _number(row.diff_ci_low),
                _number(row.diff_ci_high),
                _number(row.q_value),
                _number(row.effect_size),
                _Symbol(row.direction),
                DIRECTION_WORDS.get(row.direction, ""),
                None if others is None else _number(others.estimate_reference),
                None if cohort is None else _number(cohort.estimate_reference),
                row.flag,
                _reasons(
                    row.reason,
                    None if others is None else others.reason,
                    None if cohort is None else cohort.reason,
                    getattr(row, "wording", ""),
                ),
            ],
            _formats(OVERVIEW_FORMATS, row.kind),
        )
    sheet.finish()


def _goal_headers(fig: Figures) -> list[str]:
    """The columns of a goal's sheet; the change is the one from the baseline."""
    baseline, interval = fig.baseline, fig.settings.interval
    return [
        "Vragenlijst",
        "Indicator",
        "Meting",
        "n",
        "Schatting",
        f"{interval} ondergrens",
        f"{interval} bovengrens",
        f"Verschil met {wave_name(baseline)} ({baseline})",
        f"{interval} verschil ondergrens",
        f"{interval} verschil bovengrens",
        "q-waarde",
        "Effectgrootte",
        "Richting",
        "Teken",
        "Reden",
        REFERENCE_LABELS[OTHERS],
        REFERENCE_LABELS[COHORT],
    ]


def _goal_sheet(
    book: Book,
    fig: Figures,
    goal: str,
    name: str,
    title: str,
    estimates: pd.DataFrame,
    changes: pd.DataFrame,
    benchmarks,
) -> _Sheet:
    headers = _goal_headers(fig)
    sheet = _Sheet(book, name, f"{title}: {name}", headers, {1, 14})
    own = estimates[(estimates["group"] == OWN) & (estimates["goal"] == goal)]
    change_of = {(r.questionnaire, r.indicator): r for r in changes.itertuples(index=False)}
    order = list(dict.fromkeys(zip(own["questionnaire"], own["indicator"], strict=True)))
    waves = {w: i for i, w in enumerate(fig.waves)}
    for questionnaire, indicator in order:
        rows = own[(own["questionnaire"] == questionnaire) & (own["indicator"] == indicator)]
        rows = rows.sort_values("wave", key=lambda s: s.map(waves).fillna(len(waves)))
        for row in rows.itertuples(index=False):
            change = change_of.get((questionnaire, indicator)) if row.wave == fig.followup else None
            others = benchmarks.get((row.wave, OTHERS, questionnaire, indicator))
            cohort = benchmarks.get((row.wave, COHORT, questionnaire, indicator))
            sheet.add(
                [
                    QUESTIONNAIRES.get(questionnaire, questionnaire),
                    row.label,
                    wave_with_code(row.wave),
                    _count(row.n, fig.settings),
                    _number(row.estimate),
                    _number(row.ci_low),
                    _number(row.ci_high),
                    None if change is None else _number(change.difference),
                    None if change is None else _number(change.diff_ci_low),
                    None if change is None else _number(change.diff_ci_high),
                    None if change is None else _number(change.q_value),
                    None if change is None else _number(change.effect_size),
                    None if change is None else _Symbol(change.direction),
                    row.flag,
                    _reasons(
                        row.reason,
                        None if change is None else change.reason,
                        None if others is None else others.reason,
                        None if cohort is None else cohort.reason,
                        None if change is None else getattr(change, "wording", ""),
                    ),
                    None if others is None else _number(others.estimate_reference),
                    None if cohort is None else _number(cohort.estimate_reference),
                ],
                _formats(GOAL_FORMATS, row.kind),
            )
    return sheet


PROFILE_HEADERS = [
    "Vragenlijst",
    "Vraag",
    "Antwoord",
    "Meting",
    "Aantal",
    "Beantwoord",
    "Aandeel",
    "Teken",
    "Reden",
]


def _profile_rows(sheet: _Sheet, profile: pd.DataFrame, settings: Settings) -> None:
    """Who answered (under Inzicht): a second table below the indicators."""
    if profile.empty:
        return
    sheet.note("")
    sheet.note("Wie vulden de vragenlijst in", **BOLD)
    sheet.header(PROFILE_HEADERS)
    for row in profile.itertuples(index=False):
        sheet.add(
            [
                QUESTIONNAIRES.get(row.questionnaire, row.questionnaire),
                row.question,
                row.category,
                wave_with_code(row.wave),
                _number(row.count),
                _count(row.answered, settings),
                _number(row.share),
                row.flag,
                row.reason,
            ],
            {4: COUNT, 5: COUNT, 6: PERCENT},
        )


def _paired_sheet(book: Book, fig: Figures, title: str, paired: pd.DataFrame) -> None:
    """The change for the same people (``Figures.paired``): a sheet of its own, only when some
    panel respondents answered at both waves."""
    base, follow = wave_with_code(fig.baseline), wave_with_code(fig.followup)
    headers = [
        "Doel",
        "Vragenlijst",
        "Indicator",
        "Paren (n)",
        f"Schatting {base}",
        f"Schatting {follow}",
        "Verschil",
        f"{fig.settings.interval} verschil ondergrens",
        f"{fig.settings.interval} verschil bovengrens",
        "Toets",
        "p-waarde",
        "Toets ernaast",
        "p-waarde ernaast",
        "q-waarde",
        "Effectgrootte",
        "Richting",
        "Betekenis",
        "Teken",
        "Reden",
    ]
    sheet = _Sheet(book, SAME_PEOPLE, f"{title}: {SAME_PEOPLE.lower()}, {base} tegen {follow}",
                   headers, {2, 18})  # fmt: skip
    goal_order = {goal: position for position, goal in enumerate(GOALS)}
    ordered = paired.sort_values("goal", key=lambda goals: goals.map(goal_order), kind="stable")
    for row in ordered.itertuples(index=False):
        value = _value_format(row.kind)
        sheet.add(
            [
                GOALS.get(row.goal, row.goal),
                QUESTIONNAIRES.get(row.questionnaire, row.questionnaire),
                row.label,
                _number(row.n_pairs),
                _number(row.estimate_baseline),
                _number(row.estimate_followup),
                _number(row.difference),
                _number(row.diff_ci_low),
                _number(row.diff_ci_high),
                TEST_NAMES.get(row.test, ""),
                _number(row.p_value),
                TEST_NAMES.get(row.rank_test, ""),
                _number(row.p_value_rank),
                _number(row.q_value),
                _number(row.effect_size),
                _Symbol(row.direction),
                DIRECTION_WORDS.get(row.direction, ""),
                row.flag,
                _reasons(row.reason),
            ],
            {3: COUNT, 4: value, 5: value, 6: value, 7: value, 8: value, 10: Q_VALUE,
             12: Q_VALUE, 13: Q_VALUE, 14: EFFECT},
        )  # fmt: skip
    sheet.finish()


def _explanation(
    book: Book,
    title: str,
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    explanation: Sequence[tuple[str, str]],
    response: Sequence[str] = (),
) -> None:
    sheet = _Sheet(book, EXPLANATION_SHEET, f"{title}: uitleg", ["Onderwerp", "Uitleg"], {1})
    about = [
        ("Koploper", koploper_name),
        (
            "Vragenlijst",
            ", ".join(QUESTIONNAIRES.get(q, q) for q in questionnaires) or "geen",
        ),
        (
            "Vergelijking",
            f"{wave_name(fig.baseline)} ({fig.baseline}) tegen "
            f"{wave_name(fig.followup)} ({fig.followup})",
        ),
        *((RESPONSE, line) for line in response),
        (
            "Lege cel",
            "Een lege cel betekent: hier staat geen cijfer. In de kolom Reden staat waarom, "
            "bijvoorbeeld te weinig antwoorden. Een aantal dat we niet tonen, staat er als "
            f"'{fewer_than(fig.settings.min_n)}'.",
        ),
        (
            "Percentages",
            "Percentages staan als getal in de cel, met een procentopmaak. Verschillen tussen "
            "percentages zijn procentpunten.",
        ),
    ]
    if not in_view(fig.paired, questionnaires).empty:
        about.append((SAME_PEOPLE, SAME_PEOPLE_EXPLAINED))
    for subject, text in [*about, *explanation]:
        sheet.add([subject, text])
    sheet.finish()


def figures_xlsx(
    fig: Figures,
    koploper_name: str,
    questionnaires: list[str],
    explanation: Sequence[tuple[str, str]],
    response: Sequence[str] = (),
) -> bytes:
    """The figures of the view as an Excel workbook (.xlsx bytes).

    Sheets: "Overzicht" (every indicator with ▲/▼/= and the numbers), one per goal, "Dezelfde
    mensen" (the paired change of a panel, only when there are pairs), "Uitleg" (with a row
    "Respons" for each line of ``response``: ``measures.response_rates.response_lines``, the
    response of the view's waves with codes).
    Proportions are fractions with a percent format, means and theme scores numbers with one
    decimal; a withheld figure is an empty cell with the reason in "Reden".
    """
    title = f"Koplopermonitor {koploper_name}"
    book = Book(title)
    estimates = in_view(fig.estimates, questionnaires)
    changes = in_view(fig.changes, questionnaires)
    benchmarks = _benchmark_lookup(fig)
    if changes.empty:  # one wave: the overview lists each indicator with that wave's estimate
        rows = in_view(overview(fig), questionnaires)
        changes_or_rows = rows.reindex(columns=[*rows.columns, *OVERVIEW_EXTRA])
    else:
        changes_or_rows = changes
    _overview(book, fig, title, changes_or_rows, benchmarks)
    for goal, name in GOALS.items():
        sheet = _goal_sheet(book, fig, goal, name, title, estimates, changes, benchmarks)
        if goal == "profile":
            _profile_rows(sheet, in_view(fig.profile, questionnaires), fig.settings)
        sheet.finish()
    paired = in_view(fig.paired, questionnaires)
    if not paired.empty:
        _paired_sheet(book, fig, title, paired)
    _explanation(book, title, fig, koploper_name, questionnaires, explanation, response)
    return book.to_bytes()


__all__ = ["CSV_COLUMNS", "download_name", "figures_csv", "figures_xlsx"]
