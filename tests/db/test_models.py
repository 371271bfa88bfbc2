"""Model round-trips, immutable questionnaire versions, and versioning of changed definitions."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.engine import get_sessionmaker
from db.models import Answer, ImmutableError, Koploper, QuestionnaireVersion, Response, Wave
from db.questionnaires import latest_version, register_definition
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from surveys.definition import DEFINITIONS_DIR, load_builtin, parse_definition, read_definition


def a_response(session, key: str = "client", idempotency_key: str = "abc", **answers):
    koploper = session.scalar(select(Koploper).where(Koploper.slug == "almere"))
    wave = session.scalar(select(Wave).where(Wave.koploper == koploper, Wave.code == "T0"))
    version = latest_version(session, key)
    return NewResponse(
        questionnaire_version_id=version.id,
        koploper_id=koploper.id,
        wave_id=wave.id,
        channel="web",
        language="nl-eenvoudig",
        idempotency_key=idempotency_key,
        submitted_at=dt.datetime(2024, 5, 1, 10, 30),
        answers=answers,
    )


def test_a_response_and_its_typed_answers_round_trip(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        new = a_response(
            session,
            aware_oco=1,
            heard_via=[3, 1],
            used_oco=0,
            comments="<script>alert(1)</script> héél fijn",
        )
        [response_id] = insert_responses(session, load_builtin("client"), [new])
    with factory() as session:
        response = session.get(Response, response_id)
        assert response.koploper.slug == "almere"
        assert response.wave.code == "T0"
        assert response.language == "nl-eenvoudig"
        assert response.questionnaire_version.key == "client"
        answers = sorted((a.item_key, a.code, a.text) for a in response.answers)
        assert answers == [
            ("aware_oco", 1, None),
            ("comments", None, "<script>alert(1)</script> héél fijn"),
            ("heard_via", 1, None),
            ("heard_via", 3, None),
            ("used_oco", 0, None),
        ]


def test_the_same_idempotency_key_cannot_be_stored_twice(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        insert_responses(session, load_builtin("client"), [a_response(session, used_oco=1)])
    with pytest.raises(IntegrityError), factory.begin() as session:
        insert_responses(session, load_builtin("client"), [a_response(session, used_oco=0)])
    with factory() as session:
        assert len(session.scalars(select(Response)).all()) == 1


def test_an_answer_holds_exactly_one_value(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        [response_id] = insert_responses(session, load_builtin("client"), [a_response(session)])
    with pytest.raises(IntegrityError), factory.begin() as session:
        session.add(Answer(response_id=response_id, item_key="grade", code=7, text="zeven"))


def test_a_questionnaire_version_cannot_be_changed(database_url):
    init_database(database_url)
    with pytest.raises(ImmutableError), get_sessionmaker(database_url).begin() as session:
        version = latest_version(session, "client")
        version.title = "Iets anders"


def test_a_changed_definition_becomes_a_new_version_and_old_responses_keep_theirs(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        [old_id] = insert_responses(session, load_builtin("client"), [a_response(session)])
    _, raw = read_definition(DEFINITIONS_DIR / "client.yaml")
    changed = copy.deepcopy(raw)
    changed["sections"][0]["items"][0]["text"]["nl"] = (
        "Kende u de onafhankelijke cliëntondersteuner?"
    )
    changed["version"] = 2
    with factory.begin() as session:
        version, created = register_definition(session, parse_definition(changed, "c"), changed)
        again, created_again = register_definition(session, parse_definition(changed, "c"), changed)
        assert created and not created_again and again.id == version.id
        assert version.version == 2
    with factory() as session:
        assert session.get(Response, old_id).questionnaire_version.version == 1
        assert latest_version(session, "client").version == 2
        versions = session.scalars(
            select(QuestionnaireVersion.version).where(QuestionnaireVersion.key == "client")
        ).all()
        assert sorted(versions) == [1, 2]
