"""Veldwerk's response part through AppTest: codes sent and used with the rate, the responses
without a code apart, a chart of responses per day with the letter days, and nothing of a
koploper the account may not see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.setup import init_database
from tests.db.rates_data import add_batch, add_responses
from tests.pages.accounts import logged_in

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/fieldwork.py"
NBSP = "\u00a0"
LETTERS = dt.date(2026, 3, 2)
REMINDERS = dt.date(2026, 3, 16)
USED = dt.date(2026, 3, 4)


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    """Tilburg T0: 200 client codes, one used; 3 responses via the open link. Breda T0: 50 codes,
    20 used. Tilburg T1: open-link responses only."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        set_contact(session, "tilburg", phone="14 013")
        add_batch(
            session, "tilburg", "T0", "client", 200, [USED], letters_on=LETTERS,
            reminders_on=REMINDERS,
        )  # fmt: skip
        add_responses(session, "tilburg", "T0", "client", USED, 1, invited=True)
        add_responses(session, "tilburg", "T0", "client", USED, 3, invited=False)
        add_responses(session, "tilburg", "T1", "professional", USED, 5, invited=False)
        add_batch(session, "breda", "T0", "client", 50, [USED] * 20)
        add_responses(session, "breda", "T0", "client", USED, 20, invited=True)
    return sqlite_url


def open_fieldwork(url: str, role: str, koplopers=()) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    logged_in(at, url, role, koplopers)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


def test_tilburg_sees_one_of_200_and_the_open_link_apart(url):
    at = open_fieldwork(url, "gemeente", ["tilburg"])
    assert [h.value for h in at.header].count("Respons") == 1
    invitations = next(t.value for t in at.table if "Verstuurd" in t.value.columns)
    row = invitations.loc["Inwoners en cliënten"]
    assert (row["Verstuurd"], row["Gebruikt"], row["Respons"]) == ("200", "1", f"0,5{NBSP}%")
    assert row["Zonder code (via de open link)"] == "3"
    said = captions(at)
    assert any(f"Respons inwoners en cliënten: 1 van de 200 (0,5{NBSP}%)." in c for c in said)
    # Breda's 20 of 50 (40,0 %) is not Tilburg's to see.
    assert not any("van de 50" in c for c in said)
    assert not any("40,0" in str(t.value) for t in at.table)


def test_the_chart_per_day_marks_the_letters_and_the_reminder(url):
    at = open_fieldwork(url, "gemeente", ["tilburg"])
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # T0 client, T1 professional
    said = captions(at)
    assert any(
        "Grafiek in woorden (inwoners en cliënten): 4 antwoorden op 1 dag, van 4-3-2026" in c
        and "Brieven: 2-3-2026; herinnering: 16-3-2026." in c
        for c in said
    )


def test_a_wave_without_codes_says_nothing_of_a_rate(url):
    at = open_fieldwork(url, "gemeente", ["tilburg"])
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("Meting T1") for s in subheaders)
    invitations = [t.value for t in at.table if "Verstuurd" in t.value.columns]
    assert len(invitations) == 1  # T0 only
    assert not any("professionals" in c or "verwijzers: " in c for c in captions(at))


def test_the_beheerder_sees_breda_when_chosen(url):
    at = open_fieldwork(url, "beheerder")
    at.selectbox(key="veldwerk_koploper").set_value("breda").run()
    assert not at.exception, at.exception
    assert any(f"20 van de 50 (40,0{NBSP}%)" in c for c in captions(at))
