"""The login lock holds against attempts sent at the same moment, on SQLite and PostgreSQL: at
most five passwords are ever checked per address in 15 minutes, and the Logboek never counts
past five."""

from __future__ import annotations

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import pytest
from sqlalchemy import select

from db import passwords
from db.access import command_line
from db.engine import get_sessionmaker
from db.logins import MAX_FAILURES, STALE, LoginRefused, _reserve, log_in
from db.models import AuditEvent
from db.setup import init_database
from db.users import add_user
from surveys.clock import utcnow

pytestmark = pytest.mark.slow  # threads at once: `pytest -m "not slow"` leaves it out

GOOD = "vier losse woorden paard"
TILBURG = "pl@tilburg.example"
WAIT = 60  # seconds; only reached when a check is held up, which is the fault tested for


class Checks:
    """``db.logins.verify``, counted; held at a gate while ``gate`` is not set."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.calls = 0
        self.entered = threading.Semaphore(0)
        self.gate = gate
        self._lock = threading.Lock()

    def __call__(self, stored: str | None, password: str) -> bool:
        with self._lock:
            self.calls += 1
        self.entered.release()
        if self.gate is not None:
            self.gate.wait(WAIT)
        return passwords.verify(stored, password)


@pytest.fixture
def db(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        add_user(session, command_line(), TILBURG, "gemeente", ["tilburg"], password=GOOD)
    return factory


def attempt(db, password: str, email: str = TILBURG) -> str:
    """How a login went, as the login page does it (committing a refusal too): ok, wrong or
    locked."""
    with db.begin() as session:
        try:
            log_in(session, email, password)
        except LoginRefused as refused:
            return refused.reason
    return "ok"


def logged(db) -> list[tuple[str, str]]:
    with db() as session:
        rows = session.execute(select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id))
        return [(action, detail) for action, detail in rows]


def assert_never_past_five(db) -> None:
    counted = [
        int(found.group(1))
        for action, detail in logged(db)
        if action == "login_failed" and (found := re.search(r"poging (\d+) van", detail))
    ]
    assert counted and max(counted) <= MAX_FAILURES, counted


def test_twenty_attempts_sent_at_once_check_no_more_than_five_passwords(db, monkeypatch):
    checks = Checks()
    monkeypatch.setattr("db.logins.verify", checks)
    start = threading.Barrier(20)

    def send(number: int) -> str:
        start.wait(WAIT)
        return attempt(db, f"fout wachtwoord nummer {number}")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, range(20)))

    assert checks.calls == MAX_FAILURES
    assert results.count("wrong") == MAX_FAILURES - 1
    assert results.count("locked") == 20 - MAX_FAILURES + 1
    assert sum(action == "login_failed" for action, _ in logged(db)) == MAX_FAILURES
    assert_never_past_five(db)
    assert attempt(db, GOOD) == "locked"


def test_the_right_password_sent_while_five_wrong_ones_are_checked_does_not_log_in(db, monkeypatch):
    gate = threading.Event()
    checks = Checks(gate)
    monkeypatch.setattr("db.logins.verify", checks)
    pool = ThreadPoolExecutor(max_workers=19)
    try:
        wrong = [pool.submit(attempt, db, f"fout wachtwoord {n}") for n in range(19)]
        for _ in range(MAX_FAILURES):  # five checks are under way, held at the gate
            assert checks.entered.acquire(timeout=WAIT), "the checks did not start side by side"
        # the other fourteen are refused without a check, while the five are still running
        finished, _ = wait(wrong, timeout=WAIT, return_when="ALL_COMPLETED")
        assert len(finished) == 19 - MAX_FAILURES
        assert {future.result() for future in finished} == {"locked"}

        assert attempt(db, GOOD) == "locked"  # the right one, last in the burst
        assert checks.calls == MAX_FAILURES
    finally:
        gate.set()
        pool.shutdown(wait=True)
    assert sorted(future.result() for future in wrong).count("wrong") == MAX_FAILURES - 1
    assert attempt(db, GOOD) == "locked"  # the fifth failure locked the address
    assert checks.calls == MAX_FAILURES
    assert "login_ok" not in {action for action, _ in logged(db)}
    assert_never_past_five(db)


def test_a_check_whose_process_stopped_frees_its_place_after_a_while(db):
    """A place reserved by a process that died during the check does not lock anyone out for
    long: after a few minutes it no longer counts."""
    start = utcnow()
    with db.begin() as session:  # what reservations leave behind when their process stops
        for _ in range(MAX_FAILURES):
            _reserve(session, TILBURG, start)
    with db.begin() as session, pytest.raises(LoginRefused) as refused:
        log_in(session, TILBURG, GOOD, now=start + dt.timedelta(seconds=5))
    assert refused.value.reason == "locked"
    with db.begin() as session:
        log_in(session, TILBURG, GOOD, now=start + STALE + dt.timedelta(seconds=1))


def test_places_left_behind_free_up_even_while_new_attempts_keep_coming(db):
    """The time that counts is when the oldest check still running began, so attempts made
    meanwhile do not keep places of a stopped process alive."""
    start = utcnow()
    with db.begin() as session:
        for _ in range(MAX_FAILURES - 1):
            _reserve(session, TILBURG, start)
    with db.begin() as session:  # a newer place, also left behind
        _reserve(session, TILBURG, start + dt.timedelta(minutes=1))
    with db.begin() as session:
        log_in(session, TILBURG, GOOD, now=start + STALE + dt.timedelta(seconds=1))


def test_a_check_that_fails_for_another_reason_gives_its_place_back(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away while the outcome was written")

    monkeypatch.setattr("db.logins._settle", broken)
    for _ in range(MAX_FAILURES + 1):
        with db.begin() as session, pytest.raises(RuntimeError):
            log_in(session, TILBURG, "fout wachtwoord")
    monkeypatch.undo()
    assert attempt(db, GOOD) == "ok"  # no place is still taken by the checks that failed
