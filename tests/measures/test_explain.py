"""'Hoe lees ik dit?' and the methods summary: the settings' thresholds, plain text, short
sentences, every term the dashboard uses explained, and the same methods as METHODS.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from measures.explain import REFERENCES, explanation, methods, methods_text
from measures.indicators import Settings, load_indicators
from measures.sentences import INDICATIVE_NOTE, MORE_THAN_CHANCE
from surveys.vocabulary import COMPLEMENT_REASON, DIRECTION_WORDS, DOWN, INDICATIVE, NONE, SAME, UP

METHODS_FILE = Path(__file__).resolve().parents[2] / "METHODS.md"
OTHER = Settings(
    min_n=5, indicative_n=50, confidence=0.9, theme_min_answered_share=0.75, significance=0.01
)
MARKUP_CHARACTERS = set("*_#`[]<>|~{}\\&")
MARKUP_LINE_START = re.compile(r"^\s*(?:[-+=>#]|\d+[.)])\s")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-ZÀ-Ý0-9▲▼=–'(])")


def sentences(text: str) -> list[str]:
    """Sentences of a text: split after . ? ! where the next word starts a sentence, so an
    abbreviation such as 'n.v.t.' inside a sentence does not end it."""
    return [part for part in SENTENCE_END.split(text.strip()) if part]


def words(sentence: str) -> int:
    return len(sentence.split())


def spaced(text: str) -> str:
    """The text with its non-breaking spaces ('95\u00a0%') read as spaces."""
    return text.replace("\u00a0", " ")


def everything(sections: list[tuple[str, str]]) -> str:
    return spaced("\n".join(f"{title}\n{text}" for title, text in sections))


def test_the_sentence_splitter_keeps_abbreviations_inside_a_sentence() -> None:
    text = "Het antwoord 'n.v.t.' telt niet mee. Is q kleiner dan 0,05? ▲ betekent hoger."
    assert sentences(text) == [
        "Het antwoord 'n.v.t.' telt niet mee.",
        "Is q kleiner dan 0,05?",
        "▲ betekent hoger.",
    ]


def test_without_settings_the_registry_thresholds_are_used() -> None:
    settings = load_indicators().settings
    assert explanation() == explanation(settings)
    assert methods() == methods(settings)


def test_the_default_thresholds_appear_as_the_settings_say() -> None:
    text = everything(explanation(load_indicators().settings))
    assert "minder dan 10 antwoorden" in text
    assert "minder dan 30 antwoorden" in text
    assert "95 %-interval" in text
    assert "in 95 van de 100 keer" in text
    assert "kleiner dan 0,05" in text
    assert "hooguit 5 % toeval" in text
    assert "minstens de helft" in text
    assert "Bij een thema van drie vragen zijn dat er twee." in text


def test_other_settings_change_the_text() -> None:
    text = everything(explanation(OTHER))
    assert "minder dan 5 antwoorden" in text
    assert "minder dan 50 antwoorden" in text
    assert "90 %-interval" in text
    assert "in 90 van de 100 keer" in text
    assert "kleiner dan 0,01" in text
    assert "hooguit 1 % toeval" in text
    assert "minstens 75 %" in text
    assert "Bij een thema van drie vragen zijn dat er drie." in text
    for default in ("minder dan 10", "minder dan 30", "95 %", "0,05", "de helft"):
        assert default not in text


def test_other_settings_change_the_methods_summary() -> None:
    default = spaced(methods_text(load_indicators().settings))
    other = spaced(methods_text(OTHER))
    assert "Onder 10 antwoorden" in default and "Onder 30 antwoorden" in default
    assert "1 tot 9 mensen" in default and "95 %-interval" in default
    assert "Onder 5 antwoorden" in other and "Onder 50 antwoorden" in other
    assert "1 tot 4 mensen" in other and "90 %-interval" in other
    assert "kleiner is dan 0,01" in other and "minstens 75 %" in other


@pytest.mark.parametrize(
    "text", [everything(explanation()), methods_text()], ids=["uitleg", "methoden"]
)
def test_the_text_is_plain_no_markdown_and_no_html(text: str) -> None:
    assert not MARKUP_CHARACTERS & set(text)
    for line in text.splitlines():
        assert not MARKUP_LINE_START.match(line), line


def test_every_explanation_has_a_title_and_short_b1_sentences() -> None:
    sections = explanation()
    titles = [title for title, _ in sections]
    assert len(set(titles)) == len(titles) >= 12
    for title, text in sections:
        assert "\n" not in text, title
        found = sentences(text)
        assert len(found) >= 2, title
        lengths = [words(sentence) for sentence in found]
        assert sum(lengths) / len(lengths) <= 12, (title, lengths)
        assert max(lengths) <= 18, (title, found[lengths.index(max(lengths))])


def test_the_methods_summary_keeps_its_sentences_readable() -> None:
    for title, text in methods():
        if title == "Bronnen":
            continue
        lengths = [words(sentence) for sentence in sentences(text)]
        assert sum(lengths) / len(lengths) <= 20, (title, lengths)
        assert max(lengths) <= 30, title


def test_the_reader_is_addressed_as_u() -> None:
    text = everything(explanation()).lower()
    assert re.search(r"\bu\b", text) and re.search(r"\buw\b", text)
    assert not re.search(r"\b(je|jij|jou|jouw)\b", text)


KEY_TERMS = {
    "percentage": ["percentage", "(helemaal) mee eens"],
    "interval": ["Het echte cijfer ligt waarschijnlijk tussen 51,3 % en 72,4 %."],
    "n": ["Wat is n?", "aantal mensen waarop een cijfer rust"],
    "theme score": ["themascore", "van 0 tot 100"],
    "left out of the base": ["'weet niet'", "'n.v.t.'", "oversloeg", "niet kreeg"],
    "more than chance": ["groter dan toeval", "niet duidelijk anders"],
    "q-value": ["q-waarde", "Benjamini en Hochberg", "veel cijfers tegelijk"],
    "effect size": ["effectgrootte", "0,2", "0,5", "0,8"],
    "indicative": ["'indicatief'"],
    "suppression": ["geen cijfer", "aanvullende onderdrukking", "af te trekken"],
    "benchmark": ["alle andere koplopers samen", "eigen cohort", "niet mee", "dezelfde meting"],
    "wording": ["anders gesteld"],
    "demo": ["demoversie", "verzonnen"],
}


@pytest.mark.parametrize("term", KEY_TERMS)
def test_each_key_term_is_explained(term: str) -> None:
    text = everything(explanation())
    for phrase in KEY_TERMS[term]:
        assert phrase in text, phrase


def test_the_dashboards_own_words_and_signs_are_explained() -> None:
    text = everything(explanation())
    for sign in (UP, DOWN, SAME, NONE):
        assert f"{sign} betekent" in text
    for meaning in (DIRECTION_WORDS[UP], DIRECTION_WORDS[DOWN], DIRECTION_WORDS[SAME]):
        assert meaning in text
    assert MORE_THAN_CHANCE.removeprefix("Dat verschil is ").rstrip(".") in text
    assert INDICATIVE in text and INDICATIVE in INDICATIVE_NOTE
    assert "aanvullende onderdrukking" in COMPLEMENT_REASON


def _normalised(text: str) -> str:
    return " ".join(text.replace("–", "-").split())


@pytest.mark.parametrize(
    "method",
    [
        "Wilson",
        "Newcombe",
        "Pearson",
        "Fisher",
        "Welch",
        "Mann-Whitney",
        "Benjamini",
        "Hochberg",
        "Cohen",
        "Hedges",
        "t-interval",
        "chi-kwadraat",
    ],
)
def test_each_method_the_summary_names_is_described_in_methods_md(method: str) -> None:
    assert method in _normalised(methods_text())
    assert method in _normalised(METHODS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("reference", REFERENCES)
def test_each_reference_is_listed_in_methods_md(reference: str) -> None:
    assert _normalised(reference) in _normalised(METHODS_FILE.read_text(encoding="utf-8"))
