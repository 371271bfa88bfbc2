"""Benchmark of the exports: 80,000 responses (about 1,100,000 answers) in every format.

In one run, on one database filled with synthetic responses (``db.demo.seed_demo``: 28 koplopers,
two waves, two questionnaires, as ``bench/dashboard.py``), it times, as the command line and the
page Exporteren do (``views.export.export_file``: read, write, the audit line; rolled back):

- ``read``: the selection read from the database (``db.export.read_export``: the coded answers
  decoded from the response packs, numbers and texts as rows), on its own;
- each format: ``csv``, ``csv-nl``, ``xlsx`` (with the codebook and the engine's figures),
  ``sav``, ``dta``, from the database to the finished file;
- the baseline, in the same run: the previous read path (``responses_wide`` of before: every
  answer as a row, grouped per item by pandas) written with ``DataFrame.to_csv``.

Each is shown with its wall-clock time and the CPU time of this process (``time.process_time``:
what a quiet machine would take; with SQLite the whole export runs in this process, with a
database server its own work is not counted). ``bench/xlsx_writers.py`` compares ways of writing
the Excel file's data sheet.

Goal (issue 10): each export of 80,000 responses within 10 s. Run from the repository root:

    python bench/export.py                       # embedded SQLite in a temporary folder
    python bench/export.py --database-url URL    # e.g. PostgreSQL (a scratch database)
    python bench/export.py --quick               # a tenth of the data, a smoke test
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.common import arguments, filled, timed  # noqa: E402
from bench.common import show as common_show  # noqa: E402
from db.access import command_line  # noqa: E402
from db.export import read_export  # noqa: E402
from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave  # noqa: E402
from surveys.definition import from_stored  # noqa: E402
from surveys.interchange import META_COLUMNS  # noqa: E402
from views.export import FORMATS, export_file  # noqa: E402


def previous_read(session: Session) -> pd.DataFrame:
    """The read path before this one (kept here as the baseline): every answer a row with its
    item key, grouped per item by pandas, every value encoded by the codec."""
    items = {}
    for version in session.scalars(
        select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
        )
    ):
        for item in from_stored(version.definition).items:
            items.setdefault(item.key, item)
    meta = pd.DataFrame(
        session.execute(
            select(
                Response.id,
                Koploper.slug,
                Wave.code,
                QuestionnaireVersion.key,
                QuestionnaireVersion.version,
                Response.submitted_at,
                Response.channel,
                Response.language,
            )
            .join(Response.koploper)
            .join(Response.wave)
            .join(Response.questionnaire_version)
            .order_by(Response.id)
        ).all(),
        columns=list(META_COLUMNS),
    )
    long = pd.DataFrame(
        session.execute(
            select(Answer.response_id, Answer.item_key, Answer.code, Answer.number, Answer.text)
            .join(Answer.response)
            .order_by(Answer.response_id, Answer.item_key, Answer.code)
        ).all(),
        columns=["response_id", "item_key", "code", "number", "text"],
    )
    encoded = {}
    for key, answers in long.groupby("item_key", sort=False):
        qtype = items[key].qtype
        stored = answers[qtype.column]
        if qtype.multiple:
            grouped = stored.groupby(answers["response_id"], sort=False).agg(tuple)
        else:
            grouped = pd.Series(stored.to_numpy(), index=answers["response_id"].to_numpy())
        index, uniques = pd.factorize(grouped)
        texts = [qtype.encode(qtype.load(v if qtype.multiple else [v])) for v in uniques]
        encoded[key] = pd.Series(np.asarray(texts, dtype=object)[index], index=grouped.index)
    wide = pd.DataFrame(encoded, dtype=object)
    return meta.merge(wide, left_on="response_id", right_index=True, how="left")


def show(name: str, times: list[float], goal: str = "") -> float:
    return common_show(name, times, goal, width=28, places=2)


def with_cpu(work: Callable[[], object], cpu: list[float]) -> Callable[[], object]:
    """``work``, adding the CPU time of each run to ``cpu``."""

    def run() -> object:
        start = time.process_time()
        result = work()
        cpu.append(time.process_time() - start)
        return result

    return run


def show_cpu(cpu: list[float]) -> None:
    print(
        f"{'':<28}   cpu {statistics.median(cpu):6.2f} s   (runs "
        + ", ".join(f"{t:.2f}" for t in cpu)
        + ")"
    )


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    viewer = command_line()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        factory = filled(url, args.quick)

        def read():
            with factory() as session:
                return read_export(session, viewer, include_demo=True)

        def write(fmt: str) -> Callable[[], int]:
            def run() -> int:
                out = Path(folder) / f"export.{fmt}"
                codebook = Path(folder) / f"export-{fmt}.codebook.json"
                with factory() as session:
                    export_file(session, viewer, fmt, out, codebook, include_demo=True)
                    session.rollback()  # the audit lines of a benchmark are not kept
                return out.stat().st_size

            return run

        def baseline() -> int:
            with factory() as session:
                frame = previous_read(session)
            out = Path(folder) / "baseline.csv"
            frame.to_csv(out, index=False)
            return out.stat().st_size

        print()
        cpu: dict[str, list[float]] = {name: [] for name in ("read", *FORMATS, "baseline")}
        results = {"read": timed(with_cpu(read, cpu["read"]), args.rounds)}
        for fmt in FORMATS:
            results[fmt] = timed(with_cpu(write(fmt), cpu[fmt]), args.rounds)
        results["baseline"] = timed(with_cpu(baseline, cpu["baseline"]), 1)
        rows = results["read"][1]
        print(f"exported {len(rows):,} responses, {len(rows.values)} item columns")
        show("read (read_export)", results["read"][0])
        show_cpu(cpu["read"])
        for fmt in FORMATS:
            times, size = results[fmt]
            show(f"{fmt} ({size / 1e6:.1f} MB)", times, "goal ≤ 10 s")
            show_cpu(cpu[fmt])
        show("baseline: previous read + to_csv", results["baseline"][0])
        show_cpu(cpu["baseline"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
