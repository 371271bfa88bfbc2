"""Measures refuses a row exactly when the respondent check refuses the same answers.

A row of interchange cells is drawn as a respondent (or a broken file) might give it: allowed
answers, blanks, and corrupted cells (unknown codes, "geen van deze" with another answer, a code
twice, numbers out of range, fractions, words, texts too long or with unstorable characters,
answers to questions that are not asked, required questions left open). The respondent check sees
the answers the codec reads from the cells; measures reads the one-row file. Both must agree.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.cli import main
from measures.errors import ResponsesError
from measures.indicators import load_indicators
from measures.responses import check_responses, read_responses_csv
from surveys.definition import Item, Questionnaire, load_builtin
from surveys.interchange import decode_answers
from surveys.validation import validate_response

INDICATORS = load_indicators()
QUESTIONNAIRES = {key: load_builtin(key) for key in ("client", "professional")}
TEXT = st.text(st.sampled_from(list("ab é=+-@'\";,\n\t")), min_size=1, max_size=12)


def good_cell(item: Item) -> st.SearchStrategy[str]:
    """The cell of an acceptable answer, written by the codec."""
    qtype = item.qtype
    codes = sorted(item.allowed_codes)
    if qtype.multiple:
        alone = [o.code for o in item.options if o.exclusive]
        combinable = [c for c in codes if c not in alone]
        value = st.lists(st.sampled_from(combinable), min_size=1, unique=True)
        if alone:
            value |= st.sampled_from(alone).map(lambda code: [code])
    elif qtype.coded:
        value = st.sampled_from(codes)
    elif qtype.quantity:
        value = st.integers(int(item.min or 0), int(item.max or 100)) | st.floats(
            item.min, item.max, allow_nan=False, allow_infinity=False
        )
    else:
        value = TEXT.filter(str.strip)
    return value.map(qtype.encode)


def bad_cell(item: Item) -> st.SearchStrategy[str]:
    """A cell no answer to this question may hold, or one that is only sometimes allowed."""
    codes = sorted(item.allowed_codes)
    qtype = item.qtype
    if qtype.multiple:
        alone = [o.code for o in item.options if o.exclusive]
        together = [f"{codes[0]};{code}" for code in alone if code != codes[0]]
        return st.sampled_from([f"{codes[0]};{codes[0]}", "1;;2", "x", "99", "1,2", *together])
    if qtype.coded:
        return st.sampled_from(["7", "0", "11", "-1", "4.5", "ja", "1;2", "99"])
    if qtype.quantity:
        return st.sampled_from(["150", "-1", "100", "nan", "inf", "veel", "1e400", "99.5"])
    limit = item.max_length or 1000
    return st.sampled_from(["a" * (limit + 1), "=" * limit, " " * (limit + 1), "a\x00b"])


@st.composite
def rows(draw: st.DrawFn, questionnaire: Questionnaire) -> dict[str, str]:
    """Cells question by question; mostly as a respondent would, now and then broken."""
    cells: dict[str, str] = {}
    given: dict[str, Any] = {}
    for item in questionnaire.items:
        shown = item.show_if is None or item.show_if.evaluate(given)
        kind = draw(
            st.sampled_from(
                ["good"] * 6 + ["blank"] * 2 + ["bad"] if shown else ["blank"] * 7 + ["good", "bad"]
            )
        )
        cells_of = {"good": good_cell, "bad": bad_cell}
        cell = "" if kind == "blank" else draw(cells_of[kind](item))
        cells[item.key] = cell
        value = item.qtype.decode(cell) if cell else None
        if shown and not item.is_unanswered(value):
            given[item.key] = value
    return cells


def respondent_accepts(questionnaire: Questionnaire, cells: dict[str, str]) -> bool:
    answers = decode_answers(questionnaire.items, cells)
    return validate_response(questionnaire, answers) == []


def one_row(key: str, cells: dict[str, str]) -> pd.DataFrame:
    meta = {
        "response_id": "r1",
        "koploper": "almere",
        "wave": "T0",
        "questionnaire": key,
        "questionnaire_version": "1",
    }
    return pd.DataFrame([{**meta, **cells}], dtype=object)


def measures_accepts(frame: pd.DataFrame) -> bool:
    try:
        check_responses(frame, INDICATORS)
    except ResponsesError:
        return False
    return True


def file_accepts(frame: pd.DataFrame) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "een-regel.csv"
        frame.to_csv(path, index=False, encoding="utf-8")
        return measures_accepts(read_responses_csv(path))


@pytest.mark.parametrize("key", QUESTIONNAIRES)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_measures_accepts_a_row_exactly_when_the_respondent_check_does(key, data) -> None:
    questionnaire = QUESTIONNAIRES[key]
    cells = data.draw(rows(questionnaire), label="cells")
    expected = respondent_accepts(questionnaire, cells)
    frame = one_row(key, cells)
    assert measures_accepts(frame) == expected
    if not any("\x00" in cell for cell in cells.values()):  # a CSV file cannot hold NUL
        assert file_accepts(frame) == expected


def _compare(tmp_path: Path, bad: dict[str, Any], capsys) -> tuple[int, str]:
    rows = [
        {"wave": "T0", "used_oco": 1, "knew_where": 4},
        {"wave": "T1", "used_oco": 1, "knew_where": 5},
        {"wave": "T1", **bad},
    ]
    table = pd.DataFrame(rows)
    table.insert(0, "response_id", ["r1", "r2", "r3"])
    table.insert(1, "koploper", "almere")
    table.insert(3, "questionnaire", "client")
    table.insert(4, "questionnaire_version", 1)
    path = tmp_path / "antwoorden.csv"
    table.to_csv(path, index=False)
    args = ["compare", "--responses", str(path), "--baseline", "T0", "--followup", "T1"]
    code = main(args, stdout=io.StringIO())
    return code, capsys.readouterr().err


def test_an_answer_to_a_question_not_asked_is_refused_by_compare(tmp_path, capsys) -> None:
    bad = {"used_oco": 0, "knew_where": 5}
    assert not respondent_accepts(QUESTIONNAIRES["client"], {"used_oco": "0", "knew_where": "5"})
    code, error = _compare(tmp_path, bad, capsys)
    assert code == 2
    assert "regel 4, kolom 'knew_where' ('5')" in error and "niet gesteld" in error


def test_geen_van_deze_with_another_answer_is_refused_by_compare(tmp_path, capsys) -> None:
    cells = {"used_oco": "0", "target_group": "2;7"}
    assert not respondent_accepts(QUESTIONNAIRES["client"], cells)
    code, error = _compare(tmp_path, {"used_oco": 0, "target_group": "2;7"}, capsys)
    assert code == 2
    assert "regel 4, kolom 'target_group' ('2;7')" in error
    assert "Geen van deze" in error and "niet samen" in error


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"used_oco": ""}, "used_oco"),
        ({"used_oco": "1", "knew_where": "6"}, "knew_where"),
        ({"used_oco": "1", "contacts": "150"}, "contacts"),
        ({"used_oco": "1", "heard_via": "1"}, "heard_via"),
        ({"used_oco": "0", "need_domains": "2;2"}, "need_domains"),
        ({"used_oco": "0", "comments": "x" * 1001}, "comments"),
    ],
    ids=["required left open", "unknown code", "out of range", "hidden", "twice", "too long"],
)
def test_each_rule_of_the_respondent_check_refuses_a_row(cells, column) -> None:
    assert not respondent_accepts(QUESTIONNAIRES["client"], cells)
    with pytest.raises(ResponsesError) as refused:
        check_responses(one_row("client", cells), INDICATORS)
    assert f"regel 2, kolom '{column}'" in "\n".join(refused.value.problems)


def test_weet_niet_and_empty_cells_are_read_as_before() -> None:
    cells = {"aware_oco": "9", "used_oco": "1", "knew_where": " ", "quick_help": "9"}
    assert respondent_accepts(QUESTIONNAIRES["client"], cells)
    codes = check_responses(one_row("client", cells), INDICATORS).questionnaires["client"].codes
    assert codes.loc[0, "aware_oco"] == 9 and codes.loc[0, "quick_help"] == 9
    assert pd.isna(codes.loc[0, "knew_where"]) and codes.loc[0, "target_group"] == 0
