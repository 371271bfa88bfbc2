"""A demo database in which some of one koploper's respondents answered at T0 and T1 with panel
codes: the pairs get a shared panel key, as ``db.respondent.send`` stores it with a response."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Koploper, QuestionnaireVersion, Response, Wave
from db.setup import init_database

KOPLOPER = "tilburg"
PAIRS = {"client": 24, "professional": 6}
"""Pairs per questionnaire: enough for figures (client), too few (professional)."""


def link_pairs(session: Session, koploper: str, pairs: dict[str, int]) -> dict[int, str]:
    """Give the first ``pairs[questionnaire]`` responses of ``koploper`` at T0 and at T1 a
    shared panel key each, and one T0 response a key without a T1 (a panel member who did not
    answer again); returns response id → key."""
    keys: dict[int, str] = {}
    for questionnaire, count in pairs.items():
        at = {}
        for wave in ("T0", "T1"):
            at[wave] = list(
                session.scalars(
                    select(Response.id)
                    .join(Wave, Wave.id == Response.wave_id)
                    .join(Koploper, Koploper.id == Response.koploper_id)
                    .join(
                        QuestionnaireVersion,
                        QuestionnaireVersion.id == Response.questionnaire_version_id,
                    )
                    .where(
                        Koploper.slug == koploper,
                        Wave.code == wave,
                        QuestionnaireVersion.key == questionnaire,
                    )
                    .order_by(Response.id)
                    .limit(count + 1)
                )
            )
        for number in range(count):
            key = f"{questionnaire[:1].upper()}{number:09d}PANEL"
            keys[at["T0"][number]] = keys[at["T1"][number]] = key
        keys[at["T0"][count]] = f"{questionnaire[:1].upper()}ALONE"
    table = Response.__table__
    session.execute(
        table.update().where(table.c.id == bindparam("rid")).values(panel_key=bindparam("key")),
        [{"rid": response_id, "key": key} for response_id, key in keys.items()],
    )
    return keys


def panel_database(url: str) -> dict[int, str]:
    """Demo responses of every koploper and Tilburg's pairs (:data:`PAIRS`); the keys."""
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=(40, 60))
        return link_pairs(session, KOPLOPER, PAIRS)
