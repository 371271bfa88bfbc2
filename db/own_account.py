"""What every logged-in user may do to their own account: change their password.

The current password must be given. A wrong one is a line in the audit log, and after
:data:`MAX_FAILURES` of them within :data:`WINDOW` the change is refused outright for that
window, so a login left open on someone's screen cannot be used to guess the password without
limit. The slow work (hashing the new password, checking the current one) runs before the
transaction takes any lock, so SQLite's write lock never waits for a hash; the outcome is then
counted under a write on the account's row, one attempt after the other on SQLite and PostgreSQL
alike: of any number of attempts sent at once, at most five wrong ones count and none succeeds
after them, and a check made against a password that changed meanwhile counts for nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer
from db.audit import record
from db.models import AuditEvent, LoginSession, User
from db.passwords import MAX_LENGTH, check_strength, hash_password, verify
from surveys.clock import utcnow

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
FAILED = "password_change_failed"


class PasswordChangeRefused(ValueError):
    """The password was not changed; the message (Dutch) says why and what to do."""


def _failures(session: Session, email: str, now: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.actor == email,
                AuditEvent.action == FAILED,
                AuditEvent.outcome == "failed",  # a refusal while blocked does not extend it
                AuditEvent.at > now - WINDOW,
            )
        )
        or 0
    )


def change_own_password(
    session: Session,
    viewer: Viewer,
    current: str,
    new: str,
    *,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Replace the viewer's own password after checking the current one.

    A wrong current password raises :class:`PasswordChangeRefused` after writing its audit line:
    commit the session whatever happens, or the failure is not counted. On success every other
    login of the account ends; the one holding ``token`` (this browser) stays.
    """
    now = now or utcnow()
    if viewer.user_id is None:
        raise AccessDenied("Alleen wie is ingelogd, kan het eigen wachtwoord wijzigen.")
    # The slow hashes first, before ``session`` takes any lock (on SQLite a write lock would stop
    # every respondent who sends meanwhile): the new password, then the current one, read in a
    # short reading session of its own.
    if new == current:
        raise PasswordChangeRefused(
            "Het nieuwe wachtwoord is hetzelfde als het huidige. Kies een ander wachtwoord."
        )
    check_strength(new, viewer.email)
    new_hash = hash_password(new)
    with Session(session.bind or session.get_bind()) as reading:
        checked_hash = reading.scalar(select(User.password_hash).where(User.id == viewer.user_id))
    right = (
        checked_hash is not None and len(current) <= MAX_LENGTH and verify(checked_hash, current)
    )
    # Then a write: it holds the row (PostgreSQL) or the database (SQLite) until the commit, so
    # parallel attempts are counted one after the other.
    session.execute(
        update(User).where(User.id == viewer.user_id).values(changed_at=User.changed_at)
    )
    user = session.get(User, viewer.user_id, populate_existing=True)
    if user is None or user.disabled_at is not None:
        raise AccessDenied("Dit account bestaat niet meer of is uitgeschakeld.")
    if user.password_hash != checked_hash:  # changed meanwhile: the check was against the old one
        raise PasswordChangeRefused(
            "Uw wachtwoord is net op een andere plek gewijzigd. Log opnieuw in en probeer het "
            "dan nog eens."
        )
    if user.password_hash is None:
        raise PasswordChangeRefused(
            "Uw account heeft geen wachtwoord: u logt in met het account van uw organisatie "
            "en wijzigt uw wachtwoord daar."
        )
    failures = _failures(session, user.email, now)
    if failures >= MAX_FAILURES:
        record(
            session, viewer, FAILED, outcome="refused", detail="geblokkeerd na 5 pogingen", at=now
        )
        raise PasswordChangeRefused(
            f"U heeft {MAX_FAILURES} keer een verkeerd huidig wachtwoord getypt. Wachtwoord "
            "wijzigen kan daarom 15 minuten niet. Probeer het later opnieuw, of vraag de "
            "beheerder om een nieuw wachtwoord."
        )
    if not right:
        record(
            session,
            viewer,
            FAILED,
            outcome="failed",
            detail=f"huidig wachtwoord klopt niet (poging {failures + 1} van {MAX_FAILURES})",
            at=now,
        )
        raise PasswordChangeRefused(
            "Het huidige wachtwoord klopt niet. Uw wachtwoord is niet gewijzigd."
        )
    user.password_hash = new_hash
    user.password_changed_at = now
    user.changed_at = now
    session.flush()
    others = LoginSession.user_id == user.id
    if token:
        others &= LoginSession.token_hash != hashlib.sha256(token.encode()).hexdigest()
    session.execute(
        update(LoginSession).where(others, LoginSession.ended_at.is_(None)).values(ended_at=now)
    )
    record(session, viewer, "password_changed", detail="eigen wachtwoord gewijzigd", at=now)
