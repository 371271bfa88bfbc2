"""One vocabulary: every Dutch label of a wave, register, channel, questionnaire, goal, reference
group, direction or withheld figure is defined in surveys/vocabulary.py and nowhere else: not in
another module's strings, not in the report's templates."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from surveys import vocabulary as v

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("streamlit_app.py", "pages", "views", "reports", "measures", "db", "surveys")

CODES = {
    *v.CHANNEL_CODES,
    *v.LANGUAGES,
    *(wave.code for wave in v.WAVES),
    v.OWN,
    v.OTHERS,
    v.COHORT,
    *v.KOPLOPER_KINDS,
}
"""Keys, not labels: they may be written where data is matched ('demo', 'cohort')."""
OTHER_MEANINGS = {"Demo"}
"""A label that also names something else: 'Demo' is a column of Gebruikers (demo accounts)."""
WRONG = ("eindmeting",)
"""Names the vocabulary chose against: T2 is the second follow-up, not an 'eindmeting'."""
NOT_YET_MOVED: set[tuple[str, str]] = set()
"""(file, label) pairs let through for now; empty: every module takes its words from the
vocabulary."""
TEMPLATES = ("reports/templates",)


def labels() -> set[str]:
    """Every label the vocabulary defines."""
    found: set[str] = set()
    for wave in v.WAVES:
        found |= {wave.short, wave.long, wave.name, wave.title}
    for register in v.REGISTERS:
        found |= {register.name, register.choice}
    for group in v.REFERENCE_GROUPS:
        found |= {group.name, group.phrase}
    found |= set(v.CHANNEL_LABELS.values()) | set(v.QUESTIONNAIRES.values())
    found |= set(v.KOPLOPER_KINDS.values())
    found |= set(v.GOALS.values()) | set(v.WAVE_KINDS.values()) | set(v.DIRECTION_WORDS.values())
    found |= {v.NO_ESTIMATE, v.FEWER_THAN, v.COMPLEMENT_REASON, v.FEW_KOPLOPERS_REASON}
    found |= {v.TOO_FEW, v.NO_ANSWERS, v.NO_VALID_ANSWERS, v.INDICATIVE_REASON}
    return found - OTHER_MEANINGS


LABELS = {label.casefold(): label for label in labels()}


def redefined(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal in ``source`` that spells out a vocabulary label, a
    register code or a rejected name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value.strip()
        if text in CODES and text != v.EASY_READ:
            continue
        folded = text.casefold()
        if folded in LABELS or text == v.EASY_READ or any(word in folded for word in WRONG):
            found.append((node.lineno, text))
    return found


def product_files() -> list[Path]:
    files = []
    for part in PRODUCT:
        path = ROOT / part
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    vocabulary = ROOT / "surveys" / "vocabulary.py"
    return [f for f in files if "migrations" not in f.parts and f != vocabulary]


SETTING = re.compile(r"\b(minder dan|meer dan|minimaal|minstens) \d")
"""A limit of ``indicators.yaml`` written out as a number ('minder dan 30'): it comes from the
settings, so it changes with them."""


LEVEL = re.compile(r"\d\s*(&nbsp;)?%\s*-?\s*(betrouwbaarheids)?interval", re.IGNORECASE)
"""An interval's level written out ('95%-interval', '95&nbsp;%-interval'): it comes from the
``confidence`` setting (``Settings.interval``)."""


def levels_written(source: str, template: bool = False) -> list[tuple[int, str]]:
    """(line, text) of every string of Python ``source`` (docstrings aside), or every line of
    a ``template``, that writes an interval's level out as a number."""
    if template:
        lines = enumerate(source.splitlines(), start=1)
        return [(number, line.strip()) for number, line in lines if LEVEL.search(line)]
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and LEVEL.search(node.value)
    ]


def written_in_template(source: str) -> list[tuple[int, str]]:
    """(line, text) of every piece of a Jinja2 template's own text (between tags, outside
    ``{{ }}``, ``{% %}`` and ``{# #}``) that is a vocabulary label, or names a setting's
    limit as a number."""
    found = []
    plain = re.sub(
        r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", lambda m: "\n" * m[0].count("\n"), source, flags=re.S
    )
    for number, line in enumerate(plain.splitlines(), start=1):
        for piece in re.split(r"<[^>]*>", line):
            text = piece.strip()
            if text.casefold() in LABELS or text == v.EASY_READ or SETTING.search(text):
                found.append((number, text))
    return found


def test_no_module_spells_out_a_label_of_the_vocabulary_again():
    problems = []
    for path in product_files():
        name = path.relative_to(ROOT).as_posix()
        for line, text in redefined(path.read_text(encoding="utf-8")):
            if (name, text) not in NOT_YET_MOVED:
                problems.append(f"{name}:{line}: {text!r}")
    assert not problems, "defined in surveys/vocabulary.py already:\n" + "\n".join(problems)


def test_no_template_writes_out_a_label_or_a_setting():
    problems = []
    for folder in TEMPLATES:
        for path in sorted((ROOT / folder).glob("*.j2")):
            name = path.relative_to(ROOT).as_posix()
            for line, text in written_in_template(path.read_text(encoding="utf-8")):
                problems.append(f"{name}:{line}: {text!r}")
    assert not problems, "from surveys/vocabulary.py or the settings:\n" + "\n".join(problems)


def test_no_module_or_template_writes_the_level_of_an_interval_out():
    problems = []
    files = [*product_files(), *sorted((ROOT / "reports" / "templates").glob("*.j2"))]
    for path in files:
        source = path.read_text(encoding="utf-8")
        for line, text in levels_written(source, template=path.suffix == ".j2"):
            problems.append(f"{path.relative_to(ROOT).as_posix()}:{line}: {text}")
    assert not problems, "the level comes from the confidence setting:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        'HEADER = "95%-interval ondergrens"',
        'name = f"{name} (met 95 %-interval)"',
        'TEXT = "Het 90\\u00a0% betrouwbaarheidsinterval"',
    ],
)
def test_the_level_check_finds_a_level_written_out(source):
    assert levels_written(source)


def test_the_level_check_finds_it_in_a_template_and_lets_the_setting_pass():
    assert levels_written("<th>95&nbsp;%-interval</th>", template=True)
    assert not levels_written("<th>{{ i.interval }}</th>", template=True)
    assert not levels_written('"""Its 95 % interval."""\nHEADER = f"{settings.interval} onder"')


@pytest.mark.parametrize(
    "source",
    [
        "<th>Overige koplopers</th>",
        '<td class="x">{{ a }}</td><td>Eigen cohort</td>',
        "<p>* indicatief: minder dan 30 antwoorden.</p>",
        "{% if x %}\n<li>Nulmeting</li>{% endif %}",
    ],
)
def test_the_template_check_finds_a_label_or_a_limit(source):
    assert written_in_template(source)


def test_the_template_check_lets_filled_in_text_pass():
    source = (
        "{# Overige koplopers #}<th>{{ name }} (T1)</th><p>minder dan {{ n }} antwoorden</p>"
        "<p>{{ f.overview_note }}</p><h2>Overzicht per doel</h2>"
    )
    assert not written_in_template(source)


@pytest.mark.parametrize(
    "source",
    [
        'REGISTERS = {"nl": "Standaard (B1)", "nl-eenvoudig": "Eenvoudig"}',
        'LABEL = "Makkelijk lezen"',
        'WAVE = ("T2", "follow_up", "Eindmeting (na 2 jaar)", 24)',
        'NAMES = {"T0": "de nulmeting"}',
        'CHANNEL_LABELS = {2: "Op papier"}',
        'def text(n):\n    return "minder dan {n}".format(n=n)',
        'HEADERS = ["Teken", "Reden", "Overige koplopers", "Cohort"]',
        'def header(wave):\n    return f"Overige koplopers {wave}"',
        'WORDS = {"others": "overige koplopers", "cohort": "eigen cohort"}',
        'KINDS = {"gemeente": "Gemeente", "regio": "Regio"}',
    ],
)
def test_the_check_finds_a_label_written_out_again(source):
    assert redefined(source)


def test_the_check_lets_codes_and_other_words_pass():
    assert not redefined('CHANNEL = "demo"\nGROUP = "cohort"\nWAVE = "T2"\nTEXT = "Veldwerk"')


def test_stored_numbers_are_one_to_n_in_pack_order():
    # a response pack's head holds a channel's and a register's position + 1 (db.packs)
    assert [c.number for c in v.CHANNELS] == list(range(1, len(v.CHANNELS) + 1))
    assert [r.number for r in v.REGISTERS] == list(range(1, len(v.REGISTERS) + 1))
    assert v.OTHER_CHANNEL not in v.CHANNEL_NUMBERS.values()


def test_waves_have_one_name_in_every_form():
    t2 = v.wave("T2")
    assert (t2.short, t2.long, t2.name, t2.title, t2.kind) == (
        "tweede vervolgmeting",
        "Tweede vervolgmeting (na 2 jaar)",
        "de tweede vervolgmeting",
        "Tweede vervolgmeting",
        "follow_up",
    )
    assert v.wave("T0").kind == "baseline" and v.wave("T0").months == 0
    assert v.wave_name("T3") == "de derde vervolgmeting"
    assert v.wave_name("X1") == "meting X1" and v.wave("X1") is None
    assert v.wave_with_code("T1") == "Eerste vervolgmeting (T1)" and v.wave_with_code("X") == "X"
    assert [w.number for w in v.WAVES] == list(range(len(v.WAVES)))


def test_every_goal_is_a_theme_and_the_open_questions_are_none():
    assert set(v.GOALS) < set(v.THEMES)
    assert set(v.THEMES) - set(v.GOALS) == {"open"}
