"""What a respondent link points at: a questionnaire version, a koploper and an open wave.

Links are public (letters, posters), so every part is treated as untrusted input: looked up with
bound parameters only, and any mismatch gives a reason code, never an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.contacts import contact_of, require_contact
from db.models import Draft, Koploper, QuestionnaireVersion, Wave
from db.questionnaires import latest_version
from surveys.clock import dutch_day
from surveys.privacy import Contact, Kind

MAX_PARAMETER = 60


@dataclass(frozen=True)
class Fieldwork:
    questionnaire_version_id: int
    questionnaire_key: str
    definition: dict[str, Any]
    koploper_id: int
    koploper_slug: str
    koploper_name: str
    koploper_kind: Kind
    contact: Contact | None
    """Whom the respondent can ask; ``None`` only for a wave opened before contacts existed."""
    wave_id: int
    wave_code: str
    wave_label: str
    fieldwork_end: dt.date

    @property
    def ids(self) -> dict[str, int]:
        """What a draft or a response of this fieldwork points at."""
        return {
            "questionnaire_version_id": self.questionnaire_version_id,
            "koploper_id": self.koploper_id,
            "wave_id": self.wave_id,
        }


LinkProblem = Literal["survey", "koploper", "wave", "closed", "not_started", "ended", "codes_only"]
"""Why a link opens nothing; ``codes_only``: the wave takes invitation codes only (``/code``)."""


def _plausible(parameter: str | None) -> bool:
    return bool(parameter) and len(parameter) <= MAX_PARAMETER


def resolve_link(
    session: Session, survey: str, koploper: str, wave: str, now: dt.datetime | None = None
) -> Fieldwork | LinkProblem:
    """The fieldwork a link points at, open on today's Dutch calendar day, or why not.

    A wave open to invitation codes only gives ``codes_only`` (once it is open: a closed wave
    says so first).

    Typed from a letter, a link may differ in case or spaces: 'Almere', 't2 ' still count.
    """
    survey, koploper, wave = survey.strip().lower(), koploper.strip().lower(), wave.strip().upper()
    version = latest_version(session, survey) if _plausible(survey) else None
    if version is None:
        return "survey"
    found = (
        session.scalar(select(Koploper).where(Koploper.slug == koploper))
        if _plausible(koploper)
        else None
    )
    if found is None:
        return "koploper"
    wave_row = (
        session.scalar(select(Wave).where(Wave.koploper == found, Wave.code == wave))
        if _plausible(wave)
        else None
    )
    if wave_row is None:
        return "wave"
    opened = _open_fieldwork(version, found, wave_row, dutch_day(now))
    if not isinstance(opened, str) and wave_row.access == "codes":
        return "codes_only"
    return opened


def resolve_draft(
    session: Session, draft: Draft, now: dt.datetime | None = None
) -> Fieldwork | LinkProblem:
    """The fieldwork a draft belongs to, on the exact questionnaire version it was started on."""
    version = session.get(QuestionnaireVersion, draft.questionnaire_version_id)
    koploper = session.get(Koploper, draft.koploper_id)
    wave = session.get(Wave, draft.wave_id)
    return _open_fieldwork(version, koploper, wave, dutch_day(now))


def _open_fieldwork(
    version: QuestionnaireVersion, found: Koploper, wave_row: Wave, today: dt.date
) -> Fieldwork | LinkProblem:
    if not wave_row.is_open:
        return "closed"
    if today < wave_row.fieldwork_start:
        return "not_started"
    if today > wave_row.fieldwork_end:
        return "ended"
    return Fieldwork(
        questionnaire_version_id=version.id,
        questionnaire_key=version.key,
        definition=version.definition,
        koploper_id=found.id,
        koploper_slug=found.slug,
        koploper_name=found.name,
        koploper_kind=found.kind,
        contact=contact_of(found),
        wave_id=wave_row.id,
        wave_code=wave_row.code,
        wave_label=wave_row.label,
        fieldwork_end=wave_row.fieldwork_end,
    )


def set_wave_open(
    session: Session, slug: str, code: str, until: dt.date | None, is_open: bool = True
) -> Wave:
    """Open a wave for fieldwork from today (until ``until``, default 30 days), or close it.

    Opening needs the koploper's contact details (``ContactMissing`` otherwise): the intro and
    the privacy notice must tell respondents whom to ask.
    """
    wave = session.scalar(
        select(Wave).join(Wave.koploper).where(Koploper.slug == slug, Wave.code == code)
    )
    if wave is None:
        raise LookupError(f"Geen meting '{code}' bij koploper '{slug}'.")
    if is_open:
        require_contact(wave.koploper, code)
        today = dutch_day()
        until = until or today + dt.timedelta(days=30)
        if until < today:
            raise ValueError("De einddatum ligt in het verleden.")
        wave.fieldwork_start = min(wave.fieldwork_start, today)
        wave.fieldwork_end = until
    wave.is_open = is_open
    session.flush()
    return wave
