"""Sending a response: check the whole of it against its exact questionnaire version, then store.

Nothing is stored unless every answer passes; a passing response is stored once, however often it
is sent (idempotency key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from db.responses import NewResponse, store_response
from surveys.clock import utcnow
from surveys.definition import Questionnaire
from surveys.flow import prune
from surveys.validation import Problem, validate_response


class InvalidResponse(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def submit_response(
    session: Session,
    questionnaire: Questionnaire,
    *,
    questionnaire_version_id: int,
    koploper_id: int,
    wave_id: int,
    answers: Mapping[str, Any],
    language: str,
    idempotency_key: str,
    started_at: dt.datetime | None = None,
    channel: str = "web",
    resume_code: str | None = None,
    now: dt.datetime | None = None,
    invited: bool = False,
    panel_key: str | None = None,
) -> tuple[int, bool]:
    """Validate and store in the caller's transaction; returns (response id, newly stored).

    Raises ``InvalidResponse`` (nothing stored) or ``FieldworkClosed``.
    """
    problems = validate_response(questionnaire, answers, language)
    if problems:
        raise InvalidResponse(problems)
    response = NewResponse(
        questionnaire_version_id=questionnaire_version_id,
        koploper_id=koploper_id,
        wave_id=wave_id,
        channel=channel,
        language=language,
        idempotency_key=idempotency_key,
        started_at=started_at,
        submitted_at=now or utcnow(),
        answers=prune(questionnaire, answers),
        invited=invited,
        panel_key=panel_key,
    )
    return store_response(session, questionnaire, response, resume_code)
