"""The respondent's path in Chromium: the link on the letter, the chrome, and every message.

Each server here is fresh, so the order in which people arrive is under test too: the first visitor
of a new server may come straight from the letter.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import set_wave_open
from db.setup import init_database
from tests.browser.helpers import assert_dutch, axe_violations, click_and_settle, settle
from tests.browser.launch import free_port, streamlit_server

pytestmark = pytest.mark.browser

LINK = "/respond?survey=client&koploper=almere&wave=T2"
TITLE = "Vragenlijst over cliëntondersteuning"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('respondent-path') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        until = dt.date.today() + dt.timedelta(days=30)
        for slug in ("almere", "regio-twente"):
            set_contact(session, slug, phone="14 036", email=f"onderzoek@{slug}.example.nl")
            set_wave_open(session, slug, "T2", until)
    return url


def assert_dutch_page_without_modal(page, title: str) -> None:
    # The first visit of a fresh server waits for the app's first run: long on a busy machine.
    page.get_by_role("heading", name=title).wait_for(timeout=60000)
    settle(page)
    assert_dutch(page)
    assert page.title() == title
    assert page.get_by_role("dialog").count() == 0
    assert "Page not found" not in page.inner_text("body")


@pytest.mark.parametrize("first", ["letter", "start page", "mistyped letter"])
def test_the_link_on_the_letter_works_whoever_came_first_in_dutch_without_a_modal(
    database, browser, tmp_path, first
):
    with streamlit_server(database, tmp_path / "streamlit.log") as base:
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        if first == "start page":
            page.goto(base + "/")
            assert_dutch_page_without_modal(page, "Koplopermonitor")
        if first == "mistyped letter":  # before anyone ran the router: Streamlit's folder mode
            page.goto(base + LINK.replace("/respond", "/Respond"))
            assert_dutch_page_without_modal(page, TITLE)
        for _ in range(2):  # again, in a new tab, on a server that others have visited now
            tab = context.new_page()
            tab.goto(base + LINK)
            assert_dutch_page_without_modal(tab, TITLE)
            expect(tab.get_by_role("button", name="Beginnen")).to_be_visible(timeout=30000)
            tab.close()
        context.close()


def test_a_respondent_never_sees_database_details_when_it_is_unreachable(browser, tmp_path):
    secret = f"postgresql+psycopg://geheimegebruiker:wachtwoord@127.0.0.1:{free_port()}/geheimedb"
    log = tmp_path / "streamlit.log"
    with streamlit_server(secret, log) as base:
        tab = browser.new_page(locale="nl-NL")
        tab.goto(base + LINK)
        tab.get_by_text("niet bereikbaar door een storing").wait_for(timeout=30000)
        body = tab.inner_text("body")
        for detail in ("geheimegebruiker", "geheimedb", "127.0.0.1", "DATABASE_URL", "postgresql"):
            assert detail not in body
        assert_dutch(tab)
        tab.close()
    assert "geheimedb" in log.read_text()  # the details are for the log


def item(page, key: str):
    return page.locator(f".st-key-item-{key}")


def pick(page, key: str, label: str) -> None:
    item(page, key).get_by_text(label, exact=True).click()
    settle(page)


def press(page, label: str) -> None:
    button = page.get_by_role("button", name=label, exact=True)
    expect(button).to_have_count(1, timeout=30000)  # not while a screen is being replaced
    click_and_settle(page, button)


def test_the_respondent_sees_no_streamlit_chrome_and_a_dutch_skip_link(tab, app_server):
    tab.goto(app_server + LINK)
    assert_dutch_page_without_modal(tab, TITLE)
    assert not tab.locator('[data-testid="stMainMenu"]').is_visible()
    assert not tab.locator('[data-testid="stToolbar"]').is_visible()
    assert tab.locator('[data-testid="stSkipToContent"]').inner_text() == "Naar de inhoud"
    body = tab.inner_text("body")
    assert "Made with Streamlit" not in body and "Skip to main content" not in body


def test_a_region_is_named_as_a_region_on_the_intro(tab, app_server):
    tab.goto(app_server + "/respond?survey=client&koploper=regio-twente&wave=T2")
    assert_dutch_page_without_modal(tab, TITLE)
    body = tab.inner_text("body")
    assert "van Regio Twente, samen met Movisie" in body
    assert "gemeente Regio Twente" not in body


def test_question_text_is_large_and_bold_with_its_help_between_question_and_answers(
    tab, app_server
):
    tab.goto(app_server + LINK)
    assert_dutch_page_without_modal(tab, TITLE)
    press(tab, "Beginnen")
    block = item(tab, "aware_oco")
    question = block.locator(".km-question")
    style = question.evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e).fontWeight]"
    )
    assert style[0] >= 18 and int(style[1]) >= 700
    top = question.bounding_box()["y"]
    help_top = block.locator(".km-help").bounding_box()["y"]
    first_option = block.get_by_text("Ja", exact=True).bounding_box()["y"]
    assert top < help_top < first_option
    # Every type looks the same: the multiple-choice question too.
    pick(tab, "aware_oco", "Ja")
    other = item(tab, "heard_via").locator(".km-question")
    assert other.evaluate("e => getComputedStyle(e).fontSize") == question.evaluate(
        "e => getComputedStyle(e).fontSize"
    )
    assert axe_violations(tab) == []


def to_screen_with(page, server: str, key: str) -> None:
    """Standard version, help received: answer what is needed until ``key`` is on screen."""
    page.goto(server + LINK)
    assert_dutch_page_without_modal(page, TITLE)
    press(page, "Beginnen")
    pick(page, "aware_oco", "Nee")
    pick(page, "used_oco", "Ja")
    while item(page, key).count() == 0:
        press(page, "Volgende")


def test_geen_van_deze_with_another_answer_is_called_out_beside_the_question_at_once(
    tab, app_server
):
    to_screen_with(tab, app_server, "target_group")
    block = item(tab, "target_group")
    block.get_by_text("Mantelzorger", exact=True).click()
    settle(tab)
    block.get_by_text("Geen van deze", exact=True).click()
    settle(tab)
    assert '"Geen van deze" kan niet samen met een ander antwoord' in block.inner_text()
    assert axe_violations(tab) == []
    heading = tab.get_by_role("heading", level=2).inner_text()
    press(tab, "Volgende")
    assert tab.get_by_role("heading", level=2).inner_text() == heading  # stays on the screen
    block.get_by_text("Mantelzorger", exact=True).click()
    settle(tab)
    assert "kan niet samen" not in block.inner_text()


def test_a_number_out_of_range_keeps_its_value_and_gets_a_dutch_message_beside_it(tab, app_server):
    to_screen_with(tab, app_server, "contacts")
    field = item(tab, "contacts").locator("input")
    field.fill("150")
    field.press("Tab")
    settle(tab)
    assert field.input_value() == "150"
    assert "Vul een getal in van 0 tot 99." in item(tab, "contacts").inner_text()
    assert tab.get_by_role("tooltip").count() == 0
    assert axe_violations(tab) == []


def test_a_paste_over_the_limit_keeps_the_text_and_gets_a_dutch_message_beside_it(tab, app_server):
    to_screen_with(tab, app_server, "comments")
    area = item(tab, "comments").locator("textarea")
    pasted = "Dit is een lang verhaal. " * 60  # 1,500 characters
    area.focus()
    # What a paste does to a field: the whole text arrives in one input event.
    tab.keyboard.insert_text(pasted)
    area.press("Tab")
    settle(tab)
    assert area.input_value() == pasted
    assert "Uw antwoord is te lang (1.500 tekens)" in item(tab, "comments").inner_text()


def test_progress_never_runs_backwards_when_follow_up_questions_appear(tab, app_server):
    tab.goto(app_server + LINK + "&lang=nl-eenvoudig")
    assert_dutch_page_without_modal(tab, "Vragen over hulp van een cliëntondersteuner")
    press(tab, "Beginnen")
    seen = []
    answers = {"aware_oco": "Nee", "used_oco": "Ja"}
    for _ in range(6):
        bar = tab.get_by_role("progressbar")
        seen.append(int(bar.get_attribute("aria-valuenow")))
        for key, label in answers.items():
            if item(tab, key).count():
                pick(tab, key, label)
        press(tab, "Verder")
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert "van 20" in tab.inner_text("body")


def test_the_privacy_notice_linked_from_the_intro_is_dutch_accessible_and_calm(tab, app_server):
    tab.goto(app_server + LINK)
    assert_dutch_page_without_modal(tab, TITLE)
    link = tab.get_by_role("link", name="Lees wat wij met uw antwoorden doen (privacyverklaring)")
    with tab.context.expect_page() as opened:
        link.click()
    notice = opened.value
    assert_dutch_page_without_modal(notice, "Privacyverklaring")
    body = notice.inner_text("body")
    assert "onderzoek@almere.example.nl" in body and "Autoriteit Persoonsgegevens" in body
    assert not notice.locator('[data-testid="stMainMenu"]').is_visible()
    assert axe_violations(notice) == []


@pytest.mark.parametrize("register", ["", "&lang=nl-eenvoudig"], ids=["standard", "easy-read"])
def test_the_question_stands_out_above_its_help_and_answers_in_both_registers(
    tab, app_server, register
):
    tab.goto(app_server + LINK + register)
    tab.get_by_role("button", name="Beginnen").wait_for(timeout=20000)
    press(tab, "Beginnen")
    block = item(tab, "aware_oco")

    def size(locator) -> float:
        return locator.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")

    question, help_text = size(block.locator(".km-question")), size(block.locator(".km-help"))
    option = size(block.get_by_text("Ja", exact=True))
    assert question > help_text >= 16 and question > option >= 17
    if register:  # easy read: larger still than the standard version's 1.3rem
        assert question >= 25 and option >= 20
    # What a respondent types is as large as the answers around it.
    to_screen_with(tab, app_server, "contacts")
    assert size(item(tab, "contacts").locator("input")) >= 17


@pytest.mark.parametrize("path", ["/Respond", "/respons", "/"])
def test_a_respondent_link_with_a_mistyped_path_still_opens_the_questionnaire(
    tab, app_server, path
):
    tab.goto(app_server + path + "?survey=client&koploper=Almere&wave=t2")
    assert_dutch_page_without_modal(tab, TITLE)
    assert tab.get_by_role("button", name="Beginnen").is_visible()


def test_streamlit_says_nothing_in_english_while_typing_an_answer(tab, app_server):
    to_screen_with(tab, app_server, "contacts")
    field = item(tab, "contacts").locator("input")
    field.click()
    tab.keyboard.type("12")
    tab.wait_for_timeout(300)
    assert "Press Enter" not in tab.inner_text("body")
    english = tab.evaluate(
        """() => [...document.querySelectorAll('[aria-label], [title]')]
              .map(e => e.getAttribute('aria-label') || e.getAttribute('title'))
              .filter(t => ['Clear value', 'Decrement', 'Increment', 'Main menu'].includes(t))"""
    )
    assert english == []
