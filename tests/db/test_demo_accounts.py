"""Demo accounts: one per role from seed-demo, printed once, listed in the README, removed again."""

from __future__ import annotations

from pathlib import Path

from db.__main__ import main
from db.access import command_line
from db.audit import read_log
from db.demo import DEMO_ACCOUNTS
from db.engine import get_sessionmaker
from db.logins import log_in
from db.passwords import check_strength
from db.users import demo_accounts_exist, list_users

README = Path(__file__).parents[2] / "README.md"


def seed(url: str) -> list[str]:
    argv = ["seed-demo", "--min", "1", "--max", "1"]
    return argv if url.startswith("sqlite") else [*argv, "--yes"]


def test_demo_passwords_pass_the_strength_check_and_are_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    assert {a.role for a in DEMO_ACCOUNTS} == {"beheerder", "onderzoeker", "gemeente", "adviesraad"}
    for account in DEMO_ACCOUNTS:
        check_strength(account.password, account.email)
        assert account.email in readme and account.password in readme


def test_seed_demo_makes_one_account_per_role_printed_once(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(seed(database_url)) == 0
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert f"{account.email}  wachtwoord: {account.password}" in out
    with get_sessionmaker(database_url)() as session:
        accounts = {a.email: a for a in list_users(session, command_line())}
        assert demo_accounts_exist(session)
    assert set(accounts) == {a.email for a in DEMO_ACCOUNTS}
    assert all(a.is_demo for a in accounts.values())
    tilburg = [a for a in accounts.values() if a.role in ("gemeente", "adviesraad")]
    assert [a.koplopers for a in tilburg] == [("tilburg",), ("tilburg",)]
    for account in DEMO_ACCOUNTS:
        with get_sessionmaker(database_url).begin() as session:
            assert log_in(session, account.email, account.password).viewer.role == account.role

    assert main(seed(database_url)) == 0  # again: nothing new, no passwords printed
    assert "wachtwoord" not in capsys.readouterr().out
    with get_sessionmaker(database_url)() as session:
        assert len(list_users(session, command_line())) == len(DEMO_ACCOUNTS)
        seeded = read_log(session, command_line(), actions=["demo_seeded"])
    assert len(seeded) >= 1 and "4 demo-accounts" in seeded["detail"].iloc[-1]


def test_remove_demo_removes_only_demo_accounts_and_says_so_in_the_log(
    database_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(seed(database_url)) == 0
    argv = ["user", "add", "echt@movisie.example", "--role", "onderzoeker", "--sso"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["remove-demo"]) == 0
    assert "4 demo-accounts verwijderd" in capsys.readouterr().out
    with get_sessionmaker(database_url)() as session:
        assert [a.email for a in list_users(session, command_line())] == ["echt@movisie.example"]
        assert not demo_accounts_exist(session)
        removed = read_log(session, command_line(), actions=["demo_removed"])
    assert len(removed) == 1 and "4 demo-accounts" in removed["detail"].iloc[0]
