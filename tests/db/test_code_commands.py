"""``python -m db codes …`` and ``open-wave --access`` on SQLite and PostgreSQL."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from db.__main__ import main
from db.access import command_line
from db.audit import read_log
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link
from db.invitations import code_rows, list_batches
from db.models import InvitationCode, Wave
from db.setup import init_database
from db.waves import find_wave
from surveys.codes import normalise


@pytest.fixture
def cli(database_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("KOPLOPERMONITOR_PUBLIC_URL", raising=False)
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "tilburg", phone="14 013")
    return database_url


def refused(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Fout: " in captured.err and "Traceback" not in captured.err
    return captured.err


def test_make_list_and_withdraw_by_command(cli, capsys):
    argv = ["codes", "make", "tilburg", "T2", "--survey", "client", "--count", "1200"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "1.200 codes gemaakt voor Tilburg" in out and "briefnummers 1 tot en met 1.200" in out
    assert main([*argv[:-1], "5", "--lang", "nl-eenvoudig"]) == 0
    assert "briefnummers 1.201 tot en met 1.205" in capsys.readouterr().out
    assert main(["codes", "list", "tilburg"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2
    assert "1.200 codes, 0 gebruikt (0,0\u00a0%)" in listed[0] and "in gebruik" in listed[0]
    with get_sessionmaker(cli)() as session:
        [first, second] = list_batches(session, command_line(), "tilburg")
    assert main(["codes", "withdraw", str(second.id)]) == 0
    assert "5 ongebruikte codes werken niet meer" in capsys.readouterr().out
    assert main(["codes", "list"]) == 0
    assert "ingetrokken" in capsys.readouterr().out.splitlines()[1]
    assert "al ingetrokken" in refused(capsys, ["codes", "withdraw", str(second.id)])
    assert "geen reeks" in refused(capsys, ["codes", "withdraw", "999"])
    assert main(["codes", "list", "almere"]) == 0
    assert "Geen reeksen" in capsys.readouterr().out


def use_codes(url: str, count: int) -> None:
    """Mark the first ``count`` codes (by letter number) used."""
    with get_sessionmaker(url).begin() as session:
        for code in session.scalars(
            select(InvitationCode).order_by(InvitationCode.letter_number).limit(count)
        ):
            code.used_on = dt.date(2026, 3, 4)


def test_the_list_rounds_the_rate_as_veldwerk_does(cli, capsys):
    argv = ["codes", "make", "tilburg", "T2", "--survey", "client", "--count", "240"]
    assert main(argv) == 0
    use_codes(cli, 75)
    capsys.readouterr()
    assert main(["codes", "list", "tilburg"]) == 0
    # 31,25 rounded half up, as Veldwerk, the Excel file and the report write it (not 31,2).
    assert "240 codes, 75 gebruikt (31,3\u00a0%)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["codes", "make", "tilburg", "T2", "--survey", "client"], "--count"),
        (["codes", "make", "tilburg", "T9", "--survey", "client", "--count", "3"], "T9"),
        (["codes", "make", "tilbrug", "T2", "--survey", "client", "--count", "3"], "tilburg"),
        (
            ["codes", "make", "tilburg", "T2", "--survey", "client", "--follow-up-of", "T0"],
            "--panel",
        ),
        (
            ["codes", "make", "tilburg", "T2", "--survey", "client", "--panel"]
            + ["--follow-up-of", "T0"],
            "geen panelcodes",
        ),
    ],
)
def test_a_make_that_cannot_be_is_refused_in_dutch_and_makes_nothing(cli, capsys, argv, says):
    assert says in refused(capsys, argv)
    with get_sessionmaker(cli)() as session:
        assert list_batches(session, command_line()) == []


@pytest.mark.parametrize("count", ["0", "50001", "veel"])
def test_a_count_outside_the_range_is_refused_by_the_parser(cli, capsys, count):
    with pytest.raises(SystemExit) as stopped:
        main(["codes", "make", "tilburg", "T2", "--survey", "client", "--count", count])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Fout: --count: " in err and "argument" not in err


def read_csv(path) -> tuple[bytes, list[dict[str, str]]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    return raw, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_export_writes_the_mailing_house_file_for_dutch_excel(cli, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("KOPLOPERMONITOR_PUBLIC_URL", "https://monitor.example/")
    main(["codes", "make", "tilburg", "T2", "--survey", "client", "--count", "3"])
    main(["codes", "make", "tilburg", "T2", "--survey", "professional", "--count", "2"])
    capsys.readouterr()
    out = tmp_path / "codes.csv"
    argv = ["codes", "export", "tilburg", "T2", "--survey", "client", "--out", str(out)]
    assert main(argv) == 0
    assert "3 codes geschreven" in capsys.readouterr().out
    raw, rows = read_csv(out)
    assert raw.startswith(codecs.BOM_UTF8) and b"\r\n" in raw and raw.count(b"\n") == 4
    header = b"briefnummer;briefnummer_vorige_meting;code;link"
    assert raw.splitlines()[0] == codecs.BOM_UTF8 + header
    with get_sessionmaker(cli)() as session:
        stored = code_rows(session, command_line(), "tilburg", "T2", "client")
    assert [row["briefnummer"] for row in rows] == ["1", "2", "3"]
    for row, code in zip(rows, stored, strict=True):
        assert len(row["code"]) == 9 and row["code"][4] == "-"
        assert normalise(row["code"]) == code.code
        assert row["link"] == f"https://monitor.example/code?c={code.code}"
    with get_sessionmaker(cli)() as session:
        log = read_log(session, command_line(), actions=["codes_exported"])
    assert log["detail"].tolist() == ["3 codes van T2 client naar een bestand"]


def test_export_unused_leaves_out_used_codes_and_says_when_links_point_at_localhost(
    cli, capsys, tmp_path
):
    main(["codes", "make", "tilburg", "T2", "--survey", "client", "--count", "3"])
    with get_sessionmaker(cli).begin() as session:
        first = session.scalar(select(InvitationCode).order_by(InvitationCode.letter_number))
        first.used_on = dt.date(2026, 12, 1)
    capsys.readouterr()
    out = tmp_path / "rest.csv"
    argv = ["codes", "export", "tilburg", "T2", "--survey", "client", "--out", str(out)]
    assert main([*argv, "--unused"]) == 0
    said = capsys.readouterr().out
    assert "2 ongebruikte codes" in said and "KOPLOPERMONITOR_PUBLIC_URL" in said
    _, rows = read_csv(out)
    assert [row["briefnummer"] for row in rows] == ["2", "3"]
    assert rows[0]["link"].startswith("http://localhost:8501/code?c=")


def test_export_of_a_panels_follow_up_names_each_persons_earlier_letter(cli, capsys, tmp_path):
    panel = ["codes", "make", "tilburg", "T0", "--survey", "client", "--panel"]
    assert main([*panel, "--count", "2"]) == 0
    assert main(["codes", "make", "tilburg", "T1", "--survey", "client", "--count", "1"]) == 0
    follow = ["codes", "make", "tilburg", "T1", "--survey", "client", "--panel"]
    assert main([*follow, "--follow-up-of", "T0"]) == 0
    capsys.readouterr()
    out = tmp_path / "t1.csv"
    assert main(["codes", "export", "tilburg", "T1", "--survey", "client", "--out", str(out)]) == 0
    _, rows = read_csv(out)
    pairs = [(row["briefnummer"], row["briefnummer_vorige_meting"]) for row in rows]
    assert pairs == [("1", ""), ("2", "1"), ("3", "2")]


def test_export_to_a_missing_folder_or_of_another_koploper_leaves_no_file(cli, capsys, tmp_path):
    folder = tmp_path / "uit"
    folder.mkdir()
    argv = ["codes", "export", "tilburg", "T2", "--survey", "client"]
    assert "bestaat niet" in refused(capsys, [*argv, "--out", str(folder / "nee" / "c.csv")])
    out = str(folder / "x.csv")
    assert "tilbrug" in refused(
        capsys, ["codes", "export", "tilbrug", "T2", "--survey", "client", "--out", out]
    )
    assert list(folder.iterdir()) == []


def test_open_wave_sets_the_access_and_leaves_it_when_not_given(cli, capsys):
    assert main(["open-wave", "tilburg", "T2", "--access", "codes"]) == 0
    out = capsys.readouterr().out
    assert "Toegang: alleen met een code uit een uitnodiging." in out
    with get_sessionmaker(cli)() as session:
        assert find_wave(session, "tilburg", "T2").access == "codes"
        assert resolve_link(session, "client", "tilburg", "T2") == "codes_only"
    assert main(["open-wave", "tilburg", "T2"]) == 0
    capsys.readouterr()
    with get_sessionmaker(cli)() as session:
        assert find_wave(session, "tilburg", "T2").access == "codes"
        assert session.scalar(select(Wave.access).where(Wave.code == "T0")) == "both"
    assert main(["open-wave", "tilburg", "T2", "--access", "open"]) == 0
    with get_sessionmaker(cli)() as session:
        assert find_wave(session, "tilburg", "T2").access == "open"
        log = read_log(session, command_line(), actions=["wave_opened"])
    assert "toegang: alleen via de open link" in log["detail"][0]
    with pytest.raises(SystemExit):
        main(["open-wave", "tilburg", "T2", "--access", "alles"])
