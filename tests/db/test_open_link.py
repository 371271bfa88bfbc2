"""Bursts through the open link are held for a check, then accepted or removed (issue 19, 11)."""

from __future__ import annotations

import datetime as dt
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from db.access import AccessDenied, Viewer, command_line
from db.audit import read_log
from db.contacts import set_contact
from db.drafts import load_draft, new_resume_code
from db.engine import get_sessionmaker
from db.export import read_export
from db.fieldwork import resolve_link, set_wave_open
from db.held import accept_held, held_count, held_per_koploper, held_responses, remove_held
from db.models import Answer, HeldResponse, Koploper, OpenArrival, Response
from db.respondent import open_questionnaire, save_progress, send
from db.setup import init_database
from db.sources import source_keys
from surveys.clock import utcnow
from surveys.definition import from_stored
from surveys.journey import Journey
from views.dashboard import dashboard_counts

ADMIN = command_line()
ANSWERS = {"aware_oco": 1, "heard_via": [2, 3], "used_oco": 0, "age_group": 4, "filled_by": 1}
START = utcnow().replace(microsecond=0)
HELD_ACTIONS = ["response_held", "held_accepted", "held_removed"]


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=10))
    return database_url


def sources(url: str, browser: str | None = "browser-1", address: str | None = "192.0.2.7"):
    with get_sessionmaker(url).begin() as session:
        return source_keys(session, browser, address)


def send_open(url: str, keys: list[str] | None, minute: float = 0, code: str | None = None):
    """A complete client response through the open link of Almere T2, ``minute`` after START."""
    code = code or new_resume_code()
    with get_sessionmaker(url).begin() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
        journey = Journey(stage="overview", answers=ANSWERS)
        return send(
            session,
            from_stored(fieldwork.definition),
            fieldwork,
            journey,
            code,
            None,
            sources=keys,
        )


@pytest.fixture
def at_minute(monkeypatch):
    """Send as if at START + the given minutes (``submitted_at`` is the arrival's time)."""

    def setter(minute: float) -> None:
        monkeypatch.setattr("db.submit.utcnow", lambda: START + dt.timedelta(minutes=minute))

    return setter


def counted(url: str) -> tuple[int, int]:
    with get_sessionmaker(url)() as session:
        return (
            session.scalar(select(func.count(Response.id))),
            session.scalar(select(func.count(HeldResponse.id))),
        )


def log(url: str) -> list[tuple[str, str, str, str]]:
    with get_sessionmaker(url)() as session:
        lines = read_log(session, ADMIN, actions=HELD_ACTIONS)
    return list(lines[["action", "actor", "koploper", "detail"]].itertuples(index=False))[::-1]


def test_five_from_one_source_within_ten_minutes_count_three_and_hold_two(url, at_minute):
    keys = sources(url)
    for minute in range(5):
        at_minute(minute * 2)
        send_open(url, keys)
    assert counted(url) == (3, 2)
    with get_sessionmaker(url)() as session:
        # one arrival per source per response, never the response itself
        assert session.scalar(select(func.count(OpenArrival.id))) == 10
        assert {c.name for c in OpenArrival.__table__.columns} == {"id", "source", "at"}
    assert [(a, actor, k) for a, actor, k, _ in log(url)] == [
        ("response_held", "anoniem", "almere"),
        ("response_held", "anoniem", "almere"),
    ]
    assert log(url)[0][3] == "Tweede vervolgmeting (T2), vragenlijst Inwoners en cliënten"


def test_the_same_address_from_another_browser_still_counts_towards_the_burst(url, at_minute):
    for number in range(4):
        at_minute(number)
        send_open(url, sources(url, browser=f"browser-{number}"))
    assert counted(url) == (3, 1)


def test_five_from_five_sources_all_count(url, at_minute):
    for number in range(5):
        at_minute(number)
        send_open(url, sources(url, f"browser-{number}", f"192.0.2.{number}"))
    assert counted(url) == (5, 0)


def test_after_the_window_the_source_counts_again_and_old_arrivals_go(url, at_minute):
    keys = sources(url)
    for minute in (0, 1, 2, 12, 13, 14):
        at_minute(minute)
        send_open(url, keys)
    assert counted(url) == (6, 0)
    with get_sessionmaker(url)() as session:
        # only the arrivals within the window of the last send are kept, to the minute only
        times = session.scalars(select(OpenArrival.at).order_by(OpenArrival.at)).all()
    twelve = (START + dt.timedelta(minutes=12)).replace(second=0)
    assert len(times) == 6 and times[0] == twelve
    assert all(t.second == 0 and t.microsecond == 0 for t in times)


def test_a_draft_saved_later_takes_the_last_arrivals_along(url, at_minute, monkeypatch):
    at_minute(0)
    send_open(url, sources(url))
    later = START + dt.timedelta(minutes=11)
    monkeypatch.setattr("db.open_link.utcnow", lambda: later)
    with get_sessionmaker(url).begin() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
        save_progress(session, new_resume_code(), fieldwork, Journey(answers=ANSWERS), None)
    with get_sessionmaker(url)() as session:
        assert session.scalar(select(func.count(OpenArrival.id))) == 0


def test_the_threshold_and_window_are_settings(url, at_minute, monkeypatch):
    monkeypatch.setenv("KOPLOPERMONITOR_BURST_COUNT", "1")
    monkeypatch.setenv("KOPLOPERMONITOR_BURST_MINUTES", "60")
    keys = sources(url)
    for minute in (0, 30):
        at_minute(minute)
        send_open(url, keys)
    assert counted(url) == (1, 1)


def test_without_sources_or_with_none_known_nothing_is_held(url, at_minute):
    for minute in range(5):
        at_minute(minute)
        send_open(url, None)
        send_open(url, [])
    assert counted(url) == (10, 0)


def test_a_resend_with_the_same_key_finds_the_held_response_and_adds_nothing(url, at_minute):
    keys = sources(url)
    for minute in range(3):
        at_minute(minute)
        send_open(url, keys)
    code = new_resume_code()
    at_minute(4)
    first = send_open(url, keys, code=code)
    again = send_open(url, keys, code=code)
    assert first[1] is True and again == (first[0], False)
    assert counted(url) == (3, 1)
    with get_sessionmaker(url)() as session:
        assert session.scalar(select(func.count(OpenArrival.id))) == 8  # not one more
        # the resume link says it was sent, and no draft is saved for it again
        assert open_questionnaire(session, "client", "almere", "T2", resume=code) == (
            "already_sent"
        )
    with get_sessionmaker(url).begin() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
        save_progress(session, code, fieldwork, Journey(answers=ANSWERS), None)
    with get_sessionmaker(url)() as session:
        assert load_draft(session, code) is None


def test_a_held_response_is_in_no_figure_or_export_until_accepted(url, at_minute):
    keys = sources(url)
    for minute in range(5):
        at_minute(minute)
        send_open(url, keys)

    def seen() -> tuple[int, int]:
        with get_sessionmaker(url)() as session:
            versions = dashboard_counts(session, ADMIN, "almere").versions
            return int(versions["responses"].sum()), len(read_export(session, ADMIN, "almere"))

    assert seen() == (3, 3)
    with get_sessionmaker(url)() as session:
        held = held_responses(session, ADMIN, "almere")
    assert [(h.wave, h.questionnaire, h.answered) for h in held] == [("T2", "client", 5)] * 2
    with get_sessionmaker(url).begin() as session:
        assert accept_held(session, ADMIN, [held[0].id]) == 1
    assert seen() == (4, 4)
    assert counted(url) == (4, 1)
    with get_sessionmaker(url)() as session:
        moved = session.scalars(select(Response).order_by(Response.id.desc())).first()
        assert moved.submitted_at == held[0].submitted_at and not moved.invited
        codes = dict(
            session.execute(
                select(Answer.item_key, func.count())
                .where(Answer.response_id == moved.id)
                .group_by(Answer.item_key)
            ).all()
        )
    assert codes == {"aware_oco": 1, "heard_via": 2, "used_oco": 1, "age_group": 1, "filled_by": 1}
    with get_sessionmaker(url).begin() as session:
        assert remove_held(session, ADMIN, [held[1].id]) == 1
    assert seen() == (4, 4)
    assert counted(url) == (4, 0)
    actions = [(a, actor, detail) for a, actor, _, detail in log(url)[2:]]
    group = "Tweede vervolgmeting (T2), vragenlijst Inwoners en cliënten"
    assert actions == [
        ("held_accepted", "opdrachtregel", f"1 antwoord geaccepteerd: {group}"),
        ("held_removed", "opdrachtregel", f"1 antwoord verwijderd: {group}"),
    ]


def test_accepting_or_removing_what_is_gone_already_does_nothing(url, at_minute):
    keys = sources(url)
    for minute in range(6):
        at_minute(minute)
        send_open(url, keys)
    with get_sessionmaker(url)() as session:
        ids = [h.id for h in held_responses(session, ADMIN, "almere")]
    with get_sessionmaker(url).begin() as session:
        assert accept_held(session, ADMIN, ids) == 3
    with get_sessionmaker(url).begin() as session:
        assert accept_held(session, ADMIN, ids) == 0
        assert remove_held(session, ADMIN, ids) == 0
    assert counted(url) == (6, 0)
    assert [line[3] for line in log(url)][-1].startswith("3 antwoorden geaccepteerd")


def _viewer(url: str, role: str, slug: str) -> Viewer:
    with get_sessionmaker(url)() as session:
        koploper_id = session.scalar(select(Koploper.id).where(Koploper.slug == slug))
    return Viewer(f"{role}@example.nl", role, frozenset({koploper_id}), frozenset({slug}))


def test_only_the_beheerder_sees_and_handles_held_responses_a_gemeente_only_its_count(
    url, at_minute
):
    keys = sources(url)
    for minute in range(5):
        at_minute(minute)
        send_open(url, keys)
    almere, breda = _viewer(url, "gemeente", "almere"), _viewer(url, "gemeente", "breda")
    council = _viewer(url, "adviesraad", "almere")
    researcher = Viewer("o@movisie.example", "onderzoeker")
    with get_sessionmaker(url).begin() as session:
        assert held_count(session, almere, "almere") == 2
        assert held_count(session, researcher, "almere") == 2
        assert held_count(session, ADMIN, "breda") == 0
        assert held_per_koploper(session, ADMIN) == {"almere": 2}
        assert held_per_koploper(session, almere) == {"almere": 2}
        assert held_per_koploper(session, breda) == {}
        with pytest.raises(AccessDenied):
            held_per_koploper(session, council)
        for viewer, slug in ((breda, "almere"), (council, "almere")):
            with pytest.raises(AccessDenied):
                held_count(session, viewer, slug)
        for viewer in (almere, researcher, council):
            with pytest.raises(AccessDenied):
                held_responses(session, viewer, "almere")
            with pytest.raises(AccessDenied):
                accept_held(session, viewer, [1, 2])
            with pytest.raises(AccessDenied):
                remove_held(session, viewer, [1, 2])
    assert counted(url) == (3, 2)


def test_a_held_response_keeps_no_source(url, at_minute):
    keys = sources(url)
    for minute in range(4):
        at_minute(minute)
        send_open(url, keys, code=secrets.token_urlsafe(16))
    with get_sessionmaker(url)() as session:
        held = session.scalars(select(HeldResponse)).one()
    columns = {c.name for c in HeldResponse.__table__.columns}
    assert not {"source", "address", "browser", "ip"} & columns
    assert all(key not in str(vars(held)) for key in keys)


@pytest.mark.slow  # threads at once
def test_a_script_sending_in_parallel_from_one_source_gets_no_more_counted(url, at_minute):
    keys = sources(url)
    at_minute(0)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: send_open(url, keys), range(8)))
    assert all(created for _, created in results)
    assert counted(url) == (3, 5)


def test_an_ipv6_address_is_one_source_per_64_and_ipv4_as_it_is():
    from db.sources import network

    assert network("2001:db8:1:2:aaaa::1") == network("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::1") != network("2001:db8:1:2::1")
    assert network("192.0.2.7") == "192.0.2.7" and network("::ffff:192.0.2.7") == "192.0.2.7"
    assert network("not an address") == "not an address"
