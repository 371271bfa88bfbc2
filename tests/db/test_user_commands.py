"""``python -m db user …`` on SQLite and PostgreSQL: accounts by command, every refusal in Dutch."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from db.__main__ import main
from db.access import command_line
from db.audit import read_log
from db.engine import get_sessionmaker
from db.logins import LoginRefused, log_in
from db.models import User
from db.users import Account, list_users

GOOD = "vier losse woorden paard"
OTHER = "zeilboot onder de brug 77"


@pytest.fixture
def cli(database_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def prompts(monkeypatch, *answers: str) -> list[str]:
    """Answer getpass in turn; returns the prompts it was asked."""
    asked: list[str] = []
    given = iter(answers)

    def fake(prompt: str = "") -> str:
        asked.append(prompt)
        return next(given)

    monkeypatch.setattr("getpass.getpass", fake)
    return asked


def users(url: str) -> dict[str, Account]:
    with get_sessionmaker(url)() as session:
        return {account.email: account for account in list_users(session, command_line())}


def refused(capsys, argv: list[str]) -> str:
    """Run a command that must be refused: exit 2, a Dutch line on stderr, no traceback."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.lstrip("\n").startswith("Fout: ")
    assert "Traceback" not in captured.err
    return captured.err


def add_tilburg(monkeypatch, capsys) -> None:
    stdin(monkeypatch, GOOD + "\n")
    argv = ["user", "add", "PL@Tilburg.example", "--role", "gemeente", "--koploper", "tilburg"]
    assert main([*argv, "--password-stdin"]) == 0
    capsys.readouterr()


def test_add_with_password_on_stdin_makes_an_account_that_logs_in(cli, monkeypatch, capsys):
    stdin(monkeypatch, GOOD + "\r\n")
    argv = ["user", "add", "PL@Tilburg.example", "--role", "gemeente", "--koploper", "tilburg"]
    assert main([*argv, "--koploper", "breda", "--free-text", "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert "pl@tilburg.example aangemaakt" in out and GOOD not in out
    account = users(cli)["pl@tilburg.example"]
    assert account.role == "gemeente" and set(account.koplopers) == {"tilburg", "breda"}
    assert account.free_text and account.has_password and not account.is_demo
    with get_sessionmaker(cli).begin() as session:
        assert log_in(session, "pl@tilburg.example", GOOD).viewer.koploper_slugs == {
            "tilburg",
            "breda",
        }
    with get_sessionmaker(cli)() as session:
        log = read_log(session, command_line(), actions=["user_created"])
    assert log["actor"].tolist() == ["opdrachtregel"]
    assert GOOD not in " ".join(log["detail"])


def test_without_stdin_the_password_is_asked_twice(cli, monkeypatch, capsys):
    asked = prompts(monkeypatch, OTHER, OTHER)
    assert main(["user", "add", "onderzoek@movisie.example", "--role", "onderzoeker"]) == 0
    assert asked == ["Wachtwoord: ", "Herhaal het wachtwoord: "]
    assert OTHER not in capsys.readouterr().out
    with get_sessionmaker(cli).begin() as session:
        assert log_in(session, "onderzoek@movisie.example", OTHER).viewer.role == "onderzoeker"


def test_two_different_passwords_are_refused_and_nothing_is_written(cli, monkeypatch, capsys):
    prompts(monkeypatch, OTHER, GOOD)
    err = refused(capsys, ["user", "add", "onderzoek@movisie.example", "--role", "onderzoeker"])
    assert "niet gelijk" in err
    assert users(cli) == {}


def test_a_weak_password_is_refused_before_the_repeat(cli, monkeypatch, capsys):
    asked = prompts(monkeypatch, "welkom123456", "welkom123456")
    err = refused(capsys, ["user", "add", "onderzoek@movisie.example", "--role", "onderzoeker"])
    assert "te makkelijk te raden" in err and len(asked) == 1
    stdin(monkeypatch, "kort\n")
    argv = ["user", "add", "o@movisie.example", "--role", "onderzoeker", "--password-stdin"]
    assert "te kort" in refused(capsys, argv)
    assert users(cli) == {}


def test_sso_makes_an_invitation_without_a_password(cli, capsys):
    assert main(["user", "add", "b@movisie.example", "--role", "beheerder", "--sso"]) == 0
    assert "single sign-on" in capsys.readouterr().out
    account = users(cli)["b@movisie.example"]
    assert not account.has_password
    argv = ["user", "add", "c@movisie.example", "--role", "beheerder", "--sso", "--password-stdin"]
    assert "niet allebei" in refused(capsys, argv)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "baas"], "Onbekende rol 'baas'. Kies uit: beheerder"),
        (["--role", "gemeente"], "hoort bij minstens één koploper"),
        (["--role", "adviesraad"], "hoort bij minstens één koploper"),
        (["--role", "gemeente", "--koploper", "tilbrug"], "Bedoelt u tilburg?"),
        (["--role", "onderzoeker", "--koploper", "tilburg"], "ziet alle koplopers"),
        (["--role", "adviesraad", "--koploper", "tilburg", "--free-text"], "open antwoorden"),
    ],
)
def test_bad_input_for_a_new_account_is_refused_before_any_password(
    cli, monkeypatch, capsys, argv, message
):
    asked = prompts(monkeypatch, GOOD, GOOD)
    err = refused(capsys, ["user", "add", "x@gemeente.example", *argv])
    assert message in err
    assert asked == []  # nobody typed a password for nothing
    assert users(cli) == {}


def test_a_bad_or_duplicate_email_address_is_refused(cli, monkeypatch, capsys):
    add_tilburg(monkeypatch, capsys)
    stdin(monkeypatch, OTHER + "\n")
    argv = ["--role", "gemeente", "--koploper", "breda", "--password-stdin"]
    err = refused(capsys, ["user", "add", " pl@TILBURG.example", *argv])
    assert "Er is al een gebruiker met e-mailadres pl@tilburg.example" in err
    assert "geen geldig e-mailadres" in refused(capsys, ["user", "add", "geen-adres", *argv])
    assert set(users(cli)["pl@tilburg.example"].koplopers) == {"tilburg"}


def test_wrong_use_of_the_command_itself_is_answered_in_dutch(cli, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["user", "add", "x@gemeente.example"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "gebruik: python -m db user add" in err and "Fout: dit ontbreekt nog: --role" in err


def test_list_shows_every_account_in_a_table(cli, monkeypatch, capsys):
    add_tilburg(monkeypatch, capsys)
    assert main(["user", "add", "b@movisie.example", "--role", "beheerder", "--sso"]) == 0
    assert main(["user", "disable", "b@movisie.example"]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "e-mail",
        "rol",
        "koplopers",
        "open",
        "antwoorden",
        "status",
        "demo",
        "inlog",
    ]
    admin = next(line for line in lines if line.startswith("b@movisie.example"))
    assert admin.split()[1:5] == ["beheerder", "alle", "ja", "uitgeschakeld"]
    assert admin.endswith("via de organisatie (uitnodiging)")
    municipal = next(line for line in lines if line.startswith("pl@tilburg.example"))
    assert municipal.split()[1:] == ["gemeente", "tilburg", "nee", "actief", "nee", "wachtwoord"]


def test_an_empty_list_says_how_to_add_one(cli, capsys):
    assert main(["user", "list"]) == 0
    assert "python -m db user add" in capsys.readouterr().out


def test_disable_refuses_the_login_and_enable_allows_it_again(cli, monkeypatch, capsys):
    add_tilburg(monkeypatch, capsys)
    assert main(["user", "disable", "pl@tilburg.example"]) == 0
    assert users(cli)["pl@tilburg.example"].disabled
    with get_sessionmaker(cli).begin() as session, pytest.raises(LoginRefused):
        log_in(session, "pl@tilburg.example", GOOD)
    assert main(["user", "enable", "PL@tilburg.example"]) == 0
    assert "weer ingeschakeld" in capsys.readouterr().out
    with get_sessionmaker(cli).begin() as session:
        log_in(session, "pl@tilburg.example", GOOD)


def test_set_password_replaces_the_old_one(cli, monkeypatch, capsys):
    add_tilburg(monkeypatch, capsys)
    stdin(monkeypatch, OTHER + "\n")
    assert main(["user", "set-password", "pl@tilburg.example", "--password-stdin"]) == 0
    assert OTHER not in capsys.readouterr().out
    with get_sessionmaker(cli).begin() as session:
        log_in(session, "pl@tilburg.example", OTHER)
    prompts(monkeypatch, GOOD, OTHER)
    assert "niet gelijk" in refused(capsys, ["user", "set-password", "pl@tilburg.example"])
    prompts(monkeypatch, "wachtwoord12", "wachtwoord12")
    err = refused(capsys, ["user", "set-password", "pl@tilburg.example"])
    assert "te makkelijk te raden" in err
    with get_sessionmaker(cli).begin() as session:
        log_in(session, "pl@tilburg.example", OTHER)  # still the one set above


def test_remove_asks_for_confirmation_unless_yes(cli, monkeypatch, capsys):
    add_tilburg(monkeypatch, capsys)
    monkeypatch.setattr("builtins.input", lambda _prompt="": "nee")
    assert "niet bevestigd" in refused(capsys, ["user", "remove", "pl@tilburg.example"])
    assert "pl@tilburg.example" in users(cli)
    monkeypatch.setattr("builtins.input", lambda _prompt="": "ja")
    assert main(["user", "remove", "pl@tilburg.example"]) == 0
    assert users(cli) == {}
    add_tilburg(monkeypatch, capsys)
    assert main(["user", "remove", "pl@tilburg.example", "--yes"]) == 0
    with get_sessionmaker(cli)() as session:
        assert session.scalar(select(User.id)) is None
        log = read_log(session, command_line(), actions=["user_removed"])
    assert len(log) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["user", "disable", "niemand@gemeente.example"],
        ["user", "enable", "niemand@gemeente.example"],
        ["user", "set-password", "niemand@gemeente.example", "--password-stdin"],
        ["user", "remove", "niemand@gemeente.example", "--yes"],
    ],
)
def test_an_unknown_email_address_is_named(cli, monkeypatch, capsys, argv):
    stdin(monkeypatch, GOOD + "\n")
    err = refused(capsys, argv)
    assert "Er is geen gebruiker met e-mailadres niemand@gemeente.example" in err


def test_an_interrupted_prompt_writes_nothing(cli, monkeypatch, capsys):
    def interrupted(_prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupted)
    err = refused(capsys, ["user", "add", "o@movisie.example", "--role", "onderzoeker"])
    assert "afgebroken" in err
    assert users(cli) == {}
