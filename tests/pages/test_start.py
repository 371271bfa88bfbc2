"""The start page, in-process through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.setup import init_database

APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.fixture
def app(sqlite_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return AppTest.from_file(APP, default_timeout=30)


def test_the_public_start_page_lists_the_28_koplopers_by_cohort_without_counts_or_commands(
    app, sqlite_url
):
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        seed_demo(session, sizes=(10, 10))
    app.run()
    assert not app.exception
    assert app.title[0].value == "Koplopermonitor"
    subheaders = [s.value for s in app.subheader]
    assert subheaders[0].startswith("Eerste cohort") and subheaders[0].endswith("14 koplopers")
    assert subheaders[1].startswith("Tweede cohort") and subheaders[1].endswith("14 koplopers")
    assert subheaders[2].startswith("Derde cohort") and subheaders[2].endswith("0 koplopers")
    names = [name for table in app.table[:2] for name in table.value.index]
    assert len(names) == 28 and "Regio Twente" in names
    assert all("Antwoorden" not in table.value.columns for table in app.table)
    assert not app.dataframe and not app.code  # no counts, no commands
    [banner] = app.warning  # the demo data is made known, without a count or a command
    assert banner.value.startswith("Demogegevens:")
    shown = " ".join(str(e.value) for e in (*app.markdown, *app.caption, *app.info, banner))
    assert "python -m" not in shown and not any(ch.isdigit() for ch in banner.value)


def test_an_unreachable_database_shows_one_clear_message_and_no_stack_trace(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x:geheim@127.0.0.1:1/nergens")
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception
    assert len(app.error) == 1
    assert "niet bereikbaar" in app.error[0].value
    assert "geheim" not in app.error[0].value


def test_without_demo_data_there_is_no_demo_banner(app):
    app.run()
    assert not app.exception and not app.warning
