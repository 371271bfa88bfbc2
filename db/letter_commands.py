"""``python -m db letters KOPLOPER WAVE --survey S --out letters.pdf [--reminder]``.

One A4 letter per code of the batches not withdrawn (with ``--reminder``: per code not used yet,
with the reminder's text), as one tagged PDF for the mailing house, made as the page
Uitnodigingen makes it (``views.invitations``). Large runs say how far they are ("1.000 van
10.000 brieven"). The printing is noted in the Logboek when the file is complete; a refusal is a
Dutch line on standard error and exit code 2, and no file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from db.access import AccessDenied, command_line
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.setup import init_database
from surveys.links import LOCAL, public_base
from surveys.numbers import whole
from surveys.vocabulary import QUESTIONNAIRES

PUBLIC_URL = "KOPLOPERMONITOR_PUBLIC_URL"
PROGRESS_EVERY = 1000
"""A line on the progress from this many letters on, and after every so many."""


def _refused(text: str) -> int:
    print(f"Fout: {text}", file=sys.stderr)
    return 2


def _letters(args: argparse.Namespace) -> int:
    # A document, as the page makes it: through views (the command line is an interface).
    from views.export import replacing
    from views.invitations import LettersError, PdfUnavailable, letters_pdf

    out = Path(args.out)
    if not out.parent.is_dir():
        return _refused(f"de map {out.parent} bestaat niet. Er is geen bestand gemaakt.")
    base = public_base(os.environ.get(PUBLIC_URL), None)
    if base == LOCAL:  # a printed letter pointing at this computer helps nobody
        return _refused(
            f"zet {PUBLIC_URL} op het openbare adres van de monitor (bijvoorbeeld "
            "https://monitor.gemeente.nl): zonder dat wijzen de adressen in de brieven naar "
            f"{LOCAL}. Er is geen bestand gemaakt."
        )
    init_database()
    shown = {"steps": 0, "total": 0}

    def progress(done: int, total: int) -> None:
        shown["total"] = total
        if total >= PROGRESS_EVERY and (done // PROGRESS_EVERY > shown["steps"] or done == total):
            shown["steps"] = done // PROGRESS_EVERY
            print(f"  {whole(done)} van {whole(total)} brieven", flush=True)

    try:
        # Committed (with its Logboek line) before the file takes its name; never half a file.
        with replacing(out) as [temporary], get_sessionmaker().begin() as session:
            data = letters_pdf(
                session,
                command_line(),
                args.koploper,
                args.wave,
                args.survey,
                reminder=args.reminder,
                base=base,
                progress=progress,
            )
            temporary.write_bytes(data)
    except (LettersError, UnknownKoploper, LookupError, AccessDenied, PdfUnavailable) as exc:
        return _refused(str(exc))
    except OSError as exc:
        return _refused(f"kan {out} niet schrijven ({exc.strerror or exc}). Er is geen bestand.")
    except KeyboardInterrupt:
        print("Afgebroken: er is geen bestand gemaakt.", file=sys.stderr)
        return 130
    what = "herinneringsbrieven" if args.reminder else "brieven"
    print(f"{whole(shown['total'])} {what} geschreven naar {out}.")
    return 0


def add_letter_commands(commands) -> None:
    """``letters`` under ``python -m db``."""
    letters = commands.add_parser(
        "letters",
        help="uitnodigingsbrieven (PDF, één A4 per code) voor de drukker",
        description="Eén brief per code van de reeksen die niet zijn ingetrokken; met "
        "--reminder een herinnering voor elke code die nog niet is gebruikt.",
    )
    letters.add_argument("koploper", help="slug van de koploper, bijv. tilburg")
    letters.add_argument("wave", help="code van de meting, bijv. T2")
    letters.add_argument("--survey", required=True, choices=list(QUESTIONNAIRES))
    letters.add_argument("--out", required=True, help="PDF-bestand om te schrijven")
    letters.add_argument(
        "--reminder", action="store_true", help="herinneringen, alleen voor ongebruikte codes"
    )
    letters.set_defaults(run=_letters)
