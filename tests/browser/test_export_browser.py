"""Exporteren in Chromium: the demo onderzoeker makes an SPSS file of one koploper and wave, axe
finds no WCAG 2.1 A/AA violation, and the file downloaded reads back with its labels.

One server on its own SQLite database with the demo data and the demo accounts (README).
"""

from __future__ import annotations

import pyreadstat
import pytest
from playwright.sync_api import expect

from db.access import command_line
from db.audit import read_log
from db.demo import DEMO_ACCOUNTS, seed_demo, seed_demo_accounts
from db.engine import get_sessionmaker
from db.setup import init_database
from surveys.clock import dutch_day
from tests.browser.helpers import assert_dutch, axe_violations, settle
from tests.browser.test_access_browser import log_in_by_keyboard

pytestmark = pytest.mark.browser

RESEARCHER = next(a for a in DEMO_ACCOUNTS if a.role == "onderzoeker")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(20, 25))
        seed_demo_accounts(session, command_line())
    return url


def test_a_researcher_exports_spss_with_labels_and_the_page_passes_axe(tab, app_server, database):
    log_in_by_keyboard(tab, app_server, RESEARCHER.email, RESEARCHER.password)
    tab.get_by_role("heading", name="Veldwerk").wait_for(timeout=60000)
    tab.goto(app_server + "/exporteren?koploper=tilburg")
    tab.get_by_role("heading", name="Exporteren").wait_for(timeout=60000)
    settle(tab)
    # Only demo data here: without demo responses there is nothing, and no button.
    expect(tab.get_by_text("er is niets om te exporteren")).to_be_visible()
    assert tab.get_by_role("button", name="Bestand maken").count() == 0
    assert_dutch(tab)
    assert axe_violations(tab) == []

    tab.get_by_text("Ook demo-antwoorden").click()
    settle(tab)
    tab.get_by_text("SPSS (.sav, met labels)").click()
    settle(tab)
    tab.get_by_role("button", name="Bestand maken").click()
    ready = tab.get_by_role("button", name="Downloaden")
    ready.wait_for(timeout=60000)
    settle(tab)
    assert axe_violations(tab) == []
    with tab.expect_download(timeout=90000) as download:
        ready.click()
    name = download.value.suggested_filename
    assert name == f"koplopermonitor-antwoorden-tilburg-alle-metingen-{dutch_day()}.sav"
    frame, meta = pyreadstat.read_sav(download.value.path(), user_missing=True)
    assert set(frame["koploper"]) == {"tilburg"} and len(frame) > 0
    assert meta.variable_value_labels["knew_where"][5] == "Helemaal mee eens"
    assert meta.missing_ranges["knew_where"] == [{"lo": 9.0, "hi": 9.0}]

    with get_sessionmaker(database)() as session:
        log = read_log(session, command_line(), actions=["export"])
    mine = log[log["actor"] == RESEARCHER.email]
    assert list(mine["koploper"]) == ["tilburg"]
    assert mine["detail"].iloc[0].startswith(f"sav (app), {len(frame)} antwoorden")
