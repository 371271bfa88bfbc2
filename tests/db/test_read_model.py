"""The dashboard's read model (``db.read_model``): every response's codes, koplopers by id and
never by name, for a viewer who sees the koploper asked for (or, asking for all, every one)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from db.access import AccessDenied, Viewer, command_line
from db.dashboard import koploper_facts
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Koploper, Response
from db.read_model import data_version, koploper_slugs, read_packs
from db.setup import init_database


@pytest.fixture
def seeded(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        seed_demo(session, sizes=(3, 6))
    return database_url


def ids(session) -> dict[str, int]:
    return dict(session.execute(select(Koploper.slug, Koploper.id)).all())


def test_every_response_is_read_by_koploper_id_with_the_codes_asked_for(seeded):
    with get_sessionmaker(seeded)() as session:
        tilburg = ids(session)["tilburg"]
        gemeente = Viewer("pl@t.example", "gemeente", frozenset({tilburg}), frozenset({"tilburg"}))
        read = read_packs(session, gemeente, "tilburg", {"client": {"aware_oco": False}})
        responses = session.scalar(select(Response.id).order_by(Response.id.desc()).limit(1))
        assert read.version == data_version(session)
        assert read.meta["response_id"].iloc[-1] == responses
        every = read_packs(session, command_line(), None)
    assert read.meta["koploper"].dtype == np.int64  # an id, never a name
    assert tilburg in set(read.meta["koploper"]) and len(set(read.meta["koploper"])) == 28
    assert list(read.codes) == ["aware_oco"]
    client = (read.meta["questionnaire"] == "client").to_numpy()
    assert not np.isnan(read.codes["aware_oco"][client]).all()
    assert np.isnan(read.codes["aware_oco"][~client]).all()  # not asked of professionals
    assert {"aware_oco", "used_oco"} <= set(every.codes)  # by default every coded question


def test_only_a_viewer_who_sees_every_koploper_reads_for_all_and_names_them(seeded):
    with get_sessionmaker(seeded)() as session:
        tilburg = ids(session)["tilburg"]
        gemeente = Viewer("pl@t.example", "gemeente", frozenset({tilburg}), frozenset({"tilburg"}))
        with pytest.raises(AccessDenied):
            read_packs(session, gemeente, None)
        with pytest.raises(AccessDenied):
            read_packs(session, gemeente, "breda")
        assert koploper_slugs(session, gemeente) == {tilburg: "tilburg"}
        assert len(koploper_slugs(session, command_line())) == 28


def test_the_facts_of_a_koploper_are_its_id_cohort_and_what_the_viewer_knows(seeded):
    with get_sessionmaker(seeded)() as session:
        by_slug = ids(session)
        tilburg = by_slug["tilburg"]
        gemeente = Viewer("pl@t.example", "gemeente", frozenset({tilburg}), frozenset({"tilburg"}))
        facts = koploper_facts(session, gemeente, "tilburg")
        everyone = koploper_facts(session, command_line(), "tilburg")
        with pytest.raises(AccessDenied):
            koploper_facts(session, gemeente, "breda")
        cohort = session.scalar(select(Koploper.cohort_id).where(Koploper.id == tilburg))
        members = set(session.scalars(select(Koploper.id).where(Koploper.cohort_id == cohort)))
    assert (facts.slug, facts.id) == ("tilburg", tilburg)
    assert facts.cohort == members and tilburg in members
    assert facts.known == {tilburg} and everyone.known == set()
    assert facts.versions["responses"].sum() > 0
    assert set(facts.versions["wave"]) == {"T0", "T1"}
