"""Only a lost connection means "try again later"; other database errors are faults of ours."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from db.errors import connection_lost, trouble
from tests.browser.launch import free_port


def error_of(url: str, statement: str) -> SQLAlchemyError:
    engine = create_engine(url, connect_args={"connect_timeout": 3} if "postgres" in url else {})
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    except SQLAlchemyError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError("no error")


def test_a_refused_postgresql_connection_is_a_lost_connection():
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    assert connection_lost(error_of(url, "SELECT 1"))


def test_an_unreachable_sqlite_file_is_a_lost_connection(tmp_path):
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'x.db'}"
    assert connection_lost(error_of(url, "SELECT 1"))


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM no_such_table",
        "CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)",
        "SELEKT 1",
    ],
    ids=["missing-table", "broken-constraint", "syntax"],
)
def test_other_errors_are_faults_not_lost_connections(database_url, statement):
    last = None
    for part in statement.split("; "):
        try:
            engine = create_engine(database_url)
            with engine.begin() as connection:
                connection.execute(text(part))
        except SQLAlchemyError as error:
            last = error
        finally:
            engine.dispose()
    assert last is not None
    assert not connection_lost(last)


def test_a_fault_is_logged_with_its_traceback_and_named_as_a_fault(database_url, caplog):
    error = None
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT * FROM no_such_table"))
    except SQLAlchemyError as raised:
        error = raised
    engine.dispose()
    with caplog.at_level(logging.ERROR, logger="db.errors"):
        assert trouble(error, "db_down_send", "db_fault") == "db_fault"
    # where it happened (the frames, not the message: that may quote a row) and what failed
    assert 'test_errors.py", line' in caplog.text
    assert "no_such_table" in caplog.text
