"""What the respondent page needs from the database: open a link or resume code, save, send.

Every function takes the caller's session: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from db.code_use import (
    CodeProblem,
    Invitation,
    code_is_unused,
    draft_key,
    is_code_draft,
    redeem,
    use_code,
)
from db.drafts import idempotency_key_for, load_draft, save_draft
from db.fieldwork import Fieldwork, LinkProblem, resolve_draft, resolve_link
from db.open_link import forget_arrivals
from db.responses import response_exists
from db.submit import submit_response
from surveys.definition import Questionnaire, from_stored
from surveys.journey import Journey
from surveys.limits import draft_limit, storable
from surveys.vocabulary import LANGUAGES

Refusal = LinkProblem | CodeProblem | Literal["already_sent", "draft_gone"]


@dataclass(frozen=True)
class Opened:
    """A questionnaire a respondent may fill in now, with the draft to continue, if any."""

    fieldwork: Fieldwork
    resume_code: str | None = None
    language: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    position: int = 0
    started_at: dt.datetime | None = None
    invitation: Invitation | None = None
    """Opened with an invitation code (``/code``): send with it; its draft is under
    :attr:`draft_code`."""

    @property
    def draft_code(self) -> str | None:
        """The key to save the draft under: the resume code, or the invitation code's draft key
        (never shown as a resume link: typing the code again resumes it)."""
        if self.invitation is not None:
            return draft_key(self.invitation.code)
        return self.resume_code

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
    if is_code_draft(resume):
        return "draft_gone"  # a code's draft opens only with its code, so the code gets used
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


def open_with_code(
    session: Session, typed: str, sources: list[str], now: dt.datetime | None = None
) -> Opened | Refusal:
    """Open the questionnaire a typed invitation code points at (``db.code_use.redeem``),
    resuming the code's draft when there is one; pass a session begun for writing (wrong codes
    are counted)."""
    redeemed = redeem(session, typed, sources, now)
    if isinstance(redeemed, str):
        return redeemed
    fieldwork, invitation = redeemed
    key = draft_key(invitation.code)
    draft = load_draft(session, key)
    if draft is None:
        return Opened(fieldwork, language=invitation.language, invitation=invitation)
    found = resolve_draft(session, draft, now)  # the exact version the draft was started on
    if isinstance(found, str):
        return found
    return Opened(
        found,
        resume_code=key,
        language=draft.language,
        answers=storable(from_stored(found.definition), draft.answers),
        position=draft.position,
        started_at=draft.started_at,
        invitation=invitation,
    )


def save_progress(
    session: Session,
    code: str,
    fieldwork: Fieldwork,
    journey: Journey,
    started_at: dt.datetime | None,
    invitation: Invitation | None = None,
) -> None:
    """Save the draft, in the caller's transaction: the answers that fit their questions only.

    A text over its limit is left out (the page still shows it, with its message); the draft as a
    whole is held to the questionnaire's ``draft_limit``. With an invitation, nothing is saved
    once its code is used (a second tab after sending).
    """
    if invitation is not None and not code_is_unused(session, invitation.code):
        return
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
    invitation: Invitation | None = None,
) -> tuple[int, bool]:
    """Check and store the response, once per resume code; the draft goes with it.

    Raises ``InvalidResponse`` or ``FieldworkClosed``; nothing is stored then.

    ``sources`` (``db.sources.source_keys`` of the request) for the open link: a burst from
    one source is held for a check (``db.open_link``).

    With an ``invitation`` (``code`` is then its draft key, :attr:`Opened.draft_code`): once per
    code, never held. The code is marked used in the same transaction, or ``CodeUsed`` is raised
    and nothing is stored; the response is ``invited`` with the code's panel key, under a random
    idempotency key (derived from nothing, so the code cannot be joined to the response).
    """
    if invitation is not None:
        with session.begin_nested():  # the code and the response: both, or neither
            use_code(session, invitation)
            return submit_response(
                session,
                questionnaire,
                **fieldwork.ids,
                answers=journey.answers,
                language=journey.language,
                idempotency_key=secrets.token_hex(32),
                # no start time: the code's draft held it, and a copy of the database taken
                # while the draft existed would pair the code with the response by it
                started_at=None,
                resume_code=draft_key(invitation.code),
                invited=True,
                panel_key=invitation.panel_key,
            )
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
