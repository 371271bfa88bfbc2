"""After new responses, the dashboard reads only those (``db.read_model._added``, from the read
``views.cache`` keeps) and counts what a full read counts; any other change since the kept read
makes it read everything again."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text

import db.read_model
from db.access import command_line
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Answer, Koploper, Response, Wave
from db.packs import repack
from db.questionnaires import register_definition
from db.read_model import PackRead, data_version
from db.responses import delete_demo
from db.setup import init_database
from measures.indicators import load_indicators
from surveys.definition import DEFINITIONS_DIR, parse_definition, read_definition
from tests.db.stored_responses import add_tilburg_responses as add_responses
from views.cache import CACHE, RESPONSES, place_of
from views.dashboard import dashboard_counts
from views.responses import scored_responses

KEYS = ["group", "category", "wave", "questionnaire", "indicator"]
TABLES = {"base": KEYS, "counts": [*KEYS, "value"]}


@pytest.fixture
def seeded(database_url) -> str:
    """Demo responses of every koploper, and real ones of Tilburg (to tell demo apart)."""
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        seed_demo(session, sizes=(6, 20))
    add_responses(database_url, 8, demo=False)
    return database_url


@pytest.fixture(autouse=True)
def fresh():
    """Nothing kept from another test, nor for another."""
    CACHE.clear()
    yield
    CACHE.clear()


@pytest.fixture
def reads(monkeypatch) -> list[tuple[int, int]]:
    """(after, packs read) of every ``_fetch`` from now on."""
    calls: list[tuple[int, int]] = []
    real = db.read_model._fetch

    def fetch(*args, after: int = 0, **kwargs):
        read = real(*args, after=after, **kwargs)
        calls.append((after, len(read.meta) if read.packed is None else read.packed[0]))
        return read

    monkeypatch.setattr(db.read_model, "_fetch", fetch)
    return calls


def counted(url: str, include_demo: bool) -> dict[str | None, object]:
    with get_sessionmaker(url)() as session:
        return {
            subgroup: dashboard_counts(
                session, command_line(), "tilburg", subgroup, include_demo=include_demo
            )
            for subgroup in (None, "age_group")
        }


def kept(include_demo: bool) -> PackRead:
    [entry] = [e for key, e in CACHE.entries(RESPONSES) if key[0][1] == include_demo]
    return entry.read


def read_in_full(url: str, include_demo: bool) -> tuple[dict, PackRead]:
    """Counts and what was read after dropping whatever was kept."""
    CACHE.clear()
    return counted(url, include_demo), kept(include_demo)


def assert_same_counts(found: dict, expected: dict) -> None:
    for subgroup in expected:
        for name, keys in TABLES.items():
            left = getattr(found[subgroup], name).sort_values(keys).reset_index(drop=True)
            right = getattr(expected[subgroup], name).sort_values(keys).reset_index(drop=True)
            pd.testing.assert_frame_equal(left, right, obj=f"{subgroup}: {name}")


def assert_same_read(found: PackRead, expected: PackRead) -> None:
    pd.testing.assert_frame_equal(found.meta, expected.meta)
    assert list(found.codes) == list(expected.codes)
    for item, column in expected.codes.items():
        np.testing.assert_array_equal(found.codes[item], column, err_msg=item)
    assert found.packed == expected.packed


def highest(url: str) -> int:
    with get_sessionmaker(url)() as session:
        return data_version(session)[2]


@pytest.mark.parametrize("include_demo", [True, False])
def test_new_responses_are_read_alone_and_count_as_a_full_read(seeded, reads, include_demo):
    before = counted(seeded, include_demo)
    assert [after for after, _ in reads] == [0]
    last = highest(seeded)
    add_responses(seeded, 3, demo=False)
    add_responses(seeded, 2, demo=True)
    found = counted(seeded, include_demo)
    assert reads[1:] == [(last, 5)]  # only the new packs, demo ones too (then left out)
    incremental = kept(include_demo)
    expected, full = read_in_full(seeded, include_demo)
    assert reads[-1][0] == 0
    assert_same_counts(found, expected)
    assert_same_read(incremental, full)
    assert incremental.meta["response_id"].is_monotonic_increasing
    assert not found[None].counts.equals(before[None].counts)  # the new responses count


def change_an_answer_and_repack(url: str) -> None:
    """An old answer changed with plain SQL, then ``python -m db repack``: a changed pack."""
    with get_sessionmaker(url).begin() as session:
        answer_id, code = session.execute(
            select(Answer.id, Answer.code)
            .join(Response, Response.id == Answer.response_id)
            .join(Koploper, Koploper.id == Response.koploper_id)
            .where(Koploper.slug == "tilburg", Answer.item_key == "aware_oco", Answer.code == 1)
            .order_by(Answer.id)
            .limit(1)
        ).one()
        session.execute(
            text("UPDATE answers SET code = :code WHERE id = :id"), {"code": 0, "id": answer_id}
        )
        repack(session, everything=True)


def drop_a_pack(url: str) -> None:
    """An old response's pack deleted with plain SQL: read from its answers."""
    with get_sessionmaker(url).begin() as session:
        first = session.scalar(select(Response.id).order_by(Response.id).limit(1))
        session.execute(text("DELETE FROM response_packs WHERE response_id = :id"), {"id": first})


def remove_demo(url: str) -> None:
    with get_sessionmaker(url).begin() as session:
        assert delete_demo(session) > 0


def add_one_without_pack(url: str) -> None:
    [new] = add_responses(url, 1)
    with get_sessionmaker(url).begin() as session:
        session.execute(text("DELETE FROM response_packs WHERE response_id = :id"), {"id": new})


@pytest.mark.parametrize(
    "change", [remove_demo, change_an_answer_and_repack, drop_a_pack, add_one_without_pack]
)
@pytest.mark.parametrize("include_demo", [True, False])
def test_any_other_change_makes_it_read_everything(seeded, reads, change, include_demo):
    counted(seeded, include_demo)
    change(seeded)
    add_responses(seeded, 2)
    found = counted(seeded, include_demo)
    assert [after for after, _ in reads] == [0, 0]
    expected, full = read_in_full(seeded, include_demo)
    assert_same_counts(found, expected)
    assert_same_read(kept(include_demo), full)


def add_two(url: str) -> None:
    add_responses(url, 2)


@pytest.mark.parametrize("change", [add_two, add_one_without_pack])
def test_a_read_is_kept_under_the_version_it_read_never_an_older_one_passed_in(seeded, change):
    """A caller that read the data version before a response came in gets (and leaves in the
    cache) what it read under the version it was read at: the older version never labels
    newer responses."""
    indicators = load_indicators()
    with get_sessionmaker(seeded)() as session:
        older = data_version(session)
    change(seeded)
    with get_sessionmaker(seeded)() as session:
        version, scored = scored_responses(session, command_line(), None, indicators, True, older)
        now = data_version(session)
        key = (place_of(session, True, indicators), RESPONSES)
    assert version == now != older
    assert CACHE.get(key, older, indicators) is None
    assert CACHE.get(key, now, indicators).scored is scored
    assert kept(True).version == now


@pytest.mark.parametrize("change", [change_an_answer_and_repack, drop_a_pack, add_one_without_pack])
def test_a_change_shows_even_when_the_version_passed_in_hides_it(seeded, reads, change):
    """The checks are made in the database: a version that claims only new responses (as a
    wrong one might) costs a read, never wrong figures; what is read is kept under the version
    it was read at, so a claim the database does not bear out costs a read each time."""
    counted(seeded, True)
    last = highest(seeded)
    change(seeded)
    add_responses(seeded, 2)
    with get_sessionmaker(seeded)() as session:
        responses, _, top, demo, checksums = data_version(session)
        claimed = (responses, responses, top, demo, checksums)  # "every response packed"
        found = {
            subgroup: dashboard_counts(
                session, command_line(), "tilburg", subgroup, version=claimed
            )
            for subgroup in (None, "age_group")
        }
    if change is add_one_without_pack:  # the old part holds: the new part is read, then counted
        assert reads[1:3] == [(last, 2), (0, responses)]
        assert [after for after, _ in reads[3:]] == [0]  # the claim was wrong: read again
    elif change is drop_a_pack:  # the old part shows the change before anything new is read
        assert [after for after, _ in reads] == [0, 0, 0]  # the claim was wrong: read again
    else:  # repacked: the claim is the database's version, and the read is kept under it
        assert [after for after, _ in reads] == [0, 0]
    expected, full = read_in_full(seeded, True)
    assert_same_counts(found, expected)
    assert_same_read(kept(True), full)


def test_an_older_version_passed_in_costs_a_read_not_the_figures(seeded, reads):
    with get_sessionmaker(seeded)() as session:
        old = data_version(session)
    counted(seeded, True)
    last = highest(seeded)
    add_responses(seeded, 2)
    counted(seeded, True)
    with get_sessionmaker(seeded)() as session:
        found = dashboard_counts(session, command_line(), "tilburg", version=old)
    assert [after for after, _ in reads] == [0, last, 0]
    expected, _ = read_in_full(seeded, True)
    assert_same_counts({None: found}, {None: expected[None]})


def test_a_new_wave_and_questionnaire_version_with_the_new_responses_are_decoded(seeded, reads):
    counted(seeded, True)
    last = highest(seeded)
    _, raw = read_definition(DEFINITIONS_DIR / "client.yaml")
    changed = copy.deepcopy(raw)
    changed["sections"][0]["items"][0]["text"]["nl"] = "Kende u de cliëntondersteuner?"
    changed["version"] = 2
    with get_sessionmaker(seeded).begin() as session:
        version, created = register_definition(session, parse_definition(changed, "c"), changed)
        assert created
        version_id = version.id
        tilburg = session.scalar(select(Koploper).where(Koploper.slug == "tilburg"))
        session.add(
            Wave(
                koploper_id=tilburg.id,
                code="T7",
                kind="follow_up",
                label="T7",
                fieldwork_start=dt.date(2031, 1, 1),
                fieldwork_end=dt.date(2031, 2, 1),
            )
        )
    add_responses(seeded, 3, wave="T7", questionnaire_version=version_id)
    add_responses(seeded, 2, wave="T1")
    found = counted(seeded, True)
    assert reads[1:] == [(last, 5)]
    incremental = kept(True)
    assert (incremental.meta["wave"] == "T7").sum() == 3
    assert "T7" in set(found[None].base["wave"])
    expected, full = read_in_full(seeded, True)
    assert_same_counts(found, expected)
    assert_same_read(incremental, full)
