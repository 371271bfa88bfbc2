"""Respondent links, opening waves, and drafts with resume codes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.__main__ import main
from db.contacts import set_contact
from db.drafts import delete_draft, load_draft, new_resume_code, purge_expired, save_draft
from db.engine import get_sessionmaker
from db.fieldwork import resolve_draft, resolve_link, set_wave_open
from db.models import Draft, Koploper, Response, Wave, utcnow
from db.responses import FieldworkClosed
from db.setup import init_database
from db.submit import submit_response
from surveys.definition import load_builtin
from surveys.limits import draft_limit

CLIENT_LIMIT = draft_limit(load_builtin("client"))

TODAY = dt.date.today()


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_contact(session, "breda", phone="14 076")
        set_wave_open(session, "almere", "T2", TODAY + dt.timedelta(days=10))
    return database_url


@pytest.mark.parametrize(
    ("survey", "koploper", "wave", "problem"),
    [
        ("nope", "almere", "T2", "survey"),
        ("", "almere", "T2", "survey"),
        ("client' OR '1'='1", "almere", "T2", "survey"),
        ("client", "atlantis", "T2", "koploper"),
        ("client", "x" * 500, "T2", "koploper"),
        ("client", "almere", "T9", "wave"),
        ("client", "almere", "T1", "closed"),
        ("client", "breda", "T2", "closed"),
    ],
)
def test_a_bad_or_forged_link_gives_a_reason_and_never_an_exception(
    url, survey, koploper, wave, problem
):
    with get_sessionmaker(url)() as session:
        assert resolve_link(session, survey, koploper, wave) == problem


def test_a_link_typed_with_other_capitals_or_spaces_still_resolves(url):
    with get_sessionmaker(url)() as session:
        found = resolve_link(session, " Client", "Almere ", "t2")
    assert not isinstance(found, str)
    assert (found.questionnaire_key, found.koploper_slug, found.wave_code) == (
        "client",
        "almere",
        "T2",
    )


def test_an_open_wave_resolves_to_its_questionnaire_koploper_and_wave(url):
    with get_sessionmaker(url)() as session:
        found = resolve_link(session, "professional", "almere", "T2")
    assert found.koploper_name == "Almere" and found.wave_code == "T2"
    assert found.questionnaire_key == "professional"
    assert found.definition["key"] == "professional"


def test_a_wave_outside_its_fieldwork_dates_is_refused(url):
    noon = dt.datetime.combine(TODAY, dt.time(12))
    with get_sessionmaker(url)() as session:
        later = noon + dt.timedelta(days=11)
        assert resolve_link(session, "client", "almere", "T2", later) == "ended"
        earlier = noon - dt.timedelta(days=4000)
        assert resolve_link(session, "client", "almere", "T2", earlier) == "not_started"


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _utc(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """A Dutch wall-clock time as the naive UTC the database and the server use."""
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("first", "last"),
    [(dt.date(2027, 1, 11), dt.date(2027, 1, 22)), (dt.date(2027, 6, 7), dt.date(2027, 6, 18))],
    ids=["winter-time", "summer-time"],
)
def test_fieldwork_days_are_dutch_days_from_0030_on_the_first_to_2350_on_the_last(url, first, last):
    factory = get_sessionmaker(url)
    with factory.begin() as session:
        wave = session.scalar(
            select(Wave).join(Wave.koploper).where(Koploper.slug == "almere", Wave.code == "T2")
        )
        wave.fieldwork_start, wave.fieldwork_end = first, last
    starts, sends = _utc(first, 0, 30), _utc(last, 23, 50)
    assert starts.date() < first  # in UTC the respondent starts on the day before
    with factory() as session:
        assert (
            resolve_link(
                session, "client", "almere", "T2", _utc(first, 0, 10) - dt.timedelta(minutes=30)
            )
            == "not_started"
        )
        fieldwork = resolve_link(session, "client", "almere", "T2", starts)
        assert not isinstance(fieldwork, str)
        assert resolve_link(session, "client", "almere", "T2", _utc(last, 23, 59)) != "ended"
        assert (
            resolve_link(
                session, "client", "almere", "T2", _utc(last, 0, 10) + dt.timedelta(days=1)
            )
            == "ended"
        )
    with factory.begin() as session:
        _, stored = submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key="clock",
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
            started_at=starts,
            now=sends,
        )
    assert stored
    with factory.begin() as session, pytest.raises(FieldworkClosed):
        submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key="too-late",
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
            now=_utc(last, 0, 5) + dt.timedelta(days=1),
        )


def test_the_open_wave_command_opens_and_closes_and_refuses_nonsense(url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["open-wave", "breda", "T1", "--until", str(TODAY + dt.timedelta(days=3))]) == 0
    assert "respond?survey=client&koploper=breda&wave=T1" in capsys.readouterr().out
    with get_sessionmaker(url)() as session:
        assert not isinstance(resolve_link(session, "client", "breda", "T1"), str)
    assert main(["close-wave", "breda", "T1"]) == 0
    with get_sessionmaker(url)() as session:
        assert resolve_link(session, "client", "breda", "T1") == "closed"
    assert main(["open-wave", "atlantis", "T1"]) == 2
    assert main(["open-wave", "breda", "T1", "--until", "gisteren"]) == 2
    assert main(["open-wave", "breda", "T1", "--until", "2001-01-01"]) == 2


def test_a_draft_is_saved_found_by_its_code_and_never_counted_as_a_response(url):
    code = new_resume_code()
    assert len(code) >= 22  # 128 bits in URL-safe base64
    factory = get_sessionmaker(url)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    context = dict(
        questionnaire_version_id=fieldwork.questionnaire_version_id,
        koploper_id=fieldwork.koploper_id,
        wave_id=fieldwork.wave_id,
        language="nl",
        started_at=utcnow(),
        limit=CLIENT_LIMIT,
    )
    with factory.begin() as session:
        save_draft(session, code, answers={"aware_oco": 1}, position=0, **context)
    with factory.begin() as session:
        save_draft(session, code, answers={"aware_oco": 1, "used_oco": 0}, position=1, **context)
    with factory() as session:
        draft = load_draft(session, code)
        assert draft.answers == {"aware_oco": 1, "used_oco": 0} and draft.position == 1
        assert draft.code_hash != code  # only a hash is stored
        assert resolve_draft(session, draft).wave_code == "T2"
        assert load_draft(session, new_resume_code()) is None
        assert load_draft(session, "") is None
        assert session.scalars(select(Response)).first() is None
    with factory.begin() as session:
        delete_draft(session, code)
    with factory() as session:
        assert load_draft(session, code) is None


def test_an_expired_draft_cannot_be_resumed_and_is_purged(url):
    code = new_resume_code()
    factory = get_sessionmaker(url)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    with factory.begin() as session:
        save_draft(
            session,
            code,
            answers={},
            position=0,
            language="nl",
            started_at=None,
            limit=CLIENT_LIMIT,
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
        )
        session.scalar(select(Draft)).expires_at = utcnow() - dt.timedelta(seconds=1)
    with factory.begin() as session:
        assert load_draft(session, code) is None
        assert purge_expired(session) == 1


def test_a_response_for_a_wave_that_closed_meanwhile_is_refused_and_not_stored(url):
    from db.responses import FieldworkClosed
    from db.submit import submit_response
    from surveys.definition import load_builtin

    factory = get_sessionmaker(url)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    with factory.begin() as session:
        set_wave_open(session, "almere", "T2", None, is_open=False)
    with pytest.raises(FieldworkClosed), factory.begin() as session:
        submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key="late",
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
        )
    with factory() as session:
        assert session.scalars(select(Response)).first() is None


def test_a_response_cannot_mix_one_koplopers_wave_with_another_koploper(url):
    from db.models import Koploper
    from db.responses import FieldworkClosed
    from db.submit import submit_response
    from surveys.definition import load_builtin

    factory = get_sessionmaker(url)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
        breda = session.scalar(select(Koploper.id).where(Koploper.slug == "breda"))
    with pytest.raises(FieldworkClosed), factory.begin() as session:
        submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key="mixed",
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=breda,
            wave_id=fieldwork.wave_id,
        )


def test_no_draft_is_saved_again_once_its_response_was_sent(url):
    from db.drafts import idempotency_key_for
    from db.submit import submit_response
    from surveys.definition import load_builtin

    code = new_resume_code()
    factory = get_sessionmaker(url)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    context = dict(
        questionnaire_version_id=fieldwork.questionnaire_version_id,
        koploper_id=fieldwork.koploper_id,
        wave_id=fieldwork.wave_id,
    )
    with factory.begin() as session:
        submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key=idempotency_key_for(code),
            resume_code=code,
            **context,
        )
    with factory.begin() as session:  # a second tab presses "Volgende" afterwards
        save_draft(
            session,
            code,
            answers={"used_oco": 1},
            position=1,
            language="nl",
            started_at=None,
            limit=CLIENT_LIMIT,
            **context,
        )
    with factory() as session:
        assert load_draft(session, code) is None


def test_storing_a_response_stays_inside_the_callers_transaction(url):
    """The idempotent store's savepoint must not commit on its own: a caller that rolls back
    (say, a file import that meets a bad row later) leaves nothing behind, on every backend."""
    factory = get_sessionmaker(url)
    with factory() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
    code = new_resume_code()
    with factory() as session:
        save_draft(
            session,
            code,
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
            language="nl",
            answers={"used_oco": 0},
            position=1,
            started_at=None,
            limit=CLIENT_LIMIT,
        )
        session.commit()
    with pytest.raises(RuntimeError), factory.begin() as session:
        _, stored = submit_response(
            session,
            load_builtin("client"),
            answers={"used_oco": 0},
            language="nl",
            idempotency_key="rolled-back",
            questionnaire_version_id=fieldwork.questionnaire_version_id,
            koploper_id=fieldwork.koploper_id,
            wave_id=fieldwork.wave_id,
            resume_code=code,
        )
        assert stored
        raise RuntimeError("the caller changes its mind")
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0
        assert load_draft(session, code) is not None  # the draft's deletion was rolled back too
