"""Nothing from another host, in Chromium: every request a page makes goes to the app itself.

A respondent's IP address may not reach a third party (the privacy notice names none), and the
staff pages keep to the same rule: icons, fonts and scripts are served by the app. Each test
records every request of its browser context (popups and workers included) and every WebSocket,
and fails on any host other than the app's. ``data:`` and ``blob:`` addresses fetch nothing.

One server on its own SQLite database with demo data and the demo accounts (README).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from db.access import command_line
from db.demo import DEMO_ACCOUNTS, seed_demo, seed_demo_accounts
from db.engine import get_sessionmaker
from db.setup import init_database
from tests.browser.helpers import click_and_settle, settle
from tests.browser.test_access_browser import log_in_by_keyboard

pytestmark = pytest.mark.browser

TILBURG = next(a for a in DEMO_ACCOUNTS if a.role == "gemeente")
RESEARCHER = next(a for a in DEMO_ACCOUNTS if a.role == "onderzoeker")
LINK = "/respond?survey=client&koploper=almere&wave=T2"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('own-host') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(40, 60))  # opens wave T2 of every koploper too
        seed_demo_accounts(session, command_line())
    return url


class Requests:
    """Every address the browser context asks for, in order."""

    def __init__(self, tab) -> None:
        self.addresses: list[str] = []
        tab.context.on("request", lambda request: self.addresses.append(request.url))
        tab.on("websocket", lambda socket: self.addresses.append(socket.url))

    def elsewhere(self, app: str) -> list[str]:
        """The addresses on another host than ``app`` (data: and blob: fetch nothing)."""
        own = urlparse(app).netloc
        return [
            address
            for address in self.addresses
            if urlparse(address).scheme not in ("data", "blob") and urlparse(address).netloc != own
        ]


def look(tab) -> None:
    """Let the page finish, favicon and late chart scripts included."""
    settle(tab)
    tab.wait_for_timeout(1000)
    settle(tab)


@pytest.mark.parametrize("register", ["", "&lang=nl-eenvoudig"], ids=["standard", "easy-read"])
def test_the_questionnaire_asks_nothing_of_another_host(tab, app_server, register):
    requests = Requests(tab)
    tab.goto(app_server + LINK + register)
    start = tab.get_by_role("button", name="Beginnen")
    start.wait_for(timeout=30000)
    look(tab)
    click_and_settle(tab, start)
    tab.locator(".st-key-item-aware_oco").wait_for(timeout=20000)
    look(tab)
    # The favicon is the app's own, sent inline: no address at all.
    icon = tab.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
    assert icon.startswith("data:image/svg+xml"), icon[:80]
    assert len(requests.addresses) > 5  # the recorder works: the app's own files were asked
    assert requests.elsewhere(app_server) == []


def test_the_login_page_and_the_dashboards_with_charts_ask_nothing_of_another_host(tab, app_server):
    requests = Requests(tab)
    tab.goto(app_server + "/inloggen")
    tab.get_by_role("heading", name="Inloggen").wait_for(timeout=20000)
    look(tab)
    assert requests.elsewhere(app_server) == []
    log_in_by_keyboard(tab, app_server, TILBURG.email, TILBURG.password)
    tab.get_by_role("heading", name="Mijn koploper").wait_for(timeout=60000)
    tab.locator("[data-testid='stPlotlyChart'] svg").first.wait_for(timeout=60000)
    look(tab)
    assert requests.elsewhere(app_server) == []
    # The researcher's page with the forest plot: Plotly loads no MathJax or map data either.
    tab.context.clear_cookies()
    log_in_by_keyboard(tab, app_server, RESEARCHER.email, RESEARCHER.password)
    tab.get_by_role("heading", name="Veldwerk").first.wait_for(timeout=60000)
    tab.goto(app_server + "/vergelijken?onderdeel=Per indicator")
    tab.get_by_role("heading", name="Vergelijken").wait_for(timeout=60000)
    tab.locator("[data-testid='stPlotlyChart'] svg").first.wait_for(timeout=90000)
    look(tab)
    assert tab.locator("[data-testid='stPlotlyChart']").count() >= 1
    assert requests.elsewhere(app_server) == []
