"""Logging in and out through the login page (AppTest): messages, lock, disabled, expiry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.engine import get_sessionmaker
from db.models import AuditEvent, LoginSession
from db.setup import init_database
from db.users import add_user, set_disabled
from pages.ui.access import STATE
from tests.pages.accounts import PASSWORD, logged_in

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
EMAIL = "pl@tilburg.example"


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        add_user(session, command_line(), EMAIL, "gemeente", ["tilburg"], password=PASSWORD)
    return sqlite_url


def login_page() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page("pages/login.py")
    app.run()
    return app


def attempt(app: AppTest, email: str, password: str) -> AppTest:
    fields = {field.label: field for field in app.text_input}
    fields["E-mailadres"].input(email)
    fields["Wachtwoord"].input(password)
    next(b for b in app.button if b.label == "Inloggen").click()
    return app.run()


def audit(url: str) -> list[tuple[str, str]]:
    with get_sessionmaker(url)() as session:
        return [
            (e.actor, e.action) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_the_form_has_e_mailadres_wachtwoord_and_inloggen(url):
    app = login_page()
    assert not app.exception
    assert app.title[0].value == "Inloggen"
    assert [field.label for field in app.text_input] == ["E-mailadres", "Wachtwoord"]
    assert "Inloggen" in [button.label for button in app.button]
    assert not app.sidebar.button  # no Uitloggen before logging in


def test_empty_fields_get_a_message_and_write_nothing(url):
    app = attempt(login_page(), "", "")
    assert "Vul uw e-mailadres en uw wachtwoord in" in app.error[0].value
    assert audit(url) == [("opdrachtregel", "user_created")]


def test_a_right_password_logs_in_shows_who_and_uitloggen_ends_it(url):
    app = attempt(login_page(), " PL@Tilburg.example", PASSWORD)
    assert not app.exception and not app.error
    assert app.title[0].value == "Mijn koploper"  # a gemeente's first page behind the login
    assert EMAIL in app.sidebar.text[0].value
    next(b for b in app.sidebar.button if b.label == "Uitloggen").click()
    app.run()
    assert not app.sidebar.button
    assert "U bent uitgelogd" in app.info[0].value
    with get_sessionmaker(url)() as session:
        assert all(row.ended_at is not None for row in session.scalars(select(LoginSession)))
    assert [action for _actor, action in audit(url)][-3:] == ["login_ok", "viewed", "logout"]


def test_movisie_roles_land_on_veldwerk_after_logging_in(url):
    with get_sessionmaker(url).begin() as session:
        add_user(session, command_line(), "a@movisie.example", "onderzoeker", password=PASSWORD)
    app = attempt(login_page(), "a@movisie.example", PASSWORD)
    assert not app.exception and app.title[0].value == "Veldwerk"


def test_a_wrong_password_and_an_unknown_address_get_the_same_message(url):
    wrong = attempt(login_page(), EMAIL, "dit is niet het wachtwoord").error[0].value
    unknown = attempt(login_page(), "niemand@tilburg.example", PASSWORD).error[0].value
    assert wrong == unknown and "klopt niet" in wrong


def test_the_fifth_wrong_password_locks_and_then_the_right_one_is_refused_too(url):
    app = login_page()
    for _ in range(5):
        attempt(app, EMAIL, "dit is niet het wachtwoord")
    assert "geblokkeerd" in app.error[0].value
    attempt(app, EMAIL, PASSWORD)
    assert "geblokkeerd" in app.error[0].value and not app.sidebar.button
    actions = [action for _actor, action in audit(url)]
    assert actions.count("login_failed") == 5 and actions.count("login_locked") == 2


def test_a_disabled_account_is_refused_and_a_logged_in_one_is_out_at_its_next_action(url):
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, "gemeente", ["tilburg"], email=EMAIL)
    app.run()
    assert app.sidebar.button  # logged in
    with get_sessionmaker(url).begin() as session:
        set_disabled(session, command_line(), EMAIL)
    app.run()
    assert not app.sidebar.button and "uitgelogd" in app.info[0].value
    refused = attempt(login_page(), EMAIL, PASSWORD)
    assert "uitgeschakeld" in refused.error[0].value


def test_a_login_older_than_8_hours_ends_with_a_message(url):
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, "gemeente", ["tilburg"], email=EMAIL)
    kept = app.session_state[STATE]
    app.session_state[STATE] = type(kept)(
        kept.user_id, kept.since - dt.timedelta(hours=8, minutes=1), kept.token
    )
    app.run()
    assert not app.exception and not app.sidebar.button
    assert "8 uur" in app.info[0].value
