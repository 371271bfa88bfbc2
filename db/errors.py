"""Which database errors mean "the database is away for now", and which are faults of ours.

Only a lost or refused connection (or SQLite's file being busy or unreachable) is worth "probeer het
later opnieuw"; anything else (a missing table, a broken constraint, a programming error) will not
go away by waiting: it is logged with its traceback and gets its own message.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

__all__ = ["SQLAlchemyError", "connection_lost", "trouble"]
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


def trouble(error: SQLAlchemyError, lost: str, fault: str) -> str:
    """Log a database error and name the message for it: ``lost`` (wait and retry) or ``fault``."""
    if connection_lost(error):
        log.warning("database unreachable: %s", error)
        return lost
    log.exception("database error", exc_info=error)
    return fault
