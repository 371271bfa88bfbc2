"""The "hide the count" rule: one function decides what a published table shows for a count,
and the reasons are worded from that decision, not rewritten afterwards."""

from __future__ import annotations

import numpy as np
import pandas as pd

from measures.indicators import Settings
from measures.suppression import count_text, reasons, shown_count_columns, shown_counts

SETTINGS = Settings()


def test_a_count_under_min_n_is_not_shown_and_zero_is():
    shown = shown_counts([0, 1, 9, 10, 146, np.nan], SETTINGS)
    np.testing.assert_array_equal(shown, [0, np.nan, np.nan, 10, 146, np.nan])
    stricter = shown_counts([9, 10, 19, 20], Settings(min_n=20, indicative_n=30))
    np.testing.assert_array_equal(stricter, [np.nan, np.nan, np.nan, 20])


def test_a_count_is_written_as_shown():
    assert [count_text(n, SETTINGS) for n in (0, 9, 10, 1204)] == [
        "0",
        "minder dan 10",
        "10",
        "1.204",
    ]
    assert count_text(np.nan, SETTINGS) == count_text(None, SETTINGS) == "minder dan 10"


def test_a_published_reason_says_less_than_and_the_engine_says_the_count():
    n, dont_know = np.array([0, 8, 15, 40]), np.array([3, 0, 0, 0])
    engine = reasons(n, dont_know, SETTINGS, "bij T0")
    published = reasons(n, dont_know, SETTINGS, "bij T0", hide_counts=True)
    assert engine[1] == "te weinig antwoorden bij T0 (n = 8, minimaal 10)"
    assert published[1] == "te weinig antwoorden bij T0 (minder dan 10)"
    for same in (0, 2, 3):  # no answers, indicative (the count is shown) and nothing to say
        assert published[same] == engine[same]
    assert published[2] == "indicatief: minder dan 30 antwoorden bij T0 (n = 15)"


def test_count_columns_of_a_table_follow_the_rule():
    table = pd.DataFrame({"n": [3, 12], "estimate": [0.5, 0.4], "reason": ["x", ""]})
    out = shown_count_columns(table, ["n"], SETTINGS)
    assert np.isnan(out["n"].iloc[0]) and out["n"].iloc[1] == 12
    assert table["n"].iloc[0] == 3  # a copy
    assert list(out["reason"]) == ["x", ""]
