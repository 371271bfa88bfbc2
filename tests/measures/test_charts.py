"""The indicator chart shows exactly the engine's figures, leaves withheld ones out, in Dutch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from measures.charts import chart_text, indicator_chart
from measures.counts import from_scored
from measures.figures import Figures, figures
from measures.responses import check_responses
from measures.scoring import score
from measures.synthetic import synthetic_responses
from surveys.numbers import PERCENT, decimal
from surveys.vocabulary import COHORT, OTHERS, OWN, SUPPRESSED

KOPLOPERS = ("almere", "breda", "delft", "ede", "gouda", "hengelo", "leiden", "zwolle")
COHORT_OF_ALMERE = {"almere", "breda", "delft", "ede"}
"""Enough koplopers that both reference groups pool at least three (else they are not drawn)."""


@pytest.fixture(scope="module")
def wide():
    return synthetic_responses(KOPLOPERS, per_group=60, seed=2024)


@pytest.fixture(scope="module")
def scored(wide, indicators):
    return score(check_responses(wide, indicators), indicators)


@pytest.fixture(scope="module")
def fig(scored, indicators) -> Figures:
    counts = from_scored(scored, "almere", COHORT_OF_ALMERE, indicators)
    return figures(counts, indicators, "T0", "T1", koploper_name="Almere")


@pytest.fixture(scope="module")
def thin(wide, indicators) -> Figures:
    """Almere with only 6 clients at T1: its T1 client figures are withheld."""
    almere_t1 = (wide["koploper"] == "almere") & (wide["wave"] == "T1")
    client = wide["questionnaire"] == "client"
    keep = ~(almere_t1 & client) | (almere_t1 & client).cumsum().le(6)
    small = wide[keep].reset_index(drop=True)
    scored = score(check_responses(small, indicators), indicators)
    counts = from_scored(scored, "almere", COHORT_OF_ALMERE, indicators)
    return figures(counts, indicators, "T0", "T1", koploper_name="Almere")


def engine(fig: Figures, group: str, indicator: str, questionnaire: str = "client") -> pd.DataFrame:
    table = fig.estimates
    rows = table[
        (table["group"] == group)
        & (table["indicator"] == indicator)
        & (table["questionnaire"] == questionnaire)
    ]
    return rows.sort_values("wave").set_index("wave")


def traces(chart, group: str, role: str = "estimate") -> list:
    return [t for t in chart.data if t.meta == {"group": group, "role": role}]


def points(trace) -> list[float]:
    """The y values of a trace, without the gaps (None) between band segments."""
    return [y for y in trace.y if y is not None]


def test_the_koplopers_points_and_intervals_are_the_engines_estimates_in_percent(fig):
    expected = engine(fig, OWN, "aware_oco")
    (own,) = traces(indicator_chart(fig, "client", "aware_oco"), OWN)
    assert list(own.customdata) == ["T0", "T1"]
    assert np.allclose(own.y, 100 * expected["estimate"].to_numpy())
    assert np.allclose(own.error_y.array, 100 * (expected["ci_high"] - expected["estimate"]))
    assert np.allclose(own.error_y.arrayminus, 100 * (expected["estimate"] - expected["ci_low"]))


def test_the_benchmark_band_spans_the_others_interval_with_their_estimate_as_a_dashed_line(fig):
    expected = engine(fig, OTHERS, "aware_oco")
    chart = indicator_chart(fig, "client", "aware_oco")
    (band,) = traces(chart, OTHERS, "band")
    (line,) = traces(chart, OTHERS, "estimate")
    assert band.fill == "toself" and line.line.dash == "dash"
    # Each wave: a rectangle of five corners (low, low, high, high, low) and a level line.
    corners = np.asarray(points(band)).reshape(len(expected), 5)
    assert np.allclose(corners[:, 0], 100 * expected["ci_low"].to_numpy())
    assert np.allclose(corners[:, 2], 100 * expected["ci_high"].to_numpy())
    levels = np.asarray(points(line)).reshape(len(expected), 2)
    assert np.allclose(levels[:, 0], 100 * expected["estimate"].to_numpy())
    (cohort,) = traces(chart, COHORT)
    assert np.allclose(cohort.y, 100 * engine(fig, COHORT, "aware_oco")["estimate"].to_numpy())


def test_a_mean_is_drawn_on_its_own_scale_not_as_a_percentage(fig):
    chart = indicator_chart(fig, "client", "grade")
    (own,) = traces(chart, OWN)
    assert np.allclose(own.y, engine(fig, OWN, "grade")["estimate"].to_numpy())
    assert chart.layout.yaxis.ticksuffix == ""
    assert tuple(chart.layout.yaxis.range) == pytest.approx((0.46, 10.54))


def test_a_withheld_figure_has_no_point_and_no_stand_in_value(thin):
    expected = engine(thin, OWN, "aware_oco")
    assert expected.loc["T1", "flag"] == SUPPRESSED
    chart = indicator_chart(thin, "client", "aware_oco")
    (own,) = traces(chart, OWN)
    assert list(own.customdata) == ["T0"]
    assert np.allclose(own.y, [100 * expected.loc["T0", "estimate"]])
    assert own.error_y.array is not None and len(own.error_y.array) == 1
    # The wave stays on the axis (there were answers), empty.
    assert list(chart.layout.xaxis.ticktext) == ["Nulmeting", "Eerste vervolgmeting"]
    for trace in chart.data:
        assert all(y is None or np.isfinite(y) for y in trace.y)


def test_no_series_relies_on_colour_alone(fig):
    chart = indicator_chart(fig, "client", "aware_oco", koploper_name="Almere")
    (own,) = traces(chart, OWN)
    (cohort,) = traces(chart, COHORT)
    (line,) = traces(chart, OTHERS, "estimate")
    assert own.marker.symbol != cohort.marker.symbol
    assert own.mode == "markers+text" and cohort.mode == "markers" and line.mode == "lines"
    assert line.line.dash == "dash"
    named = [t.name for t in chart.data if t.showlegend is not False]
    assert named == [
        "Overige koplopers: 95\u00a0%-interval",
        "Overige koplopers",
        "Eigen cohort",
        "Almere (met 95\u00a0%-interval)",
    ]
    colours = {own.marker.color, cohort.marker.color, line.line.color}
    assert colours == {"#0072B2", "#009E73", "#D55E00"}  # Okabe–Ito, 3:1 or more on white


def test_the_chart_speaks_dutch_labels_values_in_percent_with_a_decimal_comma(fig):
    chart = indicator_chart(fig, "client", "aware_oco")
    expected = engine(fig, OWN, "aware_oco")
    assert chart.layout.title.text == "Bekendheid van onafhankelijke cliëntondersteuning"
    assert chart.layout.separators == ",."
    assert chart.layout.yaxis.ticksuffix == PERCENT
    assert chart.layout.xaxis.title.text == "Meting"
    assert list(chart.layout.xaxis.ticktext) == ["Nulmeting", "Eerste vervolgmeting"]
    (own,) = traces(chart, OWN)
    labels = [text.strip("\u00a0") for text in own.text]
    assert labels == [f"{decimal(100 * v)}\u00a0%" for v in expected["estimate"]]
    assert "." not in "".join(labels)


def test_the_text_alternative_has_every_wave_the_interval_and_the_benchmark_in_dutch(fig):
    own = engine(fig, OWN, "aware_oco")
    others = engine(fig, OTHERS, "aware_oco")
    cohort = engine(fig, COHORT, "aware_oco")

    def pct(value: float) -> str:
        return decimal(100 * value)

    t0, t1 = own.loc["T0"], own.loc["T1"]
    assert chart_text(fig, "client", "aware_oco").replace("\u00a0", " ") == (
        "Bekendheid van onafhankelijke cliëntondersteuning: "
        f"nulmeting {pct(t0.estimate)} % ({pct(t0.ci_low)}–{pct(t0.ci_high)} %), "
        f"eerste vervolgmeting {pct(t1.estimate)} % ({pct(t1.ci_low)}–{pct(t1.ci_high)} %); "
        f"bij de eerste vervolgmeting overige koplopers {pct(others.loc['T1', 'estimate'])} %, "
        f"eigen cohort {pct(cohort.loc['T1', 'estimate'])} %."
    )
    assert "29,1\u00a0%" in chart_text(fig, "client", "aware_oco")  # the synthetic data's T0


def test_the_text_alternative_says_no_figure_where_one_is_withheld(thin):
    text = chart_text(thin, "client", "aware_oco")
    assert "eerste vervolgmeting geen cijfer (te weinig antwoorden)" in text
    withheld = engine(thin, OWN, "aware_oco").loc["T1"]
    assert np.isnan(withheld["n"]) and np.isnan(withheld["estimate"])  # n < 10: not even n


def test_a_wave_without_any_figure_is_no_empty_column_on_the_axis() -> None:
    """A wave just begun (a few answers: every figure withheld) is left off the chart's axis."""
    from dataclasses import replace

    from tests.measures.view_figures import view

    fig = view()
    last = fig.waves[-1]
    at_last = fig.estimates["wave"] == last
    begun = replace(
        fig,
        estimates=fig.estimates.assign(
            estimate=fig.estimates["estimate"].where(~at_last),
            flag=fig.estimates["flag"].where(~at_last, SUPPRESSED),
        ),
    )
    questionnaire, indicator = fig.estimates[["questionnaire", "indicator"]].iloc[0]
    before = indicator_chart(fig, questionnaire, indicator).layout.xaxis.ticktext
    after = indicator_chart(begun, questionnaire, indicator).layout.xaxis.ticktext
    assert len(before) == len(fig.waves) and len(after) == len(fig.waves) - 1
    assert list(after) == list(before[:-1])
