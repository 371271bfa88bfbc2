"""Synthetic demo responses, so a newcomer sees a working product before any fieldwork.

Every demo response is marked ``is_demo`` (the app shows a banner) and one command removes them all.
``seed-demo`` also makes one demo account per role (:data:`DEMO_ACCOUNTS`, their fixed passwords
in the README); ``remove-demo`` removes them with the rest.
The answers come from the one generator, ``surveys.synthetic``, drawn from the stored questionnaire
version they are filed under, so each passes the respondent check. Figures are realistic, not
real: awareness of independent client support about 25-35 % at the baseline, rising at most
koplopers; quality items 70-90 % agree; some 'weet niet'; a koploper's level is the same for its
client and its professional questionnaire.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import Viewer
from db.models import Koploper, User, Wave
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.users import add_user, remove_user
from surveys.definition import Questionnaire, from_stored
from surveys.synthetic import Koplopers, draw_koplopers, generate


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    koplopers: tuple[str, ...]
    password: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "beheerder@demo.koplopermonitor.nl", "beheerder", (), "tulp lantaarn zeilboot zeven"
    ),
    DemoAccount(
        "onderzoeker@demo.koplopermonitor.nl", "onderzoeker", (), "kompas regenjas biljart oker"
    ),
    DemoAccount(
        "gemeente-tilburg@demo.koplopermonitor.nl",
        "gemeente",
        ("tilburg",),
        "molen pinda fluitketel zand",
    ),
    DemoAccount(
        "adviesraad-tilburg@demo.koplopermonitor.nl",
        "adviesraad",
        ("tilburg",),
        "schelp trompet veldkers blauw",
    ),
)
"""One account per role, fixed and public (README): for a demonstration, never for real data."""
DEMO_WAVES = ("T0", "T1")
OPEN_WAVE = "T2"
OPEN_DAYS = 30
FIRST_HOUR = 8
OPEN_HOURS = 13
"""Demo responses come in between 08:00 and 21:00."""


def _submitted_at(rng: np.random.Generator, wave: Wave, count: int) -> list[dt.datetime]:
    """Moments within the wave's fieldwork days, in the daytime."""
    days = rng.integers(0, (wave.fieldwork_end - wave.fieldwork_start).days + 1, count)
    minutes = rng.integers(0, OPEN_HOURS * 60, count)
    start = dt.datetime.combine(wave.fieldwork_start, dt.time(FIRST_HOUR))
    return [
        start + dt.timedelta(days=int(d), minutes=int(m))
        for d, m in zip(days, minutes, strict=True)
    ]


def demo_responses(
    questionnaire: Questionnaire,
    version_id: int,
    koploper: Koploper,
    number: int,
    levels: Koplopers,
    rng: np.random.Generator,
    sizes: tuple[int, int],
) -> list[NewResponse]:
    """Demo responses of one koploper (``number`` in ``levels``) at each demo wave."""
    waves = {wave.code: wave for wave in koploper.waves}
    counts = rng.integers(sizes[0], sizes[1] + 1, len(DEMO_WAVES))
    wave_number = np.repeat(np.arange(len(DEMO_WAVES)), counts)
    sample = generate(
        questionnaire,
        wave_number.size,
        rng,
        koploper=np.full(wave_number.size, number),
        wave=wave_number,
        koplopers=levels,
    )
    submitted = [
        moment
        for code, count in zip(DEMO_WAVES, counts.tolist(), strict=True)
        for moment in _submitted_at(rng, waves[code], count)
    ]
    minutes_taken = rng.integers(4, 25, wave_number.size).tolist()
    return [
        NewResponse(
            questionnaire_version_id=version_id,
            koploper_id=koploper.id,
            wave_id=waves[DEMO_WAVES[wave]].id,
            channel="demo",
            language=language,
            idempotency_key="demo-" + secrets.token_hex(16),
            started_at=moment - dt.timedelta(minutes=taken),
            submitted_at=moment,
            is_demo=True,
            answers=answers,
        )
        for wave, language, moment, taken, answers in zip(
            wave_number.tolist(),
            sample.language.tolist(),
            submitted,
            minutes_taken,
            sample.answers(),
            strict=True,
        )
    ]


def seed_demo(
    session: Session,
    seed: int = 20181121,
    sizes: tuple[int, int] = (150, 300),
    progress: Callable[[str], None] = lambda _message: None,
) -> int:
    """Add demo responses for every koploper at T0 and T1, and open T2 for fieldwork.

    Returns the number of responses added. The caller owns the transaction.
    """
    rng = np.random.default_rng(seed)
    questionnaires = {}
    for key in ("client", "professional"):
        version = latest_version(session, key)
        if version is None:
            raise RuntimeError(f"Vragenlijst '{key}' staat niet in de database: draai eerst init")
        questionnaires[key] = (version.id, from_stored(version.definition))
    koplopers = list(session.scalars(select(Koploper).order_by(Koploper.name)))
    levels = draw_koplopers(rng, len(koplopers))
    today = dt.date.today()
    added = 0
    for number, koploper in enumerate(koplopers):
        for version_id, questionnaire in questionnaires.values():
            batch = demo_responses(questionnaire, version_id, koploper, number, levels, rng, sizes)
            insert_responses(session, questionnaire, batch)
            added += len(batch)
        waves = {wave.code: wave for wave in koploper.waves}
        if OPEN_WAVE in waves:
            wave = waves[OPEN_WAVE]
            wave.fieldwork_start, wave.fieldwork_end = today, today + dt.timedelta(days=OPEN_DAYS)
            if not wave.is_open:
                wave.is_open = wave.opened_for_demo = True
        progress(f"[{number + 1}/{len(koplopers)}] {koploper.name}")
    session.flush()
    return added


def seed_demo_accounts(session: Session, actor: Viewer) -> list[DemoAccount]:
    """Make the demo accounts that are missing; returns those made now (to print once).

    An address already in use (a demo account from before, or a real one) is left as it is.
    """
    existing = set(
        session.scalars(select(User.email).where(User.email.in_([a.email for a in DEMO_ACCOUNTS])))
    )
    made = []
    for account in DEMO_ACCOUNTS:
        if account.email in existing:
            continue
        add_user(
            session,
            actor,
            account.email,
            account.role,
            account.koplopers,
            password=account.password,
            is_demo=True,
        )
        made.append(account)
    return made


def remove_demo_accounts(session: Session, actor: Viewer) -> int:
    """Remove every account marked demo; returns how many."""
    emails = list(session.scalars(select(User.email).where(User.is_demo.is_(True))))
    for email in emails:
        remove_user(session, actor, email)
    return len(emails)
