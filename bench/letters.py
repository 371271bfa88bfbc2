"""Benchmark of the invitation letters: making 10,000 codes and printing their letters.

In one run, on a fresh database (SQLite in a temporary folder unless ``--database-url``):

- ``codes``: ``db.invitations.make_codes`` makes the codes (client questionnaire, 10 % of them
  easy read), committed;
- ``letters``: ``views.invitations.letters_pdf`` as ``python -m db letters`` runs it: the codes
  read, the PDF made (``reports.letters``: one WeasyPrint layout per register, every letter
  written from it with its own code, number and QR code), the printing noted; rolled back, so
  every round starts alike;
- the baseline, in the same run: WeasyPrint laying out the same letters as one HTML document with
  a page per letter and segno's SVG of each QR code (what the letters would cost made the
  straightforward way), on ``--baseline`` letters and counted up to the whole run.

Each is shown with its wall-clock time and CPU time (what a quiet machine would need), the
letters also with the peak memory (RSS) of the process and the file's size. The machine's load
average is printed: on a shared machine the wall-clock times are the machine's, the CPU times
the work's.

Goal (issue 19): 10,000 letters made and printed within 30 s, under 500 MB. From the
repository root:

    python bench/letters.py                  # 10,000 codes, 200 letters for the baseline
    python bench/letters.py --count 1000     # a smoke test
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import segno  # noqa: E402

from db.access import command_line  # noqa: E402
from db.contacts import set_contact  # noqa: E402
from db.engine import get_sessionmaker  # noqa: E402
from db.invitations import make_codes  # noqa: E402
from db.setup import init_database  # noqa: E402
from reports.letter_qr import qr_matrix, qr_size  # noqa: E402
from reports.letters import (  # noqa: E402
    CODE_PLACEHOLDER,
    NUMBER_PLACEHOLDER,
    Mailing,
    layout,
    letters_html,
)
from surveys.codes import new_code, printed  # noqa: E402
from surveys.links import QR_ERROR, code_link  # noqa: E402
from surveys.privacy import Contact  # noqa: E402
from views.invitations import letters_pdf  # noqa: E402

BASE = "https://koplopermonitor.example.nl"


def cpu() -> float:
    """CPU seconds of this process."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def peak_mb() -> float:
    """The peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def baseline(count: int, letters: int) -> tuple[float, float]:
    """WeasyPrint laying out ``count`` letters one page each: (wall, CPU) seconds, and the same
    counted up to ``letters``."""
    mailing = Mailing(
        survey="client",
        koploper="tilburg",
        koploper_name="Tilburg",
        koploper_kind="gemeente",
        contact=Contact("Gemeente Tilburg", "14 013", "wmo@tilburg.nl"),
        closing=dt.date(2027, 3, 14),
        base=BASE,
        minutes=10,
    )
    units = qr_size(qr_matrix(code_link(BASE, new_code())))
    html = letters_html(mailing, ["nl"], units)
    head, rest = html.split('<section class="letter', 1)
    page, _glyphs = rest.split('<section class="glyphs', 1)
    page = '<section class="letter' + page
    placeholder = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', page)[1]
    wall, used = time.perf_counter(), cpu()
    pages = []
    for number in range(1, count + 1):
        code = new_code()
        qr = segno.make(code_link(BASE, code), error=QR_ERROR, micro=False)
        svg = qr.svg_data_uri(border=4, scale=1)
        pages.append(
            page.replace(CODE_PLACEHOLDER, printed(code))
            .replace(NUMBER_PLACEHOLDER, str(number))
            .replace(placeholder, svg)
        )
    pdf = layout(head + "".join(pages) + "</body></html>")
    assert pdf.startswith(b"%PDF")
    wall, used = time.perf_counter() - wall, cpu() - used
    return wall * letters / count, used * letters / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--count", type=int, default=10_000, help="codes and letters (10,000)")
    parser.add_argument("--baseline", type=int, default=200, help="letters for the baseline")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {load()}   CPUs: {os.cpu_count()}")
    viewer = command_line()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        init_database(url)
        factory = get_sessionmaker(url)
        wall, used = time.perf_counter(), cpu()
        with factory.begin() as session:
            set_contact(session, "tilburg", organisation="Gemeente Tilburg", phone="14 013")
            easy = args.count // 10
            make_codes(session, viewer, "tilburg", "T2", "client", args.count - easy)
            make_codes(session, viewer, "tilburg", "T2", "client", easy, language="nl-eenvoudig")
        made = time.perf_counter() - wall, cpu() - used
        print(f"codes: {args.count:,} made in {made[0]:.1f} s (CPU {made[1]:.1f} s)")
        for round_number in range(1, args.rounds + 1):
            wall, used = time.perf_counter(), cpu()
            with factory() as session:
                pdf = letters_pdf(
                    session,
                    viewer,
                    "tilburg",
                    "T2",
                    "client",
                    base=BASE,
                )
                session.rollback()
            wall, used = time.perf_counter() - wall, cpu() - used
            print(
                f"letters, round {round_number}: {args.count:,} in {wall:.1f} s "
                f"(CPU {used:.1f} s); {len(pdf) / 1e6:.1f} MB file; "
                f"peak RSS {peak_mb():.0f} MB; load average {load()}"
            )
            del pdf
    wall, used = baseline(args.baseline, args.count)
    print(
        f"baseline (WeasyPrint, a page per letter, {args.baseline} letters counted up): "
        f"{args.count:,} in {wall:.0f} s (CPU {used:.0f} s)"
    )
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
