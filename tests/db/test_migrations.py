"""Alembic's migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

``compare_metadata`` (what ``alembic revision --autogenerate`` runs) compares tables, columns with
their types, nullability and server defaults, indexes, unique constraints and foreign keys. It
does not look at CHECK constraints or primary-key names, so those are compared on their own:
reflected from the migrated database and from one built by ``Base.metadata.create_all`` on the
same backend, so that both sides are spelled the way that server spells them.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from db.engine import get_engine
from db.models import Base
from db.setup import init_database


def schema_drift(url: str) -> list[Any]:
    """What autogenerate would put in a new migration to bring ``url`` to the models."""
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, Base.metadata)


def constraints_autogenerate_skips(url: str) -> dict[str, dict[str, Any]]:
    """Per model table: the primary key's name and the CHECK constraints (name, SQL)."""
    inspector = inspect(get_engine(url))
    return {
        table: {
            "primary key": inspector.get_pk_constraint(table)["name"],
            "checks": sorted(
                (ck["name"], ck["sqltext"]) for ck in inspector.get_check_constraints(table)
            ),
        }
        for table in sorted(Base.metadata.tables)
    }


def test_the_migrations_give_the_models_tables_columns_indexes_and_keys(database_url):
    init_database(database_url)

    drift = schema_drift(database_url)

    assert drift == [], "a migration is missing for:\n" + "\n".join(map(repr, drift))


def test_the_migrations_give_the_models_check_constraints_and_primary_keys(
    database_url, second_database_url
):
    init_database(database_url)
    Base.metadata.create_all(get_engine(second_database_url))

    migrated = constraints_autogenerate_skips(database_url)
    assert migrated == constraints_autogenerate_skips(second_database_url)
    assert "ck_answers_one_value" in dict(migrated["answers"]["checks"]), "checks not reflected"


def test_the_comparison_notices_a_column_the_models_do_not_have(database_url):
    init_database(database_url)
    with get_engine(database_url).begin() as connection:
        connection.execute(text("ALTER TABLE cohorts ADD COLUMN stray INTEGER"))

    removed = [(op[2], op[3].name) for op in schema_drift(database_url) if op[0] == "remove_column"]

    assert removed == [("cohorts", "stray")]


def test_a_populated_database_goes_down_to_0002_and_up_again_keeping_its_responses(database_url):
    from alembic import command
    from sqlalchemy import func, select

    from db.contacts import set_contact
    from db.engine import get_engine, get_sessionmaker
    from db.fieldwork import resolve_link, set_wave_open
    from db.models import Response
    from db.schema import alembic_config
    from db.submit import submit_response
    from surveys.definition import load_builtin

    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", None)
    with factory.begin() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
        submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key="kept",
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
        )
    engine, config = get_engine(database_url), alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    init_database(database_url)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1
