"""The question-type table: every type has every entry, and the layers read it, not type names."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from surveys.definition import Item
from surveys.flow import is_unanswered
from surveys.types import QUESTION_TYPES, QuestionType
from surveys.validation import RULE_BUILDERS, RULES

ROOT = Path(__file__).resolve().parents[2]
TEXTS = {"nl": "Vraag?", "nl-eenvoudig": "Vraag?"}
ENTRIES = [field.name for field in dataclasses.fields(QuestionType)]


@pytest.mark.parametrize("qtype", QUESTION_TYPES.values(), ids=list(QUESTION_TYPES))
def test_every_type_in_the_table_has_every_entry(qtype: QuestionType) -> None:
    for entry in ENTRIES:
        value = getattr(qtype, entry)
        if entry == "fixed_scale":  # None is a real answer here: the definition lists options
            assert value is None or len(value) >= 2
        elif entry == "default_max_length":  # None is a real answer: no max_length at all
            assert value is None or value > 0
        else:
            assert value is not None, entry
    assert qtype.column in ("code", "number", "text")
    for function in ("accepts", "blank", "store", "load", "encode", "decode"):
        assert callable(getattr(qtype, function)), function
    assert qtype.rules and set(qtype.rules) <= set(RULE_BUILDERS) <= set(RULES)
    assert qtype.type_message.endswith(".") and qtype.blank_hint.endswith(".")
    assert (qtype.default_max_length is not None) == (qtype.column == "text")


SAMPLES: dict[str, list[Any]] = {
    "single_choice": [1, 9],
    "multiple_choice": [[1], [2, 5], (3, 1)],
    "agreement": [1, 5, 9],
    "yes_no": [0, 1],
    "grade": [1, 10],
    "number": [0, 3, 2.5, 0.1, -12.25, 10**6, 1e-7],
    "text": ["Prima.", "=1+1", "'s avonds", "  spaties  ", "a;b,c\nd", "é" * 1000],
}


def test_every_type_has_samples() -> None:
    assert set(SAMPLES) == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    ("name", "value"), [(n, v) for n, vs in SAMPLES.items() for v in vs], ids=repr
)
def test_an_answer_survives_storing_and_the_interchange_codec(name: str, value: Any) -> None:
    qtype = QUESTION_TYPES[name]
    expected = sorted(value) if qtype.multiple else value
    assert qtype.accepts(value) and not qtype.unanswered(value)
    assert qtype.load(qtype.store(value)) == expected
    assert qtype.decode(qtype.encode(value)) == expected


@pytest.mark.parametrize("name", QUESTION_TYPES)
@pytest.mark.parametrize("value", [None, [], (), "", "   ", 0, 0.0, "0", [0]])
def test_one_notion_of_unanswered_on_the_page_and_in_the_table(name: str, value: Any) -> None:
    qtype = QUESTION_TYPES[name]
    options = [] if qtype.fixed_scale or not qtype.coded else [{"code": 1, "label": TEXTS}]
    item = Item(key="x", type=name, theme="profile", text=TEXTS, options=options)
    assert (
        is_unanswered(item, value)
        == item.is_unanswered(value)
        == QUESTION_TYPES[name].unanswered(value)
    )


LAYERS = [
    "surveys/validation.py",
    "surveys/interchange.py",
    "surveys/codebook.py",
    "surveys/versions.py",
    "db/responses.py",
    "db/export.py",
    "measures/responses.py",
    "measures/indicators.py",
    "measures/scoring.py",
]


def _type_names_compared(tree: ast.AST) -> list[str]:
    """Type names in comparisons (``t == "number"``, ``t in {"grade", …}``) and as dict keys."""
    names = set(QUESTION_TYPES)

    def constants(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and node.value in names:
            return [node.value]
        if isinstance(node, ast.Set | ast.Tuple | ast.List):
            return [name for element in node.elts for name in constants(element)]
        return []

    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += constants(side)
        elif isinstance(node, ast.Dict):
            found += [name for key in node.keys if key is not None for name in constants(key)]
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Set):
            found += constants(node.value)
    return found


@pytest.mark.parametrize("path", LAYERS)
def test_check_storage_codec_and_measures_never_branch_on_a_type_name(path: str) -> None:
    found = _type_names_compared(ast.parse((ROOT / path).read_text(encoding="utf-8")))
    assert not found, f"{path} branches on question type names: {found}"


def test_the_branch_detector_finds_the_old_shape() -> None:
    old = 'if item.type == "number": pass\nMEAN = {"grade", "number"}\nx = t in ("text",)'
    assert sorted(_type_names_compared(ast.parse(old))) == ["grade", "number", "number", "text"]
