"""Checking questionnaire definitions: every way a definition can be wrong gets a clear message."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from surveys.definition import (
    DefinitionError,
    builtin_paths,
    checksum,
    load_builtin,
    parse_definition,
    read_definition,
)
from surveys.types import QUESTION_TYPES


def texts(nl: str) -> dict[str, str]:
    return {"nl": nl, "nl-eenvoudig": nl}


def minimal() -> dict:
    return {
        "key": "demo",
        "audience": "client",
        "minutes": 5,
        "title": texts("Titel"),
        "intro": texts("Intro"),
        "sections": [
            {
                "key": "eerste",
                "title": texts("Eerste deel"),
                "items": [
                    {
                        "key": "aware_oco",
                        "type": "yes_no",
                        "theme": "awareness",
                        "dont_know": True,
                        "text": texts("Wist u dat?"),
                    },
                    {
                        "key": "age_group",
                        "type": "single_choice",
                        "theme": "profile",
                        "text": texts("Hoe oud?"),
                        "options": [
                            {"code": 1, "label": texts("Jong")},
                            {"code": 2, "label": texts("Oud")},
                        ],
                    },
                    {
                        "key": "grade",
                        "type": "grade",
                        "theme": "quality",
                        "text": texts("Cijfer?"),
                        "show_if": {"item": "aware_oco", "op": "eq", "value": 1},
                    },
                ],
            }
        ],
    }


def with_change(change) -> dict:
    raw = copy.deepcopy(minimal())
    change(raw)
    return raw


def items(raw: dict) -> list[dict]:
    return raw["sections"][0]["items"]


REJECTIONS = [
    (
        "unknown type",
        lambda r: items(r)[0].update(type="yesno"),
        "aware_oco",
        "onbekend type 'yesno'",
    ),
    (
        "duplicate key",
        lambda r: items(r)[1].update(key="aware_oco"),
        "aware_oco",
        "dubbele sleutel",
    ),
    (
        "duplicate option code",
        lambda r: items(r)[1]["options"].append({"code": 1, "label": texts("Nog eens")}),
        "age_group",
        "dubbele antwoordcode: 1",
    ),
    (
        "dont know colliding with an option code",
        lambda r: (
            items(r)[1].update(dont_know=True),
            items(r)[1]["options"].append({"code": 9, "label": texts("x")}),
        ),
        "age_group",
        "dubbele antwoordcode: 9",
    ),
    (
        "condition on an unknown item",
        lambda r: items(r)[2].update(show_if={"item": "nothing", "op": "eq", "value": 1}),
        "grade",
        "verwijst naar 'nothing'",
    ),
    (
        "condition on a later item",
        lambda r: items(r)[0].update(show_if={"item": "grade", "op": "ge", "value": 6}),
        "aware_oco",
        "verwijst naar 'grade', die niet eerder",
    ),
    (
        "condition on the item itself",
        lambda r: items(r)[1].update(show_if={"item": "age_group", "op": "eq", "value": 1}),
        "age_group",
        "verwijst naar 'age_group'",
    ),
    (
        "condition with a code the item does not have",
        lambda r: items(r)[2].update(show_if={"item": "aware_oco", "op": "eq", "value": 4}),
        "grade",
        "code 4",
    ),
    (
        "condition with an unknown operator",
        lambda r: items(r)[2].update(show_if={"item": "aware_oco", "op": "like", "value": 1}),
        "grade",
        "show_if",
    ),
    (
        "condition with a list for eq",
        lambda r: items(r)[2].update(show_if={"item": "aware_oco", "op": "eq", "value": [1]}),
        "grade",
        "één waarde, geen lijst",
    ),
    (
        "missing easy-read text",
        lambda r: items(r)[0]["text"].pop("nl-eenvoudig"),
        "aware_oco",
        "Nederlandse tekst ontbreekt voor: nl-eenvoudig",
    ),
    (
        "empty standard text",
        lambda r: items(r)[1]["text"].update(nl="  "),
        "age_group",
        "ontbreekt voor: nl",
    ),
    (
        "missing option label",
        lambda r: items(r)[1]["options"][0]["label"].pop("nl"),
        "age_group",
        "ontbreekt voor: nl",
    ),
    (
        "unknown theme",
        lambda r: items(r)[0].update(theme="happiness"),
        "aware_oco",
        "onbekend thema",
    ),
    ("choice without options", lambda r: items(r)[1].pop("options"), "age_group", "antwoordopties"),
    (
        "options on a fixed scale",
        lambda r: items(r)[2].update(options=[{"code": 1, "label": texts("x")}]),
        "grade",
        "vaste antwoorden",
    ),
    ("dont know on a grade", lambda r: items(r)[2].update(dont_know=True), "grade", "weet niet"),
    (
        "exclusive option on a single choice",
        lambda r: items(r)[1]["options"][0].update(exclusive=True),
        "age_group",
        "alleen bij een meerkeuzevraag",
    ),
    ("unknown field", lambda r: items(r)[0].update(colour="red"), "aware_oco", "onbekend veld"),
    ("missing key", lambda r: items(r)[0].pop("key"), "vraag nr. 1", "verplicht veld ontbreekt"),
    ("bad key", lambda r: items(r)[0].update(key="Aware OCO"), "Aware OCO", "kleine letters"),
    ("empty section", lambda r: r["sections"][0].update(items=[]), "eerste", "items"),
]


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [pytest.param(change, where, problem, id=name) for name, change, where, problem in REJECTIONS],
)
def test_a_bad_definition_is_refused_naming_file_item_and_problem(change, where, problem):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(with_change(change), "demo.yaml")
    message = str(caught.value)
    assert message.startswith("demo.yaml")
    assert where in message
    assert problem in message


def test_the_minimal_definition_is_accepted_and_fixed_scales_are_filled_in():
    questionnaire = parse_definition(minimal(), "demo.yaml")
    assert questionnaire.item("aware_oco").allowed_codes == {0, 1, 9}
    assert questionnaire.item("aware_oco").missing_codes == {9}
    assert questionnaire.item("grade").allowed_codes == set(range(1, 11))


def test_broken_yaml_names_the_file_and_line(tmp_path: Path):
    path = tmp_path / "client.yaml"
    path.write_text("key: client\nsections: [\n  - {key: a\n", encoding="utf-8")
    with pytest.raises(
        DefinitionError, match=r"client\.yaml \(regel \d+, kolom \d+\): geen geldige"
    ):
        read_definition(path)


def test_a_file_whose_key_differs_from_its_name_is_refused(tmp_path: Path):
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(minimal(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError, match="bestandsnaam"):
        read_definition(path)


def test_a_top_level_list_is_not_a_questionnaire():
    with pytest.raises(DefinitionError, match="geen vragenlijst"):
        parse_definition([1, 2], "demo.yaml")


def test_the_checksum_ignores_layout_and_key_order_but_not_content():
    raw = minimal()
    reordered = dict(reversed(list(copy.deepcopy(raw).items())))
    assert checksum(raw) == checksum(reordered)
    changed = with_change(lambda r: items(r)[0]["text"].update(nl="Wist u het?"))
    assert checksum(raw) != checksum(changed)


FIXED_KEYS = {
    "client": {
        "aware_oco": "yes_no",
        "used_oco": "yes_no",
        "knew_where": "agreement",
        "quick_help": "agreement",
        "taken_seriously": "agreement",
        "solutions_together": "agreement",
        "grade": "grade",
    },
    "professional": {
        "role": "single_choice",
        "aware_offer": "agreement",
        "knows_how_refer": "agreement",
    },
}


@pytest.mark.parametrize("key", ["client", "professional"])
def test_the_shipped_definitions_keep_the_fixed_item_keys_and_types(key):
    questionnaire = load_builtin(key)
    for item_key, item_type in FIXED_KEYS[key].items():
        assert questionnaire.item(item_key).type == item_type


@pytest.mark.parametrize("key", ["client", "professional"])
def test_the_shipped_definitions_follow_the_coding_conventions(key):
    for item in load_builtin(key).items:
        assert item.type in QUESTION_TYPES
        if item.type == "agreement":
            assert item.allowed_codes - {9} == {1, 2, 3, 4, 5}
            assert item.label_of(1) == "Helemaal niet mee eens"
            assert item.label_of(5) == "Helemaal mee eens"
        if item.type == "yes_no":
            assert item.label_of(1) == "Ja" and item.label_of(0) == "Nee"
        if item.dont_know:
            assert item.label_of(9).startswith("Weet niet")
        assert item.text["nl"] and item.text["nl-eenvoudig"]


def test_a_definition_file_must_state_its_version(tmp_path: Path):
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(minimal(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError, match="demo.yaml: veld 'version' ontbreekt"):
        read_definition(path)
    path.write_text(yaml.safe_dump({**minimal(), "version": 3}), encoding="utf-8")
    assert read_definition(path)[0].version == 3


@pytest.mark.parametrize("version", [0, -1, "een"])
def test_a_version_is_a_positive_whole_number(version):
    with pytest.raises(DefinitionError, match="version"):
        parse_definition({**minimal(), "version": version}, "demo.yaml")


def test_the_checksum_leaves_the_version_number_out():
    assert checksum({**minimal(), "version": 2}) == checksum(minimal())


def test_every_built_in_definition_states_its_version():
    for path in builtin_paths():
        assert read_definition(path)[0].version >= 1
