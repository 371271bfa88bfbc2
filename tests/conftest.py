"""Shared fixtures: a fresh database per test, on SQLite and, when configured, on PostgreSQL.

``TEST_DATABASE_URL`` (set by CI) points at a PostgreSQL database; each test then gets a schema of
its own, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from db.engine import get_engine

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_report_header(config) -> str:
    if POSTGRES_URL:
        return "database tests: SQLite and PostgreSQL (TEST_DATABASE_URL)"
    return "database tests: SQLite only (set TEST_DATABASE_URL to include PostgreSQL)"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database of each backend under test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        yield url
        get_engine(url).dispose()
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    yield url
    get_engine(url).dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """An empty SQLite database, for tests that concern the embedded default only."""
    url = f"sqlite:///{tmp_path / 'test.db'}"
    yield url
    get_engine(url).dispose()
