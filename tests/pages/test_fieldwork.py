"""The page Veldwerk through Streamlit's AppTest, for each role."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.audit import read_log
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.fieldwork import set_wave_open
from db.models import Koploper, Wave
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from db.waves import open_wave, set_wave_dates
from surveys.clock import dutch_date, dutch_day, utcnow
from surveys.definition import load_builtin
from surveys.links import qr_png
from tests.pages.accounts import logged_in
from tests.pages.downloads import offered

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/fieldwork.py"
ADMIN = command_line()
TODAY = dutch_day()
RESPONSES = {("tilburg", "nl"): 3, ("tilburg", "nl-eenvoudig"): 2, ("breda", "nl"): 7}


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    """Tilburg and Breda with a contact, T2 of Tilburg open, a few T0 responses of each."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("KOPLOPERMONITOR_PUBLIC_URL", "https://monitor.example.nl/")
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        set_contact(session, "tilburg", phone="14 013")
        set_contact(session, "breda", phone="14 076")
        set_wave_open(session, "tilburg", "T2", TODAY + dt.timedelta(days=10))
        version = latest_version(session, "client")
        t0 = dict(
            session.execute(
                select(Koploper.slug, Wave.id).join(Wave.koploper).where(Wave.code == "T0")
            ).all()
        )
        ids = dict(session.execute(select(Koploper.slug, Koploper.id)).all())
        insert_responses(
            session,
            load_builtin("client"),
            [
                NewResponse(
                    questionnaire_version_id=version.id,
                    koploper_id=ids[slug],
                    wave_id=t0[slug],
                    channel="web",
                    language=language,
                    idempotency_key=secrets.token_hex(16),
                    submitted_at=utcnow(),
                )
                for (slug, language), n in RESPONSES.items()
                for _ in range(n)
            ],
        )
    return sqlite_url


def open_fieldwork(url: str, role: str, koplopers=(), **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    logged_in(at, url, role, koplopers)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


WAVE_ACTIONS = ["viewed", "access_denied", "wave_opened", "wave_closed", "wave_dates"]


def audit_lines(url: str) -> list[tuple[str, str, str]]:
    """(action, koploper, outcome) of the lines this page writes, oldest first."""
    with get_sessionmaker(url)() as session:
        log = read_log(session, ADMIN, actions=WAVE_ACTIONS)
    return list(log[["action", "koploper", "outcome"]].itertuples(index=False, name=None))[::-1]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The table on the page that has ``column``."""
    return next(t.value for t in at.table if column in t.value.columns)


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def wave_row(url: str, code: str) -> tuple[bool, dt.date, dt.date]:
    with get_sessionmaker(url)() as session:
        wave = session.scalar(
            select(Wave).join(Wave.koploper).where(Koploper.slug == "tilburg", Wave.code == code)
        )
        return wave.is_open, wave.fieldwork_start, wave.fieldwork_end


# --- who sees what --------------------------------------------------------------------------------
def test_a_tilburg_account_sees_tilburg_only_with_its_links(url):
    at = open_fieldwork(url, "gemeente", ["tilburg"])
    assert at.title[0].value == "Veldwerk"
    assert at.selectbox(key="veldwerk_koploper").options == ["Tilburg"]
    waves = table(at, "Status")
    assert list(waves.index) == ["T0", "T1", "T2"]
    assert waves.loc["T2", "Status"] == "open"
    assert waves.loc["T2", "Laatste dag"] == dutch_date(TODAY + dt.timedelta(days=10))
    assert list(waves["Antwoorden"]) == [5, 0, 0]
    assert waves.loc["T2", "Naam"] == "Tweede vervolgmeting (na 2 jaar)"
    counts = table(at, "Taalvorm")
    assert sorted(zip(counts["Taalvorm"], counts["Antwoorden"], strict=True)) == [
        ("Makkelijk lezen", 2),
        ("Standaard (B1)", 3),
    ]
    assert set(counts.index) == {"T0"} and set(counts["Vragenlijst"]) == {"Inwoners en cliënten"}
    assert [code.value for code in at.code] == [
        "https://monitor.example.nl/respond?survey=client&koploper=tilburg&wave=T2",
        "https://monitor.example.nl/respond?survey=client&koploper=tilburg&wave=T2"
        "&lang=nl-eenvoudig",
        "https://monitor.example.nl/respond?survey=professional&koploper=tilburg&wave=T2",
        "https://monitor.example.nl/respond?survey=professional&koploper=tilburg&wave=T2"
        "&lang=nl-eenvoudig",
    ]
    assert "Metingen beheren" not in [h.value for h in at.header]
    assert not [b for b in at.button if b.key.startswith(("open-", "close-", "dates-"))]
    at.run()  # seen again in the same session: no second line
    assert audit_lines(url) == [("viewed", "tilburg", "ok")]


def test_breda_by_url_gives_a_tilburg_account_geen_toegang_and_an_audit_line(url):
    at = open_fieldwork(url, "gemeente", ["tilburg"], koploper="breda")
    assert at.title[0].value == "Geen toegang"
    assert not at.table and not at.code and not at.selectbox
    assert audit_lines(url) == [("access_denied", "breda", "refused")]


def test_an_unknown_koploper_in_the_url_is_said_plainly_and_not_echoed(url):
    at = open_fieldwork(url, "onderzoeker", koploper="<b>atlantis</b>")
    assert at.error[0].value.startswith("De koploper uit het webadres bestaat niet.")
    assert "atlantis" not in at.error[0].value
    assert at.selectbox(key="veldwerk_koploper").value is not None


def test_for_an_account_of_one_koploper_any_other_slug_is_geen_toegang(url):
    at = open_fieldwork(url, "adviesraad", ["tilburg"], koploper="<b>atlantis</b>")
    assert at.title[0].value == "Geen toegang" and not at.table
    assert audit_lines(url) == [("access_denied", "<b>atlantis</b>", "refused")]


def test_nobody_logged_in_gets_geen_toegang(url):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Geen toegang" and not at.table


def test_the_onderzoeker_picks_any_koploper_and_the_url_follows(url):
    at = open_fieldwork(url, "onderzoeker", koploper="breda")
    picker = at.selectbox(key="veldwerk_koploper")
    assert len(picker.options) == 28 and picker.value == "breda"
    assert table(at, "Taalvorm")["Antwoorden"].sum() == 7
    assert not at.code  # no open wave in Breda: no links
    at.selectbox(key="veldwerk_koploper").set_value("tilburg").run()
    assert at.query_params["koploper"] == "tilburg"
    assert len(at.code) == 4  # standard and easy read, for both questionnaires
    assert [line[:2] for line in audit_lines(url)] == [("viewed", "breda"), ("viewed", "tilburg")]


# --- QR codes -------------------------------------------------------------------------------------
def test_each_open_link_standard_and_easy_read_has_a_qr_code_as_png_and_svg(url, monkeypatch):
    served = offered(monkeypatch)
    open_fieldwork(url, "gemeente", ["tilburg"])
    assert set(served) == {
        f"qr-tilburg-T2-{who}{version}.{kind}"
        for who in ("inwoners", "professionals")
        for version in ("", "-eenvoudig")
        for kind in ("png", "svg")
    }
    # The easy-read code is the easy-read link's (segno draws the same bytes for the same link).
    easy = "https://monitor.example.nl/respond?survey=client&koploper=tilburg&wave=T2"
    assert served["qr-tilburg-T2-inwoners-eenvoudig.png"][0] == qr_png(easy + "&lang=nl-eenvoudig")
    assert served["qr-tilburg-T2-inwoners.png"][0] == qr_png(easy)
    for name, (data, mimetype) in served.items():
        if name.endswith(".png"):
            assert mimetype == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n")
        else:
            assert mimetype == "image/svg+xml" and b"<svg" in data and b"<title>" in data


def test_a_wave_for_codes_only_says_so_and_offers_no_open_link_for_a_poster(url, monkeypatch):
    with get_sessionmaker(url).begin() as session:
        open_wave(session, ADMIN, "tilburg", "T2", TODAY + dt.timedelta(days=10), access="codes")
    served = offered(monkeypatch)
    at = open_fieldwork(url, "gemeente", ["tilburg"])
    waves = table(at, "Status")
    assert waves.loc["T2", "Toegang"] == "Alleen met een code uit een uitnodiging"
    assert waves.loc["T0", "Toegang"] == "Met een code of via de open link"
    assert not at.code and not served  # no open link, no QR code for a poster
    [info] = [i.value for i in at.info if "geen open link" in i.value]
    assert "https://monitor.example.nl/code" in info and "Uitnodigingen" in info


# --- the beheerder's forms ------------------------------------------------------------------------
def test_the_beheerder_opens_and_closes_a_wave_through_the_forms(url):
    at = open_fieldwork(url, "beheerder", koploper="tilburg")
    before = wave_row(url, "T1")
    until = TODAY + dt.timedelta(days=14)
    next(d for d in at.date_input if d.key.startswith("until-T1-")).set_value(until)
    press(at, "open-T1")
    assert "Weet u zeker dat u meting T1" in at.warning[0].value and not at.success
    assert wave_row(url, "T1") == before  # nothing happens before "Ja, …"
    press(at, "confirm-T1")
    assert at.success[0].value == f"Meting T1 staat open tot en met {dutch_date(until)}."
    # Opening keeps an earlier first day (db.fieldwork.set_wave_open): only the end moves.
    assert wave_row(url, "T1") == (True, before[1], until)
    assert table(at, "Status").loc["T1", "Status"] == "open"
    assert len(at.code) == 8  # T1 and T2 open: two questionnaires, two versions each
    press(at, "close-T1")
    assert "wilt sluiten" in at.warning[0].value and wave_row(url, "T1")[0] is True
    press(at, "confirm-T1")
    assert at.success[0].value.startswith("Meting T1 is gesloten.")
    assert wave_row(url, "T1")[0] is False
    assert [line[0] for line in audit_lines(url)] == ["viewed", "wave_opened", "wave_closed"]


def test_the_beheerder_changes_dates_and_bad_dates_change_nothing(url):
    at = open_fieldwork(url, "beheerder", koploper="tilburg")
    before = wave_row(url, "T1")
    start = next(d for d in at.date_input if d.key.startswith("start-T1-"))
    end = next(d for d in at.date_input if d.key.startswith("end-T1-"))
    start.set_value(dt.date(2027, 3, 1))
    end.set_value(dt.date(2027, 2, 1))
    press(at, "dates-T1")
    assert "vóór de begindatum" in at.error[0].value and not at.success
    assert wave_row(url, "T1") == before
    end = next(d for d in at.date_input if d.key.startswith("end-T1-"))
    end.set_value(dt.date(2027, 4, 12))
    press(at, "dates-T1")
    assert at.success[0].value == "Meting T1 loopt nu van 1-3-2027 tot en met 12-4-2027."
    assert wave_row(url, "T1") == (False, dt.date(2027, 3, 1), dt.date(2027, 4, 12))
    assert table(at, "Status").loc["T1", "Status"] == "gepland"
    assert [line[0] for line in audit_lines(url)] == ["viewed", "wave_dates"]


def test_opening_without_contact_details_is_refused_with_the_reason(url):
    at = open_fieldwork(url, "beheerder", koploper="almere")
    press(at, "open-T1")
    press(at, "confirm-T1")
    assert "kan niet open" in at.error[0].value and not at.success
    with get_sessionmaker(url)() as session:
        assert not session.scalar(
            select(Wave.is_open)
            .join(Wave.koploper)
            .where(Koploper.slug == "almere", Wave.code == "T1")
        )
    assert [line[0] for line in audit_lines(url)] == ["viewed"]


def test_cancelling_an_opening_or_a_closing_changes_nothing_and_writes_nothing(url):
    at = open_fieldwork(url, "beheerder", koploper="tilburg")
    press(at, "close-T2")
    assert "wilt sluiten" in at.warning[0].value
    press(at, "cancel-T2")
    assert not at.warning and not at.success
    assert wave_row(url, "T2")[0] is True
    assert [line[0] for line in audit_lines(url)] == ["viewed"]


def test_reopening_a_wave_that_ended_in_the_past_says_so_before_it_opens(url):
    with get_sessionmaker(url).begin() as session:
        set_wave_dates(session, ADMIN, "tilburg", "T0", dt.date(2017, 9, 1), dt.date(2017, 10, 12))
    at = open_fieldwork(url, "beheerder", koploper="tilburg")
    until = TODAY + dt.timedelta(days=30)
    next(d for d in at.date_input if d.key.startswith("until-T0-")).set_value(until)
    press(at, "open-T0")
    question = at.warning[0].value.replace("\\", "")
    assert "deze meting is al afgelopen" in question
    assert "Haar laatste dag was 12-10-2017, dat ligt in het verleden" in question
    assert f"loopt zij van 1-9-2017 tot en met {dutch_date(until)}" in question
    assert "meting uit 2017" in question and "5 antwoorden van toen" in question
    assert wave_row(url, "T0")[0] is False
    press(at, "confirm-T0")
    assert wave_row(url, "T0") == (True, dt.date(2017, 9, 1), until)


def test_opening_a_current_wave_does_not_speak_of_the_past(url):
    at = open_fieldwork(url, "beheerder", koploper="tilburg")
    until = TODAY + dt.timedelta(days=30)
    with get_sessionmaker(url).begin() as session:
        set_wave_dates(session, ADMIN, "tilburg", "T1", TODAY, until)
    at.run()
    press(at, "open-T1")
    assert "al afgelopen" not in at.warning[0].value


def test_looking_again_takes_no_write_lock_so_a_long_write_elsewhere_does_not_stall_it(url):
    """Only the first look at a koploper writes its audit line; every run after that reads,
    also while another connection holds SQLite's write lock (an import, a busy respondent)."""
    at = open_fieldwork(url, "gemeente", ["tilburg"])
    other = sqlite3.connect(make_url(url).database, timeout=30, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE koplopers SET name = name")
    try:
        at.run(timeout=10)  # a page that waited for the lock would take 30 s and fail
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not at.exception and not at.error
    assert table(at, "Status").loc["T2", "Status"] == "open"
