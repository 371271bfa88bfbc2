"""The beheerder's and every user's own actions in Chromium: opening a wave asks first, a past
wave says so; a user changes their own password on Mijn account."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from db.access import command_line
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.logins import LoginRefused
from db.logins import log_in as password_login
from db.models import AuditEvent, Koploper, Wave
from db.setup import init_database
from db.users import add_user
from db.waves import set_wave_dates
from tests.browser.helpers import axe_violations, click_and_settle, settle

pytestmark = pytest.mark.browser

ADMIN = "beheerder@test.example"
TILBURG = "pl@tilburg.example"
PASSWORD = "vier losse woorden paard"
NEW = "lantaarn kiwi biljart negen"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        add_user(session, command_line(), ADMIN, "beheerder", password=PASSWORD)
        add_user(session, command_line(), TILBURG, "gemeente", ["tilburg"], password=PASSWORD)
        set_contact(session, "tilburg", phone="14 013")
        set_wave_dates(
            session, command_line(), "tilburg", "T0", dt.date(2017, 9, 1), dt.date(2017, 10, 12)
        )
    return url


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/inloggen")
    page.get_by_role("heading", name="Inloggen").wait_for(timeout=20000)
    settle(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    settle(page)
    page.wait_for_url(lambda url: "inloggen" not in url, timeout=20000)
    settle(page)


def is_open(database: str, code: str) -> bool:
    with get_sessionmaker(database)() as session:
        return session.scalar(
            select(Wave.is_open)
            .join(Wave.koploper)
            .where(Koploper.slug == "tilburg", Wave.code == code)
        )


def test_reopening_the_2017_baseline_asks_first_and_says_it_lies_in_the_past(
    tab, app_server, database
):
    log_in(tab, app_server, ADMIN)
    tab.goto(app_server + "/veldwerk?koploper=tilburg")
    tab.get_by_role("heading", name="Metingen beheren").wait_for(timeout=30000)
    settle(tab)
    click_and_settle(tab, tab.get_by_role("button", name="Meting T0 openen"))
    question = tab.get_by_text("Let op: deze meting is al afgelopen")
    expect(question).to_be_visible()
    expect(tab.get_by_text("12-10-2017, dat ligt in het verleden", exact=False)).to_be_visible()
    assert not is_open(database, "T0")  # asked, not done
    assert axe_violations(tab) == []
    click_and_settle(tab, tab.get_by_role("button", name="Annuleren"))
    expect(question).to_have_count(0)
    assert not is_open(database, "T0")
    click_and_settle(tab, tab.get_by_role("button", name="Meting T0 openen"))
    click_and_settle(tab, tab.get_by_role("button", name="Ja, meting T0 openen"))
    expect(tab.get_by_text("Meting T0 staat open tot en met")).to_be_visible()
    assert is_open(database, "T0")


def test_a_gemeente_changes_its_own_password_on_mijn_account(tab, app_server, database):
    log_in(tab, app_server, TILBURG)
    tab.goto(app_server + "/inloggen")
    tab.get_by_role("heading", name="Wachtwoord wijzigen").wait_for(timeout=20000)
    settle(tab)
    assert axe_violations(tab) == []
    tab.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    tab.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW)
    tab.get_by_label("Herhaal nieuw wachtwoord").fill(NEW)
    click_and_settle(tab, tab.get_by_role("button", name="Wachtwoord wijzigen"))
    expect(tab.get_by_text("Uw wachtwoord is gewijzigd")).to_be_visible()
    # One login per transaction (log_in reserves its check in a transaction of its own first).
    with get_sessionmaker(database).begin() as session:
        password_login(session, TILBURG, NEW)
    with get_sessionmaker(database).begin() as session, pytest.raises(LoginRefused):
        password_login(session, TILBURG, PASSWORD)
    with get_sessionmaker(database)() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor == TILBURG)
        ).all()
    assert "password_changed" in actions
