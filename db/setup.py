"""Creating or upgrading the database and loading what every installation needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from db.engine import DatabaseUnavailable, describe, get_engine, get_sessionmaker
from db.packs import repack
from db.questionnaires import register_builtin_definitions
from db.reference import load_reference
from db.schema import upgrade


@dataclass
class InitReport:
    url: str
    reference_rows_added: int = 0
    versions: list[tuple[str, int, bool]] = field(default_factory=list)
    """(questionnaire key, version number, newly created)"""
    repacked: int = 0
    """Responses packed again (``db.packs.repack``): stored before packs, or by older rules."""


def check_connection(url: str | None = None) -> None:
    """Raise ``DatabaseUnavailable`` with a Dutch message when the database does not answer."""
    engine = get_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        raise DatabaseUnavailable(
            f"De database {describe(str(engine.url))} is niet bereikbaar ({reason}). "
            "Controleer DATABASE_URL en of de databaseserver draait, of laat DATABASE_URL leeg "
            "voor de ingebouwde SQLite-database."
        ) from None


def init_database(url: str | None = None) -> InitReport:
    """Create or upgrade the schema, then add missing reference data and questionnaire versions.

    Idempotent. Definitions are checked before anything is written, and reference data and
    versions go in one transaction: a broken definition leaves the database as it was.
    """
    check_connection(url)
    engine = get_engine(url)
    upgrade(engine)
    report = InitReport(url=describe(str(engine.url)))
    with get_sessionmaker(url).begin() as session:
        report.reference_rows_added = load_reference(session)
        report.versions = [
            (v.key, v.version, created) for v, created in register_builtin_definitions(session)
        ]
        # Responses stored before their packs existed, or packed by older rules (db.packs).
        report.repacked = repack(session)
    return report
