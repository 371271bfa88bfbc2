"""What response rates are made of, per koploper × wave × questionnaire: invitation codes sent and
used, the days letters and reminders went out, and responses per Dutch calendar day, with a code
(``responses.invited``) and without one (the open link), counted apart.

Every function takes the :class:`~db.access.Viewer` and filters in SQL (a ``gemeente`` account
gets only its own koplopers); ``koploper=`` narrows to one koploper and raises
:class:`~db.access.AccessDenied` when the viewer may not see it (or
:class:`~db.contacts.UnknownKoploper` when there is none). Everything is counted in the database
(``GROUP BY``), never loaded row by row. The rate itself is worked out in
``measures.response_rates``.

A withdrawn batch keeps only what it gave: its used codes were sent and gave a response (counted
with a code), so they count in both ``sent`` and ``used``; its unused codes no longer count as
sent, and its letter days are not marked.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Select, case, func, select, true
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter, require_koploper
from db.contacts import find_koploper
from db.models import CodeBatch, InvitationCode, Koploper, QuestionnaireVersion, Response, Wave
from surveys.clock import dutch_day

INVITATION_COLUMNS = ["koploper", "wave", "questionnaire", "sent", "used"]
RESPONSE_COLUMNS = ["koploper", "wave", "questionnaire", "invited", "open"]
LETTER_COLUMNS = ["koploper", "wave", "questionnaire", "day", "kind"]
DAY_COLUMNS = ["koploper", "wave", "questionnaire", "day", "invited", "open"]
LETTERS, REMINDERS = "letters", "reminders"
"""The kinds of a letter day: the first letters, and the reminders."""


def _scope(session: Session, viewer: Viewer, koploper: str | None) -> ColumnElement[bool]:
    """The viewer's koplopers, narrowed to ``koploper`` (after checking the viewer's right)."""
    if koploper is None:
        return koploper_filter(viewer, Koploper.id)
    found = find_koploper(session, koploper.strip().lower())
    require_koploper(viewer, found.slug)
    return koploper_filter(viewer, Koploper.id) & (Koploper.slug == found.slug)


def _batches(query: Select, where: ColumnElement[bool]) -> Select:
    """``query`` over the batches of the koplopers in ``where``, withdrawn or not."""
    return (
        query.select_from(CodeBatch)
        .join(Koploper, Koploper.id == CodeBatch.koploper_id)
        .join(Wave, Wave.id == CodeBatch.wave_id)
        .where(where)
    )


def _live_batches(query: Select, where: ColumnElement[bool]) -> Select:
    """``query`` over the batches not withdrawn, of the koplopers in ``where``."""
    return _batches(query, where).where(CodeBatch.withdrawn_at.is_(None))


def invitation_counts(
    session: Session, viewer: Viewer, *, koploper: str | None = None
) -> pd.DataFrame:
    """Codes sent and used, per koploper, wave and questionnaire: ``koploper, wave,
    questionnaire, sent, used``; only combinations with codes appear. Sent: every code of a batch
    not withdrawn, and the used codes of a withdrawn batch (its uses stay counted)."""
    where = _scope(session, viewer, koploper)
    group = (Koploper.slug, Wave.code, CodeBatch.survey)
    used = func.sum(case((InvitationCode.used_on.is_not(None), 1), else_=0))
    counted = CodeBatch.withdrawn_at.is_(None) | InvitationCode.used_on.is_not(None)
    rows = session.execute(
        _batches(select(*group, func.count(InvitationCode.id), used), where)
        .join(InvitationCode, InvitationCode.batch_id == CodeBatch.id)
        .where(counted)
        .group_by(*group)
        .order_by(*group)
    ).all()
    frame = pd.DataFrame(rows, columns=INVITATION_COLUMNS)
    return frame.astype({"sent": "int64", "used": "int64"})


def letter_days(session: Session, viewer: Viewer, *, koploper: str | None = None) -> pd.DataFrame:
    """The days letters (``letters``) and reminders (``reminders``) of batches not withdrawn were
    printed: ``koploper, wave, questionnaire, day, kind``, each day once."""
    where = _scope(session, viewer, koploper)
    found = set()
    for column, kind in ((CodeBatch.letters_on, LETTERS), (CodeBatch.reminders_on, REMINDERS)):
        rows = session.execute(
            _live_batches(
                select(Koploper.slug, Wave.code, CodeBatch.survey, column).distinct(), where
            ).where(column.is_not(None))
        ).all()
        found |= {(*row, kind) for row in rows}
    return pd.DataFrame(sorted(found), columns=LETTER_COLUMNS)


def _responses(where: ColumnElement[bool], include_demo: bool, *columns) -> Select:
    return (
        select(*columns)
        .select_from(Response)
        .join(Koploper, Koploper.id == Response.koploper_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
        .where(where, true() if include_demo else Response.is_demo.is_(False))
    )


def _with_and_without_code() -> tuple[ColumnElement, ColumnElement]:
    invited = func.sum(case((Response.invited.is_(True), 1), else_=0))
    without = func.sum(case((Response.invited.is_(True), 0), else_=1))
    return invited, without


def response_counts_by_way_in(
    session: Session,
    viewer: Viewer,
    *,
    koploper: str | None = None,
    include_demo: bool = True,
) -> pd.DataFrame:
    """Responses with a code (``invited``) and without one (``open``: the open link) per
    koploper, wave and questionnaire; only combinations with responses appear."""
    where = _scope(session, viewer, koploper)
    group = (Koploper.slug, Wave.code, QuestionnaireVersion.key)
    rows = session.execute(
        _responses(where, include_demo, *group, *_with_and_without_code())
        .group_by(*group)
        .order_by(*group)
    ).all()
    frame = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return frame.astype({"invited": "int64", "open": "int64"})


def _hour(session: Session) -> ColumnElement:
    """The UTC hour of ``submitted_at`` (Dutch days start on a whole UTC hour)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", Response.submitted_at)
    return func.strftime("%Y-%m-%d %H:00:00", Response.submitted_at)


def responses_per_day(
    session: Session,
    viewer: Viewer,
    *,
    koploper: str | None = None,
    include_demo: bool = True,
) -> pd.DataFrame:
    """Responses per Dutch calendar day of sending, with a code (``invited``) and without
    (``open``), per koploper, wave and questionnaire: ``koploper, wave, questionnaire, day,
    invited, open``; only days with responses appear.

    Counted per UTC hour in SQL and then added up per Dutch day: the Netherlands is a whole
    number of hours from UTC, so each hour falls on one Dutch day."""
    where = _scope(session, viewer, koploper)
    hour = _hour(session).label("hour")
    group = (Koploper.slug, Wave.code, QuestionnaireVersion.key, hour)
    rows = session.execute(
        _responses(where, include_demo, *group, *_with_and_without_code()).group_by(*group)
    ).all()
    frame = pd.DataFrame(
        rows, columns=["koploper", "wave", "questionnaire", "hour", *DAY_COLUMNS[-2:]]
    )
    frame["day"] = [dutch_day(pd.Timestamp(hour).to_pydatetime()) for hour in frame["hour"]]
    frame = frame.groupby(DAY_COLUMNS[:4], as_index=False)[["invited", "open"]].sum()
    return frame[DAY_COLUMNS].astype({"invited": "int64", "open": "int64"}).reset_index(drop=True)
