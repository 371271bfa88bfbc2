"""Accounts: add, list, change, disable, set a password, remove. Only a beheerder may.

Every function takes the acting :class:`~db.access.Viewer` (``db.access.command_line()`` for
``python -m db user …``), checks the right here in the data layer, writes an audit line in the
same transaction, and raises an error with a Dutch message for bad input. Pass
``expected_version`` (the ``version`` the person saw) and a change that someone else made in
between is refused with :class:`ChangedMeanwhile` instead of being overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from db.access import ROLE_NAMES, Viewer, require_admin
from db.audit import record
from db.contacts import EMAIL, MAX_EMAIL, MAX_SLUG, find_koploper
from db.models import Koploper, LoginSession, LoginThrottle, User
from db.passwords import check_strength, hash_password
from surveys.clock import utcnow

SCOPED_ROLES = ("gemeente", "adviesraad")
NO_ROLE = "Kies een rol voor de nieuwe gebruiker: beheerder, onderzoeker, gemeente of adviesraad."


class UserError(ValueError):
    """Bad input for an account; the message (Dutch) says what to change."""


class UnknownUser(LookupError):
    pass


class ChangedMeanwhile(RuntimeError):
    def __init__(self, email: str) -> None:
        super().__init__(
            f"Iemand anders heeft {email} intussen gewijzigd. Uw wijziging is niet opgeslagen; "
            "bekijk de gebruiker opnieuw en probeer het nog eens."
        )


@dataclass(frozen=True)
class Account:
    """An account as the Gebruikers page and ``user list`` show it; never its password hash."""

    email: str
    role: str
    koplopers: tuple[str, ...]
    free_text: bool
    is_demo: bool
    disabled: bool
    has_password: bool
    single_sign_on: bool
    created_at: dt.datetime
    version: int

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def login_kind(self) -> str:
        """How the account logs in, in Dutch: wachtwoord, via the organisation (single sign-on),
        or an invitation to do so."""
        kinds = [
            kind
            for kind, present in (
                ("wachtwoord", self.has_password),
                ("via de organisatie", self.single_sign_on),
            )
            if present
        ]
        return ", ".join(kinds) or "via de organisatie (uitnodiging)"


def normalise_email(value: str) -> str:
    email = value.strip().lower()
    if not email or len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise UserError(f"'{value.strip()[:80]}' is geen geldig e-mailadres.")
    return email


def _account(user: User) -> Account:
    return Account(
        email=user.email,
        role=user.role,
        koplopers=tuple(k.slug for k in user.koplopers),
        free_text=user.free_text,
        is_demo=user.is_demo,
        disabled=user.disabled_at is not None,
        has_password=user.password_hash is not None,
        single_sign_on=user.oidc_subject is not None,
        created_at=user.created_at,
        version=user.version,
    )


def viewer_of(user: User) -> Viewer:
    return Viewer(
        email=user.email,
        role=user.role,  # type: ignore[arg-type]
        koploper_ids=frozenset(k.id for k in user.koplopers),
        koploper_slugs=frozenset(k.slug for k in user.koplopers),
        free_text=user.free_text,
        user_id=user.id,
    )


def _check_role(role: str | None, koplopers: Sequence[str], free_text: bool) -> None:
    if not role:
        raise UserError(NO_ROLE)
    if role not in ROLE_NAMES:
        raise UserError(f"Onbekende rol '{role[:40]}'. Kies uit: {', '.join(ROLE_NAMES)}.")
    if role in SCOPED_ROLES and not koplopers:
        raise UserError(
            f"Een account met de rol {role} hoort bij minstens één koploper: kies de koploper(s)."
        )
    if role not in SCOPED_ROLES and koplopers:
        raise UserError(
            f"De rol {role} ziet alle koplopers; laat de koplopers weg of kies de rol gemeente "
            "of adviesraad."
        )
    if free_text and role != "gemeente":
        raise UserError(
            "Het recht op open antwoorden is er alleen voor de rol gemeente (beheerders en "
            "onderzoekers hebben het al, een adviesraad nooit)."
        )


def _find(session: Session, email: str, expected_version: int | None = None) -> User:
    user = session.scalar(
        select(User)
        .where(User.email == email.strip().lower())
        .options(selectinload(User.koplopers))
    )
    if user is None:
        raise UnknownUser(f"Er is geen gebruiker met e-mailadres {email.strip()[:80]}.")
    if expected_version is not None and user.version != expected_version:
        raise ChangedMeanwhile(user.email)
    return user


def _listed(found: Sequence[Koploper]) -> str | None:
    """The koplopers for the audit line's koploper column, when they fit in it (the detail
    always names them all)."""
    joined = ",".join(k.slug for k in found)
    return joined if 0 < len(joined) <= MAX_SLUG else None


def _described(email: str, role: str, found: Sequence[Koploper], free_text: bool) -> str:
    """An account's rights for the audit line's detail."""
    listed = f", koplopers {', '.join(k.name for k in found)}" if found else ""
    rights = f"{email}: rol {ROLE_NAMES.get(role, role)}{listed}"
    return rights + (", open antwoorden" if free_text else "")


def _flush(session: Session, user: User) -> None:
    user.changed_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        raise ChangedMeanwhile(user.email) from None


def end_sessions(session: Session, user: User) -> None:
    """Log the account out everywhere (at its next action in every browser)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def check_new_user(
    session: Session,
    actor: Viewer,
    email: str,
    role: str,
    koplopers: Sequence[str] = (),
    *,
    free_text: bool = False,
) -> tuple[str, list[Koploper]]:
    """What :func:`add_user` checks before the password; writes nothing.

    ``python -m db user add`` calls it first, so nobody types a password twice for an account
    that would be refused anyway. Returns the normalised e-mail address and the koplopers.
    """
    require_admin(actor)
    email = normalise_email(email)
    _check_role(role, koplopers, free_text)
    found = [find_koploper(session, slug.strip().lower()) for slug in dict.fromkeys(koplopers)]
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(f"Er is al een gebruiker met e-mailadres {email}.")
    return email, found


def add_user(
    session: Session,
    actor: Viewer,
    email: str,
    role: str,
    koplopers: Sequence[str] = (),
    *,
    free_text: bool = False,
    password: str | None = None,
    is_demo: bool = False,
) -> Account:
    """A new account. Without a password it can log in only by single sign-on (an invitation).

    The password is checked and hashed before the first query: no transaction is held meanwhile
    (on SQLite the write lock, which every respondent sending needs).
    """
    require_admin(actor)
    password_hash = None
    if password is not None:
        email = normalise_email(email)
        _check_role(role, koplopers, free_text)
        check_strength(password, email)
        password_hash = hash_password(password)
    email, found = check_new_user(session, actor, email, role, koplopers, free_text=free_text)
    user = User(
        email=email,
        role=role,
        koplopers=found,
        free_text=free_text,
        is_demo=is_demo,
        password_hash=password_hash,
        password_changed_at=utcnow() if password is not None else None,
    )
    try:
        with session.begin_nested():  # two beheerders adding the same address at once
            session.add(user)
    except IntegrityError:
        raise UserError(f"Er is al een gebruiker met e-mailadres {email}.") from None
    record(
        session,
        actor,
        "user_created",
        koploper=_listed(found),
        detail=_described(email, role, found, free_text),
    )
    return _account(user)


def list_users(session: Session, actor: Viewer) -> list[Account]:
    require_admin(actor)
    users = session.scalars(select(User).options(selectinload(User.koplopers)).order_by(User.email))
    return [_account(user) for user in users]


def get_user(session: Session, actor: Viewer, email: str) -> Account:
    require_admin(actor)
    return _account(_find(session, email))


def change_user(
    session: Session,
    actor: Viewer,
    email: str,
    *,
    role: str,
    koplopers: Sequence[str],
    free_text: bool,
    expected_version: int | None = None,
) -> Account:
    """Set role, koplopers and the right to open text at once (checked together)."""
    require_admin(actor)
    user = _find(session, email, expected_version)
    _check_role(role, koplopers, free_text)
    found = [find_koploper(session, slug.strip().lower()) for slug in dict.fromkeys(koplopers)]
    if user.id == actor.user_id and role != "beheerder":
        raise UserError(
            "U kunt uw eigen rol als beheerder niet afnemen; vraag een andere beheerder."
        )
    user.role, user.koplopers, user.free_text = role, found, free_text
    _flush(session, user)
    record(
        session,
        actor,
        "user_changed",
        koploper=_listed(found),
        detail=_described(user.email, role, found, free_text),
    )
    return _account(user)


def set_disabled(
    session: Session,
    actor: Viewer,
    email: str,
    disabled: bool = True,
    *,
    expected_version: int | None = None,
) -> Account:
    require_admin(actor)
    user = _find(session, email, expected_version)
    if disabled and user.id == actor.user_id:
        raise UserError("U kunt uw eigen account niet uitschakelen.")
    user.disabled_at = utcnow() if disabled else None
    _flush(session, user)
    if disabled:
        end_sessions(session, user)
    record(session, actor, "user_disabled" if disabled else "user_enabled", detail=user.email)
    return _account(user)


def set_password(
    session: Session,
    actor: Viewer,
    email: str,
    password: str,
    *,
    expected_version: int | None = None,
) -> Account:
    """A new password (checked for strength); logs the account out and lifts a lock.

    Checked and hashed before the first query, so no transaction is held meanwhile.
    """
    require_admin(actor)
    check_strength(password, email.strip().lower())
    password_hash = hash_password(password)
    user = _find(session, email, expected_version)
    user.password_hash = password_hash
    user.password_changed_at = utcnow()
    _flush(session, user)
    end_sessions(session, user)
    throttle = session.get(LoginThrottle, user.email)
    if throttle is not None:
        session.delete(throttle)
    record(session, actor, "password_set", detail=user.email)
    return _account(user)


def remove_user(
    session: Session, actor: Viewer, email: str, *, expected_version: int | None = None
) -> None:
    """Delete the account; its lines in the audit log stay (they name the e-mail address)."""
    require_admin(actor)
    user = _find(session, email, expected_version)
    if user.id == actor.user_id:
        raise UserError("U kunt uw eigen account niet verwijderen.")
    session.delete(user)
    try:
        session.flush()
    except StaleDataError:
        raise ChangedMeanwhile(user.email) from None
    record(session, actor, "user_removed", detail=user.email)


def demo_accounts_exist(session: Session) -> bool:
    """Whether ``seed-demo`` made accounts here (the login page then points to the README)."""
    return session.scalar(select(User.id).where(User.is_demo.is_(True)).limit(1)) is not None


def koploper_names(session: Session) -> dict[str, str]:
    """Every koploper's slug and name, by name: the choices of the Gebruikers page."""
    rows = session.execute(select(Koploper.slug, Koploper.name).order_by(Koploper.name))
    return {slug: name for slug, name in rows}
