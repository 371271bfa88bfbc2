"""``python -m db letters …`` on SQLite and PostgreSQL: the file, the reminder's codes, the
Logboek line and the refusals."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from sqlalchemy import update

from db.__main__ import main
from db.access import command_line
from db.audit import read_log
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.invitations import code_rows, list_batches, make_codes
from db.models import InvitationCode
from db.setup import init_database
from surveys.codes import printed


@pytest.fixture
def pdftotext(in_ci) -> str:
    path = shutil.which("pdftotext")
    if path is None:
        if in_ci:
            pytest.fail("pdftotext not found (apt-get install poppler-utils)")
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    return path


@pytest.fixture
def cli(database_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("KOPLOPERMONITOR_PUBLIC_URL", "https://monitor.example.nl")
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "tilburg", organisation="Gemeente Tilburg", phone="14 013")
        make_codes(session, command_line(), "tilburg", "T2", "client", 3)
        make_codes(session, command_line(), "tilburg", "T2", "client", 1, language="nl-eenvoudig")
    return database_url


def codes_in(pdftotext: str, path) -> list[str]:
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b", text)


def test_the_command_writes_one_letter_per_code_and_notes_it(cli, capsys, tmp_path, pdftotext):
    out = tmp_path / "brieven.pdf"
    assert main(["letters", "tilburg", "T2", "--survey", "client", "--out", str(out)]) == 0
    assert "4 brieven geschreven naar" in capsys.readouterr().out
    with get_sessionmaker(cli)() as session:
        rows = code_rows(session, command_line(), "tilburg", "T2", "client")
        batches = list_batches(session, command_line(), "tilburg", "T2")
        log = read_log(session, command_line(), actions=["letters_printed"])
    assert codes_in(pdftotext, out) == [printed(row.code) for row in rows]
    assert [row.letter_number for row in rows] == [1, 2, 3, 4]
    assert all(batch.letters_on is not None and batch.reminders_on is None for batch in batches)
    assert log["detail"].tolist() == ["4 uitnodigingsbrieven voor T2 client"]
    assert not list(tmp_path.glob(".*.deel"))


def test_a_reminder_holds_only_the_codes_not_used(cli, capsys, tmp_path, pdftotext):
    with get_sessionmaker(cli).begin() as session:
        rows = code_rows(session, command_line(), "tilburg", "T2", "client")
        session.execute(
            update(InvitationCode)
            .where(InvitationCode.code == rows[1].code)
            .values(used_on=dt.date.today())
        )
    out = tmp_path / "herinnering.pdf"
    argv = ["letters", "tilburg", "T2", "--survey", "client", "--out", str(out), "--reminder"]
    assert main(argv) == 0
    assert "3 herinneringsbrieven geschreven" in capsys.readouterr().out
    expected = [printed(row.code) for row in rows if row.code != rows[1].code]
    assert codes_in(pdftotext, out) == expected
    with get_sessionmaker(cli)() as session:
        batches = list_batches(session, command_line(), "tilburg", "T2")
        log = read_log(session, command_line(), actions=["letters_printed"])
    assert all(batch.reminders_on is not None for batch in batches)
    assert log["detail"].tolist() == ["3 herinneringsbrieven voor T2 client"]


def test_a_panels_follow_up_letter_says_so_and_names_the_earlier_letter(
    cli, capsys, tmp_path, pdftotext
):
    with get_sessionmaker(cli).begin() as session:
        make_codes(session, command_line(), "tilburg", "T0", "client", 2, panel=True)
        make_codes(
            session, command_line(), "tilburg", "T1", "client", None, panel=True, follow_up_of="T0"
        )
    out = tmp_path / "vervolg.pdf"
    assert main(["letters", "tilburg", "T1", "--survey", "client", "--out", str(out)]) == 0
    pages = (
        subprocess.run([pdftotext, "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split("\f")[:-1]
    )
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        text = " ".join(page.split())
        assert "Uw antwoorden krijgen een nummer zonder naam" in text and "anoniem" not in text
        assert text.endswith(f"Briefnummer {number} Vorig briefnummer: {number}")


def refused(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Fout: ") and "Traceback" not in captured.err
    return captured.err


def test_refusals_say_why_in_dutch_and_write_nothing(cli, capsys, tmp_path, monkeypatch):
    out = tmp_path / "x.pdf"
    argv = ["letters", "tilburg", "T2", "--survey", "client", "--out", str(out)]
    with monkeypatch.context() as without:
        without.delenv("KOPLOPERMONITOR_PUBLIC_URL")
        assert "KOPLOPERMONITOR_PUBLIC_URL" in refused(capsys, argv)  # no letters to localhost
    argv = ["letters", "tilburg", "T2", "--survey", "professional", "--out", str(out)]
    assert "nog geen codes" in refused(capsys, argv)
    argv = ["letters", "tilburg", "T9", "--survey", "client", "--out", str(out)]
    assert "T9" in refused(capsys, argv)
    argv = ["letters", "tilbrug", "T2", "--survey", "client", "--out", str(out)]
    assert "tilburg" in refused(capsys, argv)
    missing = tmp_path / "nergens" / "x.pdf"
    argv = ["letters", "tilburg", "T2", "--survey", "client", "--out", str(missing)]
    assert "bestaat niet" in refused(capsys, argv)
    with get_sessionmaker(cli).begin() as session:
        session.execute(update(InvitationCode).values(used_on=dt.date.today()))
    argv = ["letters", "tilburg", "T2", "--survey", "client", "--out", str(out), "--reminder"]
    assert "al gebruikt" in refused(capsys, argv)
    assert not out.exists()
    with get_sessionmaker(cli)() as session:
        assert read_log(session, command_line(), actions=["letters_printed"]).empty


def test_a_large_run_says_how_far_it_is(cli, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("db.letter_commands.PROGRESS_EVERY", 2)
    out = tmp_path / "brieven.pdf"
    assert main(["letters", "tilburg", "T2", "--survey", "client", "--out", str(out)]) == 0
    assert "  4 van 4 brieven" in capsys.readouterr().out
