"""Ways to write the Excel export's data sheet with XlsxWriter, compared in one run.

The data sheet (*Gegevens*: 80,171 rows, 65 columns, 2.4 million non-empty cells) is nearly all
of the time of ``reports.export_excel.write_xlsx``. Each variant writes that sheet from the same
export (read once from the database), in a fresh process (so its peak memory is its own), the
variants interleaved round after round (so the load of a shared machine falls on each alike);
per variant the median wall-clock time, the median CPU time of the process (what a quiet machine
would take) and the peak memory. Variants:

- ``write_row``: a row at a time, empty cells as None (what the product does), constant memory;
- ``write_row runs``: only the runs of non-empty cells of each row, constant memory;
- ``write_number/string``: each non-empty cell with the call of its column's type, constant memory;
- ``shared strings``: ``write_row`` with constant memory off (all cells held until the end);
- ``polars write_excel``: the same values through polars (a table with its own formats, constant
  memory not possible: not the same file, for the time only).

The three constant-memory variants write the same sheet: their sheet XML is compared byte for
byte. Run from the repository root (``--database-url``: a database that already holds responses,
used as it is; without it a fresh one is filled as ``bench/export.py`` fills one):

    python bench/xlsx_writers.py [--database-url URL] [--rounds 3] [--quick] [--no-polars]
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

if __name__ == "__main__":  # run as a script: import from the repository root
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
import xlsxwriter  # noqa: E402

from reports.export_columns import Column, analysis_columns  # noqa: E402
from reports.export_excel import OPTIONS, data_cells  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"


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


VARIANTS = {
    "write_row": (rows, True),
    "write_row runs": (runs, True),
    "write_number/string": (typed, True),
    "shared strings": (rows, False),
    "polars write_excel": (None, False),
}


def child(name: str, export_file: str, out: str) -> None:
    """Write one variant's sheet; print wall, CPU, peak memory (MB) and the file's size."""
    columns = analysis_columns(pickle.loads(Path(export_file).read_bytes()))
    wall, cpu = time.perf_counter(), time.process_time()
    write, constant = VARIANTS[name]
    if write is None:
        with_polars(Path(out), columns)
    else:
        with xlsxwriter.Workbook(out, {**OPTIONS, "constant_memory": constant}) as book:
            write(book.add_worksheet("Gegevens"), columns, book.add_format({"bold": True}))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(wall, cpu, peak, Path(out).stat().st_size)


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a filled database; default: fill a fresh one")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-polars", action="store_true")
    args = parser.parse_args()
    from bench.common import filled
    from db.access import command_line
    from db.engine import get_sessionmaker
    from db.export import read_export

    names = [n for n in VARIANTS if not (args.no_polars and n.startswith("polars"))]
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
        base = [statistics.median(r[i] for r in results["write_row"]) for i in (0, 1)]
        for name in names:
            wall, cpu, peak, size = (
                statistics.median(r[i] for r in results[name]) for i in range(4)
            )
            runs_ = ", ".join(f"{r[0]:.1f}/{r[1]:.1f}" for r in results[name])
            print(
                f"{name:<22} wall {wall:5.1f} s ({wall / base[0]:.2f})  cpu {cpu:5.1f} s "
                f"({cpu / base[1]:.2f})  peak {peak:5.0f} MB  {size / 1e6:4.1f} MB"
                f"   (wall/cpu per run: {runs_})"
            )
        same = len(set(digests.values())) == 1
        print("constant-memory variants: " + ("the same sheet XML" if same else "DIFFERENT XML"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
