"""``python -m db codes …``: invitation codes from the command line, as the page Uitnodigingen.

``codes make KOPLOPER WAVE --survey client|professional --count N [--lang nl|nl-eenvoudig]
[--panel [--follow-up-of T0]]`` makes a batch (with ``--follow-up-of`` one code per member of that
wave's panel without a code yet: ``--count`` may then be left out, and must match when given);
``codes list [KOPLOPER [WAVE]]`` shows the batches with their counts; ``codes export KOPLOPER WAVE
--survey S --out codes.csv [--unused]`` writes the mailing house's file (through ``views.codes``,
as the page does); ``codes withdraw BATCH_ID`` stops a batch's unused codes. The one who acts is
:func:`db.access.command_line`. Every refusal is a Dutch line on standard error and exit code 2;
nothing is written unless the whole change is.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from db.access import AccessDenied, command_line
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.invitations import MAX_COUNT, InvitationError, list_batches, make_codes, withdraw_batch
from db.setup import init_database
from surveys.clock import dutch_clock, dutch_date
from surveys.links import LOCAL, public_base
from surveys.numbers import rate_percent, whole
from surveys.vocabulary import LANGUAGES, QUESTIONNAIRES, REGISTER_NAMES

REFUSALS = (InvitationError, UnknownKoploper, LookupError, AccessDenied)
PUBLIC_URL = "KOPLOPERMONITOR_PUBLIC_URL"


def _refused(exc: Exception) -> int:
    print(f"Fout: {exc}", file=sys.stderr)
    return 2


def _make(args: argparse.Namespace) -> int:
    if args.count is None and not args.follow_up_of:
        return _refused(InvitationError("Geef het aantal codes met --count."))
    if args.follow_up_of and not args.panel:
        return _refused(InvitationError("--follow-up-of maakt panelcodes: voeg --panel toe."))
    init_database()
    try:
        with get_sessionmaker().begin() as session:
            made = make_codes(
                session,
                command_line(),
                args.koploper,
                args.wave,
                args.survey,
                args.count,
                language=args.lang,
                panel=args.panel,
                follow_up_of=args.follow_up_of,
            )
    except REFUSALS as exc:
        return _refused(exc)
    kind = " (panel)" if made.panel else ""
    print(
        f"Reeks {made.id}: {whole(made.count)} codes{kind} gemaakt voor {made.koploper_name}, "
        f"meting {made.wave_code}, {QUESTIONNAIRES[made.survey].lower()}, "
        f"{REGISTER_NAMES[made.language].lower()}; briefnummers {whole(made.first_letter)} "
        f"tot en met {whole(made.last_letter)}."
    )
    print(
        f"Bestand voor de drukker: python -m db codes export {made.koploper_slug} "
        f"{made.wave_code} --survey {made.survey} --out codes.csv"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    init_database()
    with get_sessionmaker()() as session:
        batches = list_batches(session, command_line(), args.koploper, args.wave)
    if not batches:
        print("Geen reeksen codes" + (f" bij {args.koploper}" if args.koploper else "") + ".")
        return 0
    for batch in batches:
        share = rate_percent(batch.used, batch.count)
        panel = ""
        if batch.panel:
            panel = (
                f", panel (vervolg op {batch.follow_up_of})" if batch.follow_up_of else ", panel"
            )
        state = (
            f"ingetrokken {dutch_clock(batch.withdrawn_at)}" if batch.withdrawn_at else "in gebruik"
        )
        printed = []
        if batch.letters_on:
            printed.append(f"brieven {dutch_date(batch.letters_on)}")
        if batch.reminders_on:
            printed.append(f"herinneringen {dutch_date(batch.reminders_on)}")
        print(
            f"Reeks {batch.id}: {batch.koploper_name}, {batch.wave_code}, "
            f"{QUESTIONNAIRES[batch.survey].lower()}, "
            f"{REGISTER_NAMES[batch.language].lower()}{panel}: "
            f"{whole(batch.count)} codes, {whole(batch.used)} gebruikt ({share}); "
            f"briefnummers {whole(batch.first_letter)} tot en met {whole(batch.last_letter)}; "
            f"gemaakt {dutch_clock(batch.created_at)} door {batch.created_by}; {state}"
            + (f"; gedrukt: {', '.join(printed)}" if printed else "")
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    # A document, as the page makes it: through views (the command line is an interface).
    from views.codes import codes_file
    from views.export import replacing

    out = Path(args.out)
    if not out.parent.is_dir():
        return _refused(
            InvitationError(f"De map {out.parent} bestaat niet. Er is geen bestand gemaakt.")
        )
    base = public_base(os.environ.get(PUBLIC_URL), None)
    init_database()
    try:
        # Committed (with its Logboek line) before the file takes its name; never half a file.
        with replacing(out) as [temporary], get_sessionmaker().begin() as session:
            written = codes_file(
                session,
                command_line(),
                args.koploper,
                args.wave,
                args.survey,
                base=base,
                unused=args.unused,
            )
            temporary.write_bytes(written.data)
    except REFUSALS as exc:
        return _refused(exc)
    except OSError as exc:
        return _refused(
            InvitationError(
                f"kan {out} niet schrijven ({exc.strerror or exc}). Er is geen bestand."
            )
        )
    which = "ongebruikte codes" if args.unused else "codes"
    print(f"{whole(written.count)} {which} geschreven naar {out}.")
    if base == LOCAL:
        print(
            f"Let op: de links wijzen naar {LOCAL}. Zet {PUBLIC_URL} op het openbare adres van "
            "de monitor en maak het bestand opnieuw."
        )
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    init_database()
    try:
        with get_sessionmaker().begin() as session:
            batch = withdraw_batch(session, command_line(), args.batch)
    except REFUSALS as exc:
        return _refused(exc)
    print(
        f"Reeks {batch.id} ingetrokken: {whole(batch.count - batch.used)} ongebruikte codes "
        f"werken niet meer ({whole(batch.used)} al gebruikt)."
    )
    return 0


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geheel getal") from None
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"kies 1 tot en met {whole(MAX_COUNT)}, niet {text}")
    return value


def add_code_commands(commands, parser_class: type[argparse.ArgumentParser]) -> None:
    """``codes make | list | export | withdraw`` under ``python -m db``."""
    codes = commands.add_parser("codes", help="uitnodigingscodes: maken, tonen, exporteren")
    sub = codes.add_subparsers(
        dest="codes_command", required=True, metavar="opdracht", parser_class=parser_class
    )
    maker = sub.add_parser("make", help="maak een reeks codes voor een meting en vragenlijst")
    maker.add_argument("koploper", help="slug van de koploper, bijv. tilburg")
    maker.add_argument("wave", help="code van de meting, bijv. T2")
    maker.add_argument("--survey", required=True, choices=list(QUESTIONNAIRES))
    maker.add_argument(
        "--count",
        type=_count,
        help=f"aantal codes (1 tot en met {whole(MAX_COUNT)}); bij --follow-up-of mag het weg",
    )
    maker.add_argument("--lang", choices=list(LANGUAGES), default="nl", help="taal van de brief")
    maker.add_argument(
        "--panel", action="store_true", help="panelcodes: dezelfde persoon volgen over metingen"
    )
    maker.add_argument(
        "--follow-up-of",
        metavar="METING",
        help="één code per panellid van deze eerdere meting (bijv. T0), met --panel",
    )
    maker.set_defaults(run=_make)
    lister = sub.add_parser("list", help="toon de reeksen codes met aantallen")
    lister.add_argument("koploper", nargs="?", help="alleen deze koploper (slug)")
    lister.add_argument("wave", nargs="?", help="alleen deze meting, bijv. T2")
    lister.set_defaults(run=_list)
    exporter = sub.add_parser(
        "export",
        help="bestand voor de drukker: briefnummer, code en persoonlijke link (CSV)",
        description=f"De links gebruiken {PUBLIC_URL} (het openbare adres van de monitor).",
    )
    exporter.add_argument("koploper")
    exporter.add_argument("wave")
    exporter.add_argument("--survey", required=True, choices=list(QUESTIONNAIRES))
    exporter.add_argument("--out", required=True, help="bestand om te schrijven, bijv. codes.csv")
    exporter.add_argument(
        "--unused", action="store_true", help="alleen codes die nog niet zijn gebruikt"
    )
    exporter.set_defaults(run=_export)
    withdrawer = sub.add_parser(
        "withdraw", help="trek een reeks in: de ongebruikte codes werken niet meer"
    )
    withdrawer.add_argument("batch", type=int, metavar="REEKS", help="nummer van de reeks")
    withdrawer.set_defaults(run=_withdraw)
