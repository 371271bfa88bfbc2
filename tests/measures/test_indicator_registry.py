"""The indicator registry: declared in indicators.yaml and checked against the questionnaires."""

from __future__ import annotations

import pytest

from measures.errors import IndicatorError
from measures.indicators import MEAN, PROPORTION, IndicatorSet, parse_indicators


def test_client_indicators_are_named_by_item_key_and_theme(indicators: IndicatorSet) -> None:
    names = [i.name for i in indicators.questionnaires["client"].indicators]
    assert {"aware_oco", "knew_where", "taken_seriously", "grade", "grade_7plus"} <= set(names)
    assert names[-4:] == ["awareness", "findability", "quality", "outcome"]


def test_professional_indicators_include_the_fixed_keys(indicators: IndicatorSet) -> None:
    names = [i.name for i in indicators.questionnaires["professional"].indicators]
    assert {"aware_offer", "knows_how_refer", "quality_grade", "quality"} <= set(names)


def test_grade_gives_a_mean_and_a_share_of_seven_or_higher(indicators: IndicatorSet) -> None:
    client = indicators.questionnaires["client"]
    assert client.kind_of("grade") == MEAN
    share = next(i for i in client.items if i.name == "grade_7plus")
    assert share.kind == PROPORTION and share.success == frozenset({7, 8, 9, 10})
    # 9 is a grade here, not "weet niet": the grade item offers no don't-know option
    assert share.dont_know_codes == frozenset()


def test_agreement_indicators_count_agree_and_strongly_agree_over_codes_one_to_five(
    indicators: IndicatorSet,
) -> None:
    knew_where = next(
        i for i in indicators.questionnaires["client"].items if i.name == "knew_where"
    )
    assert knew_where.success == frozenset({4, 5})
    assert knew_where.valid_codes == frozenset({1, 2, 3, 4, 5})
    assert knew_where.dont_know_codes == frozenset({9})


def test_a_theme_needs_at_least_half_of_its_items_answered(indicators: IndicatorSet) -> None:
    themes = {t.name: t for t in indicators.questionnaires["professional"].themes}
    assert themes["awareness"].min_answered == 1
    assert themes["findability"].min_answered == 2  # 2 of 3
    assert themes["quality"].min_answered == 3  # 3 of 5


def test_subgroups_are_target_group_age_group_and_role(indicators: IndicatorSet) -> None:
    client = indicators.questionnaires["client"]
    assert [(s.item, s.multiple) for s in client.subgroups] == [
        ("target_group", True),
        ("age_group", False),
    ]
    assert [s.item for s in indicators.questionnaires["professional"].subgroups] == ["role"]


def _declare(items=None, themes=None) -> dict:
    return {
        "settings": {},
        "questionnaires": {"client": {"items": items or [], "themes": themes or {}}},
    }


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        (_declare([{"item": "no_such_item", "measure": "share", "success": [1]}]), "no_such_item"),
        (_declare([{"item": "knew_where", "measure": "share", "success": [9]}]), "code(s) 9"),
        (_declare([{"item": "knew_where", "measure": "mean"}]), "gemiddelde"),
        (_declare([{"item": "aware_oco", "measure": "median"}]), "onbekende maat"),
        (_declare(themes={"quality": ["grade"]}), "kan niet in een themascore"),
        (_declare(themes={"quality": ["knew_where"]}), "hoort bij thema 'findability'"),
    ],
)
def test_a_declaration_that_does_not_fit_the_questionnaire_is_refused_in_dutch(
    declaration: dict, message: str
) -> None:
    with pytest.raises(IndicatorError) as refused:
        parse_indicators(declaration)
    assert message in str(refused.value)


def test_an_indicator_declared_twice_is_refused() -> None:
    twice = _declare([{"item": "aware_oco", "measure": "share", "success": [1]}] * 2)
    with pytest.raises(IndicatorError, match="twee keer"):
        parse_indicators(twice)


def test_thresholds_are_settings() -> None:
    declared = parse_indicators(
        {"settings": {"min_n": 5, "indicative_n": 20}, "questionnaires": {}}
    )
    assert (declared.settings.min_n, declared.settings.indicative_n) == (5, 20)
    with pytest.raises(IndicatorError):
        parse_indicators({"settings": {"min_n": 30, "indicative_n": 10}, "questionnaires": {}})
