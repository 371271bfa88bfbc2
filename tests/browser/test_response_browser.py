"""Veldwerk's response part in Chromium: the invitations table with "1 van de 200 (0,5 %)", the
chart of responses per day with its letter marks, and no axe violations (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from db.access import command_line
from db.engine import get_sessionmaker
from db.setup import init_database
from db.users import add_user
from tests.browser.helpers import axe_violations, settle
from tests.db.rates_data import add_batch, add_responses

pytestmark = pytest.mark.browser

TILBURG = "pl@tilburg.example"
PASSWORD = "vier losse woorden paard"
DAY = dt.date(2026, 3, 4)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('response') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        add_user(session, command_line(), TILBURG, "gemeente", ["tilburg"], password=PASSWORD)
        add_batch(
            session, "tilburg", "T0", "client", 200, [DAY], letters_on=dt.date(2026, 3, 2),
            reminders_on=dt.date(2026, 3, 16),
        )  # fmt: skip
        add_responses(session, "tilburg", "T0", "client", DAY, 1, invited=True)
        add_responses(session, "tilburg", "T0", "client", DAY, 3, invited=False)
    return url


def test_veldwerk_shows_the_rate_and_the_chart_per_day_accessibly(tab, app_server):
    tab.goto(app_server + "/inloggen")
    tab.get_by_role("heading", name="Inloggen").wait_for(timeout=20000)
    settle(tab)
    tab.get_by_label("E-mailadres").fill(TILBURG)
    tab.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    tab.get_by_role("button", name="Inloggen").click()
    settle(tab)
    tab.wait_for_url(lambda url: "inloggen" not in url, timeout=20000)
    tab.goto(app_server + "/veldwerk")
    tab.get_by_role("heading", name="Respons", exact=True).wait_for(timeout=30000)
    settle(tab)
    expect(
        tab.get_by_text("Respons inwoners en cliënten: 1 van de 200 (0,5", exact=False)
    ).to_be_visible()
    chart = tab.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    expect(chart.get_by_text("brieven")).to_be_visible()
    expect(chart.get_by_text("herinnering")).to_be_visible()
    assert axe_violations(tab) == []
