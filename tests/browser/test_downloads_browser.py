"""Download addresses in Chromium (issue 17, point 18): a real server, the demo Tilburg account.

A /media/ address needs no cookie (Streamlit's design), so it must be unguessable, short-lived
and gone after "Uitloggen"; each file is made, and logged, only when clicked. The server runs with
``KOPLOPERMONITOR_DOWNLOAD_SECONDS`` short, so the expiry is seen within the test.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from db.access import command_line
from db.audit import read_log
from db.demo import DEMO_ACCOUNTS, seed_demo, seed_demo_accounts
from db.engine import get_sessionmaker
from db.setup import init_database
from tests.browser.helpers import settle
from tests.browser.launch import streamlit_server
from tests.browser.test_access_browser import log_in_by_keyboard

pytestmark = pytest.mark.browser

TILBURG = next(a for a in DEMO_ACCOUNTS if a.role == "gemeente")
RESEARCHER = next(a for a in DEMO_ACCOUNTS if a.role == "onderzoeker")
SECONDS = 20
EXCEL = "Cijfers als Excel-bestand"
CSV = "Cijfers als CSV (voor analisten)"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('downloads') / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(20, 25))
        seed_demo_accounts(session, command_line())
    return url


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("log") / "streamlit.log"


@pytest.fixture(scope="module")
def app_server(database, server_log):
    seconds = str(SECONDS)
    with streamlit_server(database, server_log, KOPLOPERMONITOR_DOWNLOAD_SECONDS=seconds) as base:
        yield base


def status(url: str) -> int:
    """GET the address with nothing else: no cookie, no session, as anyone who found it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def downloads_logged(database: str) -> list[str]:
    with get_sessionmaker(database)() as session:
        log = read_log(session, command_line(), actions=["download"])
    return sorted(log[log["actor"] == TILBURG.email]["detail"])


def open_dashboard(tab, app_server) -> None:
    log_in_by_keyboard(tab, app_server, TILBURG.email, TILBURG.password)
    tab.get_by_role("heading", name="Mijn koploper").wait_for(timeout=60000)
    tab.get_by_role("button", name=EXCEL).wait_for(timeout=60000)
    settle(tab)


def download(tab, name: str):
    with tab.expect_download(timeout=60000) as made:
        tab.get_by_role("button", name=name).click()
    return made.value


def test_the_same_figures_get_a_new_address_each_time_and_it_expires(tab, app_server, database):
    open_dashboard(tab, app_server)
    assert downloads_logged(database) == []  # shown, not fetched: nothing made, nothing logged
    first = download(tab, EXCEL)
    made = time.monotonic()
    second = download(tab, EXCEL)
    assert first.url != second.url
    assert first.path().read_bytes()[:2] == b"PK" and second.path().read_bytes()[:2] == b"PK"
    assert "/media/" in first.url and len(first.url.rsplit("/", 1)[1]) >= 43
    assert status(second.url) == 200  # within the time: anyone with it gets it (Streamlit)
    assert len(downloads_logged(database)) == 2  # one line per file made
    time.sleep(max(0.0, made + SECONDS + 1 - time.monotonic()))
    assert status(first.url) == 404
    time.sleep(2)
    assert status(second.url) == 404


def test_after_uitloggen_the_address_is_gone(tab, app_server, database):
    open_dashboard(tab, app_server)
    made = download(tab, CSV)
    assert status(made.url) == 200
    tab.get_by_role("button", name="Uitloggen").click()
    tab.get_by_text("U bent uitgelogd").wait_for(timeout=30000)
    assert status(made.url) == 404


def test_an_export_is_gone_once_its_login_logs_out_in_another_tab(tab, app_server, database):
    """Response-level data: a tab still showing the export must not keep its address alive."""
    log_in_by_keyboard(tab, app_server, RESEARCHER.email, RESEARCHER.password)
    tab.get_by_role("heading", name="Veldwerk").wait_for(timeout=60000)
    tab.goto(app_server + "/exporteren?koploper=tilburg")
    tab.get_by_role("heading", name="Exporteren").wait_for(timeout=60000)
    settle(tab)
    tab.get_by_text("Ook demo-antwoorden").click()
    settle(tab)
    tab.get_by_role("button", name="Bestand maken").click()
    ready = tab.get_by_role("button", name=re.compile(r"^Downloaden \("))
    ready.wait_for(timeout=60000)
    settle(tab)
    with tab.expect_download(timeout=60000) as made:
        ready.click()
    asked = time.monotonic()
    url = made.value.url
    other = tab.context.new_page()  # the same browser, so the same login
    other.goto(app_server + "/inloggen")
    other.get_by_role("heading", name="Mijn account").wait_for(timeout=60000)
    settle(other)
    assert status(url) == 200
    other.get_by_role("button", name="Uitloggen").first.click()
    other.get_by_text("U bent uitgelogd").wait_for(timeout=30000)
    assert status(url) == 404
    assert time.monotonic() - asked < SECONDS  # gone by the logout, not by the expiry
    assert ready.is_visible()  # the first tab still shows the button, but it gives nothing
    late = []
    tab.on("download", lambda made: late.append(made))
    ready.click()
    tab.wait_for_timeout(5000)
    assert late == []


def test_quick_clicks_on_two_downloads_all_arrive_each_with_one_line(
    tab, app_server, database, server_log
):
    open_dashboard(tab, app_server)
    before = downloads_logged(database)
    arrived = []
    tab.on("download", lambda made: arrived.append(made))
    excel, csv = tab.get_by_role("button", name=EXCEL), tab.get_by_role("button", name=CSV)
    for _ in range(4):
        excel.click()
        tab.wait_for_timeout(100)
        csv.click()
        tab.wait_for_timeout(100)
    deadline = time.monotonic() + 60
    while len(arrived) < 8 and time.monotonic() < deadline:
        tab.wait_for_timeout(200)
    tab.wait_for_timeout(1000)  # nothing more arrives
    names = sorted(made.suggested_filename.rsplit(".", 1)[1] for made in arrived)
    assert "Deferred file" not in server_log.read_text()  # "… not found": a click lost
    assert names == ["csv"] * 4 + ["xlsx"] * 4
    new = downloads_logged(database)
    for line in before:
        new.remove(line)
    kinds = [line.split(":")[0] for line in new]
    assert kinds == ["Mijn koploper, CSV"] * 4 + ["Mijn koploper, Excel"] * 4
