"""What the page "Veldwerk" reads: per koploper its waves with a status, and response counts.

Every function takes the :class:`~db.access.Viewer` and filters in SQL; ``koploper=`` narrows to
one koploper and raises :class:`~db.access.AccessDenied` when the viewer may not see it (or
:class:`~db.contacts.UnknownKoploper` when there is none). Responses are counted in the database
(``GROUP BY``), never loaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter, require_koploper
from db.contacts import find_koploper
from db.models import Koploper, QuestionnaireVersion, Response, Wave
from surveys.clock import dutch_day

WaveStatus = Literal["gepland", "open", "gesloten", "afgelopen"]
STATUS_MEANING: dict[str, str] = {
    "gepland": "begint later",
    "open": "de links werken",
    "gesloten": "gesloten door de beheerder",
    "afgelopen": "de einddatum is voorbij",
}
WAVE_COLUMNS = [
    "koploper",
    "koploper_name",
    "code",
    "label",
    "kind",
    "fieldwork_start",
    "fieldwork_end",
    "is_open",
    "access",
    "status",
]
COUNT_COLUMNS = ["koploper", "wave", "questionnaire", "channel", "language", "responses"]


def wave_status(is_open: bool, start: dt.date, end: dt.date, today: dt.date) -> WaveStatus:
    """One word for where a wave stands on ``today`` (a Dutch calendar day).

    ``afgelopen`` once its last day is past, open or not; ``gepland`` before its first day (an
    opened wave then starts by itself, a closed one still has to be opened); ``open`` when
    respondent links work; ``gesloten`` when the beheerder closed it during its dates.
    """
    if today > end:
        return "afgelopen"
    if today < start:
        return "gepland"
    return "open" if is_open else "gesloten"


def _scope(session: Session, viewer: Viewer, koploper: str | None) -> ColumnElement[bool] | None:
    """An extra WHERE on ``Koploper.slug`` for ``koploper=``, after checking the viewer's right."""
    if koploper is None:
        return None
    found = find_koploper(session, koploper.strip().lower())
    require_koploper(viewer, found.slug)
    return Koploper.slug == found.slug


def _where(query: Select, viewer: Viewer, one: ColumnElement[bool] | None) -> Select:
    return query.where(koploper_filter(viewer, Koploper.id), one if one is not None else true())


def koplopers_in_scope(session: Session, viewer: Viewer) -> pd.DataFrame:
    """The koplopers the viewer may see, by name: ``slug, name``."""
    rows = session.execute(
        _where(select(Koploper.slug, Koploper.name), viewer, None).order_by(Koploper.name)
    ).all()
    return pd.DataFrame(rows, columns=["slug", "name"])


def fieldwork_waves(
    session: Session,
    viewer: Viewer,
    *,
    koploper: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per wave of each koploper in scope, with its status on ``today`` (Dutch day)."""
    one = _scope(session, viewer, koploper)
    today = today or dutch_day()
    rows = session.execute(
        _where(
            select(
                Koploper.slug,
                Koploper.name,
                Wave.code,
                Wave.label,
                Wave.kind,
                Wave.fieldwork_start,
                Wave.fieldwork_end,
                Wave.is_open,
                Wave.access,
            ).join(Wave.koploper),
            viewer,
            one,
        ).order_by(Koploper.name, Wave.code)
    ).all()
    frame = pd.DataFrame(rows, columns=WAVE_COLUMNS[:-1])
    frame["status"] = [
        wave_status(bool(is_open), start, end, today)
        for is_open, start, end in zip(
            frame["is_open"], frame["fieldwork_start"], frame["fieldwork_end"], strict=True
        )
    ]
    return frame


def response_counts(
    session: Session,
    viewer: Viewer,
    *,
    koploper: str | None = None,
    include_demo: bool = True,
) -> pd.DataFrame:
    """Responses per koploper, wave, questionnaire (key), channel and language, counted in SQL.

    ``language`` is the register: ``nl`` (standard, B1) or ``nl-eenvoudig`` (easy read). Only
    combinations with at least one response appear; demo responses only with ``include_demo``.
    """
    one = _scope(session, viewer, koploper)
    group = (
        Koploper.slug,
        Wave.code,
        QuestionnaireVersion.key,
        Response.channel,
        Response.language,
    )
    rows = session.execute(
        _where(
            select(*group, func.count(Response.id))
            .select_from(Response)
            .join(Koploper, Koploper.id == Response.koploper_id)
            .join(Wave, Wave.id == Response.wave_id)
            .join(
                QuestionnaireVersion,
                QuestionnaireVersion.id == Response.questionnaire_version_id,
            ),
            viewer,
            one,
        )
        .where(true() if include_demo else Response.is_demo.is_(False))
        .group_by(*group)
        .order_by(*group)
    ).all()
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    frame["responses"] = frame["responses"].astype("int64")
    return frame
