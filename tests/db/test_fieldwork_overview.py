"""The Veldwerk data: waves with a status, counts per register, the beheerder's wave actions."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from sqlalchemy import select

from db.__main__ import main
from db.access import AccessDenied, Viewer, command_line
from db.audit import read_log
from db.contacts import ContactMissing, UnknownKoploper, set_contact
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link
from db.fieldwork_overview import (
    fieldwork_waves,
    koplopers_in_scope,
    response_counts,
    wave_status,
)
from db.models import Koploper, Wave
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from db.waves import WaveError, close_wave, open_wave, set_wave_dates
from surveys.clock import dutch_day, utcnow
from surveys.definition import load_builtin

ADMIN = command_line()
TODAY = dutch_day()
# (koploper, wave, questionnaire, channel, language): how many responses
PLANTED = {
    ("tilburg", "T0", "client", "web", "nl"): 3,
    ("tilburg", "T0", "client", "web", "nl-eenvoudig"): 2,
    ("tilburg", "T0", "client", "paper", "nl"): 1,
    ("tilburg", "T1", "professional", "web", "nl"): 4,
    ("breda", "T0", "client", "web", "nl"): 5,
}


@pytest.fixture
def db(database_url):
    init_database(database_url)
    maker = get_sessionmaker(database_url)
    with maker.begin() as session:
        set_contact(session, "tilburg", phone="14 013")
        ids = dict(session.execute(select(Koploper.slug, Koploper.id)).all())
        waves = {
            (slug, code): wave_id
            for slug, code, wave_id in session.execute(
                select(Koploper.slug, Wave.code, Wave.id).join(Wave.koploper)
            )
        }
        for key in ("client", "professional"):
            version = latest_version(session, key)
            insert_responses(
                session,
                load_builtin(key),
                [
                    NewResponse(
                        questionnaire_version_id=version.id,
                        koploper_id=ids[slug],
                        wave_id=waves[slug, wave],
                        channel=channel,
                        language=language,
                        idempotency_key=secrets.token_hex(16),
                        submitted_at=utcnow(),
                    )
                    for (slug, wave, questionnaire, channel, language), n in PLANTED.items()
                    if questionnaire == key
                    for _ in range(n)
                ],
            )
    return maker


def viewer_of(db, role: str, *slugs: str) -> Viewer:
    with db() as session:
        ids = session.scalars(select(Koploper.id).where(Koploper.slug.in_(slugs))).all()
    return Viewer(f"{role}@test.example", role, frozenset(ids), frozenset(slugs))


def counted(frame) -> dict[tuple[str, ...], int]:
    return {
        (row.koploper, row.wave, row.questionnaire, row.channel, row.language): row.responses
        for row in frame.itertuples()
    }


def test_responses_are_counted_per_wave_questionnaire_channel_and_register(db):
    with db() as session:
        everything = counted(response_counts(session, ADMIN))
        tilburg = counted(response_counts(session, ADMIN, koploper="tilburg"))
    assert everything == PLANTED
    assert tilburg == {key: n for key, n in PLANTED.items() if key[0] == "tilburg"}


def test_a_tilburg_viewer_gets_nothing_of_breda(db):
    tilburg = viewer_of(db, "gemeente", "tilburg")
    with db() as session:
        assert set(koplopers_in_scope(session, tilburg)["slug"]) == {"tilburg"}
        assert set(fieldwork_waves(session, tilburg)["koploper"]) == {"tilburg"}
        assert set(response_counts(session, tilburg)["koploper"]) == {"tilburg"}
        for read in (fieldwork_waves, response_counts):
            with pytest.raises(AccessDenied):
                read(session, tilburg, koploper="breda")
            with pytest.raises(UnknownKoploper):
                read(session, tilburg, koploper="atlantis")


def test_an_account_without_koplopers_sees_none_and_the_beheerder_all(db):
    nobody = Viewer("leeg@test.example", "adviesraad")
    with db() as session:
        assert koplopers_in_scope(session, nobody).empty
        assert fieldwork_waves(session, nobody).empty
        assert response_counts(session, nobody).empty
        assert len(koplopers_in_scope(session, ADMIN)) == 28
        assert len(fieldwork_waves(session, ADMIN)) == 28 * 3


@pytest.mark.parametrize(
    ("is_open", "start", "end", "status"),
    [
        (True, -3, 3, "open"),
        (True, 0, 0, "open"),
        (False, -3, 3, "gesloten"),
        (True, 2, 9, "gepland"),
        (False, 2, 9, "gepland"),
        (True, -9, -1, "afgelopen"),
        (False, -9, -1, "afgelopen"),
    ],
)
def test_a_wave_status_follows_its_dates_and_whether_it_is_open(is_open, start, end, status):
    day = dt.date(2026, 3, 5)
    span = (day + dt.timedelta(days=start), day + dt.timedelta(days=end))
    assert wave_status(is_open, *span, day) == status


def test_the_beheerder_opens_changes_and_closes_a_wave_with_audit_lines(db):
    until = TODAY + dt.timedelta(days=20)
    with db.begin() as session:
        open_wave(session, ADMIN, "tilburg", "T2", until)
    with db() as session:
        waves = fieldwork_waves(session, ADMIN, koploper="tilburg").set_index("code")
        assert waves.loc["T2", "status"] == "open"
        assert waves.loc["T2", "fieldwork_end"] == until
        assert not isinstance(resolve_link(session, "client", "tilburg", "T2"), str)
    with db.begin() as session:
        set_wave_dates(session, ADMIN, "tilburg", "T2", TODAY - dt.timedelta(days=1), until)
        close_wave(session, ADMIN, "tilburg", "T2")
    with db() as session:
        assert resolve_link(session, "client", "tilburg", "T2") == "closed"
        log = read_log(session, ADMIN)
    assert list(log["action"]) == ["wave_closed", "wave_dates", "wave_opened"]
    assert set(log["koploper"]) == {"tilburg"} and set(log["outcome"]) == {"ok"}
    assert log["detail"].str.contains("T2").all()


@pytest.mark.parametrize("role", ["onderzoeker", "gemeente", "adviesraad"])
def test_only_a_beheerder_may_open_close_or_move_a_wave(db, role):
    someone = viewer_of(db, role, "tilburg")
    with db.begin() as session:
        for act in (
            lambda: open_wave(session, someone, "tilburg", "T2"),
            lambda: close_wave(session, someone, "tilburg", "T0"),
            lambda: set_wave_dates(session, someone, "tilburg", "T2", TODAY, TODAY),
        ):
            with pytest.raises(AccessDenied):
                act()
    with db() as session:
        assert not session.scalar(select(Wave.is_open).where(Wave.code == "T2").limit(1))
        assert read_log(session, ADMIN).empty


def test_bad_dates_and_a_missing_contact_are_refused_in_dutch_and_nothing_is_written(db):
    yesterday = TODAY - dt.timedelta(days=1)
    with db() as session:
        before = fieldwork_waves(session, ADMIN, koploper="tilburg")
    problems = [
        (WaveError, "vóór de begindatum", set_wave_dates, ("tilburg", "T2", TODAY, yesterday)),
        (WaveError, "kan niet", set_wave_dates, ("tilburg", "T2", dt.date(1999, 1, 1), TODAY)),
        (WaveError, "in het verleden", open_wave, ("tilburg", "T2", yesterday)),
        (ContactMissing, "contactgegevens", open_wave, ("breda", "T2")),
        (LookupError, "Geen meting", close_wave, ("tilburg", "T9")),
    ]
    for error, words, act, arguments in problems:
        with pytest.raises(error, match=words), db.begin() as session:
            act(session, ADMIN, *arguments)
    with db.begin() as session:
        open_wave(session, ADMIN, "tilburg", "T2")
    with pytest.raises(WaveError, match="staat open"), db.begin() as session:
        set_wave_dates(session, ADMIN, "tilburg", "T2", yesterday - dt.timedelta(days=5), yesterday)
    with db() as session:
        after = fieldwork_waves(session, ADMIN, koploper="tilburg")
        assert list(read_log(session, ADMIN)["action"]) == ["wave_opened"]
    changed = after.compare(before)
    assert set(changed.index) == {2}  # only T2, opened


def test_the_wave_commands_write_audit_lines_as_the_command_line(db, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    until = TODAY + dt.timedelta(days=3)
    assert main(["open-wave", "tilburg", "T1", "--until", str(until)]) == 0
    assert main(["wave-dates", "tilburg", "T1", "--start", str(TODAY), "--end", str(until)]) == 0
    assert main(["wave-dates", "tilburg", "T1", "--start", str(until), "--end", str(TODAY)]) == 2
    assert main(["close-wave", "tilburg", "T1"]) == 0
    with db() as session:
        log = read_log(session, ADMIN)
    assert list(log["action"]) == ["wave_closed", "wave_dates", "wave_opened"]
    assert set(log["actor"]) == {"opdrachtregel"} and set(log["role"]) == {"beheerder"}
