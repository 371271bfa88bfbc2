"""A wave that has just begun (issue 17, point 6): three T2 answers in Tilburg while T2 is open.

Mijn koploper and Vergelijken still open on the latest pair of waves with figures (T0 against
T1), the new wave reads "loopt nog: 3 antwoorden" in the wave choice and beside it, and choosing
it anyway shows no "None" or "nan" anywhere. One database per backend: the demo data (T0 and T1
of every koploper, T2 open), plus the three answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.setup import init_database
from tests.conftest import BACKENDS, empty_database
from tests.db.stored_responses import add_tilburg_responses
from tests.pages.accounts import logged_in
from views.subgroups import wait_for_counting

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
RUNNING = "Tweede vervolgmeting (loopt nog: 3 antwoorden)"
NOTHING = re.compile(r"\b(None|nan|NaN|NaT|<NA>)\b")


@pytest.fixture(scope="module", params=BACKENDS)
def database(request, tmp_path_factory) -> str:
    with empty_database(request.param, tmp_path_factory.mktemp("new-wave")) as url:
        init_database(url)
        with get_sessionmaker(url).begin() as session:
            seed_demo(session, sizes=(30, 40))
        add_tilburg_responses(url, 3, wave="T2")
        yield url


@pytest.fixture
def url(database, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database)
    yield database
    assert wait_for_counting(timeout=120)


def open_page(url: str, page: str, role: str, koplopers=(), **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    logged_in(at, url, role, koplopers)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Every element's protobuf text and every cell of every table and data frame."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for frame in [t.value for t in at.table]:
        found.append(frame.astype(str).to_csv())
        found.append(" ".join(str(i) for i in frame.index))
    for element in at.dataframe:
        frame = element.value
        found.append(frame.astype(str).replace({"nan": "", "None": "", "<NA>": ""}).to_csv())
        # st.dataframe draws an empty cell as "None" unless the page gives a placeholder
        if frame.isna().to_numpy().any():
            assert element.proto.placeholder not in ("", "None"), list(frame.columns)
    return "\n".join(found)


def test_mijn_koploper_opens_on_the_waves_with_figures_not_the_one_just_begun(url):
    at = open_page(url, "pages/dashboard.py", "gemeente", ["tilburg"])
    assert at.selectbox(key="mk_van").value == "T0"
    assert at.selectbox(key="mk_naar").value == "T1"
    assert RUNNING in at.selectbox(key="mk_naar").options
    beside = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]  # without plain()'s escapes
    assert any(RUNNING in c for c in beside)  # beside the choice, not only inside it
    overview = [t.value for t in at.table if t.value.index.name == "Indicator"][0]
    followup = overview["Eerste vervolgmeting"].astype(str)
    assert followup.str.contains("n\u00a0=|n =", regex=True).sum() > len(followup) // 2


@pytest.mark.parametrize("role", ["gemeente", "adviesraad"])
def test_choosing_the_new_wave_shows_no_none_anywhere(url, role):
    at = open_page(url, "pages/dashboard.py", role, ["tilburg"])
    at.selectbox(key="mk_naar").set_value("T2").run()
    assert not at.exception, at.exception
    text = shown_text(at)
    assert "Tweede vervolgmeting" in text
    assert not NOTHING.findall(text), NOTHING.findall(text)[:5]
    assert any("nog te weinig antwoorden voor cijfers" in i.value for i in at.info)


def test_vergelijken_opens_on_the_waves_with_figures_not_the_one_just_begun(url):
    at = open_page(url, "pages/compare.py", "onderzoeker")
    assert at.selectbox(key="vg_van").value == "T0"
    assert at.selectbox(key="vg_naar").value == "T1"
    assert RUNNING in at.selectbox(key="vg_naar").options
    at.selectbox(key="vg_kies").set_value("alle").run()  # the long table, every koploper
    table = at.dataframe[0].value
    assert table["Koploper"].nunique() == 28
    assert not NOTHING.findall(shown_text(at))


@pytest.mark.parametrize("part", ["Alle koplopers", "Per indicator", "Trends", "Veldwerk"])
def test_vergelijken_with_the_new_wave_chosen_shows_no_none_anywhere(url, part):
    at = open_page(url, "pages/compare.py", "onderzoeker", onderdeel=part)
    at.selectbox(key="vg_naar").set_value("T2").run()
    assert not at.exception, at.exception
    found = NOTHING.findall(shown_text(at))
    assert not found, found[:5]
    assert any("nog te weinig antwoorden voor cijfers" in i.value for i in at.info)
    if part == "Alle koplopers":
        table = at.dataframe[0].value
        assert table.isna().to_numpy().any()  # the new wave's empty cells, drawn as '–'
