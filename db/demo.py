"""Synthetic demo responses, so a newcomer sees a working product before any fieldwork.

Every demo response is marked ``is_demo`` (the app shows a banner) and one command removes them all.
Figures are realistic, not real: awareness of independent client support about 25–35 % at the
baseline (the CEO Wmo level), rising at some koplopers; quality items 70–90 % agree; some
'weet niet'. A respondent's answers share a latent satisfaction, so themes hang together.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Callable

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Koploper, Wave
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from surveys.conditions import Answers
from surveys.definition import Item, Questionnaire, load_builtin

DEMO_WAVES = ("T0", "T1")
OPEN_WAVE = "T2"
OPEN_DAYS = 30
COMMENTS = (
    "Fijn dat er iemand met mij meedacht.",
    "Ik wist niet dat dit bestond, had ik eerder willen weten.",
    "Het duurde lang voordat ik iemand te spreken kreeg.",
    "De cliëntondersteuner nam echt de tijd.",
    "Meer bekendheid bij de huisarts zou helpen.",
    "Graag minder formulieren.",
)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class _Respondent:
    """Draws one respondent's answers item by item, obeying the questionnaire's conditions."""

    def __init__(self, rng: np.random.Generator, levels: dict[str, float]):
        self.rng = rng
        self.levels = levels
        self.satisfaction = rng.normal()

    def agree(self, theme: str, dont_know_rate: float = 0.07) -> int:
        if self.rng.random() < dont_know_rate:
            return 9
        p = _sigmoid(_logit(self.levels[theme]) + 1.3 * self.satisfaction)
        if self.rng.random() < p:
            return 5 if self.rng.random() < 0.4 else 4
        return int(self.rng.choice([1, 2, 3], p=[0.15, 0.35, 0.5]))

    def answer(self, item: Item, answers: Answers):
        rng = self.rng
        special = SPECIAL.get(item.key)
        if special is not None:
            return special(self, answers)
        if item.type == "agreement":
            return self.agree(item.theme if item.theme in self.levels else "quality")
        if item.type == "grade":
            return int(np.clip(round(7.4 + 1.1 * self.satisfaction + rng.normal(0, 0.6)), 1, 10))
        if item.type == "yes_no":
            return int(rng.random() < 0.5)
        if item.type == "single_choice":
            codes = [o.code for o in item.options]
            return int(rng.choice(codes))
        if item.type == "multiple_choice":
            alone = [o.code for o in item.options if o.exclusive]
            if alone and rng.random() < 0.1:
                return [int(alone[0])]
            codes = [o.code for o in item.options if o.code != 9 and not o.exclusive]
            k = min(len(codes), 1 + rng.poisson(0.6))
            return sorted(int(c) for c in rng.choice(codes, size=k, replace=False))
        if item.type == "number":
            low, high = int(item.min or 0), int(item.max or 20)
            return int(min(high, max(low, rng.poisson(3))))
        if item.type == "text":
            return str(rng.choice(COMMENTS)) if rng.random() < 0.12 else None
        return None


def _aware(r: _Respondent, _answers: Answers) -> int:
    if r.rng.random() < 0.08:
        return 9
    return int(r.rng.random() < r.levels["awareness"])


def _used(r: _Respondent, answers: Answers) -> int:
    return int(r.rng.random() < (0.55 if answers.get("aware_oco") == 1 else 0.2))


def _age(r: _Respondent, _answers: Answers) -> int:
    return int(r.rng.choice([1, 2, 3, 4, 5, 6], p=[0.02, 0.18, 0.27, 0.24, 0.24, 0.05]))


def _filled_by(r: _Respondent, _answers: Answers) -> int:
    return int(r.rng.choice([1, 2, 3], p=[0.7, 0.2, 0.1]))


def _role(r: _Respondent, _answers: Answers) -> int:
    return int(r.rng.choice(range(1, 9), p=[0.2, 0.15, 0.05, 0.12, 0.2, 0.13, 0.12, 0.03]))


def _aware_offer(r: _Respondent, _answers: Answers) -> int:
    return r.agree("awareness", dont_know_rate=0.04)


SPECIAL: dict[str, Callable[[_Respondent, Answers], object]] = {
    "aware_oco": _aware,
    "used_oco": _used,
    "age_group": _age,
    "filled_by": _filled_by,
    "role": _role,
    "aware_offer": _aware_offer,
}


def draw_answers(
    questionnaire: Questionnaire, rng: np.random.Generator, levels: dict[str, float]
) -> dict[str, object]:
    respondent = _Respondent(rng, levels)
    answers: dict[str, object] = {}
    for item in questionnaire.items:
        if item.show_if is not None and not item.show_if.evaluate(answers):
            continue
        value = respondent.answer(item, answers)
        if value is not None and value != []:
            answers[item.key] = value
    return answers


def koploper_levels(rng: np.random.Generator, audience: str) -> dict[str, dict[str, float]]:
    """Per wave, the share agreeing per theme for one koploper; some koplopers improve at T1."""
    improves = rng.random() < 0.6
    base_awareness = rng.uniform(0.25, 0.35) if audience == "client" else rng.uniform(0.45, 0.6)
    base = {
        "awareness": base_awareness,
        "findability": rng.uniform(0.55, 0.75),
        "quality": rng.uniform(0.72, 0.88),
        "outcome": rng.uniform(0.6, 0.78),
    }
    gain = rng.uniform(0.06, 0.18) if improves else rng.uniform(-0.02, 0.03)
    follow = {
        theme: min(0.95, p + gain * (1 if theme != "quality" else 0.4)) for theme, p in base.items()
    }
    return {"T0": base, "T1": follow}


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
    koplopers = list(session.scalars(select(Koploper).order_by(Koploper.name)))
    versions = {key: latest_version(session, key) for key in ("client", "professional")}
    today = dt.date.today()
    added = 0
    for number, koploper in enumerate(koplopers, start=1):
        waves = {w.code: w for w in session.scalars(select(Wave).where(Wave.koploper == koploper))}
        for key, version in versions.items():
            if version is None:
                raise RuntimeError(
                    f"Vragenlijst '{key}' staat niet in de database: draai eerst init"
                )
            questionnaire = load_builtin(key)
            levels = koploper_levels(rng, questionnaire.audience)
            batch = []
            for code in DEMO_WAVES:
                wave = waves[code]
                for _ in range(int(rng.integers(sizes[0], sizes[1] + 1))):
                    day = wave.fieldwork_start + dt.timedelta(
                        days=int(rng.integers(0, (wave.fieldwork_end - wave.fieldwork_start).days))
                    )
                    submitted = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(
                        minutes=int(rng.integers(0, 13 * 60))
                    )
                    batch.append(
                        NewResponse(
                            questionnaire_version_id=version.id,
                            koploper_id=koploper.id,
                            wave_id=wave.id,
                            channel="demo",
                            language="nl-eenvoudig" if rng.random() < 0.15 else "nl",
                            idempotency_key="demo-" + secrets.token_hex(16),
                            started_at=submitted - dt.timedelta(minutes=int(rng.integers(4, 25))),
                            submitted_at=submitted,
                            is_demo=True,
                            answers=draw_answers(questionnaire, rng, levels[code]),
                        )
                    )
            insert_responses(session, questionnaire, batch)
            added += len(batch)
        if OPEN_WAVE in waves:
            wave = waves[OPEN_WAVE]
            wave.fieldwork_start, wave.fieldwork_end = today, today + dt.timedelta(days=OPEN_DAYS)
            if not wave.is_open:
                wave.is_open = wave.opened_for_demo = True
        progress(f"[{number}/{len(koplopers)}] {koploper.name}")
    session.flush()
    return added
