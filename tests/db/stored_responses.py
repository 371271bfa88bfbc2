"""Responses of Tilburg stored as the app stores them (``db.responses``, with their packs), for
tests that need new data after a first read."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import select

from db.engine import get_sessionmaker
from db.models import Koploper, Wave
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from surveys.clock import utcnow
from surveys.definition import from_stored


def varied(number: int) -> dict[str, int]:
    """Answers that differ from one response to the next."""
    return {"used_oco": number % 2, "aware_oco": (number + 1) % 2, "age_group": 1 + number % 3}


def add_tilburg_responses(
    url: str,
    number: int = 1,
    demo: bool = False,
    wave: str = "T1",
    questionnaire_version: int | None = None,
    answers: Callable[[int], dict[str, int]] = varied,
) -> list[int]:
    """``number`` client responses of Tilburg at ``wave`` (``answers(i)`` for the i-th), stored
    in one transaction; their ids."""
    with get_sessionmaker(url).begin() as session:
        version = latest_version(session, "client")
        if questionnaire_version is not None:
            version = session.get(type(version), questionnaire_version)
        tilburg = session.scalar(select(Koploper).where(Koploper.slug == "tilburg"))
        wave_id = session.scalar(
            select(Wave.id).where(Wave.koploper_id == tilburg.id, Wave.code == wave)
        )
        return insert_responses(
            session,
            from_stored(version.definition),
            [
                NewResponse(
                    questionnaire_version_id=version.id,
                    koploper_id=tilburg.id,
                    wave_id=wave_id,
                    channel="demo" if demo else "web",
                    language="nl",
                    idempotency_key=secrets.token_hex(16),
                    submitted_at=utcnow(),
                    is_demo=demo,
                    answers=answers(i),
                )
                for i in range(number)
            ],
        )
