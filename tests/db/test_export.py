"""Export to the interchange format, and the analysts' command line reading it back."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, select

import db.export
from db.__main__ import main as db_main
from db.access import command_line
from db.contacts import set_contact
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.export import META, read_export
from db.fieldwork import resolve_link, set_wave_open
from db.models import Answer, Response, ResponsePack
from db.packs import Layout
from db.questionnaires import register_definition
from db.setup import init_database
from db.submit import submit_response
from measures.cli import main as measures_main
from surveys.codebook import read_codebook
from surveys.definition import DEFINITIONS_DIR, load_builtin, parse_definition, read_definition
from surveys.export import interchange
from surveys.interchange import decode_text, encode_text


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
        frame = interchange(read_export(session, command_line(), include_demo=True))
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
        ("'=1", "''=1"),
        ("'s avonds", "''s avonds"),
    ],
)
def test_texts_that_a_spreadsheet_would_run_are_defused_and_read_back_as_typed(text, safe):
    assert encode_text(text) == safe
    assert decode_text(safe) == text


def test_the_demo_export_feeds_the_measures_command_line(sqlite_url, tmp_path, monkeypatch):
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        seed_demo(session, sizes=(40, 45))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    export = tmp_path / "responses.csv"
    assert db_main(["export", "--out", str(export), "--include-demo"]) == 0
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


def test_every_exported_cell_decodes_to_the_answer_stored(url):
    questionnaire = load_builtin("client")
    with get_sessionmaker(url)() as session:
        row = interchange(read_export(session, command_line(), include_demo=True)).iloc[0]
    read_back = {
        item.key: item.qtype.decode(row[item.key])
        for item in questionnaire.items
        if not pd.isna(row[item.key])
    }
    assert read_back == {
        "aware_oco": 1,
        "heard_via": [2, 5],
        "used_oco": 1,
        "contacts": 3,
        "grade": 9,
        "comments": '=HYPERLINK("http://x")',
    }


def test_the_export_writes_the_codebook_of_its_versions_beside_the_data(url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "antwoorden.csv"
    assert db_main(["export", "--out", str(out)]) == 0
    book = read_codebook(tmp_path / "antwoorden.codebook.json")
    assert list(book) == [("client", 1)]
    assert book.get("client", 1).item("heard_via").allowed_codes == {1, 2, 3, 4, 5, 6, 7}


def _client_version_2(url: str) -> None:
    """A second client version: 'knew_where' reworded, and a T2 response that answers it."""
    raw = read_definition(DEFINITIONS_DIR / "client.yaml")[1]
    raw = {**raw, "version": 2}
    raw["sections"] = [dict(section) for section in raw["sections"]]
    findability = next(s for s in raw["sections"] if s["key"] == "vindbaarheid")
    findability["items"] = [dict(i) for i in findability["items"]]
    findability["items"][0]["text"] = {
        "nl": "Ik wist waar ik terecht kon met mijn vraag.",
        "nl-eenvoudig": "Ik wist waar ik hulp kon vragen.",
    }
    factory = get_sessionmaker(url)
    with factory.begin() as session:
        version, _ = register_definition(session, parse_definition(raw, "client.yaml"), raw)
        first = session.scalar(select(Response))
        session.add(
            Response(
                questionnaire_version_id=version.id,
                koploper_id=first.koploper_id,
                wave_id=first.wave_id,
                channel="web",
                language="nl",
                submitted_at=first.submitted_at,
                idempotency_key="versie-2",
                answers=[
                    Answer(item_key="used_oco", code=1),
                    Answer(item_key="knew_where", code=5),
                ],
            )
        )


def test_measures_checks_each_row_against_the_version_in_the_codebook(url, tmp_path, monkeypatch):
    _client_version_2(url)
    monkeypatch.setenv("DATABASE_URL", url)
    out = tmp_path / "antwoorden.csv"
    assert db_main(["export", "--out", str(out)]) == 0
    assert list(read_codebook(tmp_path / "antwoorden.codebook.json")) == [
        ("client", 1),
        ("client", 2),
    ]
    summary = ["summary", "--responses", str(out), "--min-n", "2"]
    assert measures_main(summary, stdout=io.StringIO()) == 0  # codebook found beside the file

    alone = tmp_path / "zonder-codeboek.csv"
    alone.write_bytes(out.read_bytes())
    assert measures_main(["summary", "--responses", str(alone)], stdout=io.StringIO()) == 2


def test_without_a_codebook_a_row_of_an_unknown_version_is_refused_naming_it(url, tmp_path, capsys):
    _client_version_2(url)
    with get_sessionmaker(url)() as session:
        frame = interchange(read_export(session, command_line(), include_demo=True))
    alone = tmp_path / "zonder-codeboek.csv"
    frame.to_csv(alone, index=False)
    assert measures_main(["summary", "--responses", str(alone)], stdout=io.StringIO()) == 2
    error = capsys.readouterr().err
    assert "regel 3, kolom 'questionnaire_version' ('2')" in error
    assert "versie 2 van vragenlijst 'client'" in error and "--codebook" in error


def test_an_export_by_command_is_a_line_in_the_audit_log(sqlite_url, tmp_path, monkeypatch):
    from db.access import command_line
    from db.audit import read_log

    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        seed_demo(session, sizes=(10, 10))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    out = str(tmp_path / "r.csv")
    assert db_main(["export", "--out", out, "--koploper", "tilburg", "--include-demo"]) == 0
    with get_sessionmaker(sqlite_url)() as session:
        lines = read_log(session, command_line(), actions=["export"])
    assert list(lines["koploper"]) == ["tilburg"]
    assert lines["detail"][0].startswith("csv (opdrachtregel), ")
    assert lines["detail"][0].endswith(", alle metingen, met demo-antwoorden")


def _same(first, second) -> None:
    """Two exports with the same rows and, per item, the same values."""
    pd.testing.assert_frame_equal(first.meta, second.meta)
    assert list(first.values) == list(second.values)
    for key, values in first.values.items():
        np.testing.assert_array_equal(values, second.values[key], err_msg=key)


def test_the_coded_answers_come_from_the_packs_and_without_a_pack_from_the_answers(
    database_url, monkeypatch
):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        seed_demo(session, sizes=(3, 3))
    with factory() as session:
        packed = read_export(session, command_line(), include_demo=True)
    assert len(packed) > 100 and packed.values["heard_via"].any()

    # A question outside its version's pack layout (as a too-wide one is) comes from the
    # answer rows; so does every answer of a response whose pack is missing.
    real_layouts = db.export.version_layouts

    def without_heard_via(session):
        layouts = {}
        for version_id, (key, shape) in real_layouts(session).items():
            slots = tuple(s for s in shape.slots if s.item != "heard_via")
            by_item = {s.item: s for s in slots}
            layouts[version_id] = (key, Layout(slots, shape.words, by_item))
        return layouts

    monkeypatch.setattr(db.export, "version_layouts", without_heard_via)
    with factory() as session:
        wide = read_export(session, command_line(), include_demo=True)
    monkeypatch.undo()
    _same(packed, wide)

    with factory.begin() as session:
        half = session.scalars(select(Response.id).where(Response.id % 2 == 0)).all()
        session.execute(delete(ResponsePack).where(ResponsePack.response_id.in_(half)))
    with factory() as session:
        _same(packed, read_export(session, command_line(), include_demo=True))
    with factory.begin() as session:
        session.execute(delete(ResponsePack))
    with factory() as session:
        _same(packed, read_export(session, command_line(), include_demo=True))
