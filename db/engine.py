"""One engine and one session factory per process and database URL.

``DATABASE_URL`` chooses the database; without it, a SQLite file in the data folder
(``KOPLOPERMONITOR_DATA_DIR``, default ``./data``) with WAL, a busy timeout and foreign keys on.
PostgreSQL is reached through psycopg 3 (``postgresql+psycopg://…``).

Writing happens in a transaction begun on purpose (``with factory.begin() as session:``); a
session used without it (``with factory() as session:``) only reads. On SQLite that difference
matters: a writing transaction takes the write lock at once (``BEGIN IMMEDIATE``), a reading one
begins deferred and takes no lock at all (WAL), so a respondent's read never waits for a login,
an import or a send in another thread.

No engine puts SQL parameters in its error messages (``hide_parameters``): they hold answers.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, SessionTransactionOrigin, sessionmaker

BUSY_TIMEOUT_MS = 30_000
READING = "koplopermonitor_reading"
"""Execution option of the engine that reading sessions use (see :class:`_Session`)."""


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
    """A writing transaction is IMMEDIATE: it takes the write lock at the start (waiting up to
    the busy timeout), so one that reads, then writes, never fails on a snapshot made stale
    meanwhile. A reading one is DEFERRED: under WAL it reads a snapshot and locks nothing."""
    if connection.get_execution_options().get(READING):
        connection.exec_driver_sql("BEGIN DEFERRED")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class _Session(Session):
    """A session that reads through a deferred transaction unless it was begun on purpose.

    ``factory.begin()`` (or ``session.begin()``) makes a writing transaction; a session that
    began by itself at its first query is a reading one. SQLAlchemy asks ``get_bind`` before it
    connects, so the choice is made before SQLite's ``BEGIN``.
    """

    def get_bind(self, *args, **kwargs):
        bind = super().get_bind(*args, **kwargs)
        transaction = self.get_transaction()
        begun_on_purpose = (
            transaction is not None and transaction.origin is not SessionTransactionOrigin.AUTOBEGIN
        )
        if begun_on_purpose or not isinstance(bind, Engine) or not is_sqlite(bind):
            return bind
        return _reading(bind)


@cache
def _reading(engine: Engine) -> Engine:
    """The same engine and pool, its transactions begun deferred (see :func:`_sqlite_begin`)."""
    return engine.execution_options(**{READING: True})


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
    return sessionmaker(_make_engine(url), class_=_Session, expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
