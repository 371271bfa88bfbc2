"""Checking the wide interchange format: bad files get Dutch messages naming line and column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from measures.errors import ResponsesError
from measures.indicators import IndicatorSet
from measures.responses import check_responses, read_responses_csv


def _problems(table: pd.DataFrame, indicators: IndicatorSet) -> str:
    with pytest.raises(ResponsesError) as refused:
        check_responses(table, indicators)
    return "\n".join(refused.value.problems)


def test_synthetic_responses_pass_the_check(wide: pd.DataFrame, indicators: IndicatorSet) -> None:
    responses = check_responses(wide, indicators)
    assert set(responses.questionnaires) == {"client", "professional"}
    assert responses.waves == ["T0", "T1"]
    assert len(responses.questionnaires["client"]) == 360


def test_a_code_outside_the_definition_is_named_by_line_and_column(indicators, frame) -> None:
    table = frame([{"knew_where": 4}, {"knew_where": 7}])
    problems = _problems(table, indicators)
    assert "regel 3, kolom 'knew_where' ('7')" in problems
    assert "wel: 1, 2, 3, 4, 5, 9" in problems


def test_a_grade_of_eleven_and_a_fractional_code_are_refused(indicators, frame) -> None:
    problems = _problems(frame([{"grade": 11}, {"grade": "7.5"}, {"grade": 8}]), indicators)
    assert "regel 2, kolom 'grade'" in problems and "regel 3, kolom 'grade'" in problems
    assert "regel 4" not in problems


def test_a_multiple_choice_answer_with_an_unknown_option_is_refused(indicators, frame) -> None:
    table = frame([{"target_group": "1;3"}, {"target_group": "2;8"}, {"target_group": "x"}])
    problems = _problems(table, indicators)
    assert "regel 3, kolom 'target_group' ('2;8')" in problems
    assert "regel 4, kolom 'target_group' ('x')" in problems


def test_multiple_choice_answers_become_bit_masks(indicators, frame) -> None:
    table = frame([{"target_group": "1;3"}, {"target_group": ""}, {"target_group": "7"}])
    codes = check_responses(table, indicators).questionnaires["client"].codes["target_group"]
    assert list(codes) == [2 + 8, 0, 128]


def test_an_unknown_column_is_refused(indicators, frame) -> None:
    problems = _problems(frame([{"knew_were": 4}]), indicators)
    assert "kolom 'knew_were'" in problems


def test_an_answer_in_a_column_of_the_other_questionnaire_is_refused(indicators, frame) -> None:
    table = frame([{"aware_oco": 1, "role": np.nan}, {"aware_oco": 1, "role": 3}])
    problems = _problems(table, indicators)
    assert "regel 3, kolom 'role'" in problems and "niet bij vragenlijst 'client'" in problems


def test_empty_columns_of_the_other_questionnaire_are_fine(indicators, frame) -> None:
    table = frame([{"aware_oco": 1, "role": "", "quality_grade": np.nan}])
    assert len(check_responses(table, indicators).questionnaires["client"]) == 1


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("wave", "nulmeting", "onbekende meting"),
        ("wave", "", "leeg"),
        ("koploper", "Regio Twente", "geen koploper-code"),
        ("questionnaire", "burgers", "onbekende vragenlijst"),
    ],
)
def test_bad_meta_data_is_named_by_line_and_column(
    indicators, column, value, message, frame
) -> None:
    table = frame([{"aware_oco": 1}, {"aware_oco": 0}])
    table.loc[1, column] = value
    problems = _problems(table, indicators)
    assert f"regel 3, kolom '{column}'" in problems and message in problems


def test_a_missing_required_column_is_refused(indicators, frame) -> None:
    problems = _problems(frame([{"aware_oco": 1}]).drop(columns="wave"), indicators)
    assert "kolom ontbreekt: wave" in problems


def test_a_file_with_only_a_header_is_refused(indicators, frame) -> None:
    assert "geen antwoorden" in _problems(frame([{"aware_oco": 1}]).iloc[:0], indicators)


def test_a_duplicate_response_id_is_refused(indicators, frame) -> None:
    table = frame([{"aware_oco": 1}, {"aware_oco": 0}])
    table.loc[1, "response_id"] = "r0"
    assert "regel 3, kolom 'response_id'" in _problems(table, indicators)


def test_a_panel_id_twice_in_one_wave_is_refused(indicators, frame) -> None:
    table = frame([{"aware_oco": 1, "panel_id": "p1"}, {"aware_oco": 0, "panel_id": "p1"}])
    assert "regel 3, kolom 'panel_id'" in _problems(table, indicators)


def test_many_problems_are_summarised_not_all_listed(indicators, frame) -> None:
    problems = _problems(frame([{"knew_where": 8}] * 100), indicators)
    assert problems.count("\n") <= 31 and "en nog" in problems


def test_a_semicolon_separated_file_with_a_bom_is_read(tmp_path: Path, indicators, frame) -> None:
    path = tmp_path / "antwoorden.csv"
    table = frame([{"aware_oco": 1, "target_group": "1;3"}, {"aware_oco": 9, "target_group": ""}])
    path.write_text(table.to_csv(sep=";", index=False), encoding="utf-8-sig")
    responses = check_responses(read_responses_csv(path), indicators)
    codes = responses.questionnaires["client"].codes
    assert list(codes["aware_oco"]) == [1.0, 9.0] and list(codes["target_group"]) == [10, 0]


def test_an_empty_or_absent_file_gets_a_dutch_message(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ResponsesError, match="leeg"):
        read_responses_csv(empty)
    with pytest.raises(ResponsesError, match="niet gevonden"):
        read_responses_csv(tmp_path / "bestaat-niet.csv")


def test_a_long_refused_cell_is_quoted_short_in_the_message(indicators: IndicatorSet) -> None:
    frame = pd.DataFrame(
        {
            "response_id": ["r1"],
            "koploper": ["almere"],
            "wave": ["T" + "9" * 300],
            "questionnaire": ["client"],
            "questionnaire_version": ["1"],
        }
    )
    with pytest.raises(ResponsesError) as refused:
        check_responses(frame, indicators)
    [line] = [p for p in refused.value.problems if "kolom 'wave'" in p]
    assert "T999" in line and "…" in line and len(line) < 150
