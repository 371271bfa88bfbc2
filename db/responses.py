"""Storing responses: one ``responses`` row and its ``answers`` rows, many at a time if need be."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter
from db.drafts import delete_draft
from db.models import Answer, Response, ResponsePack, Wave
from db.packs import head as pack_head
from db.packs import pack, pack_row, version_layouts
from surveys.clock import dutch_day
from surveys.definition import Questionnaire
from surveys.types import QUESTION_TYPES

ANSWER_COLUMNS = sorted({qtype.column for qtype in QUESTION_TYPES.values()})
"""The typed value columns of ``answers``: exactly one of them holds an answer."""


@dataclass
class NewResponse:
    questionnaire_version_id: int
    koploper_id: int
    wave_id: int
    channel: str
    language: str
    idempotency_key: str
    submitted_at: dt.datetime
    started_at: dt.datetime | None = None
    is_demo: bool = False
    invited: bool = False
    """Sent with an invitation code (``db.invitations``); which code is never kept."""
    panel_key: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    """item key → code (int), codes (list of int), number or text; None or [] for unanswered."""


def answer_rows(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The typed ``answers`` rows for one response (without ``response_id``).

    The question-type table says which column holds an answer and how (``QuestionType.store``):
    one row per code for multiple choice, else one row.
    """
    rows = []
    for item in questionnaire.items:
        value = answers.get(item.key)
        if item.is_unanswered(value):
            continue
        empty = dict.fromkeys(ANSWER_COLUMNS)
        rows += [
            {**empty, "item_key": item.key, item.qtype.column: stored}
            for stored in item.qtype.store(value)
        ]
    return rows


def insert_responses(
    session: Session, questionnaire: Questionnaire, responses: list[NewResponse]
) -> list[int]:
    """Insert responses, their answers and their packs (``db.packs``) in the caller's
    transaction; returns the new ids."""
    if not responses:
        return []
    head = [{k: v for k, v in vars(r).items() if k != "answers"} for r in responses]
    ids = list(
        session.scalars(insert(Response).returning(Response.id, sort_by_parameter_order=True), head)
    )
    stored = [answer_rows(questionnaire, response.answers) for response in responses]
    rows = [
        {"response_id": response_id, **row}
        for response_id, answers in zip(ids, stored, strict=True)
        for row in answers
    ]
    if rows:
        session.execute(insert(Answer), rows)
    # The packs follow the stored definition of each response's version, as the reads do.
    layouts = version_layouts(session)
    packs = [
        pack_row(
            response_id,
            pack_head(
                response.wave_id,
                response.questionnaire_version_id,
                response.channel,
                response.language,
                response.is_demo,
            ),
            pack(
                layouts[response.questionnaire_version_id][1],
                ((row["item_key"], row.get("code")) for row in answers),
            ),
        )
        for response_id, response, answers in zip(ids, responses, stored, strict=True)
    ]
    session.execute(insert(ResponsePack), packs)
    return ids


def store_response(
    session: Session,
    questionnaire: Questionnaire,
    response: NewResponse,
    resume_code: str | None = None,
) -> tuple[int, bool]:
    """Store one response exactly once, in the caller's transaction; returns (id, newly stored).

    The idempotency key makes a double click, a reload or a retry harmless: the insert runs in a
    savepoint, and when the key is taken already the savepoint is rolled back and the first
    attempt's row is returned. The draft it came from goes in the same transaction.
    """
    _check_fieldwork(session, response)
    try:
        with session.begin_nested():
            [response_id] = insert_responses(session, questionnaire, [response])
        created = True
    except IntegrityError:
        existing = session.scalar(
            select(Response.id).where(Response.idempotency_key == response.idempotency_key)
        )
        if existing is None:  # another constraint broke: not a repeat, a fault
            raise
        response_id, created = existing, False
    if resume_code:
        delete_draft(session, resume_code)  # a second tab may have saved it again
    return response_id, created


class FieldworkClosed(RuntimeError):
    """The wave closed (or its dates passed) between opening the link and sending."""


def _check_fieldwork(session: Session, response: NewResponse) -> None:
    """Refuse a response for a wave that is not open on this Dutch day, or of another koploper."""
    wave = session.get(Wave, response.wave_id)
    today = dutch_day(response.submitted_at)
    if (
        wave is None
        or wave.koploper_id != response.koploper_id
        or not wave.is_open
        or not wave.fieldwork_start <= today <= wave.fieldwork_end
    ):
        raise FieldworkClosed(f"meting {response.wave_id} is niet open")


def response_exists(session: Session, idempotency_key: str) -> bool:
    query = select(Response.id).where(Response.idempotency_key == idempotency_key)
    return session.scalar(query) is not None


def count_demo(session: Session, viewer: Viewer) -> int:
    """The demo responses of the koplopers the viewer sees (``command_line()``: all of them)."""
    query = (
        select(func.count())
        .select_from(Response)
        .where(Response.is_demo, koploper_filter(viewer, Response.koploper_id))
    )
    return session.scalar(query) or 0


def has_demo(session: Session) -> bool:
    """Whether the database holds any demo response: the app then shows a demo banner.

    One yes/no for the whole database, no count and no koploper, so any page may ask it.
    """
    return session.scalar(select(Response.id).where(Response.is_demo).limit(1)) is not None


def delete_demo(session: Session) -> int:
    """Remove every demo response (answers go with them) and close the waves the demo opened.

    Returns the number of responses removed.
    """
    session.execute(
        update(Wave).where(Wave.opened_for_demo).values(is_open=False, opened_for_demo=False)
    )
    demo_ids = select(Response.id).where(Response.is_demo).scalar_subquery()
    session.execute(delete(Answer).where(Answer.response_id.in_(demo_ids)))
    session.execute(delete(ResponsePack).where(ResponsePack.response_id.in_(demo_ids)))
    result = session.execute(delete(Response).where(Response.is_demo))
    return result.rowcount or 0
