"""The default waves of a view and how a wave reads in the choice: a wave just begun is never the
empty default, and says that it is still running."""

from __future__ import annotations

import pandas as pd

from measures.wave_choice import (
    default_pair,
    wave_option,
    waves_most_have,
    waves_with_enough,
    waves_with_figures,
)


def test_a_wave_just_begun_is_not_the_default_follow_up() -> None:
    assert default_pair(["T0", "T1", "T2"], {"T0", "T1"}) == ("T0", "T1")


def test_the_latest_wave_with_figures_is_the_default_follow_up() -> None:
    assert default_pair(["T0", "T1", "T2"], {"T0", "T1", "T2"}) == ("T0", "T2")
    assert default_pair(["T1", "T2", "T3"], {"T1", "T2"}) == ("T1", "T2")


def test_with_figures_at_one_wave_that_wave_stands_alone() -> None:
    assert default_pair(["T0", "T1"], {"T0"}) == ("T0", "T0")
    assert default_pair(["T0", "T1"], set()) == ("T0", "T0")
    assert default_pair([], set()) == ("", "")


def test_a_running_wave_says_so_with_its_answers() -> None:
    label = wave_option("T2", {"T2": "open"}, {"T2": 3}, {"T0", "T1"})
    assert label == "Tweede vervolgmeting (loopt nog: 3 antwoorden)"
    assert wave_option("T2", {"T2": "open"}, {"T2": 1}, set()).endswith("(loopt nog: 1 antwoord)")


def test_an_ended_wave_without_figures_says_so_and_a_full_wave_is_its_name() -> None:
    assert wave_option("T2", {"T2": "afgelopen"}, {"T2": 4}, {"T0"}) == (
        "Tweede vervolgmeting (nog geen cijfers: 4 antwoorden)"
    )
    assert wave_option("T1", {"T1": "afgelopen"}, {"T1": 140}, {"T1"}) == "Eerste vervolgmeting"
    assert "None" not in wave_option("T3", {}, {}, set())


def test_waves_with_figures_are_those_with_a_shown_estimate_or_enough_answers() -> None:
    estimates = pd.DataFrame({"wave": ["T0", "T1", "T2"], "estimate": [0.4, 0.5, float("nan")]})
    assert waves_with_figures(estimates) == {"T0", "T1"}
    base = pd.DataFrame({"wave": ["T0", "T1", "T2", "T2"], "n": [50, 10, 3, 9]})
    assert waves_with_enough(base, 10) == {"T0", "T1"}


def test_one_koploper_early_with_its_follow_up_does_not_make_it_everyones_default() -> None:
    rows = [(k, w, 0.5) for k in ("a", "b", "c", "d") for w in ("T0", "T1")]
    rows += [("a", "T2", 0.6), ("b", "T2", float("nan"))]  # b's T2 withheld: too few answers
    estimates = pd.DataFrame(rows, columns=["koploper", "wave", "estimate"])
    assert waves_with_figures(estimates) == {"T0", "T1", "T2"}
    assert waves_most_have(estimates) == {"T0", "T1"}
    assert default_pair(["T0", "T1", "T2"], waves_most_have(estimates)) == ("T0", "T1")
    rows += [("b", "T2", 0.7)]  # half of them have T2 figures now
    estimates = pd.DataFrame(rows, columns=["koploper", "wave", "estimate"])
    assert default_pair(["T0", "T1", "T2"], waves_most_have(estimates)) == ("T0", "T2")
