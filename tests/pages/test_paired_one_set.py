"""One set of figures for the change of the same people: the page's table and the Excel sheet
"Dezelfde mensen" show exactly ``Figures.paired`` (withheld in both, or the same number in both),
and the explanation sheet says what "dezelfde mensen" means."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from functools import cache

import pandas as pd
from openpyxl import load_workbook

from measures import check_responses, load_indicators, score
from measures.counts import from_scored
from measures.dutch import difference_text, p_text
from measures.figures import Figures, figures
from measures.panel import panel_change
from measures.synthetic import synthetic_responses
from pages.ui.dashboard_panel import PAIRS_COLUMN, paired_frame
from pages.ui.dashboard_view import estimate_text
from reports.downloads import figures_xlsx
from surveys.numbers import NO_FIGURE
from surveys.vocabulary import (
    QUESTIONNAIRES,
    SAME_PEOPLE,
    SAME_PEOPLE_EXPLAINED,
    SUPPRESSED,
    wave_title,
)

KOPLOPER, NAME = "almere", "Almere"
KOPLOPERS = ("almere", "breda", "delft", "ede", "gouda", "hengelo")
PANEL = {"client": 35, "professional": 7}
"""Pairs per questionnaire: figures for the clients, withheld for the professionals."""


@cache
def _figures() -> Figures:
    indicators = load_indicators()
    wide = synthetic_responses(KOPLOPERS, per_group=60, seed=19, improvement=1.2)
    scored = score(check_responses(wide, indicators), indicators)
    panel = {}
    for questionnaire, count in PANEL.items():
        own = wide[(wide["koploper"] == KOPLOPER) & (wide["questionnaire"] == questionnaire)]
        for wave in ("T0", "T1"):
            ids = own.loc[own["wave"] == wave, "response_id"].iloc[:count]
            panel |= {rid: f"{questionnaire}-{n}" for n, rid in enumerate(ids)}
    counts = from_scored(scored, KOPLOPER, {"almere", "breda", "delft"}, indicators)
    fig = figures(counts, indicators, "T0", "T1", koploper_name=NAME)
    return replace(fig, paired=panel_change(scored, panel, KOPLOPER, "T0", "T1", indicators))


def _close(written: object, truth: float) -> bool:
    if written is None or truth is None or (isinstance(truth, float) and math.isnan(truth)):
        return written is None and (truth is None or math.isnan(truth))
    return math.isclose(float(written), float(truth), rel_tol=1e-9, abs_tol=1e-12)


def test_there_are_shown_and_withheld_paired_figures() -> None:
    paired = _figures().paired
    assert (paired["flag"] == SUPPRESSED).any() and (paired["flag"] != SUPPRESSED).any()


def test_the_page_table_shows_the_paired_figures() -> None:
    fig = _figures()
    settings = load_indicators().settings
    for questionnaire in PANEL:
        table = paired_frame(fig, questionnaire, settings, details=True)
        truth = fig.paired[fig.paired["questionnaire"] == questionnaire].set_index("label")
        assert set(table["Indicator"]) == set(truth.index)
        for line in table.to_dict("records"):
            row = truth.loc[line["Indicator"]]
            kind = row["kind"]
            assert line[wave_title("T0")] == estimate_text(
                row["estimate_baseline"], row["flag"], kind
            )
            assert line[wave_title("T1")] == estimate_text(
                row["estimate_followup"], row["flag"], kind
            )
            if row["flag"] == SUPPRESSED:
                assert line["Verschil"] == line["p-waarde"] == NO_FIGURE
                assert line[PAIRS_COLUMN] in ("minder dan 10", "0")
            else:
                assert line["Verschil"] == difference_text(row["difference"], kind)
                assert line["p-waarde"] == p_text(row["p_value"])
                assert line[PAIRS_COLUMN] == str(int(row["n_pairs"]))


def test_the_excel_sheet_holds_the_same_numbers_and_the_explanation() -> None:
    fig = _figures()
    book = load_workbook(io.BytesIO(figures_xlsx(fig, NAME, list(QUESTIONNAIRES), [])))
    sheet = book[SAME_PEOPLE]
    header = [c.value for c in sheet[2]]
    rows = [
        dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert len(rows) == len(fig.paired)
    truth = fig.paired.assign(
        where=[QUESTIONNAIRES[q] for q in fig.paired["questionnaire"]]
    ).set_index(["where", "label"])
    columns = {
        "Paren (n)": "n_pairs",
        "Schatting Nulmeting (T0)": "estimate_baseline",
        "Verschil": "difference",
        f"{fig.settings.interval} verschil ondergrens": "diff_ci_low",
        "p-waarde": "p_value",
        "q-waarde": "q_value",
    }
    for row in rows:
        expected = truth.loc[(row["Vragenlijst"], row["Indicator"])]
        for header_name, column in columns.items():
            assert _close(row[header_name], expected[column]), (row["Indicator"], header_name)
        assert (row["Teken"] or "") == expected["flag"]
    explained = [r[1] for r in book["Uitleg"].iter_rows(values_only=True)]
    assert SAME_PEOPLE_EXPLAINED in explained


def test_without_pairs_no_sheet_and_no_explanation() -> None:
    fig = replace(_figures(), paired=pd.DataFrame(columns=_figures().paired.columns))
    book = load_workbook(io.BytesIO(figures_xlsx(fig, NAME, list(QUESTIONNAIRES), [])))
    assert SAME_PEOPLE not in book.sheetnames
    assert SAME_PEOPLE_EXPLAINED not in [r[1] for r in book["Uitleg"].iter_rows(values_only=True)]
