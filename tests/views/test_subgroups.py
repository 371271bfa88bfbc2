"""Every subgroup counted in the background after the first view (issue 9): choosing one later
takes its tables from memory. Cached per data version and viewer, never across viewers."""

from __future__ import annotations

import copy
import dataclasses
import gc
import logging
import secrets
import threading
import weakref

import pandas as pd
import pytest

import views.dashboard
import views.subgroups
from db.access import AccessDenied, Viewer, command_line
from db.contacts import UnknownKoploper
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.read_model import data_version
from db.setup import init_database
from measures import load_indicators
from measures.counts import GroupCounts
from measures.subgroups import subgroup_choices
from tests.db.stored_responses import add_tilburg_responses
from views.cache import CACHE, ViewCache
from views.dashboard import COUNTS, dashboard_counts, dashboard_views
from views.subgroups import count_subgroups_later, wait_for_counting

TILBURG = Viewer(
    email="pl@tilburg.example",
    role="gemeente",
    koploper_ids=frozenset({0}),
    koploper_slugs=frozenset({"tilburg"}),
)
SUBGROUPS = list(subgroup_choices(load_indicators()))


@pytest.fixture
def seeded(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        seed_demo(session, sizes=(6, 30))
    return database_url


@pytest.fixture(autouse=True)
def fresh():
    """Nothing counted before the test; nothing left running after it."""
    CACHE.clear()
    yield
    assert wait_for_counting(timeout=120)


@pytest.fixture
def counted(monkeypatch) -> list[str | None]:
    """The subgroups ``measures.counts.from_scored`` counts from now on."""
    calls: list[str | None] = []
    real = views.dashboard.from_scored

    def counting(*args, subgroup=None, **kwargs):
        calls.append(subgroup)
        return real(*args, subgroup=subgroup, **kwargs)

    monkeypatch.setattr(views.dashboard, "from_scored", counting)
    return calls


def in_background(url: str, viewer: Viewer, koploper: str = "tilburg", **options):
    with get_sessionmaker(url)() as session:
        future = count_subgroups_later(session, viewer, koploper, **options)
    return future.result(timeout=120)


def counts(url: str, viewer: Viewer, subgroup: str | None, **options) -> GroupCounts:
    with get_sessionmaker(url)() as session:
        return dashboard_counts(session, viewer, "tilburg", subgroup, **options)


def direct(url: str, viewer: Viewer, subgroup: str | None) -> GroupCounts:
    """Counted now, whatever the background kept (the count tables looked up in a cache of
    their own; the responses read as kept)."""
    kept = views.dashboard.CACHE
    views.dashboard.CACHE = ViewCache()
    try:
        return counts(url, viewer, subgroup)
    finally:
        views.dashboard.CACHE = kept


def assert_same(found: GroupCounts, expected: GroupCounts) -> None:
    for field in dataclasses.fields(GroupCounts):
        left, right = getattr(found, field.name), getattr(expected, field.name)
        if isinstance(right, pd.DataFrame):
            pd.testing.assert_frame_equal(left, right, obj=field.name)
        else:
            assert left == right, field.name


def add_response(url: str) -> None:
    add_tilburg_responses(url, answers=lambda _: {"used_oco": 1, "aware_oco": 1, "age_group": 2})


def test_a_subgroup_counted_in_the_background_is_served_as_counted_directly(seeded, counted):
    expected = {subgroup: direct(seeded, TILBURG, subgroup) for subgroup in SUBGROUPS}
    background = in_background(seeded, TILBURG)
    assert list(background) == SUBGROUPS
    del counted[:]
    for subgroup in SUBGROUPS:
        found = counts(seeded, TILBURG, subgroup)
        assert_same(found, expected[subgroup])
        assert found is background[subgroup]
    with get_sessionmaker(seeded)() as session:
        views = dashboard_views(session, TILBURG, "tilburg", SUBGROUPS)
    assert counted == []  # not one subgroup counted again
    assert all(views[s] is background[s] for s in SUBGROUPS)
    counts(seeded, TILBURG, None)
    assert counted == [None]  # the whole koploper is the page's own (it counts that first)


def test_asked_again_when_all_is_counted_nothing_is_queued(seeded, monkeypatch):
    first = in_background(seeded, TILBURG)
    queued = []
    monkeypatch.setattr(views.subgroups._WORKER, "submit", lambda *a, **k: queued.append(a))
    with get_sessionmaker(seeded)() as session:
        again = count_subgroups_later(session, TILBURG, "tilburg")
    assert again.done() and queued == []
    assert all(again.result()[s] is first[s] for s in SUBGROUPS)


def test_the_same_request_while_it_waits_is_queued_once(seeded, counted):
    release = threading.Event()
    views.subgroups._WORKER.submit(("hold", secrets.token_hex(4)), lambda: release.wait(60))
    try:
        with get_sessionmaker(seeded)() as session:
            first = count_subgroups_later(session, TILBURG, "tilburg")
            again = count_subgroups_later(session, TILBURG, "tilburg")
            other = count_subgroups_later(session, command_line(), "tilburg")
        assert again is first and other is not first
        assert not first.done()
    finally:
        release.set()
    first.result(timeout=120)
    other.result(timeout=120)
    assert sorted(counted) == sorted(SUBGROUPS * 2)  # once per viewer


def test_a_new_data_version_is_not_served_from_the_tables_counted_before(seeded, counted):
    before = in_background(seeded, TILBURG)
    with get_sessionmaker(seeded)() as session:
        old = data_version(session)
    add_response(seeded)
    del counted[:]
    found = counts(seeded, TILBURG, "age_group")
    assert counted == ["age_group"]  # counted anew
    assert_same(found, direct(seeded, TILBURG, "age_group"))
    assert found.versions["responses"].sum() == before["age_group"].versions["responses"].sum() + 1
    with get_sessionmaker(seeded)() as session:
        assert data_version(session) != old
        future = count_subgroups_later(session, TILBURG, "tilburg")
    assert all(future.result(timeout=120)[s] is not before[s] for s in SUBGROUPS)
    assert CACHE.count(COUNTS) == len(SUBGROUPS)  # the older tables are gone


def test_another_viewer_never_gets_the_first_viewers_tables(seeded, counted):
    in_background(seeded, command_line())
    another = dataclasses.replace(command_line(), email="onderzoeker@movisie.example")
    for viewer in (TILBURG, another):
        del counted[:]
        found = counts(seeded, viewer, "role")
        assert counted == ["role"], viewer.email
        assert_same(found, direct(seeded, viewer, "role"))


def test_another_indicator_set_is_not_served_what_was_counted_for_the_first(seeded, counted):
    in_background(seeded, TILBURG)
    other = copy.deepcopy(load_indicators())  # the same contents, another set
    del counted[:]
    found = counts(seeded, TILBURG, "channel", indicators=other)
    assert counted == ["channel"]
    assert_same(found, direct(seeded, TILBURG, "channel"))


def test_what_is_kept_holds_its_indicator_set_so_no_other_set_can_take_its_id(seeded):
    # Kept by id(set): were the set freed, a new one could get its id and its tables.
    other = copy.deepcopy(load_indicators())
    in_background(seeded, TILBURG, indicators=other)
    gone = weakref.ref(other)
    del other
    gc.collect()
    assert gone() is not None
    CACHE.clear()
    gc.collect()
    assert gone() is None  # nothing else held it


def test_a_viewer_without_access_is_refused_at_once_and_nothing_is_queued(seeded, monkeypatch):
    queued = []
    monkeypatch.setattr(views.subgroups._WORKER, "submit", lambda *a, **k: queued.append(a))
    with get_sessionmaker(seeded)() as session:
        with pytest.raises(AccessDenied):
            count_subgroups_later(session, TILBURG, "breda")
        with pytest.raises(UnknownKoploper):
            count_subgroups_later(session, command_line(), "nergenshuizen")
        count_subgroups_later(session, TILBURG, "tilburg")
    assert len(queued) == 1  # only the request of the viewer who may see it


def test_a_failing_count_is_logged_and_the_next_request_is_still_counted(
    seeded, monkeypatch, caplog
):
    real = views.dashboard.from_scored

    def failing(*args, **kwargs):
        raise RuntimeError("telling mislukt")

    monkeypatch.setattr(views.dashboard, "from_scored", failing)
    with caplog.at_level(logging.ERROR, logger="views.background"):
        with get_sessionmaker(seeded)() as session:
            failed = count_subgroups_later(session, TILBURG, "tilburg")
        assert isinstance(failed.exception(timeout=120), RuntimeError)
    assert "counting the subgroups of tilburg failed" in caplog.text
    assert "telling mislukt" in caplog.text
    assert CACHE.count(COUNTS) == 0
    monkeypatch.setattr(views.dashboard, "from_scored", real)
    later = in_background(seeded, TILBURG)
    assert_same(later["target_group"], direct(seeded, TILBURG, "target_group"))
