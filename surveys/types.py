"""The question-type dictionary: what each type of question is, as data.

Like pyxform's ``question_type_dictionary``, one table says for every type what its answer is (the
type predicate, what counts as not answered), which value rules the response check applies, which
``answers`` column stores it, how the interchange codec writes and reads it, which fixed answer
scale it has and what the analysis may do with it. Definitions, the response check, storage, the
codec, measures and the respondent page read this table instead of branching on type names: a new
type is a new entry here (and a widget on the respondent page).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from surveys.interchange import (
    decode_code,
    decode_codes,
    decode_number,
    decode_text,
    encode_code,
    encode_codes,
    encode_number,
    encode_text,
)
from surveys.vocabulary import EASY_READ

DONT_KNOW_CODE = 9
DONT_KNOW_LABEL = {"nl": "Weet niet / niet van toepassing", EASY_READ: "Weet ik niet"}
DEFAULT_TEXT_LIMIT = 1000

Column = Literal["code", "number", "text"]
"""The ``answers`` column a type's answer is stored in."""
Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class ScalePoint:
    code: int
    label: dict[str, str]


# --- answers: the type predicates, what counts as blank, how one answer is stored --------------


def is_code(value: Any) -> bool:
    """An answer code is a plain int: not a bool, not 1.0, not "1"."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_codes(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(is_code(code) for code in value)


def is_number(value: Any) -> bool:
    """A finite int or float that fits in a float (so it can be stored and computed with)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int with hundreds of digits
        return False


def is_text(value: Any) -> bool:
    return isinstance(value, str)


def never_blank(_value: Any) -> bool:
    """A given code or number is an answer, right or wrong (0 too)."""
    return False


def empty_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 0


def blank_text(value: Any) -> bool:
    """A text of only spaces counts as not answered."""
    return isinstance(value, str) and not value.strip()


def _store_code(value: Any) -> list[Any]:
    return [int(value)]


def _store_codes(value: Any) -> list[Any]:
    return [int(code) for code in sorted(value)]


def _store_number(value: Any) -> list[Any]:
    return [float(value)]


def _store_text(value: Any) -> list[Any]:
    return [str(value)]


def _first(stored: Sequence[Any]) -> Any:
    return stored[0]


def _sorted_codes(stored: Sequence[Any]) -> Any:
    return sorted(int(code) for code in stored)


def _stored_number(stored: Sequence[Any]) -> Any:
    return float(stored[0])


@dataclass(frozen=True)
class QuestionType:
    """Everything the layers need to know about one type of question.

    Check (``accepts``, ``blank``, ``rules``, messages), storage (``column``, ``store``, ``load``),
    codec (``encode``, ``decode``) and analysis (``quantity``, ``groups``, ``scored``) read these
    entries; no module branches on a type's name.
    """

    name: str
    label: str
    column: Column
    accepts: Predicate
    """The type predicate: whether a value is an answer of this type at all (right or wrong)."""
    blank: Predicate
    """Whether a given value (not None) still counts as not answered."""
    store: Callable[[Any], list[Any]]
    """The ``column`` values of one answer, one ``answers`` row each, in storing order."""
    load: Callable[[Sequence[Any]], Any]
    """The answer back from its stored values (the inverse of ``store``)."""
    encode: Callable[[Any], str]
    """An answer as its interchange text (see ``surveys.interchange``)."""
    decode: Callable[[str], Any]
    """Interchange text back to an answer; None for blank, the text itself when not readable."""
    rules: tuple[str, ...]
    """The value rules checked on an answer (names in ``surveys.validation.RULES``)."""
    type_message: str
    """For the respondent, after 'Vraag "…": ', when the answer is of the wrong type."""
    blank_hint: str
    """For the respondent, when a required question is left open."""
    multiple: bool
    fixed_scale: tuple[ScalePoint, ...] | None
    """Answer points every question of this type shares; None when the definition lists options."""
    dont_know_allowed: bool
    """Whether a definition may offer 'weet niet' (``DONT_KNOW_CODE``) on this type."""
    takes_range: bool
    """Whether a definition may give ``min`` and ``max``."""
    default_max_length: int | None
    """The text limit when a definition gives none; None: the type takes no ``max_length``."""
    ordered: bool
    """Whether conditions may compare answers by order (gt, ge, lt, le)."""
    quantity: bool
    """Whether the answer is a quantity, so a mean means something."""
    groups: bool
    """Whether the answer sorts respondents into groups (subgroups in the analysis)."""
    scored: bool
    """Whether the fixed scale runs from worst to best, so it scores 0–100 in a theme score."""

    @property
    def coded(self) -> bool:
        """The answer is one or more integer codes (not free text or a free number)."""
        return self.column == "code"

    def unanswered(self, value: Any) -> bool:
        """Whether a value means "not answered": None, and per type e.g. an empty list or text."""
        return value is None or self.blank(value)


AGREEMENT = (
    ScalePoint(1, {"nl": "Helemaal niet mee eens", EASY_READ: "Helemaal niet waar"}),
    ScalePoint(2, {"nl": "Niet mee eens", EASY_READ: "Niet waar"}),
    ScalePoint(3, {"nl": "Neutraal", EASY_READ: "Soms waar, soms niet"}),
    ScalePoint(4, {"nl": "Mee eens", EASY_READ: "Waar"}),
    ScalePoint(5, {"nl": "Helemaal mee eens", EASY_READ: "Helemaal waar"}),
)
YES_NO = (
    ScalePoint(1, {"nl": "Ja", EASY_READ: "Ja"}),
    ScalePoint(0, {"nl": "Nee", EASY_READ: "Nee"}),
)
GRADE = tuple(ScalePoint(n, {"nl": str(n), EASY_READ: str(n)}) for n in range(1, 11))


def _one_code(
    name: str,
    label: str,
    scale: tuple[ScalePoint, ...] | None = None,
    *,
    dont_know: bool,
    quantity: bool = False,
    groups: bool = False,
    scored: bool = False,
) -> QuestionType:
    return QuestionType(
        name=name,
        label=label,
        column="code",
        accepts=is_code,
        blank=never_blank,
        store=_store_code,
        load=_first,
        encode=encode_code,
        decode=decode_code,
        rules=("codes",),
        type_message="kies een van de antwoorden.",
        blank_hint="Kies een antwoord.",
        multiple=False,
        fixed_scale=scale,
        dont_know_allowed=dont_know,
        takes_range=False,
        default_max_length=None,
        ordered=True,
        quantity=quantity,
        groups=groups,
        scored=scored,
    )


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        _one_code("single_choice", "één keuze", dont_know=True, groups=True),
        QuestionType(
            name="multiple_choice",
            label="meer keuzes",
            column="code",
            accepts=is_codes,
            blank=empty_list,
            store=_store_codes,
            load=_sorted_codes,
            encode=encode_codes,
            decode=decode_codes,
            rules=("codes", "distinct", "exclusive"),
            type_message="kies een of meer van de antwoorden.",
            blank_hint="Kies een antwoord.",
            multiple=True,
            fixed_scale=None,
            dont_know_allowed=False,
            takes_range=False,
            default_max_length=None,
            ordered=False,
            quantity=False,
            groups=True,
            scored=False,
        ),
        _one_code("agreement", "5-puntsschaal", AGREEMENT, dont_know=True, scored=True),
        _one_code("yes_no", "ja/nee", YES_NO, dont_know=True, groups=True, scored=True),
        _one_code("grade", "rapportcijfer 1-10", GRADE, dont_know=False, quantity=True),
        QuestionType(
            name="number",
            label="getal",
            column="number",
            accepts=is_number,
            blank=never_blank,
            store=_store_number,
            load=_stored_number,
            encode=encode_number,
            decode=decode_number,
            rules=("range",),
            type_message="vul een getal in.",
            blank_hint="Vul een antwoord in.",
            multiple=False,
            fixed_scale=None,
            dont_know_allowed=False,
            takes_range=True,
            default_max_length=None,
            ordered=True,
            quantity=True,
            groups=False,
            scored=False,
        ),
        QuestionType(
            name="text",
            label="open tekst",
            column="text",
            accepts=is_text,
            blank=blank_text,
            store=_store_text,
            load=_first,
            encode=encode_text,
            decode=decode_text,
            rules=("length", "characters"),
            type_message="vul uw antwoord in als tekst.",
            blank_hint="Vul een antwoord in.",
            multiple=False,
            fixed_scale=None,
            dont_know_allowed=False,
            takes_range=False,
            default_max_length=DEFAULT_TEXT_LIMIT,
            ordered=False,
            quantity=False,
            groups=False,
            scored=False,
        ),
    )
}

