"""Indicators and statistics for the Koplopermonitor: pure functions, DataFrames in, tables out.

No Streamlit and no database here. The usual path::

    indicators = load_indicators()                      # measures/indicators.yaml, checked
    responses = check_responses(wide_frame, indicators) # the wide interchange format
    scored = score(responses, indicators)               # per respondent, per indicator
    wave_estimates(scored["client"], indicators.settings)
    compare_waves(scored, "T0", "T1", indicators.settings)
    benchmark(scored, indicators.settings, cohorts={"almere": "2017", ...})
    theme_reliability(scored["client"], indicators.settings)

Every table keeps figures on fewer than ``min_n`` respondents out (empty, with a flag and a Dutch
reason). The methods are explained for policy advisers in METHODS.md.
"""

from measures.benchmark import benchmark
from measures.compare import compare_waves
from measures.errors import AnalysisError, IndicatorError, MeasuresError, ResponsesError
from measures.estimates import subgroup_estimates, wave_estimates
from measures.indicators import IndicatorSet, Settings, load_indicators
from measures.reliability import theme_reliability
from measures.responses import Responses, check_responses, read_responses_csv
from measures.scoring import Scored, score

__all__ = [
    "AnalysisError",
    "IndicatorError",
    "IndicatorSet",
    "MeasuresError",
    "Responses",
    "ResponsesError",
    "Scored",
    "Settings",
    "benchmark",
    "check_responses",
    "compare_waves",
    "load_indicators",
    "read_responses_csv",
    "score",
    "subgroup_estimates",
    "theme_reliability",
    "wave_estimates",
]
