"""Every subgroup of a koploper counted in the background after the page's first view, so that
a subgroup chosen later only needs its figures.

One thread for the whole process (``views.background``) does the requests one by one; what it
counts is kept in ``views.cache`` per viewer, koploper and data version, and taken from there by
``views.dashboard`` (the same tables either way).
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.access import Viewer, viewer_key
from db.contacts import find_koploper
from db.read_model import DataVersion, check_reader, data_version
from measures.counts import GroupCounts
from measures.indicators import IndicatorSet, load_indicators
from measures.subgroups import subgroup_choices
from views.background import Worker
from views.cache import place_of
from views.dashboard import kept_counts, prepare

_WORKER = Worker("koplopermonitor-subgroups")
PAUSE = 0.01
"""Seconds the background thread rests between two subgroups, so that a page script that wants
the interpreter (Python runs one thread at a time) gets it between two subgroups; a click within
the first second after a view still shares it with the counting."""


def count_subgroups_later(
    session: Session,
    viewer: Viewer,
    koploper: str,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> Future[dict[str, GroupCounts]]:
    """Count every subgroup of ``koploper`` for ``viewer`` in the background, so that choosing
    one later takes its tables from memory (``views.dashboard``) and leaves only the figures to
    compute. Returns at once.

    The viewer is checked now: ``AccessDenied`` (or ``UnknownKoploper``) before anything is
    queued. Nothing is queued when every subgroup is counted for this data version already (the
    future is done) or when the same request is still waiting (its future is returned). The
    thread reads what it needs with a session of its own on the same engine (the responses
    only when the data version is new: ``views.responses``), closes it, and counts subgroup by
    subgroup, resting ``PAUSE`` between them. A failure is logged and kept in the future; the
    caller never waits for it, unless it wants to (tests, the benchmark: ``wait_for_counting``).

    ``version``: the data version the caller read just now (the page has it), to spare a query.
    An older one can only make this skip or repeat work: what is served is checked against the
    data version of the moment.
    """
    indicators = indicators or load_indicators()
    check_reader(viewer, koploper)
    own = find_koploper(session, koploper).slug
    version = data_version(session) if version is None else version
    place = place_of(session, include_demo, indicators)
    wanted: list[str | None] = list(subgroup_choices(indicators))
    counted = kept_counts(place, version, indicators, viewer, own, wanted)
    if len(counted) == len(wanted):
        done: Future[dict[str, GroupCounts]] = Future()
        done.set_result(counted)
        return done
    engine = session.get_bind().engine
    return _WORKER.submit(
        (place, viewer_key(viewer), own, version),
        partial(_count_subgroups, engine, viewer, own, wanted, include_demo, indicators),
        label=f"counting the subgroups of {own}",
    )


def _count_subgroups(
    engine: Engine,
    viewer: Viewer,
    koploper: str,
    wanted: list[str | None],
    include_demo: bool,
    indicators: IndicatorSet,
) -> dict[str | None, GroupCounts]:
    """In the background thread: every subgroup in ``wanted`` counted and kept."""
    with Session(engine) as session:
        _, views, counter = prepare(session, viewer, koploper, wanted, include_demo, indicators)
    for subgroup in wanted:
        if subgroup not in views and counter is not None:
            time.sleep(PAUSE)
            views[subgroup] = counter.count(subgroup)
            counter.keep(koploper, subgroup, views[subgroup])
    return views


def wait_for_counting(timeout: float | None = None) -> bool:
    """Wait until the background thread has done every request made so far; False when
    ``timeout`` (seconds) ran out first. For tests and benchmarks: a page never waits."""
    return _WORKER.wait(timeout)
