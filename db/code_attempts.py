"""Wrong invitation codes per source, so that guessing codes is bounded across server processes.

A source is a keyed hash of a browser or a network address (``db.sources.source_keys``). Every
wrong code counts against every source of the request; :data:`MAX_WRONG` wrong codes within
:data:`WINDOW` pause code entry for that source for :data:`PAUSE`, with one Logboek line
(``code_gepauzeerd``; never the code typed). A right code changes no count: not its own source's
(one valid code must not buy an attacker more guesses) and certainly not another's.

The count is a row per source in ``code_attempts``, locked before the code is looked up
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writing transactions are ``BEGIN IMMEDIATE``,
see ``db.engine``), so codes typed at once from one source are checked one after another and none
slips past a pause; a new row is made with a savepoint that yields to a parallel insert, as
``db.logins`` does for ``login_throttle``. The window is fixed: it starts at the first wrong code
after the last pause or window (so at most 2 × 9 wrong codes can fall within 15 minutes across
its end).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.audit import ANONYMOUS, record
from db.models import CodeAttempt

MAX_WRONG = 10
WINDOW = dt.timedelta(minutes=15)
PAUSE = dt.timedelta(minutes=15)


def forget_attempts(session: Session, now: dt.datetime) -> None:
    """Delete the counts that no longer matter (a window or a pause over): a source's keyed hash
    is kept at most a window and a pause long (30 minutes). Rows another transaction holds are
    left to it (``SKIP LOCKED`` on PostgreSQL), so this never waits on someone else's code."""
    stale = (
        select(CodeAttempt.source)
        .where(
            or_(
                CodeAttempt.locked_until <= now,
                (CodeAttempt.locked_until.is_(None))
                & (CodeAttempt.first_failure_at <= now - WINDOW),
            )
        )
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(CodeAttempt).where(CodeAttempt.source.in_(stale.scalar_subquery())))


def paused(session: Session, sources: list[str], now: dt.datetime) -> bool:
    """Whether code entry is paused for any of the sources; their rows stay locked until the
    caller's transaction ends, so a code typed at the same moment from the same source is
    looked up only after this one is counted (and then finds the pause it caused)."""
    if not sources:
        return False
    forget_attempts(session, now)
    query = (
        select(CodeAttempt)
        .where(CodeAttempt.source.in_(sorted(set(sources))))
        .order_by(CodeAttempt.source)  # one order everywhere: no two requests lock crosswise
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return any(
        attempt.locked_until is not None and attempt.locked_until > now
        for attempt in session.scalars(query)
    )


def _attempt(session: Session, source: str, now: dt.datetime) -> CodeAttempt:
    """The source's row under its lock; made now when there is none (or a parallel one's)."""
    found = session.get(CodeAttempt, source, with_for_update=True, populate_existing=True)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            found = CodeAttempt(source=source, failures=0, first_failure_at=now)
            session.add(found)
        return found
    except IntegrityError:
        return session.get(CodeAttempt, source, with_for_update=True, populate_existing=True)


def count_wrong(session: Session, sources: list[str], now: dt.datetime) -> bool:
    """Count one wrong code against every source; True when code entry is paused now for one
    of them (by this code, or by a request that got there first)."""
    pausing, was_paused = False, False
    for source in sorted(set(sources)):  # one order everywhere: no two requests lock crosswise
        attempt = _attempt(session, source, now)
        if attempt.locked_until is not None and attempt.locked_until > now:
            was_paused = True  # a request sent at the same moment, before this row existed
            continue
        if attempt.locked_until is not None or attempt.first_failure_at <= now - WINDOW:
            attempt.failures, attempt.first_failure_at, attempt.locked_until = 0, now, None
        attempt.failures += 1
        if attempt.failures >= MAX_WRONG:
            attempt.locked_until = now + PAUSE
            pausing = True
    if pausing:
        minutes = int(PAUSE.total_seconds() // 60)
        record(
            session,
            ANONYMOUS,
            "code_gepauzeerd",  # the name issue 19's contract gives it
            outcome="refused",
            detail=f"{MAX_WRONG} onjuiste codes binnen {int(WINDOW.total_seconds() // 60)} "
            f"minuten vanaf één browser of netwerkadres: {minutes} minuten gepauzeerd",
            at=now,
        )
    session.flush()
    return pausing or was_paused
