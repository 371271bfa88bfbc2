"""Cronbach's alpha per theme and wave, against pingouin."""

from __future__ import annotations

import numpy as np
import pingouin
import pytest

from measures.reliability import theme_reliability
from measures.responses import check_responses
from measures.scoring import score
from surveys.vocabulary import SUPPRESSED

QUALITY = ["taken_seriously", "solutions_together", "on_my_side", "knew_enough"]


def test_alpha_per_wave_matches_pingouin_on_complete_answers(wide, scored, indicators) -> None:
    table = theme_reliability(scored["client"], indicators.settings)
    for wave in ("T0", "T1"):
        rows = wide[(wide["questionnaire"] == "client") & (wide["wave"] == wave)][QUALITY]
        reference, _ = pingouin.cronbach_alpha(rows.replace(9, np.nan), nan_policy="listwise")
        row = table[(table["wave"] == wave) & (table["theme"] == "quality")].iloc[0]
        assert row["alpha"] == pytest.approx(reference, abs=1e-6)
        assert row["n"] == rows.replace(9, np.nan).dropna().shape[0]


def test_themes_of_one_item_get_no_alpha(scored, indicators) -> None:
    table = theme_reliability(scored["client"], indicators.settings)
    assert set(table["theme"]) == {"findability", "quality", "outcome"}
    assert set(table["n_items"]) == {3, 4}


def test_alpha_can_be_split_by_koploper(scored, indicators) -> None:
    table = theme_reliability(scored["professional"], indicators.settings, by=("koploper", "wave"))
    assert len(table) == 3 * 2 * 2  # koplopers × waves × themes of two or more items


def test_alpha_on_fewer_than_ten_complete_answers_is_withheld(frame, indicators) -> None:
    rows = [dict.fromkeys(QUALITY, code) for code in (1, 2, 3, 4, 5, 4, 3, 2)]
    scored = score(check_responses(frame(rows), indicators), indicators)
    table = theme_reliability(scored["client"], indicators.settings)
    quality = table[table["theme"] == "quality"].iloc[0]
    assert quality["flag"] == SUPPRESSED and np.isnan(quality["alpha"])
    assert "n = 8" in quality["reason"]
