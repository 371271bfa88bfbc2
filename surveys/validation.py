"""The server-side check of a whole response, with a pandera schema generated from the definition.

Before a response is stored, ``validate_response`` checks it against the exact questionnaire
version it was given for: types, allowed codes, ranges, text length, required-when-visible and
hidden-must-be-empty. It returns one ``Problem`` per question, in plain Dutch (B1), naming the
question by its text; an empty list means the response may be stored.

The response is checked as a long frame, one row per question (index: the item key), with the
answer as given in ``value``, whether it counts as an answer in ``answered`` and whether the
question is shown in ``visible``. Each rule is one pandera check over all rows, driven by a table
of that rule per item built from the definition, so the check costs about the same for 5 or 50
questions. (A frame with one column per item needs a pandera check per item and rule, at ~75 µs
each: a prototype of that took over 30 ms per response.) The schema is built once per
questionnaire object and cached.

The rules themselves come from one place: ``item_rules`` builds them from the question-type table
(``surveys.types``: each type lists its type predicate and value rules). ``check_table`` applies
the very same rules, vectorised, to many responses given as decoded columns of the interchange
format: measures' reader uses it, so a file row is refused exactly when the respondent page would
refuse the same answers.
"""

from __future__ import annotations

import logging
import math
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from surveys import numbers
from surveys.definition import Item, Questionnaire
from surveys.flow import visible_keys
from surveys.interchange import DecodedColumn

log = logging.getLogger(__name__)

QUESTION_TEXT_LIMIT = 60
"""Longer question texts are shortened in messages, ending in '…'."""

RULES = (
    "hidden",
    "type",
    "codes",
    "distinct",
    "exclusive",
    "range",
    "length",
    "characters",
    "required",
)
"""The rules per question, most relevant first: a question gets the message of the first broken."""

Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class Problem:
    """Why a response cannot be stored: one per question, or for the response as a whole."""

    item_key: str | None
    """The question's key; None for a problem with the response as a whole."""
    message: str
    """For the respondent: Dutch, plain language, naming the question by its text."""
    detail: str = field(default="", compare=False)
    """The same without naming the question: to stand right beside it on the screen."""


# --- the value rules of one question, driven by the question-type table --------------------------


def _guarded(accepts: Predicate, rule: Predicate) -> Predicate:
    """A rule on an answer of the right type; other values are for the 'type' rule to report."""
    return lambda value: value is None or not accepts(value) or rule(value)


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL and lone surrogates: no database text column takes them, and no keyboard types them."""


def _codes_rule(item: Item) -> Predicate | None:
    allowed = frozenset(item.allowed_codes)
    if item.qtype.multiple:
        return lambda codes: all(code in allowed for code in codes)
    return lambda code: code in allowed


def _distinct_rule(_item: Item) -> Predicate | None:
    return lambda codes: len(set(codes)) == len(codes)


def _exclusive_rule(item: Item) -> Predicate | None:
    alone = frozenset(o.code for o in item.options if o.exclusive)
    if not alone:
        return None
    return lambda codes: len(codes) <= 1 or not alone.intersection(codes)


def _range_rule(item: Item) -> Predicate | None:
    if item.min is None and item.max is None:
        return None
    low = -math.inf if item.min is None else item.min
    high = math.inf if item.max is None else item.max
    return lambda number: low <= number <= high


def _length_rule(item: Item) -> Predicate | None:
    limit = item.max_length
    return None if limit is None else lambda text: len(text) <= limit


def _characters_rule(_item: Item) -> Predicate | None:
    return lambda text: UNSTORABLE.search(text) is None


RULE_BUILDERS: dict[str, Callable[[Item], Predicate | None]] = {
    "codes": _codes_rule,
    "distinct": _distinct_rule,
    "exclusive": _exclusive_rule,
    "range": _range_rule,
    "length": _length_rule,
    "characters": _characters_rule,
}
"""The value rules a question type may list in its ``rules`` entry; None: not for this item."""


def item_rules(item: Item) -> dict[str, Predicate]:
    """The value rules of one question, each a predicate that is True for an acceptable answer.

    The one place the rules come from: the respondent check applies them per answer, and
    ``check_table`` per distinct cell of a file. None (no answer) passes every rule.
    """
    accepts = item.qtype.accepts
    rules: dict[str, Predicate] = {"type": lambda value: value is None or accepts(value)}
    for name in item.qtype.rules:
        rule = RULE_BUILDERS[name](item)
        if rule is not None:
            rules[name] = _guarded(accepts, rule)
    return rules


def _rule_check(rule: str, predicates: Mapping[str, Predicate]) -> pa.Check:
    """One pandera check of ``value`` applying, row by row, the rule's predicate for that item."""

    def check(values: pd.Series) -> pd.Series:
        return pd.Series(
            [
                (predicate := predicates.get(key)) is None or predicate(value)
                for key, value in zip(values.index, values, strict=True)
            ],
            index=values.index,
            dtype=bool,
        )

    return pa.Check(check, name=rule, ignore_na=False)


def _build_schema(questionnaire: Questionnaire) -> pa.DataFrameSchema:
    items = questionnaire.items
    keys = [item.key for item in items]
    by_rule: dict[str, dict[str, Predicate]] = {}
    for item in items:
        for rule, predicate in item_rules(item).items():
            by_rule.setdefault(rule, {})[item.key] = predicate
    required = [item.key for item in items if item.required]

    def hidden_is_empty(frame: pd.DataFrame) -> pd.Series:
        return frame["visible"] | ~frame["answered"]

    def required_is_answered(frame: pd.DataFrame) -> pd.Series:
        return ~(frame.index.isin(required) & frame["visible"]) | frame["answered"]

    return pa.DataFrameSchema(
        {
            "value": pa.Column(
                nullable=True,
                checks=[_rule_check(rule, by_rule[rule]) for rule in RULES if rule in by_rule],
            ),
            "answered": pa.Column(bool),
            "visible": pa.Column(bool),
        },
        index=pa.Index(
            checks=pa.Check(lambda index: index.isin(keys), name="known", ignore_na=False)
        ),
        checks=[
            pa.Check(hidden_is_empty, name="hidden", ignore_na=False),
            pa.Check(required_is_answered, name="required", ignore_na=False),
        ],
        strict=True,
        name=f"antwoorden {questionnaire.key}",
        description="A row per question: the answer, whether it counts, whether it is shown.",
        metadata={"questionnaire": questionnaire.key, "items": keys},
    )


_SCHEMAS: dict[int, tuple[weakref.ReferenceType[Questionnaire], pa.DataFrameSchema]] = {}


def response_schema(questionnaire: Questionnaire) -> pa.DataFrameSchema:
    """The pandera schema of a response to this questionnaire, built once per questionnaire object.

    The cache holds the questionnaire weakly and forgets the schema when the questionnaire is
    gone. Questionnaires are not changed after loading; one that is changed needs a new object.
    """
    key = id(questionnaire)
    cached = _SCHEMAS.get(key)
    if cached is not None and cached[0]() is questionnaire:
        return cached[1]
    schema = _build_schema(questionnaire)
    _SCHEMAS[key] = (weakref.ref(questionnaire, lambda _, key=key: _SCHEMAS.pop(key, None)), schema)
    return schema


def response_frame(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> pd.DataFrame:
    """The frame the schema checks: a row per question in order, then a row per unknown key.

    ``value`` holds the answer as given (None when absent), ``answered`` whether it counts as an
    answer (see ``QuestionType.blank``) and ``visible`` whether the question is shown. Unknown keys
    count as shown, so only the index check reports them.
    """
    shown = set(visible_keys(questionnaire, answers))
    keys: list[str] = []
    values: list[Any] = []
    answered: list[bool] = []
    for item in questionnaire.items:
        value = answers.get(item.key)
        keys.append(item.key)
        values.append(value)
        answered.append(not item.is_unanswered(value))
    known = set(keys)
    for key, value in answers.items():
        if key not in known:
            keys.append(key)
            values.append(value)
            answered.append(value is not None)
            shown.add(key)
    column = np.empty(len(values), dtype=object)
    column[:] = values  # element by element: a list stays one answer, 2.0 and True stay themselves
    index = pd.Index(keys, name="item")
    return pd.DataFrame(
        {
            # A Series of dtype object: pandas then infers nothing (a bare object array makes it
            # try dates, which an integer beyond a float, such as 10**400, breaks).
            "value": pd.Series(column, index=index, dtype=object),
            "answered": np.array(answered, dtype=bool),
            "visible": np.fromiter((key in shown for key in keys), dtype=bool, count=len(keys)),
        },
        index=index,
    )


# --- messages ----------------------------------------------------------------------------------


def _shorten(text: str, limit: int = QUESTION_TEXT_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:?!") + "…"



def range_text(item: Item) -> str:
    """The allowed range of a number question in Dutch: 'van 0 tot 120', 'van 0 of meer'."""
    if item.min is not None and item.max is not None:
        return f"van {numbers.number(item.min)} tot {numbers.number(item.max)}"
    if item.min is not None:
        return f"van {numbers.number(item.min)} of meer"
    return f"van {numbers.number(item.max)} of minder"  # type: ignore[arg-type]


def _detail(item: Item, rule: str, value: Any, language: str) -> str:
    """What is wrong with the answer to ``item`` under ``rule``, without naming the question."""
    if rule == "hidden":
        return "deze vraag hoort niet bij uw eerdere antwoorden en moet leeg blijven."
    if rule == "type":
        return item.qtype.type_message
    if rule == "codes" and item.qtype.multiple:
        return "een van uw antwoorden bestaat niet. Kies uit de antwoorden die er staan."
    if rule == "codes":
        return "dit antwoord bestaat niet. Kies een van de antwoorden."
    if rule == "distinct":
        return "u heeft een antwoord twee keer gekozen. Kies elk antwoord één keer."
    if rule == "exclusive":
        label = next(o.label for o in item.options if o.exclusive)
        return f'"{label.get(language) or label["nl"]}" kan niet samen met een ander antwoord.'
    if rule == "range":
        return f"vul een getal in {range_text(item)}."
    if rule == "length":
        return (
            f"uw antwoord is te lang ({numbers.whole(len(value))} tekens). "
            f"Het mag maximaal {numbers.whole(item.max_length or 0)} tekens zijn."
        )
    if rule == "characters":
        return "uw antwoord bevat een teken dat wij niet kunnen bewaren. Haal het weg."
    return "deze vraag is verplicht. " + item.qtype.blank_hint


def _problem(item: Item, rule: str, value: Any, language: str) -> Problem:
    texts = item.text
    detail = _detail(item, rule, value, language)
    question = f'Vraag "{_shorten(texts.get(language) or texts["nl"])}": '
    return Problem(item.key, question + detail, detail[:1].upper() + detail[1:])


def _unknown_message(key: str) -> str:
    return f'Vraag "{_shorten(key)}" bestaat niet in deze vragenlijst. Dit antwoord kan niet mee.'


UNREADABLE = "Wij konden uw antwoorden niet lezen. Probeer het opnieuw."
UNCHECKED = "Wij konden uw antwoorden niet controleren. Probeer het opnieuw."


# --- the check ---------------------------------------------------------------------------------


def _failures(failure_cases: pd.DataFrame) -> Iterable[tuple[str, Any]]:
    """(rule, item key) for every failing row; a dataframe check lists each row once per column."""
    seen: set[tuple[str, Any]] = set()
    for rule, key in zip(failure_cases["check"], failure_cases["index"], strict=True):
        if (rule, key) not in seen:
            seen.add((rule, key))
            yield rule, key


def validate_response(
    questionnaire: Questionnaire, answers: Mapping[str, Any], language: str = "nl"
) -> list[Problem]:
    """Check a whole response; [] when it may be stored, else one Problem per question.

    Problems come in questionnaire order, then unknown keys in the order given; each question
    gets the message of the most relevant rule it breaks (see ``RULES``).
    """
    if not isinstance(answers, Mapping) or not all(isinstance(key, str) for key in answers):
        return [Problem(None, UNREADABLE)]
    schema = response_schema(questionnaire)
    frame = response_frame(questionnaire, answers)
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except SchemaErrors as errors:
        failure_cases = errors.failure_cases
    else:
        return []

    broken: dict[str, set[str]] = {}
    unknown: set[str] = set()
    whole: list[Problem] = []
    for rule, key in _failures(failure_cases):
        if rule == "known" and isinstance(key, str):
            unknown.add(key)
        elif rule in RULES and isinstance(key, str):
            broken.setdefault(key, set()).add(rule)
        elif not whole:  # not one of our rules: a bug here, so refuse rather than store
            log.error("unexpected failure in response check: %s %r", rule, key)
            whole.append(Problem(None, UNCHECKED))

    problems = list(whole)
    values = frame["value"]
    for item in questionnaire.items:
        rules = broken.get(item.key)
        if rules:
            rule = next(rule for rule in RULES if rule in rules)
            problems.append(_problem(item, rule, values[item.key], language))
    problems.extend(Problem(key, _unknown_message(key)) for key in answers if key in unknown)
    return problems


# --- many responses at once: the same rules over the columns of a file --------------------------


@dataclass(frozen=True)
class RowProblems:
    """The rows (positions) whose answer to one question breaks ``rule`` first (see ``RULES``)."""

    item_key: str
    rule: str
    rows: np.ndarray


NONE_BROKEN = len(RULES)


def _first_broken(rules: Mapping[str, Predicate], value: Any) -> int:
    """The position in ``RULES`` of the first value rule the answer breaks; NONE_BROKEN if none."""
    for position, rule in enumerate(RULES):
        predicate = rules.get(rule)
        if predicate is not None and not predicate(value):
            return position
    return NONE_BROKEN


def _visibility(
    item: Item,
    columns: Mapping[str, DecodedColumn],
    given: Mapping[str, np.ndarray],
    size: int,
    cache: dict[str, np.ndarray],
) -> np.ndarray:
    """Per row whether the question is shown: its condition on the shown, answered earlier answers.

    The condition is evaluated once per distinct combination of the answers it refers to (a few),
    not once per row; questions with the same condition share the result.
    """
    if item.show_if is None:
        return np.ones(size, dtype=bool)
    signature = repr(item.show_if)
    if signature in cache:
        return cache[signature]
    referenced = sorted(item.show_if.referenced_items())
    combinations, inverse = _combinations([given[key] for key in referenced])
    shown = np.fromiter(
        (
            item.show_if.evaluate(
                {
                    key: columns[key].values[position]
                    for key, position in zip(referenced, combination, strict=True)
                    if position >= 0
                }
            )
            for combination in combinations
        ),
        dtype=bool,
        count=len(combinations),
    )
    cache[signature] = shown[inverse]
    return cache[signature]


def _combinations(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of int columns (values from −1 up), and each row's position among them.

    A counting sort on one mixed-radix key, linear in the rows, when the key range is small (a
    condition refers to an answer or two with a few codes); otherwise ``np.unique``, which sorts.
    """
    sizes = [int(column.max(initial=-1)) + 2 for column in columns]
    if math.prod(sizes) > 4 * len(columns[0]) + 1024:
        combinations, inverse = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        return combinations, inverse.reshape(-1)
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, size in zip(columns, sizes, strict=True):
        key = key * size + (column + 1)
    present = np.zeros(math.prod(sizes), dtype=bool)
    present[key] = True
    found = np.flatnonzero(present)
    position = np.empty(len(present), dtype=np.int64)
    position[found] = np.arange(len(found))
    combinations = np.empty((len(found), len(columns)), dtype=np.int64)
    rest = found.copy()
    for place in range(len(columns) - 1, -1, -1):
        combinations[:, place] = rest % sizes[place] - 1
        rest //= sizes[place]
    return combinations, position[key]


def check_table(
    questionnaire: Questionnaire, columns: Mapping[str, DecodedColumn], size: int
) -> list[RowProblems]:
    """Check ``size`` responses to one questionnaire version at once, given as decoded columns.

    The same rules as ``validate_response``, in the same order of relevance: a row passes here
    exactly when its answers, decoded (``surveys.interchange``), pass ``validate_response``.
    Columns of questions not in ``columns`` count as empty; unknown columns are the caller's to
    refuse. Returns, per question and rule, the rows whose first broken rule it is.
    """
    empty = DecodedColumn(np.full(size, -1, dtype=np.int64), [], [])
    given: dict[str, np.ndarray] = {}
    cache: dict[str, np.ndarray] = {}
    problems: list[RowProblems] = []
    for item in questionnaire.items:
        column = columns.get(item.key, empty)
        rules = item_rules(item)
        answered = np.asarray(
            [not item.is_unanswered(value) for value in column.values] + [False], dtype=bool
        )[column.index]
        broken = np.asarray(
            [_first_broken(rules, value) for value in column.values] + [NONE_BROKEN],
            dtype=np.int64,
        )[column.index]
        shown = _visibility(item, columns, given, size, cache)
        given[item.key] = np.where(shown & answered, column.index, -1)
        broken = np.where(shown | ~answered, broken, RULES.index("hidden"))
        if item.required:
            missing = shown & ~answered & (broken == NONE_BROKEN)
            broken = np.where(missing, RULES.index("required"), broken)
        counts = np.bincount(broken, minlength=NONE_BROKEN + 1)
        for position in np.flatnonzero(counts[:NONE_BROKEN]):
            rows = np.flatnonzero(broken == position)
            problems.append(RowProblems(item.key, RULES[position], rows))
    return problems
