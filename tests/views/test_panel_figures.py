"""The dashboard's change for the same people: panel keys read apart from the packs, paired on
the kept scores, and the same figures as the engine's paired comparison of the exported file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from db.access import AccessDenied, Viewer, command_line
from db.engine import get_sessionmaker
from db.export import read_export
from db.models import Koploper
from db.read_model import panel_keys
from measures import check_responses, compare_waves, load_indicators, score
from surveys.export import interchange
from surveys.vocabulary import SUPPRESSED
from tests.views.panel_data import KOPLOPER, PAIRS, panel_database
from views.dashboard import dashboard_figures

FIGURES = ["difference", "diff_ci_low", "diff_ci_high", "p_value", "p_value_rank", "q_value"]


@pytest.fixture
def url(database_url) -> str:
    panel_database(database_url)
    return database_url


def _gemeente(session, slug: str) -> Viewer:
    number = session.scalar(select(Koploper.id).where(Koploper.slug == slug))
    return Viewer("pl@t.example", "gemeente", frozenset({number}), frozenset({slug}))


def test_panel_keys_are_read_only_for_a_koploper_the_viewer_sees(url):
    with get_sessionmaker(url)() as session:
        keys = panel_keys(session, _gemeente(session, KOPLOPER), KOPLOPER)
        assert len(keys) == 2 * sum(PAIRS.values()) + len(PAIRS)
        assert panel_keys(session, command_line(), "breda") == {}
        with pytest.raises(AccessDenied):
            panel_keys(session, _gemeente(session, KOPLOPER), "breda")


def test_the_dashboards_paired_change_is_the_engines_on_the_exported_file(url):
    indicators = load_indicators()
    with get_sessionmaker(url)() as session:
        viewer = _gemeente(session, KOPLOPER)
        fig = dashboard_figures(session, viewer, KOPLOPER, "Tilburg", None, None, "T0", "T1")
        wide = interchange(read_export(session, command_line(), KOPLOPER, include_demo=True))
    assert wide["panel_key"].notna().sum() == 2 * sum(PAIRS.values()) + len(PAIRS)
    scored = score(check_responses(wide, indicators), indicators)  # panel_key links them
    engine = compare_waves(scored, "T0", "T1", indicators.settings, KOPLOPER, design="paired")
    paired = fig.paired
    assert len(paired) == len(engine) and not fig.changes.empty  # beside, not instead
    merged = paired.merge(engine, on=["questionnaire", "indicator"], suffixes=("", "_engine"))
    assert len(merged) == len(paired)
    shown = merged["flag"] != SUPPRESSED
    assert shown.any()
    for column in FIGURES:
        np.testing.assert_allclose(
            merged.loc[shown, column].to_numpy(float),
            merged.loc[shown, f"{column}_engine"].to_numpy(float),
            rtol=1e-9,
            equal_nan=True,
        )
    client = paired[paired["questionnaire"] == "client"]
    assert (client["n_pairs"].dropna() <= PAIRS["client"]).all()
    assert client["n_pairs"].max() == PAIRS["client"]  # every pair answered aware_oco
    professional = paired[paired["questionnaire"] == "professional"]
    assert (professional["flag"] == SUPPRESSED).all()
    assert professional["n_pairs"].isna().all()  # 6 pairs: not even how many
    assert professional["difference"].isna().all()
    assert set(professional["reason"]) <= {
        "te weinig antwoorden bij dezelfde mensen (minder dan 10)",
        "geen antwoorden bij dezelfde mensen",
    }


def test_no_paired_change_without_two_waves_a_panel_or_for_a_subgroup(url):
    with get_sessionmaker(url)() as session:
        viewer = command_line()
        one_wave = dashboard_figures(session, viewer, KOPLOPER, "Tilburg", None, None, "T0", "T0")
        subgroup = dashboard_figures(
            session, viewer, KOPLOPER, "Tilburg", "age_group", 3, "T0", "T1"
        )
        breda = dashboard_figures(session, viewer, "breda", "Breda", None, None, "T0", "T1")
    assert one_wave.paired.empty and subgroup.paired.empty and breda.paired.empty
    assert isinstance(breda.paired, pd.DataFrame) and not breda.changes.empty
