"""No answer in the application log: a database error while a response is stored is logged
without the statement's values and without the row the database quotes, on SQLite and
PostgreSQL."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from db.contacts import set_contact
from db.engine import get_sessionmaker, is_sqlite
from db.errors import SQLAlchemyError, connection_lost, log_error, trouble
from db.fieldwork import resolve_link, set_wave_open
from db.setup import init_database
from db.submit import submit_response
from surveys.definition import load_builtin

OPEN_TEXT = "Mijn buurvrouw Jannie de Vries hielp mij bij het keukentafelgesprek"
KEY = "sleutel-3f9a7c1e5b2d4806"


def _break_answers(session, how: str) -> None:
    """Make storing an answer fail the way ``how`` says."""
    if how == "dropped table":
        session.execute(text("DROP TABLE answers"))
    elif is_sqlite(session.get_bind()):
        session.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON answers WHEN NEW.text IS NOT NULL "
                "BEGIN SELECT RAISE(ABORT, 'geweigerd'); END"
            )
        )
    else:
        # PostgreSQL then quotes the whole row in its message: "Failing row contains (…)".
        session.execute(
            text("ALTER TABLE answers ADD CONSTRAINT refuse CHECK (text IS NULL) NOT VALID")
        )


@pytest.mark.parametrize("how", ["dropped table", "constraint refuses the row"])
def test_a_database_error_while_storing_a_response_logs_no_answer(database_url, caplog, how):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", None)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    with factory.begin() as session:
        _break_answers(session, how)
    questionnaire = load_builtin("client")
    answers = {"aware_oco": 1, "used_oco": 0, "age_group": 4, "comments": OPEN_TEXT}

    caplog.set_level(logging.DEBUG)
    with pytest.raises(SQLAlchemyError) as raised, factory.begin() as session:
        submit_response(
            session,
            questionnaire,
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
            answers=answers,
            language="nl",
            idempotency_key=KEY,
        )
    error = raised.value
    # What the respondent page does with it, and what the router does with one it did not catch.
    assert trouble(error, "db_down_send", "db_fault") == "db_fault"
    log_error(error, unreachable=connection_lost(error))

    formatter = logging.Formatter()
    logged = "\n".join(formatter.format(line) for line in caplog.records)
    for secret in (OPEN_TEXT[:20], "Jannie", KEY):
        assert secret not in logged
    assert "parameters:" not in logged and "Failing row" not in logged
    # and still says what failed, on which table, and where in our code
    assert "database error" in logged and "answers" in logged
    assert "db/responses.py" in logged


def test_no_engine_of_ours_puts_sql_parameters_in_an_error(database_url):
    with get_sessionmaker(database_url)() as session, pytest.raises(SQLAlchemyError) as raised:
        session.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": OPEN_TEXT})
    assert OPEN_TEXT not in str(raised.value)
    assert "hidden" in str(raised.value)
