"""What the page "Vergelijken" shows: every koploper side by side, for Movisie.

Only for a viewer who sees every koploper (``Viewer.sees_all``: onderzoeker, beheerder); anyone
else gets :class:`~db.access.AccessDenied` before anything is read. The responses come scored
from ``views.responses`` (one read per data version, shared with "Mijn koploper"), each
koploper's id turned into its slug, and are counted by the measures engine
(``measures.side_by_side``, ``measures.meta``); what leaves this module are tables of figures and
counts, never data per response. The comparison is kept per viewer and data version
(``views.cache``). Fieldwork counts come from ``db.fieldwork_overview``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer, viewer_key
from db.fieldwork_overview import fieldwork_waves, response_counts
from db.queries import koplopers_by_cohort
from db.read_model import DataVersion, data_version, koploper_slugs
from measures.indicators import IndicatorSet, load_indicators
from measures.response_rates import with_rates
from measures.scoring import Scored
from measures.side_by_side import (
    all_estimates,
    calendar,
    cohort_trends,
    fieldwork_table,
    koploper_table,
    pooled,
    wave_pairs,
)
from views.cache import CACHE, place_of
from views.response_rates import response_rates
from views.responses import scored_responses

COMPARISON = "comparison"
REFUSED = "Vergelijken is alleen voor onderzoekers en beheerders van Movisie."


@dataclass(frozen=True)
class Comparison:
    """Every koploper's figures: the change for every pair of waves (``changes``, with the
    pooled changes in ``pools``), the estimates per wave (``estimates``) and per cohort
    (``cohorts``), and the koplopers (``koplopers``: slug, name, cohort)."""

    koplopers: pd.DataFrame
    waves: list[str]
    estimates: pd.DataFrame
    cohorts: pd.DataFrame
    changes: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    pools: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldworkAcross:
    """Responses per koploper × wave × questionnaire × channel (``responses``, with the codes
    ``sent`` and ``used`` and the response ``rate``), each koploper's waves (``waves``) and per
    cohort the calendar of its waves (``calendar``)."""

    responses: pd.DataFrame
    waves: pd.DataFrame
    calendar: pd.DataFrame


def _require_all(viewer: Viewer) -> None:
    if not viewer.sees_all:
        raise AccessDenied(REFUSED)


def _koplopers(session: Session) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = koplopers_by_cohort(session)[["slug", "name", "cohort"]]
    return frame.reset_index(drop=True), dict(zip(frame["slug"], frame["cohort"], strict=True))


def _named(scored: dict[str, Scored], slugs: dict[int, str]) -> dict[str, Scored]:
    """The scored responses with each koploper's slug instead of its id."""
    return {
        key: replace(part, meta=part.meta.assign(koploper=part.meta["koploper"].map(slugs)))
        for key, part in scored.items()
    }


def comparison(
    session: Session,
    viewer: Viewer,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
) -> Comparison:
    """Every koploper's figures for every pair of waves with answers, from one read; kept per
    viewer and data version."""
    _require_all(viewer)
    indicators = indicators or load_indicators()
    version = data_version(session)
    key = (place_of(session, include_demo, indicators), COMPARISON, viewer_key(viewer))
    return CACHE.get_or_make(
        key, version, indicators, partial(_made, session, viewer, include_demo, indicators, version)
    )


def _made(
    session: Session,
    viewer: Viewer,
    include_demo: bool,
    indicators: IndicatorSet,
    version: DataVersion,
) -> tuple[DataVersion, Comparison]:
    """Vergelijken made from the responses, with the data version they are of."""
    koplopers, cohort_of = _koplopers(session)
    names = dict(zip(koplopers["slug"], koplopers["name"], strict=True))
    version, scored = scored_responses(session, viewer, None, indicators, include_demo, version)
    scored = _named(scored, koploper_slugs(session, viewer))
    settings = indicators.settings
    estimates = all_estimates(scored, settings)
    waves = sorted(set(estimates["wave"]) if len(estimates) else (), key=lambda w: int(w[1:]))
    changes, pools = {}, {}
    for pair in wave_pairs(scored):
        table = koploper_table(scored, estimates, *pair, indicators, cohort_of, names)
        changes[pair] = table
        pools[pair] = pooled(table, cohort_of, settings)
    found = Comparison(
        koplopers=koplopers,
        waves=waves,
        estimates=estimates,
        cohorts=cohort_trends(scored, cohort_of, settings),
        changes=changes,
        pools=pools,
    )
    return version, found


def fieldwork_across(
    session: Session,
    viewer: Viewer,
    include_demo: bool = True,
    today: dt.date | None = None,
    indicators: IndicatorSet | None = None,
) -> FieldworkAcross:
    """Fieldwork of every koploper: responses counted in SQL (``db.fieldwork_overview``), and
    the response rates (``views.response_rates``)."""
    _require_all(viewer)
    settings = (indicators or load_indicators()).settings
    _, cohort_of = _koplopers(session)
    counts = response_counts(session, viewer, include_demo=include_demo)
    waves = fieldwork_waves(session, viewer, today=today)
    waves = waves.assign(cohort=waves["koploper"].map(cohort_of).fillna(""))
    table = fieldwork_table(counts, waves, cohort_of, settings)
    return FieldworkAcross(
        responses=with_rates(table, response_rates(session, viewer, include_demo=include_demo)),
        waves=waves,
        calendar=calendar(waves, cohort_of),
    )
