"""Mijn koploper in Chromium: the demo Tilburg account sees its dashboard with charts, axe finds
no WCAG 2.1 A/AA violation, and the filters work with the keyboard alone.

One server on its own SQLite database with the demo data and the demo accounts (README).
Screenshots of what the test saw go to /tmp/dashboard.png (the top) and /tmp/dashboard-chart.png
(the first chart with its tables).
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from db.access import command_line
from db.audit import read_log
from db.demo import DEMO_ACCOUNTS, seed_demo, seed_demo_accounts
from db.engine import get_sessionmaker
from db.fieldwork_overview import koplopers_in_scope
from db.setup import init_database
from surveys.clock import dutch_day
from tests.browser.helpers import MAIN, assert_dutch, axe_violations, settle
from tests.browser.test_access_browser import log_in_by_keyboard

pytestmark = pytest.mark.browser

TILBURG = next(a for a in DEMO_ACCOUNTS if a.role == "gemeente")
OVERVIEW = f"{MAIN} [data-testid='stTable']"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(60, 90))
        seed_demo_accounts(session, command_line())
    return url


@pytest.fixture(scope="module")
def other_names(database) -> list[str]:
    with get_sessionmaker(database)() as session:
        names = koplopers_in_scope(session, command_line())["name"]
    return [name for name in names if name != "Tilburg"]


def open_as_tilburg(tab, app_server) -> None:
    log_in_by_keyboard(tab, app_server, TILBURG.email, TILBURG.password)
    # A gemeente lands on its dashboard.
    tab.get_by_role("heading", name="Mijn koploper").wait_for(timeout=60000)
    tab.locator("[data-testid='stPlotlyChart'] svg").first.wait_for(timeout=60000)
    settle(tab)


def choose_by_keyboard(tab, label: str, option: str) -> None:
    """With the focus on the select box ``label``: open it with the arrow keys, go down to
    ``option`` and take it with Enter."""
    box = tab.get_by_role("combobox", name=label, exact=True)
    expect(box).to_be_focused()
    for _ in range(12):
        tab.keyboard.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        if active and tab.locator(f"[id='{active}']").inner_text() == option:
            break
    else:
        raise AssertionError(f"{option!r} not reached with the arrow keys in {label!r}")
    before = tab.inner_text(OVERVIEW)
    tab.keyboard.press("Enter")
    tab.wait_for_function(
        "([selector, before]) => { const t = document.querySelector(selector);"
        " return t && t.innerText !== before; }",
        arg=[OVERVIEW, before],
        timeout=60000,
    )
    settle(tab)


def test_the_tilburg_dashboard_has_charts_passes_axe_and_names_no_other_koploper(
    tab, app_server, other_names
):
    open_as_tilburg(tab, app_server)
    main = tab.inner_text(MAIN)
    assert "Tilburg" in main and "Overige koplopers" in main and "Eigen cohort" in main
    assert [name for name in other_names if name in main] == []
    assert tab.locator("[data-testid='stPlotlyChart']").count() >= 5  # the open goal only
    assert "Grafiek in woorden" in main and "95\u00a0%-interval" in main
    assert_dutch(tab)
    assert axe_violations(tab) == []
    tab.screenshot(path="/tmp/dashboard.png")
    first = tab.locator("[data-testid='stPlotlyChart']").first
    first.scroll_into_view_if_needed()
    settle(tab)
    tab.screenshot(path="/tmp/dashboard-chart.png")
    # The Plotly chart shows no English toolbar, and its labels are Dutch.
    assert tab.locator(".modebar").count() == 0
    labels = first.text_content() or ""
    assert "Nulmeting" in labels and "Overige koplopers" in labels
    tab.get_by_role("tab", name="Inzicht").click()
    settle(tab)
    # The goal opened on click (the page draws only the open tab) and the address keeps it.
    expect(tab.get_by_text("Wie vulden de vragenlijst in").first).to_be_visible(timeout=60000)
    assert "doel=Inzicht" in tab.url
    assert axe_violations(tab) == []


def test_a_filter_changes_the_figures_with_the_keyboard_alone(tab, app_server):
    open_as_tilburg(tab, app_server)
    before = tab.inner_text(OVERVIEW)
    tab.get_by_role("combobox", name="Vragenlijst").focus()
    tab.keyboard.press("Tab")
    choose_by_keyboard(tab, "Subgroep", "Wie vulde in")
    expect(tab.get_by_text("alleen cijfers van die vragenlijst")).to_be_visible()
    subgroup = tab.inner_text(OVERVIEW)
    assert subgroup != before
    tab.get_by_role("combobox", name="Subgroep", exact=True).focus()
    tab.keyboard.press("Tab")
    choose_by_keyboard(tab, "Welke groep", "Ikzelf, met hulp")
    assert tab.inner_text(OVERVIEW) not in (before, subgroup)
    assert tab.get_by_role("combobox", name="Welke groep").input_value() == "Ikzelf, met hulp"
    assert axe_violations(tab) == []


def test_the_figures_and_the_report_download_and_each_download_is_logged(tab, app_server, database):
    open_as_tilburg(tab, app_server)
    today = dutch_day().isoformat()
    settle(tab)
    with tab.expect_download(timeout=90000) as excel:
        tab.get_by_role("button", name="Cijfers als Excel-bestand").click()
    assert excel.value.suggested_filename == f"koplopermonitor-tilburg-{today}.xlsx"
    book = load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    assert {"Overzicht", "Bekendheid", "Inzicht", "Uitleg"} <= set(book.sheetnames)
    settle(tab)
    with tab.expect_download(timeout=90000) as csv_file:
        tab.get_by_role("button", name="Cijfers als CSV (voor analisten)").click()
    assert csv_file.value.suggested_filename == f"koplopermonitor-tilburg-{today}.csv"
    table = pd.read_csv(csv_file.value.path())
    assert set(table["koploper"]) == {"tilburg"} and "q_value" in table.columns
    settle(tab)

    tab.get_by_role("button", name="Rapport maken").click()
    ready = tab.get_by_role("button", name="Rapport downloaden (PDF)")
    ready.wait_for(timeout=60000)
    settle(tab)
    with tab.expect_download(timeout=90000) as report:
        ready.click()
    assert report.value.suggested_filename == f"koplopermonitor-tilburg-{today}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(report.value.path()).pages)
    assert "Rapport voor de raad" in text and "Tilburg" in text
    first = re.search(r"\d+(,\d)? %", tab.inner_text(OVERVIEW).replace("\u00a0", " "))
    assert first and first.group(0) in text.replace("\u00a0", " ")  # the page's figure
    settle(tab)

    with get_sessionmaker(database)() as session:
        log = read_log(session, command_line(), actions=["download"])
    mine = log[(log["actor"] == TILBURG.email) & (log["koploper"] == "tilburg")]
    details = " | ".join(mine["detail"])
    assert "Excel" in details and "CSV" in details and "rapport voor de raad" in details
