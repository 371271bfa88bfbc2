"""Veldwerk's part "Te controleren" and the sources the respondent page passes on (issue 19, 11)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

import pages.ui.sources
from db.access import command_line
from db.audit import read_log
from db.contacts import set_contact
from db.drafts import new_resume_code
from db.engine import get_sessionmaker
from db.fieldwork import resolve_link, set_wave_open
from db.models import HeldResponse, Response
from db.respondent import send
from db.setup import init_database
from db.sources import source_keys
from pages.ui.sources import XSRF_COOKIE, browser_token, request_source
from surveys.definition import from_stored
from surveys.journey import Journey
from surveys.texts import TEXTS
from tests.pages.accounts import logged_in

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
ANSWERS = {"aware_oco": 0, "used_oco": 0, "age_group": 2}
GROUP = "held-almere-T2-client"


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    """Almere T2 open, with five responses from one browser: three counted, two held."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    maker = get_sessionmaker(sqlite_url)
    with maker.begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", dt.date.today() + dt.timedelta(days=10))
        keys = source_keys(session, "browser-1", "192.0.2.7")
    for _ in range(5):
        with maker.begin() as session:
            fieldwork = resolve_link(session, "client", "almere", "T2")
            journey = Journey(stage="overview", answers=ANSWERS)
            definition = from_stored(fieldwork.definition)
            send(session, definition, fieldwork, journey, new_resume_code(), None, sources=keys)
    assert counted(sqlite_url) == (3, 2)
    return sqlite_url


def counted(url: str) -> tuple[int, int]:
    with get_sessionmaker(url)() as session:
        return (
            session.scalar(select(func.count(Response.id))),
            session.scalar(select(func.count(HeldResponse.id))),
        )


def open_fieldwork(url: str, role: str, koplopers=(), koploper: str = "almere") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    logged_in(at, url, role, koplopers)
    at.query_params["koploper"] = koploper
    at.run()
    at.switch_page("pages/fieldwork.py").run()
    assert not at.exception, at.exception
    return at


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def by_label(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def held_actions(url: str) -> list[tuple[str, str]]:
    with get_sessionmaker(url)() as session:
        log = read_log(session, command_line(), actions=["held_accepted", "held_removed"])
    return list(log[["action", "detail"]].itertuples(index=False, name=None))[::-1]


def test_the_beheerder_sees_the_held_responses_and_accepts_them_after_confirming(url):
    at = open_fieldwork(url, "beheerder")
    assert "Te controleren" in headers(at)
    group = "Tweede vervolgmeting (T2), vragenlijst Inwoners en cliënten"
    assert f"{group}: 2 antwoorden" in [s.value for s in at.subheader]
    table = next(t.value for t in at.table if "Vragen beantwoord" in t.value.columns)
    assert list(table["Vragen beantwoord"]) == [3, 3]
    assert list(table["Taalvorm"]) == ["Standaard (B1)"] * 2
    assert len(at.multiselect(key=f"{GROUP}-chosen").value) == 2

    press(at, f"{GROUP}-accept")  # nothing happens before "Ja"
    assert counted(url) == (3, 2)
    assert "Weet u zeker dat u 2 antwoorden wilt accepteren?" in at.warning[0].value
    press(at, f"{GROUP}-cancel")
    assert not at.warning and counted(url) == (3, 2)

    press(at, f"{GROUP}-accept")
    press(at, f"{GROUP}-yes")
    assert counted(url) == (5, 0)
    assert [s.value for s in at.success] == [f"2 antwoorden geaccepteerd ({group})."]
    assert "Te controleren" not in headers(at)
    assert held_actions(url) == [("held_accepted", f"2 antwoorden geaccepteerd: {group}")]


def test_the_beheerder_removes_only_the_chosen_response(url):
    at = open_fieldwork(url, "beheerder")
    chosen = at.multiselect(key=f"{GROUP}-chosen")
    chosen.set_value(chosen.value[:1]).run()
    press(at, f"{GROUP}-remove")
    assert "Weet u zeker dat u 1 antwoord wilt verwijderen?" in at.warning[0].value
    press(at, f"{GROUP}-yes")
    assert counted(url) == (3, 1)
    assert "Te controleren" in headers(at)  # the other one still waits
    assert [action for action, _ in held_actions(url)] == ["held_removed"]


def test_a_gemeente_sees_only_how_many_wait_and_can_do_nothing(url):
    at = open_fieldwork(url, "gemeente", ["almere"])
    assert [i.value for i in at.info if "controle" in i.value] == [
        "2 antwoorden wachten op controle. Een beheerder bekijkt ze. Tot dan tellen ze niet "
        "mee in de cijfers."
    ]
    assert "Te controleren" not in headers(at)
    assert not [b for b in at.button if b.key.startswith("held-")]
    assert not [m for m in at.multiselect if m.key.startswith("held-")]


def test_on_another_koploper_the_page_says_where_responses_wait_to_whoever_sees_them(url):
    at = open_fieldwork(url, "beheerder", koploper="breda")
    assert "Te controleren" not in headers(at)
    assert (
        "Bij andere koplopers wachten ook antwoorden op controle: Almere (2). Kies de koploper "
        "hierboven." in [c.value for c in at.caption]
    )
    region = open_fieldwork(url, "gemeente", ["almere", "breda"], koploper="breda")
    assert any("Almere (2)" in c.value for c in region.caption)
    breda = open_fieldwork(url, "gemeente", ["breda"], koploper="breda")
    assert not [c for c in breda.caption if "controle" in c.value]
    assert not [i for i in breda.info if "controle" in i.value]


def test_an_adviesraad_sees_nothing_of_them(url):
    at = open_fieldwork(url, "adviesraad", ["almere"])
    assert at.title[0].value == "Veldwerk"
    assert not [i for i in at.info if "controle" in i.value]
    assert not [c for c in at.caption if "controle" in c.value]
    assert "Te controleren" not in headers(at)
    assert not [b for b in at.button if b.key.startswith("held-")]


# --- where a response came from -------------------------------------------------------------------
def test_the_browser_is_the_token_under_streamlits_changing_xsrf_mask():
    token = bytes(range(16))
    first, second = (generate_xsrf_token_string(token, 1_700_000_000) for _ in range(2))
    assert first != second  # Streamlit masks the cookie anew on every page load
    assert browser_token(first) == browser_token(second) == token.hex()
    assert browser_token(generate_xsrf_token_string()) != token.hex()
    assert browser_token(None) is None and browser_token("") is None
    assert browser_token("2|zz|zz|1") is None  # unreadable: no browser rather than a wrong one
    assert browser_token("abc123") == "abc123"  # an older form counts as it is


def test_request_source_reads_the_cookie_and_the_address_from_the_context():
    cookie = generate_xsrf_token_string(b"\x01" * 16)
    context = SimpleNamespace(cookies={XSRF_COOKIE: cookie}, ip_address="198.51.100.4")
    assert request_source(context) == ("01" * 16, "198.51.100.4")
    assert request_source(SimpleNamespace(cookies={}, ip_address=None)) == (None, None)
    assert request_source(SimpleNamespace(cookies=None, ip_address=object())) == (None, None)


def test_the_respondent_page_passes_its_sources_and_a_held_response_looks_sent(
    almere_t2_open, monkeypatch
):
    url = almere_t2_open
    monkeypatch.setenv("KOPLOPERMONITOR_BURST_COUNT", "1")
    monkeypatch.setattr(pages.ui.sources, "request_source", lambda: ("browser-9", "192.0.2.9"))
    with get_sessionmaker(url).begin() as session:
        keys = source_keys(session, "browser-9", "192.0.2.9")
        fieldwork = resolve_link(session, "client", "almere", "T2")
        journey = Journey(stage="overview", answers=ANSWERS)
        send(
            session,
            from_stored(fieldwork.definition),
            fieldwork,
            journey,
            new_resume_code(),
            None,
            sources=keys[:1],  # the same browser, sent a moment ago
        )
    assert counted(url) == (1, 0)

    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in {"survey": "client", "koploper": "almere", "wave": "T2"}.items():
        at.query_params[name] = value
    at.run()
    by_label(at, TEXTS["start"]["nl"])
    at.radio(key="answer__aware_oco").set_value(0)
    at.radio(key="answer__used_oco").set_value(0).run()
    for _ in range(10):
        if [t.value for t in at.title] == [TEXTS["overview"]["nl"]]:
            break
        by_label(at, TEXTS["next"]["nl"])
    by_label(at, TEXTS["send"]["nl"])
    assert at.title[0].value == TEXTS["thanks"]["nl"]  # as for any response
    assert counted(url) == (1, 1)  # held: the page passed the browser's and address's keys
