"""Streamlit's own chrome for staff, in Chromium: readable, accessible and Dutch.

Every page behind the login passes axe-core (WCAG 2.1 A and AA) on the whole page, the sidebar
with its captions included, and with no text whose contrast axe could not decide. The words
Streamlit adds itself (a multiselect's "Select all", a table's toolbar, the ⋮ menu) are Dutch or
absent. One server on its own SQLite database with demo data and the demo accounts (README).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from db.access import command_line
from db.demo import DEMO_ACCOUNTS, seed_demo, seed_demo_accounts
from db.engine import get_sessionmaker
from db.setup import init_database
from pages.ui.routing import STAFF_PAGES
from tests.browser.helpers import axe_violations, settle
from tests.browser.test_access_browser import log_in_by_keyboard

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "beheerder")
SIDEBAR = "[data-testid='stSidebar']"
ENGLISH = (
    "Select all",
    "Download as CSV",
    "Search",
    "Show/hide columns",
    "Fullscreen",
    "Print",
    "Record screen",
    "Made with Streamlit",
    "Clear all",
    "Press Enter",
    "Use arrow keys",
    "Previous month",
    "Next month",
    "Choose date",
)
MONTHS = ("January", "March", "May", "June", "July", "October", "November", "December")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('chrome') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(40, 60))
        seed_demo_accounts(session, command_line())
    return url


def log_in_as_beheerder(tab, app_server) -> None:
    log_in_by_keyboard(tab, app_server, ADMIN.email, ADMIN.password)
    expect(tab.get_by_role("heading", name="Veldwerk")).to_be_visible(timeout=30000)


@pytest.mark.parametrize("role", ["beheerder", "gemeente", "adviesraad"])
def test_every_page_behind_the_login_passes_axe_on_the_whole_page_sidebar_included(
    tab, app_server, role
):
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    log_in_by_keyboard(tab, app_server, account.email, account.password)
    expect(tab.get_by_role("button", name="Uitloggen")).to_be_visible(timeout=30000)
    pages = [("", "Koplopermonitor")]
    pages += [(page.url_path, page.title) for page in STAFF_PAGES if role in page.roles]
    pages += [("inloggen", "Mijn account")]
    if role == "beheerder":  # every page there is (a page added later is checked too)
        assert {
            "Koplopermonitor",
            "Mijn koploper",
            "Veldwerk",
            "Vergelijken",
            "Exporteren",
            "Gebruikers",
            "Logboek",
            "Mijn account",
        } <= {title for _, title in pages}
    for path, title in pages:
        tab.goto(f"{app_server}/{path}")
        tab.get_by_role("heading", name=title, exact=True).wait_for(timeout=60000)
        settle(tab)
        assert tab.locator(SIDEBAR).get_by_text("Ingelogd als").is_visible(), path
        assert axe_violations(tab) == [], path
    # The captions themselves: solid, not faded to 60 % (4,4:1 on the sidebar's background).
    caption = tab.locator(SIDEBAR).get_by_text("Werk", exact=True)
    assert (
        caption.evaluate(
            "e => getComputedStyle(e.closest('[data-testid=stCaptionContainer]')).opacity"
        )
        == "1"
    )


def visible_english(tab) -> list[str]:
    body = tab.inner_text("body")
    return [words for words in ENGLISH if words in body]


def english_labels(tab) -> list[str]:
    labels = tab.evaluate(
        "() => [...document.querySelectorAll('[aria-label], [title], [aria-valuetext]')]"
        ".map(e => ['aria-label', 'title', 'aria-valuetext']"
        ".map(name => e.getAttribute(name) || '').join(' '))"
    )
    return [label for label in labels if any(words in label for words in ENGLISH + MONTHS)]


def test_a_multiselect_a_table_toolbar_and_the_menu_say_nothing_in_english(tab, app_server):
    # Typing in the login form: the hint under the field is Dutch.
    tab.goto(app_server + "/inloggen")
    tab.get_by_role("heading", name="Inloggen").wait_for(timeout=60000)
    settle(tab)
    tab.get_by_label("E-mailadres").press_sequentially(ADMIN.email)
    expect(tab.get_by_text("Druk op Enter om te versturen")).to_be_visible(timeout=10000)
    assert visible_english(tab) == []
    log_in_as_beheerder(tab, app_server)
    # The ⋮ menu with "Print", "Record screen" and "Made with Streamlit" is not there at all.
    assert tab.locator("[data-testid='stMainMenu']").count() == 0
    assert visible_english(tab) == []
    # A multiselect, opened: its first option is Dutch.
    tab.goto(app_server + "/logboek")
    tab.get_by_role("heading", name="Logboek").wait_for(timeout=60000)
    settle(tab)
    tab.locator("[data-testid='stMultiSelect']").first.click()
    expect(tab.get_by_role("option", name="Alles kiezen")).to_be_visible(timeout=10000)
    assert visible_english(tab) == [] and english_labels(tab) == []
    tab.keyboard.press("Escape")
    # A date field and its calendar, opened from the keyboard.
    tab.locator("[data-testid='stDateInput'] [role='spinbutton']").first.focus()
    tab.keyboard.press("Alt+ArrowDown")
    calendar = tab.locator("[data-testid='stDateInputCalendar']")
    expect(calendar).to_be_visible(timeout=10000)
    assert (calendar.text_content() or "").strip() != ""
    assert [w for w in ENGLISH if w in (calendar.text_content() or "")] == []
    assert english_labels(tab) == []
    tab.keyboard.press("Escape")
    # A table's toolbar: its buttons and the tooltip of each, Dutch.
    tab.goto(app_server + "/gebruikers")
    tab.get_by_role("heading", name="Gebruikers").wait_for(timeout=60000)
    settle(tab)
    tab.locator("[data-testid='stDataFrame']").first.hover()
    buttons = tab.locator("[data-testid='stElementToolbarButton'] button")
    expect(buttons.first).to_be_visible(timeout=10000)
    tips = []
    for number in range(buttons.count()):
        buttons.nth(number).hover()
        tip = tab.locator("[data-testid='stTooltipContent']").last
        expect(tip).to_be_visible(timeout=10000)
        tips.append(tip.inner_text())
        assert visible_english(tab) == [], tips
    # No CSV button: a table's rows leave only through the app's audited downloads.
    assert "Zoeken" in tips and not [tip for tip in tips if "CSV" in tip], tips
    assert english_labels(tab) == []
