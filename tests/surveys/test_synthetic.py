"""The synthetic-response generator: every response passes the check; the figures are realistic."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.definition import Questionnaire, load_builtin, parse_definition
from surveys.flow import prune
from surveys.interchange import MULTIPLE_SEPARATOR
from surveys.synthetic import (
    GENERATORS,
    NEGATIVE_COMMENTS,
    POSITIVE_COMMENTS,
    Sample,
    draw_koplopers,
    generate,
)
from surveys.types import QUESTION_TYPES
from surveys.validation import validate_response
from surveys.vocabulary import LANGUAGES


def texts(nl: str) -> dict[str, str]:
    return {"nl": nl, "nl-eenvoudig": nl}


def options(count: int, exclusive: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"code": code, "label": texts(f"Optie {code}"), "exclusive": code in exclusive}
        for code in range(1, count + 1)
    ]


def item(key: str, type_: str, **fields: Any) -> dict[str, Any]:
    return {"key": key, "type": type_, "theme": "profile", "text": texts(key), **fields}


# Every type, every kind of condition, bounds and limits a definition can set.
EVERY_RULE = parse_definition(
    {
        "key": "alles",
        "audience": "client",
        "minutes": 5,
        "title": texts("Alles"),
        "intro": texts("Intro"),
        "sections": [
            {
                "key": "een",
                "title": texts("Een"),
                "items": [
                    item("member", "yes_no", required=True, dont_know=True),
                    item("kind", "single_choice", dont_know=True, options=options(4)),
                    item("age", "number", required=True, min=18, max=20),
                    item("hours", "number", min=0.5, max=2.5),
                    item("free", "number"),
                    item("below", "number", max=-3),
                    item(
                        "reasons",
                        "multiple_choice",
                        show_if={"item": "member", "op": "ne", "value": 0},
                        options=options(4, exclusive=(4,)),
                    ),
                    item("only_none", "multiple_choice", options=options(2, exclusive=(1, 2))),
                    item(
                        "needs",
                        "multiple_choice",
                        required=True,
                        show_if={"item": "reasons", "op": "contains", "value": 2},
                        options=options(3, exclusive=(3,)),
                    ),
                    item(
                        "why",
                        "text",
                        required=True,
                        max_length=5,
                        show_if={
                            "all": [
                                {"item": "kind", "op": "in", "value": [1, 2]},
                                {"item": "age", "op": "ge", "value": 19},
                            ]
                        },
                    ),
                ],
            },
            {
                "key": "twee",
                "title": texts("Twee"),
                "items": [
                    {
                        **item("score", "grade", show_if={"item": "why", "op": "answered"}),
                        "theme": "quality",
                    },
                    {
                        **item(
                            "fine",
                            "agreement",
                            dont_know=True,
                            show_if={
                                "any": [
                                    {"item": "score", "op": "gt", "value": 7},
                                    {"item": "kind", "op": "not_in", "value": [1, 2, 9]},
                                    {"item": "hours", "op": "lt", "value": 1},
                                ]
                            },
                        ),
                        "theme": "quality",
                    },
                    item("remark", "text", max_length=1000),
                ],
            },
        ],
    },
    "alles.yaml",
)
BUILTIN = {key: load_builtin(key) for key in ("client", "professional")}


def refused(questionnaire: Questionnaire, sample: Sample) -> list[tuple[dict, list]]:
    """The responses the check refuses, with its problems, in the register each was given in."""
    found = []
    for answers, language in zip(sample.answers(), sample.language, strict=True):
        problems = validate_response(questionnaire, answers, language)
        if problems:
            found.append((answers, problems))
    return found


def spread_sample(questionnaire: Questionnaire, size: int, seed: int) -> Sample:
    """Responses spread over five koplopers and three waves."""
    rng = np.random.default_rng(seed)
    return generate(
        questionnaire,
        size,
        rng,
        koploper=rng.integers(0, 5, size),
        wave=rng.integers(0, 3, size),
    )


def test_every_question_type_has_a_generator():
    assert set(GENERATORS) == set(QUESTION_TYPES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", BUILTIN)
def test_every_response_to_the_builtin_questionnaires_passes_the_check(key, language):
    questionnaire = BUILTIN[key]
    sample = spread_sample(questionnaire, 800, seed=len(key) + len(language))
    answers = sample.answers()
    assert [a for a in answers if validate_response(questionnaire, a, language)] == []
    # and they are as the respondent page stores them: shown, answered questions only
    assert all(prune(questionnaire, a) == a for a in answers)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 120))
def test_every_response_to_a_definition_using_every_rule_passes_the_check(seed, size):
    assert refused(EVERY_RULE, spread_sample(EVERY_RULE, size, seed)) == []


def test_the_definition_using_every_rule_is_exercised_on_every_path():
    answers = spread_sample(EVERY_RULE, 3000, seed=1).answers()
    keys = {key for a in answers for key in a}
    assert keys == {i.key for i in EVERY_RULE.items}
    assert any("reasons" not in a for a in answers)  # a follow-up question is sometimes hidden
    assert any(a.get("only_none") == [2] for a in answers)
    assert any(a.get("reasons") == [4] for a in answers)  # the exclusive option, alone
    assert {a["age"] for a in answers} <= {18, 19, 20}
    assert all(0.5 <= a["hours"] <= 2.5 for a in answers if "hours" in a)
    assert all(a["below"] <= -3 for a in answers if "below" in a)
    assert all(len(a["why"]) <= 5 and a["why"].strip() for a in answers if "why" in a)
    assert any(a.get("member") == 9 for a in answers) and any(a.get("kind") == 9 for a in answers)


@pytest.mark.parametrize("key", BUILTIN)
def test_weet_niet_is_given_where_the_question_offers_it_and_codes_are_the_questions_own(key):
    questionnaire = BUILTIN[key]
    sample = spread_sample(questionnaire, 2000, seed=3)
    for item in questionnaire.items:
        values = sample.columns[item.key].values
        if item.qtype.coded and not item.qtype.multiple:
            assert set(values) <= item.allowed_codes, item.key
            assert item.missing_codes <= set(values), item.key


def test_the_same_seed_gives_the_same_responses():
    first = spread_sample(BUILTIN["professional"], 200, seed=5)
    again = spread_sample(BUILTIN["professional"], 200, seed=5)
    assert first.answers() == again.answers()
    assert list(first.language) == list(again.language)


@pytest.mark.parametrize("key", BUILTIN)
def test_the_wide_frame_holds_the_same_answers_as_the_dicts(key):
    questionnaire = BUILTIN[key]
    sample = spread_sample(questionnaire, 300, seed=8)
    frame = sample.items_frame()
    assert list(frame.columns) == [item.key for item in questionnaire.items]
    for row, answers in zip(frame.itertuples(index=False), sample.answers(), strict=True):
        for item, cell in zip(questionnaire.items, row, strict=True):
            value = answers.get(item.key)
            if item.qtype.multiple:
                expected = MULTIPLE_SEPARATOR.join(map(str, value)) if value else ""
                assert cell == expected
            elif item.type == "text":
                assert cell == (value or "")
            elif value is None:
                assert pd.isna(cell)
            else:
                assert cell == value


def _client_sample(seed: int = 11) -> tuple[Sample, np.ndarray]:
    rng = np.random.default_rng(seed)
    koplopers = draw_koplopers(rng, 20, improving_share=1.0)
    koploper = np.repeat(np.arange(20), 400)
    wave = np.tile(np.repeat([0, 1], 200), 20)
    sample = generate(
        BUILTIN["client"], koploper.size, rng, koploper=koploper, wave=wave, koplopers=koplopers
    )
    return sample, wave


def _codes(sample: Sample, key: str) -> np.ndarray:
    """The item's codes per respondent as floats, NaN when not answered or 'weet niet'."""
    codes = sample.items_frame()[key].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    codes[codes == 9] = np.nan
    return codes


def test_awareness_starts_at_the_ceo_level_and_rises():
    sample, wave = _client_sample()
    aware = _codes(sample, "aware_oco")
    baseline = np.nanmean(aware[wave == 0])
    assert 0.25 <= baseline <= 0.35
    assert np.nanmean(aware[wave == 1]) > baseline + 0.04


def _agree(codes: np.ndarray, chosen: np.ndarray) -> float:
    """Share (helemaal) mee eens among the chosen respondents who answered, 'weet niet' left out."""
    valid = chosen & ~np.isnan(codes)
    return float((codes[valid] >= 4).mean())


def test_quality_items_are_mostly_agreed_with_and_improve_a_little():
    sample, wave = _client_sample()
    for key in ("taken_seriously", "solutions_together", "on_my_side", "knew_enough"):
        codes = _codes(sample, key)
        baseline, follow_up = _agree(codes, wave == 0), _agree(codes, wave == 1)
        assert 0.7 <= baseline <= 0.9 and 0.7 <= follow_up <= 0.9, key
        assert follow_up > baseline, key


def test_the_items_of_a_theme_hang_together():
    sample, _ = _client_sample()
    quality = np.column_stack(
        [_codes(sample, k) for k in ("taken_seriously", "on_my_side", "knew_enough", "grade")]
    )
    complete = quality[~np.isnan(quality).any(axis=1)]
    correlations = np.corrcoef(complete, rowvar=False)[np.triu_indices(4, 1)]
    assert (correlations > 0.15).all()


def test_koplopers_differ_so_a_benchmark_finds_something():
    sample, wave = _client_sample()
    codes = _codes(sample, "knew_where")
    per_koploper = [_agree(codes, (sample.koploper == k) & (wave == 0)) for k in range(20)]
    assert max(per_koploper) - min(per_koploper) > 0.1


def test_comments_are_dutch_sentences_from_the_list_and_only_some_write_one():
    sample, _ = _client_sample()
    comments = [a["comments"] for a in sample.answers() if "comments" in a]
    assert set(comments) <= set(POSITIVE_COMMENTS) | set(NEGATIVE_COMMENTS)
    assert 0.05 < len(comments) / len(sample) < 0.2


def test_both_registers_are_used():
    sample, _ = _client_sample()
    assert 0.05 < (sample.language == "nl-eenvoudig").mean() < 0.3
    assert set(sample.language) == set(LANGUAGES)
