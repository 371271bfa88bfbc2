"""The page Vergelijken's tables (``views.compare``) come from the database, equal the engine's
on the same responses, and only for viewers who see every koploper."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from db.access import AccessDenied, Viewer, command_line
from db.engine import get_sessionmaker
from db.export import read_export
from db.fieldwork_overview import response_counts
from db.models import Response
from db.queries import koplopers_by_cohort
from measures import check_responses, load_indicators, score
from measures.side_by_side import all_estimates, koploper_table
from surveys.export import interchange
from tests.views.seeding import seed_with_real_tilburg
from views.compare import comparison, fieldwork_across

ONDERZOEKER = Viewer(email="o@movisie.example", role="onderzoeker")


@pytest.fixture
def seeded(database_url) -> str:
    return seed_with_real_tilburg(database_url, (8, 30), first=60)


@pytest.mark.parametrize("role", ["gemeente", "adviesraad"])
def test_only_viewers_who_see_every_koploper_may_compare(seeded, role):
    viewer = Viewer(
        email="pl@tilburg.example",
        role=role,
        koploper_ids=frozenset({1}),
        koploper_slugs=frozenset({"tilburg"}),
    )
    with get_sessionmaker(seeded)() as session:
        with pytest.raises(AccessDenied):
            comparison(session, viewer)
        with pytest.raises(AccessDenied):
            fieldwork_across(session, viewer)


def test_the_tables_equal_the_engines_on_the_exported_responses(seeded):
    indicators = load_indicators()
    with get_sessionmaker(seeded)() as session:
        found = comparison(session, ONDERZOEKER, indicators=indicators)
        wide = interchange(read_export(session, command_line(), include_demo=True))
        koplopers = koplopers_by_cohort(session)
    scored = score(check_responses(wide, indicators), indicators)
    cohort_of = dict(zip(koplopers["slug"], koplopers["cohort"], strict=True))
    names = dict(zip(koplopers["slug"], koplopers["name"], strict=True))
    estimates = all_estimates(scored, indicators.settings)
    expected = koploper_table(scored, estimates, "T0", "T1", indicators, cohort_of, names)
    by = ["koploper", "questionnaire", "indicator"]
    got = found.changes["T0", "T1"].sort_values(by).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        got, expected.sort_values(by).reset_index(drop=True), check_dtype=False
    )
    assert found.waves == ["T0", "T1"]
    assert len(set(got["koploper"])) == 28
    pools = found.pools["T0", "T1"]
    assert {"Alle koplopers", *set(cohort_of.values())} >= set(pools["pool"])
    assert pools["tau2"].dropna().ge(0).all()
    assert "response_id" not in found.estimates.columns


def test_small_koplopers_show_nothing(seeded):
    with get_sessionmaker(seeded)() as session:
        found = comparison(session, ONDERZOEKER)
    table = found.changes["T0", "T1"]
    small = table[(table["n_baseline"].isna()) | (table["n_followup"].isna())]
    assert not small.empty  # 8 clients per wave: their indicators are below 10
    assert small["difference"].isna().all() and small["se"].isna().all()
    shown = table[["n_baseline", "n_followup"]].to_numpy(dtype=float)
    assert not np.any((shown > 0) & (shown < 10))


def test_without_demo_only_real_responses_count(seeded):
    with get_sessionmaker(seeded)() as session:
        found = comparison(session, ONDERZOEKER, include_demo=False)
        fieldwork = fieldwork_across(session, ONDERZOEKER, include_demo=False)
        real = session.query(Response).where(Response.is_demo.is_(False)).count()
    assert set(found.estimates["koploper"]) == {"tilburg"}
    assert set(fieldwork.responses.loc[fieldwork.responses["total"] > 0, "koploper"]) == {"tilburg"}
    assert fieldwork.responses["total"].sum() == real > 0


def test_fieldwork_counts_every_response_once_and_lists_every_wave(seeded):
    with get_sessionmaker(seeded)() as session:
        found = fieldwork_across(session, ONDERZOEKER, today=dt.date(2031, 1, 1))
        counts = response_counts(session, command_line())
        responses = session.query(Response).count()
    assert found.responses["total"].sum() == counts["responses"].sum() == responses
    assert set(found.responses["status"]) == {"afgelopen"}
    # every koploper has three waves in the reference data, two questionnaires each
    assert len(found.responses) == 28 * 3 * 2
    assert found.responses.loc[found.responses["wave"] == "T2", "too_few"].all()
    assert {"cohort", "wave", "koplopers", "first_start", "last_end"} <= set(found.calendar.columns)


def test_no_page_reads_responses_scored_one_by_one():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [*sorted((root / "pages").rglob("*.py")), root / "streamlit_app.py"]
    assert not [p.name for p in sources if "scored_responses" in p.read_text(encoding="utf-8")]
