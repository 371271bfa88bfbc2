"""The beheerder's hand on fieldwork: open a wave, close it, change its dates.

Each function takes the acting :class:`~db.access.Viewer` (``db.access.command_line()`` for
``python -m db open-wave`` and ``close-wave``), refuses anyone but a beheerder, checks the input
with a Dutch message (:class:`WaveError`, ``ContactMissing``, ``LookupError``) and writes an audit
line in the caller's transaction: a refused change leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import Viewer, require_admin
from db.audit import record
from db.contacts import find_koploper
from db.fieldwork import set_wave_open
from db.models import Wave
from surveys.clock import dutch_date, dutch_day
from surveys.vocabulary import ACCESS

EARLIEST = dt.date(2017, 1, 1)
"""The first cohort started in 2017: an earlier date is a typing error."""
LATEST_YEARS = 10


class WaveError(ValueError):
    """Dates or a wave that cannot be; the message (Dutch) says what to change."""


def find_wave(session: Session, slug: str, code: str) -> Wave:
    koploper = find_koploper(session, slug.strip().lower())
    wave = session.scalar(
        select(Wave).where(Wave.koploper_id == koploper.id, Wave.code == code.strip().upper())
    )
    if wave is None:
        raise LookupError(f"Geen meting '{code[:10]}' bij koploper '{koploper.slug}'.")
    return wave


def _check_day(day: dt.date, what: str) -> None:
    latest = dt.date(dutch_day().year + LATEST_YEARS, 12, 31)
    if not EARLIEST <= day <= latest:
        raise WaveError(
            f"De {what} {dutch_date(day)} kan niet: kies een datum tussen "
            f"{dutch_date(EARLIEST)} en {dutch_date(latest)}."
        )


def open_wave(
    session: Session,
    actor: Viewer,
    slug: str,
    code: str,
    until: dt.date | None = None,
    *,
    access: str | None = None,
) -> Wave:
    """Open a wave from today until ``until`` (default 30 days); needs the koploper's contact.

    ``access`` (``surveys.vocabulary.ACCESS``: codes, open or both) sets how respondents get in;
    ``None`` leaves it as it was.
    """
    require_admin(actor)
    if access is not None and access not in ACCESS:
        raise WaveError(f"Toegang '{access[:10]}' bestaat niet; kies {', '.join(ACCESS)}.")
    wave = find_wave(session, slug, code)
    if until is not None:
        _check_day(until, "einddatum")
        if until < dutch_day():
            raise WaveError(
                f"De einddatum {dutch_date(until)} ligt in het verleden. Kies vandaag of later."
            )
    set_wave_open(session, wave.koploper.slug, wave.code, until)
    if access is not None:
        wave.access = access
        session.flush()
    record(
        session,
        actor,
        "wave_opened",
        koploper=wave.koploper.slug,
        detail=f"{wave.code} open van {dutch_date(wave.fieldwork_start)} tot en met "
        f"{dutch_date(wave.fieldwork_end)}; toegang: {ACCESS[wave.access].lower()}",
    )
    return wave


def close_wave(session: Session, actor: Viewer, slug: str, code: str) -> Wave:
    """Close a wave: its respondent links stop working straight away."""
    require_admin(actor)
    wave = find_wave(session, slug, code)
    set_wave_open(session, wave.koploper.slug, wave.code, None, is_open=False)
    record(session, actor, "wave_closed", koploper=wave.koploper.slug, detail=wave.code)
    return wave


def set_wave_dates(
    session: Session, actor: Viewer, slug: str, code: str, start: dt.date, end: dt.date
) -> Wave:
    """Set a wave's first and last day of fieldwork (Dutch calendar days, both included).

    An open wave keeps running: its last day cannot then be in the past (close it instead).
    """
    require_admin(actor)
    wave = find_wave(session, slug, code)
    _check_day(start, "begindatum")
    _check_day(end, "einddatum")
    if end < start:
        raise WaveError(
            f"De einddatum {dutch_date(end)} ligt vóór de begindatum {dutch_date(start)}. "
            "Kies een einddatum op of na de begindatum."
        )
    if wave.is_open and end < dutch_day():
        raise WaveError(
            f"Meting {wave.code} staat open, dus de einddatum kan niet in het verleden liggen. "
            "Kies vandaag of later, of sluit de meting."
        )
    before = f"{dutch_date(wave.fieldwork_start)} tot en met {dutch_date(wave.fieldwork_end)}"
    wave.fieldwork_start, wave.fieldwork_end = start, end
    session.flush()
    record(
        session,
        actor,
        "wave_dates",
        koploper=wave.koploper.slug,
        detail=f"{wave.code}: {before} → {dutch_date(start)} tot en met {dutch_date(end)}",
    )
    return wave
