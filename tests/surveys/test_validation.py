"""The server-side check of a whole response: what passes, what is refused, and what it says."""

from __future__ import annotations

import copy
import gc
import math
from typing import Any

import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.definition import Item, Questionnaire, load_builtin, parse_definition
from surveys.flow import is_unanswered, prune, visible_keys
from surveys.validation import (
    Problem,
    response_frame,
    response_schema,
    validate_response,
)


def texts(nl: str, easy: str | None = None) -> dict[str, str]:
    return {"nl": nl, "nl-eenvoudig": easy or nl}


def options(*labels: str) -> list[dict[str, Any]]:
    return [{"code": n, "label": texts(label)} for n, label in enumerate(labels, start=1)]


REMARK = "Wat wilt u nog zeggen over de hulp die u kreeg van de cliëntondersteuner in uw gemeente?"

SYNTHETIC_RAW: dict[str, Any] = {
    "key": "test",
    "audience": "client",
    "minutes": 5,
    "title": texts("Test"),
    "intro": texts("Intro"),
    "sections": [
        {
            "key": "een",
            "title": texts("Een"),
            "items": [
                {
                    "key": "age",
                    "type": "number",
                    "theme": "profile",
                    "required": True,
                    "min": 0,
                    "max": 120,
                    "text": texts("Hoe oud bent u?", "Hoe oud bent u? Schrijf een getal."),
                },
                {
                    "key": "hours",
                    "type": "number",
                    "theme": "profile",
                    "min": 0,
                    "max": 7.5,
                    "text": texts("Hoeveel uur per dag?"),
                },
                {
                    "key": "visits",
                    "type": "number",
                    "theme": "profile",
                    "min": 0,
                    "text": texts("Hoe vaak ging u?"),
                },
                {"key": "free", "type": "number", "theme": "profile", "text": texts("Een getal?")},
                {
                    "key": "member",
                    "type": "yes_no",
                    "theme": "profile",
                    "required": True,
                    "dont_know": True,
                    "text": texts("Bent u lid?"),
                },
                {
                    "key": "reasons",
                    "type": "multiple_choice",
                    "theme": "profile",
                    "show_if": {"item": "member", "op": "eq", "value": 1},
                    "text": texts("Waarom?"),
                    "options": options("Goedkoop", "Dichtbij", "Iets anders"),
                },
                {
                    "key": "reason_other",
                    "type": "text",
                    "theme": "open",
                    "max_length": 20,
                    "show_if": {
                        "all": [
                            {"item": "member", "op": "eq", "value": 1},
                            {"item": "reasons", "op": "contains", "value": 3},
                        ]
                    },
                    "text": texts("Welke andere reden?"),
                },
                {
                    "key": "score",
                    "type": "grade",
                    "theme": "quality",
                    "show_if": {"item": "reason_other", "op": "answered"},
                    "text": texts("Welk cijfer?"),
                },
            ],
        },
        {
            "key": "twee",
            "title": texts("Twee"),
            "items": [
                {
                    "key": "remark",
                    "type": "text",
                    "theme": "open",
                    "required": True,
                    "max_length": 40,
                    "text": texts(REMARK),
                }
            ],
        },
    ],
}

CLIENT = load_builtin("client")
PROFESSIONAL = load_builtin("professional")
SYNTHETIC = parse_definition(copy.deepcopy(SYNTHETIC_RAW), "test.yaml")
QUESTIONNAIRES = {"client": CLIENT, "professional": PROFESSIONAL, "synthetic": SYNTHETIC}

FULL_CLIENT: dict[str, Any] = {
    "aware_oco": 1,
    "heard_via": [1, 3],
    "used_oco": 1,
    "knew_where": 4,
    "easy_contact": 5,
    "quick_help": 9,
    "taken_seriously": 5,
    "solutions_together": 4,
    "on_my_side": 3,
    "knew_enough": 2,
    "grade": 8,
    "outcome_choices": 4,
    "outcome_fit": 1,
    "outcome_cope": 9,
    "need_domains": [2, 3],
    "target_group": [1, 6],
    "age_group": 5,
    "filled_by": 2,
    "comments": "Ik werd goed geholpen. Dank u wel!",
}
FULL_PROFESSIONAL: dict[str, Any] = {
    "role": 5,
    "aware_offer": 4,
    "referrals": 3,
    "knows_how_refer": 5,
    "findable_for_residents": 2,
    "near_access": 9,
    "independent_position": 3,
    "formal_informal": 4,
    "expertise_elderly": 2,
    "expertise_lvb": 1,
    "expertise_homeless": 9,
    "quality_grade": 7,
    "unmet_groups": [2, 3],
    "comments": "Meer bekendheid bij huisartsen.",
}
FULL_SYNTHETIC: dict[str, Any] = {
    "age": 67,
    "hours": 2.5,
    "visits": 3,
    "free": -12.25,
    "member": 1,
    "reasons": [1, 3],
    "reason_other": "De mensen",
    "score": 9,
    "remark": "Niets.",
}
FOLLOW_UPS_CLIENT = [item.key for item in CLIENT.items if item.show_if is not None]
FULL = {"client": FULL_CLIENT, "professional": FULL_PROFESSIONAL, "synthetic": FULL_SYNTHETIC}


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def changed(name: str, **changes: Any) -> dict[str, Any]:
    """A full response with some answers changed; the value ABSENT removes the answer."""
    answers = dict(FULL[name])
    for key, value in changes.items():
        if value is ABSENT:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def keys_of(problems: list[Problem]) -> list[str | None]:
    return [problem.item_key for problem in problems]


# --- what passes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FULL)
@pytest.mark.parametrize("language", ["nl", "nl-eenvoudig"])
def test_a_full_valid_response_passes(name: str, language: str) -> None:
    assert validate_response(QUESTIONNAIRES[name], FULL[name], language) == []


HIDDEN_WITHOUT_SUPPORT = dict.fromkeys(FOLLOW_UPS_CLIENT, ABSENT)

ACCEPTED = [
    (
        "a client who never heard of or had support skips the follow-up questions",
        "client",
        changed("client", aware_oco=0, used_oco=0, **HIDDEN_WITHOUT_SUPPORT),
    ),
    ("a client answering only the required question", "client", {"used_oco": 0}),
    (
        "don't know (9) where the question offers it",
        "client",
        changed("client", aware_oco=9, heard_via=ABSENT),
    ),
    ("no (0) to a yes/no question", "client", changed("client", aware_oco=0, heard_via=None)),
    ("an empty list for a skipped multiple choice", "client", changed("client", need_domains=[])),
    ("None for skipped questions", "client", changed("client", age_group=None, grade=None)),
    ("an empty text for a skipped open question", "client", changed("client", comments="")),
    ("a text of only spaces, which counts as skipped", "client", changed("client", comments=" \n")),
    (
        "HTML and script in a text field, which are just text",
        "client",
        changed("client", comments="<script>alert('hoi')</script><b>x</b> <img src=x onerror=y>"),
    ),
    ("a text of exactly the limit", "client", changed("client", comments="é" * 1000)),
    ("a tuple of codes for a multiple choice", "client", changed("client", target_group=(2, 3))),
    ("numbers on their bounds", "synthetic", changed("synthetic", age=0, hours=7.5)),
    (
        "a fraction and a large int in range",
        "synthetic",
        changed("synthetic", age=40.5, visits=10**6),
    ),
    ("a negative number without bounds", "synthetic", changed("synthetic", free=-(10**9))),
    (
        "a hidden text of only spaces, which counts as empty",
        "synthetic",
        changed("synthetic", reasons=[1], reason_other="   ", score=ABSENT),
    ),
    (
        "hidden questions left out, None or empty",
        "synthetic",
        changed("synthetic", member=0, reasons=[], reason_other="", score=None),
    ),
]


@pytest.mark.parametrize(
    ("name", "answers"), [case[1:] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED]
)
def test_an_acceptable_response_passes(name: str, answers: dict[str, Any]) -> None:
    assert validate_response(QUESTIONNAIRES[name], answers) == []


# --- what is refused -----------------------------------------------------------------------------

REJECTIONS = [
    # (description, questionnaire, changes, item key, part of the message)
    ("a required question left out", "client", {"used_oco": ABSENT}, "used_oco", "verplicht"),
    ("a required question left None", "professional", {"role": None}, "role", "verplicht"),
    ("a required text of only spaces", "synthetic", {"remark": "   "}, "remark", "verplicht"),
    ("a required number left out", "synthetic", {"age": ABSENT}, "age", "verplicht"),
    ("an unknown single choice code", "client", {"age_group": 7}, "age_group", "bestaat niet"),
    ("7 for yes/no", "client", {"aware_oco": 7}, "aware_oco", "bestaat niet"),
    ("9 where there is no don't know", "client", {"age_group": 9}, "age_group", "bestaat niet"),
    ("a fraction for a grade", "client", {"grade": 9.5}, "grade", "kies een van"),
    ("grade 0", "client", {"grade": 0}, "grade", "bestaat niet"),
    ("grade 11", "client", {"grade": 11}, "grade", "bestaat niet"),
    ("grade -1", "professional", {"quality_grade": -1}, "quality_grade", "bestaat niet"),
    ("a code as text", "client", {"used_oco": "1"}, "used_oco", "kies een van"),
    ("True as code 1", "client", {"used_oco": True}, "used_oco", "kies een van"),
    ("False as code 0", "client", {"aware_oco": False}, "aware_oco", "kies een van"),
    ("1.0 as code 1", "client", {"used_oco": 1.0}, "used_oco", "kies een van"),
    ("an empty text for a coded question", "client", {"age_group": ""}, "age_group", "kies een"),
    ("a list for a single choice", "client", {"age_group": [1]}, "age_group", "kies een van"),
    ("one code for a multiple choice", "client", {"need_domains": 2}, "need_domains", "meer"),
    ("True in a multiple choice", "client", {"need_domains": [True]}, "need_domains", "meer"),
    (
        "'geen van deze' together with another answer",
        "client",
        {"used_oco": 0, "target_group": [2, 7]},
        "target_group",
        "kan niet samen met een ander antwoord",
    ),
    ("an unknown code among several", "client", {"heard_via": [1, 99]}, "heard_via", "bestaat"),
    ("the same code twice", "client", {"target_group": [2, 2]}, "target_group", "twee keer"),
    ("a number above its maximum", "synthetic", {"age": 121}, "age", "van 0 tot 120"),
    ("a number below its minimum", "synthetic", {"age": -1}, "age", "van 0 tot 120"),
    ("a fraction above its maximum", "synthetic", {"hours": 7.51}, "hours", "van 0 tot 7,5"),
    ("below a minimum only", "synthetic", {"visits": -1}, "visits", "van 0 of meer"),
    ("NaN for a number", "synthetic", {"free": math.nan}, "free", "vul een getal in."),
    ("infinity for a number", "synthetic", {"free": math.inf}, "free", "vul een getal in."),
    ("a huge int for a number", "synthetic", {"free": 10**400}, "free", "vul een getal in."),
    ("True for a number", "synthetic", {"age": True}, "age", "vul een getal in."),
    ("a number as text", "synthetic", {"age": "40"}, "age", "vul een getal in."),
    ("a text over the limit", "client", {"comments": "a" * 1001}, "comments", "te lang"),
    ("script over the limit", "client", {"comments": "<script>" * 126}, "comments", "te lang"),
    ("spaces over the limit", "synthetic", {"remark": " " * 41}, "remark", "te lang"),
    ("a number for a text", "client", {"comments": 5}, "comments", "als tekst"),
    ("a NUL character in a text", "client", {"comments": "a\x00b"}, "comments", "teken"),
    ("a lone surrogate in a text", "client", {"comments": "a\ud800"}, "comments", "teken"),
    ("an answer to a hidden question", "client", {"used_oco": 0}, "knew_where", "leeg blijven"),
    (
        "a hidden multiple choice",
        "synthetic",
        {"member": 0, "reason_other": None, "score": None},
        "reasons",
        "leeg blijven",
    ),
    ("a question that does not exist", "client", {"shoe_size": 44}, "shoe_size", "bestaat niet"),
    ("an unknown key even when None", "client", {"shoe_size": None}, "shoe_size", "bestaat niet"),
]


@pytest.mark.parametrize(
    ("name", "changes", "key", "fragment"),
    [case[1:] for case in REJECTIONS],
    ids=[case[0] for case in REJECTIONS],
)
def test_a_bad_answer_is_refused_naming_its_question(
    name: str, changes: dict[str, Any], key: str, fragment: str
) -> None:
    problems = validate_response(QUESTIONNAIRES[name], changed(name, **changes))
    assert key in keys_of(problems)
    problem = next(p for p in problems if p.item_key == key)
    assert fragment in problem.message
    assert problem.message.startswith('Vraag "')


@pytest.mark.parametrize("forged", [7, 2, -1, "1", "ja", True, False, 1.0, 0.0, [1], None])
def test_a_forged_yes_no_code_is_refused(forged: Any) -> None:
    problems = validate_response(CLIENT, changed("client", used_oco=forged))
    assert "used_oco" in keys_of(problems)


@pytest.mark.parametrize("forged", [0, 11, -1, 100, "8", True, 8.0, 8.5, [8]])
def test_a_forged_grade_is_refused(forged: Any) -> None:
    problems = validate_response(CLIENT, changed("client", grade=forged))
    assert keys_of(problems) == ["grade"]


# --- the messages --------------------------------------------------------------------------------

MESSAGES = [
    (
        "client",
        {"age_group": "1"},
        "nl",
        "age_group",
        'Vraag "Hoe oud bent u?": kies een van de antwoorden.',
    ),
    (
        "client",
        {"age_group": 8},
        "nl",
        "age_group",
        'Vraag "Hoe oud bent u?": dit antwoord bestaat niet. Kies een van de antwoorden.',
    ),
    (
        "client",
        {"used_oco": ABSENT},
        "nl",
        "used_oco",
        'Vraag "Heeft u het afgelopen jaar hulp gehad van een…": deze vraag is verplicht. '
        "Kies een antwoord.",
    ),
    (
        "client",
        {"used_oco": ABSENT},
        "nl-eenvoudig",
        "used_oco",
        'Vraag "Kreeg u het afgelopen jaar hulp van een cliëntondersteuner?": '
        "deze vraag is verplicht. Kies een antwoord.",
    ),
    (
        "synthetic",
        {"remark": ""},
        "nl",
        "remark",
        'Vraag "Wat wilt u nog zeggen over de hulp die u kreeg van de…": '
        "deze vraag is verplicht. Vul een antwoord in.",
    ),
    (
        "client",
        {"comments": "x" * 1234},
        "nl",
        "comments",
        'Vraag "Wilt u nog iets vertellen over de cliëntondersteuning?": '
        "uw antwoord is te lang (1.234 tekens). Het mag maximaal 1.000 tekens zijn.",
    ),
    (
        "client",
        {"used_oco": 0},
        "nl",
        "grade",
        'Vraag "Welk rapportcijfer geeft u de cliëntondersteuning?": '
        "deze vraag hoort niet bij uw eerdere antwoorden en moet leeg blijven.",
    ),
    (
        "synthetic",
        {"age": 130},
        "nl",
        "age",
        'Vraag "Hoe oud bent u?": vul een getal in van 0 tot 120.',
    ),
    (
        "synthetic",
        {"age": 130},
        "nl-eenvoudig",
        "age",
        'Vraag "Hoe oud bent u? Schrijf een getal.": vul een getal in van 0 tot 120.',
    ),
    (
        "synthetic",
        {"reasons": [3, 3]},
        "nl",
        "reasons",
        'Vraag "Waarom?": u heeft een antwoord twee keer gekozen. Kies elk antwoord één keer.',
    ),
]


@pytest.mark.parametrize(("name", "changes", "language", "key", "message"), MESSAGES)
def test_the_message_names_the_question_in_plain_dutch(
    name: str, changes: dict[str, Any], language: str, key: str, message: str
) -> None:
    problems = validate_response(QUESTIONNAIRES[name], changed(name, **changes), language)
    assert Problem(key, message) in problems
    # Beside the question on the screen, the same words without naming the question.
    [found] = [p for p in problems if p.item_key == key]
    opening, rest = message.split('": ', 1)
    assert found.detail == rest[:1].upper() + rest[1:]


def test_an_unknown_key_is_named_in_the_message() -> None:
    [problem] = validate_response(CLIENT, changed("client", shoe_size=44))
    assert problem == Problem(
        "shoe_size",
        'Vraag "shoe_size" bestaat niet in deze vragenlijst. Dit antwoord kan niet mee.',
    )


def test_each_question_gets_one_problem_in_questionnaire_order_and_unknown_keys_last() -> None:
    answers = changed(
        "client", zz_extra=1, comments=7, grade=0, aware_oco=True, heard_via=[1, 1], a_extra=2
    )
    assert keys_of(validate_response(CLIENT, answers)) == [
        "aware_oco",
        "heard_via",
        "grade",
        "comments",
        "zz_extra",
        "a_extra",
    ]


def test_an_answer_to_a_hidden_question_is_reported_as_hidden_even_when_it_is_also_wrong() -> None:
    problems = validate_response(CLIENT, changed("client", used_oco=0, grade=True))
    grade = next(p for p in problems if p.item_key == "grade")
    assert "leeg blijven" in grade.message


def test_the_answer_to_a_hidden_question_does_not_open_later_questions() -> None:
    answers = changed("synthetic", member=0, reasons=[3], reason_other="Anders", score=8)
    assert keys_of(validate_response(SYNTHETIC, answers)) == ["reasons", "reason_other", "score"]


@pytest.mark.parametrize("answers", [[("used_oco", 1)], "used_oco=1", None, {1: 1}])
def test_answers_that_are_not_a_mapping_of_keys_are_refused_as_a_whole(answers: Any) -> None:
    assert validate_response(CLIENT, answers) == [
        Problem(None, "Wij konden uw antwoorden niet lezen. Probeer het opnieuw.")
    ]


def test_a_long_question_text_is_shortened_at_a_word_with_an_ellipsis() -> None:
    [problem] = validate_response(CLIENT, changed("client", knew_enough=6))
    quoted = problem.message.split('"')[1]
    assert quoted == "De cliëntondersteuner wist genoeg over mijn situatie."
    [problem] = validate_response(SYNTHETIC, changed("synthetic", remark=None))
    quoted = problem.message.split('"')[1]
    assert len(quoted) <= 60
    assert quoted.endswith("van de…")


# --- which questions are shown -------------------------------------------------------------------


def test_all_client_questions_are_shown_to_someone_who_knew_and_used_support() -> None:
    assert visible_keys(CLIENT, FULL_CLIENT) == [item.key for item in CLIENT.items]


def test_the_follow_up_questions_are_hidden_until_their_condition_holds() -> None:
    shown = visible_keys(CLIENT, {"aware_oco": 0, "used_oco": 0})
    assert not set(FOLLOW_UPS_CLIENT) & set(shown)
    assert shown == [item.key for item in CLIENT.items if item.key not in FOLLOW_UPS_CLIENT]


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({}, ["member"]),
        ({"member": 1}, ["member", "reasons"]),
        ({"member": 1, "reasons": [3]}, ["member", "reasons", "reason_other"]),
        (
            {"member": 1, "reasons": [3], "reason_other": "Ja"},
            ["member", "reasons", "reason_other", "score"],
        ),
        (
            {"member": 1, "reasons": [3], "reason_other": "   "},
            ["member", "reasons", "reason_other"],
        ),
        ({"member": 0, "reasons": [3], "reason_other": "Ja"}, ["member"]),
    ],
)
def test_a_question_is_shown_only_when_its_condition_holds_on_shown_answers(
    answers: dict[str, Any], shown: list[str]
) -> None:
    always = ["age", "hours", "visits", "free", "remark"]
    assert [k for k in visible_keys(SYNTHETIC, answers) if k not in always] == shown


def test_only_shown_and_answered_questions_are_kept_for_storing() -> None:
    answers = changed(
        "synthetic", member=1, reasons=(1, 2), reason_other="  ", score=None, hours=None
    )
    assert prune(SYNTHETIC, answers) == {
        "age": 67,
        "visits": 3,
        "free": -12.25,
        "member": 1,
        "reasons": [1, 2],
        "remark": "Niets.",
    }
    assert prune(CLIENT, FULL_CLIENT) == FULL_CLIENT


# --- the schema ----------------------------------------------------------------------------------


def test_the_schema_is_a_pandera_schema_built_once_per_questionnaire() -> None:
    schema = response_schema(CLIENT)
    assert isinstance(schema, pa.DataFrameSchema)
    assert response_schema(CLIENT) is schema
    assert response_schema(PROFESSIONAL) is not schema
    assert schema.metadata["items"] == [item.key for item in CLIENT.items]


def test_a_new_questionnaire_object_gets_its_own_schema_and_the_old_one_is_forgotten() -> None:
    first = parse_definition(copy.deepcopy(SYNTHETIC_RAW), "test.yaml")
    schema = response_schema(first)
    raw = copy.deepcopy(SYNTHETIC_RAW)
    raw["sections"][0]["items"][0]["max"] = 60
    second = parse_definition(raw, "test.yaml")
    assert response_schema(second) is not schema
    assert validate_response(first, changed("synthetic", age=100)) == []
    assert keys_of(validate_response(second, changed("synthetic", age=100))) == ["age"]
    from surveys import validation

    before = len(validation._SCHEMAS)
    del first, schema
    gc.collect()
    assert len(validation._SCHEMAS) == before - 1


def test_the_schema_checks_the_frame_directly() -> None:
    frame = response_frame(CLIENT, changed("client", grade=11))
    assert list(frame.index) == [item.key for item in CLIENT.items]
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        response_schema(CLIENT).validate(frame, lazy=True)
    failures = caught.value.failure_cases
    assert set(zip(failures["check"], failures["index"], strict=True)) == {("codes", "grade")}


# --- properties ----------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TEXT_CHARACTERS = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
MARKUP = ["<b>x</b>", "<script>", "</textarea>", "{{ x }}", "**vet**", "' OR 1=1 --"]


def good_values(item: Item) -> st.SearchStrategy[Any]:
    """Every acceptable answer to a question (never an unanswered one)."""
    codes = sorted(item.allowed_codes)
    if item.qtype.multiple:
        alone = [o.code for o in item.options if o.exclusive]
        combinable = [c for c in codes if c not in alone]
        together = st.lists(st.sampled_from(combinable), min_size=1, unique=True)
        return together | st.sampled_from(alone).map(lambda c: [c]) if alone else together
    if item.qtype.coded:
        return st.sampled_from(codes)
    if item.type == "number":
        low = None if item.min is None else math.ceil(item.min)
        high = None if item.max is None else math.floor(item.max)
        return st.integers(low, high) | st.floats(
            item.min, item.max, allow_nan=False, allow_infinity=False
        )
    limit = item.max_length or 1000
    markup = st.sampled_from([m for m in MARKUP if len(m) <= limit])
    return markup | st.text(TEXT_CHARACTERS, min_size=1, max_size=limit).filter(str.strip)


def blank_values(item: Item) -> st.SearchStrategy[Any]:
    """Every way of leaving a question unanswered."""
    blanks: list[Any] = [ABSENT, None]
    if item.qtype.multiple:
        blanks.append([])
    if item.type == "text":
        blanks += ["", "   ", "\n\t"]
    return st.sampled_from(blanks)


def draw_valid(data: st.DataObject, questionnaire: Questionnaire) -> dict[str, Any]:
    """A valid response, drawn question by question, deciding visibility as the respondent sees."""
    answers: dict[str, Any] = {}
    given: dict[str, Any] = {}
    for item in questionnaire.items:
        visible = item.show_if is None or item.show_if.evaluate(given)
        if visible and item.required:
            value = data.draw(good_values(item), label=item.key)
        elif visible:
            value = data.draw(good_values(item) | blank_values(item), label=item.key)
        else:
            value = data.draw(blank_values(item), label=item.key)
        if value is not ABSENT:
            answers[item.key] = value
            if visible and not is_unanswered(item, value):
                given[item.key] = value
    return answers


def bad_values(item: Item) -> st.SearchStrategy[Any]:
    """Values no question of this kind accepts, whether shown or hidden."""
    codes = sorted(item.allowed_codes)
    if item.qtype.multiple:
        return (
            st.lists(st.integers(), min_size=1).filter(lambda cs: set(cs) - set(codes))
            | st.sampled_from(codes).map(lambda code: [code, code])
            | st.sampled_from([1, True, "1", [True], [1.0], ["1"], [[1]], {"1": 1}])
        )
    if item.qtype.coded:
        return st.integers().filter(lambda code: code not in codes) | st.sampled_from(
            [True, False, 1.0, 0.0, 2.0, "1", "", [1], math.nan]
        )
    if item.type == "number":
        wrong = st.sampled_from([math.nan, math.inf, -math.inf, True, False, "40", [40], 10**400])
        if item.max is not None:
            wrong |= st.floats(min_value=item.max, exclude_min=True, allow_infinity=False)
            wrong |= st.integers(min_value=math.floor(item.max) + 1)
        if item.min is not None:
            wrong |= st.floats(max_value=item.min, exclude_max=True, allow_infinity=False)
            wrong |= st.integers(max_value=math.ceil(item.min) - 1)
        return wrong
    limit = item.max_length or 1000
    return st.text(min_size=limit + 1, max_size=limit + 20) | st.sampled_from(
        [5, 1.5, ["tekst"], b"bytes", "a\x00b", "\ud800"]
    )


@pytest.mark.parametrize("name", QUESTIONNAIRES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_response_drawn_from_the_allowed_answers_of_shown_questions_passes(
    name: str, data: st.DataObject
) -> None:
    questionnaire = QUESTIONNAIRES[name]
    answers = draw_valid(data, questionnaire)
    assert validate_response(questionnaire, answers) == []


@pytest.mark.parametrize("name", QUESTIONNAIRES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_single_corrupted_answer_is_refused_with_a_problem_for_that_question(
    name: str, data: st.DataObject
) -> None:
    questionnaire = QUESTIONNAIRES[name]
    answers = draw_valid(data, questionnaire)
    item = data.draw(st.sampled_from(questionnaire.items), label="corrupted")
    answers[item.key] = data.draw(bad_values(item), label="value")
    problems = validate_response(
        questionnaire, answers, data.draw(st.sampled_from(["nl", "nl-eenvoudig"]))
    )
    keys = keys_of(problems)
    assert item.key in keys
    assert len(keys) == len(set(keys))
    order = [i.key for i in questionnaire.items]
    assert keys == sorted(keys, key=order.index)


@pytest.mark.parametrize("name", QUESTIONNAIRES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_leaving_out_a_shown_required_question_is_refused(name: str, data: st.DataObject) -> None:
    questionnaire = QUESTIONNAIRES[name]
    answers = draw_valid(data, questionnaire)
    shown = set(visible_keys(questionnaire, answers))
    required = [i for i in questionnaire.items if i.required and i.key in shown]
    item = data.draw(st.sampled_from(required))
    answers[item.key] = data.draw(blank_values(item))
    if answers[item.key] is ABSENT:
        del answers[item.key]
    assert item.key in keys_of(validate_response(questionnaire, answers))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=8,
)


@pytest.mark.parametrize("name", QUESTIONNAIRES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_json_like_answers_get_problems_never_an_exception(
    name: str, data: st.DataObject
) -> None:
    questionnaire = QUESTIONNAIRES[name]
    keys = [item.key for item in questionnaire.items] + ["other", ""]
    answers = data.draw(st.dictionaries(st.sampled_from(keys), JSON_VALUES))
    problems = validate_response(questionnaire, answers)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    if "other" in answers:
        assert "other" in keys_of(problems)


@pytest.mark.parametrize("huge", [10**19, 2**63, 10**400, -(10**400)])
def test_an_integer_beyond_any_float_is_refused_for_its_question_not_an_error(huge):
    """Hypothesis found it: pandas tried to read 10**400 as a date and overflowed."""
    problems = validate_response(SYNTHETIC, {"age": huge})
    assert "age" in keys_of(problems)
