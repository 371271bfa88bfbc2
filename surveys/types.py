"""The question-type dictionary: what each type of question is, as data.

Like pyxform's ``question_type_dictionary``, one table says for every type whether its answer is a
code, whether several codes may be chosen, and which fixed answer scale it has. Definitions, the
response check and the respondent page all read this table instead of branching on type names.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("nl", "nl-eenvoudig")
"""The two registers: standard B1 Dutch and easy read."""

DONT_KNOW_CODE = 9
DONT_KNOW_LABEL = {"nl": "Weet niet / niet van toepassing", "nl-eenvoudig": "Weet ik niet"}


@dataclass(frozen=True)
class ScalePoint:
    code: int
    label: dict[str, str]


@dataclass(frozen=True)
class QuestionType:
    name: str
    label: str
    coded: bool
    """The answer is one or more integer codes (not free text or a free number)."""
    multiple: bool = False
    fixed_scale: tuple[ScalePoint, ...] | None = None
    """Answer points every question of this type shares; None when the definition lists options."""
    dont_know_allowed: bool = False
    """Whether a definition may offer 'weet niet' (code 9) on this type."""


AGREEMENT = (
    ScalePoint(1, {"nl": "Helemaal niet mee eens", "nl-eenvoudig": "Helemaal niet waar"}),
    ScalePoint(2, {"nl": "Niet mee eens", "nl-eenvoudig": "Niet waar"}),
    ScalePoint(3, {"nl": "Neutraal", "nl-eenvoudig": "Soms waar, soms niet"}),
    ScalePoint(4, {"nl": "Mee eens", "nl-eenvoudig": "Waar"}),
    ScalePoint(5, {"nl": "Helemaal mee eens", "nl-eenvoudig": "Helemaal waar"}),
)
YES_NO = (
    ScalePoint(1, {"nl": "Ja", "nl-eenvoudig": "Ja"}),
    ScalePoint(0, {"nl": "Nee", "nl-eenvoudig": "Nee"}),
)
GRADE = tuple(ScalePoint(n, {"nl": str(n), "nl-eenvoudig": str(n)}) for n in range(1, 11))

QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType("single_choice", "één keuze", coded=True, dont_know_allowed=True),
        QuestionType("multiple_choice", "meer keuzes", coded=True, multiple=True),
        QuestionType(
            "agreement", "5-puntsschaal", coded=True, fixed_scale=AGREEMENT, dont_know_allowed=True
        ),
        QuestionType("yes_no", "ja/nee", coded=True, fixed_scale=YES_NO, dont_know_allowed=True),
        QuestionType("grade", "rapportcijfer 1-10", coded=True, fixed_scale=GRADE),
        QuestionType("number", "getal", coded=False),
        QuestionType("text", "open tekst", coded=False),
    )
}

THEMES = ("awareness", "findability", "quality", "outcome", "profile", "open")
THEME_LABELS = {
    "awareness": "Bekendheid",
    "findability": "Vindbaarheid",
    "quality": "Kwaliteit",
    "outcome": "Effect",
    "profile": "Achtergrond",
    "open": "Open vragen",
}
