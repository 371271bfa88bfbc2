"""The respondent's path: screens per register, live conditions, progress in words, the overview."""

from __future__ import annotations

import pytest

from surveys.definition import load_builtin
from surveys.flow import (
    display_value,
    prune,
    screen_of,
    screens,
    visible_items,
)

client = load_builtin("client")
professional = load_builtin("professional")


def keys(screen) -> list[str]:
    return [item.key for item in screen.items]


def test_the_standard_version_shows_one_section_per_screen_and_skips_empty_sections():
    shown = screens(client, {"used_oco": 0}, "nl")
    assert [s.title for s in shown] == ["Bekendheid", "Over u", "Tot slot"]
    assert keys(shown[0]) == ["aware_oco", "used_oco"]  # heard_via hidden until aware_oco = ja


def test_a_client_who_used_support_gets_every_section():
    shown = screens(client, {"aware_oco": 1, "used_oco": 1}, "nl")
    assert len(shown) == 6
    assert keys(shown[0]) == ["aware_oco", "heard_via", "used_oco"]


def test_the_easy_read_version_shows_one_question_per_screen():
    shown = screens(client, {"used_oco": 1}, "nl-eenvoudig")
    assert all(len(s.items) == 1 for s in shown)
    assert len(shown) == len(visible_items(client, {"used_oco": 1}))
    assert shown[0].title == "Kent u de cliëntondersteuner?"


def test_answers_to_questions_that_became_hidden_are_dropped():
    answers = {"aware_oco": 1, "heard_via": [1, 2], "used_oco": 1, "grade": 8, "comments": " "}
    assert prune(client, answers) == {
        "aware_oco": 1,
        "heard_via": [1, 2],
        "used_oco": 1,
        "grade": 8,
    }
    answers.update(aware_oco=0, used_oco=0)
    assert prune(client, answers) == {"aware_oco": 0, "used_oco": 0}


def test_a_referrer_gets_the_referrals_question_and_a_supporter_does_not():
    assert "referrals" in [i.key for i in visible_items(professional, {"role": 5})]
    assert "referrals" not in [i.key for i in visible_items(professional, {"role": 1})]


def test_change_on_the_overview_leads_to_the_screen_with_that_question():
    answers = {"aware_oco": 1, "used_oco": 1}
    assert screen_of(client, answers, "nl", "grade") == 2
    easy = screen_of(client, answers, "nl-eenvoudig", "grade")
    assert screens(client, answers, "nl-eenvoudig")[easy].items[0].key == "grade"


@pytest.mark.parametrize(
    ("key", "value", "language", "expected"),
    [
        ("aware_oco", 1, "nl", "Ja"),
        ("aware_oco", 9, "nl-eenvoudig", "Weet ik niet"),
        ("knew_where", 4, "nl", "Mee eens"),
        ("knew_where", 4, "nl-eenvoudig", "Waar"),
        ("heard_via", [2, 1], "nl", "Huisarts of praktijkondersteuner, Wijkteam of sociaal team"),
        ("comments", "<b>**vet**</b>", "nl", "<b>**vet**</b>"),
        ("grade", None, "nl", "Niet ingevuld"),
        ("contacts", 3.0, "nl", "3"),
        ("contacts", 2.5, "nl", "2,5"),  # a decimal comma, never '2.5'
        ("contacts", 1200, "nl-eenvoudig", "1.200"),
    ],
)
def test_the_overview_shows_answers_as_the_respondent_chose_them(key, value, language, expected):
    assert display_value(client.item(key), value, language) == expected
