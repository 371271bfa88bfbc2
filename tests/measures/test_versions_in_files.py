"""Measures checks every row against the questionnaire version it names."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from measures.cli import main
from surveys.codebook import write_codebook
from surveys.definition import DEFINITIONS_DIR, read_definition

RAW = read_definition(DEFINITIONS_DIR / "client.yaml")[1]


def version_2() -> dict[str, Any]:
    """Client version 2: one question more, 'contact_way' (single choice)."""
    raw = copy.deepcopy(RAW)
    raw["version"] = 2
    raw["sections"][-1]["items"].append(
        {
            "key": "contact_way",
            "type": "single_choice",
            "theme": "profile",
            "text": {"nl": "Hoe had u contact?", "nl-eenvoudig": "Hoe sprak u elkaar?"},
            "options": [
                {"code": 1, "label": {"nl": "Op bezoek", "nl-eenvoudig": "Bij mij thuis"}},
                {"code": 2, "label": {"nl": "Telefonisch", "nl-eenvoudig": "Aan de telefoon"}},
            ],
        }
    )
    return raw


def responses(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    table = pd.DataFrame(rows)
    table.insert(0, "response_id", [f"r{i}" for i in range(len(table))])
    table.insert(1, "koploper", "almere")
    table.insert(3, "questionnaire", "client")
    path = tmp_path / "antwoorden.csv"
    table.to_csv(path, index=False)
    return path


ROWS = [
    {"wave": "T0", "questionnaire_version": 1, "used_oco": 1, "knew_where": 4},
    {"wave": "T1", "questionnaire_version": 2, "used_oco": 0, "contact_way": 2},
]


def run(args: list[str], capsys) -> tuple[int, str]:
    code = main(["summary", *args], stdout=io.StringIO())
    return code, capsys.readouterr().err


def test_rows_of_two_versions_are_read_with_the_codebook_given(tmp_path, capsys) -> None:
    path = responses(tmp_path, ROWS)
    book = tmp_path / "elders.json"
    write_codebook(book, [("client", 1, RAW), ("client", 2, version_2())])
    code, error = run(["--responses", str(path), "--codebook", str(book)], capsys)
    assert code == 0, error


def test_without_a_codebook_a_version_the_built_in_definitions_lack_is_refused(
    tmp_path, capsys
) -> None:
    code, error = run(["--responses", str(responses(tmp_path, ROWS))], capsys)
    assert code == 2
    assert "regel 3, kolom 'questionnaire_version' ('2')" in error
    assert "de ingebouwde vragenlijsten (wel: 1)" in error


def test_an_answer_to_a_question_of_another_version_is_refused(tmp_path, capsys) -> None:
    rows = [{**ROWS[0], "contact_way": 1}, ROWS[1]]
    path = responses(tmp_path, rows)
    write_codebook(
        path.with_name("antwoorden.codebook.json"), [("client", 1, RAW), ("client", 2, version_2())]
    )
    code, error = run(["--responses", str(path)], capsys)
    assert code == 2
    assert "regel 2, kolom 'contact_way'" in error and "versie 1" in error


@pytest.mark.parametrize(("cell", "fragment"), [("", "leeg"), ("twee", "geen versienummer")])
def test_a_row_that_names_no_version_is_refused(tmp_path, capsys, cell, fragment) -> None:
    path = responses(tmp_path, [{**ROWS[0], "questionnaire_version": cell}])
    code, error = run(["--responses", str(path)], capsys)
    assert code == 2 and "regel 2, kolom 'questionnaire_version'" in error and fragment in error


def test_a_broken_codebook_exits_with_2_and_a_dutch_message(tmp_path, capsys) -> None:
    path = responses(tmp_path, ROWS[:1])
    book = tmp_path / "kapot.json"
    book.write_text("[]", encoding="utf-8")
    code, error = run(["--responses", str(path), "--codebook", str(book)], capsys)
    assert code == 2 and "geen codeboek van de Koplopermonitor" in error
