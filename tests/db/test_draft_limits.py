"""Size limits of drafts: nothing over an item's limit is kept, and a draft has a ceiling."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.contacts import set_contact
from db.drafts import DraftTooLarge, load_draft, new_resume_code, save_draft
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link, set_wave_open
from db.models import Draft
from db.respondent import open_questionnaire, save_progress
from db.setup import init_database
from surveys.definition import load_builtin
from surveys.journey import Journey
from surveys.limits import draft_limit, draft_size

HUGE = "x" * 5_000_000


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=10))
    return database_url


@pytest.fixture
def fieldwork(url):
    with get_sessionmaker(url)() as session:
        return resolve_link(session, "client", "almere", "T2")


def stored_answers(url: str) -> dict:
    with get_sessionmaker(url)() as session:
        return session.scalar(select(Draft)).answers


def test_a_text_of_five_million_characters_is_never_saved_in_the_draft(url, fieldwork):
    code = new_resume_code()
    journey = Journey(stage="questions", answers={"used_oco": 0, "comments": HUGE})
    with get_sessionmaker(url).begin() as session:
        save_progress(session, code, fieldwork, journey, None)
    assert stored_answers(url) == {"used_oco": 0}


def test_a_text_at_its_limit_is_saved_and_one_character_more_is_not(url, fieldwork):
    code = new_resume_code()
    limit = load_builtin("client").item("comments").max_length
    factory = get_sessionmaker(url)
    with factory.begin() as session:
        journey = Journey(stage="questions", answers={"comments": "a" * limit})
        save_progress(session, code, fieldwork, journey, None)
    assert stored_answers(url) == {"comments": "a" * limit}
    with factory.begin() as session:
        journey = Journey(stage="questions", answers={"comments": "a" * (limit + 1)})
        save_progress(session, code, fieldwork, journey, None)
    assert stored_answers(url) == {}


def test_a_draft_over_its_limit_is_refused_in_the_database_and_the_old_one_stays(url, fieldwork):
    code = new_resume_code()
    limit = draft_limit(load_builtin("client"))
    context = dict(fieldwork.ids, language="nl", position=0, started_at=None, limit=limit)
    factory = get_sessionmaker(url)
    with factory.begin() as session:
        save_draft(session, code, answers={"used_oco": 1}, **context)
    too_large = {"used_oco": 1, "anything": "y" * limit}
    assert draft_size(too_large) > limit
    with pytest.raises(DraftTooLarge) as refused, factory.begin() as session:
        save_draft(session, code, answers=too_large, **context)
    assert refused.value.limit == limit and refused.value.size == draft_size(too_large)
    with factory() as session:
        assert load_draft(session, code).answers == {"used_oco": 1}


def test_a_draft_saved_before_the_limits_opens_without_the_text_that_breaks_them(url, fieldwork):
    code = new_resume_code()
    factory = get_sessionmaker(url)
    with factory.begin() as session:
        save_draft(
            session,
            code,
            **fieldwork.ids,
            answers={"used_oco": 0},
            language="nl",
            position=2,
            started_at=None,
            limit=draft_limit(load_builtin("client")),
        )
        session.scalar(select(Draft)).answers = {"used_oco": 0, "comments": "z" * 20_000}
    with factory() as session:
        opened = open_questionnaire(session, "client", "almere", "T2", resume=code)
    assert opened.answers == {"used_oco": 0} and opened.position == 2
