"""The response rate in the documents of a dashboard view, read back: the Excel file's
explanation sheet (openpyxl) and the council report's methods appendix (its HTML, and the PDF
with pdftotext). A view without codes says nothing of a response rate."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from measures.indicators import load_indicators
from measures.response_rates import rate_table
from reports.downloads import EXPLANATION_SHEET
from reports.report import council_report, report_html
from tests.measures.view_figures import KOPLOPER, KOPLOPER_NAME, view
from views.documents import figures_excel, response_of

NBSP = "\u00a0"
SETTINGS = load_indicators().settings
BOTH = ["client", "professional"]
RATE = f"Respons: 75 van de 200 uitgenodigde inwoners (37,5{NBSP}%)."
T1_RATE = f"Respons: 3 van de 30 uitgenodigde cliëntondersteuners en verwijzers (10,0{NBSP}%)."


def rates(with_codes: bool = True) -> pd.DataFrame:
    """The koploper's rate table: T0 client 75 of 200 and 12 via the open link; T1
    professional 3 of 30; T2 (not in the view) 9 of 10."""
    invitations = pd.DataFrame(
        [
            (KOPLOPER, "T0", "client", 200, 75),
            (KOPLOPER, "T1", "professional", 30, 3),
            (KOPLOPER, "T2", "client", 10, 9),
        ]
        if with_codes
        else [],
        columns=["koploper", "wave", "questionnaire", "sent", "used"],
    )
    responses = pd.DataFrame(
        [(KOPLOPER, "T0", "client", 75, 12), (KOPLOPER, "T1", "client", 0, 40)],
        columns=["koploper", "wave", "questionnaire", "invited", "open"],
    )
    return rate_table(invitations, responses)


def explanation_rows(data: bytes) -> list[tuple[str, str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[EXPLANATION_SHEET]
    return [(row[0], row[1]) for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]


def test_the_excel_explanation_sheet_states_the_response_of_the_views_waves():
    rows = explanation_rows(figures_excel(view(), KOPLOPER_NAME, BOTH, SETTINGS, rates()))
    response = [text for subject, text in rows if subject == "Respons"]
    assert len(response) == 2  # T0 client and T1 professional; T2 is not in the view
    assert response[0].startswith("Nulmeting (T0), inwoners en cliënten. " + RATE)
    assert "Daarnaast 12 antwoorden zonder code (via de open link)" in response[0]
    assert response[1] == "Eerste vervolgmeting (T1), cliëntondersteuners en verwijzers. " + T1_RATE
    subjects = [subject for subject, _ in rows]
    assert subjects.index("Respons") == subjects.index("Vergelijking") + 1


def test_the_excel_of_one_questionnaire_has_only_its_response():
    rows = explanation_rows(figures_excel(view(), KOPLOPER_NAME, ["client"], SETTINGS, rates()))
    assert [text for subject, text in rows if subject == "Respons"] == [
        "Nulmeting (T0), inwoners en cliënten. "
        + RATE
        + " Daarnaast 12 antwoorden zonder code (via de open link). Daarvan is geen respons te "
        "berekenen: niemand weet hoeveel mensen de open link zagen."
    ]


@pytest.mark.parametrize("table", [None, rates(with_codes=False)], ids=["unknown", "no codes"])
def test_without_codes_no_document_speaks_of_a_response_rate(table):
    rows = explanation_rows(figures_excel(view(), KOPLOPER_NAME, BOTH, SETTINGS, table))
    assert "Respons" not in [subject for subject, _ in rows]
    assert response_of(view(), BOTH, table) == []
    page = report_html(view(), KOPLOPER_NAME, BOTH, {}, [], "Methode\nTekst.", dt.date(2026, 3, 5))
    assert ">Respons<" not in page


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_report_opens_its_methods_appendix_with_the_response():
    lines = response_of(view(), BOTH, rates())
    page = report_html(
        view(),
        KOPLOPER_NAME,
        BOTH,
        {},
        [],
        "Percentages\nDe methode van Wilson.",
        dt.date(2026, 3, 5),
        response=lines,
    )
    appendix = words(page.split('id="werkwijze">', 1)[1])
    assert appendix.startswith("Bijlage: werkwijze Respons Nulmeting (T0), inwoners en cliënten.")
    assert RATE in html.unescape(page) and T1_RATE in html.unescape(page)  # '%' never alone
    rate, t1_rate = " ".join(RATE.split()), " ".join(T1_RATE.split())
    assert rate in appendix
    assert appendix.index(t1_rate) < appendix.index("Percentages De methode van Wilson.")


def test_the_report_pdf_carries_the_rate(in_ci):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if in_ci:
            pytest.fail("pdftotext not found: under CI=true the report tests must run")
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    pdf = council_report(
        view(), KOPLOPER_NAME, ["client"], {}, [], "Methode\nTekst.", response=response_of(
            view(), ["client"], rates()
        ),
    )  # fmt: skip
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    said = " ".join(text.replace(NBSP, " ").split())
    assert "Respons: 75 van de 200 uitgenodigde inwoners (37,5 %)." in said
    assert "Daarnaast 12 antwoorden zonder code (via de open link)." in said
