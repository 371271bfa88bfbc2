"""Response rates from the database: codes sent and used per koploper × wave × questionnaire
(a withdrawn batch's used codes kept, its unused ones left out), responses per Dutch day with and
without a code, and only the viewer's own koplopers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.access import AccessDenied, Viewer, command_line
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.models import Koploper
from db.response_rates import (
    invitation_counts,
    letter_days,
    response_counts_by_way_in,
    responses_per_day,
)
from db.setup import init_database
from measures.response_rates import rate_table, rate_text
from tests.db.rates_data import add_batch, add_responses

ADMIN = command_line()
LETTERS = dt.date(2026, 3, 2)
REMINDERS = dt.date(2026, 3, 16)
DAY_ONE, DAY_TWO = dt.date(2026, 3, 4), dt.date(2026, 3, 17)


@pytest.fixture
def db(database_url):
    init_database(database_url)
    maker = get_sessionmaker(database_url)
    with maker.begin() as session:
        # Tilburg T0 client: 200 + 35 codes, 70 used; a withdrawn batch of 50 whose 5 used
        # codes still count (sent and used), its 45 unused ones not: 240 sent, 75 used.
        add_batch(
            session, "tilburg", "T0", "client", 200, [DAY_ONE] * 55 + [DAY_TWO] * 10,
            letters_on=LETTERS, reminders_on=REMINDERS,
        )  # fmt: skip
        add_batch(session, "tilburg", "T0", "client", 35, [DAY_TWO] * 5, first_letter=201)
        add_batch(
            session, "tilburg", "T0", "client", 50, [DAY_ONE] * 5, withdrawn=True,
            letters_on=dt.date(2026, 2, 1), first_letter=236,
        )  # fmt: skip
        add_batch(session, "breda", "T1", "professional", 30, [DAY_ONE] * 3, letters_on=LETTERS)
        # Breda T1: a withdrawn batch of 10 with 2 used (2 sent, 2 used); Breda T2 only a
        # withdrawn batch with no use (no codes sent at all).
        add_batch(
            session, "breda", "T1", "professional", 10, [DAY_ONE] * 2, withdrawn=True,
            first_letter=31,
        )  # fmt: skip
        add_batch(session, "breda", "T2", "professional", 20, withdrawn=True)
        # Responses: 60 on day one (with a code at 09:00, 5 of them from the withdrawn batch,
        # and 12 via the open link), 15 with a code on day two at 00:30 Dutch time (still day
        # two, though 23:30 UTC of day one).
        add_responses(session, "tilburg", "T0", "client", DAY_ONE, 60, invited=True, hour=9)
        add_responses(session, "tilburg", "T0", "client", DAY_ONE, 12, invited=False, hour=20)
        add_responses(session, "tilburg", "T0", "client", DAY_TWO, 15, invited=True, hour=0)
        add_responses(session, "tilburg", "T0", "client", DAY_TWO, 4, invited=False, demo=True)
        add_responses(session, "breda", "T1", "professional", DAY_ONE, 5, invited=True)
        add_responses(session, "breda", "T0", "client", DAY_ONE, 9, invited=False)
    return maker


def viewer_of(db, role: str, *slugs: str) -> Viewer:
    with db() as session:
        ids = session.scalars(select(Koploper.id).where(Koploper.slug.in_(slugs))).all()
    return Viewer(f"{role}@test.example", role, frozenset(ids), frozenset(slugs))


def test_a_withdrawn_batch_counts_its_used_codes_only(db):
    with db() as session:
        counts = invitation_counts(session, ADMIN)
    assert [tuple(row) for row in counts.itertuples(index=False)] == [
        ("breda", "T1", "professional", 32, 5),
        ("tilburg", "T0", "client", 240, 75),
    ]


def test_the_uses_of_a_withdrawn_batch_are_as_many_as_their_responses(db):
    # Every response with a code has its use among the codes sent: used == invited.
    with db() as session:
        table = rate_table(
            invitation_counts(session, ADMIN), response_counts_by_way_in(session, ADMIN)
        )
    with_codes = table[table["sent"] > 0]
    assert with_codes["used"].tolist() == with_codes["invited"].tolist() == [5, 75]
    breda = table.set_index(["koploper", "wave"]).loc[("breda", "T1")]
    assert rate_text(breda["used"], breda["sent"]) == "5 van de 32 (15,6\u00a0%)"
    assert ("breda", "T2") not in set(zip(table["koploper"], table["wave"], strict=True))


def test_the_rate_is_used_out_of_sent_and_open_link_responses_are_apart(db):
    with db() as session:
        table = rate_table(
            invitation_counts(session, ADMIN, koploper="tilburg"),
            response_counts_by_way_in(session, ADMIN, koploper="tilburg"),
        )
    row = table.set_index(["wave", "questionnaire"]).loc[("T0", "client")]
    assert (row["sent"], row["used"], row["invited"], row["open"]) == (240, 75, 75, 16)
    assert row["rate"] == pytest.approx(31.25)
    assert rate_text(row["used"], row["sent"]) == "75 van de 240 (31,3\u00a0%)"


def test_a_wave_without_codes_has_responses_but_no_rate(db):
    with db() as session:
        table = rate_table(
            invitation_counts(session, ADMIN, koploper="breda"),
            response_counts_by_way_in(session, ADMIN, koploper="breda"),
        )
    no_codes = table.set_index("wave").loc["T0"]
    assert (no_codes["sent"], no_codes["open"]) == (0, 9)
    assert no_codes["rate"] != no_codes["rate"]  # NaN: no rate
    assert rate_text(no_codes["used"], no_codes["sent"]) == "–"


def test_demo_responses_are_left_out_on_request(db):
    with db() as session:
        counts = response_counts_by_way_in(session, ADMIN, koploper="tilburg", include_demo=False)
    assert counts[["invited", "open"]].values.tolist() == [[75, 12]]


def test_responses_are_counted_per_dutch_day_with_and_without_a_code(db):
    with db() as session:
        days = responses_per_day(session, ADMIN, koploper="tilburg")
    assert [tuple(row) for row in days.itertuples(index=False)] == [
        ("tilburg", "T0", "client", DAY_ONE, 60, 12),
        ("tilburg", "T0", "client", DAY_TWO, 15, 4),
    ]


def test_letter_and_reminder_days_of_batches_not_withdrawn(db):
    with db() as session:
        days = letter_days(session, ADMIN)
    assert [tuple(row) for row in days.itertuples(index=False)] == [
        ("breda", "T1", "professional", LETTERS, "letters"),
        ("tilburg", "T0", "client", LETTERS, "letters"),
        ("tilburg", "T0", "client", REMINDERS, "reminders"),
    ]


READS = [invitation_counts, letter_days, response_counts_by_way_in, responses_per_day]


@pytest.mark.parametrize("read", READS, ids=lambda f: f.__name__)
def test_a_gemeente_sees_only_its_own_koploper(db, read):
    tilburg = viewer_of(db, "gemeente", "tilburg")
    with db() as session:
        assert set(read(session, tilburg)["koploper"]) == {"tilburg"}
        assert set(read(session, tilburg, koploper="tilburg")["koploper"]) == {"tilburg"}
        with pytest.raises(AccessDenied):
            read(session, tilburg, koploper="breda")
        with pytest.raises(UnknownKoploper):
            read(session, tilburg, koploper="atlantis")
        assert read(session, Viewer("leeg@test.example", "gemeente")).empty
        assert set(read(session, ADMIN)["koploper"]) == {"tilburg", "breda"}
