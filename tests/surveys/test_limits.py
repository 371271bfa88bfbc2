"""How large a draft may be: derived from the questionnaire's own limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.definition import load_builtin
from surveys.limits import answer_size, draft_limit, draft_size, largest_answer, storable

CLIENT = load_builtin("client")


def test_the_draft_limit_is_every_question_answered_at_its_limit():
    comments = CLIENT.item("comments")
    assert largest_answer(comments) == comments.max_length
    assert draft_limit(CLIENT) == sum(len(i.key) + largest_answer(i) for i in CLIENT.items)
    assert draft_limit(CLIENT) < 10 * comments.max_length


@pytest.mark.parametrize("survey", ["client", "professional"])
def test_the_largest_valid_answers_fit_the_limit(survey):
    questionnaire = load_builtin(survey)
    largest = {}
    for item in questionnaire.items:
        if item.max_length:
            largest[item.key] = "é" * item.max_length
        elif item.qtype.multiple:
            largest[item.key] = [o.code for o in item.options]
        elif item.options:
            largest[item.key] = max((o.code for o in item.options), key=answer_size)
        else:
            largest[item.key] = -1.7976931348623157e308
    assert draft_size(largest) <= draft_limit(questionnaire)


def test_a_text_over_its_limit_is_not_storable_and_the_other_answers_are():
    limit = CLIENT.item("comments").max_length
    answers = {"used_oco": 0, "comments": "x" * 5_000_000}
    assert storable(CLIENT, answers) == {"used_oco": 0}
    assert storable(CLIENT, {"comments": "x" * limit}) == {"comments": "x" * limit}


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([i.key for i in CLIENT.items] + ["unknown", "x" * 50]),
        st.one_of(
            st.text(max_size=3000),
            st.integers(),
            st.lists(st.integers(min_value=-5, max_value=99), max_size=20),
            st.floats(allow_nan=False),
        ),
    )
)
def test_whatever_the_page_holds_what_a_draft_keeps_fits_the_limit(answers):
    assert draft_size(storable(CLIENT, answers)) <= draft_limit(CLIENT)
