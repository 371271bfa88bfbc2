"""Conditions: parsed from data, evaluated against answers, never ``eval``-ed."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from surveys.conditions import Condition, clauses

parse = TypeAdapter(Condition).validate_python

CASES = [
    ({"item": "a", "op": "eq", "value": 1}, {"a": 1}, True),
    ({"item": "a", "op": "eq", "value": 1}, {"a": 0}, False),
    ({"item": "a", "value": 1}, {"a": 1}, True),  # eq is the default
    ({"item": "a", "op": "eq", "value": 1}, {}, False),  # unanswered never matches
    ({"item": "a", "op": "ne", "value": 1}, {}, False),
    ({"item": "a", "op": "ne", "value": 1}, {"a": 9}, True),
    ({"item": "a", "op": "ge", "value": 6}, {"a": 6}, True),
    ({"item": "a", "op": "lt", "value": 6}, {"a": 6}, False),
    ({"item": "a", "op": "in", "value": [4, 5]}, {"a": 5}, True),
    ({"item": "a", "op": "not_in", "value": [4, 5]}, {"a": 3}, True),
    ({"item": "m", "op": "contains", "value": 2}, {"m": [1, 2]}, True),
    ({"item": "m", "op": "contains", "value": 3}, {"m": [1, 2]}, False),
    ({"item": "m", "op": "eq", "value": 1}, {"m": [1]}, False),  # a list is never equal to a code
    ({"item": "t", "op": "answered"}, {"t": "iets"}, True),
    ({"item": "t", "op": "answered"}, {"t": ""}, False),
    ({"item": "a", "op": "gt", "value": 3}, {"a": "tekst"}, False),  # wrong type: hidden, no crash
    ({"all": [{"item": "a", "value": 1}, {"item": "b", "value": 1}]}, {"a": 1, "b": 1}, True),
    ({"all": [{"item": "a", "value": 1}, {"item": "b", "value": 1}]}, {"a": 1, "b": 0}, False),
    ({"any": [{"item": "a", "value": 1}, {"item": "b", "value": 1}]}, {"a": 0, "b": 1}, True),
    (
        {
            "any": [
                {"all": [{"item": "a", "value": 1}, {"item": "b", "value": 2}]},
                {"item": "c", "op": "answered"},
            ]
        },
        {"a": 1, "b": 2},
        True,
    ),
]


@pytest.mark.parametrize(("data", "answers", "expected"), CASES)
def test_a_condition_evaluates_against_the_answers_given(data, answers, expected):
    assert parse(data).evaluate(answers) is expected


BAD = [
    {"item": "a", "op": "eq"},  # no value
    {"item": "a", "op": "answered", "value": 1},
    {"item": "a", "op": "in", "value": 3},
    {"item": "a", "op": "between", "value": [1, 2]},
    {"all": []},
    {"all": [{"item": "a", "value": 1}], "any": [{"item": "b", "value": 1}]},
    {"item": "a", "value": 1, "extra": True},
    {"item": "__import__('os').system('true')", "op": "python", "value": 1},
]


@pytest.mark.parametrize("data", BAD)
def test_a_malformed_condition_is_refused(data):
    with pytest.raises(ValidationError):
        parse(data)


def test_clauses_lists_every_comparison_in_a_nested_condition():
    condition = parse(
        {
            "any": [
                {"all": [{"item": "a", "value": 1}, {"item": "b", "value": 2}]},
                {"item": "c", "op": "answered"},
            ]
        }
    )
    assert [c.item for c in clauses(condition)] == ["a", "b", "c"]
