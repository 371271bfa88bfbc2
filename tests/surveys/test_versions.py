"""Versions of one questionnaire: a key keeps its meaning, a new wording is noted per version."""

from __future__ import annotations

import copy
from typing import Any

from surveys.definition import DEFINITIONS_DIR, Questionnaire, parse_definition, read_definition
from surveys.versions import meaning_changes, wording_changes

RAW = read_definition(DEFINITIONS_DIR / "client.yaml")[1]


def version(**changes: dict[str, Any]) -> Questionnaire:
    """The client definition with some items' fields replaced: ``knew_where={"type": ...}``."""
    raw = copy.deepcopy(RAW)
    for section in raw["sections"]:
        for item in section["items"]:
            item.update(changes.get(item["key"], {}))
    return parse_definition(raw, "client.yaml")


REWORDED = {"text": {"nl": "Wist ik waar ik moest zijn?", "nl-eenvoudig": "Wist u waar?"}}


def test_the_same_definition_changes_no_meaning_and_no_wording() -> None:
    assert meaning_changes({1: version()}, version()) == []
    changes = wording_changes({1: version(), 2: version()})
    assert set(changes) == {item.key for item in version().items}
    assert all(versions == [] for versions in changes.values())


def test_another_type_or_other_codes_under_the_same_key_is_a_change_of_meaning() -> None:
    [problem] = meaning_changes({1: version()}, version(knew_where={"type": "yes_no"}))
    assert "vraag 'knew_where'" in problem and "nieuwe sleutel" in problem
    [problem] = meaning_changes({1: version(), 2: version()}, version(used_oco={"dont_know": True}))
    assert "vraag 'used_oco'" in problem and "de codes zijn 0, 1, 9, in versie 1 0, 1" in problem


def test_new_labels_and_wording_keep_the_meaning() -> None:
    relabelled = copy.deepcopy(RAW)
    age = next(i for s in relabelled["sections"] for i in s["items"] if i["key"] == "age_group")
    age["options"][0]["label"]["nl"] = "Anders gezegd"
    new = parse_definition(relabelled, "client.yaml")
    assert meaning_changes({1: version()}, new) == []
    assert meaning_changes({1: version()}, version(knew_where=REWORDED)) == []


def test_wording_changes_name_the_versions_from_which_a_question_was_asked_differently() -> None:
    versions = {
        1: version(),
        2: version(knew_where=REWORDED),
        3: version(knew_where=REWORDED),
        4: version(),
    }
    changes = wording_changes(versions)
    assert changes["knew_where"] == [2, 4]
    assert changes["grade"] == []
