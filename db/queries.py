"""Read-only queries that return DataFrames for the pages.

Public reference data (koplopers, cohorts) takes no viewer and holds no
response counts (those are in ``db.fieldwork_overview``, for the koplopers the viewer sees only).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Cohort, Koploper, KoploperMember


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
