"""One set of figures, one suppression decision, behind every output of a dashboard view.

For many views (no subgroup, and every category of several subgroups, where complementary
suppression hides figures of the koploper to protect a small group), the estimate of each group
at each wave is read back from the page's tables, the chart's traces, the Excel file, the CSV and
the council report's table, and must be the one in ``Figures.estimates``: shown in all of them,
or withheld in all of them. (Issue 17, point 7: the page showed the other koplopers' 63 % while
the report's table said "onderdrukt" and its chart plotted the value.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from functools import cache
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from measures import check_responses, load_indicators, score
from measures.charts import BAND, indicator_chart
from measures.counts import from_scored
from measures.dutch import value_text
from measures.figures import Figures, figures
from measures.indicators import PROPORTION
from measures.subgroups import subgroup_choices
from measures.synthetic import synthetic_responses
from pages.ui.dashboard_view import REFERENCES, estimate_text, figures_frame
from reports.downloads import figures_csv, figures_xlsx
from reports.report import report_html
from surveys.numbers import whole
from surveys.vocabulary import (
    COHORT,
    COMPLEMENT_REASON,
    OTHERS,
    OWN,
    QUESTIONNAIRES,
    wave_title,
    wave_with_code,
)

KOPLOPER, NAME = "almere", "Almere"
KOPLOPERS = ("almere", "breda", "delft", "ede", "gouda", "hengelo", "leiden", "zwolle")
COHORT_MEMBERS = {"almere", "breda", "delft", "ede"}
SUBGROUPS = ("role", "age_group", "filled_by", "target_group")
QUESTIONNAIRE_KEYS = list(QUESTIONNAIRES)
GROUP_OF = {label: group for group, label in REFERENCES.items()}
COLUMN_OF = {OWN: "Schatting", OTHERS: "Overige koplopers", COHORT: "Cohort"}


@cache
def _scored():
    indicators = load_indicators()
    wide = synthetic_responses(KOPLOPERS, per_group=90, seed=11, improvement=1.2)
    return indicators, score(check_responses(wide, indicators), indicators)


@cache
def _counts(subgroup: str | None):
    indicators, scored = _scored()
    return from_scored(scored, KOPLOPER, COHORT_MEMBERS, indicators, subgroup)


def _views() -> list[tuple[str | None, int | None, str, str]]:
    indicators, _ = _scored()
    choices = subgroup_choices(indicators)
    views = [(None, None, "T0", "T1"), (None, None, "T0", "T0")]
    for key in SUBGROUPS:
        for category in choices[key].categories:
            views.append((key, category, "T0", "T1"))
    return views


VIEWS = _views()


@cache
def _figures(subgroup: str | None, category: int | None, baseline: str, followup: str) -> Figures:
    indicators, _ = _scored()
    multiple = subgroup is not None and subgroup_choices(indicators)[subgroup].multiple
    return figures(
        _counts(subgroup),
        indicators,
        baseline,
        followup,
        category=category,
        multiple=multiple,
        total=_counts(None) if multiple else None,
        koploper_name=NAME,
    )


def _truth(fig: Figures) -> dict[tuple[str, str, str, str], float | None]:
    """(group, wave, questionnaire, indicator) → the estimate of ``Figures.estimates``."""
    table = fig.estimates[fig.estimates["wave"].isin(fig.waves)]
    return {
        (r["group"], r["wave"], r["questionnaire"], r["indicator"]): (
            None if math.isnan(r["estimate"]) else float(r["estimate"])
        )
        for r in table.to_dict("records")
    }


def _kind(fig: Figures, questionnaire: str, indicator: str) -> str:
    rows = fig.estimates[
        (fig.estimates["questionnaire"] == questionnaire)
        & (fig.estimates["indicator"] == indicator)
    ]
    return str(rows["kind"].iloc[0])


def _label(fig: Figures, questionnaire: str, indicator: str) -> str:
    rows = fig.estimates[
        (fig.estimates["questionnaire"] == questionnaire)
        & (fig.estimates["indicator"] == indicator)
    ]
    return str(rows["label"].iloc[0])


def _pairs(fig: Figures) -> list[tuple[str, str]]:
    table = fig.estimates
    return list(dict.fromkeys(zip(table["questionnaire"], table["indicator"], strict=True)))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- reading each output back -------------------------------------------------------------------


def _from_chart(fig: Figures, questionnaire: str, indicator: str) -> dict[tuple[str, str], float]:
    """(group, wave) → the value the chart draws (as a fraction for a share)."""
    chart = indicator_chart(fig, questionnaire, indicator, NAME)
    factor = 100.0 if _kind(fig, questionnaire, indicator) == PROPORTION else 1.0
    titles = {wave_title(w): w for w in fig.waves}
    axis = [titles[t] for t in chart.layout.xaxis.ticktext]
    drawn: dict[tuple[str, str], float] = {}
    for trace in chart.data:
        meta = trace.meta or {}
        if meta.get("role") != "estimate":
            continue
        if meta["group"] == OTHERS:  # the dashed line: two points per wave, None between
            for x, y in zip(trace.x, trace.y, strict=True):
                if x is not None:
                    drawn[(OTHERS, axis[round(x - BAND[0])])] = y / factor
        else:
            for wave, y in zip(trace.customdata, trace.y, strict=True):
                drawn[(meta["group"], wave)] = y / factor
    return drawn


class _Tables(HTMLParser):
    """The report's tables: per indicator (its <h4>) the rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._heading: str | None = None
        self._in_h4 = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "h4":
            self._in_h4, self._heading = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "h4":
            self._in_h4 = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._heading is not None:
                self.tables.setdefault(self._heading, []).append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_h4:
            self._heading = (self._heading or "") + data
        if self._cell is not None:
            self._cell.append(data)


def _number_in(text: str) -> float | None:
    """'63,0 %' → 63.0; '7,9' → 7.9; a withheld cell → None."""
    found = re.search(r"-?\d+(?:\.\d{3})*(?:,\d+)?", text)
    if found is None:
        return None
    return float(found[0].replace(".", "").replace(",", "."))


def _as_written(value: float | None, kind: str) -> float | None:
    """The value as the text shows it, rounded to what is written."""
    return None if value is None else _number_in(value_text(value, kind))


# --- the test -----------------------------------------------------------------------------------


def test_the_views_include_figures_withheld_to_protect_a_small_group() -> None:
    """Without such views the test below would prove little."""
    protected = 0
    for view in VIEWS:
        fig = _figures(*view)
        protected += int((fig.estimates["reason"] == COMPLEMENT_REASON).sum())
    assert protected > 10


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "-".join(str(p) for p in v))
def test_page_chart_excel_csv_and_report_show_the_same_figures(view) -> None:
    fig = _figures(*view)
    truth = _truth(fig)
    indicators, _ = _scored()
    settings = indicators.settings
    assert truth, "a view without figures proves nothing"

    # The chart (the page and the report draw the same function).
    for questionnaire, indicator in _pairs(fig):
        drawn = _from_chart(fig, questionnaire, indicator)
        for group in (OWN, OTHERS, COHORT):
            for wave in fig.waves:
                value = truth.get((group, wave, questionnaire, indicator))
                assert _close(drawn.get((group, wave)), value), (group, wave, indicator)

    # The page's table of figures under each chart (and its counts: the Excel file and the
    # report write each the same, 'minder dan 10' where it is withheld).
    page_n = {}
    for questionnaire, indicator in _pairs(fig):
        kind = _kind(fig, questionnaire, indicator)
        table = figures_frame(fig, questionnaire, indicator, NAME, settings)
        for line in table.to_dict("records"):
            group = (
                OWN if line["Wie"] == NAME else {v: k for k, v in REFERENCES.items()}[line["Wie"]]
            )
            wave = next((w for w in fig.waves if wave_title(w) == line["Meting"]), None)
            page_n[(group, wave or fig.followup, questionnaire, indicator)] = line["n"]
            if wave is None:  # a wave without answers: no figure
                assert line["Cijfer"] == estimate_text(None, "onderdrukt", kind)
                continue
            value = truth.get((group, wave, questionnaire, indicator))
            flag = "" if value is not None else "onderdrukt"
            assert line["Cijfer"].split(" (")[0] == estimate_text(value, flag, kind).split(" (")[0]

    # The Excel file: each goal sheet lists the koploper per wave and the references beside it.
    book = load_workbook(io.BytesIO(figures_xlsx(fig, NAME, QUESTIONNAIRE_KEYS, [])))
    labels = {(QUESTIONNAIRES[q], _label(fig, q, i)): (q, i) for q, i in _pairs(fig)}
    waves_of = {wave_with_code(w): w for w in fig.waves}
    checked = 0
    for sheet in book.worksheets:
        header = [c.value for c in sheet[2]]
        if "Schatting" not in header or "Overige koplopers" not in header:
            continue
        for row in sheet.iter_rows(min_row=3, values_only=True):
            if row[0] not in QUESTIONNAIRES.values() or row[2] not in waves_of:
                continue
            questionnaire, indicator = labels[(row[0], row[1])]
            wave = waves_of[row[2]]
            cells = dict(zip(header, row, strict=False))
            written_n = whole(cells["n"]) if isinstance(cells["n"], int) else cells["n"]
            assert written_n == page_n[(OWN, wave, questionnaire, indicator)], (sheet.title, row)
            for group, column in (
                (OWN, "Schatting"),
                (OTHERS, "Overige koplopers"),
                (COHORT, "Eigen cohort"),
            ):
                assert _close(cells[column], truth.get((group, wave, questionnaire, indicator))), (
                    sheet.title,
                    group,
                    wave,
                    indicator,
                )
                checked += 1
    assert checked or not any(group == OWN for group, *_ in truth)

    # The CSV: the koploper at the baseline and the follow-up.
    if fig.baseline != fig.followup:
        rows = list(
            csv.DictReader(io.StringIO(figures_csv(fig, KOPLOPER, QUESTIONNAIRE_KEYS).decode()))
        )
        assert rows or not len(fig.changes)
        for row in rows:
            key = (row["questionnaire"], row["indicator"])
            for side, wave in (("baseline", fig.baseline), ("followup", fig.followup)):
                written = float(row[f"estimate_{side}"]) if row[f"estimate_{side}"] else None
                truth_value = truth.get((OWN, wave, *key))
                assert (written is None) == (truth_value is None), (side, key)
                if written is not None:
                    assert math.isclose(written, truth_value, rel_tol=1e-6), (side, key)

    # The council report's table: the koploper per wave, the references at the follow-up.
    references = {"Overige koplopers": OTHERS, "Eigen cohort": COHORT}
    parsed = {}
    for questionnaire in QUESTIONNAIRE_KEYS:  # one at a time: both may have a 'Bekendheid'
        html = report_html(fig, NAME, [questionnaire], {}, [], "", dt.date(2026, 12, 5))
        parsed[questionnaire] = _Tables()
        parsed[questionnaire].feed(html)
    for questionnaire, indicator in _pairs(fig):
        label = _label(fig, questionnaire, indicator)
        kind = _kind(fig, questionnaire, indicator)
        table = parsed[questionnaire].tables.get(label)
        if table is None:
            continue  # an indicator the report leaves out altogether shows no figure at all
        for cells in table:
            header, figure = cells[0], cells[2] if len(cells) > 2 else ""
            wave = next((w for w in fig.waves if header.startswith(wave_title(w))), None)
            group = next((g for name, g in references.items() if header.startswith(name)), None)
            if group is not None:
                wave = fig.followup
            elif wave is not None:
                group = OWN
            else:
                continue
            value = truth.get((group, wave, questionnaire, indicator))
            assert _number_in(figure) == _as_written(value, kind), (header, figure, indicator)
            assert cells[1] == page_n[(group, wave, questionnaire, indicator)], (header, cells)
