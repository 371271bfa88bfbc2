"""Export to the interchange format, and the analysts' command line reading it back."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from db.__main__ import main as db_main
from db.contacts import set_contact
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.export import META, responses_wide, spreadsheet_safe
from db.fieldwork import resolve_link, set_wave_open
from db.setup import init_database
from db.submit import submit_response
from measures.cli import main as measures_main
from surveys.definition import load_builtin


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=5))
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    with factory.begin() as session:
        submit_response(
            session,
            load_builtin("client"),
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
            answers={
                "aware_oco": 1,
                "heard_via": [5, 2],
                "used_oco": 1,
                "contacts": 3,
                "grade": 9,
                "comments": '=HYPERLINK("http://x")',
            },
            language="nl-eenvoudig",
            idempotency_key="export-test",
        )
    return database_url


def test_one_row_per_response_with_codes_in_item_columns(url):
    with get_sessionmaker(url)() as session:
        frame = responses_wide(session)
    assert list(frame.columns[: len(META)]) == META
    assert {"aware_oco", "role", "knows_how_refer"} <= set(frame.columns)
    row = frame.iloc[0]
    assert (row["koploper"], row["wave"], row["questionnaire"]) == ("almere", "T2", "client")
    assert row["questionnaire_version"] == 1 and row["language"] == "nl-eenvoudig"
    assert (row["aware_oco"], row["heard_via"], row["contacts"], row["grade"]) == (
        "1",
        "2;5",
        "3",
        "9",
    )
    assert pd.isna(row["knew_where"]) and pd.isna(row["role"])
    assert row["comments"] == '\'=HYPERLINK("http://x")'  # never a live formula


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("goed", "goed"),
        ("", ""),
    ],
)
def test_texts_that_a_spreadsheet_would_run_are_defused(text, safe):
    assert spreadsheet_safe(text) == safe


def test_the_demo_export_feeds_the_measures_command_line(sqlite_url, tmp_path, monkeypatch):
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        seed_demo(session, sizes=(40, 45))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    export = tmp_path / "responses.csv"
    assert db_main(["export", "--out", str(export)]) == 0
    out = tmp_path / "compare.csv"
    assert (
        measures_main(
            [
                "compare",
                "--responses",
                str(export),
                "--baseline",
                "T0",
                "--followup",
                "T1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    table = pd.read_csv(out)
    assert set(table["koploper"]) >= {"almere", "regio-twente"}
    aware = table[(table["koploper"] == "almere") & (table["indicator"] == "aware_oco")].iloc[0]
    assert aware["kind"] == "proportion" and 0 <= aware["estimate_baseline"] <= 1
    assert aware["n_baseline"] >= 10
