"""The section "Dezelfde mensen" of Mijn koploper through AppTest: shown beside the overview when
the koploper's panel answered both waves, with its own n (pairs) and the same suppression; absent
for a koploper without a panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.access import Viewer
from db.engine import get_sessionmaker
from db.models import Koploper
from measures import load_indicators
from pages.ui.dashboard_panel import PAIRS_COLUMN
from surveys.vocabulary import SAME_PEOPLE, SAME_PEOPLE_EXPLAINED
from tests.conftest import BACKENDS, empty_database
from tests.pages.accounts import logged_in
from tests.views.panel_data import KOPLOPER, PAIRS, panel_database
from views.dashboard import dashboard_figures
from views.subgroups import wait_for_counting

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/dashboard.py"


@pytest.fixture(scope="module", params=BACKENDS)
def database(request, tmp_path_factory):
    with empty_database(request.param, tmp_path_factory.mktemp("panel")) as url:
        panel_database(url)
        yield url


@pytest.fixture
def url(database, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database)
    yield database
    assert wait_for_counting(timeout=120)


def _open(url: str, koploper: str, details: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    logged_in(at, url, "gemeente", [koploper])
    at.session_state["mk_details"] = details
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _paired_tables(at: AppTest) -> list:
    return [t.value for t in at.table if PAIRS_COLUMN in t.value.columns]


def test_the_same_people_are_shown_with_their_pairs_and_the_same_suppression(url):
    at = _open(url, KOPLOPER)
    assert SAME_PEOPLE in [h.value for h in at.header]
    assert SAME_PEOPLE_EXPLAINED in [m.value for m in at.markdown]
    client, professional = _paired_tables(at)
    assert "q-waarde" not in client.columns  # the plain view; "Meer details" adds it
    with get_sessionmaker(url)() as session:
        fig = dashboard_figures(
            session,
            logged_viewer(url, KOPLOPER),
            KOPLOPER,
            "Tilburg",
            None,
            None,
            "T0",
            "T1",
            indicators=load_indicators(),
        )
    aware = fig.paired[fig.paired["indicator"] == "aware_oco"].iloc[0]
    shown = client.reset_index()
    line = shown[shown["Indicator"] == aware["label"]].iloc[0]
    assert line[PAIRS_COLUMN] == str(int(aware["n_pairs"]))
    assert 10 <= aware["n_pairs"] <= PAIRS["client"]
    assert line["Toets"] == "McNemar-toets"
    difference = 100 * aware["difference"]
    assert (
        line["Verschil"]
        .replace("\u00a0", " ")
        .startswith(f"{'+' if difference > 0 else ''}{difference:.1f}".replace(".", ","))
    )
    professional = professional.reset_index()
    assert set(professional[PAIRS_COLUMN]) <= {"minder dan 10", "0"}  # 6 pairs: no count
    assert set(professional["Verschil"]) == {"–"}


def logged_viewer(url: str, koploper: str) -> Viewer:
    """A gemeente viewer of ``koploper``, as the page's account."""
    with get_sessionmaker(url)() as session:
        number = session.scalar(select(Koploper.id).where(Koploper.slug == koploper))
    return Viewer("pl@t.example", "gemeente", frozenset({number}), frozenset({koploper}))


def test_with_details_the_q_value_and_effect_size_are_shown_too(url):
    at = _open(url, KOPLOPER, details=True)
    client = _paired_tables(at)[0]
    assert {"q-waarde", "Effectgrootte", "Toets ernaast"} <= set(client.columns)


def test_a_koploper_without_a_panel_shows_no_section(url):
    at = _open(url, "breda")
    assert SAME_PEOPLE not in [h.value for h in at.header]
    assert _paired_tables(at) == []
