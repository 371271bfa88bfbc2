"""Questionnaire versions in the database: immutable, numbered as the definition says.

A definition file states its own ``version``. Registering it stores that version once; the same
content again changes nothing. Refused, with a Dutch message, and nothing stored:

- other content under a version number that is already stored (raise ``version``);
- a new version numbered below a stored one;
- an item key that keeps its name but changes its type or answer codes compared with any stored
  version of the questionnaire (a key means one thing in every version: use a new key).

A changed wording is allowed; ``wording_changes_of`` tells from which versions an item was asked
differently. Rows stored before definitions carried a number (no ``version`` in the stored
definition) do not hold their number against a file: new content then gets the next free number.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import QuestionnaireVersion
from surveys.definition import (
    VERSION_FIELD,
    DefinitionError,
    Questionnaire,
    builtin_paths,
    checksum,
    from_stored,
    read_definition,
)
from surveys.versions import meaning_changes, wording_changes

log = logging.getLogger(__name__)


def _stored_versions(session: Session, key: str) -> list[QuestionnaireVersion]:
    return list(
        session.scalars(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.key == key)
            .order_by(QuestionnaireVersion.version)
        )
    )


def _readable(stored: list[QuestionnaireVersion]) -> dict[int, Questionnaire]:
    """The stored versions as checked models, by number.

    A stored definition that no longer passes today's checks (only possible in a database older
    than those checks) cannot be compared, so it is left out, with a warning in the log.
    """
    readable: dict[int, Questionnaire] = {}
    for version in stored:
        try:
            readable[version.version] = from_stored(version.definition)
        except DefinitionError as exc:
            log.warning("versie %s v%s niet leesbaar: %s", version.key, version.version, exc)
    return readable


def _refuse(questionnaire: Questionnaire, problem: str) -> DefinitionError:
    return DefinitionError([f"{questionnaire.key}.yaml: {problem}"])


def _number(questionnaire: Questionnaire, stored: list[QuestionnaireVersion]) -> int:
    """The version number new content gets; DefinitionError when the file's number cannot be."""
    latest = max((v.version for v in stored), default=0)
    wanted = questionnaire.version
    if wanted is None:  # a definition that names no number: the next one
        return latest + 1
    blocking = [v for v in stored if VERSION_FIELD in v.definition and v.version >= wanted]
    if not blocking:
        return wanted if wanted > latest else latest + 1
    clash = any(v.version == wanted for v in blocking)
    what = "is al opgeslagen met een andere inhoud" if clash else "ligt onder een opgeslagen versie"
    raise _refuse(
        questionnaire,
        f"versie {wanted} van vragenlijst '{questionnaire.key}' {what}. Een opgeslagen versie "
        f"verandert nooit: verhoog 'version' naar {latest + 1}.",
    )


def register_definition(
    session: Session, questionnaire: Questionnaire, raw: dict[str, Any]
) -> tuple[QuestionnaireVersion, bool]:
    """The stored version for this exact content, created when new; returns (version, created).

    Raises ``DefinitionError`` (Dutch, one line per problem) when the version number or an item
    key's meaning does not fit the versions already stored.
    """
    digest = checksum(raw)
    stored = _stored_versions(session, questionnaire.key)
    found = next((v for v in stored if v.checksum == digest), None)
    if found is not None:
        numbered = VERSION_FIELD in found.definition and questionnaire.version is not None
        if numbered and found.version != questionnaire.version:
            raise _refuse(
                questionnaire,
                f"versie {questionnaire.version} heeft dezelfde inhoud als opgeslagen versie "
                f"{found.version}; een nieuw versienummer hoort bij een nieuwe inhoud. Zet "
                f"'version' terug op {found.version}.",
            )
        return found, False
    number = _number(questionnaire, stored)
    problems = meaning_changes(_readable(stored), questionnaire)
    if problems:
        raise DefinitionError([f"{questionnaire.key}.yaml: {problem}" for problem in problems])
    definition = raw if VERSION_FIELD not in raw else {**raw, VERSION_FIELD: number}
    version = QuestionnaireVersion(
        key=questionnaire.key,
        version=number,
        audience=questionnaire.audience,
        title=questionnaire.title["nl"],
        definition=definition,
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


def wording_changes_of(session: Session, key: str) -> dict[str, list[int]]:
    """Per item key of a questionnaire, the stored versions from which its wording changed.

    Map the versions to the waves that used them to say "vraag anders gesteld sinds T1".
    """
    return wording_changes(_readable(_stored_versions(session, key)))
