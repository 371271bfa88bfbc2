"""Koploper contacts: checked values, set-contact and show, no wave without one, demo contacts."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from db.__main__ import main
from db.contacts import (
    ContactError,
    ContactMissing,
    UnknownKoploper,
    check_email,
    check_organisation,
    check_phone,
    check_url,
    clear_demo_contacts,
    fill_demo_contacts,
    koploper_contact,
    open_waves_without_contact,
    set_contact,
)
from db.engine import get_engine, get_sessionmaker
from db.fieldwork import resolve_link, set_wave_open
from db.models import Koploper, Response, Wave
from db.schema import alembic_config, current_revision
from db.setup import init_database
from surveys.privacy import Contact


def head_revision() -> str:
    """The newest migration of this release, read from Alembic's scripts."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


SOON = dt.date.today() + dt.timedelta(days=10)


@pytest.fixture
def url(database_url) -> str:
    init_database(database_url)
    return database_url


@pytest.fixture
def cli(url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def store(database: str, slug: str, **values: str) -> Contact:
    """``set_contact`` in a transaction of its own, as the command line does it."""
    with get_sessionmaker(database).begin() as session:
        return set_contact(session, slug, **values)


def koploper(session, slug: str) -> Koploper:
    return session.scalar(select(Koploper).where(Koploper.slug == slug))


# --- values ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "phone",
    [
        "14 013",
        "14013",
        "14 0575",
        "013-5423000",
        "013 542 3000",
        "(013) 542 3000",
        "06 12345678",
        "088 000 0000",
        "0800 1234",
        "0900-1234567",
        "+31 13 542 3000",
        "+31 (0)13 542 3000",
        "0031 13 542 3000",
        "+31 6 12345678",
    ],
)
def test_dutch_phone_numbers_in_their_usual_shapes_are_accepted(phone):
    assert check_phone(phone) == " ".join(phone.split())


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "14",
        "14 13",
        "1401",
        "013-542300",
        "013-54230000",
        "0013 542 3000",
        "+32 2 123 45 67",
        "+31 013 542 3000",
        "+31 13 542 300",
        "013 542 3000 of 06",
        "bel ons",
        "013+5423000",
    ],
)
def test_anything_else_is_no_phone_number_and_the_message_gives_examples(phone):
    with pytest.raises(ContactError, match="geen Nederlands telefoonnummer.*14 013"):
        check_phone(phone)


@pytest.mark.parametrize("email", ["wmo@tilburg.nl", "privacy-den-haag@example.org", "a.b+c@x.co"])
def test_real_email_shapes_are_accepted(email):
    assert check_email(f" {email} ") == email


@pytest.mark.parametrize(
    "email", ["", "wmo", "wmo@", "@tilburg.nl", "wmo@tilburg", "w mo@tilburg.nl", "a..b@x.nl"]
)
def test_other_email_addresses_are_refused(email):
    with pytest.raises(ContactError, match="geen e-mailadres"):
        check_email(email)


@pytest.mark.parametrize(
    "address", ["https://www.tilburg.nl/wmo", "http://tilburg.nl", "https://x.nl:8443/a?b=c"]
)
def test_http_and_https_web_addresses_are_accepted(address):
    assert check_url(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "www.tilburg.nl",
        "ftp://tilburg.nl",
        "javascript:alert(1)",
        "https://",
        "https://localhost/",
        "https://user:pw@tilburg.nl",
        "https://tilburg.nl/een pagina",
        "https://tilburg.nl:99999/",
    ],
)
def test_other_web_addresses_are_refused_with_an_example(address):
    with pytest.raises(ContactError, match="geen webadres.*https://"):
        check_url(address)


@pytest.mark.parametrize(
    "name",
    ["Gemeente Tilburg, team Wmo", "'s-Hertogenbosch (Wmo & Jeugd)", "Gemeente Súdwest-Fryslân"],
)
def test_organisation_names_with_ordinary_punctuation_are_accepted(name):
    assert check_organisation(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", "A", "**Breda**", "<b>Breda</b>", "[Breda](x)", "a_b", "#1"])
def test_organisation_names_with_markup_characters_are_refused(name):
    with pytest.raises(ContactError, match="geen naam van een organisatie"):
        check_organisation(name)


# --- set_contact ----------------------------------------------------------------------------------
def test_set_contact_stores_checked_values_and_keeps_what_is_not_given(url):
    with get_sessionmaker(url).begin() as session:
        set_contact(
            session,
            "tilburg",
            organisation="Gemeente  Tilburg, team Wmo",
            phone="14 013",
            email="wmo@tilburg.nl",
        )
    with get_sessionmaker(url).begin() as session:
        result = set_contact(session, "tilburg", url="https://www.tilburg.nl/wmo", email="")
    assert result == Contact(
        organisation="Gemeente Tilburg, team Wmo",
        phone="14 013",
        email=None,
        url="https://www.tilburg.nl/wmo",
    )
    with get_sessionmaker(url)() as session:
        found = koploper_contact(session, "tilburg")
    assert found.contact == result and found.kind == "gemeente" and found.name == "Tilburg"


def test_every_bad_value_is_named_at_once_and_nothing_changes(url):
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "breda", phone="14 076")
    with pytest.raises(ContactError) as caught, get_sessionmaker(url).begin() as session:
        set_contact(session, "breda", phone="12", email="nee", url="breda.nl")
    message = str(caught.value)
    assert "'12' is geen Nederlands telefoonnummer" in message
    assert "'nee' is geen e-mailadres" in message
    assert "'breda.nl' is geen webadres" in message
    with get_sessionmaker(url)() as session:
        assert koploper_contact(session, "breda").contact.phone == "14 076"


def test_a_contact_needs_a_phone_number_or_an_email_address(url):
    with pytest.raises(ContactError, match="minstens een telefoonnummer"):
        store(url, "voorst", url="https://www.voorst.nl")
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "voorst", email="wmo@voorst.nl")
    with pytest.raises(ContactError, match="minstens een telefoonnummer"):
        store(url, "voorst", email="")
    with pytest.raises(ContactError, match="minstens één gegeven"):
        store(url, "voorst")


def test_an_unknown_koploper_is_named_with_near_matches(url):
    with pytest.raises(UnknownKoploper, match="geen koploper 'tilberg'. Bedoelt u tilburg"):
        store(url, "tilberg", phone="14 013")
    with get_sessionmaker(url)() as session:
        assert koploper_contact(session, "atlantis") is None
        assert koploper_contact(session, "x" * 500) is None


def test_without_an_organisation_the_contact_is_the_koploper_itself(url):
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "regio-twente", phone="053 123 4567")
        set_contact(session, "oosterschelderegio", email="info@example.org")
    with get_sessionmaker(url)() as session:
        twente = koploper_contact(session, "regio-twente")
        schelde = koploper_contact(session, "oosterschelderegio")
        assert koploper_contact(session, "almere").contact is None
    assert twente.contact.organisation == "Regio Twente" and twente.kind == "regio"
    assert "Enschede" in twente.members
    assert schelde.contact.organisation == "de regio Oosterschelderegio"


# --- opening a wave -------------------------------------------------------------------------------
def test_a_wave_without_a_contact_cannot_open_and_the_message_names_the_command(url):
    with pytest.raises(ContactMissing) as caught, get_sessionmaker(url).begin() as session:
        set_wave_open(session, "almere", "T2", SOON)
    message = str(caught.value)
    assert message.startswith("Meting T2 van Almere kan niet open")
    assert "python -m db koploper set-contact almere --phone" in message
    with get_sessionmaker(url)() as session:
        assert not session.scalar(select(func.count()).select_from(Wave).where(Wave.is_open))


def test_a_wave_opens_with_a_contact_and_the_link_carries_kind_and_contact(url):
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "regio-twente", phone="14 053", url="https://www.twente.nl")
        set_wave_open(session, "regio-twente", "T2", SOON)
    with get_sessionmaker(url)() as session:
        fieldwork = resolve_link(session, "client", "regio-twente", "T2")
    assert fieldwork.koploper_kind == "regio"
    assert fieldwork.contact == Contact(
        organisation="Regio Twente", phone="14 053", url="https://www.twente.nl"
    )


def test_closing_a_wave_needs_no_contact(url):
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", SOON)
        koploper(session, "almere").contact_phone = None
        assert open_waves_without_contact(session) == [("almere", "T2")]
        wave = set_wave_open(session, "almere", "T2", None, is_open=False)
    assert not wave.is_open


# --- demo contacts --------------------------------------------------------------------------------
def test_demo_contacts_fill_only_koplopers_without_details_and_are_cleared_alone(url):
    with get_sessionmaker(url).begin() as session:
        set_contact(session, "tilburg", organisation="Gemeente Tilburg", phone="14 013")
        assert fill_demo_contacts(session) == 27
        assert fill_demo_contacts(session) == 0
    with get_sessionmaker(url)() as session:
        almere = koploper_contact(session, "almere").contact
        twente = koploper_contact(session, "regio-twente").contact
        tilburg = koploper_contact(session, "tilburg").contact
    assert almere == Contact(
        organisation="Gemeente Almere (demo)",
        phone="088 000 0000",
        email="privacy-almere@example.org",
        url="https://example.org/koplopermonitor/almere",
        is_demo=True,
    )
    assert twente.organisation == "Regio Twente (demo)" and twente.is_demo
    assert tilburg == Contact(organisation="Gemeente Tilburg", phone="14 013")
    # Demo values pass the same checks as real ones.
    assert check_phone(almere.phone) == almere.phone
    assert check_email(almere.email) == almere.email
    assert check_url(almere.url) == almere.url
    with get_sessionmaker(url).begin() as session:
        assert clear_demo_contacts(session) == 27
    with get_sessionmaker(url)() as session:
        assert koploper_contact(session, "almere").contact is None
        assert koploper_contact(session, "tilburg").contact == tilburg


def test_real_details_replace_demo_details_entirely(url):
    with get_sessionmaker(url).begin() as session:
        fill_demo_contacts(session)
        result = set_contact(session, "almere", phone="14 036")
    assert result == Contact(organisation="de gemeente Almere", phone="14 036")
    with get_sessionmaker(url).begin() as session:
        clear_demo_contacts(session)
    with get_sessionmaker(url)() as session:
        assert koploper_contact(session, "almere").contact == result


# --- command line ---------------------------------------------------------------------------------
def test_set_contact_on_the_command_line_prints_the_result(cli, capsys):
    assert (
        main(
            [
                "koploper",
                "set-contact",
                "tilburg",
                "--organisation",
                "Gemeente Tilburg, team Wmo",
                "--phone",
                "14 013",
                "--email",
                "wmo@tilburg.nl",
                "--url",
                "https://www.tilburg.nl/wmo",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Contactgegevens van tilburg opgeslagen." in out
    assert "Organisatie: Gemeente Tilburg, team Wmo" in out
    assert "Telefoon: 14 013" in out
    assert "Privacyverklaring: /privacy?koploper=tilburg" in out
    assert main(["koploper", "show", "tilburg"]) == 0
    assert "E-mail: wmo@tilburg.nl" in capsys.readouterr().out


def test_bad_input_on_the_command_line_exits_with_2_and_a_dutch_message(cli, capsys):
    assert main(["koploper", "set-contact", "tilburg", "--phone", "123", "--email", "x@"]) == 2
    err = capsys.readouterr().err
    assert "'123' is geen Nederlands telefoonnummer" in err and "'x@' is geen e-mailadres" in err
    assert main(["koploper", "set-contact", "atlantis", "--phone", "14 013"]) == 2
    assert "Er is geen koploper 'atlantis'" in capsys.readouterr().err
    assert main(["koploper", "show", "atlantis"]) == 2
    assert main(["koploper", "show", "breda"]) == 0
    assert "Nog geen contactgegevens" in capsys.readouterr().out


def test_open_wave_without_a_contact_exits_with_2_and_names_set_contact(cli, capsys):
    assert main(["open-wave", "voorst", "T1"]) == 2
    assert "python -m db koploper set-contact voorst" in capsys.readouterr().err
    assert main(["koploper", "set-contact", "voorst", "--phone", "14 055"]) == 0
    assert main(["open-wave", "voorst", "T1"]) == 0


def test_seed_demo_fills_demo_contacts_and_remove_demo_clears_only_those(cli, capsys):
    with get_sessionmaker(cli).begin() as session:
        set_contact(session, "tilburg", phone="14 013")
    assert main(["seed-demo", "--min", "1", "--max", "1", "--yes"]) == 0
    assert "Voorbeeldcontactgegevens (demo) ingevuld bij 27 koplopers" in capsys.readouterr().out
    with get_sessionmaker(cli)() as session:
        fieldwork = resolve_link(session, "client", "almere", "T2")
        assert fieldwork.contact.is_demo and fieldwork.koploper_kind == "gemeente"
    assert main(["open-wave", "almere", "T1"]) == 0  # opened by hand on a demo contact
    assert main(["remove-demo"]) == 0
    out = capsys.readouterr().out
    assert "Voorbeeldcontactgegevens (demo) verwijderd bij 27 koplopers" in out
    assert "meting T1 van almere staat open zonder contactgegevens" in out
    with get_sessionmaker(cli)() as session:
        assert koploper_contact(session, "tilburg").contact.phone == "14 013"
        assert (
            session.scalar(
                select(func.count()).select_from(Koploper).where(Koploper.contact_is_demo)
            )
            == 0
        )


# --- migration ------------------------------------------------------------------------------------
def test_migration_0004_adds_empty_contacts_to_a_populated_database(database_url):
    """From 0003 with koplopers, waves and a response in it, up to the head and back down."""
    from alembic import command

    from db.schema import alembic_config

    engine = get_engine(database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    init_database(database_url)  # fills reference data; the schema is at the head now
    with get_sessionmaker(database_url).begin() as session:
        set_contact(session, "almere", phone="14 036")
        set_wave_open(session, "almere", "T2", SOON)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")  # a plain DROP COLUMN, data kept
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO responses (questionnaire_version_id, koploper_id, wave_id, channel, "
                "language, submitted_at, idempotency_key, is_demo) SELECT q.id, w.koploper_id, "
                "w.id, 'web', 'nl', '2026-01-01', 'k', :no FROM questionnaire_versions q, waves w "
                "WHERE q.key = 'client' AND w.is_open"
            ),
            {"no": False},
        )
    init_database(database_url)
    assert current_revision(engine) == head_revision()
    with get_sessionmaker(database_url)() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1
        almere = koploper(session, "almere")
        assert almere.contact_phone is None and almere.contact_is_demo is False
        assert open_waves_without_contact(session) == [("almere", "T2")]
