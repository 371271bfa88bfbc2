"""The dashboard's and Vergelijken's Excel files open in LibreOffice Calc, a spreadsheet program
nobody here wrote: every sheet converts to CSV with the cells we wrote."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from reports.compare_downloads import comparison_rows, comparison_xlsx
from reports.downloads import figures_xlsx
from tests.measures.view_figures import KOPLOPER_NAME, view
from tests.reports.test_compare_downloads import CHANGES

SOFFICE = shutil.which("soffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
)


def calc_sheets(workbook: bytes, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of ``workbook`` as LibreOffice Calc shows it (all cells as text)."""
    source = tmp_path / "book.xlsx"
    source.write_bytes(workbook)
    out = tmp_path / "csv"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            # UTF-8, comma, cells as shown (number formats applied), every sheet to a file of
            # its own (book-<sheet>.csv)
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return {
        path.stem.removeprefix("book-"): pd.read_csv(
            path, header=None, dtype=str, keep_default_na=False
        )
        for path in out.glob("book-*.csv")
    }


def test_calc_opens_every_sheet_of_the_dashboard_workbook(tmp_path) -> None:
    sheets = calc_sheets(figures_xlsx(view(), KOPLOPER_NAME, ["client"], []), tmp_path)
    assert set(sheets) == {
        "Overzicht",
        "Bekendheid",
        "Vindbaarheid",
        "Kwaliteit",
        "Effect",
        "Inzicht",
        "Uitleg",
    }
    overview = sheets["Overzicht"]
    assert overview.iloc[0, 0].startswith(f"Koplopermonitor {KOPLOPER_NAME}")
    assert list(overview.iloc[1, :3]) == ["Doel", "Vragenlijst", "Indicator"]
    assert "=" in set(overview.iloc[2:, 12])  # the sign, shown as text, never run
    grade = sheets["Kwaliteit"]
    assert list(grade.iloc[1, :5]) == ["Vragenlijst", "Indicator", "Meting", "n", "Schatting"]
    estimates = grade.iloc[2:, 4]
    assert estimates.str.fullmatch(r"\d+\.\d%?|").all()  # one decimal, shares in percent
    assert estimates.str.endswith("%").any() and not estimates.str.endswith("%").all()


def test_calc_opens_the_comparison_workbook(tmp_path) -> None:
    rows = comparison_rows(CHANGES, "T0", "T1", 10)
    sheets = calc_sheets(comparison_xlsx(rows, "Titel", ["Uitleg 1"]), tmp_path)
    assert set(sheets) == {"Vergelijken", "Uitleg"}
    table = sheets["Vergelijken"]
    assert table.iloc[1, 0] == "Koploper" and table.iloc[1, 6] == "Verandering"
    assert table.iloc[2, 6] == "11.3" and table.iloc[3, 5] == "= niet duidelijk anders"
    assert table.iloc[3, 0] == '\'=HYPERLINK("http://x")'  # defused text, not a formula
    assert sheets["Uitleg"].iloc[1, 0] == "Uitleg 1"
