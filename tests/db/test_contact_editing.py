"""Contacts set on the page (db.contacts.change_contact): who may, the same checks as the
command, and an audit line; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.access import AccessDenied, Viewer, command_line
from db.contacts import (
    ContactError,
    change_contact,
    contact_fields,
    editable_koplopers,
    fill_demo_contacts,
    koploper_contact,
)
from db.engine import get_sessionmaker
from db.models import AuditEvent, Koploper
from db.setup import init_database

EMPTY = {"organisation": "", "phone": "", "email": "", "url": ""}


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    return database_url


def viewer(url: str, role: str, *slugs: str) -> Viewer:
    with get_sessionmaker(url)() as session:
        ids = session.scalars(select(Koploper.id).where(Koploper.slug.in_(slugs))).all()
    return Viewer(
        email=f"{role}@test.example",
        role=role,
        koploper_ids=frozenset(ids),
        koploper_slugs=frozenset(slugs),
    )


def lines(url: str) -> list[tuple[str, str | None, str]]:
    with get_sessionmaker(url)() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contact_set").order_by(AuditEvent.id)
        )
        return [(e.actor, e.koploper, e.detail) for e in events]


def test_a_gemeente_sets_the_contact_of_its_own_koploper_with_an_audit_line(url):
    tilburg = viewer(url, "gemeente", "tilburg")
    with get_sessionmaker(url).begin() as session:
        assert list(editable_koplopers(session, tilburg)) == ["tilburg"]
        change_contact(
            session, tilburg, "tilburg", EMPTY | {"phone": " 14  013", "email": "wmo@tilburg.nl"}
        )
    with get_sessionmaker(url)() as session:
        contact = koploper_contact(session, "tilburg").contact
    assert (contact.phone, contact.email, contact.url) == ("14 013", "wmo@tilburg.nl", None)
    assert lines(url) == [
        ("gemeente@test.example", "tilburg", "gewijzigd: telefoonnummer, e-mailadres")
    ]


@pytest.mark.parametrize(
    ("role", "slugs"),
    [("gemeente", ("tilburg",)), ("adviesraad", ("breda",)), ("onderzoeker", ())],
)
def test_nobody_but_the_beheerder_and_its_own_gemeente_may_set_or_read_breda(url, role, slugs):
    other = viewer(url, role, *slugs)
    with get_sessionmaker(url).begin() as session:
        if role != "gemeente":
            assert editable_koplopers(session, other) == {}
        with pytest.raises(AccessDenied):
            change_contact(session, other, "breda", EMPTY | {"phone": "14 076"})
        with pytest.raises(AccessDenied):
            contact_fields(session, other, "breda")
    with get_sessionmaker(url)() as session:
        assert koploper_contact(session, "breda").contact is None
    assert lines(url) == []


def test_the_beheerder_sets_any_koploper_and_clears_a_value(url):
    with get_sessionmaker(url).begin() as session:
        assert len(editable_koplopers(session, command_line())) == 28
        change_contact(
            session, command_line(), "breda", EMPTY | {"phone": "14 076", "url": "https://a.nl/p"}
        )
        change_contact(session, command_line(), "breda", EMPTY | {"phone": "14 076"})
        assert contact_fields(session, command_line(), "breda") == (
            EMPTY | {"phone": "14 076"},
            False,
        )
    assert [detail for _, _, detail in lines(url)] == [
        "gewijzigd: telefoonnummer, webadres",
        "gewijzigd: webadres",
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"phone": "12345"}, "geen Nederlands telefoonnummer"),
        ({"email": "geen adres"}, "geen e-mailadres"),
        ({"phone": "14 013", "url": "javascript:alert(1)"}, "geen webadres"),
        ({"phone": "14 013", "organisation": "<b>x</b>"}, "geen naam van een organisatie"),
        ({"url": "https://www.tilburg.nl"}, "minstens een telefoonnummer of een e-mailadres"),
    ],
)
def test_bad_values_are_refused_as_by_the_command_and_nothing_is_stored(url, values, message):
    with get_sessionmaker(url).begin() as session, pytest.raises(ContactError, match=message):
        change_contact(session, command_line(), "tilburg", EMPTY | values)
    with get_sessionmaker(url)() as session:
        assert koploper_contact(session, "tilburg").contact is None
    assert lines(url) == []


def test_real_values_typed_over_demo_values_replace_them_all(url):
    with get_sessionmaker(url).begin() as session:
        fill_demo_contacts(session)
        shown, is_demo = contact_fields(session, command_line(), "tilburg")
        assert is_demo and shown["phone"] == "088 000 0000"
        change_contact(session, command_line(), "tilburg", shown | {"phone": "14 013"})
        assert contact_fields(session, command_line(), "tilburg")[1] is False
    assert lines(url)[0][2].startswith("demogegevens vervangen; gewijzigd: telefoonnummer")
