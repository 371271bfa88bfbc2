"""The dimensions of the dashboard's tables: the category of "no subgroup", the key columns, and
two helpers over them. The three groups a koploper's figures are counted for (``OWN``,
``OTHERS``, ``COHORT``) are keys of ``surveys.vocabulary``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

ALL = -99
"""The category of every row when no subgroup is chosen."""
KEYS = ["group", "category", "wave", "questionnaire"]
MEMBER_COLUMNS = ["group", "category", "wave", "questionnaire", "indicator", "koplopers"]
POOL_KEYS = ["group", "category", "wave", "questionnaire", "indicator"]
"""The keys of ``measures.pools.small_pools``: a reference group's figure of one indicator."""


def in_view(table: pd.DataFrame, questionnaires: Iterable[str]) -> pd.DataFrame:
    """The rows of the questionnaires a view shows."""
    if table.empty:
        return table
    return table[table["questionnaire"].isin(list(questionnaires))]


def wave_order(waves: object) -> list[str]:
    """The wave codes, each once, in their order (T0, T1, …, T10)."""
    return sorted({str(w) for w in waves}, key=lambda w: int(w[1:]))
