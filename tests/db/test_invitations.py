"""Invitation codes in the database: batches, the way in with a code, sending once, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import get_args

import numpy as np
import pytest
from sqlalchemy import DateTime, func, inspect, select, text, update

from db.access import AccessDenied, Viewer, command_line
from db.audit import read_log
from db.code_use import CodeProblem, CodeUsed, draft_key, redeem
from db.contacts import find_koploper, set_contact
from db.drafts import idempotency_key_for, load_draft
from db.engine import get_sessionmaker
from db.fieldwork import LinkProblem, resolve_link, set_wave_open
from db.invitations import (
    InvitationError,
    code_rows,
    list_batches,
    make_codes,
    mark_exported,
    mark_printed,
    withdraw_batch,
)
from db.models import CodeAttempt, CodeBatch, Draft, InvitationCode, Response
from db.respondent import Opened, open_questionnaire, open_with_code, save_progress, send
from db.setup import init_database
from db.waves import find_wave
from surveys.clock import dutch_day, utcnow
from surveys.codes import ALPHABET, printed
from surveys.definition import load_builtin
from surveys.journey import Journey
from surveys.synthetic import generate
from surveys.texts import LINK_PROBLEMS, TEXTS
from surveys.vocabulary import EASY_READ

ADMIN = command_line()
RESEARCHER = Viewer(email="o@movisie.example", role="onderzoeker")
BROWSER, ADDRESS = "b" * 64, "a" * 64


@pytest.fixture
def db(database_url):
    init_database(database_url)
    factory = get_sessionmaker(database_url)
    with factory.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_contact(session, "tilburg", phone="14 013")
        set_wave_open(session, "almere", "T2", dutch_day() + dt.timedelta(days=10))
    return factory


def make(db, count=5, koploper="almere", wave="T2", survey="client", **options):
    with db.begin() as session:
        return make_codes(session, ADMIN, koploper, wave, survey, count, **options)


def codes(db, koploper="almere", wave="T2", survey="client", **options) -> list[str]:
    with db() as session:
        return [row.code for row in code_rows(session, ADMIN, koploper, wave, survey, **options)]


def answers(seed: int = 3) -> dict:
    return generate(load_builtin("client"), 1, np.random.default_rng(seed)).answers()[0]


def open_code(db, typed: str, sources=(BROWSER, ADDRESS), now=None):
    with db.begin() as session:
        return open_with_code(session, typed, list(sources), now)


def send_with(db, opened: Opened, seed: int = 3) -> int:
    journey = Journey(stage="overview", language=opened.invitation.language, answers=answers(seed))
    with db.begin() as session:
        response_id, created = send(
            session,
            load_builtin("client"),
            opened.fieldwork,
            journey,
            opened.draft_code,
            None,
            invitation=opened.invitation,
        )
    assert created
    return response_id


def test_a_batch_gets_distinct_codes_of_eight_characters_and_letter_numbers_that_continue(db):
    first = make(db, 5)
    second = make(db, 3, language="nl-eenvoudig")
    assert (first.first_letter, first.last_letter, first.count, first.used) == (1, 5, 5, 0)
    assert (second.first_letter, second.last_letter) == (6, 8)
    rows = code_rows_of(db)
    assert [row.letter_number for row in rows] == list(range(1, 9))
    assert len({row.code for row in rows}) == 8
    assert all(len(row.code) == 8 and set(row.code) <= set(ALPHABET) for row in rows)
    assert [row.language for row in rows] == ["nl"] * 5 + ["nl-eenvoudig"] * 3
    # another questionnaire of the same wave counts from 1 again
    assert make(db, 2, survey="professional").first_letter == 1


def code_rows_of(db, **options):
    with db() as session:
        return code_rows(session, ADMIN, "almere", "T2", "client", **options)


@pytest.mark.parametrize("count", [0, -1, 50_001])
def test_a_count_outside_one_to_fifty_thousand_is_refused_in_dutch(db, count):
    with pytest.raises(InvitationError, match="tussen 1 en 50.000"):
        make(db, count)


def test_an_unknown_questionnaire_or_language_is_refused(db):
    with pytest.raises(InvitationError, match="bestaat niet"):
        make(db, 1, survey="nope")
    with pytest.raises(InvitationError, match="bestaat niet"):
        make(db, 1, language="en")


def test_ten_thousand_codes_are_made_at_once_and_unique_across_the_database(db):
    started = utcnow()
    made = make(db, 10_000)
    assert (utcnow() - started).total_seconds() < 30
    assert made.count == 10_000
    with db() as session:
        assert session.scalar(select(func.count(func.distinct(InvitationCode.code)))) == 10_000


def test_a_gemeente_makes_codes_for_its_own_koploper_only_and_others_may_not(db):
    with db() as session:
        tilburg_id = find_koploper(session, "tilburg").id
    TILBURG = Viewer(  # noqa: N806
        email="pl@tilburg.example",
        role="gemeente",
        koploper_ids=frozenset({tilburg_id}),
        koploper_slugs=frozenset({"tilburg"}),
    )
    with db.begin() as session:
        made = make_codes(session, TILBURG, "tilburg", "T0", "client", 2)
    assert made.koploper_slug == "tilburg"
    for viewer, slug in ((TILBURG, "almere"), (RESEARCHER, "almere")):
        with db.begin() as session, pytest.raises(AccessDenied):
            make_codes(session, viewer, slug, "T2", "client", 2)
        with db() as session, pytest.raises(AccessDenied):
            code_rows(session, viewer, slug, "T2", "client")
    make(db, 3)
    with db() as session:
        assert [b.koploper_slug for b in list_batches(session, TILBURG)] == ["tilburg"]
        assert {b.koploper_slug for b in list_batches(session, ADMIN)} == {"tilburg", "almere"}
        assert [b.count for b in list_batches(session, ADMIN, "almere", "t2", "client")] == [3]


@pytest.mark.parametrize("role", ["onderzoeker", "adviesraad"])
def test_only_a_beheerder_or_the_gemeente_itself_sees_the_batches_and_who_made_them(db, role):
    with db() as session:
        almere_id = find_koploper(session, "almere").id
    make(db, 3)
    make(db, 2, koploper="tilburg", wave="T0")
    other = Viewer(
        email=f"{role}@test.example",
        role=role,
        koploper_ids=frozenset({almere_id}),
        koploper_slugs=frozenset({"almere"}),
    )
    almere = Viewer(
        email="pl@almere.example",
        role="gemeente",
        koploper_ids=frozenset({almere_id}),
        koploper_slugs=frozenset({"almere"}),
    )
    with db() as session:
        for koploper in (None, "almere", "tilburg"):
            with pytest.raises(AccessDenied):
                list_batches(session, other, koploper)
        [own] = list_batches(session, almere)
        assert (own.koploper_slug, own.count) == ("almere", 3)
        assert [b.count for b in list_batches(session, almere, "almere")] == [3]
        with pytest.raises(AccessDenied):
            list_batches(session, almere, "tilburg")
        assert {b.koploper_slug for b in list_batches(session, ADMIN)} == {"almere", "tilburg"}


def test_the_logboek_has_every_batch_made_exported_printed_and_withdrawn_without_a_code(db):
    made = make(db, 4)
    with db.begin() as session:
        mark_exported(session, ADMIN, "almere", "T2", "client", count=4, unused=False)
        mark_printed(session, ADMIN, "almere", "T2", "client", reminder=False, count=4)
        mark_printed(session, ADMIN, "almere", "T2", "client", reminder=True, count=3)
        withdraw_batch(session, ADMIN, made.id)
    with db() as session:
        log = read_log(session, ADMIN)
        [batch] = list_batches(session, ADMIN)
    assert log["action"].tolist()[:5] == [
        "codes_withdrawn",
        "letters_printed",
        "letters_printed",
        "codes_exported",
        "codes_made",
    ]
    text = " ".join(log["detail"])
    assert "4 codes" in text and "3 herinneringsbrieven" in text
    for code in [row.code for row in all_codes(db)]:
        assert code not in text and printed(code) not in text
    assert batch.letters_on == batch.reminders_on == dutch_day()
    assert batch.withdrawn_at is not None


def all_codes(db) -> list[InvitationCode]:
    with db() as session:
        return list(session.scalars(select(InvitationCode)))


def test_a_code_typed_forgivingly_opens_its_questionnaire_in_its_register(db):
    make(db, 2, language="nl-eenvoudig")
    code = codes(db)[0]
    typed = f"  {printed(code).lower()} "
    opened = open_code(db, typed)
    assert isinstance(opened, Opened)
    assert opened.fieldwork.koploper_slug == "almere" and opened.fieldwork.wave_code == "T2"
    assert opened.fieldwork.questionnaire_key == "client"
    assert opened.invitation.code == code and opened.invitation.language == "nl-eenvoudig"
    assert opened.journey("nl").language == "nl-eenvoudig" and opened.journey("nl").stage == "intro"
    assert opened.draft_code == draft_key(code) and code not in opened.draft_code


def test_one_code_gives_one_response_invited_and_the_same_code_is_then_refused(db):
    make(db, 2)
    code = codes(db)[0]
    opened = open_code(db, code)
    response_id = send_with(db, opened)
    with db() as session:
        response = session.get(Response, response_id)
        assert response.invited and response.panel_key is None
        used = session.scalar(select(InvitationCode).where(InvitationCode.code == code))
        assert used.used_on == dutch_day()
    assert open_code(db, code) == "code_used"
    with pytest.raises(CodeUsed):
        send_with(db, opened, seed=4)  # a second tab that opened it before
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_codes_draft_is_resumed_by_typing_the_code_again_and_goes_at_sending(db):
    make(db, 1)
    [code] = codes(db)
    opened = open_code(db, code)
    partial = dict(list(answers(3).items())[:2])
    journey = Journey(stage="questions", screen=2, language="nl", answers=partial)
    with db.begin() as session:
        save_progress(
            session, opened.draft_code, opened.fieldwork, journey, None, opened.invitation
        )
    again = open_code(db, printed(code))
    assert again.resume_code == draft_key(code) and again.position == 2
    assert again.answers == partial and again.journey("nl").stage == "questions"
    # the draft's key is not a way round the code
    with db() as session:
        assert open_questionnaire(session, "", "", "", resume=draft_key(code)) == "draft_gone"
    send_with(db, again)
    with db() as session:
        assert load_draft(session, draft_key(code)) is None


def test_a_second_tab_saves_no_draft_once_the_code_is_used(db):
    make(db, 1)
    [code] = codes(db)
    opened = open_code(db, code)
    send_with(db, opened)
    journey = Journey(stage="questions", language="nl", answers=dict(list(answers().items())[:1]))
    with db.begin() as session:
        save_progress(
            session, opened.draft_code, opened.fieldwork, journey, None, opened.invitation
        )
    with db() as session:
        assert load_draft(session, draft_key(code)) is None


def test_an_unused_code_of_a_withdrawn_batch_stops_working_a_used_one_stays_used(db):
    made = make(db, 2)
    first, second = codes(db)
    send_with(db, open_code(db, first))
    with db.begin() as session:
        summary = withdraw_batch(session, ADMIN, made.id)
    assert (summary.count, summary.used) == (2, 1)
    assert open_code(db, second) == "code_withdrawn"
    assert open_code(db, first) == "code_used"
    assert codes(db) == []  # the codes of withdrawn batches are not handed out
    with db.begin() as session, pytest.raises(InvitationError, match="al ingetrokken"):
        withdraw_batch(session, ADMIN, made.id)


def test_withdrawing_between_opening_and_sending_stores_nothing(db):
    made = make(db, 1)
    opened = open_code(db, codes(db)[0])
    with db.begin() as session:
        withdraw_batch(session, ADMIN, made.id)
    with pytest.raises(CodeUsed) as refused:
        send_with(db, opened)
    assert refused.value.problem == "code_withdrawn"
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_code_of_a_wave_that_is_not_open_gives_the_waves_problem(db):
    make(db, 1, wave="T1")
    [code] = codes(db, wave="T1")
    assert open_code(db, code) == "closed"
    make(db, 1)
    [open_one] = codes(db)
    later = utcnow() + dt.timedelta(days=30)
    assert open_code(db, open_one, now=later) == "ended"


def test_ten_wrong_codes_pause_the_source_for_fifteen_minutes_and_are_logged_once(db):
    make(db, 1)
    [right] = codes(db)
    now = utcnow()
    other = ["c" * 64]
    results = [open_code(db, "ABCD-EFGH", sources=[BROWSER], now=now) for _ in range(10)]
    assert results == ["code_unknown"] * 9 + ["code_paused"]
    # paused: even the right code waits; another source is not paused, and a right code
    # from it does not reset the paused one
    assert open_code(db, right, sources=[BROWSER], now=now) == "code_paused"
    assert isinstance(open_code(db, right, sources=other, now=now), Opened)
    assert open_code(db, right, sources=[BROWSER], now=now + dt.timedelta(minutes=14)) == (
        "code_paused"
    )
    assert isinstance(
        open_code(db, right, sources=[BROWSER], now=now + dt.timedelta(minutes=16)), Opened
    )
    with db() as session:
        log = read_log(session, ADMIN, actions=["code_gepauzeerd"])
    assert len(log) == 1 and "ABCD" not in log["detail"][0]


def test_a_wrong_code_counts_against_every_source_of_the_request(db):
    now = utcnow()
    for _ in range(9):
        open_code(db, "nonsense", sources=[BROWSER, ADDRESS], now=now)
    # the same address from another browser: its tenth wrong code pauses the address
    assert open_code(db, "nonsense", sources=["d" * 64, ADDRESS], now=now) == "code_paused"
    assert open_code(db, "x", sources=[ADDRESS], now=now) == "code_paused"
    # the other browser counted one; the first browser nine, its tenth pauses it
    assert open_code(db, "x", sources=["d" * 64], now=now) == "code_unknown"
    assert open_code(db, "x", sources=[BROWSER], now=now) == "code_paused"
    assert open_code(db, "x", sources=[BROWSER], now=now) == "code_paused"


def test_wrong_codes_older_than_fifteen_minutes_no_longer_count(db):
    now = utcnow()
    for _ in range(9):
        open_code(db, "nonsense", sources=[BROWSER], now=now)
    later = now + dt.timedelta(minutes=16)
    assert open_code(db, "nonsense", sources=[BROWSER], now=later) == "code_unknown"


def test_a_sources_count_is_kept_no_longer_than_a_window_or_a_pause(db):
    from db.models import CodeAttempt

    now = utcnow()
    for _ in range(10):
        open_code(db, "nonsense", sources=[BROWSER], now=now)
    open_code(db, "nonsense", sources=[ADDRESS], now=now + dt.timedelta(minutes=5))
    with db() as session:
        assert set(session.scalars(select(CodeAttempt.source))) == {BROWSER, ADDRESS}
    # 17 minutes on: the browser's pause is over, the address's window (from minute 5) not yet
    open_code(db, "nonsense", sources=["e" * 64], now=now + dt.timedelta(minutes=17))
    with db() as session:
        assert set(session.scalars(select(CodeAttempt.source))) == {ADDRESS, "e" * 64}
    open_code(db, "nonsense", sources=["e" * 64], now=now + dt.timedelta(minutes=21))
    with db() as session:
        assert set(session.scalars(select(CodeAttempt.source))) == {"e" * 64}


def test_an_unknown_code_writes_nothing_but_its_count(db):
    with db() as session:
        before = session.scalar(select(func.count()).select_from(CodeBatch))
    with db.begin() as session:
        assert redeem(session, "K7QM-2XPD", [BROWSER]) == "code_unknown"
    with db() as session:
        assert session.scalar(select(func.count()).select_from(CodeBatch)) == before
        assert read_log(session, ADMIN).empty


def test_panel_codes_carry_a_random_key_and_a_follow_up_makes_one_code_per_member(db):
    with db.begin() as session:
        set_wave_open(session, "almere", "T1", dutch_day() + dt.timedelta(days=5))
    t1 = make(db, 3, wave="T1", panel=True)
    assert t1.panel
    keys = [row.panel_key for row in all_codes(db)]
    assert len(set(keys)) == 3 and all(len(key) == 32 for key in keys)
    with pytest.raises(InvitationError, match="3 leden"):
        make(db, 5, panel=True, follow_up_of="T1")
    follow = make(db, None, panel=True, follow_up_of="T1")
    assert (follow.count, follow.follow_up_of, follow.panel) == (3, "T1", True)
    by_batch = {}
    for row in all_codes(db):
        by_batch.setdefault(row.batch_id, set()).add(row.panel_key)
    assert by_batch[follow.id] == by_batch[t1.id]
    with pytest.raises(InvitationError, match="geen panelcodes"):
        make(db, None, panel=True, follow_up_of="T1")  # everyone has a T2 code already
    with pytest.raises(InvitationError, match="--panel"):
        make(db, None, follow_up_of="T1")
    # the panel key reaches the response
    code = next(row.code for row in all_codes(db) if row.batch_id == follow.id)
    opened = open_code(db, code)
    with db() as session:
        response = session.get(Response, send_with(db, opened))
        assert response.panel_key == opened.invitation.panel_key
        assert response.panel_key in by_batch[t1.id]


def use_directly(db, batch_id: int, letter: int) -> None:
    with db.begin() as session:
        session.execute(
            update(InvitationCode)
            .where(InvitationCode.batch_id == batch_id, InvitationCode.letter_number == letter)
            .values(used_on=dutch_day())
        )


def withdraw(db, batch_id: int) -> None:
    with db.begin() as session:
        withdraw_batch(session, ADMIN, batch_id)


def test_a_follow_up_names_each_members_earlier_letter_and_leaves_out_withdrawn_misprints(db):
    t1 = make(db, 3, wave="T1", panel=True)  # letters 1-3
    misprint = make(db, 2, wave="T1", panel=True)  # letters 4-5: 4 used, then withdrawn
    use_directly(db, misprint.id, 4)
    withdraw(db, misprint.id)
    keys = {(row.batch_id, row.letter_number): row.panel_key for row in all_codes(db)}
    follow = make(db, None, panel=True, follow_up_of="T1")
    assert follow.count == 4  # letter 5 never reached anyone: no follow-up for it
    with db() as session:
        rows = code_rows(session, ADMIN, "almere", "T2", "client")
    assert [(row.letter_number, row.earlier_letter) for row in rows] == [
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 4),
    ]
    batch_of = {1: t1.id, 2: t1.id, 3: t1.id, 4: misprint.id}
    for row in all_codes(db):
        if row.batch_id == follow.id:
            assert row.panel_key == keys[(batch_of[row.letter_number], row.letter_number)]
    # a misprinted follow-up is made again, except for a code that was used before withdrawing
    use_directly(db, follow.id, 2)
    withdraw(db, follow.id)
    again = make(db, None, panel=True, follow_up_of="T1")
    assert (again.count, again.first_letter) == (3, 5)
    with db() as session:
        rows = code_rows(session, ADMIN, "almere", "T2", "client")
        assert [(row.letter_number, row.earlier_letter) for row in rows] == [(5, 1), (6, 3), (7, 4)]
        make_codes(session, ADMIN, "almere", "T0", "client", 2)
        plain = code_rows(session, ADMIN, "almere", "T0", "client")
        assert [row.earlier_letter for row in plain] == [None, None]


def test_a_wave_for_codes_only_refuses_the_open_link_with_its_own_problem(db):
    with db.begin() as session:
        find_wave(session, "almere", "T2").access = "codes"
    with db() as session:
        assert resolve_link(session, "client", "almere", "T2") == "codes_only"
        assert resolve_link(session, "client", "almere", "T1") == "closed"
    make(db, 1)
    assert isinstance(open_code(db, codes(db)[0]), Opened)


def test_a_wave_for_the_open_link_only_refuses_codes_with_their_own_problem(db):
    make(db, 2)
    [code, other] = codes(db)
    with db.begin() as session:
        find_wave(session, "almere", "T2").access = "open"
    with db() as session:
        assert not isinstance(resolve_link(session, "client", "almere", "T2"), str)
    assert open_code(db, code) == "code_open_only"
    with db() as session:
        # Not a wrong code (nothing counted against the source), and the code is not used up.
        assert session.scalar(select(func.count()).select_from(CodeAttempt)) == 0
        assert not session.scalar(
            select(func.count())
            .select_from(InvitationCode)
            .where(InvitationCode.used_on.is_not(None))
        )
    # A used code still says it was used; a closed wave still says it is closed.
    with db.begin() as session:
        session.execute(
            update(InvitationCode).where(InvitationCode.code == other).values(used_on=dutch_day())
        )
    assert open_code(db, other) == "code_used"
    with db.begin() as session, pytest.raises(InvitationError) as refused:
        make_codes(session, ADMIN, "almere", "T2", "client", 5)
    assert str(refused.value) == (
        "Meting T2 staat alleen open via de open link: zet hem eerst op codes of beide met "
        "open-wave --access."
    )
    with db() as session:
        assert [b.count for b in list_batches(session, ADMIN, "almere", "T2")] == [2]
    with db.begin() as session:
        find_wave(session, "almere", "T2").access = "both"
    assert isinstance(open_code(db, code), Opened)
    assert make(db, 1).count == 1


# --- anonymous by default (issue 19, point 7) ----------------------------------------------------

CODE_TABLES = ("invitation_codes", "code_batches", "code_attempts")


def rows_of(session, table: str) -> list[dict]:
    model = {m.__tablename__: m for m in (InvitationCode, CodeBatch, CodeAttempt)}[table]
    query = select(model.__table__).order_by(*model.__table__.primary_key.columns)
    return [dict(row) for row in session.execute(query).mappings()]


def test_no_row_holding_a_code_holds_the_response_its_key_or_a_time_finer_than_the_day(db):
    engine = db.kw["bind"]
    schema = inspect(engine)
    for table in CODE_TABLES:
        assert not [
            fk for fk in schema.get_foreign_keys(table) if fk["referred_table"] == "responses"
        ]
        names = {column["name"] for column in schema.get_columns(table)}
        assert not {name for name in names if "response" in name or "idempotency" in name}
    used_on = next(c for c in schema.get_columns("invitation_codes") if c["name"] == "used_on")
    assert not isinstance(used_on["type"], DateTime)
    make(db, 3)
    code = codes(db)[1]
    opened = open_code(db, code)
    with db() as session:
        before = {table: rows_of(session, table) for table in CODE_TABLES}
    response_id = send_with(db, opened)
    with db() as session:
        after = {table: rows_of(session, table) for table in CODE_TABLES}
        key = session.get(Response, response_id).idempotency_key
    # sending changed one value only: the used code's day
    assert after["code_batches"] == before["code_batches"]
    assert after["code_attempts"] == before["code_attempts"]
    changed = [
        (old, new)
        for old, new in zip(before["invitation_codes"], after["invitation_codes"], strict=True)
        if old != new
    ]
    [(old, new)] = changed
    assert {k for k in new if new[k] != old[k]} == {"used_on"}
    day = new["used_on"]
    assert str(day) == dutch_day().isoformat()  # a day (SQLite keeps it as '2026-12-05')
    assert not isinstance(day, dt.datetime)
    for table in CODE_TABLES:
        for row in after[table]:
            assert key not in map(str, row.values())


def test_a_response_sent_with_a_code_keeps_no_start_time_that_its_draft_held(db):
    make(db, 1)
    [code] = codes(db)
    opened = open_code(db, code)
    started = utcnow().replace(microsecond=123456)
    with db.begin() as session:
        save_progress(session, opened.draft_code, opened.fieldwork,
                      Journey(stage="questions", language="nl", answers=answers()), started,
                      invitation=opened.invitation)  # fmt: skip
    resumed = open_code(db, code)
    assert resumed.started_at == started  # the draft has it, for as long as it exists
    response_id = send_with(db, resumed)
    with db() as session:
        response = session.get(Response, response_id)
        assert response.started_at is None and response.invited
        assert not session.scalars(select(Draft)).all()


def test_the_codes_of_a_wave_used_on_one_day_are_written_again_by_each_send(db):
    """A code's row tells its day of use, never its moment: each send writes the wave's codes of
    the day again, so on PostgreSQL they share the transaction id (``xmin``) of the day's latest
    send instead of each keeping the one of the response stored beside it."""
    from sqlalchemy import event

    make(db, 3)
    first, second, _ = codes(db)
    send_with(db, open_code(db, first))
    engine = db.kw["bind"]
    written: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE INVITATION_CODES"):
            written.append(cursor.rowcount)

    event.listen(engine, "after_cursor_execute", count)
    try:
        send_with(db, open_code(db, second, sources=["f" * 64]), seed=4)
    finally:
        event.remove(engine, "after_cursor_execute", count)
    assert written == [1, 2]  # its own code, then both codes used today
    if engine.dialect.name == "postgresql":
        with db() as session:
            stamps = (
                session.execute(
                    text("SELECT xmin::text FROM invitation_codes WHERE used_on IS NOT NULL")
                )
                .scalars()
                .all()
            )
            earliest = session.execute(
                text("SELECT xmin::text FROM responses ORDER BY id LIMIT 1")
            ).scalar()
        assert len(stamps) == 2 and len(set(stamps)) == 1
        # the latest send's: the first code no longer has the id of its own send
        assert int(stamps[0]) > int(earliest) + 1


def test_a_wave_set_to_the_open_link_only_after_its_code_was_opened_stores_nothing(db):
    from db.waves import open_wave

    make(db, 1)
    [code] = codes(db)
    opened = open_code(db, code)
    with db.begin() as session:
        open_wave(session, command_line(), "almere", "T2", None, access="open")
    with pytest.raises(CodeUsed) as refused:
        send_with(db, opened)
    assert refused.value.problem == "code_open_only"
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0
        assert [c.used_on for c in session.scalars(select(InvitationCode))] == [None]


def test_the_responses_key_is_random_not_derived_from_the_code(db, second_database_url):
    make(db, 1)
    [code] = codes(db)
    first = send_with(db, open_code(db, code))
    init_database(second_database_url)
    other = get_sessionmaker(second_database_url)
    with other.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dutch_day() + dt.timedelta(days=10))
        make_codes(session, ADMIN, "almere", "T2", "client", 1)
        session.execute(update(InvitationCode).values(code=code))  # the very same code
    second = send_with(other, open_code(other, code))
    with db() as session:
        key = session.get(Response, first).idempotency_key
    with other() as session:
        again = session.get(Response, second).idempotency_key
    assert key != again
    for derived in (code, draft_key(code), printed(code)):
        assert derived not in key
        assert hashlib.sha256(derived.encode()).hexdigest() != key
        assert idempotency_key_for(derived) != key


def test_two_sends_with_the_same_code_at_once_store_exactly_one_response(db):
    make(db, 3)
    for code in codes(db):
        opened = open_code(db, code)
        start = threading.Barrier(2)

        def attempt(seed: int, opened=opened, start=start) -> str:
            start.wait()
            try:
                send_with(db, opened, seed)
            except CodeUsed as refused:
                return refused.problem
            return "stored"

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(pool.map(attempt, (1, 2)))
        assert outcomes == ["code_used", "stored"]
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 3
        assert session.scalar(select(func.count()).where(Response.invited)) == 3


def test_every_link_problem_has_a_dutch_message():
    assert set(get_args(LinkProblem)) <= set(LINK_PROBLEMS)
    assert "persoonlijke code" in LINK_PROBLEMS["codes_only"]


def test_every_code_problem_has_a_dutch_message_in_both_registers():
    for problem in get_args(CodeProblem):
        assert set(TEXTS[problem]) == {"nl", EASY_READ}, problem
    assert TEXTS["code_open_only"]["nl"].startswith("Voor deze vragenlijst zijn geen codes nodig.")


def test_wrong_codes_sent_at_once_from_one_source_are_all_counted(db):
    now = utcnow()
    start = threading.Barrier(12)

    def attempt(_: int) -> str:
        start.wait()
        return open_code(db, "nonsense", sources=[BROWSER], now=now)

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(attempt, range(12)))
    # nine wrong, the tenth pauses; the two after it find the pause
    assert outcomes.count("code_unknown") == 9
    assert outcomes.count("code_paused") == 3
    with db() as session:
        [attempts] = session.scalars(select(CodeAttempt)).all()
        assert attempts.failures == 10 and attempts.locked_until > now
        assert len(read_log(session, ADMIN, actions=["code_gepauzeerd"])) == 1


def test_after_nine_wrong_codes_requests_at_once_get_one_more_try_between_them(db):
    make(db, 1)
    [right] = codes(db)
    now = utcnow()
    for _ in range(9):
        open_code(db, "nonsense", sources=[BROWSER], now=now)
    typed = ["nonsense"] * 5 + [right]
    start = threading.Barrier(len(typed))

    def attempt(code: str) -> object:
        start.wait()
        return open_code(db, code, sources=[BROWSER], now=now)

    with ThreadPoolExecutor(max_workers=len(typed)) as pool:
        outcomes = list(pool.map(attempt, typed))
    # each waits for the one before it: the right code gets in only if it came first
    assert "code_unknown" not in outcomes
    assert outcomes.count("code_paused") + sum(isinstance(o, Opened) for o in outcomes) == 6
    assert sum(isinstance(o, Opened) for o in outcomes) <= 1
    with db() as session:
        assert session.scalar(select(CodeAttempt.failures)) == 10


def test_requests_naming_no_source_are_counted_as_one(db):
    now = utcnow()
    results = [open_code(db, "nonsense", sources=[], now=now) for _ in range(10)]
    assert results == ["code_unknown"] * 9 + ["code_paused"]
    assert open_code(db, "x", sources=[BROWSER], now=now) == "code_unknown"  # a known one is not
