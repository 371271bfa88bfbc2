"""Bursts through the open link: a complete response from a source that sent many just now is
held for a check instead of counted.

Anyone with the open link (a poster, a website) can send a questionnaire, and a script can send
fifty. Every complete open-link response therefore leaves one ``OpenArrival`` per source it came
from (a keyed hash of the browser and of the network address, ``db.sources``; never which
response). When one of its sources already had ``KOPLOPERMONITOR_BURST_COUNT`` (default 3)
arrivals within ``KOPLOPERMONITOR_BURST_MINUTES`` (default 10), the response, checked exactly as
any other, is stored as a ``HeldResponse``: apart from ``responses``, so in no figure, count or
export until a beheerder accepts it (``db.held``). The respondent sees the same thank-you screen.

Arrivals are kept to the minute and deleted once out of the window (``forget_arrivals``).
A response with an invitation code, or from a request without any known source, is never held.
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.audit import record
from db.drafts import delete_draft
from db.held import describe
from db.models import HeldResponse, OpenArrival, QuestionnaireVersion, Response, Wave
from db.responses import NewResponse, _check_fieldwork, store_response
from surveys.clock import utcnow
from surveys.definition import Questionnaire

DEFAULT_COUNT = 3
DEFAULT_MINUTES = 10


def burst_count() -> int:
    """How many open-link arrivals from one source within the window are counted as usual."""
    return max(1, int(os.environ.get("KOPLOPERMONITOR_BURST_COUNT", DEFAULT_COUNT)))


def burst_window() -> dt.timedelta:
    """How far back arrivals count towards a burst."""
    minutes = int(os.environ.get("KOPLOPERMONITOR_BURST_MINUTES", DEFAULT_MINUTES))
    return dt.timedelta(minutes=max(1, minutes))


def sent_already(session: Session, idempotency_key: str) -> tuple[int, bool] | None:
    """(id, held) of the response stored under this key, counted or held; None when neither."""
    counted = session.scalar(select(Response.id).where(Response.idempotency_key == idempotency_key))
    if counted is not None:
        return counted, False
    held = session.scalar(
        select(HeldResponse.id).where(HeldResponse.idempotency_key == idempotency_key)
    )
    return None if held is None else (held, True)


def _lock_sources(session: Session, sources: list[str]) -> None:
    """Let one send per source count and arrive at a time, so a script sending in parallel
    cannot slip its responses past the count (PostgreSQL: a lock per source until commit,
    taken in one order, so two sends never wait for each other in a circle; SQLite: a writing
    transaction holds the database's one write lock already)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for source in sorted(set(sources)):
        # The first 15 hex digits of the keyed hash fit a signed 64-bit lock key.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(source[:15], 16)})


def in_burst(session: Session, sources: list[str], now: dt.datetime) -> bool:
    """Whether any of the sources already had ``burst_count()`` arrivals within the window."""
    if not sources:
        return False
    busiest = session.scalar(
        select(func.count())
        .select_from(OpenArrival)
        .where(OpenArrival.source.in_(sorted(set(sources))), OpenArrival.at > now - burst_window())
        .group_by(OpenArrival.source)
        .order_by(func.count().desc())
        .limit(1)
    )
    return (busiest or 0) >= burst_count()


def forget_arrivals(session: Session, now: dt.datetime | None = None) -> None:
    """Delete the arrivals that fell out of the window: they matter only as long as a burst
    does. Called with every arrival and every draft saved, so none outlives the fieldwork's
    last minutes for long. Rows another transaction is deleting just now are left to it (``SKIP
    LOCKED`` on PostgreSQL): two never wait for each other over old rows, nor lock them in
    opposite orders."""
    old = (
        select(OpenArrival.id)
        .where(OpenArrival.at <= (now or utcnow()) - burst_window())
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(OpenArrival).where(OpenArrival.id.in_(old.scalar_subquery())))


def _arrive(session: Session, sources: list[str], now: dt.datetime) -> None:
    """One arrival per source, at the minute: not the response's own time to the second, so an
    arrival does not point at the response it came with."""
    forget_arrivals(session, now)
    minute = now.replace(second=0, microsecond=0)
    session.execute(
        insert(OpenArrival), [{"source": source, "at": minute} for source in sorted(set(sources))]
    )


def store_open(
    session: Session,
    questionnaire: Questionnaire,
    response: NewResponse,
    sources: list[str],
    resume_code: str | None = None,
) -> tuple[int, bool]:
    """Store a checked open-link response once, counted or held, in the caller's transaction;
    returns (id in its table, newly stored). A resend with the same idempotency key finds the
    first one in either table and stores nothing, nor counts an arrival.

    Raises ``FieldworkClosed`` as ``store_response`` does.
    """
    _check_fieldwork(session, response)
    _lock_sources(session, sources)
    found = sent_already(session, response.idempotency_key)
    if found is not None:
        if resume_code:
            delete_draft(session, resume_code)
        return found[0], False
    now = response.submitted_at
    hold = in_burst(session, sources, now)
    _arrive(session, sources, now)
    if not hold:
        return store_response(session, questionnaire, response, resume_code)
    return _hold(session, response, resume_code)


def _hold(session: Session, response: NewResponse, resume_code: str | None) -> tuple[int, bool]:
    """Keep the response apart, with one Logboek line (the koploper and the wave, no source)."""
    try:
        with session.begin_nested():
            held = HeldResponse(
                questionnaire_version_id=response.questionnaire_version_id,
                koploper_id=response.koploper_id,
                wave_id=response.wave_id,
                channel=response.channel,
                language=response.language,
                answers=dict(response.answers),
                started_at=response.started_at,
                submitted_at=response.submitted_at,
                idempotency_key=response.idempotency_key,
            )
            session.add(held)
            session.flush()
        held_id, created = held.id, True
    except IntegrityError:  # the same response, sent twice at once: the first one stays
        found = sent_already(session, response.idempotency_key)
        if found is None:
            raise
        held_id, created = found[0], False
    if resume_code:
        delete_draft(session, resume_code)
    if created:
        wave = session.get(Wave, response.wave_id)
        survey = session.get(QuestionnaireVersion, response.questionnaire_version_id).key
        record(
            session,
            "",
            "response_held",
            koploper=wave.koploper.slug,
            detail=describe(wave.code, survey),
            at=response.submitted_at,
        )
    return held_id, created
