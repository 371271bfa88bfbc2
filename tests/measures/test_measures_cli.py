"""The analysts' command line, run in-process on small synthetic CSV files."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from measures.cli import COMPARE_COLUMNS, main
from measures.synthetic import synthetic_responses

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def responses_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "antwoorden.csv"
    wide = synthetic_responses(("almere", "breda", "putten"), ("T0", "T1"), per_group=40)
    # a tiny koploper: its figures must come out suppressed, never as 'nan'
    tiny = synthetic_responses(("voorst",), ("T0", "T1"), per_group=6, seed=9)
    tiny["response_id"] = "v" + tiny["response_id"]
    pd.concat([wide, tiny], ignore_index=True).to_csv(path, index=False)
    return path


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(args, stdout=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_compare_writes_exactly_the_agreed_columns(responses_csv, tmp_path, capsys) -> None:
    out = tmp_path / "vergelijking.csv"
    code, _, err = _run(
        [
            "compare",
            "--responses",
            str(responses_csv),
            "--baseline",
            "T0",
            "--followup",
            "T1",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == COMPARE_COLUMNS
    assert set(table["kind"]) == {"proportion", "mean"}
    assert set(table["flag"]) <= {"", "indicatief", "onderdrukt"}
    assert "nan" not in out.read_text().lower()


def test_suppressed_rows_have_empty_figures_in_the_csv(responses_csv, tmp_path, capsys) -> None:
    out = tmp_path / "vergelijking.csv"
    _run(
        [
            "compare",
            "--responses",
            str(responses_csv),
            "--baseline",
            "T0",
            "--followup",
            "T1",
            "--koploper",
            "voorst",
            "--out",
            str(out),
        ],
        capsys,
    )
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert set(table["koploper"]) == {"voorst"}
    assert (table["flag"] == "onderdrukt").all()
    figures = COMPARE_COLUMNS[6:19]
    assert (table[figures] == "").all().all()
    assert table["n_baseline"].str.fullmatch(r"\d").all()  # counts stay, as whole numbers


def test_proportions_are_fractions_and_changes_carry_a_test(responses_csv, capsys) -> None:
    code, text, _ = _run(
        [
            "compare",
            "--responses",
            str(responses_csv),
            "--baseline",
            "T0",
            "--followup",
            "T1",
            "--koploper",
            "almere",
        ],
        capsys,
    )
    table = pd.read_csv(io.StringIO(text))
    shares = table[table["kind"] == "proportion"]
    assert shares["estimate_baseline"].between(0, 1).all()
    assert set(table["test"].dropna()) <= {"chi2", "fisher_exact", "welch_t"}
    assert code == 0


def test_summary_gives_estimates_per_wave_and_optionally_per_subgroup(responses_csv, capsys):
    code, text, _ = _run(["summary", "--responses", str(responses_csv), "--subgroups"], capsys)
    table = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert code == 0 and set(table["wave"]) == {"T0", "T1"}
    assert {"", "target_group", "age_group", "role"} == set(table["subgroup"])
    assert "nan" not in text.lower()


def test_benchmark_reads_a_cohort_file(responses_csv, tmp_path, capsys) -> None:
    cohorts = tmp_path / "cohorten.csv"
    cohorts.write_text("koploper,cohort\nalmere,2017\nbreda,2018\nputten,2018\n", encoding="utf-8")
    code, text, err = _run(
        ["benchmark", "--responses", str(responses_csv), "--wave", "T1", "--cohorts", str(cohorts)],
        capsys,
    )
    assert code == 0, err
    table = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert {"overige koplopers", "cohort 2018"} <= set(table["reference"])


def test_a_bad_cohort_file_is_named_by_line_and_column(responses_csv, tmp_path, capsys) -> None:
    cohorts = tmp_path / "cohorten.csv"
    cohorts.write_text("koploper,cohort\nalmere,2017\nbreda,\n", encoding="utf-8")
    code, _, err = _run(
        ["benchmark", "--responses", str(responses_csv), "--cohorts", str(cohorts)], capsys
    )
    assert code == 2 and "regel 3, kolom 'cohort'" in err


def test_reliability_per_wave(responses_csv, capsys) -> None:
    code, text, _ = _run(["reliability", "--responses", str(responses_csv)], capsys)
    table = pd.read_csv(io.StringIO(text))
    assert code == 0 and set(table["theme"]) == {"findability", "quality", "outcome"}


def test_a_bad_code_in_the_file_exits_with_2_and_names_line_and_column(tmp_path, capsys) -> None:
    wide = synthetic_responses(("almere",), ("T0", "T1"), per_group=12)
    row = wide.index[wide["knew_where"].notna()][0]  # a shown question, so only the code is wrong
    wide.loc[row, "knew_where"] = 6
    path = tmp_path / "fout.csv"
    wide.to_csv(path, index=False)
    code, _, err = _run(["summary", "--responses", str(path)], capsys)
    assert code == 2
    assert f"regel {row + 2}, kolom 'knew_where' ('6')" in err  # the cell as written in the file


def test_an_unknown_wave_or_koploper_exits_with_2_and_a_dutch_message(responses_csv, capsys):
    code, _, err = _run(
        ["compare", "--responses", str(responses_csv), "--baseline", "T0", "--followup", "T3"],
        capsys,
    )
    assert code == 2 and "vervolgmeting 'T3' komt niet voor" in err
    code, _, err = _run(["summary", "--responses", str(responses_csv), "--koploper", "ede"], capsys)
    assert code == 2 and "koploper 'ede'" in err


def test_a_missing_file_exits_with_2(tmp_path, capsys) -> None:
    code, _, err = _run(["summary", "--responses", str(tmp_path / "geen.csv")], capsys)
    assert code == 2 and "niet gevonden" in err


def test_thresholds_can_be_set_on_the_command_line(responses_csv, capsys) -> None:
    code, text, _ = _run(["summary", "--responses", str(responses_csv), "--min-n", "50"], capsys)
    table = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert code == 0 and (table.loc[table["n"] < 50, "flag"] == "onderdrukt").all()


def test_help_is_available_as_a_module(capsys) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "measures", "compare", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "--baseline" in result.stdout and "--followup" in result.stdout


def test_a_missing_required_option_exits_with_2(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["compare", "--responses", "x.csv"])
    assert stopped.value.code == 2


def test_reliability_for_one_koploper_is_split_by_koploper(responses_csv, capsys) -> None:
    code, text, _ = _run(
        ["reliability", "--responses", str(responses_csv), "--koploper", "breda"], capsys
    )
    table = pd.read_csv(io.StringIO(text))
    assert code == 0 and set(table["koploper"]) == {"breda"}


def test_the_csv_defuses_every_text_a_spreadsheet_would_run():
    """A direction '=' or a koploper name from the input file never runs as a formula."""
    import io

    import pandas as pd

    from measures.cli import write_table

    out = io.StringIO()
    table = pd.DataFrame(
        {"koploper": ["=HYPERLINK(\"x\")", "tilburg"], "direction": ["=", "▲"], "n": [12, 30]}
    )
    write_table(table, None, out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK") and ",'=," in lines[1]
    assert lines[2] == "tilburg,▲,30"
