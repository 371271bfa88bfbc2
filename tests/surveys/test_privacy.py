"""The privacy notice and the contact lines, in both registers, for a municipality and a region."""

from __future__ import annotations

import re

import pytest

from surveys.privacy import (
    RESPONSE_YEARS,
    Contact,
    Section,
    contact_lines,
    koploper_phrase,
    privacy_notice,
)

TILBURG = Contact(
    organisation="Gemeente Tilburg, team Wmo",
    phone="14 013",
    email="wmo@tilburg.nl",
    url="https://www.tilburg.nl/wmo",
)
DEMO = Contact(
    organisation="Gemeente Almere (demo)",
    phone="088 000 0000",
    email="privacy-almere@example.org",
    url="https://example.org/koplopermonitor/almere",
    is_demo=True,
)
TWENTE = ("Almelo", "Enschede", "Hengelo")


def text_of(sections: list[Section]) -> str:
    return "\n".join(line for s in sections for line in (s.heading, *s.paragraphs))


def notice(language: str = "nl", **kwargs) -> list[Section]:
    arguments = {"name": "Tilburg", "kind": "gemeente", "contact": TILBURG, "draft_days": 14}
    return privacy_notice(language=language, **(arguments | kwargs))


@pytest.mark.parametrize(
    ("name", "kind", "phrase"),
    [
        ("Tilburg", "gemeente", "de gemeente Tilburg"),
        ("Oosterschelderegio", "regio", "de regio Oosterschelderegio"),
        ("Regio Twente", "regio", "Regio Twente"),
    ],
)
def test_a_koploper_is_named_by_its_kind_and_never_de_regio_regio(name, kind, phrase):
    assert koploper_phrase(name, kind) == phrase


def test_the_standard_notice_names_controller_processor_purpose_and_whom_to_ask():
    text = text_of(notice())
    assert "De gemeente Tilburg is verantwoordelijk voor wat er met uw antwoorden gebeurt" in text
    assert "verwerkingsverantwoordelijke" in text
    assert "In de AVG heet Movisie de verwerker." in text
    assert "programma Koplopers Cliëntondersteuning" in text
    assert "meten we of de cliëntondersteuning beter wordt" in text
    assert "Neem contact op met Gemeente Tilburg, team Wmo." in text
    assert "Telefoon: 14 013" in text and "E-mail: wmo@tilburg.nl" in text
    assert "Website: https://www.tilburg.nl/wmo" in text
    assert "Autoriteit Persoonsgegevens" in text


def test_the_notice_says_what_is_stored_and_what_never():
    text = text_of(notice())
    for stored in (
        "versie van de vragenlijst",
        "datum en tijd waarop u begon en waarop u ze verstuurde",
        "via internet",
        "de taal",
    ):
        assert stored in text
    assert "In de uitkomsten staan cijfers over groepen mensen, nooit over één persoon." in text
    assert "Wat u bij een open vraag schrijft, lezen de onderzoekers" in text
    assert "We bewaren nooit uw naam, uw e-mailadres of gegevens over uw apparaat." in text
    assert "IP-adres" in text and "alleen versleuteld, los van uw antwoorden, en kort" in text
    assert "We bewaren niet welke antwoorden bij de code horen." in text
    assert "die lijst staat niet in de monitor" in text
    assert (  # a panel's letter says the same
        "Dan krijgen uw antwoorden een nummer zonder naam, zodat we ze kunnen vergelijken met uw "
        "antwoorden bij een volgende meting." in text
    )


def test_the_retention_periods_come_from_the_parameters():
    text = text_of(notice(draft_days=21, response_years=5))
    assert "bewaren we 21 dagen na de laatste keer dat u iets invulde" in text
    assert "tot 5 jaar na het einde van het programma" in text
    assert "14 dagen" not in text
    assert f"tot {RESPONSE_YEARS} jaar na" in text_of(notice())


def test_the_rights_are_named_and_why_anonymous_answers_cannot_be_looked_up():
    text = text_of(notice())
    assert "(inzage)" in text and "(correctie)" in text and "(verwijdering)" in text
    assert "Daarom kunnen we ze achteraf niet terugvinden" in text
    assert "Een concept wist u door niet verder te gaan" in text


def test_a_region_is_named_as_a_region_with_its_municipalities():
    text = text_of(notice(name="Regio Twente", kind="regio", members=TWENTE))
    assert "Regio Twente is verantwoordelijk" in text
    assert "Regio Twente is een samenwerking van de gemeenten Almelo, Enschede en Hengelo." in text
    assert "gemeente Regio Twente" not in text
    easy = text_of(notice("nl-eenvoudig", name="Oosterschelderegio", kind="regio", members=TWENTE))
    assert "De regio Oosterschelderegio is verantwoordelijk voor uw antwoorden." in easy
    assert "Dit zijn de gemeenten: Almelo, Enschede en Hengelo." in easy


def test_the_easy_read_notice_has_the_same_content_in_short_sentences():
    text = text_of(notice("nl-eenvoudig", draft_days=10))
    for sentence in (
        "De gemeente Tilburg is verantwoordelijk voor uw antwoorden.",
        "De wet noemt Movisie: verwerker.",
        "Met uw antwoorden meten we of de hulp beter wordt.",
        "We bewaren nooit uw naam.",
        "Het adres van uw computer (IP-adres) bewaren we heel kort.",
        "We weten niet welke antwoorden bij de code horen.",
        "Dan krijgen uw antwoorden een nummer zonder naam.",  # a panel: as its letter says
        "Zo kunnen we ze vergelijken met de volgende keer.",
        "Een concept bewaren we 10 dagen.",
        f"Daarna bewaren we ze nog {RESPONSE_YEARS} jaar.",
        "Daarom kunnen wij ze later niet meer vinden.",
        "Heeft u een vraag? Bel of mail Gemeente Tilburg, team Wmo.",
        "Dan mag u klagen bij de Autoriteit Persoonsgegevens.",
    ):
        assert sentence in text
    for section in notice("nl-eenvoudig"):
        for paragraph in section.paragraphs:
            for sentence in re.split(r"(?<=[.?!])\s+", paragraph):
                assert len(sentence.split()) <= 12, sentence
    assert " uw " in text and " je " not in text


def test_the_notice_is_plain_text_for_the_page_to_draw():
    for language in ("nl", "nl-eenvoudig"):
        sections = notice(language)
        assert all(isinstance(s.heading, str) and s.paragraphs for s in sections)
        assert not re.search(r"[<>*_#`\[\]]", text_of(sections))


def test_contact_lines_say_how_to_reach_the_municipality_in_both_registers():
    assert contact_lines(TILBURG, "nl") == [
        "Vragen over dit onderzoek of over uw privacy? Neem contact op met "
        "Gemeente Tilburg, team Wmo.",
        "Telefoon: 14 013",
        "E-mail: wmo@tilburg.nl",
        "Website: https://www.tilburg.nl/wmo",
    ]
    phone_only = Contact(organisation="de gemeente Putten", phone="14 0341")
    assert contact_lines(phone_only, "nl-eenvoudig") == [
        "Heeft u een vraag? Bel de gemeente Putten.",
        "Telefoon: 14 0341",
    ]
    mail_only = Contact(organisation="de gemeente Putten", email="wmo@putten.nl")
    assert (
        contact_lines(mail_only, "nl-eenvoudig")[0] == "Heeft u een vraag? Mail de gemeente Putten."
    )


def test_demo_contacts_are_marked_as_example_data_first():
    for language in ("nl", "nl-eenvoudig"):
        lines = contact_lines(DEMO, language)
        assert "voorbeeldgegevens" in lines[0]
        assert "voorbeeldgegevens" in text_of(notice(language, contact=DEMO))
    assert "voorbeeldgegevens" not in text_of(notice())


def test_without_a_contact_respondents_are_sent_to_their_municipality():
    assert contact_lines(None, "nl") == [
        "Vragen over dit onderzoek of over uw privacy? Neem contact op met uw gemeente."
    ]
    unreachable = Contact(organisation="de gemeente Voorst", url="https://www.voorst.nl")
    assert contact_lines(unreachable, "nl-eenvoudig") == [
        "Heeft u een vraag? Neem contact op met uw gemeente."
    ]
    assert "Neem contact op met uw gemeente." in text_of(notice(contact=None))


def test_an_unknown_language_or_a_retention_below_one_is_refused():
    with pytest.raises(ValueError, match="onbekende taal"):
        contact_lines(TILBURG, "en")
    with pytest.raises(ValueError, match="onbekende taal"):
        notice("fr")
    with pytest.raises(ValueError, match="minstens 1"):
        notice(draft_days=0)
