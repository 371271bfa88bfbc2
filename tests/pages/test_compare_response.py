"""Vergelijken's fieldwork part has a column "Respons" for every koploper: codes used out of
codes sent, and nothing for a wave without codes (views.compare.fieldwork_across)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.engine import get_sessionmaker
from db.setup import init_database
from tests.db.rates_data import add_batch, add_responses
from tests.pages.accounts import logged_in
from views.compare import fieldwork_across

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/compare.py"
NBSP = "\u00a0"
DAY = dt.date(2026, 3, 4)


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    """Tilburg T0 (client): 75 of 200 codes used, 12 responses via the open link; Breda T1
    (professional): 3 of 30, and a withdrawn batch whose 7 used codes still count (10 of 37);
    Almere T0: the open link only."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        add_batch(session, "tilburg", "T0", "client", 200, [DAY] * 75)
        add_responses(session, "tilburg", "T0", "client", DAY, 75, invited=True)
        add_responses(session, "tilburg", "T0", "client", DAY, 12, invited=False)
        add_batch(session, "breda", "T1", "professional", 30, [DAY] * 3)
        add_batch(session, "breda", "T1", "professional", 70, [DAY] * 7, withdrawn=True)
        add_responses(session, "breda", "T1", "professional", DAY, 10, invited=True)
        add_responses(session, "almere", "T0", "client", DAY, 9, invited=False)
    return sqlite_url


def test_fieldwork_across_has_the_rate_beside_the_counts(url):
    with get_sessionmaker(url)() as session:
        table = fieldwork_across(session, command_line()).responses.set_index(
            ["koploper", "wave", "questionnaire"]
        )
    assert tuple(table.loc[("tilburg", "T0", "client"), ["sent", "used", "total"]]) == (
        200,
        75,
        87,
    )
    assert table.loc[("tilburg", "T0", "client"), "rate"] == pytest.approx(37.5)
    assert tuple(table.loc[("breda", "T1", "professional"), ["sent", "used"]]) == (37, 10)
    almere = table.loc[("almere", "T0", "client")]
    assert (almere["sent"], almere["total"]) == (0, 9)
    assert almere["rate"] != almere["rate"]  # NaN: no codes, no rate


def test_the_page_shows_a_response_column_for_every_koploper(url):
    at = AppTest.from_file(APP, default_timeout=120)
    logged_in(at, url, "onderzoeker")
    at.query_params["onderdeel"] = "Veldwerk"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Respons" in d.value.columns)
    rows = table.set_index(["Koploper", "Meting", "Vragenlijst"])["Respons"]
    assert rows[("Tilburg", "Nulmeting", "Inwoners en cliënten")] == (
        f"75 van de 200 (37,5{NBSP}%)"
    )
    assert rows[("Breda", "Eerste vervolgmeting", "Cliëntondersteuners en verwijzers")] == (
        f"10 van de 37 (27,0{NBSP}%)"
    )
    assert rows[("Almere", "Nulmeting", "Inwoners en cliënten")] is None
    assert rows.notna().sum() == 2
