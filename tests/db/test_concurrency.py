"""Many respondents at once: 50 threads send 2,000 responses; every one is stored exactly once."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sqlalchemy import func, select

from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link, set_wave_open
from db.models import Answer, Response
from db.setup import init_database
from db.submit import submit_response
from surveys.definition import load_builtin
from surveys.synthetic import generate

pytestmark = pytest.mark.slow  # threads at once: `pytest -m "not slow"` leaves it out

THREADS = 50
RESPONSES = 2000


def test_fifty_threads_store_two_thousand_responses_none_lost_or_doubled(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", None)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    questionnaire = load_builtin("client")
    batch = generate(questionnaire, RESPONSES, np.random.default_rng(7)).answers()
    keys = [uuid.uuid4().hex for _ in range(RESPONSES)]

    def send(number: int) -> tuple[int, bool]:
        with factory.begin() as session:
            return submit_response(
                session,
                questionnaire,
                questionnaire_version_id=fieldwork.questionnaire_version_id,
                koploper_id=fieldwork.koploper_id,
                wave_id=fieldwork.wave_id,
                answers=batch[number],
                language="nl",
                # every 10th response is sent twice, as a double click would
                idempotency_key=keys[number],
            )

    # duplicates right next to their original, so both are in flight at the same moment
    order = [n for i in range(RESPONSES) for n in ([i, i] if i % 10 == 0 else [i])]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(send, order))  # any "database is locked" would raise here

    assert sum(created for _, created in results) == RESPONSES
    assert len({response_id for response_id, _ in results}) == RESPONSES
    expected_answers = sum(
        len(v) if isinstance(v, list) else 1 for answers in batch for v in answers.values()
    )
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == RESPONSES
        assert session.scalar(select(func.count()).select_from(Answer)) == expected_answers
