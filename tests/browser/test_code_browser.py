"""The way in with an invitation code, in Chromium: typed with the keyboard only, and by the
personal link of the letter's QR code, whose code leaves the address bar and the history at once.

One server on its own SQLite database: Almere's T2 open, with codes made for the client
questionnaire, and a gemeente account of Almere for the page Uitnodigingen. axe-core checks
/code and Uitnodigingen against WCAG 2.1 A/AA.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from db.access import command_line
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import set_wave_open
from db.invitations import code_rows, make_codes
from db.models import InvitationCode, Response
from db.setup import init_database
from db.users import add_user
from surveys.codes import printed
from tests.browser.helpers import axe_violations, settle
from tests.browser.test_access_browser import log_in_by_keyboard
from tests.browser.test_respond_browser import Respondent

pytestmark = pytest.mark.browser

GEMEENTE, PASSWORD = "gemeente-almere@test.example", "vier losse woorden paard"
TITLE = "Vragenlijst over cliëntondersteuning"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('code') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=30))
        make_codes(session, command_line(), "almere", "T2", "client", 5)
        add_user(session, command_line(), GEMEENTE, "gemeente", ["almere"], password=PASSWORD)
    return url


@pytest.fixture(scope="module")
def codes(database) -> list[str]:
    with get_sessionmaker(database)() as session:
        return [row.code for row in code_rows(session, command_line(), "almere", "T2", "client")]


def responses(database: str) -> list[Response]:
    with get_sessionmaker(database)() as session:
        return list(session.scalars(select(Response)))


def used(database: str, code: str) -> bool:
    with get_sessionmaker(database)() as session:
        return bool(
            session.scalar(select(InvitationCode.used_on).where(InvitationCode.code == code))
        )


def type_code(me: Respondent, typed: str) -> None:
    """Tab to the field, type the code and press Enter: the keyboard only."""
    me.tab_until(lambda a: a["tag"] == "INPUT" and a["type"] == "text", "the field 'Uw code'")
    me.page.keyboard.type(typed)
    me.page.keyboard.press("Enter")
    me.settle()


def fill_in_shortly_and_send(me: Respondent) -> None:
    """The shortest way through the client questionnaire: no help received."""
    me.press("Beginnen")
    me.screen("bekendheid", "Deel 1 van")
    me.choose("aware_oco", "Nee")
    me.choose("used_oco", "Nee")
    for _ in range(6):
        me.press("Volgende")
        if me.page.get_by_text("Uw antwoorden", exact=True).count():
            break
    me.screen("overzicht", "Uw antwoorden")
    me.press("Versturen")
    me.screen("bedankt", "Dank u wel!")


def test_a_code_typed_by_keyboard_opens_the_questionnaire_sends_once_and_is_then_refused(
    tab, app_server, database, codes
):
    code = codes[0]
    tab.shots = []  # Respondent keeps a screenshot per screen
    me = Respondent(tab)
    tab.goto(f"{app_server}/code")
    me.screen("code", "Uw code")
    assert tab.get_by_label("Uw code").get_attribute("autocomplete") == "off"
    assert axe_violations(tab) == []
    type_code(me, f"{code[:4].lower()} {code[4:].lower()}")  # lower case, a space
    me.screen("intro", TITLE)
    assert code not in tab.url
    fill_in_shortly_and_send(me)
    assert me.violations == []
    assert used(database, code)
    [response] = [r for r in responses(database) if r.invited]
    assert response.language == "nl"

    # The same code again, in a browser session of its own: refused, with whom to call.
    tab.goto(f"{app_server}/code")
    me.screen("code-again", "Uw code")
    type_code(me, printed(code))
    expect(tab.get_by_text("Deze code is al gebruikt.", exact=False)).to_be_visible()
    expect(tab.get_by_text("Telefoon: 14 036")).to_be_visible()
    assert len([r for r in responses(database) if r.invited]) == 1
    assert axe_violations(tab) == []


def test_the_personal_link_takes_its_code_out_of_the_address_bar_and_the_history(
    tab, app_server, database, codes
):
    code = codes[1]
    tab.shots = []
    me = Respondent(tab)
    seen: list[str] = []
    tab.on("framenavigated", lambda frame: seen.append(frame.url))
    tab.goto(f"{app_server}/code?c={printed(code)}")
    me.screen("intro", TITLE)
    tab.wait_for_function(f"() => !location.href.includes({code[:4]!r})", timeout=10000)
    assert tab.url == f"{app_server}/code"
    me.press("Beginnen")
    me.screen("bekendheid", "Deel 1 van")
    assert tab.url == f"{app_server}/code?screen=1"
    # Every entry of the history now: Back from the first screen, and Back once more.
    addresses = [tab.url]
    for _ in range(2):
        tab.go_back()
        settle(tab)
        addresses.append(tab.evaluate("location.href"))
    assert addresses[1] == f"{app_server}/code"
    assert not [a for a in addresses if code[:4] in a or "c=" in a], addresses
    assert not [a for a in seen[1:] if code[:4] in a], seen  # none since the first
    assert not used(database, code)  # opened, not sent


def test_the_code_page_and_uitnodigingen_pass_axe(tab, app_server, database):
    tab.goto(f"{app_server}/code")
    tab.get_by_role("heading", name="Vragenlijst met uw code").wait_for(timeout=30000)
    settle(tab)
    tab.get_by_label("Uw code").fill("XXXX-XXXX")
    tab.keyboard.press("Enter")
    expect(tab.get_by_text("Deze code kennen we niet.", exact=False)).to_be_visible()
    settle(tab)
    assert axe_violations(tab) == []  # with the message too

    log_in_by_keyboard(tab, app_server, GEMEENTE, PASSWORD)
    expect(tab.get_by_role("button", name="Uitloggen")).to_be_visible(timeout=30000)
    tab.goto(f"{app_server}/uitnodigingen")
    tab.get_by_role("heading", name="Uitnodigingen", exact=True).wait_for(timeout=60000)
    settle(tab)
    expect(tab.get_by_text("Gemaakte codes")).to_be_visible()
    assert axe_violations(tab) == []
    tab.get_by_role("button", name="Codes maken").click()
    expect(tab.get_by_text("Weet u zeker dat u", exact=False)).to_be_visible()
    settle(tab)
    assert axe_violations(tab) == []  # with the question too


def test_ten_wrong_codes_from_one_browser_pause_code_entry(tab, app_server, database, codes):
    """Last in this module: the pause holds for this server's database for 15 minutes."""
    tab.goto(f"{app_server}/code")
    tab.get_by_role("heading", name="Vragenlijst met uw code").wait_for(timeout=30000)
    settle(tab)
    assert tab.context.cookies()  # Streamlit's XSRF cookie: what names this browser
    field = tab.get_by_label("Uw code")
    for attempt in range(10):
        field.fill(f"ZZZZ-ZZZ{attempt}")
        field.press("Enter")
        message = "Te veel onjuiste codes" if attempt == 9 else "Deze code kennen we niet"
        expect(tab.get_by_text(message, exact=False)).to_be_visible(timeout=20000)
        settle(tab)
    field.fill(printed(codes[2]))  # a right code waits too
    field.press("Enter")
    settle(tab)
    expect(tab.get_by_text("Te veel onjuiste codes", exact=False)).to_be_visible()
    assert tab.get_by_role("heading", name=TITLE).count() == 0
