"""SQLite's one write lock: reading takes none, and a login holds it only for two short writes,
never while a password is hashed. So logins (or an import) in other threads never make a
respondent wait."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db import passwords
from db.access import command_line
from db.audit import read_log
from db.contacts import set_contact
from db.drafts import new_resume_code, save_draft
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link, set_wave_open
from db.logins import LoginRefused, log_in
from db.own_account import PasswordChangeRefused, change_own_password
from db.respondent import Opened, open_questionnaire
from db.setup import init_database
from db.submit import submit_response
from db.users import add_user, set_password
from reports.export_files import write_csv
from surveys.definition import load_builtin
from surveys.limits import draft_limit
from views.export import export_file

pytestmark = pytest.mark.slow  # threads at once: `pytest -m "not slow"` leaves it out

GOOD = "vier losse woorden paard"
TILBURG = "pl@tilburg.example"
CLIENT_LIMIT = draft_limit(load_builtin("client"))
WAIT = 20  # seconds; only reached when something waits for a lock, which is the fault tested for


def file_of(url: str) -> Path:
    return Path(make_url(url).database)


def can_take_write_lock(url: str) -> bool:
    """Whether another connection gets SQLite's write lock right now, without waiting."""
    other = sqlite3.connect(file_of(url), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@contextmanager
def write_lock_held(url: str) -> Iterator[None]:
    """Another connection holds the write lock meanwhile, as a long import would."""
    other = sqlite3.connect(file_of(url), timeout=WAIT, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE koplopers SET name = name")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def in_time(work: Callable[[], object]) -> object:
    """The result of ``work`` run in a thread, or a failure when it had to wait for a lock."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(work)
        done = future.result(timeout=WAIT)  # raises TimeoutError when it waited
    return done


def attempt(factory, email: str, password: str) -> str:
    """How a login went, as the login page does it (committing a refusal too)."""
    with factory.begin() as session:
        try:
            log_in(session, email, password)
        except LoginRefused as refused:
            return refused.reason
    return "ok"


@pytest.fixture
def factory(sqlite_url):
    init_database(sqlite_url)
    factory = get_sessionmaker(sqlite_url)
    with factory.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", None)
        add_user(session, command_line(), TILBURG, "gemeente", ["tilburg"], password=GOOD)
    return factory


@pytest.fixture
def draft(factory) -> str:
    """A respondent's resume code, with answers saved."""
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    code = new_resume_code()
    with factory.begin() as session:
        save_draft(
            session,
            code,
            **fieldwork.ids,
            language="nl",
            answers={"aware_oco": 1},
            position=1,
            started_at=None,
            limit=CLIENT_LIMIT,
        )
    return code


def test_a_reading_session_takes_no_write_lock_and_a_writing_one_takes_it_at_once(
    factory, sqlite_url
):
    with factory() as session:
        session.execute(text("SELECT count(*) FROM koplopers")).scalar()
        assert can_take_write_lock(sqlite_url)
    with factory.begin() as session:
        session.execute(text("SELECT count(*) FROM koplopers")).scalar()
        assert not can_take_write_lock(sqlite_url)  # safe to write after reading
    with factory() as session, session.begin():
        session.execute(text("SELECT count(*) FROM koplopers")).scalar()
        assert not can_take_write_lock(sqlite_url)


def test_a_respondent_opens_the_link_and_resumes_a_draft_while_another_writer_holds_the_lock(
    factory, sqlite_url, draft
):
    def open_both() -> tuple[object, object]:
        with factory() as session:
            return (
                open_questionnaire(session, "client", "almere", "T2"),
                open_questionnaire(session, "client", "almere", "T2", resume=draft),
            )

    with write_lock_held(sqlite_url):
        new, resumed = in_time(open_both)
    assert isinstance(new, Opened) and isinstance(resumed, Opened)
    assert resumed.answers == {"aware_oco": 1} and resumed.position == 1


@pytest.mark.parametrize(
    ("email", "password", "outcome"),
    [
        (TILBURG, "fout wachtwoord", "wrong"),
        ("onbekend@nergens.nl", "fout wachtwoord", "wrong"),
        (TILBURG, GOOD, "ok"),
    ],
    ids=["wrong password", "unknown address", "right password"],
)
def test_no_write_lock_is_held_while_a_password_is_checked(
    factory, sqlite_url, monkeypatch, email, password, outcome
):
    free_during_check = []

    def observed(stored: str | None, typed: str) -> bool:
        free_during_check.append(can_take_write_lock(sqlite_url))
        return passwords.verify(stored, typed)

    monkeypatch.setattr("db.logins.verify", observed)
    assert attempt(factory, email, password) == outcome
    assert free_during_check == [True]


def test_ten_logins_checking_passwords_do_not_hold_up_a_respondent(
    factory, sqlite_url, draft, monkeypatch
):
    """Ten failed logins in parallel (ten addresses, so no lock stops them) are all inside the
    slow password check; meanwhile a respondent opens, resumes and saves without waiting."""
    gate, entered = threading.Event(), threading.Semaphore(0)

    def held(stored: str | None, typed: str) -> bool:
        entered.release()
        gate.wait(WAIT)
        return passwords.verify(stored, typed)

    def fail(number: int) -> str:
        return attempt(factory, f"iemand{number}@tilburg.example", "fout wachtwoord")

    monkeypatch.setattr("db.logins.verify", held)
    pool = ThreadPoolExecutor(max_workers=10)
    try:
        logins = [pool.submit(fail, number) for number in range(10)]
        for _ in range(10):
            assert entered.acquire(timeout=WAIT), "a login waited for another one's check"

        def respondent() -> Opened:
            with factory() as session:
                opened = open_questionnaire(session, "client", "almere", "T2", resume=draft)
            with factory.begin() as session:
                save_draft(
                    session,
                    draft,
                    **opened.fieldwork.ids,
                    language="nl",
                    answers={**opened.answers, "used_oco": 0},
                    position=2,
                    started_at=None,
                    limit=CLIENT_LIMIT,
                )
            return opened

        assert isinstance(in_time(respondent), Opened)
    finally:
        gate.set()
        pool.shutdown(wait=True)
    assert [login.result() for login in logins] == ["wrong"] * 10


def test_an_export_holds_no_write_lock_while_its_file_is_made(
    factory, sqlite_url, tmp_path, monkeypatch
):
    """An export can take a minute; respondents sending meanwhile must not wait for it."""
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    with factory.begin() as session:
        submit_response(
            session,
            load_builtin("client"),
            **fieldwork.ids,
            answers={"aware_oco": 1, "used_oco": 0},
            language="nl",
            idempotency_key="export-lock",
        )
    free_while_writing = []

    def observed(export, out) -> None:
        free_while_writing.append(can_take_write_lock(sqlite_url))
        write_csv(export, out)

    monkeypatch.setattr("reports.export_files.write_csv", observed)
    with factory.begin() as session:
        written = export_file(session, command_line(), "csv", tmp_path / "export.csv")
    assert free_while_writing == [True] and written.responses == 1
    with factory() as session:
        assert read_log(session, command_line(), actions=["export"]).shape[0] == 1


@pytest.mark.parametrize("change", ["new account", "new password"])
def test_a_password_set_by_the_beheerder_is_hashed_before_any_lock_is_taken(
    factory, sqlite_url, monkeypatch, change
):
    free_while_hashing = []

    def observed(password: str) -> str:
        free_while_hashing.append(can_take_write_lock(sqlite_url))
        return passwords.hash_password(password)

    monkeypatch.setattr("db.users.hash_password", observed)
    with factory.begin() as session:
        if change == "new account":
            add_user(
                session, command_line(), "pl@breda.example", "gemeente", ["breda"], password=GOOD
            )
        else:
            set_password(session, command_line(), TILBURG, "zeilboot onder de brug 77")
    assert free_while_hashing == [True]
    if change == "new account":
        assert attempt(factory, "pl@breda.example", GOOD) == "ok"
    else:
        assert attempt(factory, TILBURG, "zeilboot onder de brug 77") == "ok"


@pytest.mark.parametrize("current", [GOOD, "fout wachtwoord"], ids=["right", "wrong"])
def test_an_own_password_change_hashes_and_checks_before_any_lock_is_taken(
    factory, sqlite_url, monkeypatch, current
):
    free_while_hashing = []

    def hashed(password: str) -> str:
        free_while_hashing.append(can_take_write_lock(sqlite_url))
        return passwords.hash_password(password)

    def checked(stored: str | None, typed: str) -> bool:
        free_while_hashing.append(can_take_write_lock(sqlite_url))
        return passwords.verify(stored, typed)

    monkeypatch.setattr("db.own_account.hash_password", hashed)
    monkeypatch.setattr("db.own_account.verify", checked)
    with factory.begin() as session:
        login = log_in(session, TILBURG, GOOD)
    refused = None
    with factory.begin() as session:
        try:
            change_own_password(session, login.viewer, current, "zeilboot onder de brug 77")
        except PasswordChangeRefused as problem:
            refused = str(problem)
    assert free_while_hashing == [True, True]  # the new password's hash, the current one's check
    assert (refused is None) == (current == GOOD)
    assert attempt(factory, TILBURG, "zeilboot onder de brug 77") == (
        "ok" if current == GOOD else "wrong"
    )
