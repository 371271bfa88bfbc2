"""The respondent page's address, draft and limits, in-process through AppTest.

The screen's position is in the address (``screen=``) and the draft follows every change, so the
browser's Back, Forward and reload come back to a screen with its answers. AppTest cannot press
the browser's buttons; it does what they do to the page: rerun it with the address of then, in
the same session (Back, Forward) or in a new one (reload). The real browser is in
``tests/browser/test_respond_history_browser.py``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import get_sessionmaker
from db.models import Draft
from surveys.texts import TEXTS
from tests.pages.test_respond import (
    CLIENT_SCREENS,
    LINK,
    count,
    fill,
    open_page,
    press,
    progress,
    start,
)

NEXT, BACK = TEXTS["next"]["nl"], TEXTS["back"]["nl"]


@pytest.fixture
def url(almere_t2_open) -> str:
    """A database with the reference data and wave T2 of Almere open for fieldwork."""
    return almere_t2_open


def draft_of(database: str) -> Draft:
    with get_sessionmaker(database)() as session:
        [draft] = session.scalars(select(Draft)).all()
        session.expunge(draft)
        return draft


def browse(at, **address: str):
    """What the browser's Back or Forward does: rerun this session with an earlier address."""
    at.query_params.clear()
    at.query_params.update(address)
    at.run()
    assert not at.exception
    return at


# --- 1. the address names the screen --------------------------------------------------------------
def test_every_step_puts_the_screen_and_the_resume_code_in_the_address(url):
    at = start()
    code = at.query_params["resume"]
    assert at.query_params["screen"] == "1"
    assert {k: at.query_params[k] for k in LINK} == LINK  # the link itself stays
    fill(at, CLIENT_SCREENS[0])
    press(at, NEXT)
    assert (at.query_params["screen"], at.query_params["resume"]) == ("2", code)
    press(at, BACK)
    assert at.query_params["screen"] == "1"
    press(at, BACK)
    assert at.query_params["screen"] == "intro"


def test_back_in_the_browser_shows_the_screen_before_with_every_answer_kept(url):
    at = start()
    code = at.query_params["resume"]
    fill(at, CLIENT_SCREENS[0])
    press(at, NEXT)
    assert progress(at) == "Deel 2 van 6"
    fill(at, {"knew_where": 4})  # answered, 'Volgende' not pressed
    browse(at, **LINK, resume=code, screen="1")
    assert progress(at) == "Deel 1 van 6"
    assert at.radio(key="answer__aware_oco").value == 1
    assert at.radio(key="answer__used_oco").value == 1
    assert [c.key for c in at.checkbox if c.value] == [
        "answer__heard_via__2",
        "answer__heard_via__3",
    ]
    browse(at, **LINK, resume=code, screen="2")  # and Forward again
    assert at.radio(key="answer__knew_where").value == 4
    assert count(url, Draft) == 1


def test_back_to_the_link_from_the_letter_is_the_intro_with_the_same_code_and_answers(url):
    at = start()
    code = at.query_params["resume"]
    fill(at, CLIENT_SCREENS[0])
    browse(at, **LINK)  # the address before 'Beginnen': no code in it
    assert at.title[0].value == "Vragenlijst over cliëntondersteuning"
    # The address gets the code, so a reload here finds the answers too.
    assert (at.query_params["resume"], at.query_params["screen"]) == (code, "intro")
    press(at, TEXTS["start"]["nl"])
    assert at.query_params["resume"] == code
    assert at.radio(key="answer__aware_oco").value == 1
    assert count(url, Draft) == 1


def test_an_answer_is_in_the_draft_as_soon_as_it_is_given(url):
    at = start()
    fill(at, {"aware_oco": 0})
    assert draft_of(url).answers == {"aware_oco": 0}
    fill(at, {"used_oco": 1})
    assert draft_of(url).answers == {"aware_oco": 0, "used_oco": 1}


def test_a_reload_shows_the_screen_of_the_address_with_its_answers(url):
    at = start()
    code = at.query_params["resume"]
    fill(at, CLIENT_SCREENS[0])
    press(at, NEXT)
    fill(at, {"knew_where": 2})
    reloaded = open_page(**LINK, resume=code, screen="2")
    assert progress(reloaded) == "Deel 2 van 6"
    assert reloaded.radio(key="answer__knew_where").value == 2
    for answers in CLIENT_SCREENS[1:]:
        fill(reloaded, answers)
        press(reloaded, NEXT)
    assert reloaded.query_params["screen"] == "overzicht"
    again = open_page(**LINK, resume=code, screen="overzicht")
    assert again.title[0].value == TEXTS["overview"]["nl"]


# --- 3. coming back later: the words match what is shown ----------------------------------------
def test_later_verder_shows_the_whole_address_and_the_code_alone_to_type_on_the_intro(url):
    at = start()
    code = at.query_params["resume"]
    fill(at, CLIENT_SCREENS[0])
    press(at, NEXT)
    said = " ".join(m.value for m in at.markdown)
    assert "achter het adres" not in said
    assert "Bewaar dan het adres hieronder" in said
    assert [c.value for c in at.code] == [f"?resume={code}", code]
    # A new visit from the letter: the code typed on the intro opens the draft where it was.
    later = open_page(**LINK)
    later.text_input[0].input(f"  {code} ")
    press(later, TEXTS["resume_go"]["nl"])
    assert later.query_params["resume"] == code
    assert progress(later) == "Deel 2 van 6"
    assert later.session_state["respond"]["journey"].answers == CLIENT_SCREENS[0]


# --- 20. size limits ----------------------------------------------------------------------------
def test_a_text_of_five_million_characters_is_refused_and_never_in_the_draft(url):
    at = start()
    for answers in CLIENT_SCREENS[:-1]:
        fill(at, answers)
        press(at, NEXT)
    fill(at, {"comments": "x" * 5_000_000})
    assert "te lang (5.000.000 tekens)" in at.error[0].value
    press(at, NEXT)
    assert at.query_params["screen"] == "6"  # not on to the overview
    assert "comments" not in draft_of(url).answers
    fill(at, {"comments": "Kort genoeg."})
    assert draft_of(url).answers["comments"] == "Kort genoeg."
