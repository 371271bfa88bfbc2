"""The Logboek writes names as people write them: koplopers and roles, never slugs or codes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from db.access import command_line
from db.audit import log_table, read_log
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.setup import init_database
from db.users import add_user, change_user, list_users
from db.waves import open_wave, set_wave_dates

GOOD = "vier losse woorden paard"


@pytest.fixture
def db(database_url):
    init_database(database_url)
    return get_sessionmaker(database_url)


def details(db) -> list[str]:
    with db() as session:
        return read_log(session, command_line(), actions=["user_created", "user_changed"])[
            "detail"
        ].tolist()


def test_a_new_account_is_described_with_the_koplopers_names_and_the_roles_dutch_name(db):
    with db.begin() as session:
        add_user(
            session,
            command_line(),
            "pl@regio.example",
            "gemeente",
            ["tilburg", "regio-twente"],
            password=GOOD,
        )
        add_user(session, command_line(), "onderzoek@movisie.example", "onderzoeker")
    created, researcher = reversed(details(db))
    assert "Tilburg" in created and "Regio Twente" in created
    assert "tilburg" not in created and "regio-twente" not in created
    assert "rol Gemeente" in created
    assert "rol Onderzoeker (Movisie)" in researcher  # Movisie as it writes itself


def test_a_changed_account_is_described_the_same_way(db):
    with db.begin() as session:
        add_user(session, command_line(), "pl@breda.example", "gemeente", ["breda"], password=GOOD)
    with db() as session:
        account = next(a for a in list_users(session, command_line()) if a.koplopers)
    with db.begin() as session:
        change_user(
            session,
            command_line(),
            account.email,
            role="adviesraad",
            koplopers=["breda", "tilburg"],
            free_text=False,
        )
    assert "rol Adviesraad of cliëntenraad, koplopers Breda, Tilburg" in details(db)[0]


def test_the_log_table_names_koplopers_and_writes_times_as_dutch_readers_do():
    lines = pd.DataFrame(
        {
            "at": [dt.datetime(2026, 12, 5, 13, 3, 59), dt.datetime(2026, 7, 1, 22, 30)],
            "actor": ["a@b.example", "c@d.example"],
            "role": ["gemeente", None],
            "action": ["viewed", "login_ok"],
            "koploper": ["tilburg,regio-twente", None],
            "outcome": ["ok", "ok"],
            "detail": [None, None],
        }
    )
    table = log_table(lines, {"tilburg": "Tilburg", "regio-twente": "Regio Twente"})
    # 13:03 UTC is 14:03 in Amsterdam in winter; 22:30 UTC is 00:30 the next day in summer
    assert table["Tijd"].tolist() == ["5-12-2026 14:03", "2-7-2026 00:30"]
    assert table["Koploper"].tolist() == ["Tilburg, Regio Twente", ""]


def test_wave_lines_write_dates_as_dutch_readers_do(db):
    with db.begin() as session:
        set_contact(session, "tilburg", phone="14 013")
        open_wave(session, command_line(), "tilburg", "T2", dt.date(2030, 1, 4))
        set_wave_dates(
            session, command_line(), "tilburg", "T2", dt.date(2029, 3, 1), dt.date(2030, 4, 12)
        )
    with db() as session:
        lines = read_log(session, command_line(), actions=["wave_opened", "wave_dates"])
    details = " ".join(lines["detail"])
    assert "tot en met 4-1-2030" in details and "→ 1-3-2029 tot en met 12-4-2030" in details
    assert "2030-" not in details
