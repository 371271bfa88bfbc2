"""How the versions of one questionnaire relate: a key means one thing, wordings may change.

An item key is what exports, analyses and comparisons between waves rely on, so it must mean the
same in every version: the same question type and the same answer codes (labels may be reworded).
A new wording of the question is allowed; ``wording_changes`` says from which versions an item was
asked differently, so a dashboard can say "vraag anders gesteld sinds T1".
"""

from __future__ import annotations

from collections.abc import Mapping

from surveys.definition import Questionnaire


def meaning_changes(earlier: Mapping[int, Questionnaire], new: Questionnaire) -> list[str]:
    """One Dutch line per item key that ``new`` gives another type or other codes than before.

    ``earlier`` maps version numbers to the stored definitions of the same questionnaire.
    """
    problems: list[str] = []
    for item in new.items:
        for version, old in sorted(earlier.items()):
            try:
                before = old.item(item.key)
            except KeyError:
                continue
            if before.type != item.type:
                change = f"het type is '{item.type}', in versie {version} '{before.type}'"
            elif before.allowed_codes != item.allowed_codes:
                old_codes = ", ".join(map(str, sorted(before.allowed_codes)))
                new_codes = ", ".join(map(str, sorted(item.allowed_codes)))
                change = f"de codes zijn {new_codes}, in versie {version} {old_codes}"
            else:
                continue
            problems.append(
                f"vragenlijst '{new.key}', vraag '{item.key}': {change}. Een sleutel betekent in "
                "elke versie hetzelfde; geef deze vraag een nieuwe sleutel."
            )
            break
    return problems


def wording_changes(versions: Mapping[int, Questionnaire]) -> dict[str, list[int]]:
    """Per item key, the versions from which its question text (either register) changed.

    Compares each version with the latest earlier version that has the key; a key that is asked
    the same way throughout maps to an empty list.
    """
    changes: dict[str, list[int]] = {}
    last_text: dict[str, dict[str, str]] = {}
    for version, questionnaire in sorted(versions.items()):
        for item in questionnaire.items:
            previous = last_text.get(item.key)
            changes.setdefault(item.key, [])
            if previous is not None and previous != item.text:
                changes[item.key].append(version)
            last_text[item.key] = item.text
    return changes
