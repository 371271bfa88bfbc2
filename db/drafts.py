"""Drafts: a respondent's unsent progress, saved after every screen, found again by a resume code.

The resume code is 128 random bits (``secrets``); only its SHA-256 hash is stored, so the database
alone cannot be used to reopen someone's answers. Drafts expire after ``DRAFT_DAYS`` days.
A draft never grows past the limit its caller derives from the questionnaire
(``surveys.limits.draft_limit``): a larger one raises ``DraftTooLarge`` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import Draft, HeldResponse, Response, utcnow
from surveys.limits import draft_size

DRAFT_DAYS = int(os.environ.get("KOPLOPERMONITOR_DRAFT_DAYS", "14"))


class DraftTooLarge(ValueError):
    """The answers are larger than a draft of this questionnaire can be; the draft is unchanged."""

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"draft of {size} characters, limit {limit}")


def new_resume_code() -> str:
    return secrets.token_urlsafe(16)  # 16 bytes = 128 bits


def idempotency_key_for(code: str) -> str:
    """The idempotency key of the response sent from the draft with this resume code."""
    return hashlib.sha256(f"response:{code}".encode()).hexdigest()


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def save_draft(
    session: Session,
    code: str,
    *,
    questionnaire_version_id: int,
    koploper_id: int,
    wave_id: int,
    language: str,
    answers: dict[str, Any],
    position: int,
    started_at: dt.datetime | None,
    limit: int,
) -> None:
    """Create or update the draft for ``code``; every save moves its expiry forward.

    Raises ``DraftTooLarge`` when ``answers`` are over ``limit`` characters
    (``surveys.limits.draft_size``), before anything is written.

    Nothing is saved for a code whose response was sent already (e.g. from a second tab). Expired
    drafts of anyone are deleted on the way: they hold answers and are kept no longer than needed.
    """
    size = draft_size(answers)
    if size > limit:
        raise DraftTooLarge(size, limit)
    purge_expired(session)
    sent = idempotency_key_for(code)
    if any(  # counted, or held for a check (``db.open_link``)
        session.scalar(select(table.id).where(table.idempotency_key == sent))
        for table in (Response, HeldResponse)
    ):
        return
    now = utcnow()
    draft = session.scalar(select(Draft).where(Draft.code_hash == _hash(code)))
    if draft is None:
        draft = Draft(
            code_hash=_hash(code),
            questionnaire_version_id=questionnaire_version_id,
            koploper_id=koploper_id,
            wave_id=wave_id,
        )
        session.add(draft)
    draft.language = language
    draft.answers = dict(answers)
    draft.position = position
    draft.started_at = started_at
    draft.updated_at = now
    draft.expires_at = now + dt.timedelta(days=DRAFT_DAYS)
    session.flush()


def load_draft(session: Session, code: str) -> Draft | None:
    """The draft for a resume code, or None when unknown or expired."""
    if not code or len(code) > 100:
        return None
    draft = session.scalar(select(Draft).where(Draft.code_hash == _hash(code)))
    if draft is None or draft.expires_at < utcnow():
        return None
    return draft


def delete_draft(session: Session, code: str) -> None:
    session.execute(delete(Draft).where(Draft.code_hash == _hash(code)))


def purge_expired(session: Session) -> int:
    return session.execute(delete(Draft).where(Draft.expires_at < utcnow())).rowcount or 0
