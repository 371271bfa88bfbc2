"""The dashboard's count tables come from the database and equal the engine's on the same data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from db.access import AccessDenied, Viewer, command_line
from db.dashboard import open_answers as stored_open_answers
from db.dashboard import wording_changes
from db.engine import get_sessionmaker
from db.export import read_export
from db.models import Answer, Koploper, Response
from db.read_model import data_version
from measures import check_responses, compare_waves, load_indicators, score
from measures.counts import from_scored
from measures.estimates import wave_estimates
from measures.figures import figures
from measures.pools import withhold_small_pools
from surveys.export import interchange
from surveys.vocabulary import CHANNEL_NUMBERS as CHANNELS
from surveys.vocabulary import COMPLEMENT_REASON
from tests.views.seeding import seed_with_real_tilburg
from views.dashboard import dashboard_counts, open_answers

KEYS = ["group", "category", "wave", "questionnaire", "indicator"]


@pytest.fixture
def seeded(database_url) -> str:
    return seed_with_real_tilburg(database_url, (6, 30), first=40, every=2)


def _sorted(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return table.sort_values(columns).reset_index(drop=True)


def _in_memory(url: str, koploper: str):
    indicators = load_indicators()
    with get_sessionmaker(url)() as session:
        wide = interchange(read_export(session, command_line(), include_demo=True))
        own = session.scalar(select(Koploper).where(Koploper.slug == koploper))
        cohort = set(
            session.scalars(select(Koploper.slug).where(Koploper.cohort_id == own.cohort_id))
        )
    return wide, cohort, score(check_responses(wide, indicators), indicators)


def test_the_database_counts_equal_the_engines_tables(seeded):
    indicators = load_indicators()
    wide, cohort, scored = _in_memory(seeded, "tilburg")
    for subgroup in (None, "age_group", "target_group", "role", "filled_by"):
        with get_sessionmaker(seeded)() as session:
            found = dashboard_counts(session, command_line(), "tilburg", subgroup=subgroup)
        expected = withhold_small_pools(
            from_scored(scored, "tilburg", cohort, indicators, subgroup=subgroup),
            indicators.settings,
        )
        pd.testing.assert_frame_equal(
            _sorted(found.base, KEYS), _sorted(expected.base, KEYS), check_dtype=False
        )
        pd.testing.assert_frame_equal(
            _sorted(found.counts, [*KEYS, "value"]),
            _sorted(expected.counts, [*KEYS, "value"]),
            check_dtype=False,
        )
        if subgroup is None:
            profile_keys = ["wave", "questionnaire", "item", "code"]
            pd.testing.assert_frame_equal(
                _sorted(found.profile, profile_keys),
                _sorted(expected.profile, profile_keys),
                check_dtype=False,
            )
    assert found.waves == ["T0", "T1"]


def test_a_channel_view_equals_the_engine_on_those_responses(seeded):
    indicators = load_indicators()
    wide, _, _ = _in_memory(seeded, "tilburg")
    with get_sessionmaker(seeded)() as session:
        total = dashboard_counts(session, command_line(), "tilburg")
        counts = dashboard_counts(session, command_line(), "tilburg", subgroup="channel")
    result = figures(counts, indicators, "T0", "T1", category=CHANNELS["demo"], total=total)
    part = wide[wide["channel"] == "demo"]
    engine = compare_waves(
        score(check_responses(part, indicators), indicators),
        "T0",
        "T1",
        indicators.settings,
        koploper="tilburg",
    )
    both = result.changes.merge(engine, on=["questionnaire", "indicator"], suffixes=("", "_e"))
    assert len(both) == len(engine) > 0
    shown = both[both["reason"] != COMPLEMENT_REASON]
    pd.testing.assert_series_equal(
        shown["difference"].astype(float), shown["difference_e"].astype(float), check_names=False
    )
    # The engine's change blanks both sides of a withheld change; the dashboard keeps a side
    # that stands on its own (as its page and chart show it): the engine's estimate at T1.
    scored = score(check_responses(part, indicators), indicators)
    alone = pd.concat([wave_estimates(s, indicators.settings) for s in scored.values()])
    alone = alone[(alone["koploper"] == "tilburg") & (alone["wave"] == "T1")]
    sides = shown.merge(alone, on=["questionnaire", "indicator"], suffixes=("", "_alone"))
    assert len(sides) == len(shown)
    pd.testing.assert_series_equal(
        sides["estimate_followup"].astype(float),
        sides["estimate"].astype(float),
        check_names=False,
    )


def test_without_demo_only_real_responses_count(seeded):
    with get_sessionmaker(seeded)() as session:
        real = dashboard_counts(session, command_line(), "tilburg", include_demo=False)
    own = real.base[
        (real.base["group"] == "koploper")
        & real.base["indicator"].isin(["aware_oco", "aware_offer"])
    ]
    responses = own[["n", "n_dont_know", "n_missing"]].sum(axis=1).sum()
    assert responses == 20  # the 20 turned into real web responses above
    assert real.base[real.base["group"] != "koploper"]["n"].sum() == 0


def test_a_gemeente_viewer_gets_its_own_koploper_only(seeded):
    viewer = Viewer(
        email="pl@tilburg.example",
        role="gemeente",
        koploper_ids=frozenset({0}),
        koploper_slugs=frozenset({"tilburg"}),
    )
    with get_sessionmaker(seeded)() as session:
        with pytest.raises(AccessDenied):
            dashboard_counts(session, viewer, "breda")
        counts = dashboard_counts(session, viewer, "tilburg")
        assert set(counts.base["group"]) == {"koploper", "overige koplopers", "cohort"}
        assert data_version(session)[0] > 0
        assert wording_changes(session, viewer, "tilburg")["client"]["aware_oco"] == []


def test_open_answers_are_searchable_as_plain_text_for_those_with_the_right(seeded):
    factory = get_sessionmaker(seeded)
    texts = ["Qzheel fijn geholpen", "50% korting_op iets", '=HYPERLINK("x")', "qzheel goed"]
    with factory.begin() as session:
        ids = session.scalars(
            select(Response.id).join(Koploper).where(Koploper.slug == "tilburg").limit(4)
        ).all()
        for number, (response_id, text) in enumerate(zip(ids, texts, strict=True)):
            session.add(Answer(response_id=response_id, item_key="comments", text=text))
            session.get(Response, response_id).submitted_at = dt.datetime(2031, 3, 1 + number, 9)
    reader = Viewer(
        email="open@tilburg.example",
        role="gemeente",
        koploper_ids=frozenset({0}),
        koploper_slugs=frozenset({"tilburg"}),
        free_text=True,
    )
    other = Viewer(
        email="pl@tilburg.example",
        role="gemeente",
        koploper_ids=frozenset({0}),
        koploper_slugs=frozenset({"tilburg"}),
    )
    with factory() as session:
        with pytest.raises(AccessDenied):
            open_answers(session, other, "tilburg")
        with pytest.raises(AccessDenied):
            open_answers(session, reader, "breda")
        every = open_answers(session, reader, "tilburg")
        assert set(texts) <= set(every["answer"])
        mine = every[every["answer"].isin(texts)]
        question = load_indicators().questionnaires["client"].definition.item("comments")
        assert set(mine["question"]) == {question.text["nl"]}  # its text, not its key
        stored = stored_open_answers(session, reader, "tilburg")
        assert set(stored[stored["answer"].isin(texts)]["question"]) == {"comments"}
        assert list(mine["answer"]) == texts[::-1]  # newest first
        assert mine["day"].iloc[0] == dt.date(2031, 3, 4)
        assert list(open_answers(session, reader, "tilburg", search="QZHEEL")["answer"]) == [
            "qzheel goed",
            "Qzheel fijn geholpen",
        ]
        assert list(open_answers(session, reader, "tilburg", search="0%")["answer"]) == [
            "50% korting_op iets"
        ]
        assert open_answers(session, reader, "tilburg", search="t_n")[
            "answer"
        ].empty  # "_" is no wildcard: "korting" has no "t_n"
        assert list(open_answers(session, reader, "tilburg", search="g_op")["answer"]) == [
            "50% korting_op iets"
        ]
