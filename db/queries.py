"""Read-only queries that return DataFrames for the pages."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Cohort, Koploper, KoploperMember, QuestionnaireVersion, Response


def koplopers_by_cohort(session: Session) -> pd.DataFrame:
    """One row per koploper: cohort, name, kind, province, members of a region, responses."""
    responses = (
        select(Response.koploper_id, func.count().label("responses"))
        .group_by(Response.koploper_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Cohort.code.label("cohort_code"),
            Cohort.name.label("cohort"),
            Koploper.slug,
            Koploper.name,
            Koploper.kind,
            Koploper.province,
            func.coalesce(responses.c.responses, 0).label("responses"),
        )
        .join(Koploper.cohort)
        .outerjoin(responses, responses.c.koploper_id == Koploper.id)
        .order_by(Cohort.start_date, Koploper.name)
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=["cohort_code", "cohort", "slug", "name", "kind", "province", "responses"],
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
    responses = (
        select(Response.questionnaire_version_id, func.count().label("responses"))
        .group_by(Response.questionnaire_version_id)
        .subquery()
    )
    rows = session.execute(
        select(
            QuestionnaireVersion.key,
            QuestionnaireVersion.version,
            QuestionnaireVersion.title,
            QuestionnaireVersion.audience,
            QuestionnaireVersion.created_at,
            QuestionnaireVersion.checksum,
            func.coalesce(responses.c.responses, 0).label("responses"),
        )
        .outerjoin(responses, responses.c.questionnaire_version_id == QuestionnaireVersion.id)
        .order_by(QuestionnaireVersion.key, QuestionnaireVersion.version)
    ).all()
    return pd.DataFrame(
        rows,
        columns=["key", "version", "title", "audience", "created_at", "checksum", "responses"],
    )
