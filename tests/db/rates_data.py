"""Invitation batches, codes and responses put in with the ORM, for the response-rate tests
(``db.response_rates``, Veldwerk, Vergelijken)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CodeBatch, InvitationCode, Koploper, Response, Wave
from db.questionnaires import latest_version
from surveys.clock import start_of_dutch_day
from surveys.codes import new_code


def ids(session: Session, slug: str, wave: str) -> tuple[int, int]:
    """The koploper's id and the id of its ``wave``."""
    return session.execute(
        select(Koploper.id, Wave.id)
        .join(Wave.koploper)
        .where(Koploper.slug == slug, Wave.code == wave)
    ).one()


def add_batch(
    session: Session,
    slug: str,
    wave: str,
    survey: str,
    count: int,
    used_on: list[dt.date] = (),
    *,
    withdrawn: bool = False,
    letters_on: dt.date | None = None,
    reminders_on: dt.date | None = None,
    first_letter: int = 1,
) -> CodeBatch:
    """A batch of ``count`` codes, the first ``len(used_on)`` used on those days."""
    koploper_id, wave_id = ids(session, slug, wave)
    batch = CodeBatch(
        koploper_id=koploper_id,
        wave_id=wave_id,
        survey=survey,
        language="nl",
        created_by="test@example.nl",
        withdrawn_at=dt.datetime(2026, 1, 1) if withdrawn else None,
        letters_on=letters_on,
        reminders_on=reminders_on,
    )
    session.add(batch)
    session.flush()
    days = list(used_on)
    session.add_all(
        InvitationCode(
            batch_id=batch.id,
            letter_number=first_letter + number,
            code=new_code(),
            used_on=days[number] if number < len(days) else None,
        )
        for number in range(count)
    )
    session.flush()
    return batch


def add_responses(
    session: Session,
    slug: str,
    wave: str,
    survey: str,
    day: dt.date,
    count: int,
    *,
    invited: bool,
    hour: int = 12,
    demo: bool = False,
) -> None:
    """``count`` responses sent at ``hour`` o'clock (Dutch time) on ``day``."""
    koploper_id, wave_id = ids(session, slug, wave)
    version = latest_version(session, survey)
    moment = start_of_dutch_day(day) + dt.timedelta(hours=hour)
    session.add_all(
        Response(
            questionnaire_version_id=version.id,
            koploper_id=koploper_id,
            wave_id=wave_id,
            channel="demo" if demo else "web",
            language="nl",
            submitted_at=moment,
            idempotency_key=secrets.token_hex(16),
            is_demo=demo,
            invited=invited,
        )
        for _ in range(count)
    )
    session.flush()
