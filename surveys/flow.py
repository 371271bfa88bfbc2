"""The respondent's path through a questionnaire: which screens, in which order, with what progress.

Pure logic, no Streamlit: the standard register shows one section per screen, the easy-read
register one question per screen; hidden questions are never shown and their answers are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.definition import Item, Questionnaire
from surveys.numbers import number
from surveys.vocabulary import EASY_READ


def is_unanswered(item: Item, value: Any) -> bool:
    """Whether a value means "not answered" (the question-type table decides, per type)."""
    return item.is_unanswered(value)


def visible_items(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Item]:
    """The questions shown, given the answers, in questionnaire order.

    A question is shown when it has no condition, or when its condition holds on the answers to
    the questions shown before it: an answer to a hidden question counts for nothing.
    """
    shown: list[Item] = []
    given: dict[str, Any] = {}
    for item in questionnaire.items:
        if item.show_if is not None and not item.show_if.evaluate(given):
            continue
        shown.append(item)
        value = answers.get(item.key)
        if not is_unanswered(item, value):
            given[item.key] = value
    return shown


def visible_keys(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    return [item.key for item in visible_items(questionnaire, answers)]


def prune(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers worth storing from a response that passed: shown, answered questions only.

    Drops what counts as not answered (None, [], a text of only spaces), in questionnaire order;
    a tuple of codes becomes a list. Texts are kept exactly as typed.
    """
    shown = set(visible_keys(questionnaire, answers))
    kept: dict[str, Any] = {}
    for item in questionnaire.items:
        value = answers.get(item.key)
        if item.key in shown and not is_unanswered(item, value):
            kept[item.key] = list(value) if isinstance(value, tuple) else value
    return kept


@dataclass(frozen=True)
class Screen:
    title: str
    items: tuple[Item, ...]


def screens(
    questionnaire: Questionnaire, answers: Mapping[str, Any], language: str
) -> list[Screen]:
    """The screens to show now: a section each (standard) or a question each (easy read)."""
    visible = {item.key for item in visible_items(questionnaire, answers)}
    result: list[Screen] = []
    for section in questionnaire.sections:
        items = tuple(item for item in section.items if item.key in visible)
        if not items:
            continue
        if language == EASY_READ:
            result += [Screen(section.title[language], (item,)) for item in items]
        else:
            result.append(Screen(section.title[language], items))
    return result


def screen_of(
    questionnaire: Questionnaire, answers: Mapping[str, Any], language: str, item_key: str
) -> int:
    """The index of the screen that shows ``item_key`` (for 'Wijzig' on the overview)."""
    for index, screen in enumerate(screens(questionnaire, answers, language)):
        if any(item.key == item_key for item in screen.items):
            return index
    raise KeyError(item_key)


def display_value(item: Item, value: Any, language: str) -> str:
    """An answer as the respondent reads it on the overview; plain text, never markup."""
    if is_unanswered(item, value):
        return "Niet ingevuld" if language != EASY_READ else "Niets ingevuld"
    if item.qtype.multiple:
        return ", ".join(item.label_of(code, language) for code in sorted(value))
    if item.qtype.coded:
        return item.label_of(value, language)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)  # '2,5' and '1.200', as the respondent writes them
    return str(value)
