"""Who may see what, in Chromium: the demo accounts log in by keyboard; Geen toegang; the lock.

One server on its own SQLite database with accounts of each role; every test uses its own
browser context (a browser session of its own).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from db.access import command_line
from db.demo import DEMO_ACCOUNTS, seed_demo_accounts
from db.engine import get_sessionmaker
from db.models import AuditEvent
from db.setup import init_database
from db.users import add_user
from pages.ui.routing import STAFF_PAGES
from tests.browser.helpers import assert_dutch, axe_violations, settle

pytestmark = pytest.mark.browser

DEMO = {account.role: account for account in DEMO_ACCOUNTS}
TILBURG, ADMIN = DEMO["gemeente"], DEMO["beheerder"]
LOCKED = "adviesraad@tilburg.example"
PASSWORD = "vier losse woorden paard"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo_accounts(session, command_line())  # the accounts the README lists
        add_user(session, command_line(), LOCKED, "adviesraad", ["tilburg"], password=PASSWORD)
    return url


def log_in_by_keyboard(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/inloggen")
    page.get_by_role("heading", name="Inloggen").wait_for(timeout=20000)
    settle(page)
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")  # the form's submit button, by Enter in a field
    settle(page)


def audit(database: str, action: str) -> list[AuditEvent]:
    with get_sessionmaker(database)() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_login_page_is_dutch_accessible_and_works_by_keyboard_across_a_reload(tab, app_server):
    tab.goto(app_server + "/inloggen")
    tab.get_by_role("heading", name="Inloggen").wait_for(timeout=20000)
    settle(tab)
    assert_dutch(tab)
    assert axe_violations(tab) == []
    log_in_by_keyboard(tab, app_server, TILBURG.email, TILBURG.password)
    expect(tab.get_by_role("heading", name="Mijn koploper")).to_be_visible(timeout=15000)
    tab.reload()  # a reload is a new Streamlit session: the session cookie keeps the login
    tab.get_by_role("heading", name="Mijn koploper").wait_for(timeout=20000)
    settle(tab)
    expect(tab.get_by_role("button", name="Uitloggen")).to_be_visible()
    assert axe_violations(tab) == []
    tab.get_by_role("button", name="Uitloggen").click()
    settle(tab)
    expect(tab.get_by_text("U bent uitgelogd")).to_be_visible()
    tab.reload()
    tab.get_by_role("heading", name="Koplopermonitor").wait_for(timeout=20000)
    settle(tab)
    assert tab.get_by_role("button", name="Uitloggen").count() == 0


def test_not_logged_in_every_page_behind_the_login_says_geen_toegang(tab, app_server, database):
    assert len(STAFF_PAGES) >= 3
    before = len(audit(database, "access_denied"))
    for page in STAFF_PAGES:
        tab.goto(f"{app_server}/{page.url_path}")
        tab.get_by_role("heading", name="Geen toegang").wait_for(timeout=20000)
        settle(tab)
        expect(tab.get_by_role("link", name="Naar Inloggen")).to_be_visible()
    assert axe_violations(tab) == []
    assert len(audit(database, "access_denied")) == before + len(STAFF_PAGES)


def test_the_tilburg_account_gets_geen_toegang_for_breda_by_every_address(
    tab, app_server, database
):
    log_in_by_keyboard(tab, app_server, TILBURG.email, TILBURG.password)
    expect(tab.get_by_role("heading", name="Mijn koploper")).to_be_visible(timeout=15000)
    before = len(audit(database, "access_denied"))
    for page in STAFF_PAGES:
        for address in (f"/{page.url_path}?koploper=breda", f"/{page.url_path}?koploper=BREDA"):
            tab.goto(app_server + address)
            tab.get_by_role("heading", name="Geen toegang").wait_for(timeout=20000)
            settle(tab)
            assert "Breda" not in tab.inner_text("[data-testid='stMain']"), address
    denied = audit(database, "access_denied")[before:]
    assert len(denied) == 2 * len(STAFF_PAGES)
    assert {event.actor for event in denied} == {TILBURG.email}
    expected = [
        "breda" if "gemeente" in page.roles else None  # else refused by role, before the slug
        for page in STAFF_PAGES
        for _ in range(2)
    ]
    assert [event.koploper for event in denied] == expected
    menu = tab.locator("[data-testid='stSidebar']").inner_text()
    for page in STAFF_PAGES:
        assert (page.title in menu) == ("gemeente" in page.roles), page.title


def test_five_wrong_passwords_lock_the_right_one_out_and_the_beheerder_sees_it_in_the_logboek(
    tab, app_server
):
    for _ in range(6):
        log_in_by_keyboard(tab, app_server, LOCKED, "niet het goede wachtwoord")
    expect(tab.get_by_text("tijdelijk geblokkeerd")).to_be_visible()
    log_in_by_keyboard(tab, app_server, LOCKED, PASSWORD)
    expect(tab.get_by_text("tijdelijk geblokkeerd")).to_be_visible()
    assert tab.get_by_role("button", name="Uitloggen").count() == 0
    tab.context.clear_cookies()
    log_in_by_keyboard(tab, app_server, ADMIN.email, ADMIN.password)
    expect(tab.get_by_role("heading", name="Veldwerk")).to_be_visible(timeout=15000)
    tab.locator("[data-testid='stSidebar']").get_by_role("link", name="Logboek").click()
    tab.get_by_role("heading", name="Logboek").wait_for(timeout=20000)
    settle(tab)
    text = tab.inner_text("[data-testid='stMain']")
    assert LOCKED in text and "Inloggen mislukt" in text and "Inloggen geblokkeerd" in text


def test_every_page_behind_the_login_passes_axe_for_the_beheerder(tab, app_server):
    log_in_by_keyboard(tab, app_server, ADMIN.email, ADMIN.password)
    expect(tab.get_by_role("heading", name="Veldwerk")).to_be_visible(timeout=15000)
    for page in (*STAFF_PAGES, None):
        path, title = (page.url_path, page.title) if page else ("inloggen", "Mijn account")
        tab.goto(f"{app_server}/{path}")
        tab.get_by_role("heading", name=title).wait_for(timeout=20000)
        settle(tab)
        assert_dutch(tab)
        assert axe_violations(tab) == [], path
