"""Every response scored by the engine, read once per data version and kept (``views.cache``).

The responses come from ``db.read_model`` (the packs, decoded; no koploper named, its id only)
and are scored per questionnaire (``measures.scoring``). They are kept per place
(``views.cache.Place``) under the data version of what was read: until it changes, a view of any
koploper, subgroup or viewer reads nothing again. After a new data version only the responses
added since are read, when nothing else changed (``db.read_model.read_packs(kept=...)``);
otherwise everything is read again. Either way every response is scored again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from db.access import Viewer
from db.read_model import DataVersion, PackRead, check_reader, data_version, read_packs
from measures.indicators import IndicatorSet, ItemIndicator
from measures.profile import profile_items
from measures.responses import QuestionnaireResponses
from measures.scoring import Scored, score_questionnaire
from measures.subgroups import subgroup_choices
from views.cache import CACHE, RESPONSES, place_of


@dataclass(frozen=True)
class Responses:
    """What is kept of one place: the read (to add the next responses to) and its scores."""

    read: PackRead
    scored: dict[str, Scored]


def wanted_items(indicators: IndicatorSet) -> dict[str, dict[str, bool]]:
    """Per questionnaire, the coded questions the dashboard needs (item → multiple choice):
    indicators, theme scores, subgroups and the profile (who answered), in questionnaire
    order."""
    wanted_by: dict[str, dict[str, bool]] = {}
    for key, spec in indicators.questionnaires.items():
        wanted = {i.item for i in spec.items if isinstance(i, ItemIndicator)}
        wanted |= {item for theme in spec.themes for item in theme.items}
        wanted |= {s.item for s in spec.subgroups}
        wanted |= set(profile_items(indicators).get(key, []))
        wanted |= {c.key for c in subgroup_choices(indicators).values() if c.questionnaire == key}
        wanted_by[key] = {
            item.key: item.qtype.multiple
            for item in spec.definition.items
            if item.key in wanted and item.qtype.coded
        }
    return wanted_by


def scored_responses(
    session: Session,
    viewer: Viewer,
    koploper: str | None,
    indicators: IndicatorSet,
    include_demo: bool = True,
    version: DataVersion | None = None,
) -> tuple[DataVersion, dict[str, Scored]]:
    """Every response scored (per questionnaire; the koploper as its id), with the data version
    they are of: for the dashboard of ``koploper`` or, with None, for a viewer who sees every
    koploper (``db.read_model.check_reader``: ``AccessDenied`` for anyone else, whether or not
    anything is read). ``version``: the data version read just now, to look up what is kept;
    what is read is kept under the version it was read at (``PackRead.version``), which is newer
    when something changed in between, never under this one.

    Two threads may refresh one place at once: each reads on its own and keeps a complete
    entry; the last one stays, both are right."""
    check_reader(viewer, koploper)
    key = (place_of(session, include_demo, indicators), RESPONSES)
    version = data_version(session) if version is None else version
    kept = CACHE.get(key, version, indicators)
    if isinstance(kept, Responses):
        return version, kept.scored
    before = CACHE.latest(key, indicators)
    read = read_packs(
        session,
        viewer,
        koploper,
        wanted_items(indicators),
        include_demo,
        kept=before.read if isinstance(before, Responses) else None,
        version=version,
    )
    if read.version is not None:  # always, for a whole read: the version it was made at
        version = read.version
    scored = _scored(read, indicators)
    CACHE.put(key, version, indicators, Responses(read, scored))
    return version, scored


def _scored(read: PackRead, indicators: IndicatorSet) -> dict[str, Scored]:
    meta = read.meta  # channel and language already by the engine's numbers (the packs')
    scored = {}
    wanted = wanted_items(indicators)
    questionnaires = meta["questionnaire"].to_numpy()
    for key, spec in indicators.questionnaires.items():
        rows = np.flatnonzero(questionnaires == key)
        if rows.size == 0:
            continue
        part = meta.iloc[rows].reset_index(drop=True).assign(panel_id="", line=0)
        own = {item: read.codes[item][rows] for item in wanted[key]}
        responses = QuestionnaireResponses(key, part, pd.DataFrame(own))
        scored[key] = score_questionnaire(responses, spec)
    return scored
