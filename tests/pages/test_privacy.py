"""The privacy page through Streamlit's AppTest: both registers, a region, unknown links."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.contacts import fill_demo_contacts, set_contact
from db.drafts import DRAFT_DAYS
from db.engine import get_sessionmaker
from db.models import Koploper
from db.setup import init_database

APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.fixture
def url(sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    init_database(sqlite_url)
    with get_sessionmaker(sqlite_url).begin() as session:
        set_contact(
            session,
            "tilburg",
            organisation="Gemeente Tilburg, team Wmo",
            phone="14 013",
            email="wmo@tilburg.nl",
            url="https://www.tilburg.nl/wmo",
        )
    return sqlite_url


def open_page(**params: str) -> AppTest:
    """The app, at /privacy with these parameters (through the router, as in the browser)."""
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("pages/privacy.py").run()
    assert not at.exception
    return at


def texts(at: AppTest) -> list[str]:
    return [element.value for element in at.text]


def test_the_standard_notice_of_a_municipality(url):
    at = open_page(koploper="tilburg")
    assert at.title[0].value == "Privacyverklaring"
    headings = [s.value for s in at.subheader]
    assert headings[0] == "Wie is verantwoordelijk?" and "Uw rechten" in headings
    body = "\n".join(texts(at))
    assert "De gemeente Tilburg is verantwoordelijk voor wat er met uw antwoorden gebeurt" in body
    assert "In de AVG heet Movisie de verwerker." in body
    assert "We bewaren nooit uw naam, uw e-mailadres of gegevens over uw apparaat." in body
    assert f"bewaren we {DRAFT_DAYS} dagen na de laatste keer" in body
    assert "Neem contact op met Gemeente Tilburg, team Wmo." in body
    assert "Telefoon: 14 013" in texts(at)
    assert "Autoriteit Persoonsgegevens" in body
    assert at.get("link_button")[0].proto.url == "?koploper=tilburg&lang=nl-eenvoudig"


def test_the_easy_read_notice(url):
    at = open_page(koploper="tilburg", lang="nl-eenvoudig")
    assert at.title[0].value == "Wat doen we met uw antwoorden?"
    shown = texts(at)
    for sentence in (
        "De gemeente Tilburg is verantwoordelijk voor uw antwoorden.",
        "We bewaren nooit uw naam.",
        f"Een concept bewaren we {DRAFT_DAYS} dagen.",
        "Heeft u een vraag? Bel of mail Gemeente Tilburg, team Wmo.",
        "Dan mag u klagen bij de Autoriteit Persoonsgegevens.",
    ):
        assert sentence in shown
    assert at.get("link_button")[0].proto.url == "?koploper=tilburg&lang=nl"


def test_a_region_is_named_as_a_region_with_its_members_and_demo_contacts_are_marked(url):
    with get_sessionmaker(url).begin() as session:
        fill_demo_contacts(session)
    at = open_page(koploper="regio-twente")
    body = "\n".join(texts(at))
    assert "Regio Twente is verantwoordelijk" in body
    assert "Regio Twente is een samenwerking van de gemeenten" in body and "Enschede" in body
    assert "gemeente Regio Twente" not in body
    assert "Let op: dit zijn voorbeeldgegevens" in body
    assert "Neem contact op met Regio Twente (demo)." in body


def test_without_contact_details_the_page_sends_respondents_to_their_municipality(url):
    body = "\n".join(texts(open_page(koploper="voorst")))
    assert "Neem contact op met uw gemeente." in body


@pytest.mark.parametrize("params", [{}, {"koploper": "atlantis"}, {"koploper": "x" * 500}])
def test_an_unknown_koploper_gets_a_short_dutch_message(url, params):
    at = open_page(**params)
    assert at.info[0].value.startswith("Deze gemeente kennen wij niet.")
    assert not at.subheader


def test_an_unknown_language_falls_back_to_the_standard_notice(url):
    assert open_page(koploper="tilburg", lang="en").title[0].value == "Privacyverklaring"


def test_database_text_is_never_read_as_markdown_or_html(url):
    # set-contact refuses markup; a database edited by other means must still be drawn as text.
    with get_sessionmaker(url).begin() as session:
        breda = session.scalar(select(Koploper).where(Koploper.slug == "breda"))
        breda.contact_organisation, breda.contact_phone = "**Breda** <b>Wmo</b>", "14 076"
    at = open_page(koploper="breda")
    assert "Neem contact op met **Breda** <b>Wmo</b>." in "\n".join(texts(at))
    assert not at.markdown
