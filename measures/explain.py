"""'Hoe lees ik dit?': how to read the dashboard, in plain Dutch (B1), and a short methods summary.

For municipality staff and client councils. Plain text only, no Markdown and no HTML, because the
page, an Excel sheet and a PDF all show the same words. Every threshold comes from the settings in
``indicators.yaml``, so the explanation says what the figures do. The full methods, for policy
advisers, are in METHODS.md; :func:`methods` is the short version for the report's appendix,
and stands on its own: a council reads it without the code repository.
"""

from __future__ import annotations

import math

from measures.indicators import Settings, load_indicators
from surveys.numbers import decimal, percent

Section = tuple[str, str]
"""A title and its text: one paragraph of plain sentences."""

REFERENCES = (
    "Wilson EB (1927). Probable inference, the law of succession, and statistical inference. "
    "JASA 22.",
    "Newcombe RG (1998). Interval estimation for the difference between independent proportions: "
    "comparison of eleven methods. Statistics in Medicine 17:873–890.",
    "Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate. JRSS B 57:289–300.",
    "Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed.",
    "Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis.",
)
"""The sources of the methods the summary names, one per line (as in METHODS.md)."""

NUMBER_WORDS = {1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf"}


def _percent(share: float) -> str:
    """A setting in percent, as set: '95 %', '75 %' (a threshold, not a measured figure)."""
    return percent(100 * share, 3, trim=True)


def _level(settings: Settings) -> str:
    """The significance level as a Dutch number: '0,05'."""
    return decimal(settings.significance, 3, trim=True)


def _theme_rule(settings: Settings) -> tuple[str, str]:
    """'minstens de helft' and how many of three questions that is (rounded up, as the engine)."""
    share = settings.theme_min_answered_share
    part = "de helft" if math.isclose(share, 0.5) else _percent(share)
    of_three = max(1, math.ceil(share * 3 - 1e-9))
    return f"minstens {part}", NUMBER_WORDS[of_three]


def explanation(settings: Settings | None = None) -> list[Section]:
    """The 'Hoe lees ik dit?' text with the thresholds of ``settings`` (default: the registry's)."""
    s = settings or load_indicators().settings
    confidence = s.level
    out_of_100 = decimal(100 * s.confidence, 3, trim=True)
    level = _level(s)
    at_least, of_three = _theme_rule(s)
    return [
        (
            "Wat betekent een percentage?",
            "Een percentage laat zien hoeveel mensen een bepaald antwoord gaven. "
            "Bij een vraag met ja of nee is het het deel dat ja zei. "
            "Bij een stelling is het het deel dat het (helemaal) mee eens was. "
            "Zo telt ook het landelijke cliëntervaringsonderzoek Wmo. "
            "We tellen daarbij alleen de mensen met een echt antwoord op de vraag.",
        ),
        (
            f"Wat betekent het {confidence}-interval?",
            f"Bij elk cijfer staat een {confidence}-interval. "
            "Een voorbeeld: 62,4\u00a0%, met een interval van 51,3\u00a0% tot 72,4\u00a0%. "
            "Wij stellen de vragen niet aan iedereen. "
            "Daarom is een cijfer nooit helemaal precies. "
            "Het echte cijfer ligt waarschijnlijk tussen 51,3\u00a0% en 72,4\u00a0%. "
            f"Waarschijnlijk betekent hier: in {out_of_100} van de 100 keer klopt dat. "
            "Een breed interval is geen slecht resultaat. "
            "Het betekent dat er weinig antwoorden zijn. "
            "Of twee cijfers echt verschillen, ziet u niet aan de intervallen. "
            "Dat zegt de toets: kijk naar de pijl en de q-waarde.",
        ),
        (
            "Wat is n?",
            "De letter n is het aantal mensen waarop een cijfer rust. "
            "Dat zijn de mensen die de vraag met een echt antwoord beantwoordden. "
            "Hoe groter n is, hoe zekerder het cijfer. "
            "Vergelijken we twee groepen? Dan beslist de kleinste groep of er een cijfer staat.",
        ),
        (
            "Wat zijn een rapportcijfer en een themascore?",
            "Bij het rapportcijfer ziet u het gemiddelde, van 1 tot 10. "
            "U ziet ook hoeveel procent een 7 of hoger gaf. "
            "Een themascore vat de vragen van één thema samen. "
            "Denk aan alle vragen over vindbaarheid. "
            "De score loopt van 0 tot 100. "
            "Helemaal niet mee eens telt als 0, neutraal als 50 en helemaal mee eens als 100. "
            "Nee telt als 0 en ja als 100. "
            "Een score van 70 ligt dus tussen neutraal en mee eens, dichter bij mee eens.",
        ),
        (
            "Welke antwoorden tellen niet mee?",
            "De antwoorden 'weet niet' en 'n.v.t.' zijn geen mening. "
            "Die tellen niet mee in het cijfer. "
            "Een vraag die iemand oversloeg, telt ook niet mee. "
            "Dat geldt ook voor een vraag die iemand niet kreeg. "
            "Alleen wie hulp had van een cliëntondersteuner, krijgt bijvoorbeeld vragen over die "
            "hulp. "
            f"Voor een themascore moet iemand {at_least} van de vragen van het thema echt "
            "beantwoorden. "
            f"Bij een thema van drie vragen zijn dat er {of_three}. "
            "Anders telt die persoon niet mee voor die score. "
            "De antwoorden die niet meetellen, tellen we wel apart.",
        ),
        (
            "Wat betekent 'groter dan toeval'?",
            "Bij elke meting vragen we andere mensen. "
            "Daardoor verschillen de cijfers altijd een beetje. "
            "Dat gebeurt ook als er niets veranderd is. "
            "Dat verschil komt door toeval. "
            "Staat er dat een verschil groter is dan toeval? "
            "Dan is het verschil zo groot dat toeval het waarschijnlijk niet verklaart. "
            "Staat er 'niet duidelijk anders'? "
            "Dan kunnen we het verschil niet van toeval onderscheiden. "
            "Dat bewijst niet dat er niets veranderd is.",
        ),
        (
            "Wat is de q-waarde?",
            "Op het dashboard staan veel cijfers tegelijk, wel dertig. "
            "Als we zoveel cijfers tegelijk toetsen, lijken er altijd wel een paar veranderd. "
            "Dat komt dan alleen door toeval. "
            "De q-waarde houdt daar rekening mee. "
            "We berekenen hem met de methode van Benjamini en Hochberg. "
            "Die methode legt de lat hoger als er meer cijfers tegelijk zijn. "
            f"Is de q-waarde kleiner dan {level}? "
            "Dan noemen we een verschil groter dan toeval. "
            f"Van zulke verschillen is gemiddeld hooguit {_percent(s.significance)} toeval.",
        ),
        (
            "Wat betekenen ▲, ▼ en =?",
            "In het overzicht staat bij elk cijfer een teken. "
            "▲ betekent duidelijk hoger. "
            "▼ betekent duidelijk lager. "
            "= betekent niet duidelijk anders. "
            "– betekent dat er geen cijfer is. "
            f"Duidelijk wil zeggen: de q-waarde is kleiner dan {level}. "
            "Bij een verandering gaat het om de latere meting tegenover de eerdere. "
            "Bij de andere koplopers gaat het om uw koploper tegenover de anderen.",
        ),
        (
            "Wat is de effectgrootte?",
            "De effectgrootte zegt hoe groot een verschil is. "
            "Dat is iets anders dan de vraag of het groter is dan toeval. "
            "Met veel antwoorden is ook een klein verschil al snel groter dan toeval. "
            "Met weinig antwoorden kan een groot verschil toch onzeker blijven. "
            "Een effectgrootte van ongeveer 0,2 is klein. "
            "Ongeveer 0,5 is middelgroot en 0,8 is groot. "
            "Een min-teken betekent dat het cijfer lager is.",
        ),
        (
            "Wat betekent 'indicatief'?",
            f"Rust een cijfer op minder dan {s.indicative_n} antwoorden? "
            "Dan staat er 'indicatief' bij. "
            "Het cijfer geeft dan een eerste beeld. "
            "Het interval is vaak breed. "
            "Trek er daarom geen harde conclusies uit.",
        ),
        (
            "Waarom staat er soms geen cijfer?",
            f"Rust een cijfer op minder dan {s.min_n} antwoorden? "
            "Dan laten we het niet zien. "
            "U ziet alleen hoeveel antwoorden er waren en waarom er geen cijfer staat. "
            "Zo kan niemand zien wie wat antwoordde. "
            "Soms verbergen we ook een tweede cijfer. "
            "Dat heet aanvullende onderdrukking. "
            "Een voorbeeld: u kent het totaal en alle groepen op één na. "
            "Dan kunt u die ene groep uitrekenen door af te trekken. "
            "Daarom verbergen we dan ook een andere groep. "
            "Soms mochten mensen meer dan één antwoord kiezen. "
            f"Vallen er dan maar een paar mensen buiten een groep (minder dan {s.min_n})? "
            "Dan verbergen we die groep ook. "
            "Dit geldt overal: in tabellen, grafieken, downloads en het rapport.",
        ),
        (
            "Hoe werkt de vergelijking met andere koplopers?",
            "Naast de cijfers van uw koploper staan twee vergelijkingen. "
            "De eerste is met alle andere koplopers samen. "
            "De tweede is met de andere koplopers uit uw eigen cohort. "
            "Een cohort is de groep koplopers die in hetzelfde jaar begon. "
            "Uw eigen koploper telt in die groepen niet mee. "
            "Zo vergelijkt u uw koploper niet met zichzelf. "
            "We vergelijken altijd cijfers van dezelfde meting. "
            "De andere koplopers ziet u alleen samen, zonder namen. "
            "Elk antwoord telt één keer, dus grote koplopers tellen zwaarder mee.",
        ),
        (
            "Wat als een vraag anders gesteld is?",
            "Soms is een vraag in een latere meting anders gesteld. "
            "Dan staat dat bij het cijfer. "
            "Andere woorden kunnen andere antwoorden geven. "
            "Vergelijk die cijfers daarom voorzichtig.",
        ),
        (
            "Zijn de demogegevens echt?",
            "Nee. "
            "De demoversie van de monitor bevat verzonnen antwoorden. "
            "Ze zijn gemaakt om te laten zien hoe het dashboard werkt. "
            "Trek er dus geen conclusies uit over een gemeente.",
        ),
    ]


def methods(settings: Settings | None = None) -> list[Section]:
    """A short summary of METHODS.md for the report's appendix, with the current thresholds."""
    s = settings or load_indicators().settings
    confidence = s.level
    level = _level(s)
    at_least, _ = _theme_rule(s)
    return [
        (
            "Indicatoren",
            "Een indicator is een percentage of een gemiddelde. "
            "Bij een vraag met ja of nee is dat het percentage ja. "
            "Bij een stelling is het het percentage (helemaal) mee eens: de antwoorden 4 en 5 op "
            "een schaal van 1 tot 5, zoals in het cliëntervaringsonderzoek Wmo. "
            "Bij het rapportcijfer zijn het het gemiddelde en het percentage 7 of hoger. "
            "Een themascore is per persoon het gemiddelde van de vragen van een thema, op een "
            "schaal van 0 tot 100. "
            f"Iemand krijgt een themascore als hij {at_least} van die vragen (naar boven afgerond) "
            "echt beantwoordde.",
        ),
        (
            "Wat niet meetelt",
            "'Weet niet' en 'n.v.t.' zijn geen mening en tellen niet mee in het cijfer. "
            "Vragen die niet beantwoord of niet gesteld zijn, tellen ook niet mee. "
            "Beide worden apart geteld.",
        ),
        (
            "Intervallen",
            f"Elk cijfer heeft een {confidence}-interval. "
            "Voor een percentage is dat het score-interval van Wilson, dat ook bij kleine "
            "aantallen klopt, en ook bij cijfers dicht bij nul of bij honderd procent. "
            "Voor een gemiddelde is het het t-interval.",
        ),
        (
            "Verandering tussen metingen",
            "Het dashboard behandelt elke meting als een aparte steekproef. "
            "Het verschil is de latere meting min de eerdere. "
            "Voor percentages: het hybride score-interval van Newcombe en de chi-kwadraattoets "
            "van Pearson zonder continuïteitscorrectie. "
            "Is een verwachte celwaarde kleiner dan 5, dan de exacte toets van Fisher. "
            "Voor gemiddelden: het interval en de toets van Welch, met de Mann-Whitney-toets "
            "ernaast als controle. "
            "De effectgrootte is Cohens h voor percentages en Hedges' g voor gemiddelden.",
        ),
        (
            "Veel toetsen tegelijk",
            "Omdat veel indicatoren tegelijk getoetst worden, geven we q-waarden volgens "
            "Benjamini en Hochberg. "
            "Voor een verandering zijn ze berekend over alle indicatoren van de koploper samen, "
            "van beide vragenlijsten. "
            "Voor de vergelijking met andere koplopers per meting en per vergelijkingsgroep. "
            f"Een verschil heet groter dan toeval als q kleiner is dan {level}: ▲ hoger, "
            "▼ lager, anders =.",
        ),
        (
            "Vergelijking met andere koplopers",
            "Elke koploper wordt in dezelfde meting vergeleken met alle andere koplopers samen en "
            "met de andere koplopers van het eigen cohort. "
            "De koploper zelf telt daarin niet mee, zodat de groepen onafhankelijk zijn. "
            "De antwoorden van de andere koplopers worden samengevoegd. "
            "Grote koplopers wegen daardoor zwaarder.",
        ),
        (
            "Kleine aantallen",
            f"Onder {s.min_n} antwoorden geven we geen cijfer, interval of toets. "
            f"Onder {s.indicative_n} antwoorden heet een cijfer indicatief. "
            "Bij een vergelijking beslist de kleinste groep. "
            "Aanvullende onderdrukking voorkomt dat iemand een verborgen cijfer uitrekent door "
            "af te trekken. "
            "Bij een subgroep met één antwoord, met 'niet ingevuld' als eigen groep, verbergen we "
            "de kleinste andere groep als er precies één groep verborgen is. "
            "Bij een subgroep met meer antwoorden verbergen we een groep als er "
            f"1 tot {s.min_n - 1} mensen buiten vallen. "
            "Hetzelfde geldt voor de tabellen over wie de vragenlijst invulde.",
        ),
        (
            "Eén rekenkern",
            "Het dashboard, de downloads en het rapport rekenen met dezelfde functies als de "
            "analyse-opdrachten van de Koplopermonitor. "
            "De database telt de antwoorden, daarna rekent de rekenkern. "
            "Wie de cijfers wil narekenen, vindt de methoden in de bronnen hieronder.",
        ),
        (
            "Bronnen",
            "\n".join(REFERENCES),
        ),
    ]


def methods_text(settings: Settings | None = None) -> str:
    """:func:`methods` as plain paragraphs: each title on its own line, a blank line between."""
    return "\n\n".join(f"{title}\n{text}" for title, text in methods(settings))
