"""SQLAlchemy 2 models: reference data, questionnaire versions, responses and answers.

Responses are stored in long form, as REDCap does: one ``responses`` row per filled-in
questionnaire and one ``answers`` row per answered item (a multiple-choice item gives one row per
chosen code). Questionnaire versions are immutable once written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from surveys.clock import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    koplopers: Mapped[list[Koploper]] = relationship(back_populates="cohort")


class Koploper(Base):
    """A municipality or a region of several municipalities in the programme."""

    __tablename__ = "koplopers"
    __table_args__ = (CheckConstraint("kind IN ('gemeente', 'regio')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    province: Mapped[str] = mapped_column(String(40))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    # Whom a respondent can ask about the survey and their privacy; set with
    # ``python -m db koploper set-contact``. A wave cannot open without a phone or an e-mail.
    contact_organisation: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_url: Mapped[str | None] = mapped_column(String(300))
    contact_is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Filled by ``seed-demo`` (shown as example data); ``remove-demo`` clears it again."""

    cohort: Mapped[Cohort] = relationship(back_populates="koplopers")
    members: Mapped[list[KoploperMember]] = relationship(
        back_populates="koploper", cascade="all, delete-orphan", order_by="KoploperMember.name"
    )
    waves: Mapped[list[Wave]] = relationship(back_populates="koploper", order_by="Wave.code")


class KoploperMember(Base):
    """A municipality that belongs to a regional koploper."""

    __tablename__ = "koploper_members"
    __table_args__ = (UniqueConstraint("koploper_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))

    koploper: Mapped[Koploper] = relationship(back_populates="members")


class Wave(Base):
    """One round of fieldwork of a koploper: T0 is the baseline, T1, T2, … follow-ups."""

    __tablename__ = "waves"
    __table_args__ = (
        UniqueConstraint("koploper_id", "code"),
        CheckConstraint("kind IN ('baseline', 'follow_up')", name="kind"),
        CheckConstraint("fieldwork_end >= fieldwork_start", name="dates"),
        CheckConstraint("access IN ('codes', 'open', 'both')", name="access"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(120))
    fieldwork_start: Mapped[dt.date] = mapped_column(Date)
    fieldwork_end: Mapped[dt.date] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_for_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Opened by ``seed-demo``; ``remove-demo`` closes it again."""
    access: Mapped[str] = mapped_column(String(10), default="both", server_default="both")
    """How respondents get in (``surveys.vocabulary.ACCESS``): 'codes' (a personal code from an
    invitation only), 'open' (the open link only) or 'both'."""

    koploper: Mapped[Koploper] = relationship(back_populates="waves")


class QuestionnaireVersion(Base):
    """An exact, immutable questionnaire definition; every response points at one."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        UniqueConstraint("key", "version"),
        UniqueConstraint("key", "checksum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Response(Base):
    """One filled-in questionnaire. Holds no name, IP address or user agent, by design."""

    __tablename__ = "responses"
    __table_args__ = (CheckConstraint("language IN ('nl', 'nl-eenvoudig')", name="language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_versions.id"), index=True
    )
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    invited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Came in with an invitation code (which one is never kept: ``InvitationCode``)."""
    panel_key: Mapped[str | None] = mapped_column(String(32), index=True)
    """The pseudonymous panel key of a panel code: links one person's responses across waves."""

    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    koploper: Mapped[Koploper] = relationship()
    wave: Mapped[Wave] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """The answer to one item: a code (coded types), a number or a text, exactly one of them."""

    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN code IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN number IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN text IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_value",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(60))
    code: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")


class ResponsePack(Base):
    """A response's coded answers packed into 64-bit words (``db.packs``): a cache of
    ``answers`` written with them, so the dashboard reads one short row per response."""

    __tablename__ = "response_packs"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    format: Mapped[int] = mapped_column(SmallInteger)
    head: Mapped[int] = mapped_column(BigInteger)
    """The response's wave, version, channel, language and demo mark (``db.packs.head``)."""
    words: Mapped[bytes] = mapped_column(LargeBinary)
    checksum: Mapped[int] = mapped_column(Integer)
    """31 bits of a hash of head and words: their sum over all packs keys in-memory caches."""


def _drop_pack(connection, response_id: int | None) -> None:
    table = ResponsePack.__table__
    connection.execute(table.delete().where(table.c.response_id == response_id))


@event.listens_for(Response, "before_update")
def _stale_response(mapper, connection, target: Response) -> None:
    """A changed response (the app changes none; a script or test might) loses its pack, which
    the next read or ``db.setup.init_database`` makes again from the answers (``db.packs``)."""
    _drop_pack(connection, target.id)


@event.listens_for(Answer, "after_insert")
@event.listens_for(Answer, "after_update")
@event.listens_for(Answer, "after_delete")
def _stale_answer(mapper, connection, target: Answer) -> None:
    """An answer added, changed or removed through the ORM: its response's pack goes too
    (``db.responses`` stores answers with Core, and their packs with them)."""
    _drop_pack(connection, target.response_id)


class ImmutableError(RuntimeError):
    pass


@event.listens_for(QuestionnaireVersion, "before_update")
def _refuse_update(mapper, connection, target: QuestionnaireVersion) -> None:
    raise ImmutableError(
        f"Vragenlijstversie {target.key} v{target.version} is onveranderlijk: "
        "laad een gewijzigde definitie, dan ontstaat een nieuwe versie."
    )


class Draft(Base):
    """Unsent progress, found again by a resume code. Never counted as a response.

    Only a SHA-256 hash of the code is stored: the code itself is the respondent's key.
    """

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"))
    language: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


# --- invitations ---------------------------------------------------------------------------------


class CodeBatch(Base):
    """Single-use invitation codes made at once for one koploper, wave and questionnaire."""

    __tablename__ = "code_batches"
    __table_args__ = (CheckConstraint("language IN ('nl', 'nl-eenvoudig')", name="language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    survey: Mapped[str] = mapped_column(String(60))
    """The questionnaire key (``surveys.vocabulary.AUDIENCES``)."""
    language: Mapped[str] = mapped_column(String(20))
    """The register the codes open (and their letters are written in)."""
    panel: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    follow_up_of: Mapped[int | None] = mapped_column(ForeignKey("waves.id"))
    """For panel codes made for the members of an earlier wave's panel: that wave."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """Set when withdrawn: its unused codes stop working."""
    letters_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day its letters were last printed (marked in responses per day)."""
    reminders_on: Mapped[dt.date | None] = mapped_column(Date)
    """The day its reminder letters were last printed."""

    codes: Mapped[list[InvitationCode]] = relationship(
        back_populates="batch", order_by="InvitationCode.letter_number"
    )


class InvitationCode(Base):
    """One single-use code. Anonymous by design: of its use only the day is kept, never which
    response it gave (no response id, no key, no time finer than the day), except the panel key
    that a panel code passes on to its response."""

    __tablename__ = "invitation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("code_batches.id"), index=True)
    letter_number: Mapped[int] = mapped_column(Integer)
    """Per koploper, wave and questionnaire: 1, 2, 3, … (``briefnummer``)."""
    code: Mapped[str] = mapped_column(String(8), unique=True)
    """Normalised (``surveys.codes``): 8 characters of Crockford's base 32, no hyphen."""
    used_on: Mapped[dt.date | None] = mapped_column(Date)
    panel_key: Mapped[str | None] = mapped_column(String(32), index=True)

    batch: Mapped[CodeBatch] = relationship(back_populates="codes")


class CodeAttempt(Base):
    """Wrong codes per source (a keyed hash of a browser or a network address), so a pause
    after too many holds across server processes."""

    __tablename__ = "code_attempts"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[dt.datetime] = mapped_column(DateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ServerKey(Base):
    """A random key made once per database and shared by every server process (``db.sources``)."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class OpenArrival(Base):
    """A complete response through the open link: when, and from which source (a keyed hash of
    a browser or network address). Never which response; kept only as long as bursts matter."""

    __tablename__ = "open_arrivals"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class HeldResponse(Base):
    """A complete open-link response that came in a burst: checked and kept, but not a
    ``Response`` (so in no figure or export) until a beheerder accepts it, or removes it."""

    __tablename__ = "held_responses"
    __table_args__ = (CheckConstraint("language IN ('nl', 'nl-eenvoudig')", name="language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)


# --- who may see what --------------------------------------------------------------------------
ROLES = ("beheerder", "onderzoeker", "gemeente", "adviesraad")


class UserKoploper(Base):
    """A koploper whose data a ``gemeente`` or ``adviesraad`` account may see."""

    __tablename__ = "user_koplopers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    koploper_id: Mapped[int] = mapped_column(ForeignKey("koplopers.id"), primary_key=True)


class User(Base):
    """An account of the platform. Respondents never have one.

    ``version`` counts changes: saving a user that someone else changed in between fails
    (SQLAlchemy's ``version_id_col``) instead of silently overwriting their change.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('beheerder', 'onderzoeker', 'gemeente', 'adviesraad')", name="role"
        ),
        UniqueConstraint("oidc_issuer", "oidc_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    """Always lower case: the e-mail address is how a person logs in or is invited."""
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id; ``None`` for an account that logs in only through single sign-on."""
    free_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """May read open text answers (only meaningful for ``gemeente``)."""
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    koplopers: Mapped[list[Koploper]] = relationship(
        secondary="user_koplopers", order_by="Koploper.name"
    )

    __mapper_args__ = {"version_id_col": version}


class LoginThrottle(Base):
    """Failed logins per e-mail address (known or not), so a lock holds across processes."""

    __tablename__ = "login_throttle"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[dt.datetime] = mapped_column(DateTime)
    """Failures count from here (the first one, or the end of a lock); the audit log has them."""
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    checking: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Password checks running now: each holds one of the failures allowed (``db.logins``)."""
    checking_since: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """When the last one started; checks older than a few minutes stopped with their process."""


class LoginSession(Base):
    """A local login, found again from the browser's session cookie (only its hash is kept)."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEvent(Base):
    """One line of the append-only audit log: who did what, on which koploper, with what outcome.

    Never a password or an answer. The app only inserts; the ORM refuses updates and deletes and
    a database trigger (migration 0005) refuses them from anywhere else.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254), index=True)
    """The e-mail address of the account (or the one typed at a failed login), or 'anoniem'."""
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40), index=True)
    koploper: Mapped[str | None] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(500), default="")


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target: AuditEvent) -> None:
    raise AppendOnlyError("Het logboek kan alleen worden aangevuld, niet gewijzigd of gewist.")
