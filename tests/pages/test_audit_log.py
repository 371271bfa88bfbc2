"""The page Logboek through AppTest: filters, Dutch clock times, a CSV that Dutch Excel opens."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.audit import read_log, record
from db.engine import get_sessionmaker
from db.logins import LoginRefused, log_in
from db.setup import init_database
from surveys.clock import dutch_day, dutch_time, utcnow
from tests.pages.accounts import logged_in
from tests.pages.downloads import Offered, offered

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
HEADERS = ["Tijd", "Wie", "Rol", "Gebeurtenis", "Koploper", "Uitkomst", "Toelichting"]
NOW = utcnow().replace(microsecond=0)
RECENT = NOW - dt.timedelta(hours=2)
OLD = NOW - dt.timedelta(days=40)


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        record(
            session,
            "pl@tilburg.example",
            "login_failed",
            outcome="failed",
            role="gemeente",
            at=RECENT,
        )
        record(
            session,
            command_line(),
            "user_created",
            koploper="breda,tilburg",
            detail='=HYPERLINK("http://x")',
            at=RECENT + dt.timedelta(minutes=1),
        )
        record(session, "pl@breda.example", "login_ok", koploper="breda", at=OLD)
    return sqlite_url


@pytest.fixture
def files(monkeypatch) -> Offered:
    """The files the page offers for download, by file name (made, and logged, when read)."""
    return offered(monkeypatch)


def logbook(url: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, "beheerder", email="beheer@movisie.example")
    app.run()
    app.switch_page("pages/audit_log.py")
    app.run()
    assert not app.exception
    return app


def table_html(app: AppTest) -> str:
    return next(e.proto.body for e in app.get("html") if "km-table" in e.proto.body)


class _Cells(HTMLParser):
    """The table's rows of cell texts, read back as a browser would (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(app: AppTest) -> pd.DataFrame:
    cells = _Cells()
    cells.feed(table_html(app))
    header, *rows = cells.rows
    return pd.DataFrame(rows, columns=header)


def widget(elements, label: str):
    return next(e for e in elements if e.label == label)


def test_newest_first_in_dutch_with_dutch_clock_times_and_the_last_30_days(url):
    app = logbook(url)
    assert app.title[0].value == "Logboek"
    lines = table(app)
    assert list(lines.columns) == HEADERS
    assert lines["Gebeurtenis"].tolist() == [
        "Ingelogd",  # the beheerder of this test: account made, then logged in
        "Gebruiker aangemaakt",
        "Gebruiker aangemaakt",
        "Inloggen mislukt",
    ]
    failed = lines.iloc[-1]
    local = dutch_time(RECENT)  # as the other pages write it: 5-12-2026 14:03
    assert failed["Tijd"] == f"{local.day}-{local.month}-{local.year} {local:%H:%M}"
    assert failed["Wie"] == "pl@tilburg.example"
    assert failed["Rol"] == "Gemeente (projectleider of beleidsadviseur)"
    assert failed["Uitkomst"] == "mislukt"
    assert "pl@breda.example" not in set(lines["Wie"])  # 40 days ago: before the period


def test_the_filters_narrow_the_lines(url):
    app = logbook(url)
    widget(app.date_input, "Van").set_value(dutch_day() - dt.timedelta(days=45)).run()
    assert "pl@breda.example" in set(table(app)["Wie"])

    widget(app.text_input, "E-mailadres bevat").input("TILBURG").run()
    assert table(app)["Wie"].tolist() == ["pl@tilburg.example"]
    widget(app.text_input, "E-mailadres bevat").input("").run()

    widget(app.multiselect, "Soort gebeurtenis").select("login_failed").select("login_ok").run()
    assert table(app)["Gebeurtenis"].tolist() == ["Ingelogd", "Ingelogd", "Inloggen mislukt"]
    widget(app.selectbox, "Uitkomst").select("failed").run()
    assert table(app)["Wie"].tolist() == ["pl@tilburg.example"]
    widget(app.selectbox, "Uitkomst").select(None).run()
    widget(app.multiselect, "Soort gebeurtenis").set_value([]).run()

    widget(app.selectbox, "Koploper").select("tilburg").run()
    assert table(app)["Gebeurtenis"].tolist() == ["Gebruiker aangemaakt"]  # breda,tilburg
    assert table(app)["Koploper"].tolist() == ["Breda, Tilburg"]
    widget(app.selectbox, "Koploper").select("breda").run()
    assert table(app)["Gebeurtenis"].tolist() == ["Ingelogd", "Gebruiker aangemaakt"]

    widget(app.date_input, "Van").set_value(dutch_day()).run()
    widget(app.date_input, "Tot en met").set_value(dutch_day() - dt.timedelta(days=1)).run()
    assert "ligt na" in app.error[0].value and not [
        e for e in app.get("html") if "km-table" in e.proto.body
    ]


def test_the_csv_opens_in_dutch_excel_is_formula_safe_and_its_download_is_logged(url, files):
    app = logbook(url)
    name, *_ = files
    with get_sessionmaker(url)() as session:
        assert read_log(session, command_line(), actions=["download"]).empty  # shown, not fetched
    data, mimetype = files[name]
    assert name == f"koplopermonitor-logboek-{dutch_day().isoformat()}.csv"
    assert mimetype.startswith("text/csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert b";" in data.splitlines()[0]
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == HEADERS
    shown = table(app)
    assert back["Tijd"].tolist() == shown["Tijd"].tolist()
    assert back.drop(columns="Toelichting").fillna("").equals(shown.drop(columns="Toelichting"))
    created = back[back["Koploper"] == "Breda, Tilburg"].iloc[0]  # names, as people write them
    assert created["Toelichting"] == '\'=HYPERLINK("http://x")'

    with get_sessionmaker(url)() as session:
        downloads = read_log(session, command_line(), actions=["download"])
    assert downloads["detail"].tolist() == ["logboek csv"]
    assert downloads["actor"].tolist() == ["beheer@movisie.example"]


def test_what_someone_typed_as_e_mail_address_shows_as_text_never_as_a_link_or_html(url):
    typed = "[klik hier](https://kwaad.example) <img src=x onerror=alert(1)>"
    address = "*vet*_=1+1@kwaad.example"  # a valid address full of Markdown and formula signs
    for email in (typed, address):
        with get_sessionmaker(url).begin() as session, pytest.raises(LoginRefused):
            log_in(session, email, "fout wachtwoord")
    app = logbook(url)
    body = table_html(app)
    assert "<a " not in body and "<img" not in body and "<em>" not in body
    assert "klik hier" not in body  # not an address: what was typed is not kept at all
    who = set(table(app)["Wie"])
    assert "(geen geldig e-mailadres)" in who and address in who  # shown exactly as typed
