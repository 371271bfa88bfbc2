"""Whom to call about a used or withdrawn code: its koploper's contact, in its batch's register."""

from __future__ import annotations

from db.access import command_line
from db.contacts import set_contact
from db.engine import get_sessionmaker
from db.invitations import code_rows, make_codes
from db.invitations_contact import contact_for_code
from db.setup import init_database
from surveys.codes import printed


def test_a_code_names_its_koplopers_contact_and_register_and_nothing_else_does(database_url):
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        make_codes(session, command_line(), "almere", "T2", "client", 2, language="nl-eenvoudig")
        make_codes(session, command_line(), "tilburg", "T2", "client", 1)
        [almere, _] = code_rows(session, command_line(), "almere", "T2", "client")
        [tilburg] = code_rows(session, command_line(), "tilburg", "T2", "client")
    with get_sessionmaker(database_url)() as session:
        found = contact_for_code(session, printed(almere.code).lower())
        assert (found.koploper_name, found.language) == ("Almere", "nl-eenvoudig")
        assert found.contact.phone == "14 036"
        other = contact_for_code(session, tilburg.code)
        assert (other.koploper_name, other.contact, other.language) == ("Tilburg", None, "nl")
        assert contact_for_code(session, "K7QM-2XPD") is None  # no such code
        assert contact_for_code(session, "' OR 1=1 --") is None  # cannot be a code
