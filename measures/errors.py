"""The errors of the measures package. Each carries ``problems``: one Dutch line per problem, ready
to show to whoever supplied the file, the argument or the declaration."""

from __future__ import annotations


class MeasuresError(ValueError):
    """Something the engine refuses to compute from; ``problems`` says why, in Dutch."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class IndicatorError(MeasuresError):
    """An indicator declaration that does not fit the questionnaire definitions."""


class ResponsesError(MeasuresError):
    """A responses file or frame that cannot be analysed."""


class AnalysisError(MeasuresError):
    """A request that cannot be answered from these responses (an unknown wave, one wave only)."""
