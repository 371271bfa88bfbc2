"""The respondent's journey as a state machine: tests read like a respondent's clicks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from surveys import journey as path
from surveys.definition import load_builtin
from surveys.flow import screens
from surveys.texts import TEXTS
from surveys.vocabulary import EASY_READ

client = load_builtin("client")
HELPED = {"aware_oco": 1, "used_oco": 1}


def on_screen_of(item_key: str, answers: dict, language: str = "nl") -> path.Journey:
    journey = path.start(path.Journey(language=language, answers=answers))
    for index, screen in enumerate(screens(client, answers, language)):
        if any(item.key == item_key for item in screen.items):
            return replace(journey, screen=index)
    raise AssertionError(item_key)


def test_starting_goes_to_the_first_screen_with_the_focus_on_its_heading():
    journey = path.start(path.Journey())
    assert (journey.stage, journey.screen, journey.focus) == ("questions", 0, "heading")


def test_a_required_question_left_open_keeps_the_respondent_on_the_screen_with_a_message():
    journey = path.forward(client, path.start(path.Journey(answers={"aware_oco": 1})))
    assert (journey.stage, journey.screen, journey.focus) == ("questions", 0, "message")
    assert journey.messages == {"used_oco": TEXTS["required"]["nl"]}
    # The message stays while the question is open, and goes once it is answered.
    still, _ = path.edit(client, journey, {"aware_oco": 0})
    assert still.messages == {"used_oco": TEXTS["required"]["nl"]}
    answered, _ = path.edit(client, journey, {"aware_oco": 0, "used_oco": 0})
    assert answered.messages == {}
    assert path.forward(client, answered).screen == 1


def test_geen_van_deze_with_another_option_gets_a_message_beside_it_while_ticking():
    journey = on_screen_of("target_group", HELPED)
    ticked, _ = path.edit(client, journey, {**HELPED, "target_group": [2, 7]})
    assert ticked.messages["target_group"].startswith('"Geen van deze" kan niet samen')
    assert path.forward(client, ticked).screen == ticked.screen  # cannot go on like this
    mended, _ = path.edit(client, ticked, {**HELPED, "target_group": [7]})
    assert "target_group" not in mended.messages


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("contacts", 150, "Vul een getal in van 0 tot 99."),
        ("comments", "x" * 1001, "Uw antwoord is te lang (1.001 tekens)."),
    ],
)
def test_a_number_out_of_range_or_an_overlong_text_gets_a_dutch_message_beside_it(
    key, value, expected
):
    journey = on_screen_of(key, HELPED)
    edited, _ = path.edit(client, journey, {**HELPED, key: value})
    assert edited.messages[key].startswith(expected)
    assert path.forward(client, edited).messages[key].startswith(expected)


def test_an_answer_that_a_change_above_hides_is_dropped_and_named():
    journey = path.start(path.Journey())
    edited, dropped = path.edit(client, journey, {"aware_oco": 0, "heard_via": [1]})
    assert dropped == {"heard_via"}
    assert edited.answers == {"aware_oco": 0}


@pytest.mark.parametrize("language", ["nl", EASY_READ])
@pytest.mark.parametrize("answers", [{"used_oco": 0}, HELPED, {"used_oco": 1, "aware_oco": 0}])
def test_progress_never_runs_backwards_going_forward_even_as_questions_appear(language, answers):
    journey = path.start(path.Journey(language=language))
    seen = []
    while journey.stage == "questions":
        # Answers arrive screen by screen: follow-up questions appear on the way.
        journey, _ = path.edit(client, journey, {**journey.answers, **answers})
        _, screen = path.current(client, journey)
        seen.append(path.progress(client, screen, language).fraction)
        journey = path.forward(client, journey)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert journey.stage == "overview"


def test_progress_is_told_in_words_over_the_whole_questionnaire():
    first = screens(client, {}, "nl")[0]
    assert path.progress(client, first, "nl").text == "Deel 1 van 6"
    assert path.progress(client, first, EASY_READ).text == "Vraag 1 van 20"


def test_wijzig_goes_to_the_question_and_offers_the_way_back_to_the_overview():
    journey = replace(path.Journey(answers={"used_oco": 0}), stage="overview")
    changed = path.change(client, journey, "age_group")
    assert (changed.stage, changed.from_overview) == ("questions", True)
    assert path.to_overview(client, changed).stage == "overview"


def test_back_from_the_first_screen_returns_to_the_intro_and_sent_forgets_the_answers():
    journey = path.start(path.Journey(answers={"used_oco": 0}))
    assert path.back(client, journey).stage == "intro"
    done = path.sent(journey)
    assert (done.stage, done.answers) == ("done", {})


# --- the address: Back, Forward and reload in the browser -----------------------------------------
def test_every_stage_has_an_address_and_the_address_leads_back_to_it():
    answers = {**HELPED, "heard_via": [1]}
    intro = path.Journey(answers=answers)
    first = path.start(intro)
    second = replace(first, screen=1)
    overview = replace(first, stage="overview", screen=6)
    addresses = [path.address(j) for j in (intro, first, second, overview)]
    assert addresses == ["intro", "1", "2", "overzicht"]
    for journey, where in zip((intro, first, second, overview), addresses, strict=True):
        for elsewhere in (intro, first, second, overview):
            moved = path.at_address(client, elsewhere, where)
            assert (moved.stage, moved.screen if where != "overzicht" else 6) == (
                journey.stage,
                journey.screen,
            )
            assert moved.answers == answers  # every answer kept, whichever way


def test_an_address_moves_with_the_focus_on_the_heading_and_without_old_messages():
    journey = path.forward(client, path.start(path.Journey(answers={"aware_oco": 1})))
    assert journey.messages  # the required question left open
    moved = path.at_address(client, journey, "intro")
    assert (moved.stage, moved.messages, moved.focus) == ("intro", {}, "heading")


@pytest.mark.parametrize("where", ["", "0", "-1", "abc", "9" * 50, "١"])
def test_an_unknown_address_changes_nothing(where):
    journey = replace(path.start(path.Journey(answers=HELPED)), screen=1)
    assert path.at_address(client, journey, where) == journey


def test_a_screen_number_past_the_end_is_the_last_screen():
    journey = path.start(path.Journey(answers={"used_oco": 0}))
    count = len(screens(client, journey.answers, "nl"))
    assert path.at_address(client, journey, "99").screen == count - 1


def test_after_sending_no_address_leads_back_into_the_answers():
    done = path.sent(path.start(path.Journey(answers=HELPED)))
    for where in ("intro", "1", "overzicht"):
        assert path.at_address(client, done, where) == done
