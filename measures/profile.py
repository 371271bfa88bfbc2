"""Who answered: the koploper's respondents per profile question (target group, age, …) at each
wave, and the table the dashboard shows of them, as shares with small numbers withheld.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from measures.groups import wave_order
from measures.indicators import IndicatorSet
from measures.scoring import Scored
from measures.suppression import complement_of_overlapping, complement_of_partition, flags, reasons
from surveys.vocabulary import COMPLEMENT_REASON, SUPPRESSED, fewer_than

PROFILE_COLUMNS = ["wave", "questionnaire", "item", "code", "count", "answered"]
"""The counted profile (``GroupCounts.profile``)."""


def profile_items(indicators: IndicatorSet) -> dict[str, list[str]]:
    """Per questionnaire the coded profile questions shown under 'Inzicht' (who answered)."""
    found: dict[str, list[str]] = {}
    for key, spec in indicators.questionnaires.items():
        as_indicator = {i.item for i in spec.items}
        found[key] = [
            item.key
            for item in spec.definition.items
            if item.theme == "profile" and item.qtype.coded and item.key not in as_indicator
        ]
    return found


def empty_profile() -> pd.DataFrame:
    """A counted profile without rows."""
    return pd.DataFrame(columns=PROFILE_COLUMNS)


def profile_of(part: Scored, own: np.ndarray, item_key: str, key: str) -> pd.DataFrame:
    """How many of the respondents ``own`` (rows of ``part``) chose each option of one profile
    question, and how many answered it, per wave."""
    item = part.spec.definition.item(item_key)
    codes = part.codes[item_key].to_numpy()[own]
    waves = part.meta["wave"].to_numpy()[own]
    rows = []
    for wave in wave_order(waves):
        here = codes[waves == wave]
        if item.qtype.multiple:
            chosen = {
                o.code: int(((here.astype(np.int64) >> o.code) & 1).sum()) for o in item.options
            }
            answered = int((here.astype(np.int64) > 0).sum())
        else:
            chosen = {o.code: int((here == o.code).sum()) for o in item.options}
            answered = int((~np.isnan(here.astype(float))).sum())
        for code, count in chosen.items():
            rows.append((wave, key, item_key, code, count, answered))
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def profile_table(profile: pd.DataFrame, indicators: IndicatorSet) -> pd.DataFrame:
    """Who answered, as shares of those who answered each question, with small numbers withheld.

    A category of fewer than ``min_n`` respondents is withheld; so is, when one category of a
    single-choice question is withheld, the next smallest (else it follows from the total); a
    multiple-choice category is also withheld when fewer than ``min_n`` did not choose it.
    """
    settings = indicators.settings
    columns = [
        "wave",
        "questionnaire",
        "item",
        "question",
        "code",
        "category",
        "count",
        "answered",
        "share",
        "flag",
        "reason",
    ]
    if profile.empty:
        return pd.DataFrame(columns=columns)
    wave, questionnaire = profile["wave"].to_numpy(), profile["questionnaire"].to_numpy()
    key, code = profile["item"].to_numpy(), profile["code"].to_numpy()
    items = {
        (q, k): indicators.questionnaires[q].definition.item(k)
        for q, k in set(zip(questionnaire.tolist(), key.tolist(), strict=True))
    }

    def label(q: str, k: str, c: int) -> str:
        return next((o.label["nl"] for o in items[q, k].options if o.code == c), str(c))

    rows = list(zip(questionnaire.tolist(), key.tolist(), code.tolist(), strict=True))
    labels = {row: label(*row) for row in set(rows)}
    n = profile["count"].to_numpy(dtype=np.int64)
    answered = profile["answered"].to_numpy(dtype=np.int64)
    multiple = np.asarray([items[q, k].qtype.multiple for q, k, _ in rows], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = n / answered
    small = (n > 0) & (n < settings.min_n)
    base_small = answered < settings.min_n
    parts = pd.DataFrame({"wave": wave, "questionnaire": questionnaire, "item": key, "n": n})
    partition = complement_of_partition(parts, ["wave", "questionnaire", "item"], settings)
    overlapping = complement_of_overlapping(n, answered, settings) & (n >= settings.min_n)
    extra = np.where(multiple, overlapping, partition) & ~small
    flag = flags(answered, settings)
    reason = reasons(answered, np.zeros(len(n)), settings, hide_counts=True)
    cell_small = small & ~base_small
    flag[cell_small] = SUPPRESSED
    reason[cell_small] = f"te weinig mensen in deze groep ({fewer_than(settings.min_n)})"
    flag[extra & ~base_small] = SUPPRESSED
    reason[extra & ~base_small] = COMPLEMENT_REASON
    hide = flag == SUPPRESSED
    return pd.DataFrame(
        {
            "wave": wave,
            "questionnaire": questionnaire,
            "item": key,
            "question": [items[q, k].text["nl"] for q, k, _ in rows],
            "code": code,
            "category": [labels[row] for row in rows],
            "count": np.where(hide, np.nan, n.astype(float)),
            "answered": answered,
            "share": np.where(hide, np.nan, share),
            "flag": flag,
            "reason": reason,
        },
        columns=columns,
    )
