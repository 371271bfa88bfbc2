"""Synthetic responses drawn from a questionnaire definition, each one passing the response check.

One generator for the demo data (``python -m db seed-demo``), the tests and the benchmarks. It reads
the definition and draws the answers item by item through ``GENERATORS``, a table with one function
per question type, over all respondents at once (a column of numpy draws per item), so a million
answers take seconds. It obeys the definition: an item is answered only where its ``show_if``
holds on the answers before it (evaluated per distinct earlier answer with the condition's own
``evaluate``), a required item always, "weet niet" only where the item offers it, an exclusive
option always alone, numbers within ``min``/``max``, texts within ``max_length``.

Figures are realistic, not real. Each koploper has a level per theme (the share agreeing at the
baseline, e.g. quality 72-88 %) and a gain per wave (most koplopers improve, some stand still), so
comparisons find something. Each respondent has a latent satisfaction that moves every evaluative
answer together, so the items of a theme hang together. Awareness of independent client support
starts at 25-35 % (the CEO Wmo level). Item theme and type drive the answers; ``TWEAKS`` holds the
few per-key details the domain needs (aware_oco's level, the age distribution, …).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveys.conditions import Clause, Condition, Group
from surveys.definition import Item, Questionnaire
from surveys.interchange import MULTIPLE_SEPARATOR
from surveys.vocabulary import EASY_READ, STANDARD, THEMES

EASY_READ_SHARE = 0.15
"""Share of respondents answering in the easy-read register."""
SKIP_RATE = 0.03
"""Chance that a respondent leaves a shown, optional question open."""
DONT_KNOW_RATE = 0.06
"""Chance of 'weet niet / n.v.t.' on a question that offers it."""
COMMENT_RATE = 0.12
"""Chance that a respondent types something in an optional open question."""
EXCLUSIVE_RATE = 0.1
"""Chance of ticking the exclusive option ('Geen van deze') of a multiple-choice question."""
OPTION_RATE = 0.2
"""Chance of ticking each further option of a multiple-choice question, after a first one."""

POSITIVE_COMMENTS = (
    "Fijn dat er iemand met mij meedacht.",
    "De cliëntondersteuner nam echt de tijd.",
    "Ik voelde mij gehoord.",
    "Goed dat dit gratis is.",
)
NEGATIVE_COMMENTS = (
    "Ik wist niet dat dit bestond, had ik eerder willen weten.",
    "Het duurde lang voordat ik iemand te spreken kreeg.",
    "Meer bekendheid bij de huisarts zou helpen.",
    "Graag minder formulieren.",
)
"""Open answers: satisfied respondents write a positive one, the others a critical one."""


@dataclass(frozen=True)
class ThemeModel:
    """How the answers of one theme behave."""

    low: float
    """Share agreeing (or saying yes) at the baseline at the weakest koploper."""
    high: float
    """The same at the strongest koploper."""
    gain: float = 1.0
    """How much of a koploper's improvement per wave reaches this theme."""
    latent: float = 0.0
    """Weight of the respondent's satisfaction: 0 for facts, about 1 for opinions."""


THEME_MODELS: dict[str, ThemeModel] = {
    "awareness": ThemeModel(0.45, 0.60, gain=1.0, latent=0.3),
    "findability": ThemeModel(0.6, 0.8, gain=1.0, latent=1.4),
    "quality": ThemeModel(0.78, 0.92, gain=0.4, latent=1.6),
    "outcome": ThemeModel(0.65, 0.82, gain=1.0, latent=1.5),
}
NEUTRAL = ThemeModel(0.5, 0.5, gain=0.0, latent=0.0)
"""Profile and open questions: no koploper level, no improvement, no opinion."""


@dataclass(frozen=True)
class Tweak:
    """Per item key, where the domain knows better than the theme."""

    level: tuple[float, float] | None = None
    """(low, high) share agreeing or saying yes at the baseline, instead of the theme's."""
    weights: Mapping[int, float] | None = None
    """Single choice: relative weight per option code (codes not listed: the mean weight)."""
    dont_know: float | None = None
    """Chance of 'weet niet' instead of ``DONT_KNOW_RATE`` (only where the item offers it)."""


TWEAKS: dict[str, Tweak] = {
    # CEO Wmo: about a quarter of clients knew of independent client support.
    "aware_oco": Tweak(level=(0.25, 0.35), dont_know=0.08),
    "used_oco": Tweak(level=(0.5, 0.6)),
    "age_group": Tweak(weights={1: 0.02, 2: 0.18, 3: 0.27, 4: 0.24, 5: 0.24, 6: 0.05}),
    "filled_by": Tweak(weights={1: 0.7, 2: 0.2, 3: 0.1}),
    "role": Tweak(weights={1: 0.2, 2: 0.15, 3: 0.05, 4: 0.12, 5: 0.2, 6: 0.13, 7: 0.12, 8: 0.03}),
    "aware_offer": Tweak(dont_know=0.04),
}
NO_TWEAK = Tweak()


@dataclass(frozen=True)
class Koplopers:
    """Per koploper: where it stands per theme, and how much it improves per wave."""

    position: np.ndarray
    """(koplopers, themes): 0 = the weakest level of the theme's range, 1 = the strongest."""
    gain: np.ndarray
    """(koplopers,): gain per wave on the log-odds scale."""


def draw_koplopers(
    rng: np.random.Generator,
    count: int,
    improvement: float = 0.6,
    improving_share: float = 0.6,
) -> Koplopers:
    """Levels for ``count`` koplopers; ``improving_share`` of them gain ~``improvement`` per wave.

    The gain is on the log-odds scale: 0.6 takes a share of 30 % to about 44 % in one wave. The
    others roughly stand still.
    """
    improving = rng.random(count) < improving_share
    gain = np.where(
        improving,
        rng.uniform(0.5 * improvement, 1.5 * improvement, count),
        rng.uniform(-0.1, 0.15, count),
    )
    return Koplopers(position=rng.random((count, len(THEMES))), gain=gain)


@dataclass(frozen=True)
class Column:
    """One item's answers over all respondents: ``index`` into ``values``, −1 for no answer.

    ``values`` holds each distinct answer once, as the respondent page gives it (an int code, a
    list of codes, a number, a text), so conditions and encodings run once per distinct answer.
    """

    index: np.ndarray
    values: list[Any]

    @property
    def answered(self) -> np.ndarray:
        return self.index >= 0

    def where(self, keep: np.ndarray) -> Column:
        """The column with the answers outside ``keep`` removed."""
        return Column(np.where(keep, self.index, -1), self.values)

    def holds(self, clause: Clause) -> np.ndarray:
        """Per respondent, whether the clause holds on this item's answer (False if unanswered)."""
        per_value = [clause.evaluate({clause.item: value}) for value in self.values]
        table = np.asarray([*per_value, False], dtype=bool)  # index −1 picks the last: False
        return table[self.index]


@dataclass
class Draw:
    """What a type's generator may use: the respondents, the randomness, the earlier answers."""

    rng: np.random.Generator
    koploper: np.ndarray
    wave: np.ndarray
    koplopers: Koplopers
    satisfaction: np.ndarray
    tweaks: Mapping[str, Tweak]
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.koploper)

    def tweak(self, item: Item) -> Tweak:
        return self.tweaks.get(item.key, NO_TWEAK)

    def propensity(self, item: Item) -> np.ndarray:
        """Per respondent, the log-odds of agreeing (or saying yes) with this item."""
        model = THEME_MODELS.get(item.theme, NEUTRAL)
        low, high = self.tweak(item).level or (model.low, model.high)
        position = self.koplopers.position[self.koploper, THEMES.index(item.theme)]
        share = low + position * (high - low)
        baseline = np.log(share / (1 - share))
        gain = self.koplopers.gain[self.koploper] * self.wave * model.gain
        return baseline + gain + model.latent * self.satisfaction

    def dont_know(self, item: Item, answers: np.ndarray) -> np.ndarray:
        """The answers with some 'weet niet' mixed in, when the item offers it."""
        missing = sorted(item.missing_codes)
        if not missing:
            return answers
        rate = self.tweak(item).dont_know
        chosen = self.rng.random(self.size) < (DONT_KNOW_RATE if rate is None else rate)
        return np.where(chosen, self.rng.choice(missing, self.size), answers)

    def substantive(self, item: Item) -> list[int]:
        """The item's option codes that are an answer, not a 'weet niet'."""
        return [o.code for o in item.options if o.code not in item.missing_codes]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _codes(codes: np.ndarray) -> Column:
    distinct, index = np.unique(codes, return_inverse=True)
    return Column(index.astype(np.int64), [int(code) for code in distinct])


def agreement(item: Item, draw: Draw) -> Column:
    """Agree (the top two points) with the item's propensity, else one of the lower three.

    The satisfied lean to the extreme top and to neutral rather than the bottom.
    """
    rng, n, satisfaction = draw.rng, draw.size, draw.satisfaction
    bottom, low, neutral, agree, top = sorted(draw.substantive(item))
    agrees = rng.random(n) < _sigmoid(draw.propensity(item))
    strongly = rng.random(n) < _sigmoid(-0.4 + 0.8 * satisfaction)
    mild = rng.random(n) < _sigmoid(0.8 * satisfaction)
    disagree = np.where(mild, neutral, np.where(rng.random(n) < 0.7, low, bottom))
    return _codes(draw.dont_know(item, np.where(agrees, np.where(strongly, top, agree), disagree)))


def yes_no(item: Item, draw: Draw) -> Column:
    yes, no = draw.substantive(item)  # the fixed scale lists 'ja' first
    says_yes = draw.rng.random(draw.size) < _sigmoid(draw.propensity(item))
    return _codes(draw.dont_know(item, np.where(says_yes, yes, no)))


def grade(item: Item, draw: Draw) -> Column:
    """1-10 around 6 plus the propensity: about 7.4 at a quality level of 80 % agreeing."""
    codes = [o.code for o in item.options]
    raw = 6.0 + draw.propensity(item) + draw.rng.normal(0, 0.8, draw.size)
    return _codes(np.clip(np.rint(raw), min(codes), max(codes)).astype(np.int64))


def single_choice(item: Item, draw: Draw) -> Column:
    codes = draw.substantive(item)
    weights = draw.tweak(item).weights
    if weights:
        mean = sum(weights.values()) / len(weights)
        p = np.asarray([weights.get(code, mean) for code in codes], dtype=float)
        chosen = draw.rng.choice(codes, draw.size, p=p / p.sum())
    else:
        chosen = draw.rng.choice(codes, draw.size)
    return _codes(draw.dont_know(item, chosen))


def multiple_choice(item: Item, draw: Draw) -> Column:
    """One option or more; the exclusive option ('Geen van deze') now and then, and always alone."""
    rng, n = draw.rng, draw.size
    alone = [o.code for o in item.options if o.exclusive]
    others = [c for c in draw.substantive(item) if c not in alone]
    codes = np.asarray([*others, *alone], dtype=np.int64)
    ticked = np.zeros((n, len(codes)), dtype=bool)
    if others:
        ticked[:, : len(others)] = rng.random((n, len(others))) < OPTION_RATE
        ticked[np.arange(n), rng.integers(0, len(others), n)] = True
    if alone:
        exclusive = rng.random(n) < EXCLUSIVE_RATE if others else np.ones(n, dtype=bool)
        ticked[exclusive] = False
        ticked[exclusive, len(others) + rng.integers(0, len(alone), int(exclusive.sum()))] = True
    distinct, index = np.unique(ticked, axis=0, return_inverse=True)
    values = [sorted(int(c) for c in codes[row]) for row in distinct]
    return Column(index.reshape(-1).astype(np.int64), values)


def number(item: Item, draw: Draw) -> Column:
    """A count: the lower bound (or 0) plus a Poisson(3) draw, kept within min and max."""
    low = 0.0 if item.min is None else item.min
    raw = low + draw.rng.poisson(3, draw.size)
    numbers = (
        np.clip(raw, item.min, item.max) if item.min is not None or item.max is not None else raw
    )
    distinct, index = np.unique(numbers, return_inverse=True)
    values = [int(v) if float(v).is_integer() else float(v) for v in distinct]
    return Column(index.astype(np.int64), values)


def text(item: Item, draw: Draw) -> Column:
    """A comment from a short Dutch list (cut to ``max_length``), matching the satisfaction."""
    comments = [c[: item.max_length] if item.max_length else c for c in POSITIVE_COMMENTS]
    comments += [c[: item.max_length] if item.max_length else c for c in NEGATIVE_COMMENTS]
    half = len(POSITIVE_COMMENTS)
    pick = draw.rng.integers(0, half, draw.size) + np.where(draw.satisfaction > 0, 0, half)
    writes = item.required | (draw.rng.random(draw.size) < COMMENT_RATE)
    return Column(np.where(writes, pick, -1).astype(np.int64), comments)


Generator = Callable[[Item, Draw], Column]
GENERATORS: dict[str, Generator] = {
    "single_choice": single_choice,
    "multiple_choice": multiple_choice,
    "agreement": agreement,
    "yes_no": yes_no,
    "grade": grade,
    "number": number,
    "text": text,
}
"""Per question type (``surveys.types.QUESTION_TYPES``), how its answers are drawn."""


def _holds(condition: Condition, columns: Mapping[str, Column]) -> np.ndarray:
    """Per respondent, whether the condition holds on the answers drawn so far."""
    if isinstance(condition, Group):
        results = [_holds(member, columns) for member in condition.members]
        combine = np.logical_and if condition.all is not None else np.logical_or
        return combine.reduce(results)
    return columns[condition.item].holds(condition)


@dataclass(frozen=True)
class Sample:
    """Synthetic responses to one questionnaire: one ``Column`` per item, a register each."""

    questionnaire: Questionnaire
    columns: dict[str, Column]
    language: np.ndarray
    koploper: np.ndarray
    wave: np.ndarray

    def __len__(self) -> int:
        return len(self.language)

    def answers(self) -> list[dict[str, Any]]:
        """Per response, the answers as the respondent page gives them: shown, answered ones."""
        keyed = [
            (key, column.index.tolist(), column.values) for key, column in self.columns.items()
        ]
        result: list[dict[str, Any]] = [{} for _ in range(len(self))]
        for key, index, values in keyed:
            for answers, position in zip(result, index, strict=True):
                if position >= 0:
                    value = values[position]
                    answers[key] = list(value) if isinstance(value, list) else value
        return result

    def items_frame(self) -> pd.DataFrame:
        """The item columns of the wide interchange format, one row per response.

        Codes as nullable integers, numbers as floats (NaN: not answered); multiple choice as the
        codes joined by ``MULTIPLE_SEPARATOR`` and texts as they are ('' when not answered).
        """
        data: dict[str, Any] = {}
        for item in self.questionnaire.items:
            column = self.columns[item.key]
            if item.qtype.multiple:
                cells = [MULTIPLE_SEPARATOR.join(map(str, codes)) for codes in column.values]
                data[item.key] = np.asarray([*cells, ""], dtype=object)[column.index]
            elif item.qtype.coded:
                codes = np.asarray([*column.values, 0], dtype=np.int64)[column.index]
                data[item.key] = pd.arrays.IntegerArray(codes, ~column.answered)
            elif item.qtype.column == "number":
                numbers = np.asarray([*column.values, np.nan], dtype=float)
                data[item.key] = numbers[column.index]
            else:
                data[item.key] = np.asarray([*column.values, ""], dtype=object)[column.index]
        return pd.DataFrame(data)


def generate(
    questionnaire: Questionnaire,
    size: int,
    rng: np.random.Generator,
    *,
    koploper: np.ndarray | None = None,
    wave: np.ndarray | None = None,
    koplopers: Koplopers | None = None,
    tweaks: Mapping[str, Tweak] = TWEAKS,
) -> Sample:
    """Draw ``size`` responses to the questionnaire; every one passes ``validate_response``.

    ``koploper`` (an index into ``koplopers``) and ``wave`` (0 for the baseline, 1 for the first
    follow-up, …) give per respondent where and when they answered; both default to 0. Without
    ``koplopers``, they are drawn from ``rng``, one per koploper index.
    """
    koploper = np.zeros(size, dtype=np.int64) if koploper is None else np.asarray(koploper)
    wave = np.zeros(size, dtype=np.int64) if wave is None else np.asarray(wave)
    if len(koploper) != size or len(wave) != size:
        raise ValueError("koploper and wave need one entry per respondent")
    if koplopers is None:
        koplopers = draw_koplopers(rng, int(koploper.max(initial=0)) + 1)
    draw = Draw(rng, koploper, wave, koplopers, rng.normal(size=size), tweaks)
    for item in questionnaire.items:
        column = GENERATORS[item.type](item, draw)
        shown = (
            np.ones(size, dtype=bool)
            if item.show_if is None
            else _holds(item.show_if, draw.columns)
        )
        kept = shown if item.required else shown & (rng.random(size) >= SKIP_RATE)
        draw.columns[item.key] = column.where(kept)
    language = np.where(rng.random(size) < EASY_READ_SHARE, EASY_READ, STANDARD).astype(object)
    return Sample(questionnaire, draw.columns, language, koploper, wave)
