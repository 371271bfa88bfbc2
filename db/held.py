"""Responses held for a check (``db.open_link``): listed, accepted or removed by a beheerder.

A held response is in no figure, count or export. Accepting moves it into ``responses`` through
``insert_responses`` (its answers, pack and idempotency key; so the data version changes and
every view counts it); removing deletes it. Both are one Logboek line per koploper, wave and
questionnaire, with counts only. A ``gemeente`` (and an ``onderzoeker``) sees how many wait for
its koplopers, nothing of them; an ``adviesraad`` nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer, koploper_filter, require_admin, require_koploper
from db.audit import record
from db.models import HeldResponse, Koploper, QuestionnaireVersion, Wave
from db.responses import NewResponse, insert_responses
from surveys.definition import from_stored
from surveys.vocabulary import QUESTIONNAIRES, wave_with_code


@dataclass(frozen=True)
class Held:
    """One held response as a beheerder sees it: when and where, and how much was answered."""

    id: int
    koploper: str
    wave: str
    questionnaire: str
    language: str
    submitted_at: dt.datetime
    answered: int
    """The number of questions answered (the answers themselves are not shown)."""


def describe(wave: str, questionnaire: str) -> str:
    """'Nulmeting (T0), vragenlijst Inwoners en cliënten': for the Logboek and the page."""
    return f"{wave_with_code(wave)}, vragenlijst {QUESTIONNAIRES.get(questionnaire, questionnaire)}"


def _rows(session: Session, where) -> list[tuple[HeldResponse, str, str, str]]:
    return list(
        session.execute(
            select(HeldResponse, Koploper.slug, Wave.code, QuestionnaireVersion.key)
            .join(Koploper, Koploper.id == HeldResponse.koploper_id)
            .join(Wave, Wave.id == HeldResponse.wave_id)
            .join(
                QuestionnaireVersion,
                QuestionnaireVersion.id == HeldResponse.questionnaire_version_id,
            )
            .where(where)
            .order_by(HeldResponse.submitted_at, HeldResponse.id)
        ).tuples()
    )


def held_responses(session: Session, viewer: Viewer, koploper: str) -> list[Held]:
    """The held responses of one koploper, oldest first; beheerder only."""
    require_admin(viewer)
    return [
        Held(row.id, slug, wave, survey, row.language, row.submitted_at, len(row.answers or {}))
        for row, slug, wave, survey in _rows(session, Koploper.slug == koploper)
    ]


def held_count(session: Session, viewer: Viewer, koploper: str) -> int:
    """How many responses of a koploper wait for a check: for every role but adviesraad."""
    if viewer.role == "adviesraad":
        raise AccessDenied("Uw rol geeft geen toegang tot antwoorden die wachten op controle.")
    require_koploper(viewer, koploper)
    query = (
        select(func.count(HeldResponse.id))
        .join(Koploper, Koploper.id == HeldResponse.koploper_id)
        .where(Koploper.slug == koploper, koploper_filter(viewer, Koploper.id))
    )
    return session.scalar(query) or 0


def held_per_koploper(session: Session, viewer: Viewer) -> dict[str, int]:
    """Koploper slug → how many of its responses wait, for the koplopers the viewer sees (only
    those with any); every role but adviesraad."""
    if viewer.role == "adviesraad":
        raise AccessDenied("Uw rol geeft geen toegang tot antwoorden die wachten op controle.")
    rows = session.execute(
        select(Koploper.slug, func.count(HeldResponse.id))
        .join(Koploper, Koploper.id == HeldResponse.koploper_id)
        .where(koploper_filter(viewer, Koploper.id))
        .group_by(Koploper.slug)
        .order_by(Koploper.slug)
    ).all()
    return {slug: int(count) for slug, count in rows}


def _audit(session: Session, viewer: Viewer, action: str, rows, verb: str) -> None:
    """One line per koploper × wave × questionnaire: how many, never which."""
    groups = Counter((slug, wave, survey) for _, slug, wave, survey in rows)
    for (slug, wave, survey), count in sorted(groups.items()):
        what = "1 antwoord" if count == 1 else f"{count} antwoorden"
        record(
            session,
            viewer,
            action,
            koploper=slug,
            detail=f"{what} {verb}: {describe(wave, survey)}",
        )


def accept_held(session: Session, viewer: Viewer, ids: Iterable[int]) -> int:
    """Count these held responses as any other from now on; beheerder only. Returns how many
    were moved (one accepted or removed meanwhile by someone else is left out)."""
    require_admin(viewer)
    rows = _take(session, ids)
    versions: dict[int, list[NewResponse]] = {}
    for row, *_ in rows:
        versions.setdefault(row.questionnaire_version_id, []).append(
            NewResponse(
                questionnaire_version_id=row.questionnaire_version_id,
                koploper_id=row.koploper_id,
                wave_id=row.wave_id,
                channel=row.channel,
                language=row.language,
                idempotency_key=row.idempotency_key,
                submitted_at=row.submitted_at,
                started_at=row.started_at,
                answers=dict(row.answers or {}),
            )
        )
    for version_id, responses in versions.items():
        definition = session.get(QuestionnaireVersion, version_id).definition
        insert_responses(session, from_stored(definition), responses)
    _audit(session, viewer, "held_accepted", rows, "geaccepteerd")
    return len(rows)


def remove_held(session: Session, viewer: Viewer, ids: Iterable[int]) -> int:
    """Delete these held responses for good; beheerder only. Returns how many."""
    require_admin(viewer)
    rows = _take(session, ids)
    _audit(session, viewer, "held_removed", rows, "verwijderd")
    return len(rows)


def _take(session: Session, ids: Iterable[int]) -> list[tuple[HeldResponse, str, str, str]]:
    """Delete these held responses and return those this transaction deleted: when two
    beheerders act on the same one at once, the second one's delete waits for the first and
    then finds it gone, so a response is never accepted twice, nor accepted and removed."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = _rows(session, HeldResponse.id.in_(wanted))
    deleted = set(
        session.scalars(
            delete(HeldResponse)
            .where(HeldResponse.id.in_(wanted))
            .returning(HeldResponse.id)
            .execution_options(synchronize_session=False)
        )
    )
    return [row for row in rows if row[0].id in deleted]
