"""One engine and one session factory per process and database URL.

``DATABASE_URL`` chooses the database; without it, a SQLite file in the data folder
(``KOPLOPERMONITOR_DATA_DIR``, default ``./data``) with WAL, a busy timeout and foreign keys on.
PostgreSQL is reached through psycopg 3 (``postgresql+psycopg://…``).

No engine puts SQL parameters in its error messages (``hide_parameters``): they hold answers.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 30_000


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or used; the message says what to do, in Dutch."""


def data_dir() -> Path:
    return Path(os.environ.get("KOPLOPERMONITOR_DATA_DIR", "data")).resolve()


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style and plain postgres URLs go through psycopg 3, the driver we install.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        return url
    return f"sqlite:///{data_dir() / 'koplopermonitor.db'}"


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(ongeldige DATABASE_URL)"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a response the respondent saw thanked for survives a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """IMMEDIATE: take the write lock at the start (waiting up to the busy timeout), so a
    transaction that reads, then writes, never fails on a snapshot made stale meanwhile."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_engine(url: str | None = None) -> Engine:
    """The process's engine for ``url`` (default: ``DATABASE_URL``)."""
    return _make_engine(url or database_url())


def get_sessionmaker(url: str | None = None) -> sessionmaker[Session]:
    """The process's session factory for ``url``; callers own the transaction."""
    return _make_sessionmaker(url or database_url())


@cache
def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(
            "DATABASE_URL is geen geldige database-URL. Gebruik bijvoorbeeld "
            "postgresql+psycopg://gebruiker@host:5432/database, of laat DATABASE_URL leeg "
            "voor de ingebouwde SQLite-database."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: pysqlite sends no BEGIN of its own (its default waits for the first
        # INSERT, so a SAVEPOINT after a SELECT would open, and its RELEASE commit, the
        # transaction); we begin each one ourselves, as SQLAlchemy's pysqlite docs advise.
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={
                "timeout": BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,
                "isolation_level": None,
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseUnavailable(
            f"Database '{parsed.get_backend_name()}' wordt niet ondersteund: gebruik SQLite of "
            "PostgreSQL."
        )
    return create_engine(
        url,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"connect_timeout": 5},
    )


@cache
def _make_sessionmaker(url: str) -> sessionmaker[Session]:
    return sessionmaker(_make_engine(url), expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
