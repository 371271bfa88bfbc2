"""Accounts, logins, locks, sessions and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from db.access import AccessDenied, Viewer, command_line
from db.audit import read_log, record
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.logins import (
    Identity,
    LoginRefused,
    SessionEnded,
    _new_throttle,
    current_viewer,
    log_in,
    log_out,
    resume,
    single_sign_on,
)
from db.models import AppendOnlyError, AuditEvent, LoginThrottle, User
from db.passwords import PasswordRejected
from db.setup import init_database
from db.users import (
    ChangedMeanwhile,
    UserError,
    add_user,
    change_user,
    list_users,
    remove_user,
    set_disabled,
    set_password,
)
from surveys.clock import utcnow

ADMIN = command_line()
GOOD = "vier losse woorden paard"
OTHER_GOOD = "zeilboot onder de brug 77"


@pytest.fixture
def db(database_url):
    init_database(database_url)
    return get_sessionmaker(database_url)


@pytest.fixture
def tilburg(db):
    with db.begin() as session:
        add_user(session, ADMIN, "PL@Tilburg.example ", "gemeente", ["tilburg"], password=GOOD)
    return "pl@tilburg.example"


def actions(db) -> list[tuple[str, str, str]]:
    with db() as session:
        return [
            (row.actor, row.action, row.outcome)
            for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_an_account_is_stored_with_a_lower_case_email_an_argon2id_hash_and_its_koploper(
    db, tilburg
):
    with db() as session:
        user = session.scalar(select(User))
        assert user.email == "pl@tilburg.example"
        assert user.password_hash.startswith("$argon2id$") and GOOD not in user.password_hash
        [account] = list_users(session, ADMIN)
    assert account.koplopers == ("tilburg",) and account.role == "gemeente"
    assert ("opdrachtregel", "user_created", "ok") in actions(db)


@pytest.mark.parametrize(
    ("role", "koplopers", "free_text", "message"),
    [
        ("gemeente", [], False, "minstens één koploper"),
        ("adviesraad", [], False, "minstens één koploper"),
        ("onderzoeker", ["breda"], False, "ziet alle koplopers"),
        ("adviesraad", ["breda"], True, "alleen voor de rol gemeente"),
        ("directeur", [], False, "Onbekende rol"),
    ],
)
def test_a_role_and_its_koplopers_must_fit(db, role, koplopers, free_text, message):
    with db.begin() as session, pytest.raises(UserError, match=message):
        add_user(session, ADMIN, "a@b.nl", role, koplopers, free_text=free_text)


def test_an_unknown_koploper_a_bad_email_and_a_duplicate_are_refused_and_nothing_is_written(db):
    with db.begin() as session, pytest.raises(UnknownKoploper, match="tilburg"):
        add_user(session, ADMIN, "a@b.nl", "gemeente", ["tilbrug"])
    with db.begin() as session, pytest.raises(UserError, match="geen geldig e-mailadres"):
        add_user(session, ADMIN, "niet-een-adres", "onderzoeker")
    with db.begin() as session:
        add_user(session, ADMIN, "a@b.nl", "onderzoeker")
    with db.begin() as session, pytest.raises(UserError, match="al een gebruiker"):
        add_user(session, ADMIN, "A@B.nl", "onderzoeker")
    with db() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    "password", ["kort12!", "wachtwoord123", "Koplopermonitor1", "aaaaaaaaaaaaaaa"]
)
def test_short_and_common_passwords_are_refused(db, password):
    with db.begin() as session, pytest.raises(PasswordRejected):
        add_user(session, ADMIN, "a@b.nl", "onderzoeker", password=password)


def test_only_a_beheerder_manages_accounts(db, tilburg):
    viewer = Viewer(email="x@y.nl", role="onderzoeker")
    with db.begin() as session:
        for attempt in (
            lambda: add_user(session, viewer, "a@b.nl", "onderzoeker"),
            lambda: list_users(session, viewer),
            lambda: set_disabled(session, viewer, tilburg),
            lambda: set_password(session, viewer, tilburg, OTHER_GOOD),
            lambda: remove_user(session, viewer, tilburg),
            lambda: read_log(session, viewer),
        ):
            with pytest.raises(AccessDenied):
                attempt()


def test_a_right_password_logs_in_and_a_wrong_one_or_unknown_address_gets_one_message(db, tilburg):
    with db.begin() as session:
        login = log_in(session, "PL@tilburg.example", GOOD)
    assert login.viewer.koploper_slugs == {"tilburg"} and login.viewer.role == "gemeente"
    messages = []
    for email in (tilburg, "nobody@tilburg.example"):
        with db.begin() as session, pytest.raises(LoginRefused) as refused:
            log_in(session, email, "fout wachtwoord hier")
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    log = actions(db)
    assert (tilburg, "login_ok", "ok") in log
    assert ("nobody@tilburg.example", "login_failed", "failed") in log


def test_five_failures_lock_the_address_for_15_minutes_even_for_the_right_password(db, tilburg):
    start = utcnow()
    for attempt in range(5):
        with db.begin() as session, pytest.raises(LoginRefused) as refused:
            log_in(
                session, tilburg, "fout wachtwoord hier", now=start + dt.timedelta(minutes=attempt)
            )
    assert refused.value.reason == "locked"
    with db.begin() as session, pytest.raises(LoginRefused) as refused:
        log_in(session, tilburg, GOOD, now=start + dt.timedelta(minutes=10))
    assert refused.value.reason == "locked" and "minuten" in str(refused.value)
    with db.begin() as session:  # 15 minutes after the fifth failure, the lock is gone
        log_in(session, tilburg, GOOD, now=start + dt.timedelta(minutes=4 + 15, seconds=1))
    log = [action for _actor, action, _outcome in actions(db)]
    assert log.count("login_failed") == 5 and log.count("login_locked") == 2


def test_failures_spread_over_more_than_15_minutes_do_not_lock(db, tilburg):
    start = utcnow()
    for attempt in range(8):
        with db.begin() as session, pytest.raises(LoginRefused) as refused:
            log_in(
                session, tilburg, "fout wachtwoord", now=start + dt.timedelta(minutes=4 * attempt)
            )
        assert refused.value.reason == "wrong"


def test_unknown_addresses_lock_too_so_a_lock_does_not_tell_which_exist(db):
    for _ in range(5):
        with db.begin() as session, pytest.raises(LoginRefused) as refused:
            log_in(session, "onbekend@nergens.nl", "fout wachtwoord")
    assert refused.value.reason == "locked"


def test_a_disabled_account_cannot_log_in_and_is_logged_out_at_its_next_action(db, tilburg):
    with db.begin() as session:
        login = log_in(session, tilburg, GOOD)
    with db() as session:
        assert resume(session, login.token) is not None
        current_viewer(session, login.viewer.user_id, login.started_at, login.token)
    with db.begin() as session:
        set_disabled(session, ADMIN, tilburg)
    with db() as session:
        assert resume(session, login.token) is None
        with pytest.raises(SessionEnded):
            current_viewer(session, login.viewer.user_id, login.started_at, login.token)
    with db.begin() as session, pytest.raises(LoginRefused) as refused:
        log_in(session, tilburg, GOOD)
    assert refused.value.reason == "disabled"


def test_a_login_lasts_at_most_8_hours_and_ends_at_log_out(db, tilburg):
    with db.begin() as session:
        login = log_in(session, tilburg, GOOD)
    with db() as session:
        later = login.started_at + dt.timedelta(hours=8, minutes=1)
        assert resume(session, login.token, now=later) is None
        with pytest.raises(SessionEnded, match="8 uur"):
            current_viewer(session, login.viewer.user_id, login.started_at, now=later)
    with db.begin() as session:
        log_out(session, login.viewer, login.token)
    with db() as session:
        assert resume(session, login.token) is None
    assert (tilburg, "logout", "ok") in actions(db)


def test_a_new_password_ends_the_logins_and_lifts_a_lock(db, tilburg):
    with db.begin() as session:
        login = log_in(session, tilburg, GOOD)
    for _ in range(5):
        with db.begin() as session, pytest.raises(LoginRefused):
            log_in(session, tilburg, "fout wachtwoord")
    with db.begin() as session:
        set_password(session, ADMIN, tilburg, OTHER_GOOD)
    with db() as session:
        assert resume(session, login.token) is None
    with db.begin() as session:
        log_in(session, tilburg, OTHER_GOOD)


def test_two_people_changing_the_same_user_the_second_is_told_and_nothing_is_overwritten(
    db, tilburg
):
    with db() as session:
        [seen] = list_users(session, ADMIN)
    with db.begin() as session:
        change_user(
            session,
            ADMIN,
            tilburg,
            role="gemeente",
            koplopers=["tilburg", "breda"],
            free_text=True,
            expected_version=seen.version,
        )
    with db.begin() as session, pytest.raises(ChangedMeanwhile, match="intussen gewijzigd"):
        change_user(
            session,
            ADMIN,
            tilburg,
            role="adviesraad",
            koplopers=["tilburg"],
            free_text=False,
            expected_version=seen.version,
        )
    with db() as session:
        [now] = list_users(session, ADMIN)
    assert now.role == "gemeente" and now.koplopers == ("breda", "tilburg") and now.free_text


def test_removing_a_user_keeps_its_lines_in_the_audit_log(db, tilburg):
    with db.begin() as session:
        log_in(session, tilburg, GOOD)
    with db.begin() as session:
        remove_user(session, ADMIN, tilburg)
    with db() as session:
        assert list_users(session, ADMIN) == []
        theirs = read_log(session, ADMIN, actor="tilburg")
        everything = read_log(session, ADMIN)
    assert set(theirs["action"]) == {"login_ok"}
    assert set(everything["action"]) == {"user_created", "login_ok", "user_removed"}


def test_single_sign_on_matches_an_invited_email_once_then_issuer_and_subject(db):
    with db.begin() as session:
        add_user(session, ADMIN, "pl@tilburg.example", "gemeente", ["tilburg"])
    signed_on = utcnow()
    identity = Identity("http://idp", "sub-1", "PL@tilburg.example", signed_on)
    with db.begin() as session:
        viewer, _token = single_sign_on(session, identity)
    assert viewer.koploper_slugs == {"tilburg"}
    for _ in range(3):  # every page run asks again; one sign-on is one login in the log
        with db.begin() as session:  # bound now: the e-mail claim no longer matters
            viewer, _token = single_sign_on(
                session, Identity("http://idp", "sub-1", None, signed_on)
            )
        assert viewer.role == "gemeente"
    for _ in range(2):
        with db.begin() as session, pytest.raises(AccessDenied, match="geen account"):
            single_sign_on(
                session, Identity("http://idp", "sub-2", "pl@tilburg.example", signed_on)
            )
    log = actions(db)
    assert log.count(("pl@tilburg.example", "login_ok", "ok")) == 1
    assert log.count(("pl@tilburg.example", "login_refused", "refused")) == 1


def test_a_sign_on_lasts_8_hours_and_ends_when_the_account_is_disabled(db):
    with db.begin() as session:
        add_user(session, ADMIN, "pl@tilburg.example", "gemeente", ["tilburg"])
    signed_on = utcnow() - dt.timedelta(hours=7)
    identity = Identity("http://idp", "sub-1", "pl@tilburg.example", signed_on)
    with db.begin() as session:
        single_sign_on(session, identity)
    with db.begin() as session, pytest.raises(SessionEnded, match="8 uur"):
        single_sign_on(session, identity, now=signed_on + dt.timedelta(hours=8, seconds=1))
    with db.begin() as session:
        set_disabled(session, ADMIN, "pl@tilburg.example")
    with db.begin() as session, pytest.raises(SessionEnded, match="uitgeschakeld"):
        single_sign_on(session, identity)


def test_the_audit_log_is_append_only_in_the_orm_and_in_the_database(db, tilburg):
    with db.begin() as session:
        record(session, ADMIN, "viewed", koploper="tilburg")
    with db() as session:
        event = session.scalars(select(AuditEvent)).first()
        event.detail = "anders"
        with pytest.raises(AppendOnlyError):
            session.flush()
    for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
        with db() as session, pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_no_password_ever_reaches_the_audit_log(db, tilburg):
    with db.begin() as session:
        log_in(session, tilburg, GOOD)
        set_password(session, ADMIN, tilburg, OTHER_GOOD)
    with db.begin() as session, pytest.raises(LoginRefused):
        log_in(session, tilburg, "mijn geheime poging")
    with db() as session:
        log = read_log(session, ADMIN)
    flat = " ".join(log.astype(str).to_numpy().ravel())
    assert GOOD not in flat and OTHER_GOOD not in flat and "geheime poging" not in flat


def test_a_failure_count_made_in_parallel_is_found_instead_of_failing_on_its_key(db):
    """Two processes fail at once for a new address: the second's insert finds the first's row."""
    with db.begin() as session, pytest.raises(LoginRefused):
        log_in(session, "samen@tilburg.example", "fout wachtwoord")
    with db.begin() as session:
        # What the second process does when its look-up ran before the first one's commit.
        found = _new_throttle(session, "samen@tilburg.example", utcnow())
        assert found.failures == 1
        found.failures += 1
    with db() as session:
        assert session.get(LoginThrottle, "samen@tilburg.example").failures == 2


def test_single_sign_on_never_takes_over_an_account_with_a_password_or_an_unverified_email(db):
    with db.begin() as session:
        add_user(session, ADMIN, "adviseur@movisie.example", "onderzoeker", password=GOOD)
        add_user(session, ADMIN, "pl@tilburg.example", "gemeente", ["tilburg"])  # invitation
    someone = Identity("http://idp", "sub-9", "ADVISEUR@movisie.example", utcnow())
    with db.begin() as session, pytest.raises(AccessDenied):
        single_sign_on(session, someone)
    unverified = Identity("http://idp", "sub-8", "pl@tilburg.example", utcnow(), False)
    with db.begin() as session, pytest.raises(AccessDenied):
        single_sign_on(session, unverified)
    with db() as session:
        assert all(user.oidc_subject is None for user in session.scalars(select(User)))
    with db.begin() as session:  # the invitation, with a verified address, binds, and says so
        single_sign_on(session, Identity("http://idp", "sub-7", "pl@tilburg.example", utcnow()))
    assert ("pl@tilburg.example", "user_changed", "ok") in actions(db)


def test_what_is_typed_as_e_mail_address_is_not_kept_when_it_is_not_one(db):
    with db.begin() as session, pytest.raises(LoginRefused) as refused:
        log_in(session, "mijn geheime wachtwoordzin", "mijn geheime wachtwoordzin")
    assert refused.value.reason == "wrong"
    with db() as session:
        log = read_log(session, ADMIN)
        assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 0
    assert list(log["actor"]) == ["(geen geldig e-mailadres)"]
    assert "geheime" not in " ".join(log.astype(str).to_numpy().ravel())


def test_the_window_rolls_five_failures_in_any_15_minutes_lock(db, tilburg):
    """Four just before a fixed window would end and one after still make five in 15 minutes."""
    start = utcnow()
    for minutes in (0, 14.5, 14.6, 14.7, 15.2):
        with db.begin() as session, pytest.raises(LoginRefused) as refused:
            log_in(session, tilburg, "fout wachtwoord", now=start + dt.timedelta(minutes=minutes))
    assert refused.value.reason == "wrong"  # the failure at 0 has left the window
    with db.begin() as session, pytest.raises(LoginRefused) as refused:
        log_in(session, tilburg, "fout wachtwoord", now=start + dt.timedelta(minutes=15.3))
    assert refused.value.reason == "locked"
