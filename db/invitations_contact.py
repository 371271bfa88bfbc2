"""Whom to call about a code that no longer opens anything (used, or its batch withdrawn).

``redeem`` refuses such a code without a fieldwork (nothing may be opened with it), yet the
respondent needs the koploper's phone number: "Deze code is al gebruikt." is a dead end without
it. Asked only after ``redeem`` has said the code exists, so this tells nobody more about a code
than the refusal already did; it reads nothing of any response.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.contacts import contact_of
from db.models import CodeBatch, InvitationCode, Koploper
from surveys.codes import normalise
from surveys.privacy import Contact, Kind


@dataclass(frozen=True)
class CodeContact:
    koploper_name: str
    koploper_kind: Kind
    contact: Contact | None
    """``None`` when the koploper has no contact details (the page then says 'uw gemeente')."""
    language: str
    """The register of the code's batch: the message is written in it."""


def contact_for_code(session: Session, typed: str) -> CodeContact | None:
    """The contact of the koploper whose batch holds ``typed``; ``None`` for no such code."""
    code = normalise(typed)
    if code is None:
        return None
    found = session.execute(
        select(Koploper, CodeBatch.language)
        .join(CodeBatch, CodeBatch.koploper_id == Koploper.id)
        .join(InvitationCode, InvitationCode.batch_id == CodeBatch.id)
        .where(InvitationCode.code == code)
    ).first()
    if found is None:
        return None
    koploper, language = found
    return CodeContact(koploper.name, koploper.kind, contact_of(koploper), language)
