"""The words of the monitor, each defined once with every label: waves, registers, channels,
questionnaires, themes and goals, reference groups, directions of a change, and the wording of
withheld figures.

Every layer and every output (pages, downloads, exports, the council report, commands) takes its
Dutch labels from here, so a wave or a channel is called the same everywhere.
``tests/surveys/test_vocabulary.py`` fails when another module spells one of them out again.

The numbers of channels and registers are stored: a response pack's head holds them
(``db.packs``) and the engine's ``channel`` and ``language`` columns use the same numbers. They
must never change; a new channel or register gets the next number.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- koplopers -----------------------------------------------------------------------------------

KOPLOPER_KINDS = {"gemeente": "Gemeente", "regio": "Regio"}
"""What a koploper is (``koplopers.kind``, stored): a municipality, or a region of several."""

# --- waves ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    """A wave of the two-year programme: T0 at the cohort's start, then a follow-up each year.

    ``short`` is the name in a sentence ('bij de nulmeting'), ``long`` the name with its moment
    (Veldwerk, the reference data).
    """

    code: str
    number: int
    short: str
    long: str
    months: int
    """Months after the cohort's start that its fieldwork begins."""

    @property
    def kind(self) -> str:
        """'baseline' for T0, 'follow_up' for a later wave."""
        return "baseline" if self.number == 0 else "follow_up"

    @property
    def name(self) -> str:
        """'de nulmeting', 'de eerste vervolgmeting'."""
        return f"de {self.short}"

    @property
    def title(self) -> str:
        """'Nulmeting', 'Eerste vervolgmeting' (a label, a column header)."""
        return self.short[:1].upper() + self.short[1:]


WAVES = (
    Wave("T0", 0, "nulmeting", "Nulmeting (start)", 0),
    Wave("T1", 1, "eerste vervolgmeting", "Eerste vervolgmeting (na 1 jaar)", 12),
    Wave("T2", 2, "tweede vervolgmeting", "Tweede vervolgmeting (na 2 jaar)", 24),
)
"""The planned waves of every koploper (``db.reference``). T2 is the second follow-up, not an
'eindmeting': the programme measures a baseline and follow-ups over its two years, and the
dashboard compares any two of them."""
WAVE_KINDS = {"baseline": "Nulmeting", "follow_up": "Vervolgmeting"}
_BY_CODE = {wave.code: wave for wave in WAVES}
_LATER = ("derde", "vierde", "vijfde", "zesde")


def wave(code: str) -> Wave | None:
    """The wave of ``code``; a later follow-up (T3, T4, …) by its number; None for another."""
    if code in _BY_CODE:
        return _BY_CODE[code]
    number = int(code[1:]) if code[:1] == "T" and code[1:].isdigit() else 0
    if len(WAVES) <= number < len(WAVES) + len(_LATER):
        short = f"{_LATER[number - len(WAVES)]} vervolgmeting"
        long = f"{short[:1].upper()}{short[1:]} (na {number} jaar)"
        return Wave(code, number, short, long, 12 * number)
    return None


def wave_name(code: str) -> str:
    """'de nulmeting' for T0, 'de eerste vervolgmeting' for T1, …; 'meting X' for another code."""
    found = wave(code)
    return found.name if found else f"meting {code}"


def wave_title(code: str) -> str:
    """'Nulmeting' for T0, 'Eerste vervolgmeting' for T1, … (a label, without 'de')."""
    name = wave_name(code).removeprefix("de ")
    return name[:1].upper() + name[1:]


def wave_with_code(code: str) -> str:
    """'Nulmeting (T0)' (a choice, an export's cell); the code alone for an unknown wave."""
    return f"{wave_title(code)} ({code})" if wave(code) else code


# --- registers (languages) ------------------------------------------------------------------------

STANDARD = "nl"
EASY_READ = "nl-eenvoudig"


@dataclass(frozen=True)
class Register:
    """A version of every questionnaire: standard Dutch at B1 level, or easy read (short
    sentences, one question per screen). ``code`` is stored (``responses.language``) and is the
    link's ``lang=``."""

    code: str
    number: int
    """In a response pack's head and the engine's ``language`` column (stored: never change)."""
    name: str
    """For staff: the dashboard's subgroup, Veldwerk, downloads and exports."""
    choice: str
    """For the respondent choosing a version, and beside a link on Veldwerk."""


REGISTERS = (
    Register(STANDARD, 1, "Standaard (B1)", "Standaard"),
    Register(EASY_READ, 2, "Makkelijk lezen", "Makkelijk lezen (korte zinnen, één vraag per keer)"),
)
LANGUAGES = tuple(register.code for register in REGISTERS)
"""The register codes, in the order of their numbers (a response pack's order)."""
LANGUAGE_NUMBERS = {register.code: register.number for register in REGISTERS}
LANGUAGE_LABELS = {register.number: register.name for register in REGISTERS}
REGISTER_NAMES = {register.code: register.name for register in REGISTERS}

# --- channels -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """How a response came in; ``code`` is stored (``responses.channel``)."""

    code: str
    number: int
    """In a response pack's head and the engine's ``channel`` column (stored: never change)."""
    name: str


CHANNELS = (
    Channel("web", 1, "Online"),
    Channel("paper", 2, "Op papier"),
    Channel("import", 3, "Ingelezen"),
    Channel("demo", 4, "Demo"),
)
OTHER_CHANNEL = 0
"""The number of a channel not listed here."""
CHANNEL_CODES = tuple(channel.code for channel in CHANNELS)
"""The channel codes, in the order of their numbers (a response pack's order)."""
CHANNEL_NUMBERS = {channel.code: channel.number for channel in CHANNELS}
CHANNEL_LABELS = {OTHER_CHANNEL: "Anders"} | {c.number: c.name for c in CHANNELS}
CHANNEL_NAMES = {channel.code: channel.name for channel in CHANNELS}

# --- a wave's way in ------------------------------------------------------------------------------

ACCESS = {
    "both": "Met een code of via de open link",
    "codes": "Alleen met een code uit een uitnodiging",
    "open": "Alleen via de open link",
}
"""How respondents get into a wave (``waves.access``): the stored code and its Dutch name."""
ACCESS_DEFAULT = "both"

# --- questionnaires -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """A built-in questionnaire by who fills it in."""

    survey: str
    """The questionnaire key (in the link, the database and the exports)."""
    name: str
    """Who fills it in (Dutch)."""
    file_part: str
    """In a QR code's file name."""


AUDIENCES = (
    Audience("client", "Inwoners en cliënten", "inwoners"),
    Audience("professional", "Cliëntondersteuners en verwijzers", "professionals"),
)
QUESTIONNAIRES = {audience.survey: audience.name for audience in AUDIENCES}

# --- invitations and response ---------------------------------------------------------------------

INVITEES = {"client": "inwoners", "professional": "cliëntondersteuners en verwijzers"}
"""Whom a questionnaire's invitation letters go to: '75 van de 200 uitgenodigde inwoners'."""
RESPONSE = "Respons"
"""The response rate: codes used out of codes sent (Veldwerk, Vergelijken, Excel, the report)."""
SENT, USED = "Verstuurd", "Gebruikt"
"""Invitation codes sent (those of batches not withdrawn, and the used ones of a withdrawn batch)
and used."""
WITH_CODE, OPEN_LINK = "Met een code", "Via de open link"
"""Responses by their way in: with an invitation code, or without one (no response rate)."""
LETTER_DAYS = {"letters": "brieven", "reminders": "herinnering"}
"""The marks of a letter day in responses per day (``db.response_rates`` kinds)."""

# --- themes and goals -----------------------------------------------------------------------------

THEMES = ("awareness", "findability", "quality", "outcome", "profile", "open")
"""The theme of a question (``theme:`` in a definition)."""
GOALS = {
    "awareness": "Bekendheid",
    "findability": "Vindbaarheid",
    "quality": "Kwaliteit",
    "outcome": "Effect",
    "profile": "Inzicht",
}
"""The programme's goals, in the order the dashboard, its downloads and the report show them,
keyed by the theme of the questions that measure them. The profile questions (who answered:
target group, age, who filled in, role) give the goal Inzicht, insight into who needs client
support; open questions belong to no goal and go only into the exports."""

# --- reference groups -----------------------------------------------------------------------------

OWN = "koploper"
OTHERS = "overige koplopers"
COHORT = "cohort"
"""The groups of a dashboard's figures (keys in its tables): the koploper itself, every other
koploper pooled, the other koplopers of its cohort pooled."""


@dataclass(frozen=True)
class ReferenceGroup:
    key: str
    name: str
    """A row or a legend: 'Overige koplopers'."""
    phrase: str
    """In a sentence: 'de andere koplopers samen'."""
    where: str
    """Where a reason applies: 'te weinig antwoorden bij de overige koplopers'."""


REFERENCE_GROUPS = (
    ReferenceGroup(
        OTHERS, "Overige koplopers", "de andere koplopers samen", "bij de overige koplopers"
    ),
    ReferenceGroup(COHORT, "Eigen cohort", "de andere koplopers van het cohort", "bij het cohort"),
)
REFERENCE_NAMES = {group.key: group.phrase for group in REFERENCE_GROUPS}
REFERENCE_LABELS = {group.key: group.name for group in REFERENCE_GROUPS}
REFERENCE_WHERE = {group.key: group.where for group in REFERENCE_GROUPS}

# --- intervals -----------------------------------------------------------------------------------

INTERVAL = "{level}-interval"
"""An interval named with its level as set ('95\u00a0%-interval'): the level comes from the
``confidence`` setting (``measures.indicators.Settings.interval``), never written as a number."""

# --- the direction of a change --------------------------------------------------------------------

NO_ESTIMATE = "geen cijfer"
"""Where a figure is not shown (withheld, or no answers), in a table or a sentence."""
UP, DOWN, SAME, NONE = "▲", "▼", "=", "–"
DIRECTION_WORDS = {
    UP: "duidelijk hoger",
    DOWN: "duidelijk lager",
    SAME: "niet duidelijk anders",
    NONE: NO_ESTIMATE,
}


def direction_text(symbol: object) -> str:
    """'▲ duidelijk hoger': a direction's symbol never stands alone; anything that is not a
    direction (no figure, NaN) is '– geen cijfer'."""
    symbol = symbol if isinstance(symbol, str) and symbol in DIRECTION_WORDS else NONE
    return f"{symbol} {DIRECTION_WORDS[symbol]}"


# --- withheld figures -----------------------------------------------------------------------------

SUPPRESSED = "onderdrukt"
INDICATIVE = "indicatief"
"""The flags of a figure: withheld (too few answers), or shown with a reservation."""
FEWER_THAN = "minder dan {n}"
"""A count that is not shown: 'minder dan 10'."""
TOO_FEW_NOTE = "te weinig antwoorden"
"""A withheld figure's note in a table column ("Let op")."""
TOO_FEW = "te weinig antwoorden{where} (n = {n}, minimaal {min_n})"
TOO_FEW_HIDDEN = "te weinig antwoorden{where} (minder dan {min_n})"
"""The same in a published table, where the count itself is not shown."""
NO_ANSWERS = "geen antwoorden{where}"
NO_VALID_ANSWERS = "geen geldige antwoorden{where}: alleen 'weet niet / n.v.t.' of niet beantwoord"
INDICATIVE_REASON = "indicatief: minder dan {indicative_n} antwoorden{where} (n = {n})"
COMPLEMENT_REASON = (
    "onderdrukt om een kleine groep elders in deze tabel te beschermen (aanvullende onderdrukking)"
)
FEW_KOPLOPERS_REASON = (
    "niet getoond: te weinig andere koplopers om mee te vergelijken (minder dan {n}), "
    "hun cijfers zouden herkenbaar zijn"
)


def fewer_than(n: int) -> str:
    """'minder dan 10': a count below the publication limit ``n``."""
    return FEWER_THAN.format(n=n)


# --- the same people at two waves (a panel) ------------------------------------------------------

SAME_PEOPLE = "Dezelfde mensen"
"""The paired change of the panel respondents who answered at both waves."""
SAME_PEOPLE_WHERE = "bij dezelfde mensen"
"""Where a withheld paired figure's count is too small: 'te weinig antwoorden bij dezelfde
mensen (minder dan 10)'."""
SAME_PEOPLE_EXPLAINED = (
    "Bij dezelfde mensen vergelijken we alleen mensen die met een persoonlijke code bij allebei "
    "de metingen meededen: hun antwoord van de tweede keer naast hun eigen antwoord van de "
    "eerste keer."
)
"""The one B1 sentence that says what 'dezelfde mensen' means."""
PAIRS = "Paren"
"""The count of a paired figure: people who answered at both waves."""
PANEL_KEY = "panel_key"
PANEL_KEY_HEADER = "Panelsleutel"
PANEL_KEY_LABEL = "Panelsleutel (dezelfde persoon bij elke meting; leeg zonder panel)"
"""The export's column of the pseudonymous panel key: its name, its Dutch header, its label."""
