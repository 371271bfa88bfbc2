"""Questionnaire versions in the database: same content, same version; a change, a new one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import QuestionnaireVersion
from surveys.definition import Questionnaire, builtin_paths, checksum, read_definition


def register_definition(
    session: Session, questionnaire: Questionnaire, raw: dict[str, Any]
) -> tuple[QuestionnaireVersion, bool]:
    """The stored version for this exact content, created when new; returns (version, created)."""
    digest = checksum(raw)
    found = session.scalar(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.key == questionnaire.key, QuestionnaireVersion.checksum == digest
        )
    )
    if found is not None:
        return found, False
    latest = session.scalar(
        select(func.max(QuestionnaireVersion.version)).where(
            QuestionnaireVersion.key == questionnaire.key
        )
    )
    version = QuestionnaireVersion(
        key=questionnaire.key,
        version=(latest or 0) + 1,
        audience=questionnaire.audience,
        title=questionnaire.title["nl"],
        definition=raw,
        checksum=digest,
    )
    session.add(version)
    session.flush()
    return version, True


def register_builtin_definitions(session: Session) -> list[tuple[QuestionnaireVersion, bool]]:
    """Check every YAML definition first, then record each; a broken file records nothing."""
    checked = [read_definition(path) for path in builtin_paths()]
    return [register_definition(session, q, raw) for q, raw in checked]


def latest_version(session: Session, key: str) -> QuestionnaireVersion | None:
    return session.scalar(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.key == key)
        .order_by(QuestionnaireVersion.version.desc())
        .limit(1)
    )
