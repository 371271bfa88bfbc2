"""``python -m db user …``: accounts from the command line, as the Gebruikers page manages them.

``user add EMAIL --role ROL [--koploper SLUG …] [--free-text]`` asks the password twice (hidden);
``--password-stdin`` reads it from one line of standard input instead (for scripts), and ``--sso``
makes an invitation: an account without a password that can log in only by single sign-on, with
the identity that brings this e-mail address. ``user list``, ``user disable EMAIL``, ``user enable
EMAIL``, ``user set-password EMAIL [--password-stdin]`` and ``user remove EMAIL [--yes]`` do the
rest. The one who acts is :func:`db.access.command_line` (whoever may run commands on the server).

Every refusal is a Dutch message on standard error and exit code 2; nothing is written unless the
whole change is (one transaction each). Passwords are never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable

from db.access import ROLE_NAMES, AccessDenied, command_line
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.passwords import PasswordRejected, check_strength
from db.setup import init_database
from db.users import (
    Account,
    ChangedMeanwhile,
    UnknownUser,
    UserError,
    add_user,
    check_new_user,
    get_user,
    list_users,
    remove_user,
    set_disabled,
    set_password,
)

REFUSALS = (
    UserError,
    UnknownUser,
    ChangedMeanwhile,
    PasswordRejected,
    UnknownKoploper,
    AccessDenied,
)
ROLES = ", ".join(ROLE_NAMES)


ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), "dit ontbreekt nog: {}"),
    (re.compile(r"unrecognized arguments: (.*)"), "onbekende opties: {}"),
    (
        re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
        "{} {} bestaat niet; kies uit {}",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "na {} hoort een waarde"),
    (re.compile(r"argument (\S+): (.*)"), "{}: {}"),  # a check of our own, already Dutch
)


class DutchParser(argparse.ArgumentParser):
    """Dutch headings, help and messages for wrong use (argparse itself speaks English)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "gegevens"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str):  # type: ignore[override]
        for pattern, dutch in ARGPARSE_MESSAGES:
            found = pattern.fullmatch(message)
            if found:
                message = dutch.format(*found.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"Fout: {message}\n")


class DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix="gebruik: " if prefix is None else prefix)


class Stop(Exception):
    """A refusal found by the command itself (a prompt), with its Dutch message."""


def _fail(message: str) -> int:
    print(f"Fout: {message}", file=sys.stderr)
    return 2


def _refusals(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn every expected refusal into a Dutch line on stderr and exit code 2."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (*REFUSALS, Stop) as problem:
            return _fail(str(problem))
        except (KeyboardInterrupt, EOFError):
            print(file=sys.stderr)
            return _fail("afgebroken; er is niets gewijzigd.")

    return guarded


def _read_password(args: argparse.Namespace, email: str) -> str:
    """From one line of stdin (``--password-stdin``), or asked twice without showing it."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise Stop("geen wachtwoord gelezen: geef het wachtwoord als één regel op stdin.")
        check_strength(password, email)
        return password
    password = getpass.getpass("Wachtwoord: ")
    if not password:
        raise Stop("geen wachtwoord ingevuld; er is niets gewijzigd.")
    check_strength(password, email)  # say so now, not after the repeat
    if getpass.getpass("Herhaal het wachtwoord: ") != password:
        raise Stop("de twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return password


def _add(args: argparse.Namespace) -> int:
    if args.sso and args.password_stdin:
        raise Stop("kies --sso (alleen single sign-on) of --password-stdin, niet allebei.")
    init_database()
    maker = get_sessionmaker()
    actor = command_line()
    with maker() as session:  # first everything but the password, so nobody types it for nothing
        email, _found = check_new_user(
            session, actor, args.email, args.role, args.koploper, free_text=args.free_text
        )
    password = None if args.sso else _read_password(args, email)
    with maker.begin() as session:
        account = add_user(
            session,
            actor,
            email,
            args.role,
            args.koploper,
            free_text=args.free_text,
            password=password,
        )
    print(f"Gebruiker {account.email} aangemaakt: rol {account.role}.")
    if account.koplopers:
        print("Koploper(s): " + ", ".join(account.koplopers))
    if password is None:
        print(
            "Dit account heeft geen wachtwoord: het logt in met single sign-on (uitnodiging), "
            "met een account van de organisatie dat dit e-mailadres heeft."
        )
    return 0


def _table(accounts: list[Account]) -> list[str]:
    headers = ("e-mail", "rol", "koplopers", "open antwoorden", "status", "demo", "inlog")
    rows = [
        (
            account.email,
            account.role,
            ", ".join(account.koplopers) or "alle",
            "ja" if account.free_text or account.role in ("beheerder", "onderzoeker") else "nee",
            "uitgeschakeld" if account.disabled else "actief",
            "ja" if account.is_demo else "nee",
            account.login_kind,
        )
        for account in accounts
    ]
    widths = [max(len(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))]
    return [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (headers, *rows)
    ]


def _list(_args: argparse.Namespace) -> int:
    init_database()
    with get_sessionmaker()() as session:
        accounts = list_users(session, command_line())
    if not accounts:
        print("Er zijn nog geen gebruikers. Maak er een met: python -m db user add …")
        return 0
    for line in _table(accounts):
        print(line)
    return 0


def _set_disabled(args: argparse.Namespace) -> int:
    init_database()
    with get_sessionmaker().begin() as session:
        account = set_disabled(session, command_line(), args.email, args.disable)
    if args.disable:
        print(f"Gebruiker {account.email} is uitgeschakeld en overal uitgelogd.")
    else:
        print(f"Gebruiker {account.email} is weer ingeschakeld.")
    return 0


def _set_password(args: argparse.Namespace) -> int:
    init_database()
    maker = get_sessionmaker()
    with maker() as session:
        account = get_user(session, command_line(), args.email)
    password = _read_password(args, account.email)
    with maker.begin() as session:
        # The version read before the prompt: a change made meanwhile is not overwritten.
        set_password(
            session, command_line(), account.email, password, expected_version=account.version
        )
    print(f"Nieuw wachtwoord ingesteld voor {account.email}; het account is overal uitgelogd.")
    return 0


def _remove(args: argparse.Namespace) -> int:
    init_database()
    maker = get_sessionmaker()
    with maker() as session:
        account = get_user(session, command_line(), args.email)
    if not args.yes:
        answer = input(f"Typ ja om {account.email} te verwijderen: ")
        if answer.strip().lower() != "ja":
            raise Stop("niet bevestigd; er is niets verwijderd.")
    with maker.begin() as session:
        remove_user(session, command_line(), account.email, expected_version=account.version)
    print(f"Gebruiker {account.email} verwijderd. Het logboek houdt de regels over dit account.")
    return 0


def add_user_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``user`` and its subcommands to the subparsers of ``python -m db``."""
    user = commands.add_parser(
        "user",
        help="gebruikers: toevoegen, tonen, uitschakelen, wachtwoord, verwijderen",
        description="Accounts van de Koplopermonitor beheren (zoals op de pagina Gebruikers).",
    )
    user_commands = user.add_subparsers(
        dest="user_command", required=True, metavar="opdracht", parser_class=DutchParser
    )

    adder = user_commands.add_parser(
        "add",
        help="maak een gebruiker",
        description=(
            f"Maak een gebruiker. Rollen: {ROLES}. De rollen gemeente en adviesraad horen bij "
            "minstens één koploper. Zonder --password-stdin of --sso vraagt de opdracht het "
            "wachtwoord twee keer (minstens 12 tekens, niet veelgebruikt)."
        ),
    )
    adder.add_argument("email", metavar="E-MAILADRES", help="e-mailadres van de gebruiker")
    adder.add_argument("--role", required=True, metavar="ROL", help=f"een van: {ROLES}")
    adder.add_argument(
        "--koploper",
        action="append",
        default=[],
        metavar="SLUG",
        help="koploper van dit account, bijv. tilburg; herhaal voor meer koplopers",
    )
    adder.add_argument(
        "--free-text",
        action="store_true",
        help="mag open antwoorden lezen (alleen voor de rol gemeente)",
    )
    adder.add_argument(
        "--password-stdin",
        action="store_true",
        help="lees het wachtwoord als één regel van standaardinvoer",
    )
    adder.add_argument(
        "--sso",
        action="store_true",
        help="geen wachtwoord: alleen inloggen met single sign-on (uitnodiging)",
    )
    adder.set_defaults(run=_refusals(_add))

    user_commands.add_parser(
        "list", help="toon alle gebruikers", description="Toon alle gebruikers in een tabel."
    ).set_defaults(run=_refusals(_list))

    for name, disable, text in (
        ("disable", True, "schakel een gebruiker uit (en log die overal uit)"),
        ("enable", False, "schakel een uitgeschakelde gebruiker weer in"),
    ):
        switch = user_commands.add_parser(name, help=text, description=text.capitalize() + ".")
        switch.add_argument("email", metavar="E-MAILADRES")
        switch.set_defaults(run=_refusals(_set_disabled), disable=disable)

    setter = user_commands.add_parser(
        "set-password",
        help="stel een nieuw wachtwoord in",
        description=(
            "Stel een nieuw wachtwoord in; het account wordt overal uitgelogd en een blokkade "
            "vervalt. Zonder --password-stdin vraagt de opdracht het wachtwoord twee keer."
        ),
    )
    setter.add_argument("email", metavar="E-MAILADRES")
    setter.add_argument(
        "--password-stdin",
        action="store_true",
        help="lees het wachtwoord als één regel van standaardinvoer",
    )
    setter.set_defaults(run=_refusals(_set_password))

    remover = user_commands.add_parser(
        "remove",
        help="verwijder een gebruiker",
        description="Verwijder een gebruiker. Het logboek houdt de regels over dit account.",
    )
    remover.add_argument("email", metavar="E-MAILADRES")
    remover.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    remover.set_defaults(run=_refusals(_remove))
