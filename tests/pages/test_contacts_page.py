"""The page Contactgegevens through AppTest, per role."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.contacts import fill_demo_contacts, koploper_contact
from db.engine import get_sessionmaker
from db.models import AuditEvent
from tests.pages.accounts import logged_in

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/contacts.py"


@pytest.fixture
def url(app_database) -> str:
    return app_database


def contacts_page(url: str, role: str, koplopers=(), **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, role, koplopers)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def fill(app: AppTest, **values: str) -> AppTest:
    fields = {field.label: field for field in app.text_input}
    for label, value in values.items():
        fields[label].input(value)
    next(b for b in app.button if b.label == "Contactgegevens opslaan").click()
    app.run()
    assert not app.exception, app.exception
    return app


def stored(url: str, slug: str):
    with get_sessionmaker(url)() as session:
        return koploper_contact(session, slug).contact


def audit(url: str) -> list[tuple[str, str | None, str]]:
    with get_sessionmaker(url)() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(["contact_set", "access_denied"]))
            .order_by(AuditEvent.id)
        )
        return [(e.action, e.koploper, e.outcome) for e in events]


def test_a_gemeente_sets_its_own_contact_on_the_page(url):
    app = contacts_page(url, "gemeente", ["tilburg"])
    assert app.title[0].value == "Contactgegevens"
    assert app.selectbox(key="contact_koploper").options == ["Tilburg"]
    fill(app, Telefoonnummer="14 013", **{"E-mailadres": "wmo@tilburg.nl"})
    assert app.success[0].value.startswith("De contactgegevens van Tilburg zijn opgeslagen")
    assert (stored(url, "tilburg").phone, stored(url, "tilburg").email) == (
        "14 013",
        "wmo@tilburg.nl",
    )
    fields = {field.label: field.value for field in app.text_input}
    assert fields["Telefoonnummer"] == "14 013"  # the form shows what is stored now
    assert audit(url) == [("contact_set", "tilburg", "ok")]


def test_a_wrong_value_is_named_and_nothing_is_stored(url):
    app = contacts_page(url, "beheerder", koploper="breda")
    assert app.selectbox(key="contact_koploper").value == "breda"
    fill(app, Telefoonnummer="12345", **{"Webadres (privacy)": "javascript:alert(1)"})
    errors = " ".join(e.value.replace("\\", "") for e in app.error)
    assert "geen Nederlands telefoonnummer" in errors and "geen webadres" in errors
    assert not app.success and stored(url, "breda") is None and audit(url) == []


def test_the_beheerder_picks_any_koploper(url):
    app = contacts_page(url, "beheerder")
    assert len(app.selectbox(key="contact_koploper").options) == 28


def test_demo_values_are_an_example_not_a_value(url):
    with get_sessionmaker(url).begin() as session:
        fill_demo_contacts(session)
    app = contacts_page(url, "gemeente", ["tilburg"])
    assert "voorbeeldgegevens (demo)" in app.info[0].value
    phone = next(field for field in app.text_input if field.label == "Telefoonnummer")
    assert phone.value == "" and phone.placeholder == "088 000 0000"
    fill(app, Telefoonnummer="14 013")
    contact = stored(url, "tilburg")
    assert (contact.phone, contact.email, contact.url, contact.is_demo) == (
        "14 013",
        None,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("role", "koplopers", "params"),
    [
        ("gemeente", ["tilburg"], {"koploper": "breda"}),
        ("adviesraad", ["tilburg"], {}),
        ("onderzoeker", [], {}),
    ],
)
def test_others_get_geen_toegang_and_an_audit_line(url, role, koplopers, params):
    app = contacts_page(url, role, koplopers, **params)
    assert app.title[0].value == "Geen toegang" and not app.text_input
    assert [line[0] for line in audit(url)] == ["access_denied"]
