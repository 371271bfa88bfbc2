"""How much of a respondent's unsent answers may be kept: nothing over an item's limit, ever.

A draft is saved while the respondent is still typing, so it can hold what the check will refuse
on sending: a text pasted 5.000.000 characters long. Such an answer is shown with its "te lang"
message but never kept (``storable``), and a draft as a whole has a ceiling derived from the
questionnaire (``draft_limit``): the largest answers the definition allows, every text at its
``max_length``. Sizes are counted in characters, as the limits of open text are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from surveys.definition import Item, Questionnaire
from surveys.flow import prune

NUMBER_CHARACTERS = 24
"""The longest number as stored: ``repr(-1.7976931348623157e308)`` is 24 characters."""


def answer_size(value: Any) -> int:
    """Characters one answer takes: a text by its length, anything else as JSON."""
    if isinstance(value, str):
        return len(value)
    return len(json.dumps(value, default=str))


def largest_answer(item: Item) -> int:
    """The size of the largest answer ``item`` accepts."""
    if item.max_length is not None:
        return item.max_length
    codes = [option.code for option in item.options]
    if item.qtype.multiple:
        return answer_size(codes)
    if codes:
        return max(answer_size(code) for code in codes)
    return NUMBER_CHARACTERS


def draft_size(answers: Mapping[str, Any]) -> int:
    """Characters of a draft's answers, keys included."""
    return sum(len(key) + answer_size(value) for key, value in answers.items())


def draft_limit(questionnaire: Questionnaire) -> int:
    """The largest draft ``questionnaire`` can give: every question answered at its limit."""
    return sum(len(item.key) + largest_answer(item) for item in questionnaire.items)


def storable(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a draft may keep: shown and answered, none larger than its item allows.

    An answer over its limit is left out (the respondent still sees it, with its message, until
    it is shortened); unknown keys go too, so the result always fits ``draft_limit``.
    """
    kept = prune(questionnaire, answers)
    return {
        key: value
        for key, value in kept.items()
        if answer_size(value) <= largest_answer(questionnaire.item(key))
    }
