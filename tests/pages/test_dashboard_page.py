"""The page Mijn koploper through Streamlit's AppTest: each role, the filters, the engine's
figures, small numbers, open answers and the audit line.

One database per backend for the module: Tilburg (T0, T1, T2, and an open answer), Breda, Gouda
(T0 only), Almere, Dordrecht, Roosendaal, Amsterdam and Meppel with a few dozen responses per
wave and questionnaire, and Voorst with a handful (every figure of Voorst's own is withheld).
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from google.protobuf import text_format
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.audit import read_log
from db.demo import demo_responses
from db.engine import get_sessionmaker
from db.export import read_export
from db.models import Koploper
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from measures import check_responses, compare_waves, load_indicators, score
from surveys.clock import utcnow
from surveys.definition import from_stored
from surveys.export import interchange
from surveys.synthetic import draw_koplopers
from surveys.vocabulary import DIRECTION_WORDS
from tests.conftest import BACKENDS, empty_database
from tests.db.stored_responses import add_tilburg_responses
from tests.pages.accounts import logged_in
from views.subgroups import wait_for_counting

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/dashboard.py"
SIZES = {
    "tilburg": (45, 60),
    "breda": (45, 60),
    "gouda": (30, 40),
    "almere": (45, 60),
    "voorst": (3, 5),
    # more of Tilburg's cohort and outside it: each reference group pools at least three
    "dordrecht": (25, 30),
    "roosendaal": (25, 30),
    "amsterdam": (25, 30),
    "meppel": (25, 30),
}
THIRD_WAVE = "tilburg"
ONE_WAVE = "gouda"
TINY = "voorst"
COMMENT = "De wachttijd bij het *wijkteam* was te lang: zie [hier](https://example.org) <b>echt</b>"
ALL_NAMES: list[str] = []


def _seed(url: str) -> None:
    init_database(url)
    rng = np.random.default_rng(2024)
    with get_sessionmaker(url).begin() as session:
        koplopers = {k.slug: k for k in session.scalars(select(Koploper))}
        ALL_NAMES[:] = sorted(k.name for k in koplopers.values())
        levels = draw_koplopers(rng, len(SIZES))
        for key in ("client", "professional"):
            version = latest_version(session, key)
            questionnaire = from_stored(version.definition)
            for number, (slug, sizes) in enumerate(SIZES.items()):
                koploper = koplopers[slug]
                waves = {w.code: w for w in koploper.waves}
                batch = demo_responses(
                    questionnaire, version.id, koploper, number, levels, rng, sizes
                )
                if slug == ONE_WAVE:
                    batch = [r for r in batch if r.wave_id == waves["T0"].id]
                if slug == THIRD_WAVE:
                    more = demo_responses(
                        questionnaire, version.id, koploper, number, levels, rng, sizes
                    )
                    for response in more:
                        response.wave_id = waves["T2"].id
                    batch += more
                insert_responses(session, questionnaire, batch)
        client = latest_version(session, "client")
        tilburg = koplopers["tilburg"]
        insert_responses(
            session,
            from_stored(client.definition),
            [
                NewResponse(
                    questionnaire_version_id=client.id,
                    koploper_id=tilburg.id,
                    wave_id=next(w.id for w in tilburg.waves if w.code == "T1"),
                    channel="web",
                    language="nl",
                    idempotency_key=secrets.token_hex(16),
                    submitted_at=utcnow(),
                    answers={"used_oco": 0, "comments": COMMENT},
                )
            ],
        )


@pytest.fixture(scope="module", params=BACKENDS)
def database(request, tmp_path_factory) -> str:
    with empty_database(request.param, tmp_path_factory.mktemp("dashboard")) as url:
        _seed(url)
        yield url


@pytest.fixture
def url(database, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database)
    yield database
    # What a view left counting in the background ends before the next test patches views.
    assert wait_for_counting(timeout=120)


@pytest.fixture(scope="module")
def indicators():
    return load_indicators()


def open_dashboard(
    url: str,
    role: str,
    koplopers=(),
    *,
    free_text: bool = False,
    goal: str | None = None,
    details: bool | None = None,
    **params: str,
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    email = f"{role}-open-antwoorden@test.example" if free_text else None
    logged_in(at, url, role, koplopers, free_text=free_text, email=email)
    if goal is not None:  # the tab a person clicked: the page keeps it in the session
        at.session_state[GOAL_KEY] = goal
    if details is not None:  # "Meer details" switched on or off
        at.session_state[DETAILS_KEY] = details
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


def everything(at: AppTest) -> str:
    """Every element of the page, main area and sidebar, as its protobuf text: titles, tables,
    options of every select box, chart specifications, expander contents."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def unescaped(markdown: str) -> str:
    """Text shown through ``plain()``, without its Markdown escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


CLIENT, PROFESSIONAL = "Inwoners en cliënten", "Cliëntondersteuners en verwijzers"
CELL = re.compile(
    r"(?P<figure>.+) \((?:n = (?P<n>\d+)|(?P<few>minder dan 10 antwoorden|geen antwoorden))\)"
)


def normal(value: object) -> object:
    """A table cell with its non-breaking spaces as plain ones."""
    return value.replace("\u00a0", " ") if isinstance(value, str) else value


def overview(at: AppTest, questionnaires=(CLIENT, PROFESSIONAL)) -> pd.DataFrame:
    """The overview tables (one per questionnaire shown) as one, with a column Vragenlijst."""
    tables = [t.value for t in at.table if t.value.index.name == "Indicator"]
    assert len(tables) == len(questionnaires)
    return pd.concat(
        [t.map(normal).assign(Vragenlijst=q) for t, q in zip(tables, questionnaires, strict=True)]
    )


def split(cell: str) -> tuple[str, int | None, str]:
    """'41,2 % (n = 146)' → ('41,2 %', 146, ''); 'geen cijfer (minder dan 10 antwoorden)' →
    ('geen cijfer', None, 'minder dan 10 antwoorden')."""
    found = CELL.fullmatch(cell)
    assert found, cell
    n = found["n"]
    return found["figure"], int(n) if n else None, found["few"] or ""


GOAL_KEY = "doel"
DETAILS_KEY = "mk_details"
TECHNICAL = ("q-waarde", "Effectgrootte", "Cohen", "Hedges")


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def number(text: str) -> float:
    """'41,2 %', '41,2 % (indicatief)' or '7,4' → 41.2 or 7.4."""
    return float(text.split(" ")[0].replace(",", "."))


def engine_changes(url: str, koploper: str, baseline: str, followup: str, indicators):
    with get_sessionmaker(url)() as session:
        wide = interchange(read_export(session, command_line(), koploper, include_demo=True))
    scored = score(check_responses(wide, indicators), indicators)
    return compare_waves(scored, baseline, followup, indicators.settings)


def others(name: str) -> list[str]:
    return [n for n in ALL_NAMES if n != name]


# --- who sees what ------------------------------------------------------------------------------


def test_a_tilburg_account_sees_tilburg_only_without_a_picker_and_no_other_name(url):
    at = open_dashboard(url, "gemeente", ["tilburg"])
    assert at.title[0].value == "Mijn koploper"
    assert "mk_koploper" not in [s.key for s in at.selectbox]
    assert "Tilburg" in at.markdown[0].value
    assert [t.label for t in at.tabs] == [
        "Bekendheid",
        "Vindbaarheid",
        "Kwaliteit",
        "Effect",
        "Inzicht",
    ]
    assert charts(at) and overview(at).shape[0] > 20
    text = everything(at)
    assert [name for name in others("Tilburg") if name in text] == []
    assert "Overige koplopers" in text and "Eigen cohort" in text
    assert not [e for e in at.expander if e.label == "Open antwoorden"]


def test_the_check_for_other_names_does_find_them_where_they_are_shown(url):
    at = open_dashboard(url, "onderzoeker", koploper="tilburg")
    assert "Breda" in everything(at)  # the onderzoeker's picker lists every koploper


def test_an_adviesraad_sees_its_figures_no_other_name_and_no_open_answers(url):
    at = open_dashboard(url, "adviesraad", ["tilburg"])
    assert at.title[0].value == "Mijn koploper"
    assert "mk_koploper" not in [s.key for s in at.selectbox]
    text = everything(at)
    assert [name for name in others("Tilburg") if name in text] == []
    assert "Open antwoorden" not in text and "mk_zoek" not in text


def test_a_gemeente_with_the_right_reads_open_answers_as_plain_text_and_finds_by_search(url):
    at = open_dashboard(url, "gemeente", ["tilburg"], free_text=True)
    (section,) = [e for e in at.expander if e.label == "Open antwoorden"]
    assert "niet door" in section.warning[0].value
    at.text_input(key="mk_zoek").input("WACHTTIJD bij het *wijk").run()
    assert not at.exception, at.exception
    tables = [e.proto.body for e in at.get("html") if "km-table" in e.proto.body]
    assert len(tables) == 1
    body = tables[0]
    assert "wachttijd" in body and "&lt;b&gt;echt&lt;/b&gt;" in body
    assert "<a " not in body and "<b>echt" not in body and "<em>" not in body
    assert body.count("</tr>") == 2  # the header and the one answer found
    at.text_input(key="mk_zoek").input("niets dat iemand schreef").run()
    assert "Geen open antwoorden gevonden." in [i.value for i in at.info]


def test_a_two_koploper_account_picks_between_its_own_only(url):
    at = open_dashboard(url, "gemeente", ["tilburg", "breda"])
    picker = at.selectbox(key="mk_koploper")
    assert picker.options == ["Breda", "Tilburg"]
    picker.set_value("tilburg").run()
    assert "Tilburg" in at.markdown[0].value
    assert at.query_params["koploper"] == "tilburg"


@pytest.mark.parametrize("role", ["onderzoeker", "beheerder"])
def test_movisie_roles_pick_any_koploper_by_menu_or_address(url, role):
    at = open_dashboard(url, role)
    picker = at.selectbox(key="mk_koploper")
    assert len(picker.options) == 28
    picker.set_value("breda").run()
    assert not at.exception and "Breda" in at.markdown[0].value
    by_address = open_dashboard(url, role, koploper="almere")
    assert by_address.selectbox(key="mk_koploper").value == "almere"
    assert "Almere" in by_address.markdown[0].value


def test_another_koploper_by_address_gets_geen_toegang(url):
    at = open_dashboard(url, "gemeente", ["tilburg"], koploper="breda")
    assert at.title[0].value == "Geen toegang"
    assert not at.table and not charts(at)


# --- the figures are the engine's ----------------------------------------------------------------


def _assert_overview_is_the_engine(table: pd.DataFrame, engine: pd.DataFrame, first, second):
    engine = engine[engine["flag"] != "onderdrukt"]
    checked = 0
    for row in engine.to_dict("records"):
        mine = table[
            (table.index == _label(row))
            & (table["Vragenlijst"] == _questionnaire(row["questionnaire"]))
        ]
        assert len(mine) == 1, row["indicator"]
        line = mine.iloc[0]
        for column, side in ((first, "baseline"), (second, "followup")):
            figure, n, _ = split(line[column])
            scale = 100 if row["kind"] == "proportion" else 1
            assert number(figure) == pytest.approx(scale * row[f"estimate_{side}"], abs=0.05)
            assert n == row[f"n_{side}"]
        assert line["q-waarde"] == (
            "< 0,001" if row["q_value"] < 0.001 else f"{row['q_value']:.3f}".replace(".", ",")
        )
        checked += 1
    return checked


_LABELS: dict[tuple[str, str], str] = {}


def _label(row: dict) -> str:
    if not _LABELS:
        for key, spec in load_indicators().questionnaires.items():
            for indicator in spec.indicators:
                _LABELS[(key, indicator.name)] = spec.label(indicator.name)
    return _LABELS[(row["questionnaire"], row["indicator"])]


def _questionnaire(key: str) -> str:
    return {"client": "Inwoners en cliënten", "professional": "Cliëntondersteuners en verwijzers"}[
        key
    ]


def test_the_overview_shows_the_engines_estimates_and_q_values(url, indicators):
    at = open_dashboard(url, "gemeente", ["tilburg"], details=True)
    assert at.selectbox(key="mk_van").value == "T0"
    assert at.selectbox(key="mk_naar").value == "T2"  # the latest wave with data
    engine = engine_changes(url, "tilburg", "T0", "T2", indicators)
    table = overview(at)
    checked = _assert_overview_is_the_engine(table, engine, "Nulmeting", "Tweede vervolgmeting")
    assert checked >= 25
    words = {f"{symbol} {word}" for symbol, word in DIRECTION_WORDS.items()}
    assert set(table["Uitkomst"]) <= words  # never the symbol alone


def test_another_follow_up_wave_changes_the_figures_to_the_engines_for_that_wave(url, indicators):
    at = open_dashboard(url, "gemeente", ["tilburg"], details=True)
    before = overview(at)
    at.selectbox(key="mk_naar").set_value("T1").run()
    assert not at.exception, at.exception
    after = overview(at)
    assert "Eerste vervolgmeting" in after.columns and "Tweede vervolgmeting" not in after.columns
    assert list(before["Verschil"]) != list(after["Verschil"])
    engine = engine_changes(url, "tilburg", "T0", "T1", indicators)
    assert _assert_overview_is_the_engine(after, engine, "Nulmeting", "Eerste vervolgmeting") >= 25


def test_a_subgroup_shows_its_own_smaller_figures_for_its_questionnaire_only(url):
    at = open_dashboard(url, "gemeente", ["tilburg"])
    whole = overview(at)
    at.selectbox(key="mk_subgroep").set_value("filled_by").run()
    at.selectbox(key="mk_categorie").set_value(1).run()
    assert not at.exception, at.exception
    part = overview(at, [CLIENT])  # the question is asked to inwoners only
    assert any("alleen cijfers van die vragenlijst" in i.value for i in at.info)
    assert any("**Subgroep: Wie vulde in, Ikzelf.**" in unescaped(m.value) for m in at.markdown)
    client = whole[whole["Vragenlijst"] == CLIENT]
    assert list(part.index) == list(client.index)
    pairs = [
        (split(mine)[1], split(theirs)[1])
        for mine, theirs in zip(part["Nulmeting"], client["Nulmeting"], strict=True)
    ]
    assert [n for n, _ in pairs if n is not None]
    assert all(n <= total for n, total in pairs if n is not None)
    assert list(part["Nulmeting"]) != list(client["Nulmeting"])


def test_the_responses_are_read_once_per_data_version_whatever_the_view(url, monkeypatch):
    import db.read_model
    from views.cache import CACHE

    reads = []
    real = db.read_model._fetch

    def counted(*args, **kwargs):
        reads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(db.read_model, "_fetch", counted)
    CACHE.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    logged_in(at, url, "gemeente", ["tilburg"], email=f"once-{secrets.token_hex(4)}@t.example")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert len(reads) == 1
    first = [t.value for t in at.table if t.value.index.name == "Indicator"][0]
    at.selectbox(key="mk_subgroep").set_value("filled_by").run()
    assert not at.exception, at.exception
    assert len(reads) == 1  # a subgroup is counted from the responses read already
    assert not [t.value for t in at.table if t.value.index.name == "Indicator"][0].equals(first)


def test_after_the_first_view_every_subgroup_is_counted_in_the_background(url, monkeypatch):
    import views.dashboard
    import views.subgroups

    asked: list[tuple[str, str]] = []
    real_later = views.subgroups.count_subgroups_later

    def later(session, viewer, koploper, **options):
        asked.append((viewer.email, koploper))
        return real_later(session, viewer, koploper, **options)

    monkeypatch.setattr(views.subgroups, "count_subgroups_later", later)
    email = f"later-{secrets.token_hex(4)}@t.example"
    at = AppTest.from_file(APP, default_timeout=120)
    logged_in(at, url, "gemeente", ["tilburg"], email=email)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert asked == [(email, "tilburg")]
    assert wait_for_counting(timeout=120)
    counted = []
    real_count = views.dashboard.from_scored

    def counting(*args, **kwargs):
        counted.append(kwargs.get("subgroup"))
        return real_count(*args, **kwargs)

    monkeypatch.setattr(views.dashboard, "from_scored", counting)

    def first_table():
        return [t.value for t in at.table if t.value.index.name == "Indicator"][0]

    whole = first_table()
    for subgroup in ("age_group", "channel"):
        at.selectbox(key="mk_subgroep").set_value(subgroup).run()
        assert not at.exception, at.exception
        assert not first_table().equals(whole)
    assert counted == []  # both taken from what the background counted
    assert asked == [(email, "tilburg")]  # with a subgroup chosen nothing more is asked
    at.selectbox(key="mk_subgroep").set_value(None).run()
    assert asked == [(email, "tilburg")] * 2  # asked again: all counted, so nothing is queued


def test_only_the_open_goal_is_drawn_and_every_goal_can_be_opened(url):
    at = open_dashboard(url, "gemeente", ["tilburg"])
    first = [spec["layout"]["title"]["text"] for spec in charts(at)]
    assert "Bekendheid van onafhankelijke cliëntondersteuning" in first
    assert "Het deel dat snel geholpen werd" not in first  # Vindbaarheid: not drawn until opened
    seen = set(first)
    for goal in ("Vindbaarheid", "Kwaliteit", "Effect", "Inzicht"):
        at = open_dashboard(url, "gemeente", ["tilburg"], goal=goal)
        titles = [spec["layout"]["title"]["text"] for spec in charts(at)]
        assert titles and not seen & set(titles), goal
        seen |= set(titles)
    assert "Het deel dat snel geholpen werd" in seen and len(seen) >= 30


def test_each_chart_is_followed_by_its_figures_and_a_text_alternative(url):
    at = open_dashboard(url, "gemeente", ["tilburg"], details=True)
    specs = charts(at)
    captions = [
        unescaped(c.value)
        for c in at.caption
        if unescaped(c.value).startswith("Grafiek in woorden:")
    ]
    assert len(captions) == len(specs) >= 5
    first = specs[0]
    assert first["layout"]["separators"] == ",."
    assert first["layout"]["title"]["text"] == "Bekendheid van onafhankelijke cliëntondersteuning"
    assert "nulmeting" in captions[0] and "%" in captions[0] and "," in captions[0]
    figures = [t.value for t in at.table if t.value.index.name == "Wie"]
    assert len(figures) == len(specs)
    # Only Tilburg has a T2: the references say so instead of showing a number.
    references = figures[0].loc[["Overige koplopers", "Eigen cohort"]]
    assert set(references["Cijfer"]) == {"geen cijfer"}
    assert set(references["Opmerking"]) == {"nog geen antwoorden bij deze meting"}
    at.selectbox(key="mk_naar").set_value("T1").run()
    figures = [t.value for t in at.table if t.value.index.name == "Wie"]
    first = figures[0]
    assert list(first.index) == ["Tilburg"] * 3 + ["Overige koplopers", "Eigen cohort"]
    assert list(first["Meting"]) == [
        "Nulmeting",
        "Eerste vervolgmeting",
        "Tweede vervolgmeting",
        "Eerste vervolgmeting",
        "Eerste vervolgmeting",
    ]
    assert all(value.endswith("%") for value in first["Cijfer"])
    comparisons = [t.value for t in at.table if t.value.index.name == "Vergelijking"]
    assert comparisons and "Cohen's h" in comparisons[0].iloc[0]["Effectgrootte"]


def test_inzicht_shows_who_answered_as_shares_with_n(url):
    at = open_dashboard(url, "gemeente", ["tilburg"], goal="Inzicht")
    shares = [t.value for t in at.table if t.value.index.name == "Antwoord"]
    assert shares
    total = shares[0].loc["Beantwoord door (n)"]
    assert all(value.isdigit() for value in total)
    cells = [normal(c) for c in shares[0].drop(index="Beantwoord door (n)").to_numpy().ravel()]
    assert all(re.fullmatch(r"\d+(,\d)? % \(\d+\)( \(indicatief\))?|geen cijfer", c) for c in cells)


# --- how to read this --------------------------------------------------------------------------


def test_hoe_lees_ik_dit_shows_the_explanation_of_measures_explain_as_plain_text(url, monkeypatch):
    seen = []

    def explanation(settings):
        seen.append(settings.min_n)
        return [("Wat is een interval?", "Een *marge*.\n\nMeer dan 10 antwoorden: [zie](x).")]

    monkeypatch.setattr("measures.explain.explanation", explanation)
    at = open_dashboard(url, "adviesraad", ["tilburg"])
    (section,) = [e for e in at.expander if e.label == "Hoe lees ik dit?"]
    texts = [unescaped(m.value) for m in section.markdown]
    assert texts == [
        "**Wat is een interval?**",
        "Een *marge*.",
        "Meer dan 10 antwoorden: [zie](x).",
    ]
    assert section.markdown[1].value == "Een \\*marge\\*\\."  # shown as typed, not as Markdown
    assert seen == [10]


# --- small numbers ------------------------------------------------------------------------------


def test_a_tiny_koploper_shows_no_figure_and_no_count_under_ten_anywhere(url):
    at = open_dashboard(url, "onderzoeker", koploper=TINY, goal="Inzicht")
    table = overview(at)
    # No wave has figures: the page shows the nulmeting alone and says why (no empty comparison).
    assert "Nulmeting" in table.columns
    assert any("te weinig antwoorden voor cijfers" in i.value for i in at.info)
    for column in [c for c in ("Nulmeting", "Eerste vervolgmeting") if c in table.columns]:
        cells = [split(cell) for cell in table[column]]
        assert {figure for figure, _, _ in cells} == {"geen cijfer"}
        assert {n for _, n, _ in cells} == {None}
    for spec in charts(at):
        assert not [t for t in spec["data"] if t.get("meta", {}).get("group") == "koploper"]
    text = everything(at)
    assert not re.search(r"n[ \u00a0]=[ \u00a0][1-9]\b", text)
    shares = [t.value for t in at.table if t.value.index.name == "Antwoord"]
    for frame in shares:
        cells = frame.drop(index="Beantwoord door (n)").to_numpy().ravel()
        assert set(cells) == {"geen cijfer"}
        assert set(frame.loc["Beantwoord door (n)"]) <= {"0", "minder dan 10"}


def test_a_koploper_with_one_wave_gets_its_estimates_and_no_comparison(url):
    at = open_dashboard(url, "onderzoeker", koploper=ONE_WAVE)
    assert any("nog maar één meting" in i.value for i in at.info)
    assert "mk_naar" not in [s.key for s in at.selectbox]
    table = overview(at)
    assert "Nulmeting" in table.columns and "Verschil" not in table.columns
    assert any("%" in split(cell)[0] for cell in table["Nulmeting"])


# --- the cache ----------------------------------------------------------------------------------


def test_counts_are_cached_per_viewer_and_data_version_never_shared(url, monkeypatch):
    import views.dashboard

    real = views.dashboard.Counter.count
    calls: list[tuple[str, str, str | None]] = []

    def counting(counter, subgroup):
        if subgroup is None:  # the page's own count (the background counts the subgroups)
            calls.append((counter.who[0], counter.facts.slug, subgroup))
        return real(counter, subgroup)

    monkeypatch.setattr(views.dashboard.Counter, "count", counting)
    first = AppTest.from_file(APP, default_timeout=120)
    logged_in(first, url, "gemeente", ["tilburg"], email="cache-een@tilburg.example")
    first.run()
    first.switch_page(PAGE).run()
    assert calls == [("cache-een@tilburg.example", "tilburg", None)]
    rerun(first)
    first.selectbox(key="mk_naar").set_value("T1").run()
    assert len(calls) == 1  # the same counts, another view: nothing read again
    second = AppTest.from_file(APP, default_timeout=120)
    logged_in(second, url, "gemeente", ["tilburg"], email="cache-twee@tilburg.example")
    second.run()
    second.switch_page(PAGE).run()
    assert calls[1:] == [("cache-twee@tilburg.example", "tilburg", None)]
    add_tilburg_responses(url, wave="T0", answers=lambda _: {"used_oco": 0, "aware_oco": 1})
    rerun(first)
    assert calls[2:] == [("cache-een@tilburg.example", "tilburg", None)]  # new data, read anew


# --- the audit log ------------------------------------------------------------------------------


def test_opening_a_koploper_is_one_audit_line_per_koploper_per_session(url):
    with get_sessionmaker(url)() as session:
        before = len(read_log(session, command_line(), actions=["viewed"]))
    at = open_dashboard(url, "onderzoeker", koploper="tilburg")
    rerun(at)
    at.selectbox(key="mk_naar").set_value("T1").run()
    at.selectbox(key="mk_koploper").set_value("breda").run()
    at.selectbox(key="mk_koploper").set_value("tilburg").run()
    with get_sessionmaker(url)() as session:
        log = read_log(session, command_line(), actions=["viewed"])
    new = log.iloc[: len(log) - before]
    assert sorted(new["koploper"]) == ["breda", "tilburg"]
    assert set(new["detail"]) == {"Mijn koploper"}


def _tables_text(at: AppTest) -> str:
    """Every header and cell of every table on the page."""
    return "\n".join(
        " ".join(map(str, t.value.columns)) + "\n" + t.value.astype(str).to_csv() for t in at.table
    )


@pytest.mark.parametrize("role", ["adviesraad", "gemeente"])
def test_a_council_or_municipality_gets_the_plain_view_with_details_one_click_away(url, role):
    at = open_dashboard(url, role, ["tilburg"])
    toggle = at.toggle(key=DETAILS_KEY)
    assert toggle.label == "Meer details" and toggle.value is False
    tables = _tables_text(at)
    assert not [word for word in TECHNICAL if word in tables]
    # the plain view: sentences, charts, estimate with interval and n, and the words of ▲ = ▼
    assert charts(at)
    assert any(
        "niet duidelijk anders" in m.value or "steeg van" in m.value or "daalde van" in m.value
        for m in at.markdown
    )
    figures = [t.value for t in at.table if t.value.index.name == "Wie"]
    assert figures and {"n", "Cijfer", "95\u00a0%-interval"} <= set(figures[0].columns)
    comparisons = [t.value for t in at.table if t.value.index.name == "Vergelijking"]
    assert comparisons and {"Verschil", "95\u00a0%-interval", "Uitkomst"} <= set(
        comparisons[0].columns
    )
    words = {f"{symbol} {word}" for symbol, word in DIRECTION_WORDS.items()}
    assert set(overview(at)["Uitkomst"]) <= words
    caption = " ".join(c.value for c in at.caption)
    assert "q-waarde" not in caption
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    tables = _tables_text(at)
    assert "q-waarde" in overview(at).columns
    assert "Effectgrootte" in tables and ("Cohen's h" in tables or "Hedges' g" in tables)


@pytest.mark.parametrize("role", ["onderzoeker", "beheerder"])
def test_movisie_roles_see_the_details_by_default_and_can_switch_them_off(url, role):
    at = open_dashboard(url, role, koploper="tilburg")
    assert at.toggle(key=DETAILS_KEY).value is True
    assert "q-waarde" in overview(at).columns
    at.toggle(key=DETAILS_KEY).set_value(False).run()
    assert not at.exception, at.exception
    assert not [word for word in TECHNICAL if word in _tables_text(at)]


def test_counts_in_the_tables_have_a_thousands_point():
    from measures.indicators import load_indicators
    from pages.ui.compare_view import _counter
    from pages.ui.dashboard_view import n_text

    settings = load_indicators().settings
    assert n_text(5590, settings) == "5.590" and n_text(12, settings) == "12"
    assert n_text(3, settings) == f"minder dan {settings.min_n}"
    assert _counter(settings.min_n)(1234567.0) == "1.234.567"
