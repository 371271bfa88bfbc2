"""The respondent's journey as a pure state machine: intro, screens, overview, sent.

The page only draws: it hands each event (a widget changed, 'Volgende', 'Vorige', 'Wijzig', …) to
a function here and draws the ``Journey`` it gets back. Messages stand beside their question: a
broken rule (two answers with "geen van deze", 150 where 0–99 fits, a text over its limit) as soon
as it is given, a required question left open when the respondent wants to go on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from surveys.definition import Questionnaire
from surveys.flow import Screen, is_unanswered, prune, screen_of, screens
from surveys.texts import TEXTS
from surveys.validation import validate_response
from surveys.vocabulary import EASY_READ

Stage = Literal["intro", "questions", "overview", "done"]


@dataclass(frozen=True)
class Journey:
    stage: Stage = "intro"
    screen: int = 0
    language: str = "nl"
    answers: dict[str, Any] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    """Item key → the message shown beside that question."""
    from_overview: bool = False
    """Came to this screen through 'Wijzig': offer the way back to the overview."""
    focus: Literal["heading", "message"] | None = None
    """Where the keyboard focus goes after this step."""


@dataclass(frozen=True)
class Progress:
    fraction: float
    text: str


def current(questionnaire: Questionnaire, journey: Journey) -> tuple[int, Screen]:
    """The screen shown now (clamped: answers may have hidden screens since)."""
    shown = screens(questionnaire, journey.answers, journey.language)
    index = max(0, min(journey.screen, len(shown) - 1))
    return index, shown[index]


def screen_messages(
    questionnaire: Questionnaire, journey: Journey, screen: Screen, required: bool
) -> dict[str, str]:
    """Messages for the questions on ``screen``; open required ones only when ``required``."""
    on_screen = {item.key: item for item in screen.items}
    messages: dict[str, str] = {}
    for problem in validate_response(questionnaire, journey.answers, journey.language):
        item = on_screen.get(problem.item_key or "")
        if item is None:
            continue
        if not is_unanswered(item, journey.answers.get(item.key)):
            messages[item.key] = problem.detail
        elif required:
            messages[item.key] = TEXTS["required"][journey.language]
    return messages


def edit(
    questionnaire: Questionnaire, journey: Journey, answers: Mapping[str, Any]
) -> tuple[Journey, set[str]]:
    """The widgets changed: keep the shown answers, update messages; returns the dropped keys.

    A required-question message stays until that question is answered; a broken rule shows at
    once and goes when it is mended.
    """
    kept = prune(questionnaire, answers)
    dropped = {
        item.key
        for item in questionnaire.items
        if item.key not in kept and not is_unanswered(item, answers.get(item.key))
    }
    journey = replace(journey, answers=kept)
    if journey.stage != "questions":
        return journey, dropped
    _, screen = current(questionnaire, journey)
    live = screen_messages(questionnaire, journey, screen, required=False)
    still_open = {
        key: message
        for key, message in journey.messages.items()
        if key in {i.key for i in screen.items}
        and is_unanswered(questionnaire.item(key), kept.get(key))
    }
    return replace(journey, messages={**still_open, **live}), dropped


def choose_language(journey: Journey, language: str) -> Journey:
    return replace(journey, language=language)


def start(journey: Journey) -> Journey:
    return replace(journey, stage="questions", screen=0, messages={}, focus="heading")


def back(questionnaire: Questionnaire, journey: Journey) -> Journey:
    if journey.stage == "overview":
        count = len(screens(questionnaire, journey.answers, journey.language))
        return replace(journey, stage="questions", screen=count - 1, focus="heading")
    index, _ = current(questionnaire, journey)
    if index == 0:
        return replace(journey, stage="intro", screen=0, messages={}, focus="heading")
    return replace(journey, screen=index - 1, messages={}, focus="heading")


def _leave(questionnaire: Questionnaire, journey: Journey, to: Journey) -> Journey:
    """Go on to ``to`` only when this screen has no message left."""
    _, screen = current(questionnaire, journey)
    messages = screen_messages(questionnaire, journey, screen, required=True)
    if messages:
        return replace(journey, messages=messages, focus="message")
    return replace(to, messages={}, focus="heading")


def forward(questionnaire: Questionnaire, journey: Journey) -> Journey:
    index, _ = current(questionnaire, journey)
    last = index + 1 >= len(screens(questionnaire, journey.answers, journey.language))
    to = replace(journey, stage="overview" if last else "questions", screen=index + 1)
    if last:
        to = replace(to, from_overview=False)
    return _leave(questionnaire, journey, to)


def to_overview(questionnaire: Questionnaire, journey: Journey) -> Journey:
    return _leave(questionnaire, journey, replace(journey, stage="overview", from_overview=False))


def change(questionnaire: Questionnaire, journey: Journey, item_key: str) -> Journey:
    """'Wijzig' on the overview: to the screen with that question, and back to the overview."""
    index = screen_of(questionnaire, journey.answers, journey.language, item_key)
    return replace(journey, stage="questions", screen=index, from_overview=True, focus="heading")


SCREEN_NUMBER = re.compile(r"[1-9][0-9]{0,3}")
INTRO, OVERVIEW = "intro", "overzicht"
"""The address of the intro and of the overview (``screen=`` in the link); a question screen's
address is its number, from 1."""


def address(journey: Journey) -> str:
    """Where the respondent is, as the address says it: ``intro``, ``1``, ``2``, …, ``overzicht``.

    The page puts it in the link on every step, so the browser's Back and Forward buttons and a
    reload come back to the same screen.
    """
    if journey.stage == "questions":
        return str(journey.screen + 1)
    return OVERVIEW if journey.stage in ("overview", "done") else INTRO


def at_address(questionnaire: Questionnaire, journey: Journey, where: str) -> Journey:
    """The screen an address names (Back, Forward, a reload), with every answer kept.

    Unknown addresses and anything after sending change nothing; a screen number past the end
    is the last screen (answers may have hidden screens since the address was made).
    """
    if journey.stage == "done" or where == address(journey):
        return journey
    moved = replace(journey, messages={}, focus="heading", from_overview=False)
    if where == INTRO:
        return replace(moved, stage="intro", screen=0)
    if where == OVERVIEW:
        return replace(moved, stage="overview")
    if SCREEN_NUMBER.fullmatch(where):
        count = len(screens(questionnaire, journey.answers, journey.language))
        return replace(moved, stage="questions", screen=min(int(where), count) - 1)
    return journey


def sent(journey: Journey) -> Journey:
    return replace(journey, stage="done", answers={}, messages={}, focus="heading")


def progress(questionnaire: Questionnaire, screen: Screen, language: str) -> Progress:
    """Progress that never runs backwards while going forward.

    Counted over the whole questionnaire, shown or not: follow-up questions that appear do not
    change the total, and questions skipped make it jump ahead.
    """
    if language == EASY_READ:
        keys = [item.key for item in questionnaire.items]
        position, total = keys.index(screen.items[0].key), len(keys)
        text = f"Vraag {position + 1} van {total}"
    else:
        sections = [
            section
            for section in questionnaire.sections
            if any(item.key == screen.items[0].key for item in section.items)
        ]
        position = questionnaire.sections.index(sections[0])
        total = len(questionnaire.sections)
        text = f"Deel {position + 1} van {total}"
    return Progress(fraction=position / total, text=text)
