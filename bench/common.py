"""What the benchmarks share: their arguments and one database filled with demo responses."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Answer, Response
from db.setup import init_database

FULL, QUICK = (700, 730), (68, 75)
"""Responses per koploper, wave and questionnaire: 1,000,000 answers, or a tenth."""


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def filled(url: str, quick: bool) -> sessionmaker:
    """The database at ``url``, created and filled by the demo generator (28 koplopers, two
    waves, two questionnaires); refuses one that already holds responses."""
    init_database(url)
    factory = get_sessionmaker(url)
    start = time.perf_counter()
    with factory.begin() as session:
        if session.scalar(select(func.count(Response.id))):
            raise SystemExit("the database already holds responses: use an empty scratch database")
        seed_demo(session, sizes=QUICK if quick else FULL)
    with factory() as session:
        responses = session.scalar(select(func.count(Response.id)))
        answers = session.scalar(select(func.count(Answer.id)))
    print(f"database: {url.split('@')[-1]}")
    print(
        f"filled with {responses:,} responses and {answers:,} answers "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return factory


def timed(work: Callable[[], object], rounds: int) -> tuple[list[float], object]:
    """The wall-clock time of each of ``rounds`` runs of ``work``, and its last result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return times, result


def show(name: str, times: list[float], goal: str = "", width: int = 34, places: int = 3) -> float:
    """Print the median and every run; returns the median."""
    middle = statistics.median(times)
    runs = ", ".join(f"{t:.{places}f}" for t in times)
    print(f"{name:<{width}} median {middle:{places + 4}.{places}f} s   (runs {runs})  {goal}")
    return middle
