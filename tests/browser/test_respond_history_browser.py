"""The respondent in Chromium: the browser's Back and reload, a phone, and incomplete addresses.

Back goes one screen back inside the questionnaire with every answer kept, reload shows the same
screen (the screen is in the address, the answers in the draft); on a phone the progress line is
not under Streamlit's top bar; any /respond address is a respondent's page, never the staff's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import suppress

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link, set_wave_open
from db.models import Draft
from db.responses import NewResponse, store_response
from db.setup import init_database
from surveys.definition import load_builtin
from surveys.texts import LINK_PROBLEMS
from tests.browser.helpers import click_and_settle, settle

pytestmark = pytest.mark.browser

LINK = "/respond?survey=client&koploper=almere&wave=T2"
CHECKED = """box => [...document.querySelectorAll(
  `.st-key-item-${box} input:checked`)].map(e => e.closest('label').innerText.trim())"""


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """Almere's T2 open, and one demo response, so the staff pages would show the demo banner."""
    url = f"sqlite:///{tmp_path_factory.mktemp('respond-history') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=30))
        fieldwork = resolve_link(session, "client", "almere", "T2")
        demo = NewResponse(
            **fieldwork.ids,
            channel="web",
            language="nl",
            idempotency_key=uuid.uuid4().hex,
            submitted_at=dt.datetime.now(dt.UTC),
            is_demo=True,
            answers={"used_oco": 0},
        )
        store_response(session, load_builtin("client"), demo, None)
    return url


def drafts(database: str) -> list[Draft]:
    with get_sessionmaker(database)() as session:
        return list(session.scalars(select(Draft)))


def pick(page, key: str, label: str) -> None:
    page.locator(f".st-key-item-{key}").get_by_text(label, exact=True).click()
    settle(page)


def checked(page, box: str) -> list[str]:
    """The ticked answers of one question, once its widgets have them (a busy machine is slow)."""
    with suppress(PlaywrightTimeout):
        page.wait_for_function(f"() => ({CHECKED})({box!r}).length > 0", timeout=10000)
    return page.evaluate(CHECKED, box)


def on_screen(page, text: str) -> None:
    page.get_by_text(text, exact=True).wait_for(timeout=30000)
    settle(page)


def test_back_goes_one_screen_back_with_the_answers_and_reload_shows_the_same_screen(
    tab, app_server, database
):
    tab.goto(app_server + LINK)
    tab.get_by_role("button", name="Beginnen").wait_for(timeout=30000)
    settle(tab)
    click_and_settle(tab, tab.get_by_role("button", name="Beginnen"))
    on_screen(tab, "Deel 1 van 6")
    pick(tab, "aware_oco", "Nee")
    pick(tab, "used_oco", "Ja")
    click_and_settle(tab, tab.get_by_role("button", name="Volgende"))
    on_screen(tab, "Deel 2 van 6")
    code = tab.url.split("resume=")[1].split("&")[0]

    tab.go_back()
    on_screen(tab, "Deel 1 van 6")  # the screen before, not the intro
    assert tab.get_by_role("button", name="Beginnen").count() == 0
    assert checked(tab, "aware_oco") == ["Nee"]
    assert checked(tab, "used_oco") == ["Ja"]

    tab.reload()
    on_screen(tab, "Deel 1 van 6")
    assert checked(tab, "aware_oco") == ["Nee"]
    assert checked(tab, "used_oco") == ["Ja"]

    tab.go_forward()
    on_screen(tab, "Deel 2 van 6")
    pick(tab, "knew_where", "Mee eens")  # answered on this screen, 'Volgende' not pressed
    tab.reload()
    on_screen(tab, "Deel 2 van 6")
    assert checked(tab, "knew_where") == ["Mee eens"]
    assert f"resume={code}" in tab.url
    [draft] = drafts(database)  # one questionnaire, one code: no new start on the way
    assert draft.answers == {"aware_oco": 0, "used_oco": 1, "knew_where": 4}


def assert_uncovered(page, text: str) -> None:
    """``text`` is on the screen and nothing (such as the top bar) lies over its centre."""
    progress = page.get_by_text(text, exact=True)
    progress.wait_for(timeout=30000)
    settle(page)
    page.wait_for_timeout(400)  # the step's own scroll and focus
    assert progress.is_visible() and progress.bounding_box()["y"] >= 0
    on_top = progress.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                   return top === el || el.contains(top); }"""
    )
    assert on_top, f"'{text}' is covered"


def test_on_a_phone_the_progress_line_is_visible_and_not_under_the_top_bar(browser, app_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="nl-NL"
    )
    page = context.new_page()
    page.goto(app_server + LINK + "&lang=nl-eenvoudig")
    page.get_by_role("button", name="Beginnen").wait_for(timeout=30000)
    settle(page)
    # The title's long word stands whole on one line, and nothing is wider than the phone.
    word = page.evaluate(
        """() => {
          const h1 = document.querySelector('h1');
          const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf('cliëntondersteuner');
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 'cliëntondersteuner'.length);
            return {lines: new Set([...range.getClientRects()].map(r => Math.round(r.top))).size,
                    wide: h1.scrollWidth > h1.clientWidth + 1};
          }
          return null;
        }"""
    )
    assert word == {"lines": 1, "wide": False}, word
    click_and_settle(page, page.get_by_role("button", name="Beginnen"))
    assert_uncovered(page, "Vraag 1 van 20")
    pick(page, "aware_oco", "Ja")  # 'Verder' sits at the bottom: the next screen starts at its top
    click_and_settle(page, page.get_by_role("button", name="Verder"))
    assert_uncovered(page, "Vraag 2 van 20")
    context.close()


@pytest.mark.parametrize(
    "address",
    [
        "/respond",
        "/Respond?koploper=almere&wave=T2",
        "/respond?lang=nl-eenvoudig",
        "/RESPOND/?koploper=almere",
    ],
)
def test_every_respond_address_is_a_respondents_page_with_a_plain_message(tab, app_server, address):
    tab.goto(app_server + address)
    tab.get_by_text(LINK_PROBLEMS["incomplete"]).wait_for(timeout=30000)
    settle(tab)
    body = tab.inner_text("body")
    assert "Demogegevens" not in body
    for staff in ("Inloggen", "Start", "Mijn koploper"):
        assert tab.get_by_role("link", name=staff).count() == 0
    assert tab.locator('[data-testid="stSidebar"]').count() == 0
    assert tab.title() == "Vragenlijst"
