"""Benchmark of sending one response: the pandera check plus the store, against a raw insert.

In one run, on the same database and the same answers, it times:

- ``check``: ``validate_response`` alone (the pandera schema generated from the questionnaire);
- ``check + store``: ``submit_response``, what the respondent page calls (check, prune, one
  transaction with the idempotency key);
- ``raw insert``: one ``responses`` row and its ``answers`` rows with plain SQLAlchemy Core
  ``INSERT`` statements in one transaction, no check at all.

and reports the median and p95 of each and the ratio of ``check + store`` to ``raw insert``.
Goal (issue 3): check-and-store within 5× the raw insert. Run from the repository root:

    python bench/submit.py                       # embedded SQLite in a temporary folder
    python bench/submit.py --database-url URL    # e.g. PostgreSQL
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

sys.path[0] = str(Path(__file__).resolve().parents[1])

from sqlalchemy import insert  # noqa: E402

from db.contacts import set_contact  # noqa: E402
from db.engine import get_sessionmaker  # noqa: E402
from db.fieldwork import resolve_link, set_wave_open  # noqa: E402
from db.models import Answer, Response, utcnow  # noqa: E402
from db.responses import answer_rows  # noqa: E402
from db.setup import init_database  # noqa: E402
from db.submit import submit_response  # noqa: E402
from surveys.definition import load_builtin  # noqa: E402
from surveys.synthetic import generate  # noqa: E402
from surveys.validation import validate_response  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        init_database(url)
        factory = get_sessionmaker(url)
        with factory.begin() as session:
            set_contact(session, "almere", phone="14 036")
            set_wave_open(session, "almere", "T2", None)
        with factory() as session:
            fieldwork = resolve_link(session, "client", "almere", "T2")
        questionnaire = load_builtin("client")
        # Respondents who used client support: the longest path through the questionnaire.
        drawn = generate(questionnaire, 4 * args.rounds, np.random.default_rng(1)).answers()
        answers_pool = [answers for answers in drawn if answers.get("used_oco") == 1][: args.rounds]
        context = dict(
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
        )

        def raw(answers: dict) -> None:
            with factory.begin() as session:
                response_id = session.execute(
                    insert(Response).returning(Response.id),
                    dict(
                        context,
                        channel="web",
                        language="nl",
                        submitted_at=utcnow(),
                        idempotency_key=uuid.uuid4().hex,
                        is_demo=False,
                    ),
                ).scalar_one()
                session.execute(
                    insert(Answer),
                    [
                        dict(row, response_id=response_id)
                        for row in answer_rows(questionnaire, answers)
                    ],
                )

        def check(answers: dict) -> None:
            assert not validate_response(questionnaire, answers)

        def check_and_store(answers: dict) -> None:
            with factory.begin() as session:
                submit_response(
                    session,
                    questionnaire,
                    answers=answers,
                    language="nl",
                    idempotency_key=uuid.uuid4().hex,
                    **context,
                )

        timings: dict[str, list[float]] = {"raw insert": [], "check": [], "check + store": []}
        runs = {"raw insert": raw, "check": check, "check + store": check_and_store}
        for run in runs.values():  # warm-up: schema cache, connection pool, statements
            for answers in answers_pool[:20]:
                run(answers)
        # Interleaved, so a slow moment of the machine hits all three alike.
        for answers in answers_pool:
            for name, run in runs.items():
                start = time.perf_counter()
                run(answers)
                timings[name].append((time.perf_counter() - start) * 1000)

    print(
        f"database: {url.split(':')[0]}, {args.rounds} rounds, "
        f"{statistics.mean(len(a) for a in answers_pool):.1f} answered items per response"
    )
    print(f"{'':16}{'median ms':>10}{'p95 ms':>10}")
    for name, values in timings.items():
        print(f"{name:16}{statistics.median(values):10.2f}{percentile(values, 0.95):10.2f}")
    ratio = statistics.median(timings["check + store"]) / statistics.median(timings["raw insert"])
    p95_ratio = percentile(timings["check + store"], 0.95) / percentile(timings["raw insert"], 0.95)
    print(
        f"ratio check + store / raw insert: median {ratio:.2f}×, p95 {p95_ratio:.2f}× (goal ≤ 5×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
