"""Mijn account: every role changes its own password (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import get_sessionmaker
from db.logins import LoginRefused, log_in
from db.models import AuditEvent
from tests.pages.accounts import PASSWORD, logged_in

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
NEW = "lantaarn kiwi biljart negen"
ROLES = [
    ("beheerder", ()),
    ("onderzoeker", ()),
    ("gemeente", ("tilburg",)),
    ("adviesraad", ("tilburg",)),
]


@pytest.fixture
def url(app_database) -> str:
    return app_database


def my_account(url: str, role: str, koplopers=()) -> tuple[AppTest, str]:
    app = AppTest.from_file(APP, default_timeout=30)
    viewer = logged_in(app, url, role, koplopers)
    app.run()
    app.switch_page("pages/login.py").run()
    assert not app.exception and app.title[0].value == "Mijn account"
    return app, viewer.email


def fill(app: AppTest, current: str, new: str, repeat: str) -> AppTest:
    fields = {field.label: field for field in app.text_input}
    fields["Huidig wachtwoord"].input(current)
    fields["Nieuw wachtwoord"].input(new)
    fields["Herhaal nieuw wachtwoord"].input(repeat)
    next(b for b in app.button if b.label == "Wachtwoord wijzigen").click()
    app.run()
    assert not app.exception
    return app


def actions(url: str) -> list[str]:
    with get_sessionmaker(url)() as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("password_%"))
                .order_by(AuditEvent.id)
            )
        )


@pytest.mark.parametrize(("role", "koplopers"), ROLES)
def test_every_role_changes_its_own_password_on_mijn_account(url, role, koplopers):
    app, email = my_account(url, role, koplopers)
    fill(app, PASSWORD, NEW, NEW)
    assert "Uw wachtwoord is gewijzigd" in app.success[0].value and not app.error
    assert app.title[0].value == "Mijn account"  # still logged in here
    assert all(field.value == "" for field in app.text_input)  # the form is empty again
    with get_sessionmaker(url).begin() as session:
        log_in(session, email, NEW)
    assert actions(url) == ["password_changed"]


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("fout fout fout", NEW, NEW, "huidige wachtwoord klopt niet"),
        (PASSWORD, NEW, NEW + "x", "niet gelijk"),
        (PASSWORD, "kort", "kort", "te kort"),
        ("", NEW, NEW, "Vul uw huidige wachtwoord"),
    ],
)
def test_a_refused_change_says_why_and_keeps_the_old_password(url, current, new, repeat, message):
    app, email = my_account(url, "gemeente", ("tilburg",))
    fill(app, current, new, repeat)
    assert len(app.error) == 1 and message in app.error[0].value and not app.success
    # One login per transaction (log_in reserves its check in a transaction of its own first).
    with get_sessionmaker(url).begin() as session:
        log_in(session, email, PASSWORD)
    with get_sessionmaker(url).begin() as session, pytest.raises(LoginRefused):
        log_in(session, email, NEW)


def test_the_sixth_guess_of_the_current_password_is_refused_unchecked(url):
    app, _ = my_account(url, "gemeente", ("tilburg",))
    for _ in range(5):
        fill(app, "fout fout fout", NEW, NEW)
    fill(app, PASSWORD, NEW, NEW)
    assert "15 minuten niet" in app.error[0].value
    assert actions(url) == ["password_change_failed"] * 6


def test_mijn_account_names_the_koploper_as_people_write_it(url):
    app, _ = my_account(url, "gemeente", ("den-haag", "tilburg"))
    assert "Koploper(s): Den Haag, Tilburg" in [t.value for t in app.text]
