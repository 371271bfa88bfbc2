"""Per-respondent indicator values: what is in the base, what is left out and why."""

from __future__ import annotations

import numpy as np

from measures.indicators import IndicatorSet
from measures.responses import check_responses
from measures.scoring import DONT_KNOW, MISSING, VALID, score


def _score(rows: list[dict], indicators: IndicatorSet, frame, questionnaire: str = "client"):
    responses = check_responses(frame(rows, questionnaire), indicators)
    return score(responses, indicators)[questionnaire]


def test_agree_and_strongly_agree_count_as_yes_and_dont_know_leaves_the_base(
    indicators, frame
) -> None:
    scored = _score([{"knew_where": c} for c in (1, 3, 4, 5, 9, np.nan)], indicators, frame)
    np.testing.assert_array_equal(scored.values["knew_where"][:4], [0, 0, 1, 1])
    assert np.isnan(scored.values["knew_where"][4:]).all()
    assert list(scored.status["knew_where"]) == [VALID] * 4 + [DONT_KNOW, MISSING]


def test_a_grade_of_nine_is_a_grade_not_dont_know(indicators, frame) -> None:
    scored = _score([{"grade": 9}, {"grade": 6}], indicators, frame)
    assert list(scored.values["grade"]) == [9.0, 6.0]
    assert list(scored.values["grade_7plus"]) == [1.0, 0.0]


def test_a_theme_score_is_the_mean_zero_to_hundred_score_of_the_answered_items(
    indicators, frame
) -> None:
    rows = [
        # 5, 4, 9 (left out), missing: 2 valid of 4 is enough; (100 + 75) / 2
        {"taken_seriously": 5, "solutions_together": 4, "on_my_side": 9},
        # only one valid answer of four: too few, counted as answered-but-too-few
        {"taken_seriously": 1, "solutions_together": 9, "on_my_side": 9, "knew_enough": 9},
        # nothing answered
        {"aware_oco": 1},
        {"taken_seriously": 1, "solutions_together": 2, "on_my_side": 3, "knew_enough": 5},
    ]
    scored = _score(rows, indicators, frame)
    quality = scored.values["quality"]
    assert quality[0] == 87.5 and quality[3] == (0 + 25 + 50 + 100) / 4
    assert np.isnan(quality[1]) and np.isnan(quality[2])
    assert list(scored.status["quality"]) == [VALID, DONT_KNOW, MISSING, VALID]


def test_the_awareness_theme_of_one_yes_no_item_scores_yes_as_hundred(indicators, frame) -> None:
    scored = _score([{"aware_oco": 1}, {"aware_oco": 0}, {"aware_oco": 9}], indicators, frame)
    assert list(scored.values["awareness"][:2]) == [100.0, 0.0]
    assert scored.status["awareness"][2] == DONT_KNOW


def test_professional_quality_needs_three_of_five_items(indicators, frame) -> None:
    two = {"independent_position": 5, "formal_informal": 5}
    three = {**two, "expertise_lvb": 2}
    scored = _score([two, three], indicators, frame, "professional")
    assert np.isnan(scored.values["quality"][0])
    assert scored.values["quality"][1] == 75.0
