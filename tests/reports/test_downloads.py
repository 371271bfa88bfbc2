"""The downloads of a dashboard view, read back: the Excel workbook and the analysts' CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

from measures.cli import COMPARE_COLUMNS
from measures.figures import figures
from reports.downloads import (
    GOAL_FORMATS,
    NOTHING_TO_SHOW,
    OVERVIEW_FORMATS,
    OVERVIEW_SHEET,
    download_name,
    figures_csv,
    figures_xlsx,
)
from surveys.vocabulary import GOALS, OWN, QUESTIONNAIRES, wave_with_code
from tests.measures.view_figures import (
    KOPLOPER,
    KOPLOPER_NAME,
    _counts,
    unsuppressed,
    view,
    with_label,
)

BOTH = ["client", "professional"]
EXPLANATION = [
    ("Wat is een interval?", "Het gebied waarin de echte waarde waarschijnlijk ligt."),
    ("Wat is een q-waarde?", "Hoe groot de kans is dat een verschil toeval is."),
]
HEADER_ROW = 2
FIRST_ROW = 3


def workbook(fig=None, questionnaires=BOTH, explanation=EXPLANATION) -> openpyxl.Workbook:
    data = figures_xlsx(fig or view(), KOPLOPER_NAME, questionnaires, explanation)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> list[dict[str, openpyxl.cell.Cell]]:
    """The data rows under the header row, as header → cell (up to the first empty row)."""
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    rows = []
    for cells in sheet.iter_rows(min_row=FIRST_ROW):
        if all(cell.value is None for cell in cells):
            break
        rows.append(dict(zip(headers, cells, strict=False)))
    return rows


def find(
    sheet, indicator_label: str, wave: str, questionnaire: str = "client"
) -> dict[str, openpyxl.cell.Cell]:
    return next(
        row
        for row in rows_of(sheet)
        if row["Indicator"].value == indicator_label
        and row["Meting"].value == wave_with_code(wave)
        and row["Vragenlijst"].value == QUESTIONNAIRES[questionnaire]
    )


def engine_row(table: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    (position,) = mask[mask].index
    return table.loc[position]


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return workbook()


def test_a_download_is_named_after_the_koploper_and_the_day() -> None:
    day = dt.date(2025, 3, 14)
    assert download_name("tilburg", day, "xlsx") == "koplopermonitor-tilburg-2025-03-14.xlsx"
    assert (
        download_name("regio-twente", day, "csv") == "koplopermonitor-regio-twente-2025-03-14.csv"
    )


def test_the_workbook_has_an_overview_a_sheet_per_goal_and_the_explanation(book) -> None:
    assert book.sheetnames == [
        "Overzicht",
        "Bekendheid",
        "Vindbaarheid",
        "Kwaliteit",
        "Effect",
        "Inzicht",
        "Uitleg",
    ]
    assert list(GOALS.values()) == book.sheetnames[1:-1]


def test_the_headers_are_dutch_and_the_header_row_stays_in_view(book) -> None:
    goal_headers = [cell.value for cell in book["Kwaliteit"][HEADER_ROW]]
    assert goal_headers == [
        "Vragenlijst",
        "Indicator",
        "Meting",
        "n",
        "Schatting",
        "95\u00a0%-interval ondergrens",
        "95\u00a0%-interval bovengrens",
        "Verschil met de nulmeting (T0)",
        "95\u00a0%-interval verschil ondergrens",
        "95\u00a0%-interval verschil bovengrens",
        "q-waarde",
        "Effectgrootte",
        "Richting",
        "Teken",
        "Reden",
        "Overige koplopers",
        "Eigen cohort",
    ]
    overview_headers = [cell.value for cell in book["Overzicht"][HEADER_ROW]]
    assert {"Doel", "Indicator", "Schatting Eerste vervolgmeting (T1)", "Richting", "Reden"} <= set(
        overview_headers
    )
    english = {"estimate", "ci_low", "q_value", "flag", "reason", "label", "indicator"}
    for sheet in book:
        assert sheet.freeze_panes == "A3"
        assert not english & {cell.value for cell in sheet[HEADER_ROW]}
        assert sheet.column_dimensions["A"].width > 8


def test_a_percentage_is_the_engines_fraction_with_a_percent_format(book) -> None:
    fig = view()
    engine = engine_row(
        fig.estimates, group=OWN, questionnaire="client", indicator="aware_oco", wave="T1"
    )
    row = find(book["Bekendheid"], engine["label"], "T1")
    assert isinstance(row["Schatting"].value, float)
    assert row["Schatting"].value == pytest.approx(engine["estimate"], rel=1e-12)
    assert row["Schatting"].number_format == "0.0%"
    assert row["95\u00a0%-interval ondergrens"].value == pytest.approx(engine["ci_low"], rel=1e-12)
    change = engine_row(fig.changes, questionnaire="client", indicator="aware_oco")
    assert row["q-waarde"].value == pytest.approx(change["q_value"], rel=1e-12)
    assert row["Richting"].value == change["direction"] == "▲"
    others = engine_row(
        fig.benchmarks,
        wave="T1",
        reference="overige koplopers",
        questionnaire="client",
        indicator="aware_oco",
    )
    assert row["Overige koplopers"].value == pytest.approx(others["estimate_reference"])


def test_a_mean_is_a_number_with_one_decimal(book) -> None:
    engine = engine_row(
        view().estimates, group=OWN, questionnaire="client", indicator="grade", wave="T0"
    )
    row = find(book["Kwaliteit"], engine["label"], "T0")
    assert row["Schatting"].value == pytest.approx(engine["estimate"], rel=1e-12)
    assert row["Schatting"].number_format == "0.0"
    assert row["n"].value == engine["n"] and row["n"].number_format == "0"


def test_the_same_sign_is_text_not_a_formula(book) -> None:
    same = [row["Richting"] for row in rows_of(book["Overzicht"]) if row["Richting"].value == "="]
    assert same, "the view has indicators that stayed the same"
    for cell in same:
        assert cell.data_type == "s" and cell.quotePrefix


def test_every_column_has_its_number_format_and_a_count_is_whole(book) -> None:
    overview = [cell.value for cell in book[OVERVIEW_SHEET][HEADER_ROW]]
    goal = [cell.value for cell in book["Kwaliteit"][HEADER_ROW]]
    assert (len(OVERVIEW_FORMATS), len(GOAL_FORMATS)) == (len(overview), len(goal))
    row = rows_of(book["Kwaliteit"])[0]
    assert row["n"].number_format == "0" and row["q-waarde"].number_format in ("0.000", "General")


def test_the_interval_headers_take_their_level_from_the_setting() -> None:
    fig = view()
    at_90 = workbook(replace(fig, settings=replace(fig.settings, confidence=0.9)))
    headers = [
        cell.value for name in (OVERVIEW_SHEET, "Kwaliteit") for cell in at_90[name][HEADER_ROW]
    ]
    assert "90\u00a0%-interval ondergrens" in headers
    assert "90\u00a0%-interval verschil bovengrens" in headers
    assert not [header for header in headers if "95" in header]


def test_withheld_figures_are_empty_cells_with_the_reason(book) -> None:
    fig = view()
    withheld = fig.changes[fig.changes["flag"] == "onderdrukt"]
    assert len(withheld) > 5
    figure_columns = [
        "Schatting",
        "95\u00a0%-interval ondergrens",
        "95\u00a0%-interval bovengrens",
        "Verschil met de nulmeting (T0)",
        "95\u00a0%-interval verschil ondergrens",
        "95\u00a0%-interval verschil bovengrens",
        "q-waarde",
        "Effectgrootte",
    ]
    for change in withheld.itertuples():
        row = find(book[GOALS[change.goal]], change.label, "T1", change.questionnaire)
        assert all(row[column].value is None for column in figure_columns)
        # The other koplopers' own figure stands, as on the page and in the chart.
        others = fig.estimates[
            (fig.estimates["group"] == "overige koplopers")
            & (fig.estimates["wave"] == "T1")
            & (fig.estimates["questionnaire"] == change.questionnaire)
            & (fig.estimates["indicator"] == change.indicator)
        ]["estimate"].iloc[0]
        assert row["Overige koplopers"].value == pytest.approx(others)
        assert row["Teken"].value == "onderdrukt"
        assert "te weinig antwoorden" in row["Reden"].value
    overview = {
        (row["Vragenlijst"].value, row["Indicator"].value): row
        for row in rows_of(book["Overzicht"])
    }
    for change in withheld.itertuples():
        row = overview[QUESTIONNAIRES[change.questionnaire], change.label]
        assert row["Schatting Eerste vervolgmeting (T1)"].value is None
        assert row["Verschil"].value is None and row["q-waarde"].value is None
        assert row["Reden"].value.startswith("te weinig antwoorden bij T1")


def test_no_figure_on_too_few_answers_leaks_into_any_sheet(book) -> None:
    figure_columns = ["estimate_followup", "ci_low_followup", "ci_high_followup", "difference"]
    fig, open_fig = view(), unsuppressed()
    hidden = fig.changes["flag"] == "onderdrukt"
    secret = set(open_fig.changes.loc[hidden.to_numpy(), figure_columns].to_numpy().ravel())
    secret = {round(v, 9) for v in secret if isinstance(v, float) and math.isfinite(v)}
    shown = {
        round(v, 9)
        for table in (fig.estimates, fig.changes, fig.benchmarks, fig.profile)
        for v in table.select_dtypes("number").to_numpy().ravel()
        if math.isfinite(v)
    }
    secret -= shown  # a secret that equals a shown figure by chance says nothing
    assert len(secret) > 10
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float):
                    assert round(value, 9) not in secret, f"{sheet.title}: {value}"


def test_inzicht_shows_who_answered_beside_its_indicators(book) -> None:
    values = [cell.value for row in book["Inzicht"].iter_rows() for cell in row]
    assert "Wie vulden de vragenlijst in" in values
    assert "Hoe oud bent u?" in values


def test_the_explanation_sheet_holds_every_title_and_text(book) -> None:
    pairs = [(row["Onderwerp"].value, row["Uitleg"].value) for row in rows_of(book["Uitleg"])]
    for pair in EXPLANATION:
        assert pair in pairs
    assert ("Koploper", KOPLOPER_NAME) in pairs


def test_text_that_looks_like_a_formula_gets_a_leading_apostrophe() -> None:
    label = '=HYPERLINK("https://example.org","klik")'
    fig = with_label(view(), "aware_oco", label)
    explanation = [("@SUM(A1)", "=1+1"), ("Gewoon", "-2+3")]
    book = workbook(fig, explanation=explanation)
    assert find(book["Bekendheid"], "'" + label, "T1")["Indicator"].value == "'" + label
    overview = [row["Indicator"].value for row in rows_of(book["Overzicht"])]
    assert "'" + label in overview
    pairs = [(row["Onderwerp"].value, row["Uitleg"].value) for row in rows_of(book["Uitleg"])]
    assert ("'@SUM(A1)", "'=1+1") in pairs and ("Gewoon", "'-2+3") in pairs
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


def test_only_the_questionnaire_of_the_view_is_in_the_workbook() -> None:
    book = workbook(questionnaires=["professional"])
    shown = {
        row["Vragenlijst"].value for sheet in book.sheetnames[:-1] for row in rows_of(book[sheet])
    }
    assert shown == {QUESTIONNAIRES["professional"], NOTHING_TO_SHOW}  # no professional: Effect


def test_a_workbook_with_nothing_to_show_still_opens_and_says_so() -> None:
    fig = view()
    empty = replace(
        fig,
        estimates=fig.estimates.iloc[0:0],
        changes=fig.changes.iloc[0:0],
        benchmarks=pd.DataFrame(),
        profile=fig.profile.iloc[0:0],
    )
    for book in (workbook(empty, explanation=[]), workbook(questionnaires=[])):
        for name in book.sheetnames[:-1]:
            assert book[name].cell(row=FIRST_ROW, column=1).value == NOTHING_TO_SHOW


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8", keep_default_na=False, dtype=str)


def test_the_csv_has_the_columns_of_measures_compare_plus_reason() -> None:
    data = figures_csv(view(), KOPLOPER, BOTH)
    header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert header == [*COMPARE_COLUMNS, "reason"]
    assert not data.startswith(b"\xef\xbb\xbf")  # plain UTF-8, as the command writes it
    assert b"nan" not in data.lower()


def test_the_csv_figures_are_the_engines(tmp_path) -> None:
    fig = view()
    table = pd.read_csv(io.BytesIO(figures_csv(fig, KOPLOPER, ["client"])), encoding="utf-8")
    engine = fig.changes[fig.changes["questionnaire"] == "client"].reset_index(drop=True)
    assert set(table["koploper"]) == {KOPLOPER}
    assert list(table["indicator"]) == list(engine["indicator"])
    numbers = [c for c in COMPARE_COLUMNS if pd.api.types.is_numeric_dtype(engine[c])]
    assert "estimate_followup" in numbers and "q_value" in numbers
    pd.testing.assert_frame_equal(table[numbers], engine[numbers], check_dtype=False, rtol=1e-9)


def test_withheld_figures_are_empty_in_the_csv() -> None:
    table = read_csv(figures_csv(view(), KOPLOPER, ["professional"]))
    assert set(table["questionnaire"]) == {"professional"}
    assert (table["flag"] == "onderdrukt").all()
    followup = [c for c in COMPARE_COLUMNS[6:19] if not c.endswith("_baseline")]
    assert (table[followup] == "").all().all()
    # The baseline's own figure stands beside the withheld change, as on the page.
    assert (table["estimate_baseline"] != "").all()
    assert table["reason"].str.startswith("te weinig antwoorden bij T1").all()


def test_csv_text_that_looks_like_a_formula_gets_a_leading_apostrophe() -> None:
    fig = view()
    changes = fig.changes.copy()
    changes.loc[changes["indicator"] == "aware_oco", "reason"] = "=cmd|' /C calc'!A0"
    table = read_csv(figures_csv(replace(fig, changes=changes), "=evil", ["client"]))
    assert set(table["koploper"]) == {"'=evil"}
    assert table.loc[table["indicator"] == "aware_oco", "reason"].item() == "'=cmd|' /C calc'!A0"


def test_a_question_asked_differently_is_noted_beside_its_change() -> None:
    fig = view()
    note = "Let op: de vraag is bij de eerste vervolgmeting anders gesteld dan bij de nulmeting."
    changes = fig.changes.copy()
    changes.loc[changes["indicator"] == "quick_help", "wording"] = note
    book = workbook(replace(fig, changes=changes), questionnaires=["client"])
    label = engine_row(fig.changes, questionnaire="client", indicator="quick_help")["label"]
    assert find(book["Vindbaarheid"], label, "T1")["Reden"].value == note
    assert find(book["Vindbaarheid"], label, "T0")["Reden"].value is None
    overview = {row["Indicator"].value: row for row in rows_of(book["Overzicht"])}
    assert overview[label]["Reden"].value == note


def test_with_one_wave_the_overview_lists_each_indicator_with_that_waves_estimate() -> None:
    indicators, counts = _counts()
    one = figures(counts, indicators, "T0", "T0", koploper_name=KOPLOPER_NAME)
    assert one.changes.empty
    rows = rows_of(workbook(one)[OVERVIEW_SHEET])
    own = one.estimates[(one.estimates["group"] == OWN) & (one.estimates["wave"] == "T0")]
    shown = own.dropna(subset=["estimate"])
    assert len(rows) == own.drop_duplicates(["questionnaire", "indicator"]).shape[0]
    first = shown.iloc[0]
    row = next(
        r
        for r in rows
        if r["Indicator"].value == first["label"]
        and r["Vragenlijst"].value == QUESTIONNAIRES[first["questionnaire"]]
    )
    estimate = next(cell for header, cell in row.items() if header.startswith("Schatting"))
    assert estimate.value == pytest.approx(first["estimate"])
    assert row["Verschil"].value is None  # no change with one wave
