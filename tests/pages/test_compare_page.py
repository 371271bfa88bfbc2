"""The page Vergelijken through Streamlit's AppTest: only Movisie's roles, every koploper side by
side with the engine's figures, the forest plot and its pooled change, trends, fieldwork, and a
click on a koploper opening its dashboard.

One database per backend for the module: the demo data of every koploper (T0 and T1), a few
responses per wave and questionnaire.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.audit import read_log
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.setup import init_database
from measures.compare_charts import POOLED
from pages.ui import compare_view
from tests.conftest import BACKENDS, empty_database
from tests.pages.accounts import logged_in
from tests.pages.downloads import offered as offer_downloads

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/compare.py"


@pytest.fixture(scope="module", params=BACKENDS)
def database(request, tmp_path_factory) -> str:
    with empty_database(request.param, tmp_path_factory.mktemp("compare")) as url:
        init_database(url)
        with get_sessionmaker(url).begin() as session:
            seed_demo(session, sizes=(8, 40))
        yield url


@pytest.fixture
def url(database, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database)
    return database


def open_page(url: str, role: str, koplopers=(), **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    logged_in(at, url, role, koplopers)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def frames(at: AppTest):
    return [d.value for d in at.dataframe]


@pytest.mark.parametrize("role", ["onderzoeker", "beheerder"])
def test_movisie_sees_every_koploper_side_by_side(url, role):
    at = open_page(url, role)
    assert at.title[0].value == "Vergelijken"
    assert [t.label for t in at.tabs] == ["Alle koplopers", "Per indicator", "Trends", "Veldwerk"]
    # One koploper at first, whole; "Alle koplopers" gives the long table of all 28.
    first = frames(at)[0]
    assert first["Koploper"].nunique() == 1 and 20 < len(first) < 40
    assert at.selectbox(key="vg_kies").value == first["Koploper"].iloc[0].lower()
    at.selectbox(key="vg_kies").set_value("alle")
    table = frames(rerun(at))[0]
    assert table["Koploper"].nunique() == 28
    assert {"Nulmeting", "Eerste vervolgmeting", "Verandering", "q-waarde", "Richting"} <= set(
        table.columns
    )
    # who, what, which way and how much first: visible without scrolling to the right
    assert list(table.columns[:4]) == ["Koploper", "Indicator", "Richting", "Verandering"]
    assert set(table["Richting"].str[:1]) <= {"▲", "▼", "=", "–"}
    assert table["Dashboard"].str.fullmatch(r"mijn-koploper\?koploper=[a-z-]+").all()
    # nothing on fewer than ten answers
    counts = table["n nulmeting"].dropna()
    assert not ((counts > 0) & (counts < 10)).any()
    links = [p for p in at.get("page_link")]
    assert any("Mijn koploper" in link.proto.label for link in links)


@pytest.mark.parametrize("role", ["gemeente", "adviesraad"])
def test_a_municipality_or_council_is_refused_and_it_is_logged(url, role):
    at = open_page(url, role, ["tilburg"])
    assert at.title[0].value == "Geen toegang"
    assert not frames(at)
    with get_sessionmaker(url)() as session:
        log = read_log(session, command_line(), actions=["access_denied"])
    assert (log["detail"] == "pagina vergelijken").any()


def test_the_filters_narrow_the_table(url):
    at = open_page(url, "onderzoeker")
    at.selectbox(key="vg_kies").set_value("alle")
    everything = frames(rerun(at))[0]
    first = at.selectbox(key="vg_cohort").options[1]
    at.selectbox(key="vg_cohort").select_index(1)
    at.selectbox(key="vg_vragenlijst").select_index(1)
    at.selectbox(key="vg_doel").select_index(1)
    rerun(at)
    narrow = frames(at)[0]
    assert 0 < len(narrow) < len(everything)
    assert narrow["Cohort"].nunique() == 1 and narrow["Cohort"].iloc[0] == first
    assert set(narrow["Vragenlijst"]) == {"Inwoners en cliënten"}


def test_the_forest_plot_pools_the_koplopers(url):
    at = open_page(url, "onderzoeker", onderdeel="Per indicator")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert charts, "no forest plot"
    names = [t.get("name") for t in charts[0]["data"]]
    assert POOLED in names and not any("random" in str(n) for n in names)
    pooled = next(t for t in charts[0]["data"] if t.get("name") == POOLED)
    assert "Alle koplopers (samen)" in pooled["y"]
    koplopers = [t for t in charts[0]["data"] if t.get("name") != POOLED]
    assert all(isinstance(s, str) and s for t in koplopers for s in t["customdata"])
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Alle koplopers" in html and "I²" in html
    assert "p (heterogeniteit)" in html and "τ" in html and "τ²" not in html
    assert not re.search(r"<td>[^<]*procentpunt", html)  # the unit only in the header
    # the chart in words names cohorts, typed by the beheerder: shown as typed, not as Markdown
    words = next(c.value for c in at.caption if c.value.startswith("Grafiek in woorden"))
    assert "\\(" in words


def test_trends_and_fieldwork_are_drawn(url):
    at = open_page(url, "onderzoeker", onderdeel="Trends")
    assert len(at.get("plotly_chart")) == 2  # the trend and the calendar
    assert "Wanneer zijn de metingen?" in [s.value for s in at.subheader]
    assert "n nulmeting" in frames(at)[0].columns  # as in the table of all koplopers
    at = open_page(url, "onderzoeker", onderdeel="Veldwerk")
    table = frames(at)[0]
    assert {"Koploper", "Meting", "Vragenlijst", "Totaal", "Onder 30 na afloop"} <= set(
        table.columns
    )
    assert table["Totaal"].sum() > 0


def test_a_koploper_clicked_in_a_chart_opens_its_dashboard(url):
    at = open_page(url, "onderzoeker", onderdeel="Per indicator")
    at.session_state[compare_view.OPEN] = "breda"
    rerun(at)
    assert at.title[0].value == "Mijn koploper"
    assert at.query_params.get("koploper") in ("breda", ["breda"])


def test_the_click_is_read_from_the_charts_selection():
    class Event:
        selection = {"points": [{"customdata": "breda", "x": 1}]}

    class Wrapped:
        selection = type("S", (), {"points": Event.selection["points"]})()

    assert compare_view.selected_slug(Wrapped(), {"breda": "Breda"}) == "breda"
    nothing = type("S", (), {"points": [{"customdata": ""}]})()
    assert compare_view.selected_slug(type("E", (), {"selection": nothing})(), {"breda": 1}) is None


# --- downloads ------------------------------------------------------------------------------------
@pytest.fixture
def offered(monkeypatch):
    """The files of every download button drawn, by file name (made, and logged, when read)."""
    return offer_downloads(monkeypatch)


def downloads_logged(url: str) -> list[str]:
    with get_sessionmaker(url)() as session:
        log = read_log(session, command_line(), actions=["download"])
    return list(log["detail"])


@pytest.mark.parametrize("koploper", ["breda", "alle"])
def test_the_downloads_hold_the_figures_of_the_table_and_are_logged_when_fetched(
    url, offered, koploper
):
    at = open_page(url, "onderzoeker")
    at.selectbox(key="vg_kies").set_value(koploper)
    table = frames(rerun(at))[0]
    before = downloads_logged(url)
    assert downloads_logged(url) == before  # drawn, not fetched: nothing made, nothing logged
    part = "-alle-koplopers-" if koploper == "alle" else f"-{koploper}-"
    xlsx, csv = (
        next(offered[name][0] for name in offered if part in name and name.endswith(extension))
        for extension in (".xlsx", ".csv")
    )
    logged = downloads_logged(url)[: len(downloads_logged(url)) - len(before)]
    assert len(logged) == 2
    assert {line.split(":")[0] for line in logged} == {"Vergelijken, Excel", "Vergelijken, CSV"}
    assert all("Nulmeting tegen Eerste vervolgmeting" in line for line in logged)

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["Vergelijken"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    headers, rows = list(rows[0]), rows[1:]
    excel = pd.DataFrame(rows, columns=headers)
    assert len(excel) == len(table)
    for column in ["Verandering", "Nulmeting", "Eerste vervolgmeting"]:
        # The same figure as the table, to the decimal the page writes.
        shown = np.array([float(f"{v:.1f}") for v in table[column].astype(float)])
        written = excel[column].astype(float).to_numpy()
        bad = ~np.isclose(written, shown, rtol=0, atol=1e-9, equal_nan=True)
        assert not bad.any(), (column, written[bad][:5], shown[bad][:5])
    for column in ["n nulmeting", "n eerste vervolgmeting"]:
        # a count the page withholds (empty in its table) reads as the page writes it
        written = excel[column].replace("minder dan 10", -1).astype(int)
        assert (written == table[column].fillna(-1).astype(int)).all()
        assert (excel[column] == "minder dan 10").sum() == table[column].isna().sum()
    assert list(excel["Koploper"]) == list(table["Koploper"])
    assert list(excel["Richting"]) == list(table["Richting"])

    text = csv.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Koploper;Cohort;Vragenlijst;Indicator")
    dutch = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert len(dutch) == len(table)
    assert (dutch["Verandering"].dropna() == excel["Verandering"].dropna().astype(float)).all()
    assert set(dutch["Richting"]) <= {
        "duidelijk hoger",
        "duidelijk lager",
        "niet duidelijk anders",
        "geen cijfer",
    }


def test_the_headers_of_the_table_fit_whole():
    for header in ["n eerste vervolgmeting", "Tweede vervolgmeting", "q-waarde"]:
        assert compare_view.header_width(header) >= 7 * len(header) + 30


@pytest.mark.parametrize("part", ["Alle koplopers", "Trends", "Veldwerk"])
def test_every_table_gives_each_header_the_width_to_read_it_whole(url, part):
    at = open_page(url, "onderzoeker", onderdeel=part)
    assert at.dataframe
    for table in at.dataframe:
        config = json.loads(table.proto.columns)
        for header in table.value.columns:
            width = config.get(header, {}).get("width")
            hidden = config.get(header, {}).get("hidden")
            assert hidden or (
                isinstance(width, int) and width >= compare_view.header_width(header)
            ), (part, header, width)
