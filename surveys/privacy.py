"""The privacy notice a koploper shows its respondents (AVG), and its contact lines for the intro.

Pure text building: no Streamlit, no database. The notice comes in the two registers of the
questionnaires, standard B1 (``nl``) and easy read (``nl-eenvoudig``: short sentences, one idea
each), as a list of sections of plain text; the page draws headings and paragraphs, never HTML.
The numbers in it (how long drafts and responses are kept) are parameters, so the notice always
says what the installation actually does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from surveys.vocabulary import EASY_READ, LANGUAGES, STANDARD

Language = str
"""A register code, one of :data:`surveys.vocabulary.LANGUAGES`."""
Kind = Literal["gemeente", "regio"]
RESPONSE_YEARS = 2
"""Sent responses are kept until this many years after the end of the programme."""
SUPERVISOR_URL = "https://www.autoriteitpersoonsgegevens.nl"


@dataclass(frozen=True)
class Contact:
    """How respondents reach the koploper; ``is_demo`` marks example data from ``seed-demo``."""

    organisation: str
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    is_demo: bool = False

    @property
    def reachable(self) -> bool:
        """A respondent can ask a question: there is a phone number or an e-mail address."""
        return bool(self.phone or self.email)


class Section(NamedTuple):
    heading: str
    paragraphs: tuple[str, ...]


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"onbekende taal: {language!r} (toegestaan: {', '.join(LANGUAGES)})")


def koploper_phrase(name: str, kind: Kind) -> str:
    """How a sentence names the koploper: 'de gemeente Tilburg', 'de regio Oosterschelderegio'.

    A region whose name already says so ('Regio Twente') keeps its own name, so no sentence
    reads 'de regio Regio Twente'.
    """
    if kind == "regio":
        return name if name.lower().startswith("regio ") else f"de regio {name}"
    return f"de gemeente {name}"


def _capital(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def contact_lines(contact: Contact | None, language: Language) -> list[str]:
    """Lines for the respondent intro and the notice: whom to ask, and how.

    Demo contacts open with a line saying they are example data, so nobody calls them.
    """
    _check_language(language)
    easy = language == EASY_READ
    if contact is None or not contact.reachable:
        return [
            "Heeft u een vraag? Neem contact op met uw gemeente."
            if easy
            else "Vragen over dit onderzoek of over uw privacy? Neem contact op met uw gemeente."
        ]
    lines = []
    if contact.is_demo:
        lines.append(
            "Let op: dit zijn voorbeeldgegevens. Ze zijn niet echt."
            if easy
            else "Let op: dit zijn voorbeeldgegevens voor een demonstratie, geen echte "
            "contactgegevens."
        )
    if easy:
        verb = (
            "Bel of mail" if contact.phone and contact.email else "Bel" if contact.phone else "Mail"
        )
        lines.append(f"Heeft u een vraag? {verb} {contact.organisation}.")
    else:
        lines.append(
            "Vragen over dit onderzoek of over uw privacy? Neem contact op met "
            f"{contact.organisation}."
        )
    if contact.phone:
        lines.append(f"Telefoon: {contact.phone}")
    if contact.email:
        lines.append(f"E-mail: {contact.email}")
    if contact.url:
        lines.append(f"Website: {contact.url}")
    return lines


def privacy_notice(
    name: str,
    kind: Kind,
    contact: Contact | None,
    language: Language,
    *,
    draft_days: int,
    response_years: int = RESPONSE_YEARS,
    members: Sequence[str] = (),
) -> list[Section]:
    """The privacy notice of one koploper, as (heading, paragraphs) sections of plain text.

    ``members`` are the municipalities of a region; ``draft_days`` how long an unsent draft is
    kept after its last change; ``response_years`` how long sent responses are kept after the
    end of the programme.
    """
    _check_language(language)
    if draft_days < 1 or response_years < 1:
        raise ValueError("bewaartermijnen moeten minstens 1 zijn")
    who = koploper_phrase(name, kind)
    build = _easy_read if language == EASY_READ else _standard
    return build(who, kind, list(members), contact, draft_days, response_years)


def _standard(
    who: str,
    kind: Kind,
    members: list[str],
    contact: Contact | None,
    draft_days: int,
    response_years: int,
) -> list[Section]:
    head = _capital(who)
    region = (
        [f"{head} is een samenwerking van de gemeenten {_join(members)}."]
        if kind == "regio" and members
        else []
    )
    return [
        Section(
            "Wie is verantwoordelijk?",
            (
                f"{head} vraagt u mee te doen aan dit onderzoek. {head} is verantwoordelijk voor "
                "wat er met uw antwoorden gebeurt. In de privacywet (de AVG) heet dat de "
                "verwerkingsverantwoordelijke.",
                *region,
                "Movisie, het landelijke kennisinstituut voor het sociaal domein, voert het "
                f"onderzoek uit in opdracht van {who}, en alleen volgens de afspraken daarover. "
                "In de AVG heet Movisie de verwerker.",
            ),
        ),
        Section(
            "Waarvoor gebruiken we uw antwoorden?",
            (
                f"{head} doet mee aan het programma Koplopers Cliëntondersteuning. Daarin werken "
                "gemeenten aan betere onafhankelijke cliëntondersteuning: gratis hulp van iemand "
                "die aan uw kant staat, bijvoorbeeld bij een gesprek met de gemeente.",
                "Met dit onderzoek meten we of de cliëntondersteuning beter wordt: of mensen haar "
                "kennen, makkelijk vinden en goed vinden. We gebruiken uw antwoorden alleen "
                "daarvoor. In de uitkomsten staan cijfers over groepen mensen, nooit over één "
                "persoon.",
                f"{head} mag dit doen omdat het hoort bij haar wettelijke taak om goede "
                "ondersteuning te regelen (Wmo 2015): een taak van algemeen belang. Meedoen is "
                "vrijwillig en u kunt stoppen wanneer u wilt.",
            ),
        ),
        Section(
            "Wat bewaren we, en wat nooit?",
            (
                "We bewaren uw antwoorden, met de versie van de vragenlijst, de datum en tijd "
                "waarop u begon en waarop u ze verstuurde, hoe u meedeed (bijvoorbeeld via "
                "internet), de taal van de vragenlijst (standaard of makkelijk lezen), en voor "
                "welke gemeente en welke meting u antwoordde.",
                "We bewaren nooit uw naam, uw e-mailadres of gegevens over uw apparaat. Uw "
                "antwoorden zijn daarom anoniem: niemand kan zien dat ze van u zijn.",
                "Uw IP-adres (het adres van uw computer op internet) en een kenmerk van uw "
                "browser bewaren we alleen versleuteld, los van uw antwoorden, en kort (meestal "
                "niet langer dan een half uur). Zo zien we of iemand veel codes uitprobeert of "
                "heel vaak achter elkaar antwoorden stuurt.",
                "Kreeg u een brief met een persoonlijke code? Dan bewaren we van die code alleen "
                "dat hij gebruikt is, en op welke dag. We bewaren niet welke antwoorden bij de "
                "code horen. Zo kan de code maar één keer worden gebruikt.",
                "Staat in uw brief dat u bij een panel hoort? Dan krijgen uw antwoorden een nummer "
                "zonder naam, zodat we ze kunnen vergelijken met uw antwoorden bij een volgende "
                "meting. Alleen met de adressenlijst van de brieven zou dat nummer bij u horen; "
                "die lijst staat niet in de monitor.",
                "Wat u bij een open vraag schrijft, lezen de onderzoekers zoals u het schreef. "
                "Schrijf daarom geen namen, adressen of andere dingen waaraan iemand u of een "
                "ander kan herkennen.",
                "Gaat u later verder? Dan bewaren we uw antwoorden tot dan als concept, onder een "
                "willekeurige code in het adres van de pagina. De code zelf bewaren wij niet: "
                "alleen wie dat adres heeft, kan het concept openen. Deel het daarom niet met "
                "anderen.",
            ),
        ),
        Section(
            "Hoe lang bewaren we het?",
            (
                f"Een concept (een vragenlijst die u nog niet verstuurde) bewaren we {draft_days} "
                "dagen na de laatste keer dat u iets invulde; daarna wissen we het. Versturen "
                "wist het concept meteen. Een concept telt nooit mee in het onderzoek.",
                f"Verstuurde antwoorden bewaren we tot {response_years} jaar na het einde van het "
                "programma Koplopers Cliëntondersteuning. Daarna wissen we ze.",
            ),
        ),
        Section(
            "Uw rechten",
            (
                "Volgens de AVG mag u vragen welke gegevens er over u zijn (inzage), ze laten "
                "verbeteren (correctie) of ze laten wissen (verwijdering).",
                "Uw verstuurde antwoorden zijn anoniem: er staat niets bij waarmee wij ze aan u "
                "kunnen koppelen. Daarom kunnen we ze achteraf niet terugvinden, laten zien, "
                "verbeteren of wissen. Wilt u iets veranderen? Doe dat vóór het versturen: in het "
                "overzicht aan het eind kunt u elk antwoord wijzigen.",
                "Een concept wist u door niet verder te gaan: na "
                f"{draft_days} dagen verdwijnt het vanzelf.",
            ),
        ),
        Section(
            "Vragen?",
            (
                *contact_lines(contact, STANDARD),
                "U kunt ook de functionaris gegevensbescherming van uw gemeente om hulp vragen.",
            ),
        ),
        Section(
            "Klacht",
            (
                "Vindt u dat er niet goed met uw gegevens wordt omgegaan? Dan mag u een klacht "
                "indienen bij de Autoriteit Persoonsgegevens, de toezichthouder voor privacy in "
                f"Nederland: {SUPERVISOR_URL}.",
            ),
        ),
    ]


def _easy_read(
    who: str,
    kind: Kind,
    members: list[str],
    contact: Contact | None,
    draft_days: int,
    response_years: int,
) -> list[Section]:
    head = _capital(who)
    region = (
        (
            f"{head} is een groep gemeenten die samenwerken.",
            f"Dit zijn de gemeenten: {_join(members)}.",
        )
        if kind == "regio" and members
        else ()
    )
    return [
        Section(
            "Wie is verantwoordelijk?",
            (
                f"{head} vraagt u om mee te doen.",
                *region,
                f"{head} is verantwoordelijk voor uw antwoorden.",
                "De wet noemt dat: verwerkingsverantwoordelijke.",
                f"Movisie doet het onderzoek voor {who}.",
                "Movisie houdt zich aan de afspraken daarover.",
                "De wet noemt Movisie: verwerker.",
            ),
        ),
        Section(
            "Waarom doen we dit onderzoek?",
            (
                "Een cliëntondersteuner helpt u gratis.",
                "Hij of zij staat aan uw kant.",
                f"{head} wil deze hulp beter maken.",
                "Dat hoort bij het programma Koplopers Cliëntondersteuning.",
                "Met uw antwoorden meten we of de hulp beter wordt.",
                "We gebruiken uw antwoorden alleen daarvoor.",
                "Meedoen mag, maar het hoeft niet.",
                "U mag altijd stoppen.",
            ),
        ),
        Section(
            "Wat bewaren we?",
            (
                "We bewaren uw antwoorden.",
                "We bewaren welke vragenlijst u invulde.",
                "We bewaren wanneer u begon en wanneer u verstuurde.",
                "We bewaren hoe u meedeed, bijvoorbeeld via internet.",
                "We bewaren of u de gewone of makkelijke vragen koos.",
            ),
        ),
        Section(
            "Wat bewaren we nooit?",
            (
                "We bewaren nooit uw naam.",
                "We bewaren nooit uw e-mailadres.",
                "We bewaren nooit gegevens over uw computer of telefoon.",
                "Het adres van uw computer (IP-adres) bewaren we heel kort.",
                "Dat adres maken we eerst geheim.",
                "Zo zien we of iemand de vragenlijst misbruikt.",
                "Kreeg u een brief met een code?",
                "Dan bewaren we alleen dat de code gebruikt is.",
                "We weten niet welke antwoorden bij de code horen.",
                "Hoort u bij een panel? Dat staat in uw brief.",
                "Dan krijgen uw antwoorden een nummer zonder naam.",
                "Zo kunnen we ze vergelijken met de volgende keer.",
                "Alleen met de lijst met adressen kan dat nummer bij u horen.",
                "Die lijst staat niet in de monitor.",
                "In de monitor ziet dus niemand dat de antwoorden van u zijn.",
                "Wat u zelf schrijft, lezen de onderzoekers.",
                "Schrijf daarom geen namen in uw antwoorden.",
            ),
        ),
        Section(
            "Hoe lang bewaren we het?",
            (
                "Stopt u halverwege? Dan bewaren we uw antwoorden even.",
                "Dat heet een concept.",
                f"Een concept bewaren we {draft_days} dagen.",
                "Daarna gooien we het weg.",
                "Verstuurde antwoorden bewaren we tot het programma stopt.",
                f"Daarna bewaren we ze nog {response_years} jaar.",
                "Dan gooien we ze weg.",
            ),
        ),
        Section(
            "Wat mag u vragen?",
            (
                "De privacywet heet AVG.",
                "Volgens de AVG mag u uw gegevens zien.",
                "U mag vragen om ze te verbeteren.",
                "U mag vragen om ze weg te gooien.",
                "Maar uw antwoorden hebben geen naam.",
                "Daarom kunnen wij ze later niet meer vinden.",
                "Wilt u iets veranderen? Doe dat vóór het versturen.",
                "Gaat u niet verder? Dan verdwijnen uw antwoorden vanzelf.",
                f"Dat gebeurt na {draft_days} dagen.",
            ),
        ),
        Section("Heeft u een vraag?", tuple(contact_lines(contact, EASY_READ))),
        Section(
            "Bent u niet tevreden?",
            (
                "Dan mag u klagen bij de Autoriteit Persoonsgegevens.",
                "Die let op privacy in Nederland.",
                f"Kijk op: {SUPERVISOR_URL}",
            ),
        ),
    ]
