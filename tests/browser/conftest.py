"""Real-browser fixtures: a running ``streamlit run`` on a fresh database, and Debian's Chromium.

Skipped, with the reason, when no Chromium is installed; under ``CI=true`` that is a failure instead
(CI installs Debian's ``chromium``, so a missing one means the browser tests did not run).
Screenshots of every screen go to ``test-artifacts/`` when a test fails. Each test here is marked
``browser`` and ``slow``; a pytest-xdist worker starts its own server and Chromium.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.contacts import set_contact
from db.engine import get_engine, get_sessionmaker
from db.fieldwork import set_wave_open
from db.setup import init_database
from tests.browser.launch import streamlit_server

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items) -> None:
    # Every test here is a browser test, and so slow (`pytest -m "not slow"` leaves it out).
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def chromium(in_ci: bool) -> str:
    """Chromium's path; skips (fails under CI=true) when it is not installed."""
    if not Path(CHROMIUM).exists():
        missing = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if in_ci:
            pytest.fail(f"{missing}: under CI=true the browser tests must run")
        pytest.skip(f"{missing}; browser tests skipped")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium) -> Iterator[dict]:
    """A Streamlit server on its own SQLite database, with wave T2 of Almere open."""
    folder = tmp_path_factory.mktemp("browser-db")
    url = f"sqlite:///{folder / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=30))
    with streamlit_server(url, folder / "streamlit.log") as base:
        yield {"base": base, "database_url": url}
    get_engine(url).dispose()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.shots = []  # (name, png bytes) of every screen, saved when the test fails
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        folder = ARTIFACTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        for number, (name, png) in enumerate(page.shots):
            (folder / f"{number:02d}-{name}.png").write_bytes(png)
        page.screenshot(path=str(folder / "zz-last.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture(scope="module")
def app_server(database, tmp_path_factory):
    """A fresh server on the test module's own ``database`` fixture (a URL)."""
    with streamlit_server(database, tmp_path_factory.mktemp("log") / "streamlit.log") as base:
        yield base


@pytest.fixture
def tab(browser, app_server):
    """A browser session of its own on ``app_server``."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1000, "height": 900})
    page = context.new_page()
    yield page
    context.close()
