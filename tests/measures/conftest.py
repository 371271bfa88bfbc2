"""Fixtures for the measures tests: the built-in indicator registry, small synthetic responses."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from measures.indicators import IndicatorSet, load_indicators
from measures.responses import check_responses
from measures.scoring import Scored, score
from measures.synthetic import synthetic_responses


@pytest.fixture(scope="session")
def indicators() -> IndicatorSet:
    return load_indicators()


@pytest.fixture(scope="session")
def wide() -> pd.DataFrame:
    """Three koplopers, two waves, 60 clients and 60 professionals per koploper and wave."""
    return synthetic_responses(per_group=60, seed=2024)


@pytest.fixture(scope="session")
def scored(wide: pd.DataFrame, indicators: IndicatorSet) -> dict[str, Scored]:
    return score(check_responses(wide, indicators), indicators)


REQUIRED_ANSWERS = {"client": {"used_oco": 1}, "professional": {"role": 4}}
"""The answers to the required questions, unless a row gives its own: yes, used support (so the
questions about it are asked); a referrer (so 'referrals' is asked)."""


def _frame(rows: list[dict], questionnaire: str = "client") -> pd.DataFrame:
    table = pd.DataFrame(rows)
    table.insert(0, "response_id", [f"r{i}" for i in range(len(table))])
    defaults = {"koploper": "almere", "wave": "T0", **REQUIRED_ANSWERS[questionnaire]}
    for column, default in defaults.items():
        table[column] = table[column].fillna(default) if column in table else default
    table["questionnaire"] = questionnaire
    if "questionnaire_version" not in table:
        table["questionnaire_version"] = 1
    return table


@pytest.fixture(scope="session")
def frame() -> Callable[..., pd.DataFrame]:
    """Build a small wide frame from dicts of item codes: ``frame(rows, questionnaire="client")``.

    Meta columns are filled in: response ids r0, r1, …, koploper almere, wave T0 and
    questionnaire version 1 unless given, and the required questions (``REQUIRED_ANSWERS``).
    """
    return _frame
