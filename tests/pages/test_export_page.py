"""The page Exporteren through Streamlit's AppTest: what each role may export, and the file."""

from __future__ import annotations

import ast
import datetime as dt
import io
import secrets
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.audit import read_log
from db.contacts import find_koploper
from db.engine import get_sessionmaker
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from db.users import change_user
from surveys.definition import from_stored
from tests.pages.accounts import logged_in
from tests.pages.downloads import Offered, offered

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/export.py"


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    """Two T0 responses of Tilburg (one with an open answer) and one of Breda."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        version = latest_version(session, "client")
        rows = []
        for slug, answers in (
            ("tilburg", {"aware_oco": 1, "used_oco": 0, "comments": "=1+1 geheim"}),
            ("tilburg", {"aware_oco": 0, "used_oco": 0}),
            ("breda", {"aware_oco": 1, "used_oco": 0}),
        ):
            koploper = find_koploper(session, slug)
            rows.append(
                NewResponse(
                    questionnaire_version_id=version.id,
                    koploper_id=koploper.id,
                    wave_id=next(w.id for w in koploper.waves if w.code == "T0"),
                    channel="web",
                    language="nl",
                    idempotency_key=secrets.token_hex(16),
                    submitted_at=dt.datetime(2019, 3, 1, 10),
                    answers=answers,
                )
            )
        insert_responses(session, from_stored(version.definition), rows)
    return sqlite_url


@pytest.fixture
def served(monkeypatch) -> Offered:
    """The files the page offers for downloading, by file name (made when read)."""
    return offered(monkeypatch)


def open_export(url: str, role: str, koplopers=(), free_text: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    email = f"{role}-{'open' if free_text else 'dicht'}@test.example"
    logged_in(at, url, role, koplopers, free_text=free_text, email=email)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_a_researcher_makes_an_excel_file_of_every_koploper_and_it_is_logged(url, served):
    at = open_export(url, "onderzoeker")
    assert at.title[0].value == "Exporteren"
    assert at.selectbox(key="export_koploper").options[0] == "Alle koplopers"
    at.radio(key="export_format").set_value("xlsx").run()
    at.button(key="export_make").click().run()
    assert not at.exception, at.exception
    (name, (data, mimetype)), *_ = served.items()
    assert name.startswith("koplopermonitor-antwoorden-alle-alle-metingen-")
    assert name.endswith(".xlsx") and mimetype.endswith("spreadsheetml.sheet")
    data_sheet = pd.read_excel(io.BytesIO(data), sheet_name="Gegevens")
    assert sorted(data_sheet["koploper"]) == ["breda", "tilburg", "tilburg"]
    with get_sessionmaker(url)() as session:
        lines = read_log(session, command_line(), actions=["export"])
    assert list(lines["detail"]) == [
        "xlsx (app), 3 antwoorden, alle metingen, zonder demo-antwoorden"
    ]


def test_a_gemeente_exports_only_its_own_koploper_and_open_text_only_with_the_right(url, served):
    at = open_export(url, "gemeente", ["tilburg"])
    assert at.selectbox(key="export_koploper").options == ["Tilburg"]
    at.button(key="export_make").click().run()
    (name, (data, _)), *_ = served.items()
    assert name.startswith("koplopermonitor-antwoorden-tilburg-") and name.endswith(".csv")
    frame = pd.read_csv(io.BytesIO(data))
    assert list(frame["koploper"]) == ["tilburg", "tilburg"] and "comments" not in frame
    served.clear()
    at = open_export(url, "gemeente", ["tilburg"], free_text=True)
    at.radio(key="export_format").set_value("csv-nl").run()
    at.button(key="export_make").click().run()
    data = next(data for name, (data, _) in served.items() if name.endswith("-nl.csv"))
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    comments = "Wilt u nog iets vertellen over de cliëntondersteuning?"
    assert "'=1+1 geheim" in set(frame[comments])


def test_an_empty_choice_gets_a_message_and_no_button(url, served):
    at = open_export(url, "onderzoeker")
    at.selectbox(key="export_wave").set_value("T1").run()
    assert "geen antwoorden" in at.info[0].value
    assert not [b for b in at.button if b.key == "export_make"] and not served


def test_an_adviesraad_gets_no_access(url):
    at = open_export(url, "adviesraad", ["tilburg"])
    assert at.title[0].value == "Geen toegang"


def test_the_codebook_says_what_it_is_for_not_a_developers_command(url, served):
    at = open_export(url, "onderzoeker")
    at.button(key="export_make").click().run()
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    codebook = next(b for key, b in buttons.items() if "codebook" in key)
    assert codebook.label == "Codeboek downloaden (JSON, voor analyseprogramma's)"
    assert "python -m" not in codebook.help and "analyseprogramma" in codebook.help


def test_no_text_a_user_reads_names_a_developers_command():
    """Labels, help texts and messages of every page: docstrings and comments may name one."""
    root = Path(APP).parent
    shown = []
    for path in [root / "streamlit_app.py", *sorted((root / "pages").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        shown += [
            f"{path.name}: {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and "python -m" in node.value
        ]
    assert shown == []


def test_a_file_offered_before_the_rights_were_taken_away_is_not_made(url, served):
    """The button was drawn for the right to read open answers; the beheerder took it away
    before the click: the click gets no file and writes no line."""
    at = open_export(url, "gemeente", ["tilburg"], free_text=True)
    at.button(key="export_make").click().run()
    assert not at.exception, at.exception
    with get_sessionmaker(url).begin() as session:
        change_user(
            session,
            command_line(),
            "gemeente-open@test.example",
            role="gemeente",
            koplopers=["tilburg"],
            free_text=False,
        )
    with get_sessionmaker(url)() as session:
        before = len(read_log(session, command_line(), actions=["download"]))
    with pytest.raises(PermissionError):
        served[next(iter(served))]  # the click
    with get_sessionmaker(url)() as session:
        assert len(read_log(session, command_line(), actions=["download"])) == before
