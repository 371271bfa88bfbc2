"""Which database errors mean "the database is away for now", and which are faults of ours.

Only a lost or refused connection (or SQLite's file being busy or unreachable) is worth "probeer het
later opnieuw"; anything else (a missing table, a broken constraint, a programming error) will not
go away by waiting: it is logged with its traceback and gets its own message.

What is logged never holds the values of a statement (answers, open text, e-mail addresses): the
engines hide SQL parameters (``db.engine``), and :func:`described` leaves out what the database
itself may quote from a row (PostgreSQL's "Failing row contains (…)", "invalid input syntax …:
"…""): it names the kind of error, its code, the constraint, table and column, and the
statement with its placeholders.
"""

from __future__ import annotations

import logging
import traceback

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

__all__ = ["SQLAlchemyError", "connection_lost", "described", "log_error", "trouble"]
"""``SQLAlchemyError`` is offered here so pages catch database errors without importing
SQLAlchemy (``tests/pages/test_pages_read_through_db.py``)."""

log = logging.getLogger(__name__)

SQLITE_TRANSIENT = ("database is locked", "unable to open database", "disk i/o error")


def connection_lost(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached now (retrying later may work)."""
    if isinstance(error, DisconnectionError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is not None:
        # PostgreSQL: class 08 is "connection exception", 57P0x "the server is shutting down".
        return sqlstate.startswith(("08", "57P"))
    if type(original).__module__.startswith("sqlite3"):
        return str(original).lower().startswith(SQLITE_TRANSIENT)
    # psycopg raises OperationalError without a SQLSTATE when it cannot connect at all.
    return True


def described(error: BaseException) -> str:
    """A database error for the log, without any value from a statement or a row."""
    original = getattr(error, "orig", None) or error
    parts = [type(error).__name__]
    if original is not error:
        parts.append(f"{type(original).__module__}.{type(original).__name__}")
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate:
        parts.append(f"SQLSTATE {sqlstate}")
    diagnosis = getattr(original, "diag", None)
    for name in ("table_name", "column_name", "constraint_name"):
        value = getattr(diagnosis, name, None)
        if value:
            parts.append(f"{name.removesuffix('_name')} {value}")
    if type(original).__module__.startswith("sqlite3"):
        # SQLite's messages name tables, columns and constraints, never a value.
        parts.append(str(original).splitlines()[0][:200] if str(original) else "")
    statement = getattr(error, "statement", None)
    if statement:
        parts.append(f"in: {' '.join(statement.split())[:500]}")
    return "; ".join(part for part in parts if part)


def log_error(error: BaseException, unreachable: bool = False) -> None:
    """Log a database error with where it happened, but not its message (see the docstring)."""
    if unreachable:
        log.warning("database unreachable: %s", described(error))
        return
    where = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    log.error("database error: %s\n%s", described(error), where)


def trouble(error: SQLAlchemyError, lost: str, fault: str) -> str:
    """Log a database error and name the message for it: ``lost`` (wait and retry) or ``fault``."""
    if connection_lost(error):
        log_error(error, unreachable=True)
        return lost
    log_error(error)
    return fault
