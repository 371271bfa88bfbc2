"""What the page "Mijn koploper" reads besides the responses (``db.read_model``): the koploper's
facts for counting, the wording of its questionnaires, and its open answers.

Each function checks the viewer: the viewer must see the koploper (``require_koploper``), and
open answers need that right too. Counting, figures and what is kept in memory are for
``views.dashboard``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer, require_koploper
from db.contacts import find_koploper
from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave
from db.questionnaires import wording_changes_of

OPEN_ANSWER_COLUMNS = ["wave", "questionnaire", "question", "answer", "day"]
MAX_OPEN_ANSWERS = 500
VERSION_COLUMNS = ["wave", "questionnaire", "version", "responses"]


@dataclass(frozen=True)
class KoploperFacts:
    """What counting one koploper's dashboard for one viewer needs besides the responses: the
    koploper (slug and id), the ids of its cohort (itself included) and of the koplopers the
    viewer sees by name (they do not make a pool anonymous), and its responses per wave,
    questionnaire and version (``versions``). Ids as in ``db.read_model.PackRead.meta``."""

    slug: str
    id: int
    cohort: frozenset[int]
    known: frozenset[int]
    versions: pd.DataFrame


def _joined(query: Select) -> Select:
    return (
        query.join(Koploper, Koploper.id == Response.koploper_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
    )


def koploper_facts(
    session: Session, viewer: Viewer, koploper: str, include_demo: bool = True
) -> KoploperFacts:
    """The facts of ``koploper`` for ``viewer`` (``AccessDenied`` when the viewer may not see
    it, ``UnknownKoploper`` when there is none)."""
    require_koploper(viewer, koploper)
    own = find_koploper(session, koploper)
    cohort = frozenset(
        session.scalars(select(Koploper.id).where(Koploper.cohort_id == own.cohort_id))
    )
    wave = Wave.code.label("wave")
    key = QuestionnaireVersion.key.label("questionnaire")
    demo = [] if include_demo else [Response.is_demo.is_(False)]
    query = (
        _joined(select(wave, key, QuestionnaireVersion.version, func.count()).select_from(Response))
        .where(Response.koploper_id == own.id, *demo)
        .group_by(wave, key, QuestionnaireVersion.version)
    )
    versions = pd.DataFrame(session.execute(query).all(), columns=VERSION_COLUMNS)
    known = frozenset() if viewer.sees_all else frozenset(viewer.koploper_ids)
    return KoploperFacts(own.slug, own.id, cohort, known, versions)


def wording_changes(
    session: Session, viewer: Viewer, koploper: str
) -> dict[str, dict[str, list[int]]]:
    """Per questionnaire, item → the versions from which its question was worded differently.

    Questionnaire definitions are public; the viewer is checked for the koploper all the same.
    """
    require_koploper(viewer, koploper)
    keys = session.scalars(select(distinct(QuestionnaireVersion.key))).all()
    return {key: wording_changes_of(session, key) for key in keys}


def open_answers(
    session: Session,
    viewer: Viewer,
    koploper: str,
    search: str = "",
    include_demo: bool = True,
    limit: int = MAX_OPEN_ANSWERS,
) -> pd.DataFrame:
    """The koploper's open answers (newest first), optionally those containing ``search``;
    ``question`` is the item's key (``views.dashboard.open_answers`` puts its text there).

    Only for a viewer who reads open text (``Viewer.reads_free_text``); the day of sending, never
    the time. ``search`` is matched case-insensitively as plain text (a bound parameter; ``%`` and
    ``_`` match themselves).
    """
    require_koploper(viewer, koploper)
    if not viewer.reads_free_text:
        raise AccessDenied("Uw account mag de open antwoorden niet lezen.", koploper)
    own = find_koploper(session, koploper)
    query = (
        _joined(
            select(
                Wave.code,
                QuestionnaireVersion.key,
                Answer.item_key,
                Answer.text,
                Response.submitted_at,
            )
            .select_from(Answer)
            .join(Response, Response.id == Answer.response_id)
        )
        .where(Response.koploper_id == own.id, Answer.text.is_not(None))
        .order_by(Response.submitted_at.desc(), Answer.id.desc())
        .limit(limit)
    )
    if not include_demo:
        query = query.where(Response.is_demo.is_(False))
    needle = search.strip()
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Answer.text).like(f"%{escaped.lower()}%", escape="\\"))
    rows = session.execute(query).all()
    return pd.DataFrame(
        [(wave, q, item, text, submitted.date()) for wave, q, item, text, submitted in rows],
        columns=OPEN_ANSWER_COLUMNS,
    )
