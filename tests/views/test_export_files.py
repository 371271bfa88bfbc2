"""Exports for analysts, each format read back by its own kind of reader; SPSS also by PSPP."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from db.__main__ import main as db_main
from db.access import AccessDenied, Viewer, command_line
from db.audit import read_log
from db.contacts import find_koploper
from db.engine import get_sessionmaker
from db.export import EmptyExport, count_responses, read_export
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from surveys.codebook import read_codebook
from surveys.definition import from_stored
from views.export import export_file

PSPP = shutil.which("pspp")
SOFFICE = shutil.which("soffice")
# 23:30 UTC on 1 March is 2 March in the Netherlands: the day written is the Dutch one.
LATE = dt.datetime(2019, 3, 1, 23, 30)
ANSWERS = [
    {
        "aware_oco": 1,
        "heard_via": [5, 2],
        "used_oco": 1,
        "knew_where": 9,
        "contacts": 2.5,
        "grade": 8,
        "comments": "=HYPERLINK(\"http://x\"); en 'meer'",
    },
    {"aware_oco": 0, "used_oco": 0, "target_group": [7]},
    {"aware_oco": 9, "used_oco": 1, "knew_where": 4, "contacts": 3, "comments": "prima"},
]


@pytest.fixture
def url(database_url) -> str:
    """Three real responses of Tilburg (T0) and one demo response of Breda (T1)."""
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        version = latest_version(session, "client")
        questionnaire = from_stored(version.definition)
        tilburg, breda = find_koploper(session, "tilburg"), find_koploper(session, "breda")

        def new(koploper, wave: str, number: int, answers: dict, demo: bool = False):
            return NewResponse(
                questionnaire_version_id=version.id,
                koploper_id=koploper.id,
                wave_id=next(w.id for w in koploper.waves if w.code == wave),
                channel="demo" if demo else "web",
                language="nl",
                idempotency_key=f"files-{koploper.slug}-{number}",
                submitted_at=LATE + dt.timedelta(days=number),
                is_demo=demo,
                answers=answers,
            )

        rows = [new(tilburg, "T0", n, answers) for n, answers in enumerate(ANSWERS)]
        rows.append(new(breda, "T1", 9, {"aware_oco": 1, "used_oco": 0}, demo=True))
        insert_responses(session, questionnaire, rows)
    return database_url


def export(url: str, fmt: str, out: Path, viewer: Viewer | None = None, **choice):
    codebook = out.with_suffix(".codebook.json") if fmt.startswith("csv") else None
    with get_sessionmaker(url).begin() as session:
        return export_file(session, viewer or command_line(), fmt, out, codebook, **choice)


def content(path: Path) -> str:
    """Every text in a file: the cells of each sheet of an Excel file, else its bytes."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return " ".join(
            str(value) for ws in book for row in ws.iter_rows(values_only=True) for value in row
        )
    return path.read_bytes().decode("utf-8", errors="replace")


def test_the_csv_for_r_and_python_is_the_interchange_format_with_days_and_safe_texts(url, tmp_path):
    written = export(url, "csv", tmp_path / "a.csv")
    assert written.responses == 3  # the demo response only when asked
    frame = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert list(frame["submitted_at"]) == ["2019-03-02", "2019-03-03", "2019-03-04"]
    assert list(frame["questionnaire_version"]) == ["1", "1", "1"]
    first = frame.iloc[0]
    assert (first["heard_via"], first["knew_where"], first["contacts"]) == ("2;5", "9", "2.5")
    assert first["comments"].startswith("'=HYPERLINK")
    assert not (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(read_codebook(tmp_path / "a.codebook.json")) == [("client", 1)]


def test_the_csv_for_dutch_excel_has_dutch_headers_labels_and_a_column_per_answer(url, tmp_path):
    export(url, "csv-nl", tmp_path / "nl.csv")
    raw = (tmp_path / "nl.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNummer;Koploper;Meting;Vragenlijst;")
    frame = pd.read_csv(
        tmp_path / "nl.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype=str
    ).fillna("")
    assert len(frame) == 3 and frame.columns.is_unique
    first = frame.iloc[0]
    assert (first["Koploper"], first["Meting"], first["Ingevuld op"]) == (
        "Tilburg",
        "Nulmeting (T0)",
        "2-3-2019",
    )
    assert (first["Vragenlijst"], first["Kanaal"]) == ("Inwoners en cliënten", "Online")
    heard = "Hoe heeft u over cliëntondersteuning gehoord?"
    chosen = [c for c in frame.columns if c.startswith(heard)]
    assert len(chosen) == 7  # not "2;5": a column per answer, named "question: answer"
    assert chosen[0].endswith(": Huisarts of praktijkondersteuner")
    assert [frame[c].iloc[0] for c in chosen] == ["0", "1", "0", "0", "1", "0", "0"]
    assert {frame[c].iloc[1] for c in chosen} == {""}  # not asked: empty, not 0
    knew = "Ik wist waar ik moest zijn met mijn hulpvraag."
    assert list(frame[knew]) == ["Weet niet / niet van toepassing", "", "Mee eens"]
    assert "Wist u dat u gebruik kon maken van een onafhankelijke cliëntondersteuner?" in frame
    number = next(c for c in frame.columns if frame[c].iloc[0] == "2,5")
    assert frame[number].iloc[2] == "3"  # a decimal comma, no ",0"
    comments = next(c for c in frame.columns if frame[c].iloc[2] == "prima")
    assert frame[comments].iloc[0] == "'=HYPERLINK(\"http://x\"); en 'meer'"
    assert not any(cell[:1] in "=+-@" for cell in frame.to_numpy().ravel() if cell)
    assert not any(column[:1] in "=+-@" for column in frame.columns)


def test_the_plain_csv_stays_the_machine_format_beside_the_dutch_one(url, tmp_path):
    export(url, "csv", tmp_path / "a.csv")
    header = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("response_id,koploper,wave,questionnaire,questionnaire_version,")
    assert ",heard_via," in header and ",knew_where," in header


def test_the_excel_file_has_the_data_a_codebook_and_the_figures_without_small_numbers(
    url, tmp_path
):
    export(url, "xlsx", tmp_path / "a.xlsx", include_demo=True)
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["Gegevens", "Codeboek", "Cijfers", "Uitleg"]
    data = pd.read_excel(tmp_path / "a.xlsx", sheet_name="Gegevens")
    assert len(data) == 4 and set(data["koploper"]) == {"tilburg", "breda"}
    assert {"heard_via_2", "heard_via_5", "questionnaire_version"} <= set(data.columns)
    first = data.iloc[0]
    assert (first["heard_via_2"], first["heard_via_1"], first["knew_where"]) == (1, 0, 9)
    assert pd.isna(data["heard_via_2"].iloc[1])  # not asked: empty, not 0
    assert first["submitted_at"] == "2019-03-02"
    assert first["comments"].startswith("'=")
    codebook = pd.read_excel(tmp_path / "a.xlsx", sheet_name="Codeboek")
    knew = codebook[codebook["Vraag (sleutel)"] == "knew_where"].iloc[0]
    assert knew["Vraagtekst, standaard (B1)"] != knew["Vraagtekst, makkelijk lezen"]
    assert "5 = Helemaal mee eens" in knew["Codes"] and knew["Versies van de vragenlijst"] == (
        "client 1"
    )
    figures = pd.read_excel(tmp_path / "a.xlsx", sheet_name="Cijfers")
    assert set(figures["Koploper"]) == {"tilburg", "breda"}
    # the dashboard's rule: a count of 1 to 9 is not shown, 0 is (nobody to recognise)
    assert set(figures["n"]) == {"minder dan 10", 0} and figures["Schatting"].isna().all()
    assert not figures["Toelichting"].str.contains(r"n = \d").any()  # nor in the reason


def test_the_spss_file_has_labels_missing_values_and_measure_levels(url, tmp_path):
    export(url, "sav", tmp_path / "a.sav")
    frame, meta = pyreadstat.read_sav(tmp_path / "a.sav", user_missing=True)
    assert len(frame) == 3 and "questionnaire_version" in frame.columns
    assert (
        meta.column_names_to_labels["knew_where"]
        == "Ik wist waar ik moest zijn met mijn hulpvraag."
    )
    assert meta.variable_value_labels["knew_where"][5] == "Helemaal mee eens"
    assert meta.variable_value_labels["knew_where"][9].startswith("Weet niet")
    assert meta.missing_ranges["knew_where"] == [{"lo": 9.0, "hi": 9.0}]
    assert meta.variable_measure["knew_where"] == "ordinal"
    assert meta.variable_measure["grade"] == "scale"
    assert meta.variable_measure["aware_oco"] == "nominal"
    assert meta.variable_value_labels["heard_via_2"] == {0: "Niet gekozen", 1: "Gekozen"}
    assert list(frame["heard_via_5"].fillna(-1)) == [1, -1, -1]
    assert frame["submitted_at"].iloc[0] == "2019-03-02"


@pytest.mark.skipif(PSPP is None, reason="PSPP is not installed (Debian: apt-get install pspp)")
def test_pspp_reads_the_spss_file_with_its_cases_and_labels(url, tmp_path):
    export(url, "sav", tmp_path / "a.sav")
    syntax = tmp_path / "lees.sps"
    syntax.write_text(
        f'GET FILE="{tmp_path / "a.sav"}".\n'
        "DISPLAY DICTIONARY /VARIABLES=knew_where heard_via_2.\n"
        "DESCRIPTIVES response_id.\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [PSPP, "-O", "format=csv", str(syntax)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert "Valid N (listwise),3,,,," in lines
    assert any(
        line.startswith("knew_where,") and "Ik wist waar ik moest zijn met mijn hulpvraag." in line
        for line in lines
    )
    assert ",5,Helemaal mee eens" in lines and ",1,Gekozen" in lines
    assert ",9[a],Weet niet / niet van toepassing" in lines
    assert "Footnote: a. User-missing value" in lines


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
)
def test_libreoffice_calc_opens_every_sheet_of_the_excel_file(url, tmp_path):
    """The file is written by rust_xlsxwriter, its data sheet in constant-memory mode (inline
    strings): a spreadsheet program must read it, with every response, the codebook and the
    figures."""
    export(url, "xlsx", tmp_path / "a.xlsx", include_demo=True)
    out = tmp_path / "csv"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(tmp_path / "a.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    data = pd.read_csv(out / "a-Gegevens.csv", dtype=str)
    assert len(data) == 4 and "questionnaire_version" in data.columns
    assert set(data["submitted_at"].str.len()) == {10}  # the day only
    book = pd.read_csv(out / "a-Codeboek.csv", dtype=str)
    assert "knew_where" in " ".join(book.fillna("").to_numpy().ravel())
    assert (out / "a-Cijfers.csv").stat().st_size > 0


def test_the_stata_file_has_variable_and_value_labels(url, tmp_path):
    export(url, "dta", tmp_path / "a.dta", include_demo=True)
    frame, meta = pyreadstat.read_dta(tmp_path / "a.dta")
    assert len(frame) == 4
    assert meta.column_names_to_labels["grade"].startswith("Welk rapportcijfer")
    assert all(len(label) <= 80 for label in meta.column_names_to_labels.values())
    assert meta.variable_value_labels["aware_oco"] == {
        0: "Nee",
        1: "Ja",
        9: meta.variable_value_labels["aware_oco"][9],
    }
    assert list(frame["questionnaire_version"]) == [1, 1, 1, 1]


def test_one_wave_and_one_koploper_are_chosen_in_the_database(url):
    with get_sessionmaker(url)() as session:
        viewer = command_line()
        assert count_responses(session, viewer, wave="T1", include_demo=True) == 1
        assert count_responses(session, viewer, koploper="tilburg", wave="T1") == 0
        chosen = read_export(session, viewer, koploper="breda", include_demo=True)
    assert list(chosen.meta["koploper"]) == ["breda"] and list(chosen.meta["wave"]) == ["T1"]


@pytest.mark.parametrize("fmt", ["csv-nl", "xlsx", "sav", "dta"])
def test_a_gemeente_exports_its_own_koploper_without_open_text_unless_it_may(url, tmp_path, fmt):
    with get_sessionmaker(url)() as session:
        plain = Viewer(
            "pl@tilburg.example",
            "gemeente",
            frozenset({find_koploper(session, "tilburg").id}),
            frozenset({"tilburg"}),
        )
    with pytest.raises(AccessDenied):
        export(url, fmt, tmp_path / "breda", plain, koploper="breda", include_demo=True)
    out = tmp_path / f"eigen.{fmt}"
    assert export(url, fmt, out, plain, include_demo=True).responses == 3
    assert "HYPERLINK" not in content(out) and "prima" not in content(out)
    free = Viewer(plain.email, "gemeente", plain.koploper_ids, plain.koploper_slugs, free_text=True)
    export(url, fmt, out, free)
    assert "prima" in content(out)
    with pytest.raises(AccessDenied):
        export(url, fmt, out, Viewer("raad@tilburg.example", "adviesraad", plain.koploper_ids))


def test_every_export_is_a_line_in_the_audit_log_and_a_refused_one_is_not(url, tmp_path):
    export(url, "sav", tmp_path / "a.sav", koploper="tilburg", wave="T0")
    with pytest.raises(EmptyExport, match="Er zijn geen antwoorden van tilburg, meting T1"):
        export(url, "sav", tmp_path / "b.sav", koploper="tilburg", wave="T1")
    with get_sessionmaker(url)() as session:
        lines = read_log(session, command_line(), actions=["export"])
    assert list(lines["koploper"]) == ["tilburg"]
    assert (
        lines["detail"][0] == "sav (opdrachtregel), 3 antwoorden, meting T0, zonder demo-antwoorden"
    )


def test_by_command_every_format_and_the_codebook_beside_a_csv(url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    for fmt in ("csv", "csv-nl", "xlsx", "sav", "dta"):
        out = tmp_path / f"uit-{fmt}.data"
        assert db_main(["export", "--format", fmt, "--out", str(out), "--include-demo"]) == 0
        assert out.stat().st_size > 0
    assert (tmp_path / "uit-csv.codebook.json").is_file()
    assert db_main(["export", "--out", str(tmp_path / "raden.sav"), "--no-demo"]) == 0
    assert pyreadstat.read_sav(tmp_path / "raden.sav")[0].shape[0] == 3  # format from the name
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--koploper", "tilburg", "--wave", "T1"], "Er zijn geen antwoorden van tilburg"),
        (["--koploper", "breda"], "Er zijn wel demo-antwoorden"),
        (["--koploper", "tilbrug"], "Er is geen koploper 'tilbrug'"),
        (["--wave", "T7"], "Meting 'T7' bestaat niet"),
    ],
)
def test_by_command_bad_input_is_one_dutch_line_and_no_file(
    url, tmp_path, monkeypatch, capsys, arguments, message
):
    monkeypatch.setenv("DATABASE_URL", url)
    folder = tmp_path / "uit"
    folder.mkdir()
    assert db_main(["export", "--out", str(folder / "leeg.xlsx"), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_an_export_interrupted_halfway_leaves_the_old_file_and_no_log_line(
    url, tmp_path, monkeypatch, capsys
):
    import reports.export_files

    def half(columns, path):
        path.write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(reports.export_files, "write_sav", half)
    monkeypatch.setenv("DATABASE_URL", url)
    folder = tmp_path / "uit"
    folder.mkdir()
    out = folder / "a.sav"
    out.write_bytes(b"the previous export")
    assert db_main(["export", "--out", str(out)]) == 130
    assert "Afgebroken: er is geen bestand gemaakt." in capsys.readouterr().err
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in folder.iterdir()] == ["a.sav"]
    with get_sessionmaker(url)() as session:
        assert read_log(session, command_line(), actions=["export"]).empty
