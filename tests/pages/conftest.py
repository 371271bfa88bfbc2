"""Databases for the pages under Streamlit's AppTest: the app reads ``DATABASE_URL``."""

from __future__ import annotations

import pytest

from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import set_wave_open
from db.setup import init_database


@pytest.fixture
def app_database(sqlite_url, monkeypatch) -> str:
    """A SQLite database with the reference data, the one the app opens."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    return sqlite_url


@pytest.fixture
def almere_t2_open(app_database) -> str:
    """``app_database`` with wave T2 of Almere open for fieldwork (its contact set, as opening
    a wave asks)."""
    with get_sessionmaker(app_database).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", None)
    return app_database
