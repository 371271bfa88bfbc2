"""Change from a baseline wave to a follow-up wave, per koploper × questionnaire × indicator.

Independent samples by default: each wave is its own sample of respondents. When responses carry a
``panel_id`` that links the same person across the two waves, the paired design is used for that
koploper and questionnaire (``design="auto"``); it can also be forced for all or for none.
Benjamini–Hochberg
q-values are computed per koploper over all its indicators of the comparison.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from measures.contrast import add_q_values, contrast, order_rows, rename_sides
from measures.errors import AnalysisError
from measures.indicators import Settings
from measures.paired import linked_pairs, paired_contrast
from measures.responses import WAVE_PATTERN
from measures.scoring import Scored
from measures.tabulate import summarise, tabulate
from surveys.vocabulary import WAVE_KINDS

Design = Literal["auto", "independent", "paired"]
INDEPENDENT, PAIRED = "onafhankelijk", "gekoppeld"


def available_waves(scored: dict[str, Scored]) -> list[str]:
    found = {w for s in scored.values() for w in s.meta["wave"].unique()}
    return sorted(found, key=lambda w: int(w[1:]))


def check_comparison(
    scored: dict[str, Scored], baseline: str, followup: str, koploper: str | None = None
) -> None:
    """Refuse, in Dutch, a comparison these responses cannot answer."""
    problems = []
    waves = available_waves(scored)
    shown = ", ".join(waves) or "geen"
    if len(waves) < 2:
        raise AnalysisError(
            [f"de antwoorden bevatten maar één meting ({shown}): niets te vergelijken"]
        )
    kinds = {kind: name.lower() for kind, name in WAVE_KINDS.items()}
    for name, wave in ((kinds["baseline"], baseline), (kinds["follow_up"], followup)):
        if not pd.Series([wave]).str.fullmatch(WAVE_PATTERN).iloc[0]:
            problems.append(f"{name} '{wave}' is geen meting (verwacht T0, T1, T2, …)")
        elif wave not in waves:
            problems.append(f"{name} '{wave}' komt niet voor in de antwoorden (wel: {shown})")
    if baseline == followup:
        problems.append(f"nulmeting en vervolgmeting zijn allebei '{baseline}': kies twee metingen")
    if koploper is not None:
        known = sorted({k for s in scored.values() for k in s.meta["koploper"]})
        if koploper not in known:
            problems.append(
                f"koploper '{koploper}' komt niet voor in de antwoorden (wel: {', '.join(known)})"
            )
    if problems:
        raise AnalysisError(problems)


def _independent(
    scored: Scored,
    baseline: str,
    followup: str,
    settings: Settings,
    koplopers: list[str],
    hide_counts: bool,
) -> pd.DataFrame:
    meta = scored.meta
    rows = meta.index[meta["wave"].isin([baseline, followup]) & meta["koploper"].isin(koplopers)]
    tab = tabulate(scored, meta.loc[rows, ["koploper", "wave"]], rows.to_numpy())
    stats = summarise(tab.counts, tab.base, tab.keys)

    def wave_part(table: pd.DataFrame, wave: str) -> pd.DataFrame:
        return table[table["wave"] == wave].drop(columns="wave")

    return contrast(
        wave_part(stats, baseline),
        wave_part(stats, followup),
        ["koploper"],
        settings,
        wave_part(tab.counts, baseline),
        wave_part(tab.counts, followup),
        side_names=(f"bij {baseline}", f"bij {followup}"),
        hide_counts=hide_counts,
    )


def compare_waves(
    scored: dict[str, Scored],
    baseline: str,
    followup: str,
    settings: Settings,
    koploper: str | None = None,
    design: Design = "auto",
    hide_counts: bool = False,
) -> pd.DataFrame:
    """One row per koploper × questionnaire × indicator; ``_baseline``/``_followup`` columns.

    ``hide_counts``: a published table's reason does not say a withheld count (``reasons``).
    """
    check_comparison(scored, baseline, followup, koploper)
    parts = []
    sides = (f"bij {baseline}", f"bij {followup}")
    for key, part in scored.items():
        koplopers = sorted(set(part.meta["koploper"]) if koploper is None else {koploper})
        linked = set(linked_pairs(part, baseline, followup)["koploper"]) & set(koplopers)
        if design == "paired" and not linked:
            raise AnalysisError(
                [
                    f"vragenlijst '{key}': geen antwoorden gekoppeld via panel_id tussen "
                    f"{baseline} en {followup}, dus geen gekoppelde vergelijking mogelijk"
                ]
            )
        paired = {"paired": set(koplopers), "auto": linked}.get(design, set())
        independent = [k for k in koplopers if k not in paired]
        if paired:
            table = paired_contrast(
                part, baseline, followup, settings, sorted(paired), sides, hide_counts
            )
            table.insert(1, "design", PAIRED)
            table.insert(1, "questionnaire", key)
            parts.append(table)
        if independent:
            table = _independent(part, baseline, followup, settings, independent, hide_counts)
            table.insert(1, "design", INDEPENDENT)
            table.insert(1, "questionnaire", key)
            parts.append(table)
    table = pd.concat(parts, ignore_index=True)
    table = order_rows(table, {k: s.indicators for k, s in scored.items()}, ["koploper"])
    table = add_q_values(table, ["koploper"])
    table["significant"] = table["q_value"] < settings.significance
    return rename_sides(table, "baseline", "followup")
