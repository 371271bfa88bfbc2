"""The subgroups the dashboard can show on their own: the profile questions that split the
respondents (target group, age, who filled in, role) and how people answered (channel, register).
"""

from __future__ import annotations

from dataclasses import dataclass

from measures.indicators import IndicatorSet
from surveys.vocabulary import CHANNEL_LABELS, LANGUAGE_LABELS


@dataclass(frozen=True)
class SubgroupChoice:
    """A subgroup the dashboard can show on its own: a profile question, or how people answered.

    ``questionnaire`` is the questionnaire that asks the question (``None``: both); ``column``
    names a response column (channel, language) instead of a question.
    """

    key: str
    label: str
    questionnaire: str | None
    multiple: bool
    categories: dict[int, str]
    column: str | None = None


SUBGROUP_ITEMS = {
    "target_group": "Doelgroep",
    "age_group": "Leeftijd",
    "filled_by": "Wie vulde in",
    "role": "Rol (verwijzers en ondersteuners)",
}


def subgroup_choices(indicators: IndicatorSet) -> dict[str, SubgroupChoice]:
    """The subgroups of the filter, by key: target group, age, who filled in, role, channel,
    register."""
    found: dict[str, SubgroupChoice] = {}
    for key, spec in indicators.questionnaires.items():
        for item in spec.definition.items:
            if item.key in SUBGROUP_ITEMS:
                labels = {
                    o.code: o.label["nl"] for o in item.options if o.code not in item.missing_codes
                }
                found[item.key] = SubgroupChoice(
                    item.key, SUBGROUP_ITEMS[item.key], key, item.qtype.multiple, labels
                )
    found["channel"] = SubgroupChoice(
        "channel", "Kanaal", None, False, dict(CHANNEL_LABELS), column="channel"
    )
    found["language"] = SubgroupChoice(
        "language",
        "Versie van de vragenlijst",
        None,
        False,
        dict(LANGUAGE_LABELS),
        column="language",
    )
    return found
