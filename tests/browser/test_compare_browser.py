"""Vergelijken in Chromium: the demo onderzoeker sees every koploper side by side, axe finds no
WCAG 2.1 A/AA violation in any part of the page, and a click on a koploper in the forest plot
opens its dashboard.

One server on its own SQLite database with the demo data and the demo accounts (README).
Screenshots go to /tmp/compare.png (the top), /tmp/compare-table.png (the table) and
/tmp/compare-forest.png (the forest plot).
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from db.access import command_line
from db.demo import DEMO_ACCOUNTS, seed_demo, seed_demo_accounts
from db.engine import get_sessionmaker
from db.models import AuditEvent
from db.setup import init_database
from tests.browser.helpers import MAIN, assert_dutch, axe_violations, settle
from tests.browser.test_access_browser import log_in_by_keyboard

pytestmark = pytest.mark.browser

ONDERZOEKER = next(a for a in DEMO_ACCOUNTS if a.role == "onderzoeker")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('compare') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(30, 60))
        seed_demo_accounts(session, command_line())
    return url


def open_compare(tab, app_server, part: str | None = None) -> None:
    log_in_by_keyboard(tab, app_server, ONDERZOEKER.email, ONDERZOEKER.password)
    tab.get_by_role("heading", name="Veldwerk").first.wait_for(timeout=60000)
    address = app_server + "/vergelijken" + (f"?onderdeel={part}" if part else "")
    tab.goto(address)
    tab.get_by_role("heading", name="Vergelijken").wait_for(timeout=60000)
    settle(tab)


def test_every_koploper_side_by_side_passes_axe(tab, app_server):
    open_compare(tab, app_server)
    tab.locator("[data-testid='stDataFrame']").first.wait_for(timeout=90000)
    settle(tab)
    main = tab.inner_text(MAIN)
    assert "Alle koplopers" in main and "Mijn koploper: Almelo" in main and "1 koploper." in main
    assert_dutch(tab)
    assert axe_violations(tab) == []
    tab.screenshot(path="/tmp/compare.png")
    table = tab.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    table.screenshot(path="/tmp/compare-table.png")
    for part in ("Per indicator", "Trends", "Veldwerk"):
        tab.get_by_role("tab", name=part).click()
        settle(tab)
        tab.get_by_role("heading", name=part, exact=True).wait_for(timeout=90000)
        settle(tab)
        assert axe_violations(tab) == [], part


def test_a_koploper_clicked_in_the_forest_plot_opens_its_dashboard(tab, app_server):
    open_compare(tab, app_server, "Per indicator")
    chart = tab.locator("[data-testid='stPlotlyChart']").first
    chart.locator("svg").first.wait_for(timeout=90000)
    settle(tab)
    chart.scroll_into_view_if_needed()
    tab.screenshot(path="/tmp/compare-forest.png")
    point = chart.locator(".scatterlayer .trace .points path").first
    point.click(force=True)
    tab.get_by_role("heading", name="Mijn koploper").wait_for(timeout=90000)
    expect(tab).to_have_url(re.compile(r"mijn-koploper\?koploper=[a-z-]+"))


WORDS_BROKEN = """() => {
    // Every word of every header of the plain tables, on one line: a header may wrap between
    // words, never inside one.
    const broken = [];
    for (const th of document.querySelectorAll('table.km-table th')) {
        const text = th.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) continue;
        let at = 0;
        for (const word of text.textContent.split(' ')) {
            const range = document.createRange();
            range.setStart(text, at);
            range.setEnd(text, at + word.length);
            if (word && range.getClientRects().length > 1) broken.push(word);
            at += word.length + 1;
        }
    }
    return broken;
}"""


def test_no_header_of_the_pooled_table_breaks_inside_a_word(tab, app_server):
    open_compare(tab, app_server, "Per indicator")
    tab.locator("table.km-table").first.wait_for(timeout=90000)
    settle(tab)
    assert tab.locator("table.km-table th").count() >= 8
    assert tab.evaluate(WORDS_BROKEN) == []
    assert "random" not in tab.inner_text(MAIN).replace("random-effectsmodel", "")


def test_the_excel_download_is_the_table_and_is_logged_when_fetched(tab, app_server, database):
    open_compare(tab, app_server)
    button = tab.get_by_role("button", name="Tabel als Excel-bestand")
    button.wait_for(timeout=90000)
    settle(tab)
    before = downloads(database)
    with tab.expect_download(timeout=60000) as fetched:
        button.click()
    path = fetched.value.path()
    assert fetched.value.suggested_filename.startswith("koplopermonitor-vergelijken-almelo-T0-T1")
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["Vergelijken"]
    assert sheet["A2"].value == "Koploper" and sheet["A3"].value == "Almelo"
    assert sheet.max_row - 2 == int(re.search(r"(\d+) regels", tab.inner_text(MAIN)).group(1))
    tab.wait_for_timeout(500)
    assert len(downloads(database)) == len(before) + 1
    assert downloads(database)[-1].startswith("Vergelijken, Excel: Nulmeting tegen Eerste")


def downloads(database: str) -> list[str]:
    with get_sessionmaker(database)() as session:
        return list(
            session.scalars(
                select(AuditEvent.detail)
                .where(AuditEvent.action == "download")
                .order_by(AuditEvent.id)
            )
        )
