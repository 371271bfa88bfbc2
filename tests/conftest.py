"""Shared fixtures: a fresh database per test, on SQLite and, when configured, on PostgreSQL.

``TEST_DATABASE_URL`` (set by CI) points at a PostgreSQL database; each test then gets a schema of
its own, dropped afterwards, so tests never see each other's rows.

Under ``CI=true`` nothing may be left out quietly: the run stops before the first test when
PostgreSQL is not configured or does not answer, or when ``-m`` or ``-k`` choose tests, and a
skipped test counts as a failure. On a laptop without PostgreSQL the database tests run on SQLite
only, as the test header says.

The tests run in pytest-xdist workers (``pyproject.toml``); PostgreSQL is checked once, by the
main process, before they start.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from db.engine import describe, get_engine

IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}

# No time limit per Hypothesis example: with the tests in parallel on shared cores, a wall-clock
# limit measures how busy the machine is, not the code.
settings.register_profile("koplopermonitor", deadline=None)
settings.load_profile("koplopermonitor")
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = (
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
    if POSTGRES_URL
    else ["sqlite"]
)


def pytest_report_header(config) -> str:
    ci = " (CI=true: no test may be skipped)" if IN_CI else ""
    if POSTGRES_URL:
        return f"database tests: SQLite and PostgreSQL (TEST_DATABASE_URL){ci}"
    return f"database tests: SQLite only (set TEST_DATABASE_URL to include PostgreSQL){ci}"


def _postgres_problem() -> str | None:
    """Why the PostgreSQL half of the database tests cannot run, or None when it can."""
    if not POSTGRES_URL:
        return "TEST_DATABASE_URL is empty"
    engine = create_engine(POSTGRES_URL, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return f"TEST_DATABASE_URL ({describe(POSTGRES_URL)}) does not answer: {reason}"
    finally:
        engine.dispose()
    return None


def pytest_configure(config) -> None:
    # Under CI every test runs: choosing tests by mark or name would leave some out unseen.
    if IN_CI and (config.option.markexpr or config.option.keyword):
        raise pytest.UsageError("CI=true runs every test: drop -m and -k")


def pytest_sessionstart(session) -> None:
    # A PostgreSQL that was asked for but does not answer would otherwise give one error per
    # test; under CI its absence would silently halve the database tests. Checked once, by the
    # main process (pytest-xdist's workers start only after it).
    if not (IN_CI or POSTGRES_URL) or hasattr(session.config, "workerinput"):
        return
    problem = _postgres_problem()
    if problem is None:
        return
    advice = (
        "CI=true requires the database tests to run on PostgreSQL too; .ci/run starts "
        "PostgreSQL and sets TEST_DATABASE_URL"
        if IN_CI
        else "Start PostgreSQL, or unset TEST_DATABASE_URL to test on SQLite only"
    )
    pytest.exit(f"{problem}. {advice}.", returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_collection_modifyitems(items) -> None:
    # Whatever drives Chromium is slow: `pytest -m "not slow"` needs no Chromium.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Under CI a skip is a test that did not run while the run looks green: make it a failure.
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"
    return report


@pytest.fixture(scope="session")
def in_ci() -> bool:
    """Whether this is a CI run, where a missing browser or database fails instead of skipping."""
    return IN_CI


def _background_done() -> None:
    from views.subgroups import wait_for_counting

    assert wait_for_counting(timeout=120), "background counting did not end"


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file in ``folder``, or a PostgreSQL schema.

    Before it goes, whatever a page left counting in the background (``views.subgroups``) ends: a
    schema dropped under a reading thread would fail the test that happens to be last."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'test.db'}"
        yield url
        _background_done()
        get_engine(url).dispose()
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        yield url
    finally:
        _background_done()
        get_engine(url).dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database of each backend under test."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def second_database_url(database_url, tmp_path) -> Iterator[str]:
    """Another empty database on the same backend as ``database_url``, to compare the two."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    folder = tmp_path / "second"
    folder.mkdir()
    with empty_database(backend, folder) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """An empty SQLite database, for tests that concern the embedded default only."""
    url = f"sqlite:///{tmp_path / 'test.db'}"
    yield url
    get_engine(url).dispose()
