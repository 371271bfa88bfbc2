"""Response rates as a viewer sees them: per koploper × wave × questionnaire the codes sent and
used, the rate, and the responses without a code (the open link) apart; and for one koploper its
responses per day with the days letters and reminders went out.

Read from ``db.response_rates`` (access checked there), worked out by
``measures.response_rates``. Not cached: codes can be made, printed or withdrawn without a new
response, so the data version of the responses would not notice; the reads are a few
``GROUP BY`` queries.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from db.access import Viewer
from db.response_rates import (
    invitation_counts,
    letter_days,
    response_counts_by_way_in,
    responses_per_day,
)
from measures.response_rates import rate_table


@dataclass(frozen=True)
class KoploperResponse:
    """One koploper's response: ``rates`` (``measures.response_rates.rate_table``), responses
    per day (``days``) and letter days (``letters``, of ``db.response_rates``)."""

    rates: pd.DataFrame
    days: pd.DataFrame
    letters: pd.DataFrame

    def of(self, wave: str, questionnaire: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The responses per day and the letter days of one wave and questionnaire."""

        def pick(frame: pd.DataFrame) -> pd.DataFrame:
            wanted = (frame["wave"] == wave) & (frame["questionnaire"] == questionnaire)
            return frame[wanted].reset_index(drop=True)

        return pick(self.days), pick(self.letters)


def response_rates(
    session: Session, viewer: Viewer, koploper: str | None = None, include_demo: bool = True
) -> pd.DataFrame:
    """The rate table of the viewer's koplopers (or of ``koploper``: ``AccessDenied`` when the
    viewer may not see it)."""
    return rate_table(
        invitation_counts(session, viewer, koploper=koploper),
        response_counts_by_way_in(session, viewer, koploper=koploper, include_demo=include_demo),
    )


def koploper_response(
    session: Session, viewer: Viewer, koploper: str, include_demo: bool = True
) -> KoploperResponse:
    """Everything Veldwerk shows of one koploper's response."""
    return KoploperResponse(
        rates=response_rates(session, viewer, koploper, include_demo),
        days=responses_per_day(session, viewer, koploper=koploper, include_demo=include_demo),
        letters=letter_days(session, viewer, koploper=koploper),
    )
