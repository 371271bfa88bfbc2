"""The files of Vergelijken's table (reports.compare_downloads): the page's figures, one decimal,
nothing withheld shown, and no formula run by a spreadsheet."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd

from reports.compare_downloads import comparison_csv, comparison_rows, comparison_xlsx

CHANGES = pd.DataFrame(
    {
        "koploper": ["tilburg", "tilburg", "breda"],
        "name": ["Tilburg", '=HYPERLINK("http://x")', "Breda"],
        "cohort": ["Tweede cohort"] * 3,
        "questionnaire": ["client", "client", "professional"],
        "indicator": ["aware_oco", "grade", "aware_offer"],
        "label": ["Bekendheid", "Rapportcijfer", "+Aanbod bekend"],
        "kind": ["proportion", "mean", "proportion"],
        "direction": ["▲", "=", None],
        "difference": [0.1135, 0.25, np.nan],
        "estimate_baseline": [0.4125, 7.04, 0.5],
        "n_baseline": [120.0, 80.0, np.nan],
        "estimate_followup": [0.526, 7.29, np.nan],
        "n_followup": [130.0, 90.0, 6.0],
        "q_value": [0.0123, 0.41, np.nan],
        "flag": ["", "indicatief", "onderdrukt"],
    }
)


def test_the_rows_have_the_page_s_figures_in_percent_with_one_decimal():
    rows = comparison_rows(CHANGES, "T0", "T1", 10)
    # 11,35 → 11,3 and 0,25 → 0,2, as the page prints them; nothing where the page has none
    assert list(rows["Verandering"][:2]) == [11.3, 0.2] and pd.isna(rows["Verandering"][2])
    assert list(rows["Nulmeting"]) == [41.2, 7.0, 50.0]
    # a withheld count (empty in the table) as the page writes it
    assert list(rows["n nulmeting"]) == [120, 80, "minder dan 10"]
    assert list(rows["Richting"]) == [
        "▲ duidelijk hoger",
        "= niet duidelijk anders",
        "– geen cijfer",
    ]
    assert rows["Eenheid"].iloc[0].startswith("procent") and "punten" in rows["Eenheid"].iloc[1]


def test_the_excel_file_writes_numbers_signs_as_text_and_defuses_formulas():
    rows = comparison_rows(CHANGES, "T0", "T1", 10)
    book = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(rows, "Titel", ["Uitleg 1"])))
    sheet = book["Vergelijken"]
    headers = [c.value for c in sheet[2]]
    cell = dict(zip(headers, sheet[4], strict=True))
    assert cell["Koploper"].value == '\'=HYPERLINK("http://x")'
    assert cell["Richting"].value == "= niet duidelijk anders" and cell["Richting"].quotePrefix
    assert cell["Verandering"].value == 0.2 and cell["Verandering"].number_format == "0.0"
    last = dict(zip(headers, sheet[5], strict=True))
    assert last["Indicator"].value == "'+Aanbod bekend"
    assert last["Verandering"].value is None and last["Let op"].value == "te weinig antwoorden"
    assert last["n nulmeting"].value == "minder dan 10" and cell["n nulmeting"].value == 80
    assert book["Uitleg"]["A2"].value == "Uitleg 1"


def test_the_csv_is_for_dutch_excel_with_words_for_the_direction():
    text = comparison_csv(comparison_rows(CHANGES, "T0", "T1", 10)).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";")[:6] == [
        "Koploper",
        "Cohort",
        "Vragenlijst",
        "Indicator",
        "Eenheid",
        "Richting",
    ]
    assert ";duidelijk hoger;11,3;41,2;120;52,6;130;0,012;" in lines[1]
    assert lines[2].startswith('"\'=HYPERLINK(""http://x"")";')  # defused, never a formula
    assert ";geen cijfer;;50,0;minder dan 10;;6;;te weinig antwoorden" in lines[3]


def test_a_tiny_q_value_reads_as_on_the_page_never_as_0() -> None:
    shown = comparison_rows(CHANGES.assign(q_value=[0.0000123, 0.41, np.nan]), "T0", "T1", 10)
    assert list(shown["q-waarde"])[:2] == ["< 0,001", "0,410"]
    text = comparison_csv(shown).decode("utf-8-sig")
    assert ";< 0,001;" in text and ";0,0;" not in text
