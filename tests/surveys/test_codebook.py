"""The codebook beside an export: the exact definitions of the versions a file holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveys.codebook import (
    CodebookError,
    builtin_codebook,
    codebook_path,
    read_codebook,
    write_codebook,
)
from surveys.definition import DEFINITIONS_DIR, read_definition

CLIENT_RAW = read_definition(DEFINITIONS_DIR / "client.yaml")[1]


def test_the_codebook_lives_beside_the_data_file() -> None:
    assert codebook_path(Path("uit/antwoorden.csv")) == Path("uit/antwoorden.codebook.json")


def test_a_written_codebook_reads_back_as_the_same_definitions(tmp_path: Path) -> None:
    path = tmp_path / "a.codebook.json"
    write_codebook(path, [("client", 2, CLIENT_RAW), ("client", 1, CLIENT_RAW)])
    book = read_codebook(path)
    assert list(book) == [("client", 1), ("client", 2)] and book.versions("client") == [1, 2]
    assert book.get("client", 2).items == builtin_codebook().get("client", 1).items
    assert book.get("professional", 1) is None


def test_the_built_in_codebook_holds_each_definition_under_its_stated_version() -> None:
    assert list(builtin_codebook()) == [("client", 1), ("professional", 1)]


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "geen codeboek"),
        ({"format": "iets anders", "questionnaires": []}, "geen codeboek"),
        ({"format": "koplopermonitor-codebook", "format_version": 7, "questionnaires": []}, "7"),
        (
            {
                "format": "koplopermonitor-codebook",
                "format_version": 1,
                "questionnaires": [{"key": "client", "version": "een", "definition": {}}],
            },
            "geen versienummer",
        ),
        (
            {
                "format": "koplopermonitor-codebook",
                "format_version": 1,
                "questionnaires": [{"key": "client", "version": 1, "definition": {"key": "x"}}],
            },
            "verplicht veld ontbreekt",
        ),
        (
            {
                "format": "koplopermonitor-codebook",
                "format_version": 1,
                "questionnaires": [{"key": "other", "version": 1, "definition": CLIENT_RAW}],
            },
            "hoort niet bij vragenlijst 'other'",
        ),
    ],
)
def test_a_codebook_that_does_not_fit_is_refused_in_dutch(tmp_path, document, fragment) -> None:
    path = tmp_path / "kapot.codebook.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CodebookError) as refused:
        read_codebook(path)
    assert fragment in str(refused.value) and str(path) in str(refused.value)


def test_a_missing_or_unreadable_codebook_gets_a_dutch_message(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="niet gevonden"):
        read_codebook(tmp_path / "weg.codebook.json")
    broken = tmp_path / "half.codebook.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CodebookError, match="kan het codeboek niet lezen"):
        read_codebook(broken)
