"""What the respondent page needs from the database: open a link or resume code, save, send.

Every function takes the caller's session: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from db.drafts import idempotency_key_for, load_draft, save_draft
from db.fieldwork import Fieldwork, LinkProblem, resolve_draft, resolve_link
from db.open_link import forget_arrivals
from db.responses import response_exists
from db.submit import submit_response
from surveys.definition import Questionnaire, from_stored
from surveys.journey import Journey
from surveys.limits import draft_limit, storable
from surveys.vocabulary import LANGUAGES

Refusal = LinkProblem | Literal["already_sent", "draft_gone"]


@dataclass(frozen=True)
class Opened:
    """A questionnaire a respondent may fill in now, with the draft to continue, if any."""

    fieldwork: Fieldwork
    resume_code: str | None = None
    language: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    position: int = 0
    started_at: dt.datetime | None = None

    def journey(self, requested_language: str) -> Journey:
        """Where the respondent starts: the intro, or the draft's screen when resuming."""
        return Journey(
            stage="questions" if self.resume_code else "intro",
            screen=self.position,
            language=self.language
            or (requested_language if requested_language in LANGUAGES else "nl"),
            answers=self.answers,
        )


def open_questionnaire(
    session: Session,
    survey: str,
    koploper: str,
    wave: str,
    resume: str = "",
    now: dt.datetime | None = None,
) -> Opened | Refusal:
    """Resolve a respondent's link, or the resume code in it; a refusal names why not."""
    if not resume:
        found = resolve_link(session, survey, koploper, wave, now)
        return found if isinstance(found, str) else Opened(found)
    draft = load_draft(session, resume)
    if draft is None:
        sent = response_exists(session, idempotency_key_for(resume))
        return "already_sent" if sent else "draft_gone"
    found = resolve_draft(session, draft, now)
    if isinstance(found, str):
        return found
    return Opened(
        found,
        resume_code=resume,
        language=draft.language,
        answers=storable(from_stored(found.definition), draft.answers),
        position=draft.position,
        started_at=draft.started_at,
    )


def save_progress(
    session: Session,
    code: str,
    fieldwork: Fieldwork,
    journey: Journey,
    started_at: dt.datetime | None,
) -> None:
    """Save the draft, in the caller's transaction: the answers that fit their questions only.

    A text over its limit is left out (the page still shows it, with its message); the draft as a
    whole is held to the questionnaire's ``draft_limit``.
    """
    questionnaire = from_stored(fieldwork.definition)
    forget_arrivals(session)  # open-link arrivals out of their window (db.open_link)
    save_draft(
        session,
        code,
        **fieldwork.ids,
        language=journey.language,
        answers=storable(questionnaire, journey.answers),
        position=journey.screen,
        started_at=started_at,
        limit=draft_limit(questionnaire),
    )


def send(
    session: Session,
    questionnaire: Questionnaire,
    fieldwork: Fieldwork,
    journey: Journey,
    code: str,
    started_at: dt.datetime | None,
    sources: list[str] | None = None,
) -> tuple[int, bool]:
    """Check and store the response, once per resume code; the draft goes with it.

    ``sources`` (``db.sources.source_keys`` of the request) for the open link: a burst from
    one source is held for a check (``db.open_link``). Raises ``InvalidResponse`` or
    ``FieldworkClosed``; nothing is stored then.
    """
    return submit_response(
        session,
        questionnaire,
        **fieldwork.ids,
        answers=journey.answers,
        language=journey.language,
        idempotency_key=idempotency_key_for(code),
        started_at=started_at,
        resume_code=code,
        sources=sources,
    )
