"""Schema management through Alembic: create or upgrade; refuse a database from a newer schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from db.engine import DatabaseUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaTooNew(DatabaseUnavailable):
    """The database was upgraded by a newer release than this one."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to this release's head; a no-op when it is there already."""
    current = current_revision(engine)
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and not _known(script, current):
        raise SchemaTooNew(
            f"De database heeft schemaversie '{current}', die deze versie van Koplopermonitor niet "
            "kent: hij is bijgewerkt door een nieuwere versie. Werk de app bij (git pull, dan "
            "pip install -r requirements.txt) of gebruik een andere database."
        )
    if current == script.get_current_head():
        return
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0][:200] if exc.orig else type(exc).__name__
        raise DatabaseUnavailable(
            f"Het bijwerken van de database van schemaversie '{current}' naar "
            f"'{script.get_current_head()}' is mislukt ({reason}). Er is niets veranderd. "
            "Maak een kopie van de database en meld dit probleem."
        ) from None


def _known(script: ScriptDirectory, revision: str) -> bool:
    return any(r.revision == revision for r in script.walk_revisions())
