"""Synthetic responses in the wide interchange format, for the tests and the benchmark.

The answers come from the one generator, ``surveys.synthetic``: drawn from the questionnaire
definitions, every response passes the respondent check. Each koploper improves by about
``improvement`` (log-odds) per wave, so a comparison has something to find.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from surveys.definition import load_builtin
from surveys.interchange import META_COLUMNS
from surveys.synthetic import Koplopers, draw_koplopers, generate

QUESTIONNAIRES = ("client", "professional")


def questionnaire_responses(
    key: str,
    rng: np.random.Generator,
    koplopers: Sequence[str],
    waves: Sequence[str],
    per_group: int,
    levels: Koplopers,
    first_id: int = 0,
) -> pd.DataFrame:
    """``per_group`` responses to questionnaire ``key`` per koploper and wave, as a wide frame."""
    koploper = np.repeat(np.arange(len(koplopers)), len(waves) * per_group)
    wave = np.tile(np.repeat(np.arange(len(waves)), per_group), len(koplopers))
    sample = generate(
        load_builtin(key), koploper.size, rng, koploper=koploper, wave=wave, koplopers=levels
    )
    meta = pd.DataFrame(
        {
            "response_id": [f"{key[0]}{first_id + i:07d}" for i in range(koploper.size)],
            "koploper": np.asarray(koplopers, dtype=object)[koploper],
            "wave": np.asarray(waves, dtype=object)[wave],
            "questionnaire": key,
            "questionnaire_version": 1,
            "submitted_at": "2024-01-01T12:00:00",
            "channel": "web",
            "language": sample.language,
        }
    )
    return pd.concat([meta, sample.items_frame()], axis=1)


def synthetic_responses(
    koplopers: Sequence[str] = ("almere", "breda", "regio-twente"),
    waves: Sequence[str] = ("T0", "T1"),
    per_group: int = 60,
    professionals_per_group: int | None = None,
    seed: int = 2024,
    improvement: float = 0.6,
) -> pd.DataFrame:
    """A wide frame of client and professional responses: ``per_group`` per koploper and wave.

    Every koploper improves (about ``improvement`` log-odds per wave, the same koploper level for
    both questionnaires); ``waves`` are in order, the first is the baseline.
    """
    rng = np.random.default_rng(seed)
    levels = draw_koplopers(rng, len(koplopers), improvement=improvement, improving_share=1.0)
    sizes = {"client": per_group, "professional": professionals_per_group or per_group}
    parts = [
        questionnaire_responses(key, rng, koplopers, waves, sizes[key], levels, 5_000_000 * number)
        for number, key in enumerate(QUESTIONNAIRES)
    ]
    wide = pd.concat(parts, ignore_index=True)
    items = [c for c in wide.columns if c not in META_COLUMNS]
    return wide[[*META_COLUMNS, *items]]


def count_answers(wide: pd.DataFrame) -> int:
    """How many item cells hold an answer (the benchmark's unit)."""
    items = wide.drop(columns=list(META_COLUMNS))
    filled = items.notna() & (items.astype(str) != "")
    return int(filled.to_numpy().sum())
