"""Mijn koploper's Excel download carries the koploper's response rate on its explanation sheet,
read from the database at the page (views.response_rates) as the file is offered."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from db.engine import get_sessionmaker
from db.setup import init_database
from reports.downloads import EXPLANATION_SHEET
from surveys.clock import dutch_day
from tests.db.rates_data import add_batch
from tests.db.stored_responses import add_tilburg_responses
from tests.pages.accounts import logged_in
from tests.pages.downloads import offered

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/dashboard.py"
NBSP = "\u00a0"


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    """Tilburg: 30 client responses at T0 and at T1; 200 codes at T0, 24 used; 80 at T1 of
    Breda (not Tilburg's)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    add_tilburg_responses(sqlite_url, 30, wave="T0")
    add_tilburg_responses(sqlite_url, 30, wave="T1")
    with get_sessionmaker(sqlite_url).begin() as session:
        add_batch(session, "tilburg", "T0", "client", 200, [dt.date(2026, 3, 4)] * 24)
        add_batch(session, "breda", "T1", "client", 80, [dt.date(2026, 3, 4)] * 8)
    return sqlite_url


def test_the_excel_download_states_the_response(url, monkeypatch):
    files = offered(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=120)
    logged_in(at, url, "gemeente", ["tilburg"])
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    data, _ = files[f"koplopermonitor-tilburg-{dutch_day().isoformat()}.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(data))[EXPLANATION_SHEET]
    rows = [(r[0], r[1]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [text for subject, text in rows if subject == "Respons"] == [
        f"Nulmeting (T0), inwoners en cliënten. Respons: 24 van de 200 uitgenodigde inwoners "
        f"(12,0{NBSP}%). Daarnaast 30 antwoorden zonder code (via de open link). Daarvan is geen "
        "respons te berekenen: niemand weet hoeveel mensen de open link zagen."
    ]
