"""The dashboard's words: goals, questionnaires, direction symbols and words, reference group
names, channels and registers, and why a small pool is not shown.

The figures themselves: ``measures.counts`` (counting), ``measures.pools`` (withholding small
groups), ``measures.figures`` (the figures of a view), ``measures.wording`` (words beside them).
"""

from __future__ import annotations

from measures.groups import COHORT, OTHERS

FEW_KOPLOPERS_REASON = (
    "niet getoond: te weinig andere koplopers om mee te vergelijken (minder dan {n}), "
    "hun cijfers zouden herkenbaar zijn"
)

GOALS = {
    "awareness": "Bekendheid",
    "findability": "Vindbaarheid",
    "quality": "Kwaliteit",
    "outcome": "Effect",
    "profile": "Inzicht",
}
"""The goals of the programme, in the order the dashboard shows them; 'profile' is 'Inzicht'."""
QUESTIONNAIRES = {
    "client": "Inwoners en cliënten",
    "professional": "Cliëntondersteuners en verwijzers",
}
UP, DOWN, SAME, NONE = "▲", "▼", "=", "–"
DIRECTION_WORDS = {
    UP: "duidelijk hoger",
    DOWN: "duidelijk lager",
    SAME: "niet duidelijk anders",
    NONE: "geen cijfer",
}
REFERENCE_NAMES = {
    OTHERS: "de andere koplopers samen",
    COHORT: "de andere koplopers van het cohort",
}


CHANNELS = {"web": 1, "paper": 2, "import": 3, "demo": 4}
"""The stored channels (``responses.channel``), as the page Veldwerk names them too."""
CHANNEL_LABELS = {0: "Anders", 1: "Online", 2: "Op papier", 3: "Ingelezen", 4: "Demo"}
LANGUAGES = {"nl": 1, "nl-eenvoudig": 2}
LANGUAGE_LABELS = {1: "Standaard (B1)", 2: "Makkelijk lezen"}
