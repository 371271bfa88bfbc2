"""Registering questionnaire versions: numbered as the file says; a key means one thing always."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from db.engine import get_sessionmaker
from db.models import QuestionnaireVersion
from db.questionnaires import register_definition, wording_changes_of
from db.setup import init_database
from surveys.definition import DEFINITIONS_DIR, DefinitionError, parse_definition, read_definition


def client_raw() -> dict[str, Any]:
    return copy.deepcopy(read_definition(DEFINITIONS_DIR / "client.yaml")[1])


def item(raw: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for s in raw["sections"] for i in s["items"] if i["key"] == key)


def changed(version: int, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    raw = client_raw()
    raw["version"] = version
    change(raw)
    return raw


def register(url: str, raw: dict[str, Any]) -> tuple[int, bool]:
    with get_sessionmaker(url).begin() as session:
        version, created = register_definition(session, parse_definition(raw, "client.yaml"), raw)
        return version.version, created


def reword(raw: dict[str, Any]) -> None:
    item(raw, "knew_where")["text"]["nl"] = "Ik wist waar ik terecht kon met mijn vraag."


def stored_versions(url: str) -> list[int]:
    with get_sessionmaker(url)() as session:
        query = select(QuestionnaireVersion.version).where(QuestionnaireVersion.key == "client")
        return sorted(session.scalars(query))


def test_a_definition_is_stored_under_the_version_its_file_states(database_url):
    init_database(database_url)
    assert register(database_url, changed(2, reword)) == (2, True)
    assert register(database_url, changed(2, reword)) == (2, False)
    assert stored_versions(database_url) == [1, 2]


def test_other_content_under_a_stored_version_number_is_refused_asking_to_raise_it(database_url):
    init_database(database_url)
    refusal = "versie 1 .* andere inhoud.*verhoog 'version' naar 2"
    with pytest.raises(DefinitionError, match=refusal):
        register(database_url, changed(1, reword))
    assert stored_versions(database_url) == [1]


def test_a_new_number_for_unchanged_content_is_refused(database_url):
    init_database(database_url)
    with pytest.raises(DefinitionError, match="dezelfde inhoud als opgeslagen versie 1"):
        register(database_url, changed(2, lambda raw: None))


def test_a_new_version_below_a_stored_one_is_refused(database_url):
    init_database(database_url)
    register(database_url, changed(3, reword))
    with pytest.raises(DefinitionError, match="versie 2 .* onder een opgeslagen versie"):
        register(database_url, changed(2, lambda raw: item(raw, "grade").update(required=True)))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda raw: item(raw, "knew_where").update(type="yes_no"), "het type is 'yes_no'"),
        (lambda raw: item(raw, "knew_where").update(dont_know=False), "de codes zijn 1, 2, 3"),
        (
            lambda raw: item(raw, "age_group")["options"].pop(),
            "vraag 'age_group': de codes zijn",
        ),
        (
            lambda raw: item(raw, "target_group")["options"][0].update(code=8),
            "vraag 'target_group'",
        ),
    ],
    ids=["another type", "'weet niet' dropped", "an option less", "an option renumbered"],
)
def test_a_key_that_changes_its_type_or_codes_is_refused_asking_for_a_new_key(
    database_url, change, fragment
):
    init_database(database_url)
    with pytest.raises(DefinitionError) as refused:
        register(database_url, changed(2, change))
    assert fragment in str(refused.value) and "geef deze vraag een nieuwe sleutel" in str(
        refused.value
    )
    assert stored_versions(database_url) == [1]


def test_new_labels_and_a_new_key_are_allowed(database_url):
    init_database(database_url)

    def relabel_and_add(raw: dict[str, Any]) -> None:
        item(raw, "age_group")["options"][0]["label"]["nl"] = "Onder de 18"
        raw["sections"][-1]["items"].append(
            {
                "key": "age_exact",
                "type": "number",
                "theme": "profile",
                "min": 0,
                "max": 120,
                "text": {"nl": "Hoe oud bent u?", "nl-eenvoudig": "Hoe oud bent u?"},
            }
        )

    assert register(database_url, changed(2, relabel_and_add)) == (2, True)


def test_wording_changes_are_recorded_per_version(database_url):
    init_database(database_url)
    register(database_url, changed(2, lambda raw: item(raw, "grade").update(required=True)))
    register(database_url, changed(3, reword))
    with get_sessionmaker(database_url)() as session:
        changes = wording_changes_of(session, "client")
    assert changes["knew_where"] == [3]
    assert changes["grade"] == [] and changes["aware_oco"] == []


def test_a_database_numbered_before_files_carried_numbers_gets_the_next_free_number(database_url):
    init_database(database_url)
    legacy = client_raw()
    del legacy["version"]
    reword(legacy)
    with get_sessionmaker(database_url).begin() as session:
        session.add(
            QuestionnaireVersion(
                key="client",
                version=2,
                audience="client",
                title="oud",
                definition=legacy,
                checksum="legacy",
            )
        )
    raw = changed(2, lambda raw: item(raw, "grade").update(required=True))
    assert register(database_url, raw) == (3, True)
