"""Benchmark of the measures engine: 28 koplopers × 3 waves × 2 questionnaires, ~1,000,000 answers.

Generates the responses with the one synthetic-response generator (``surveys.synthetic``, through
``measures.synthetic``) and reports how long that took. Then times the vectorised engine (check the
wide frame, score, estimates per wave and per subgroup, the three wave comparisons, both
benchmarks, Cronbach's alpha) against a straightforward loop that filters each group and calls
SciPy/statsmodels per group, over the same data in the same run, and checks that both give the
same figures. Run from the repository root:

    python bench/measures.py            # full size
    python bench/measures.py --quick    # a tenth, for a smoke test

Goal (issue 4): under 2 s, at least 10× the loop, under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

# This script is called measures.py: put the repository root first so `measures` is the package.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from measures.benchmark import benchmark  # noqa: E402
from measures.compare import compare_waves  # noqa: E402
from measures.estimates import subgroup_estimates, wave_estimates  # noqa: E402
from measures.indicators import PROPORTION, load_indicators  # noqa: E402
from measures.reliability import theme_reliability  # noqa: E402
from measures.responses import check_responses  # noqa: E402
from measures.scoring import VALID, score  # noqa: E402
from measures.synthetic import count_answers, synthetic_responses  # noqa: E402

KOPLOPERS = [
    "alkmaar",
    "almelo",
    "almere",
    "amersfoort",
    "amsterdam",
    "breda",
    "den-haag",
    "deurne",
    "de-wolden",
    "dordrecht",
    "gouda",
    "heeze-leende",
    "helmond",
    "maastricht",
    "meppel",
    "midden-groningen",
    "ommen",
    "oosterschelderegio",
    "putten",
    "regio-twente",
    "roosendaal",
    "stichtse-vecht",
    "teylingen",
    "tilburg",
    "veldhoven",
    "voorst",
    "woerden",
    "zaanstad",
]
WAVES = ["T0", "T1", "T2"]
PAIRS = [("T0", "T1"), ("T0", "T2"), ("T1", "T2")]
TARGET_ANSWERS = 1_000_000


def build(scale: float) -> pd.DataFrame:
    pilot = synthetic_responses(KOPLOPERS, WAVES, per_group=20, seed=7)
    per_response = count_answers(pilot) / len(pilot)
    groups = len(KOPLOPERS) * len(WAVES) * 2
    per_group = int(np.ceil(TARGET_ANSWERS * scale / per_response / groups))
    return synthetic_responses(KOPLOPERS, WAVES, per_group=per_group, seed=11)


def vectorised(wide: pd.DataFrame, cohorts: dict[str, str]) -> dict[str, pd.DataFrame]:
    indicators = load_indicators()
    settings = indicators.settings
    scored = score(check_responses(wide, indicators), indicators)
    out = {
        "estimates": pd.concat([wave_estimates(s, settings) for s in scored.values()]),
        "subgroups": pd.concat([subgroup_estimates(s, settings) for s in scored.values()]),
        "alpha": pd.concat([theme_reliability(s, settings) for s in scored.values()]),
        "benchmark": benchmark(scored, settings, cohorts),
    }
    for baseline, followup in PAIRS:
        out[f"{baseline}-{followup}"] = compare_waves(scored, baseline, followup, settings)
    return out


def looped(wide: pd.DataFrame, cohorts: dict[str, str]) -> dict[str, list[tuple]]:
    """The straightforward way: a per-respondent frame, then one filter and one call per group."""
    indicators = load_indicators()
    scored = score(check_responses(wide, indicators), indicators)
    estimates, changes, benches = [], [], []
    for key, part in scored.items():
        frame = part.meta[["koploper", "wave"]].copy()
        frame["cohort"] = frame["koploper"].map(cohorts)
        for name in part.indicators:
            frame[name] = np.where(part.status[name] == VALID, part.values[name], np.nan)
        for name in part.indicators:
            proportion = part.kinds[name] == PROPORTION

            def sample(mask: pd.Series, name: str = name, frame=frame) -> np.ndarray:
                values = frame.loc[mask, name]
                return values[values.notna()].to_numpy()

            def describe(x: np.ndarray, proportion: bool = proportion) -> tuple:
                if proportion:
                    return (x.mean(), *proportion_confint(x.sum(), x.size, method="wilson"))
                return (x.mean(), *stats.t.interval(0.95, x.size - 1, x.mean(), stats.sem(x)))

            def test(x: np.ndarray, y: np.ndarray, proportion: bool = proportion) -> tuple:
                if proportion:
                    table = [[y.sum(), y.size - y.sum()], [x.sum(), x.size - x.sum()]]
                    ci = confint_proportions_2indep(
                        y.sum(), y.size, x.sum(), x.size, method="newcomb"
                    )
                    if stats.contingency.expected_freq(table).min() < 5:
                        return (*ci, stats.fisher_exact(table).pvalue)
                    return (*ci, stats.chi2_contingency(table, correction=False).pvalue)
                welch = stats.ttest_ind(y, x, equal_var=False)
                rank = stats.mannwhitneyu(y, x, method="asymptotic")
                return (*welch.confidence_interval(), welch.pvalue, rank.pvalue)

            for koploper in KOPLOPERS:
                own = frame["koploper"] == koploper
                for wave in WAVES:
                    x = sample(own & (frame["wave"] == wave))
                    estimates.append((key, koploper, wave, name, x.size, *describe(x)))
                    for reference in ("others", "cohort"):
                        pool = frame["wave"] == wave
                        if reference == "cohort":
                            pool &= frame["cohort"] == cohorts[koploper]
                        y = sample(pool & ~own)
                        benches.append((key, koploper, wave, reference, name, *test(y, x)))
                for baseline, followup in PAIRS:
                    x = sample(own & (frame["wave"] == baseline))
                    y = sample(own & (frame["wave"] == followup))
                    changes.append((key, koploper, baseline, followup, name, *test(x, y)))
        for subgroup in part.spec.subgroups:
            codes = part.codes[subgroup.item].to_numpy()
            for code in subgroup.labels:
                if subgroup.multiple:
                    member = (codes.astype(np.int64) >> code) & 1 == 1
                else:
                    member = codes == code
                for name in part.indicators:
                    proportion = part.kinds[name] == PROPORTION
                    for koploper in KOPLOPERS:
                        for wave in WAVES:
                            mask = (
                                member & (frame["koploper"] == koploper) & (frame["wave"] == wave)
                            )
                            x = frame.loc[mask, name].dropna().to_numpy()
                            if x.size >= 2:
                                estimates.append((key, koploper, wave, name, code, x.mean()))
    return {"estimates": estimates, "changes": changes, "benchmarks": benches}


def check_same(fast: dict[str, pd.DataFrame], slow: dict[str, list[tuple]]) -> float:
    """Largest difference between the two ways, on the T0 → T1 p-values and wave estimates."""
    change = fast["T0-T1"].set_index(["questionnaire", "koploper", "indicator"])
    worst = 0.0
    for key, koploper, baseline, followup, name, *figures in slow["changes"]:
        if (baseline, followup) != ("T0", "T1"):
            continue
        row = change.loc[(key, koploper, name)]
        worst = max(worst, abs(row["diff_ci_low"] - figures[0]), abs(row["p_value"] - figures[2]))
    estimates = fast["estimates"].set_index(["questionnaire", "koploper", "wave", "indicator"])
    for key, koploper, wave, name, _n, *figures in slow["estimates"][:2000]:
        if isinstance(figures[0], float) and len(figures) == 3:
            row = estimates.loc[(key, koploper, wave, name)]
            worst = max(worst, abs(row["estimate"] - figures[0]), abs(row["ci_low"] - figures[1]))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many engine runs")
    args = parser.parse_args()
    start = time.perf_counter()
    wide = build(0.1 if args.quick else 1.0)
    generated = time.perf_counter() - start
    cohorts = {k: ("2017" if i % 2 else "2018") for i, k in enumerate(KOPLOPERS)}
    answers = count_answers(wide)
    print(
        f"data: {len(KOPLOPERS)} koplopers × {len(WAVES)} waves × 2 questionnaires, "
        f"{len(wide):,} responses, {answers:,} answers, generated in {generated:.2f} s"
    )

    vectorised(wide.head(2000), cohorts)  # warm-up: imports, YAML, caches
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        fast = vectorised(wide, cohorts)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    vectorised(wide, cohorts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    start = time.perf_counter()
    slow = looped(wide, cohorts)
    loop_time = time.perf_counter() - start
    rows = sum(len(t) for t in fast.values())
    print(
        f"engine: {min(times):.2f} s (best of {args.repeat}; all: "
        f"{', '.join(f'{t:.2f}' for t in times)}), {rows:,} result rows"
    )
    print(f"engine peak memory (tracemalloc): {peak / 2**20:.0f} MiB")
    print(f"loop:   {loop_time:.2f} s  → engine is {loop_time / min(times):.1f}× faster")
    print(
        f"process peak RSS (data, engine and loop): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print(
        f"largest difference engine vs loop (T0→T1 CI and p, estimates): "
        f"{check_same(fast, slow):.2e}"
    )


if __name__ == "__main__":
    main()
