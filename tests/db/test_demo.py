"""Demo data: realistic, marked as demo, idempotent through the command, removable in one go."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from db.__main__ import main
from db.access import command_line
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Answer, QuestionnaireVersion, Response, Wave
from db.responses import count_demo, delete_demo
from db.setup import init_database
from surveys.definition import from_stored
from surveys.validation import validate_response


@pytest.fixture
def seeded(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        seed_demo(session, sizes=(60, 70))
    return database_url


def answers_frame(url: str) -> pd.DataFrame:
    with get_sessionmaker(url)() as session:
        rows = session.execute(
            select(Response.id, Wave.code, Answer.item_key, Answer.code)
            .join(Answer.response)
            .join(Response.wave)
        ).all()
    return pd.DataFrame(rows, columns=["response", "wave", "item", "code"])


def test_demo_data_covers_every_koploper_at_t0_and_t1_and_is_marked(seeded):
    with get_sessionmaker(seeded)() as session:
        responses = session.execute(
            select(
                Response.koploper_id, Wave.code, Response.questionnaire_version_id, Response.is_demo
            ).join(Response.wave)
        ).all()
    frame = pd.DataFrame(responses, columns=["koploper", "wave", "version", "demo"])
    assert frame["demo"].all()
    assert set(frame["wave"]) == {"T0", "T1"}
    per_group = frame.groupby(["koploper", "wave", "version"]).size()
    assert len(per_group) == 28 * 2 * 2
    assert per_group.between(60, 70).all()


def test_demo_figures_are_realistic(seeded):
    answers = answers_frame(seeded)
    aware = answers[(answers["item"] == "aware_oco") & (answers["code"] != 9)]
    baseline = (aware[aware["wave"] == "T0"]["code"] == 1).mean()
    follow_up = (aware[aware["wave"] == "T1"]["code"] == 1).mean()
    assert 0.25 <= baseline <= 0.35
    assert follow_up > baseline
    quality = answers[answers["item"].isin(["taken_seriously", "solutions_together"])]
    agree = (quality[quality["code"] != 9]["code"] >= 4).mean()
    assert 0.7 <= agree <= 0.9
    assert (quality["code"] == 9).mean() > 0.02  # some "weet niet"
    # conditions hold: nobody who did not use client support answered the quality items
    used = answers[answers["item"] == "used_oco"].set_index("response")["code"]
    assert (used.reindex(quality["response"]) == 1).all()


def test_stored_demo_responses_pass_the_respondent_check(seeded):
    with get_sessionmaker(seeded)() as session:
        versions = session.scalars(select(QuestionnaireVersion)).all()
        definitions = {version.id: from_stored(version.definition) for version in versions}
        responses = session.scalars(select(Response).order_by(Response.id).limit(400)).all()
        rows = session.execute(
            select(Answer.response_id, Answer.item_key, Answer.code, Answer.number, Answer.text)
            .where(Answer.response_id.in_([response.id for response in responses]))
            .order_by(Answer.id)
        ).all()
    questionnaire = {r.id: definitions[r.questionnaire_version_id] for r in responses}
    answers: dict[int, dict] = {response.id: {} for response in responses}
    for response_id, key, code, number, text in rows:
        if questionnaire[response_id].item(key).qtype.multiple:
            answers[response_id].setdefault(key, []).append(code)
        else:
            answers[response_id][key] = next(v for v in (code, number, text) if v is not None)
    assert {response.language for response in responses} == {"nl", "nl-eenvoudig"}
    for response in responses:
        problems = validate_response(
            questionnaire[response.id], answers[response.id], response.language
        )
        assert problems == [], (response.id, answers[response.id])


def test_demo_opens_t2_for_fieldwork(seeded):
    with get_sessionmaker(seeded)() as session:
        t2 = session.scalars(select(Wave).where(Wave.code == "T2")).all()
    assert len(t2) == 28 and all(w.is_open for w in t2)


def test_removing_demo_data_removes_every_demo_response_and_answer(seeded):
    with get_sessionmaker(seeded).begin() as session:
        assert delete_demo(session) > 0
    with get_sessionmaker(seeded)() as session:
        assert count_demo(session, command_line()) == 0
        assert session.scalars(select(Answer)).first() is None
        # the waves the demo opened are closed again: no public link keeps accepting answers
        assert not any(w.is_open for w in session.scalars(select(Wave)))


def test_the_seed_command_does_not_seed_twice_and_removes_in_one_command(
    sqlite_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["seed-demo", "--min", "5", "--max", "2"]) == 2
    assert main(["seed-demo", "--min", "10", "--max", "12"]) == 0
    with get_sessionmaker(sqlite_url)() as session:
        first = count_demo(session, command_line())
    assert first > 0
    assert main(["seed-demo"]) == 0
    assert "Er staan al" in capsys.readouterr().out
    with get_sessionmaker(sqlite_url)() as session:
        assert count_demo(session, command_line()) == first
    assert main(["remove-demo"]) == 0
    with get_sessionmaker(sqlite_url)() as session:
        assert count_demo(session, command_line()) == 0


def test_demo_data_is_never_loaded_unasked_into_postgresql(monkeypatch, capsys):
    # refused before any connection is made, so an unreachable server proves it
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:1/productie")
    assert main(["seed-demo"]) == 2
    assert "--yes" in capsys.readouterr().err
