"""Changing one's own password (db.own_account): the current one first, the strength rules, an
audit line, and no guessing without limit, also with many attempts at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from db.access import command_line
from db.engine import get_sessionmaker
from db.logins import log_in, resume
from db.models import AuditEvent
from db.own_account import MAX_FAILURES, PasswordChangeRefused, change_own_password
from db.passwords import PasswordRejected
from db.setup import init_database
from db.users import add_user

EMAIL = "pl@tilburg.example"
OLD = "vier losse woorden paard"
NEW = "lantaarn kiwi biljart negen"


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        add_user(session, command_line(), EMAIL, "gemeente", ["tilburg"], password=OLD)
    return database_url


def login(url: str, password: str = OLD):
    with get_sessionmaker(url).begin() as session:
        return log_in(session, EMAIL, password)


def change(url: str, viewer, current: str, new: str, token: str | None = None) -> str | None:
    """The refusal's message, or None when the password changed; committed either way."""
    refused = None
    with get_sessionmaker(url).begin() as session:
        try:
            change_own_password(session, viewer, current, new, token=token)
        except (PasswordChangeRefused, PasswordRejected) as problem:
            refused = str(problem)
    return refused


def lines(url: str) -> list[tuple[str, str, str]]:
    with get_sessionmaker(url)() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("password_%")).order_by(AuditEvent.id)
        )
        return [(e.action, e.outcome, e.detail) for e in events]


def test_the_right_current_password_changes_it_ends_other_logins_and_keeps_this_one(url):
    here, elsewhere = login(url), login(url)
    assert change(url, here.viewer, OLD, NEW, token=here.token) is None
    login(url, NEW)  # the new password works
    with get_sessionmaker(url)() as session:
        assert resume(session, here.token) is not None
        assert resume(session, elsewhere.token) is None
    assert lines(url) == [("password_changed", "ok", "eigen wachtwoord gewijzigd")]
    assert not any(OLD in d or NEW in d for _, _, d in lines(url))


def test_a_wrong_current_password_changes_nothing_and_is_written(url):
    here = login(url)
    assert "huidige wachtwoord klopt niet" in change(url, here.viewer, "fout fout fout", NEW)
    login(url, OLD)  # still the old one
    assert lines(url) == [
        ("password_change_failed", "failed", "huidig wachtwoord klopt niet (poging 1 van 5)")
    ]


@pytest.mark.parametrize(
    ("new", "message"),
    [("kort", "te kort"), ("welkom123456", "te makkelijk"), (OLD, "hetzelfde als het huidige")],
)
def test_a_new_password_breaking_the_rules_is_refused(url, new, message):
    here = login(url)
    assert message in change(url, here.viewer, OLD, new)
    login(url, OLD)
    assert [action for action, _, _ in lines(url)] == []


def test_after_five_wrong_current_passwords_even_the_right_one_is_refused(url):
    here = login(url)
    for _ in range(MAX_FAILURES):
        change(url, here.viewer, "fout fout fout", NEW)
    assert "15 minuten niet" in change(url, here.viewer, OLD, NEW)
    login(url, OLD)
    assert lines(url)[-1][:2] == ("password_change_failed", "refused")


@pytest.mark.slow  # threads at once
def test_twenty_attempts_at_once_count_at_most_five_wrong_passwords(url):
    here = login(url)
    # 19 wrong ones and the right one last, all at the same moment.
    guesses = [f"fout nummer {n} abc" for n in range(19)] + [OLD]
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda g: change(url, here.viewer, g, NEW), guesses))
    outcomes = [outcome for _, outcome, _ in lines(url)]
    assert outcomes.count("failed") == MAX_FAILURES  # five counted, no more
    assert outcomes.count("refused") >= len(guesses) - MAX_FAILURES - 1
    assert sum(result is not None and "15 minuten niet" in result for result in results) >= 14
