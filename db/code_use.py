"""The respondent's way in with an invitation code: redeem it, send once with it.

* :func:`redeem`: a typed code, forgiving (``surveys.codes``), gives the fieldwork it opens, or
  why not. Wrong codes are counted per source (``db.code_attempts``), requests without a known
  source all as one.
* :func:`use_code`: at sending, in the response's transaction, the code is marked used (only the
  day), or :class:`CodeUsed` stops the send; the wave's codes of the day are written again so no
  row keeps a trace of its moment of use.
* A code's draft is kept under :func:`draft_key`, derived from the code, never the code itself.

Anonymous by design: of a used code only the day is kept (``InvitationCode.used_on``), never
which response it gave; a panel code passes its pseudonymous panel key on to the response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.code_attempts import count_wrong, paused
from db.fieldwork import Fieldwork, LinkProblem, _open_fieldwork
from db.models import CodeBatch, InvitationCode, Koploper, Wave
from db.questionnaires import latest_version
from surveys.clock import dutch_day, utcnow
from surveys.codes import normalise

DRAFT_PREFIX = "code-"
UNKNOWN_SOURCE = "onbekend"
"""The one source every request without a known browser or address counts against."""
CodeProblem = Literal[
    "code_unknown", "code_used", "code_withdrawn", "code_paused", "code_open_only"
]


class CodeUsed(RuntimeError):
    """The code was used (or its batch withdrawn) meanwhile: nothing is stored."""

    def __init__(self, problem: CodeProblem = "code_used") -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class Invitation:
    """A code that opened a questionnaire: what sending with it needs."""

    code: str
    """Normalised."""
    language: str
    """The register of its batch."""
    panel_key: str | None


def draft_key(code: str) -> str:
    """The resume key of a code's draft: derived from the code, never the code itself."""
    return DRAFT_PREFIX + hashlib.sha256(f"invitation:{code}".encode()).hexdigest()[:32]


def is_code_draft(resume: str) -> bool:
    """Whether a resume key is a code's (those open only by typing the code: ``/code``)."""
    return resume.startswith(DRAFT_PREFIX) and len(resume) == len(DRAFT_PREFIX) + 32


def redeem(
    session: Session, typed: str, sources: list[str], now: dt.datetime | None = None
) -> tuple[Fieldwork, Invitation] | CodeProblem | LinkProblem:
    """The fieldwork a typed code opens, or why not; pass a session begun for writing.

    Paused sources get ``code_paused`` and nothing is written. A code that is not one of ours
    (or cannot be a code at all) counts as wrong against every source and gives
    ``code_unknown``, or ``code_paused`` when it was the one too many. A used code gives
    ``code_used``, an unused code of a withdrawn batch ``code_withdrawn``, a code of a wave that
    is not open today the wave's ``LinkProblem``, and a code of an open wave that takes the open
    link only (``Wave.access`` 'open') ``code_open_only``.
    """
    now = now or utcnow()
    # A request that names neither browser nor address (a script without cookies behind a proxy
    # that passes no address) is still counted: all of them as one source.
    sources = list(sources) or [UNKNOWN_SOURCE]
    if paused(session, sources, now):
        return "code_paused"
    code = normalise(typed)
    row = (
        session.execute(
            select(InvitationCode, CodeBatch).join(CodeBatch).where(InvitationCode.code == code)
        ).first()
        if code
        else None
    )
    if row is None:
        return "code_paused" if count_wrong(session, sources, now) else "code_unknown"
    invitation, batch = row
    if invitation.used_on is not None:
        return "code_used"
    if batch.withdrawn_at is not None:
        return "code_withdrawn"
    version = latest_version(session, batch.survey)
    if version is None:
        return "survey"
    koploper, wave = session.get(Koploper, batch.koploper_id), session.get(Wave, batch.wave_id)
    found = _open_fieldwork(version, koploper, wave, dutch_day(now))
    if isinstance(found, str):
        return found
    if wave.access == "open":
        return "code_open_only"
    return found, Invitation(invitation.code, batch.language, invitation.panel_key)


def use_code(session: Session, invitation: Invitation, now: dt.datetime | None = None) -> None:
    """Mark the code used on today's Dutch day, in the caller's transaction, or raise
    :class:`CodeUsed` (used meanwhile, by another tab or person, or its batch withdrawn).

    One conditional UPDATE: of two sends at the same moment, exactly one changes the row (the
    other waits for its lock, then finds it used). Only the day is written, nothing else; then
    the wave's other codes of the day are written again (see below), under the wave's row lock.
    """
    wave_id = session.scalar(
        select(CodeBatch.wave_id).join(InvitationCode).where(InvitationCode.code == invitation.code)
    )
    # One send per wave at a time: the re-stamp below touches the other codes of the day.
    session.execute(select(Wave.id).where(Wave.id == wave_id).with_for_update())
    access = session.scalar(select(Wave.access).where(Wave.id == wave_id))
    if access == "open":  # switched to the open link only since the code was opened
        raise CodeUsed("code_open_only")
    live = select(CodeBatch.id).where(CodeBatch.withdrawn_at.is_(None))
    changed = session.execute(
        update(InvitationCode)
        .where(
            InvitationCode.code == invitation.code,
            InvitationCode.used_on.is_(None),
            InvitationCode.batch_id.in_(live),
        )
        .values(used_on=dutch_day(now))
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        used = session.scalar(
            select(InvitationCode.used_on).where(InvitationCode.code == invitation.code)
        )
        raise CodeUsed("code_used" if used is not None else "code_withdrawn")
    # Every code of this wave used today is written again in this transaction, so that none
    # carries a trace of its own moment of use: on PostgreSQL a row's transaction id (``xmin``)
    # would otherwise pair each code with the response stored beside it. Now the codes of one
    # day share the id of the day's latest use: a code tells its day, and no more.
    session.execute(
        update(InvitationCode)
        .where(
            InvitationCode.used_on == dutch_day(now),
            InvitationCode.batch_id.in_(select(CodeBatch.id).where(CodeBatch.wave_id == wave_id)),
        )
        .values(used_on=InvitationCode.used_on)
        .execution_options(synchronize_session=False)
    )


def code_is_unused(session: Session, code: str) -> bool:
    """Whether a (normalised) code can still be used: known, unused, its batch not withdrawn."""
    query = (
        select(InvitationCode.id)
        .join(CodeBatch)
        .where(
            InvitationCode.code == code,
            InvitationCode.used_on.is_(None),
            CodeBatch.withdrawn_at.is_(None),
        )
    )
    return session.scalar(query) is not None
