"""The codebook: the exact definitions of the questionnaire versions a file of responses holds.

``python -m db export --out responses.csv`` writes ``responses.codebook.json`` beside the data;
``python -m measures`` reads it, so every row is checked against the version it names. Without a
codebook the built-in definitions (``surveys/definitions/*.yaml``, each with its ``version``) are
the codebook, and a row naming another version cannot be checked.

The file is JSON: ``{"format": "koplopermonitor-codebook", "format_version": 1, "questionnaires":
[{"key": "client", "version": 1, "checksum": "…", "definition": {…}}, …], "columns":
{"panel_key": "…"}}``, the definition exactly as stored in the database; ``columns`` labels the
data's column that is neither in the interchange format nor a question (the panel key).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from surveys.definition import (
    DefinitionError,
    Questionnaire,
    builtin_paths,
    checksum,
    from_stored,
    read_definition,
)
from surveys.vocabulary import PANEL_KEY, PANEL_KEY_LABEL

FORMAT = "koplopermonitor-codebook"
FORMAT_VERSION = 1
SUFFIX = ".codebook.json"


class CodebookError(ValueError):
    """A codebook that cannot be used; ``problems`` holds one Dutch line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Codebook:
    """Checked definitions by (questionnaire key, version); ``source`` names it in messages."""

    definitions: dict[tuple[str, int], Questionnaire]
    source: str

    def get(self, key: str, version: int) -> Questionnaire | None:
        return self.definitions.get((key, version))

    def versions(self, key: str) -> list[int]:
        return sorted(v for k, v in self.definitions if k == key)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(sorted(self.definitions))


def codebook_path(data: Path | str) -> Path:
    """Where the codebook of a data file lives: ``responses.csv`` → ``responses.codebook.json``."""
    path = Path(data)
    return path.with_name(path.stem + SUFFIX)


def codebook_document(entries: Iterable[tuple[str, int, dict[str, Any]]]) -> dict[str, Any]:
    """The codebook of (key, version, stored definition) entries, ready for ``json.dump``;
    ``columns`` describes the data's column beside the interchange format's and the questions':
    the panel key (empty for a response without a panel)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "columns": {PANEL_KEY: PANEL_KEY_LABEL},
        "questionnaires": [
            {"key": key, "version": version, "checksum": checksum(raw), "definition": raw}
            for key, version, raw in sorted(entries, key=lambda entry: entry[:2])
        ],
    }


def write_codebook(path: Path, entries: Iterable[tuple[str, int, dict[str, Any]]]) -> None:
    text = json.dumps(codebook_document(entries), ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def parse_codebook(document: Any, source: str) -> Codebook:
    """Check a codebook already read from JSON; every definition is checked as on loading."""
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("questionnaires"), list)
    ):
        raise CodebookError([f"{source}: geen codeboek van de Koplopermonitor"])
    if document.get("format_version") != FORMAT_VERSION:
        raise CodebookError(
            [f"{source}: onbekende codeboekversie {document.get('format_version')!r}"]
        )
    definitions: dict[tuple[str, int], Questionnaire] = {}
    problems: list[str] = []
    for number, entry in enumerate(document["questionnaires"], start=1):
        where = f"{source}, vragenlijst nr. {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: geen vragenlijst")
            continue
        key, version, raw = entry.get("key"), entry.get("version"), entry.get("definition")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            problems.append(f"{where}: 'version' is geen versienummer")
            continue
        try:
            questionnaire = from_stored(raw) if isinstance(raw, dict) else None
        except DefinitionError as exc:
            problems += [f"{where}: {problem}" for problem in exc.problems]
            continue
        if questionnaire is None or questionnaire.key != key:
            problems.append(f"{where}: de definitie hoort niet bij vragenlijst {key!r}")
        elif (key, version) in definitions:
            problems.append(f"{where}: versie {version} van '{key}' staat er twee keer in")
        else:
            definitions[(key, version)] = questionnaire
    if problems:
        raise CodebookError(problems)
    return Codebook(definitions, source)


def read_codebook(path: Path | str) -> Codebook:
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CodebookError([f"{path}: codeboek niet gevonden"]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CodebookError([f"{path}: kan het codeboek niet lezen ({exc})"]) from None
    return parse_codebook(document, str(path))


@cache
def builtin_codebook() -> Codebook:
    """The built-in definitions, each under the version number its file states."""
    definitions = {}
    for path in builtin_paths():
        questionnaire, _ = read_definition(path)  # refuses a file without 'version'
        definitions[(questionnaire.key, int(questionnaire.version or 0))] = questionnaire
    return Codebook(definitions, "de ingebouwde vragenlijsten")
