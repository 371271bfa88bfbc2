"""Synthetic responses in the wide interchange format, for the tests and the benchmark.

Answers follow the questionnaires' skip logic (the client questions about the client supporter only
after "used_oco = ja"; referrals only for referrers) and carry a small improvement per wave, so a
comparison has something to find. Not demo data for people: no free text worth reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from measures.responses import META_COLUMNS

CLIENT_FINDABILITY = ("knew_where", "easy_contact", "quick_help")
CLIENT_QUALITY = ("taken_seriously", "solutions_together", "on_my_side", "knew_enough")
CLIENT_OUTCOME = ("outcome_choices", "outcome_fit", "outcome_cope")
PROFESSIONAL_AGREEMENT = (
    "knows_how_refer",
    "findable_for_residents",
    "near_access",
    "independent_position",
    "formal_informal",
    "expertise_elderly",
    "expertise_lvb",
    "expertise_homeless",
)


def _agreement(rng: np.random.Generator, level: np.ndarray, dont_know: float) -> np.ndarray:
    code = np.clip(np.rint(3.3 + level + rng.normal(0, 0.9, level.size)), 1, 5)
    return np.where(rng.random(level.size) < dont_know, 9.0, code)


def _multiple(rng: np.random.Generator, size: int, options: int, p: float) -> np.ndarray:
    chosen = rng.random((size, options)) < p
    chosen[np.arange(size), rng.integers(0, options, size)] = True
    text = np.full(size, "", dtype=object)
    for option in range(options):
        code = str(option + 1)
        text = np.where(chosen[:, option], np.where(text == "", code, text + ";" + code), text)
    return text


def _meta(
    questionnaire: str, koplopers: Sequence[str], waves: Sequence[str], per_group: int, start: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    k = np.repeat(np.arange(len(koplopers)), len(waves) * per_group)
    w = np.tile(np.repeat(np.arange(len(waves)), per_group), len(koplopers))
    n = k.size
    meta = pd.DataFrame(
        {
            "response_id": [f"{questionnaire[0]}{start + i:07d}" for i in range(n)],
            "koploper": np.asarray(koplopers, dtype=object)[k],
            "wave": np.asarray(waves, dtype=object)[w],
            "questionnaire": questionnaire,
            "questionnaire_version": 1,
            "submitted_at": "2024-01-01T12:00:00",
            "channel": "web",
            "language": "nl",
        }
    )
    return meta, k, w


def client_responses(
    rng: np.random.Generator,
    koplopers: Sequence[str],
    waves: Sequence[str],
    per_group: int,
    improvement: float = 0.25,
) -> pd.DataFrame:
    meta, k, w = _meta("client", koplopers, waves, per_group, 0)
    n = len(meta)
    koploper_level = rng.normal(0, 0.3, len(koplopers))[k]
    level = koploper_level + improvement * w + rng.normal(0, 0.7, n)
    aware_p = 1 / (1 + np.exp(-(-0.6 + koploper_level + improvement * w)))
    aware = np.where(rng.random(n) < aware_p, 1.0, 0.0)
    aware = np.where(rng.random(n) < 0.06, 9.0, aware)
    used = np.where(rng.random(n) < 0.55, 1.0, 0.0)
    shown = used == 1
    columns: dict[str, object] = {
        "aware_oco": aware,
        "heard_via": np.where(aware == 1, _multiple(rng, n, 7, 0.15), ""),
        "used_oco": used,
    }
    for key in (*CLIENT_FINDABILITY, *CLIENT_QUALITY, *CLIENT_OUTCOME):
        columns[key] = np.where(shown, _agreement(rng, level, 0.05), np.nan)
    grade = np.clip(np.rint(7.2 + 1.1 * level + rng.normal(0, 0.8, n)), 1, 10)
    columns["grade"] = np.where(shown & (rng.random(n) > 0.03), grade, np.nan)
    columns["need_domains"] = _multiple(rng, n, 7, 0.2)
    columns["target_group"] = np.where(rng.random(n) > 0.05, _multiple(rng, n, 7, 0.12), "")
    columns["age_group"] = np.where(rng.random(n) > 0.04, rng.integers(1, 7, n), np.nan)
    columns["filled_by"] = rng.integers(1, 4, n).astype(float)
    columns["comments"] = np.where(rng.random(n) < 0.1, "Prima geholpen.", "")
    return pd.concat([meta, pd.DataFrame(columns)], axis=1)


def professional_responses(
    rng: np.random.Generator,
    koplopers: Sequence[str],
    waves: Sequence[str],
    per_group: int,
    improvement: float = 0.25,
) -> pd.DataFrame:
    meta, k, w = _meta("professional", koplopers, waves, per_group, 5_000_000)
    n = len(meta)
    level = rng.normal(0, 0.3, len(koplopers))[k] + improvement * w + rng.normal(0, 0.7, n)
    role = rng.integers(1, 9, n).astype(float)
    referrer = np.isin(role, [4, 5, 6, 7])
    columns: dict[str, object] = {
        "role": role,
        "aware_offer": _agreement(rng, level, 0.04),
        "referrals": np.where(referrer, rng.integers(1, 5, n), np.nan),
    }
    for key in PROFESSIONAL_AGREEMENT:
        columns[key] = _agreement(rng, level - 0.3, 0.08)
    columns["quality_grade"] = np.clip(np.rint(6.8 + level + rng.normal(0, 0.9, n)), 1, 10)
    columns["unmet_groups"] = _multiple(rng, n, 7, 0.2)
    columns["comments"] = np.where(rng.random(n) < 0.2, "Meer bekendheid nodig.", "")
    return pd.concat([meta, pd.DataFrame(columns)], axis=1)


def synthetic_responses(
    koplopers: Sequence[str] = ("almere", "breda", "regio-twente"),
    waves: Sequence[str] = ("T0", "T1"),
    per_group: int = 60,
    professionals_per_group: int | None = None,
    seed: int = 2024,
    improvement: float = 0.25,
) -> pd.DataFrame:
    """A wide frame of client and professional responses: ``per_group`` per koploper and wave."""
    rng = np.random.default_rng(seed)
    clients = client_responses(rng, koplopers, waves, per_group, improvement)
    professionals = professional_responses(
        rng, koplopers, waves, professionals_per_group or per_group, improvement
    )
    wide = pd.concat([clients, professionals], ignore_index=True)
    items = [c for c in wide.columns if c not in META_COLUMNS]
    return wide[[*META_COLUMNS, *items]]


def count_answers(wide: pd.DataFrame) -> int:
    """How many item cells hold an answer (the benchmark's unit)."""
    items = wide.drop(columns=list(META_COLUMNS))
    filled = items.notna() & (items.astype(str) != "")
    return int(filled.to_numpy().sum())
