"""Ways to write the Excel export's data sheet, XlsxWriter's and compiled ones, compared in one run.

The data sheet (*Gegevens*: 80,171 rows, 65 columns, 2.4 million non-empty cells) is nearly all
of the time of ``reports.export_excel.write_xlsx``. Each variant writes that sheet from the same
export (read once from the database), in a fresh process (so its peak memory is its own), the
variants interleaved round after round (so the load of a shared machine falls on each alike);
per variant the median wall-clock time, the median CPU time of the process (what a quiet machine
would take) and the peak memory. Variants:

- ``write_row``: a row at a time, empty cells as None (what the product did until 5 December
  2026, the baseline of the ratios), constant memory;
- ``write_row runs``: only the runs of non-empty cells of each row, constant memory;
- ``write_number/string``: each non-empty cell with the call of its column's type, constant memory;
- ``shared strings``: ``write_row`` with constant memory off (all cells held until the end);
- ``polars write_excel``: the same values through polars (a table with its own formats, constant
  memory not possible: not the same file, for the time only);
- ``rvgsrust write_dataframe``: rust_xlsxwriter through the ``rvgsrust_xlsxwriter`` binding, from
  a polars frame's Arrow buffers, constant memory (what the product does:
  ``reports.export_excel.write_data``);
- ``rustpy write_worksheets``: rust_xlsxwriter through the ``rustpy_xlsxwriter`` binding, from
  the same polars frame, constant memory (its default).

The three constant-memory XlsxWriter variants write the same sheet: their sheet XML is compared
byte for byte. The two compiled ones write other XML (``1.0`` for ``1``, no ``spans``): their
cells, value and type, are compared with those of ``write_row``. Run from the repository root
(``--database-url``: a database that already holds responses, used as it is; without it a fresh
one is filled as ``bench/export.py`` fills one; ``--only``: these ways and ``write_row``):

    python bench/xlsx_writers.py [--database-url URL] [--rounds 3] [--quick] [--no-polars]
                                 [--only WAY ...]
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

if __name__ == "__main__":  # run as a script: import from the repository root
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from xml.etree.ElementTree import iterparse  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xlsxwriter  # noqa: E402

from reports.export_columns import Column, analysis_columns  # noqa: E402
from reports.export_excel import data_frame, write_data  # noqa: E402
from surveys.spreadsheet import formula_safe  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
OPTIONS = {
    "constant_memory": True,
    # Texts stay texts: never turned into formulas, links or numbers.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""XlsxWriter's workbook options, as the product had them."""
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def data_cells(column: Column) -> list[object]:
    """A column's cells as Python values (None: empty), each distinct one converted once (how
    the product fed XlsxWriter)."""
    index, uniques = pd.factorize(column.values, use_na_sentinel=True)
    if column.values.dtype == object:
        written = [formula_safe(str(value)) for value in uniques]
    else:
        written = [int(v) if float(v).is_integer() else float(v) for v in uniques]
    return np.asarray([*written, None], dtype=object)[index].tolist()


def sheet_cells(path: Path, sheet: str = SHEET) -> dict[str, tuple[object, str | None]]:
    """Every cell of a sheet of the file at ``path``: its reference, its value (a float for a
    number, else the text, inline or shared) and its style index."""
    cells: dict[str, tuple[object, str | None]] = {}
    with zipfile.ZipFile(path) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            with book.open("xl/sharedStrings.xml") as strings:
                for _, element in iterparse(strings):
                    if element.tag == MAIN + "si":
                        shared.append("".join(t.text or "" for t in element.iter(MAIN + "t")))
                        element.clear()
        with book.open(sheet) as xml:
            for _, element in iterparse(xml):
                if element.tag != MAIN + "c":
                    continue
                kind = element.get("t")
                if kind == "inlineStr":
                    value: object = "".join(t.text or "" for t in element.iter(MAIN + "t"))
                elif kind == "s":
                    value = shared[int(element.findtext(MAIN + "v"))]
                else:
                    value = float(element.findtext(MAIN + "v"))
                cells[element.get("r")] = (value, element.get("s"))
                element.clear()
    return cells


def _header(sheet, columns: list[Column], bold) -> list[list[object]]:
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [column.name for column in columns], bold)
    return [data_cells(column) for column in columns]


def _patterns(cells: list[list[object]]) -> tuple[np.ndarray, list[int]]:
    """Each distinct pattern of non-empty cells, and each row's pattern."""
    filled = np.column_stack(
        [np.fromiter((v is not None and v != "" for v in c), bool, len(c)) for c in cells]
    )
    patterns, which = np.unique(filled, axis=0, return_inverse=True)
    return patterns, which.ravel().tolist()


def rows(sheet, columns, bold) -> None:
    cells = _header(sheet, columns, bold)
    for line, row in enumerate(zip(*cells, strict=True), start=1):
        sheet.write_row(line, 0, row)


def runs(sheet, columns, bold) -> None:
    cells = _header(sheet, columns, bold)
    patterns, which = _patterns(cells)
    spans = []
    for pattern in patterns:
        edges = np.flatnonzero(np.diff(np.concatenate(([0], pattern.astype(np.int8), [0]))))
        spans.append(list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True)))
    for line, row, p in zip(
        range(1, len(cells[0]) + 1), zip(*cells, strict=True), which, strict=True
    ):
        for start, stop in spans[p]:
            sheet.write_row(line, start, row[start:stop])


def typed(sheet, columns, bold) -> None:
    cells = _header(sheet, columns, bold)
    patterns, which = _patterns(cells)
    calls = [
        sheet.write_string if column.values.dtype == object else sheet.write_number
        for column in columns
    ]
    plans = [[(i, calls[i]) for i in np.flatnonzero(p).tolist()] for p in patterns]
    for line, row, p in zip(
        range(1, len(cells[0]) + 1), zip(*cells, strict=True), which, strict=True
    ):
        for i, call in plans[p]:
            call(line, i, row[i])


def with_polars(path: Path, columns: list[Column]) -> None:
    import polars as pl

    frame = pl.DataFrame({c.name: data_cells(c) for c in columns}, strict=False)
    frame.write_excel(str(path), worksheet="Gegevens")


def with_rvgsrust(path: Path, columns: list[Column]) -> None:
    """The product's data sheet (``reports.export_excel.write_data``), alone in its book."""
    import rvgsrust_xlsxwriter

    book = rvgsrust_xlsxwriter.Workbook(str(path))
    write_data(book, columns, book.add_format().set_bold())
    book.close()


def with_rustpy(path: Path, columns: list[Column]) -> None:
    import rustpy_xlsxwriter

    rustpy_xlsxwriter.write_worksheets(
        [("Gegevens", data_frame(columns))],
        str(path),
        freeze_panes={"general": {"row": 1, "col": 0}},
        bold_headers=True,
    )


VARIANTS = {
    "write_row": (rows, True),
    "write_row runs": (runs, True),
    "write_number/string": (typed, True),
    "shared strings": (rows, False),
    "polars write_excel": (with_polars, None),
    "rvgsrust write_dataframe": (with_rvgsrust, None),
    "rustpy write_worksheets": (with_rustpy, None),
}
"""Each way: its function, and XlsxWriter's constant-memory option (None: not XlsxWriter)."""
COMPILED = ("rvgsrust write_dataframe", "rustpy write_worksheets")


def child(name: str, export_file: str, out: str) -> None:
    """Write one variant's sheet; print wall, CPU, peak memory (MB) and the file's size."""
    columns = analysis_columns(pickle.loads(Path(export_file).read_bytes()))
    wall, cpu = time.perf_counter(), time.process_time()
    write, constant = VARIANTS[name]
    if constant is None:
        write(Path(out), columns)
    else:
        with xlsxwriter.Workbook(out, {**OPTIONS, "constant_memory": constant}) as book:
            write(book.add_worksheet("Gegevens"), columns, book.add_format({"bold": True}))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _peak_mb()
    print(wall, cpu, peak, Path(out).stat().st_size)


def _peak_mb() -> float:
    """This process's peak resident memory in MB (``VmHWM``: its own; ``ru_maxrss`` would also
    count the parent's memory at the fork, which Linux keeps across ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a filled database; default: fill a fresh one")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-polars", action="store_true")
    parser.add_argument("--only", nargs="+", choices=list(VARIANTS), help="only these ways")
    args = parser.parse_args()
    from bench.common import filled
    from db.access import command_line
    from db.engine import get_sessionmaker
    from db.export import read_export

    names = [n for n in VARIANTS if not (args.no_polars and n.startswith("polars"))]
    if args.only:
        names = [n for n in names if n in args.only or n == "write_row"]
    with tempfile.TemporaryDirectory() as folder:
        if args.database_url:
            factory = get_sessionmaker(args.database_url)
        else:
            factory = filled(f"sqlite:///{folder}/bench.db", args.quick)
        with factory() as session:
            export = read_export(session, command_line(), include_demo=True)
        export_file = Path(folder) / "export.pickle"
        export_file.write_bytes(pickle.dumps(export))
        print(f"{len(export):,} responses")
        results: dict[str, list[list[float]]] = {name: [] for name in names}
        digests = {}
        for _ in range(args.rounds):
            for name in names:
                out = Path(folder) / f"{names.index(name)}.xlsx"
                line = subprocess.run(
                    [sys.executable, __file__, "--child", name, str(export_file), str(out)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()
                results[name].append([float(v) for v in line])
                if VARIANTS[name][1]:
                    with zipfile.ZipFile(out) as book:
                        digests[name] = hashlib.sha256(book.read(SHEET)).hexdigest()
        baseline = _values(sheet_cells(Path(folder) / f"{names.index('write_row')}.xlsx"))
        same_cells = {
            name: _values(sheet_cells(Path(folder) / f"{names.index(name)}.xlsx")) == baseline
            for name in names
            if name in COMPILED
        }
        base = [statistics.median(r[i] for r in results["write_row"]) for i in (0, 1)]
        for name in names:
            wall, cpu, peak, size = (
                statistics.median(r[i] for r in results[name]) for i in range(4)
            )
            runs_ = ", ".join(f"{r[0]:.1f}/{r[1]:.1f}" for r in results[name])
            print(
                f"{name:<24} wall {wall:5.1f} s ({wall / base[0]:.2f})  cpu {cpu:5.1f} s "
                f"({cpu / base[1]:.2f})  peak {peak:5.0f} MB  {size / 1e6:4.1f} MB"
                f"   (wall/cpu per run: {runs_})"
            )
        same = len(set(digests.values())) == 1
        print("constant-memory variants: " + ("the same sheet XML" if same else "DIFFERENT XML"))
        for name, same in same_cells.items():
            print(
                f"{name}: "
                + ("the same cells" if same else "DIFFERENT CELLS")
                + f" as write_row ({len(baseline):,} cells, value and type)"
            )
    return 0


def _values(cells: dict[str, tuple[object, str | None]]) -> dict[str, object]:
    """The cells without their style (the header's bold has another index in each writer)."""
    return {reference: value for reference, (value, _style) in cells.items()}


if __name__ == "__main__":
    raise SystemExit(main())
