"""Everything the respondent page says, in both registers (standard B1 and easy read)."""

from __future__ import annotations

from surveys.definition import Questionnaire
from surveys.privacy import Kind, koploper_phrase
from surveys.vocabulary import EASY_READ, REGISTERS


def both(nl, easy=None) -> dict:
    return {"nl": nl, EASY_READ: easy or nl}


TEXTS: dict[str, dict] = {
    "asked_by": both(
        "Deze vragenlijst is van {koploper}, samen met Movisie.",
        "Deze vragen komen van {koploper}.",
    ),
    "privacy": both(
        "Lees wat wij met uw antwoorden doen (privacyverklaring)",
        "Wat doen wij met uw antwoorden?",
    ),
    "duration": both(
        # The address holds the resume code until the answers are sent (then the draft goes).
        "Het invullen duurt ongeveer {minutes} minuten. Op een computer van iemand anders? "
        "Maak de vragenlijst dan in één keer af en verstuur hem: daarna staan uw antwoorden niet "
        "meer op die computer.",
        "Het duurt ongeveer {minutes} minuten. Op de computer van iemand anders? Maak het dan "
        "in één keer af en verstuur het.",
    ),
    "choose_version": both("Welke versie wilt u invullen?", "Welke versie wilt u?"),
    "version_names": both({register.code: register.choice for register in REGISTERS}),
    "start": both("Beginnen"),
    "back": both("Vorige", "Terug"),
    "next": both("Volgende", "Verder"),
    "to_overview": both("Klaar, terug naar het overzicht", "Klaar, naar het overzicht"),
    "required": both(
        "Deze vraag is verplicht. Kies een antwoord om verder te gaan.",
        "Deze vraag moet u invullen. Kies een antwoord.",
    ),
    "later": both("Later verder gaan?", "Later verder?"),
    "later_explained": both(
        "Uw antwoorden worden bewaard. Wilt u later verder? Bewaar dan het adres hieronder, "
        "bijvoorbeeld als bladwijzer, of schrijf het op. Het adres werkt {days} dagen.",
        "Uw antwoorden worden bewaard. Wilt u later verder? Bewaar dan dit adres. "
        "Het adres werkt {days} dagen.",
    ),
    "later_code": both(
        "Of schrijf alleen deze code op. Op de eerste pagina van de vragenlijst kunt u de code "
        "intypen onder 'Eerder begonnen?'.",
        "Of schrijf deze code op. U kunt de code later intypen. Dat doet u op de eerste pagina.",
    ),
    "resume_title": both("Eerder begonnen? Ga verder met uw code", "Eerder begonnen?"),
    "resume_label": both("Uw code", "Typ hier uw code"),
    "resume_go": both("Verder gaan met deze code", "Verder met mijn code"),
    "draft_failed": both(
        "Uw antwoorden konden nu niet tussentijds worden bewaard. U kunt gewoon verder gaan.",
        "Bewaren lukte nu niet. U kunt gewoon verder.",
    ),
    "overview": both("Uw antwoorden", "Dit zijn uw antwoorden"),
    "overview_explained": both(
        "Kijk uw antwoorden na. Wilt u iets veranderen? Kies dan 'Wijzig'. "
        "Klopt alles? Kies dan 'Versturen'.",
        "Klopt alles? Kies dan 'Versturen'. Wilt u iets veranderen? Kies dan 'Wijzig'.",
    ),
    "change": both("Wijzig"),
    "send": both("Versturen"),
    "retry": both("Opnieuw proberen", "Nog een keer versturen"),
    "db_down_send": both(
        "Het versturen is niet gelukt: er is een storing. Uw antwoorden zijn niet verloren. "
        "Probeer het over een paar minuten opnieuw.",
        "Versturen lukte niet. Uw antwoorden zijn nog bewaard. Probeer het straks nog een keer.",
    ),
    "db_fault": both(
        "Er ging bij ons iets mis. Wij hebben het gemeld en lossen het op. Uw antwoorden zijn "
        "niet verloren zolang u deze pagina open houdt.",
        "Er ging bij ons iets mis. Wij lossen het op. Houd deze pagina open.",
    ),
    "db_down_start": both(
        "De vragenlijst is op dit moment niet bereikbaar door een storing. "
        "Probeer het later opnieuw."
    ),
    "thanks": both("Dank u wel!"),
    "thanks_explained": both(
        "Uw antwoorden zijn verstuurd. Ze helpen uw gemeente om de cliëntondersteuning beter te "
        "maken. U kunt deze pagina nu sluiten.",
        "Uw antwoorden zijn verstuurd. U kunt deze pagina nu sluiten.",
    ),
    "already_sent": both("Deze antwoorden zijn al verstuurd. Dank u wel!"),
    "draft_gone": both(
        "Deze link om verder te gaan werkt niet meer. Misschien is hij verlopen. "
        "Begin opnieuw met de link uit de brief of van de poster."
    ),
    # --- a personal code from an invitation letter (/code) ---
    "code_title": both("Vragenlijst met uw code", "Vragen met uw code"),
    "code_explained": both(
        "In de brief die u kreeg, staat een persoonlijke code. Typ die code hieronder over. "
        "Hoofdletters, kleine letters en spaties maken niet uit.",
        "In uw brief staat een code. Typ de code hieronder.",
    ),
    "code_label": both("Uw code"),
    "code_hint": both("Bijvoorbeeld K7QM-2XPD"),
    "code_go": both("Verder"),
    "code_unknown": both(
        "Deze code kennen we niet. Kijk of u hem goed heeft overgetypt.",
        "Deze code kennen we niet. Kijk nog een keer goed naar de code in de brief.",
    ),
    "code_used": both(
        "Deze code is al gebruikt. Met een code kunt u de vragenlijst één keer invullen. "
        "Heeft u de code niet zelf gebruikt? Neem dan contact op.",
        "Deze code is al gebruikt. Een code werkt maar één keer. Klopt dat niet? Bel ons dan.",
    ),
    "code_withdrawn": both(
        "Deze code werkt niet meer. Wilt u toch meedoen? Neem dan contact op met uw gemeente.",
        "Deze code werkt niet meer. Wilt u toch meedoen? Bel dan uw gemeente.",
    ),
    "code_open_only": both(
        "Voor deze vragenlijst zijn geen codes nodig. Gebruik de link of de QR-code van de "
        "poster of de website.",
        "Voor deze vragenlijst heeft u geen code nodig. Gebruik de link of de QR-code op de "
        "poster of de website.",
    ),
    "code_paused": both(
        "Te veel onjuiste codes. Probeer het over 15 minuten opnieuw.",
        "U heeft te vaak een verkeerde code getypt. Probeer het over 15 minuten opnieuw.",
    ),
    "code_empty": both("Typ eerst uw code.", "Typ eerst de code uit de brief."),
    "to_code": both("Naar de pagina voor uw code", "Naar de pagina voor de code"),
    "later_with_code": both(
        "Uw antwoorden worden bewaard. Wilt u later verder? Ga dan naar het adres hieronder en "
        "typ dezelfde code uit de brief nog een keer in. Dat werkt {days} dagen.",
        "Uw antwoorden worden bewaard. Wilt u later verder? Ga dan naar dit adres. Typ daar "
        "weer de code uit de brief. Dat werkt {days} dagen.",
    ),
}

LINK_PROBLEMS: dict[str, str] = {
    "incomplete": "Deze link is niet compleet. Er ontbreekt een stukje. Gebruik de link uit de "
    "brief of van de poster, of neem het adres nog een keer precies over.",
    "survey": "Deze vragenlijst bestaat niet. Controleer de link uit de brief of van de poster.",
    "koploper": "Deze gemeente kennen wij niet. Controleer de link uit de brief of van de poster.",
    "wave": "Deze meting bestaat niet. Controleer de link uit de brief of van de poster.",
    "closed": "Deze vragenlijst is nu gesloten. Dank u wel voor uw interesse.",
    "not_started": "Deze vragenlijst is nog niet begonnen. Probeer het later opnieuw.",
    "ended": "Deze vragenlijst is afgelopen. Dank u wel voor uw interesse.",
    "codes_only": "Voor deze vragenlijst heeft u een persoonlijke code nodig. U vindt die in de "
    "brief die u kreeg.",
}


def intro(questionnaire: Questionnaire, language: str, name: str, kind: Kind) -> list[str]:
    """The paragraphs of the intro: who asks, why, how long (whom to ask: ``contact_lines``)."""
    return [
        TEXTS["asked_by"][language].format(koploper=koploper_phrase(name, kind)),
        questionnaire.intro[language],
        TEXTS["duration"][language].format(minutes=questionnaire.minutes),
    ]
