"""Read-only queries that return DataFrames for the pages.

Public reference data (koplopers, cohorts, questionnaire versions) takes no viewer and holds no
response counts; :func:`response_counts` counts responses, for the koplopers the viewer sees only.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter, require_koploper
from db.models import Cohort, Koploper, KoploperMember, QuestionnaireVersion, Response, Wave


def koplopers_by_cohort(session: Session) -> pd.DataFrame:
    """One row per koploper: cohort, name, kind, province, members of a region. No counts."""
    rows = session.execute(
        select(
            Cohort.code.label("cohort_code"),
            Cohort.name.label("cohort"),
            Koploper.slug,
            Koploper.name,
            Koploper.kind,
            Koploper.province,
        )
        .join(Koploper.cohort)
        .order_by(Cohort.start_date, Koploper.name)
    ).all()
    frame = pd.DataFrame(
        rows, columns=["cohort_code", "cohort", "slug", "name", "kind", "province"]
    )
    members: dict[str, list[str]] = {}
    for slug, member in session.execute(
        select(Koploper.slug, KoploperMember.name)
        .join(KoploperMember.koploper)
        .order_by(KoploperMember.name)
    ):
        members.setdefault(slug, []).append(member)
    frame["members"] = [", ".join(members.get(slug, [])) for slug in frame["slug"]]
    return frame


def cohorts(session: Session) -> pd.DataFrame:
    counts = (
        select(Koploper.cohort_id, func.count().label("koplopers"))
        .group_by(Koploper.cohort_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Cohort.code,
            Cohort.name,
            Cohort.start_date,
            func.coalesce(counts.c.koplopers, 0).label("koplopers"),
        )
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .order_by(Cohort.start_date)
    ).all()
    return pd.DataFrame(rows, columns=["code", "name", "start_date", "koplopers"])


def questionnaire_versions(session: Session) -> pd.DataFrame:
    """Every stored questionnaire version; no counts (see :func:`response_counts`)."""
    rows = session.execute(
        select(
            QuestionnaireVersion.key,
            QuestionnaireVersion.version,
            QuestionnaireVersion.title,
            QuestionnaireVersion.audience,
            QuestionnaireVersion.created_at,
            QuestionnaireVersion.checksum,
        ).order_by(QuestionnaireVersion.key, QuestionnaireVersion.version)
    ).all()
    return pd.DataFrame(
        rows, columns=["key", "version", "title", "audience", "created_at", "checksum"]
    )


COUNT_COLUMNS = [
    "koploper",
    "wave",
    "questionnaire",
    "questionnaire_version",
    "channel",
    "language",
    "is_demo",
    "responses",
]


def response_counts(session: Session, viewer: Viewer, koploper: str | None = None) -> pd.DataFrame:
    """Responses counted in SQL per koploper, wave, questionnaire version, channel, language, demo.

    Only the koplopers the viewer sees; a ``koploper`` out of scope raises AccessDenied. Sum the
    ``responses`` column over the groups a page needs (per koploper, per version, per wave…).
    """
    if koploper is not None:
        require_koploper(viewer, koploper)
    groups = (
        Koploper.slug,
        Wave.code,
        QuestionnaireVersion.key,
        QuestionnaireVersion.version,
        Response.channel,
        Response.language,
        Response.is_demo,
    )
    query = (
        select(*groups, func.count(Response.id))
        .select_from(Response)
        .join(Response.koploper)
        .join(Response.wave)
        .join(Response.questionnaire_version)
        .where(koploper_filter(viewer, Response.koploper_id))
        .group_by(*groups)
        .order_by(*groups)
    )
    if koploper is not None:
        query = query.where(Koploper.slug == koploper)
    return pd.DataFrame(session.execute(query).all(), columns=COUNT_COLUMNS)
