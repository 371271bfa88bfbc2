"""Command line: ``python -m db init | repack | seed-demo | open-wave | export | user … |
codes …``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from db.access import command_line
from db.audit import record
from db.code_commands import add_code_commands
from db.contacts import (
    ContactError,
    UnknownKoploper,
    clear_demo_contacts,
    fill_demo_contacts,
    find_koploper,
    koploper_contact,
    open_waves_without_contact,
    set_contact,
)
from db.engine import DatabaseUnavailable, describe, get_engine, get_sessionmaker, is_sqlite
from db.letter_commands import add_letter_commands
from db.responses import count_demo, delete_demo
from db.setup import init_database
from db.user_commands import DutchParser, add_user_commands
from db.users import koploper_names
from surveys.definition import DefinitionError
from surveys.numbers import whole
from surveys.vocabulary import ACCESS

FORMAT_CHOICES = ("csv", "csv-nl", "xlsx", "sav", "dta")
"""The formats of ``export`` (``reports.export_files.FORMATS``; loaded only when exporting)."""


def _init(_args: argparse.Namespace) -> int:
    report = init_database()
    print(f"Database: {report.url}")
    print(f"Referentiegegevens toegevoegd: {report.reference_rows_added} (0 = stond er al)")
    for key, version, created in report.versions:
        print(f"Vragenlijst {key}: versie {version}" + (" (nieuw)" if created else ""))
    if report.repacked:
        print(f"Antwoorden verpakt voor het dashboard: {report.repacked}")
    return 0


def _repack(_args: argparse.Namespace) -> int:
    from db.packs import repack

    init_database()
    with get_sessionmaker().begin() as session:
        packed = repack(session, everything=True)
    print(f"Antwoorden opnieuw verpakt voor het dashboard: {packed}")
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from db.demo import DemoAccount, seed_demo, seed_demo_accounts

    engine = get_engine()
    if not is_sqlite(engine) and not args.yes:
        print(
            f"Weigering: {describe(str(engine.url))} is geen ingebouwde SQLite-database. "
            "Demogegevens horen niet in een productiedatabase; voeg --yes toe als u het "
            "zeker weet.",
            file=sys.stderr,
        )
        return 2
    if not 1 <= args.min <= args.max:
        print("Fout: --min moet minstens 1 zijn en niet groter dan --max.", file=sys.stderr)
        return 2
    init_database()
    added = 0
    accounts: list[DemoAccount] = []
    with get_sessionmaker().begin() as session:
        # Before the demo opens T2: an open wave needs someone respondents can ask.
        filled = fill_demo_contacts(session)
        if filled:
            print(f"Voorbeeldcontactgegevens (demo) ingevuld bij {filled} koplopers.")
        accounts = seed_demo_accounts(session, command_line())
        names = koploper_names(session)
        existing = count_demo(session, command_line())
        if existing and not args.replace:
            print(
                f"Er staan al {whole(existing)} demo-antwoorden in de database; "
                "niets gedaan (gebruik --replace om ze opnieuw te maken)."
            )
        else:
            if existing:
                print(f"{whole(delete_demo(session))} oude demo-antwoorden verwijderd.")
            print("Demogegevens maken voor alle koplopers (T0 en T1)…")
            added = seed_demo(
                session,
                sizes=(args.min, args.max),
                progress=lambda message: print("  " + message, flush=True),
            )
        if added or accounts or filled:
            record(
                session,
                command_line(),
                "demo_seeded",
                detail=f"{whole(added)} demo-antwoorden, {len(accounts)} demo-accounts",
            )
    if added:
        print(f"Klaar: {whole(added)} demo-antwoorden toegevoegd. Meting T2 staat 30 dagen open.")
    if accounts:
        # Printed once, when made; the same fixed passwords are in the README.
        print("Demo-accounts (alleen voor een demonstratie; remove-demo verwijdert ze):")
        for account in accounts:
            where = ", ".join(names.get(slug, slug) for slug in account.koplopers)
            where = f" ({where})" if where else ""
            print(f"  {account.role}{where}: {account.email}  wachtwoord: {account.password}")
    return 0


def _remove_demo(_args: argparse.Namespace) -> int:
    from db.demo import remove_demo_accounts

    init_database()
    with get_sessionmaker().begin() as session:
        removed = delete_demo(session)
        cleared = clear_demo_contacts(session)
        accounts = remove_demo_accounts(session, command_line())
        still_open = open_waves_without_contact(session)
        record(
            session,
            command_line(),
            "demo_removed",
            detail=f"{whole(removed)} demo-antwoorden, {accounts} demo-accounts",
        )
    print(f"{whole(removed)} demo-antwoorden verwijderd.")
    print(f"Voorbeeldcontactgegevens (demo) verwijderd bij {cleared} koplopers.")
    print(f"{accounts} demo-accounts verwijderd.")
    for slug, code in still_open:
        print(
            f"Let op: meting {code} van {slug} staat open zonder contactgegevens. Vul ze in met "
            f"python -m db koploper set-contact {slug} …, of sluit de meting met "
            f"python -m db close-wave {slug} {code}."
        )
    return 0


def _set_wave(args: argparse.Namespace) -> int:
    from db.waves import close_wave, open_wave

    init_database()
    until = None
    if getattr(args, "until", None):
        try:
            until = dt.date.fromisoformat(args.until)
        except ValueError:
            print("Fout: --until moet een datum zijn als 2026-12-31.", file=sys.stderr)
            return 2
    try:
        with get_sessionmaker().begin() as session:
            if args.open:
                wave = open_wave(
                    session, command_line(), args.koploper, args.wave, until, access=args.access
                )
            else:
                wave = close_wave(session, command_line(), args.koploper, args.wave)
            start, end, access = wave.fieldwork_start, wave.fieldwork_end, wave.access
    except (LookupError, ValueError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    if args.open:
        print(f"Meting {args.wave} van {args.koploper} staat open van {start} tot en met {end}.")
        print(f"Toegang: {ACCESS[access].lower()}.")
        if access == "codes":
            print("De open link leidt naar /code: maak codes met python -m db codes make.")
            return 0
        print(
            f"Link voor inwoners: /respond?survey=client&koploper={args.koploper}&wave={args.wave}"
        )
        print(
            "Link voor professionals: /respond?survey=professional"
            f"&koploper={args.koploper}&wave={args.wave}"
        )
    else:
        print(f"Meting {args.wave} van {args.koploper} is gesloten.")
    return 0


def _wave_dates(args: argparse.Namespace) -> int:
    from db.waves import set_wave_dates

    init_database()
    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError:
        print("Fout: --start en --end moeten datums zijn als 2026-12-31.", file=sys.stderr)
        return 2
    try:
        with get_sessionmaker().begin() as session:
            set_wave_dates(session, command_line(), args.koploper, args.wave, start, end)
    except (LookupError, ValueError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    print(f"Meting {args.wave} van {args.koploper} loopt van {start} tot en met {end}.")
    return 0


def _set_contact(args: argparse.Namespace) -> int:
    init_database()
    try:
        with get_sessionmaker().begin() as session:
            set_contact(
                session,
                args.koploper,
                organisation=args.organisation,
                phone=args.phone,
                email=args.email,
                url=args.url,
            )
    except (UnknownKoploper, ContactError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    print(f"Contactgegevens van {args.koploper} opgeslagen.")
    return _show_contact(args)


def _show_contact(args: argparse.Namespace) -> int:
    init_database()
    with get_sessionmaker()() as session:
        try:
            find_koploper(session, args.koploper)
        except UnknownKoploper as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return 2
        found = koploper_contact(session, args.koploper)
    print(f"{found.name} ({found.kind}, {found.slug})")
    contact = found.contact
    if contact is None:
        print(
            "Nog geen contactgegevens. Vul ze in met: python -m db koploper set-contact "
            f"{found.slug} --phone … --email … --url …"
        )
        return 0
    print(f"Organisatie: {contact.organisation}")
    print(f"Telefoon: {contact.phone or '-'}")
    print(f"E-mail: {contact.email or '-'}")
    print(f"Website: {contact.url or '-'}")
    if contact.is_demo:
        print("Dit zijn voorbeeldgegevens (demo); remove-demo haalt ze weg.")
    print(f"Privacyverklaring: /privacy?koploper={found.slug}")
    return 0


def _export(args: argparse.Namespace) -> int:
    # The one command that needs measures and reports: it goes through views.
    from surveys.codebook import codebook_path
    from views.export import (
        CSV_FORMATS,
        EXTENSIONS,
        EmptyExport,
        UnknownWave,
        export_file,
        replacing,
    )

    out = Path(args.out)
    fmt = args.format or next(
        (name for name, ext in EXTENSIONS.items() if out.suffix == f".{ext}"), "csv"
    )
    if not out.parent.is_dir():
        print(
            f"Fout: de map {out.parent} bestaat niet. Er is geen bestand gemaakt.", file=sys.stderr
        )
        return 2
    init_database()
    targets = [out, codebook_path(out)] if fmt in CSV_FORMATS else [out]
    viewer = command_line()
    try:
        # The session commits (with the audit line) before the files take their names: no
        # export without its line in the log, and never a half-written file under that name.
        with replacing(*targets) as temporary, get_sessionmaker().begin() as session:
            written = export_file(
                session,
                viewer,
                fmt,
                temporary[0],
                temporary[1] if len(temporary) > 1 else None,
                koploper=args.koploper,
                wave=args.wave,
                include_demo=args.include_demo,
                progress=lambda done, text: done < 1 and print(f"  {text}…", flush=True),
            )
            demo = 0 if args.include_demo else count_demo(session, viewer)
    except (EmptyExport, UnknownKoploper, UnknownWave) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"Fout: kan {out} niet schrijven ({exc.strerror or exc}). Er is geen bestand gemaakt.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("Afgebroken: er is geen bestand gemaakt.", file=sys.stderr)
        return 130
    print(f"{whole(written.responses)} antwoorden geschreven naar {out} ({fmt}).")
    if written.codebook:
        print(f"Codeboek (de vragenlijstversies van deze antwoorden): {targets[1]}")
    if demo:
        print(
            f"Let op: de database bevat {demo} demo-antwoorden; die staan niet in het bestand "
            "(toevoegen met --include-demo)."
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    # Dutch throughout, also argparse's own messages for wrong use (see db.user_commands).
    parser = DutchParser(prog="python -m db", description="Koplopermonitor-database")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="opdracht", parser_class=DutchParser
    )
    commands.add_parser(
        "init", help="maak of werk de database bij en laad referentiegegevens"
    ).set_defaults(run=_init)
    commands.add_parser(
        "repack",
        help="verpak alle antwoorden opnieuw voor het dashboard (na wijzigingen met SQL)",
    ).set_defaults(run=_repack)
    seed = commands.add_parser(
        "seed-demo", help="vul synthetische demo-antwoorden en maak demo-accounts"
    )
    seed.add_argument("--replace", action="store_true", help="vervang bestaande demo-antwoorden")
    seed.add_argument("--yes", action="store_true", help="ook in een niet-SQLite-database")
    seed.add_argument("--min", type=int, default=150, help="minimaal aantal per groep (150)")
    seed.add_argument("--max", type=int, default=300, help="maximaal aantal per groep (300)")
    seed.set_defaults(run=_seed_demo)
    commands.add_parser(
        "remove-demo", help="verwijder alle demo-antwoorden en demo-accounts"
    ).set_defaults(run=_remove_demo)
    opener = commands.add_parser("open-wave", help="open een meting voor veldwerk")
    opener.add_argument("koploper", help="slug van de koploper, bijv. almere")
    opener.add_argument("wave", help="code van de meting, bijv. T2")
    opener.add_argument("--until", help="laatste dag (JJJJ-MM-DD); standaard over 30 dagen")
    opener.add_argument(
        "--access",
        choices=list(ACCESS),
        help="codes (alleen met een code uit een uitnodiging), open (alleen de open link) of "
        "both (allebei); standaard blijft het zoals het was (nieuwe metingen: both)",
    )
    opener.set_defaults(run=_set_wave, open=True)
    closer = commands.add_parser("close-wave", help="sluit een meting")
    closer.add_argument("koploper")
    closer.add_argument("wave")
    closer.set_defaults(run=_set_wave, open=False)
    dates = commands.add_parser("wave-dates", help="wijzig de data van een meting")
    dates.add_argument("koploper")
    dates.add_argument("wave")
    dates.add_argument("--start", required=True, help="eerste dag (JJJJ-MM-DD)")
    dates.add_argument("--end", required=True, help="laatste dag (JJJJ-MM-DD)")
    dates.set_defaults(run=_wave_dates)
    koploper = commands.add_parser("koploper", help="contactgegevens van een koploper")
    koploper_commands = koploper.add_subparsers(
        dest="koploper_command", required=True, metavar="opdracht", parser_class=DutchParser
    )
    contact = koploper_commands.add_parser(
        "set-contact",
        help="vul contactgegevens in voor vragen van inwoners (telefoon of e-mail verplicht)",
        description='Opties die u weglaat blijven zoals ze waren; een lege waarde ("") wist.',
    )
    contact.add_argument("koploper", help="slug van de koploper, bijv. tilburg")
    contact.add_argument("--organisation", help="bijv. 'Gemeente Tilburg, team Wmo'")
    contact.add_argument("--phone", help="bijv. '14 013' of '013-5423000'")
    contact.add_argument("--email", help="bijv. wmo@tilburg.nl")
    contact.add_argument("--url", help="webadres, bijv. https://www.tilburg.nl/wmo")
    contact.set_defaults(run=_set_contact)
    shower = koploper_commands.add_parser("show", help="toon de contactgegevens")
    shower.add_argument("koploper", help="slug van de koploper")
    shower.set_defaults(run=_show_contact)
    exporter = commands.add_parser(
        "export",
        help="antwoorden naar CSV, Excel, SPSS of Stata (bij CSV het codeboek ernaast)",
        description="CSV is het uitwisselformaat (python -m measures leest het, met het codeboek "
        "ernaast); xlsx, sav en dta hebben labels en per meerkeuzeantwoord een 0/1-kolom. "
        "Demo-antwoorden alleen met --include-demo.",
    )
    exporter.add_argument("--out", required=True, help="bestand om te schrijven")
    exporter.add_argument(
        "--format",
        choices=list(FORMAT_CHOICES),
        help="csv (R, Python), csv-nl (Nederlandse Excel), xlsx, sav (SPSS) of dta (Stata); "
        "standaard volgens de extensie van --out, anders csv",
    )
    exporter.add_argument("--koploper", help="alleen deze koploper (slug)")
    exporter.add_argument("--wave", help="alleen deze meting, bijv. T0")
    demo = exporter.add_mutually_exclusive_group()
    demo.add_argument("--include-demo", action="store_true", help="ook demo-antwoorden")
    demo.add_argument(
        "--no-demo", action="store_true", help="demo-antwoorden weglaten (de standaard)"
    )
    exporter.set_defaults(run=_export)
    add_user_commands(commands)
    add_code_commands(commands, DutchParser)
    add_letter_commands(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (DatabaseUnavailable, DefinitionError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
