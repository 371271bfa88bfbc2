"""Logging in and staying logged in: local passwords, locks, sessions, and single sign-on.

* :func:`log_in` checks an e-mail address and password. Five failures within any 15 minutes lock
  the address for 15 minutes, counted in the database (the audit log's failures, and the lock in
  ``login_throttle``) so the lock holds across processes. Unknown addresses are counted and
  locked the same way, and a wrong password and an unknown address get the same message, so
  nobody can find out which addresses exist. A check reserves its place among the five before
  the slow password hash and holds no transaction during it: attempts sent at the same moment
  cannot all be checked, and a login never keeps SQLite's write lock while hashing.
* A local login is a row in ``login_sessions``; the browser keeps only a random token (its hash
  is stored). It lasts the browser session and at most 8 hours.
* :func:`current_viewer` is asked at every page run: a disabled, removed or changed account, or a
  login older than 8 hours, ends there with :class:`SessionEnded`.
* :func:`single_sign_on` maps an identity the OpenID provider vouches for to an account of ours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from db.access import AccessDenied, Viewer
from db.audit import record
from db.contacts import EMAIL
from db.models import AuditEvent, LoginSession, LoginThrottle, User
from db.passwords import hash_password, needs_rehash, verify
from db.users import viewer_of
from surveys.clock import utcnow

log = logging.getLogger("koplopermonitor")

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=8)
STALE = dt.timedelta(minutes=2)
"""A password check takes well under a second: one running longer stopped with its process."""
MAX_TYPED = 254
INVALID_ADDRESS = "(geen geldig e-mailadres)"
"""The actor of a failed login whose 'e-mail address' is not one: what was typed is not kept."""

WRONG = "Het e-mailadres of het wachtwoord klopt niet. Controleer ze en probeer het opnieuw."
LOCKED = (
    "Na {failures} mislukte pogingen is inloggen met dit e-mailadres tijdelijk geblokkeerd. "
    "Probeer het over {minutes} minuten opnieuw, of vraag de beheerder een nieuw wachtwoord."
)
DISABLED = "Dit account is uitgeschakeld. Vraag de beheerder van de Koplopermonitor om hulp."
EXPIRED = "U bent uitgelogd, omdat u 8 uur was ingelogd. Log opnieuw in."
ENDED = "U bent uitgelogd: uw account is gewijzigd of uitgeschakeld. Log opnieuw in."
UNKNOWN_IDENTITY = (
    "Geen toegang: u bent aangemeld bij uw organisatie, maar er is geen account in de "
    "Koplopermonitor voor u. Vraag de beheerder u uit te nodigen."
)


class LoginRefused(Exception):
    """Not logged in; ``reason`` is wrong / locked / disabled, the message is Dutch."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class SessionEnded(Exception):
    """The login no longer holds; the message (Dutch) says why."""


@dataclass(frozen=True)
class Login:
    viewer: Viewer
    token: str
    """For the browser's session cookie; only its hash is stored."""
    started_at: dt.datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return LOCKED.format(failures=MAX_FAILURES, minutes=minutes)


def _new_throttle(session: Session, address: str, now: dt.datetime) -> LoginThrottle:
    """The address's failure count, made now; or, when a parallel login just made it, that one."""
    try:
        with session.begin_nested():
            throttle = LoginThrottle(email=address, failures=0, first_failure_at=now)
            session.add(throttle)
        return throttle
    except IntegrityError:
        return session.get(LoginThrottle, address, with_for_update=True, populate_existing=True)


def _load_user(session: Session, **where) -> User | None:
    query = select(User).options(selectinload(User.koplopers)).filter_by(**where)
    return session.scalar(query)


@dataclass(frozen=True)
class _Check:
    """A password check with its place reserved: the account it is for, if any."""

    user_id: int | None
    password_hash: str | None


def _failures(session: Session, address: str, since: dt.datetime, now: dt.datetime) -> int:
    """The address's failures of the last 15 minutes since counting (re)started, as the audit
    log has them (so they hold across processes): a rolling window."""
    query = (
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.actor == address,
            AuditEvent.action == "login_failed",
            AuditEvent.at > now - WINDOW,
            AuditEvent.at >= since,
        )
    )
    return session.scalar(query) or 0


def _reserve(session: Session, address: str, now: dt.datetime) -> _Check | dt.datetime:
    """Under the address's row lock: the time it stays locked, or a check with its place taken.

    Failures counted plus checks running may not exceed five, so a sixth attempt sent while five
    are being checked is refused without a check, as a locked address is.
    """
    throttle = session.get(LoginThrottle, address, with_for_update=True) or _new_throttle(
        session, address, now
    )
    if throttle.locked_until and throttle.locked_until > now:
        record(session, address, "login_locked", outcome="refused", at=now)
        return throttle.locked_until
    if throttle.locked_until:  # a lock that has run out: counting starts afresh
        throttle.first_failure_at, throttle.locked_until, throttle.failures = now, None, 0
    elif now < throttle.first_failure_at:
        # An attempt that began before the one that made the row got here later: it counts too.
        throttle.first_failure_at = now
    running = throttle.checking
    if running and (throttle.checking_since is None or throttle.checking_since < now - STALE):
        running = 0  # their processes stopped before saying how the checks went
    if _failures(session, address, throttle.first_failure_at, now) + running >= MAX_FAILURES:
        record(
            session,
            address,
            "login_locked",
            outcome="refused",
            detail=f"al {MAX_FAILURES} pogingen tegelijk, niet gecontroleerd",
            at=now,
        )
        return now + LOCK
    # The time the oldest check still running began: a place left by a process that stopped
    # frees up STALE after it, even while new attempts keep coming.
    if not running:
        throttle.checking_since = now
    throttle.checking = running + 1
    user = session.execute(select(User.id, User.password_hash).where(User.email == address)).first()
    return _Check(user.id, user.password_hash) if user else _Check(None, None)


def log_in(session: Session, email: str, password: str, now: dt.datetime | None = None) -> Login:
    """A new login for a correct e-mail address and password, or :class:`LoginRefused`.

    Three steps, so that no transaction is open during the slow password hash: a place among the
    five checks is reserved in a short transaction of its own, committed before the check; the
    password is checked; the outcome is recorded in ``session``. Pass a session that has done
    nothing yet and commit it whatever happens: failures and locks must be counted.
    """
    given, now = now, now or utcnow()
    address = email.strip().lower()[:MAX_TYPED]
    if not EMAIL.match(address):
        # Not an e-mail address, so no account; and perhaps a password typed in the wrong
        # field: never written anywhere.
        verify(None, password)  # as long as a real check takes
        record(session, INVALID_ADDRESS, "login_failed", outcome="failed", at=now)
        raise LoginRefused("wrong", WRONG)
    # Committed on its own before the check, so attempts in parallel see the place taken.
    with Session(session.bind or session.get_bind(), expire_on_commit=False) as own, own.begin():
        reserved = _reserve(own, address, now)
    if isinstance(reserved, dt.datetime):
        raise LoginRefused("locked", _locked_message(reserved, now))
    try:
        right = verify(reserved.password_hash, password)
        rehashed = (
            hash_password(password)
            if right and needs_rehash(reserved.password_hash or "")
            else None
        )
        # The outcome is known only now: the Logboek's lines then follow each other in time.
        return _settle(session, address, reserved, right, rehashed, given or utcnow())
    except LoginRefused:
        raise
    except BaseException:
        # The caller's transaction will not commit (a lost connection, a busy database): free
        # the place here, or it would count as a check running until it goes stale.
        _free(session, address)
        raise


def _free(session: Session, address: str) -> None:
    """Give back a reserved place in a short transaction of its own (best effort)."""
    try:
        with Session(session.bind or session.get_bind()) as own, own.begin():
            throttle = own.get(LoginThrottle, address, with_for_update=True)
            if throttle is not None and throttle.checking > 0:
                throttle.checking -= 1
    except SQLAlchemyError:
        log.warning("a login check's place could not be given back; it frees up after %s", STALE)


def _settle(
    session: Session,
    address: str,
    check: _Check,
    right: bool,
    rehashed: str | None,
    now: dt.datetime,
) -> Login:
    """Record how the check went, in the caller's transaction, and free its place."""
    throttle = session.get(LoginThrottle, address, with_for_update=True, populate_existing=True)
    if throttle is not None and throttle.checking > 0:
        throttle.checking -= 1
    user = _load_user(session, id=check.user_id) if check.user_id is not None else None
    # An account removed, or given a new password, while the old one was being checked.
    right = right and user is not None and user.password_hash == check.password_hash
    if not right:
        if throttle is None:  # a new password or a login cleared the count meanwhile
            throttle = _new_throttle(session, address, now)
        throttle.failures = 1 + _failures(session, address, throttle.first_failure_at, now)
        record(
            session,
            address,
            "login_failed",
            role=user.role if user else None,
            outcome="failed",
            detail=f"poging {throttle.failures} van {MAX_FAILURES}"
            + ("" if user else " (onbekend e-mailadres)"),
            at=now,
        )
        if throttle.failures >= MAX_FAILURES:
            throttle.locked_until = now + LOCK
            record(
                session,
                address,
                "login_locked",
                outcome="refused",
                detail=f"geblokkeerd tot {MAX_FAILURES} pogingen oud genoeg zijn (15 minuten)",
                at=now,
            )
            session.flush()
            raise LoginRefused("locked", _locked_message(throttle.locked_until, now))
        session.flush()
        raise LoginRefused("wrong", WRONG)
    assert user is not None
    if throttle is not None:
        if throttle.checking:  # checks still running count from here, not from before
            throttle.failures, throttle.first_failure_at, throttle.locked_until = 0, now, None
        else:
            session.delete(throttle)
    if user.disabled_at is not None:
        record(
            session,
            user.email,
            "login_refused",
            role=user.role,
            outcome="refused",
            detail="account uitgeschakeld",
            at=now,
        )
        session.flush()
        raise LoginRefused("disabled", DISABLED)
    if rehashed is not None:
        user.password_hash = rehashed
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now - SESSION_LIFETIME))
    record(session, user.email, "login_ok", role=user.role, at=now)
    session.flush()
    return Login(viewer_of(user), token, now)


def resume(session: Session, token: str, now: dt.datetime | None = None) -> Login | None:
    """The login a browser's token stands for, if it still holds (else ``None``)."""
    now = now or utcnow()
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    user = _load_user(session, id=row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    return Login(viewer_of(user), token, row.created_at)


def log_out(session: Session, viewer: Viewer, token: str | None) -> None:
    if token:
        row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
    record(session, viewer, "logout")


def current_viewer(
    session: Session,
    user_id: int,
    since: dt.datetime,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Viewer:
    """The viewer of a login made at ``since``, as the database says now; or SessionEnded."""
    now = now or utcnow()
    if now - since > SESSION_LIFETIME:
        raise SessionEnded(EXPIRED)
    user = _load_user(session, id=user_id)
    if user is None or user.disabled_at is not None:
        raise SessionEnded(ENDED)
    if token is not None:
        row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
        if row is None or row.ended_at is not None:
            raise SessionEnded(ENDED)
    return viewer_of(user)


@dataclass(frozen=True)
class Identity:
    """Who the OpenID provider says someone is, and when it authenticated them."""

    issuer: str
    subject: str
    email: str | None = None
    authenticated_at: dt.datetime | None = None
    """``iat`` of the ID token, naive UTC: one ID token, one login (8 hours at most)."""
    email_verified: bool | None = None
    """The provider's ``email_verified`` claim; an invitation never binds when it is False."""

    @property
    def login_key(self) -> str:
        """Stands for this one sign-on in ``login_sessions`` (as a local login's token does)."""
        moment = self.authenticated_at.isoformat() if self.authenticated_at else ""
        return f"sso\n{self.issuer}\n{self.subject}\n{moment}"


def _refuse_once(session: Session, actor: str, detail: str, role: str | None = None) -> None:
    """Record a refused sign-on once, not at every page of the same browser visit."""
    seen = session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.actor == actor[:254],
            AuditEvent.action == "login_refused",
            AuditEvent.detail == detail[:500],
        )
        .limit(1)
    )
    if seen is None:
        record(session, actor, "login_refused", role=role, outcome="refused", detail=detail)


def recorded_sign_on(
    session: Session, identity: Identity, now: dt.datetime | None = None
) -> tuple[Viewer, str] | None:
    """The viewer of a sign-on already recorded and still valid, read only (no lock, no write):
    every page run but the first of a sign-on. None: :func:`single_sign_on` must decide (the first
    run, an account bound or refused, a login that ended)."""
    now = now or utcnow()
    token = identity.login_key
    user = _load_user(session, oidc_issuer=identity.issuer, oidc_subject=identity.subject)
    if user is None or user.disabled_at is not None:
        return None
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
    if row is None or row.ended_at is not None or row.user_id != user.id:
        return None
    if row.expires_at <= now:
        return None
    return viewer_of(user), token


def single_sign_on(
    session: Session, identity: Identity, now: dt.datetime | None = None
) -> tuple[Viewer, str]:
    """Our account for an identity, and the token of its login; asked at every page run.

    Matched on issuer and subject, or on an invited e-mail address: an invitation is an account
    without a single sign-on identity yet, and the first login binds issuer and subject to it.
    One sign-on at the provider is one login here (a ``login_sessions`` row, an audit line); it
    lasts at most 8 hours, ends when the account is disabled, and an unknown identity is refused
    with one audit line per sign-on.
    """
    now = now or utcnow()
    token = identity.login_key
    sign_on = f"aanmelding {_hash(token)[:12]}"
    user = _load_user(session, oidc_issuer=identity.issuer, oidc_subject=identity.subject)
    email = (identity.email or "").strip().lower()
    if user is None and email and identity.email_verified is not False:
        invited = _load_user(session, email=email)
        # Only an invitation binds: an account without password, SSO identity or demo mark.
        # An account that logs in with a password is never taken over by an e-mail claim.
        if (
            invited is not None
            and invited.oidc_subject is None
            and invited.password_hash is None
            and not invited.is_demo
            and invited.disabled_at is None
        ):
            invited.oidc_issuer, invited.oidc_subject = identity.issuer, identity.subject
            record(
                session,
                invited.email,
                "user_changed",
                role=invited.role,
                detail="uitnodiging gekoppeld aan inloggen via de organisatie "
                f"({identity.issuer[:200]})",
            )
            user = invited
    if user is None:
        _refuse_once(
            session,
            email or identity.subject,
            f"onbekend account van een organisatie ({identity.issuer[:200]}), {sign_on}",
        )
        raise AccessDenied(UNKNOWN_IDENTITY)
    if user.disabled_at is not None:
        _refuse_once(
            session,
            user.email,
            f"account uitgeschakeld (inloggen via de organisatie), {sign_on}",
            user.role,
        )
        raise SessionEnded(DISABLED)
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
    if row is None:
        started = min(identity.authenticated_at or now, now)
        if now - started > SESSION_LIFETIME:
            raise SessionEnded(EXPIRED)
        session.add(
            LoginSession(
                token_hash=_hash(token),
                user_id=user.id,
                created_at=started,
                expires_at=started + SESSION_LIFETIME,
            )
        )
        record(session, user.email, "login_ok", role=user.role, detail="single sign-on")
    elif row.ended_at is not None or row.user_id != user.id:
        raise SessionEnded(ENDED)
    elif row.expires_at <= now:
        raise SessionEnded(EXPIRED)
    session.flush()
    return viewer_of(user), token
