"""Command line for analysts: ``python -m measures compare|summary|benchmark|reliability``.

Reads the wide interchange format, each row checked against the questionnaire version it names
(from the codebook beside the file or ``--codebook``, else the built-in definitions), and writes
CSV (to ``--out`` or standard output). Proportions are fractions 0–1, theme scores 0–100, grades
1–10. An empty cell means no figure: withheld (see ``flag``) or not computable; "nan" is never
written. A file or request that does not fit gets Dutch messages naming the line and column, and
exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn, TextIO

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from measures.benchmark import benchmark
from measures.compare import compare_waves
from measures.errors import MeasuresError, ResponsesError
from measures.estimates import subgroup_estimates, wave_estimates
from measures.indicators import IndicatorSet, Settings, load_indicators
from measures.reliability import theme_reliability
from measures.responses import KOPLOPER_PATTERN, check_responses, read_responses_csv
from measures.scoring import Scored, score
from surveys.codebook import Codebook, CodebookError, codebook_path, read_codebook
from surveys.spreadsheet import formula_safe

COMPARE_COLUMNS = [
    "koploper",
    "questionnaire",
    "indicator",
    "kind",
    "n_baseline",
    "n_followup",
    "estimate_baseline",
    "ci_low_baseline",
    "ci_high_baseline",
    "estimate_followup",
    "ci_low_followup",
    "ci_high_followup",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "test",
    "p_value",
    "q_value",
    "effect_size",
    "flag",
]
SUMMARY_COLUMNS = [
    "questionnaire",
    "koploper",
    "wave",
    "subgroup",
    "category",
    "category_label",
    "indicator",
    "kind",
    "scale",
    "n",
    "n_dont_know",
    "n_missing",
    "estimate",
    "ci_low",
    "ci_high",
    "flag",
    "reason",
]
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m measures",
        description="Indicatoren, vergelijkingen en benchmarks uit antwoorden in het brede "
        "uitwisselformaat (één regel per ingevulde vragenlijst).",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--responses",
            required=True,
            type=Path,
            metavar="FILE.csv",
            help="antwoorden in het brede formaat (CSV, UTF-8)",
        )
        sub.add_argument(
            "--out",
            type=Path,
            metavar="OUT.csv",
            help="schrijf de uitkomst hierheen (standaard: het scherm)",
        )
        sub.add_argument(
            "--codebook",
            type=Path,
            metavar="FILE.json",
            help="de vragenlijstversies van de antwoorden (standaard: het codeboek naast het "
            "CSV-bestand, zoals antwoorden.codebook.json bij antwoorden.csv, en anders de "
            "ingebouwde vragenlijsten)",
        )
        sub.add_argument("--koploper", metavar="SLUG", help="alleen deze koploper, zoals 'almere'")
        sub.add_argument(
            "--min-n", type=int, metavar="N", help="onder dit aantal geen cijfer (standaard 10)"
        )
        sub.add_argument(
            "--indicative-n",
            type=int,
            metavar="N",
            help="onder dit aantal de vlag 'indicatief' (standaard 30)",
        )

    compare = commands.add_parser(
        "compare",
        help="verandering van nulmeting naar vervolgmeting per koploper",
        description="Verschil tussen twee metingen per koploper, vragenlijst en indicator, met "
        "betrouwbaarheidsinterval, toets, q-waarde (Benjamini-Hochberg per koploper) en "
        "effectgrootte.",
    )
    common(compare)
    compare.add_argument("--baseline", required=True, metavar="WAVE", help="nulmeting, zoals T0")
    compare.add_argument(
        "--followup", required=True, metavar="WAVE", help="vervolgmeting, zoals T1"
    )
    compare.add_argument(
        "--design",
        choices=["auto", "independent", "paired"],
        default="auto",
        help="auto (standaard): gekoppeld waar panel_id dezelfde mensen verbindt, anders "
        "onafhankelijk",
    )

    summary = commands.add_parser(
        "summary",
        help="schattingen per meting",
        description="Per koploper, meting, vragenlijst en indicator: n, weggelaten antwoorden, "
        "schatting en betrouwbaarheidsinterval.",
    )
    common(summary)
    summary.add_argument(
        "--subgroups", action="store_true", help="ook per doelgroep, leeftijdsgroep en rol"
    )

    bench = commands.add_parser(
        "benchmark",
        help="elke koploper tegen de overige koplopers en het eigen cohort",
        description="Elke koploper tegen alle andere koplopers samen in dezelfde meting (zonder "
        "zichzelf) en, met --cohorts, tegen de andere koplopers van het eigen cohort.",
    )
    common(bench)
    bench.add_argument("--wave", metavar="WAVE", help="alleen deze meting")
    bench.add_argument(
        "--cohorts", type=Path, metavar="FILE.csv", help="CSV met de kolommen koploper,cohort"
    )

    reliability = commands.add_parser(
        "reliability",
        help="Cronbachs alfa per thema en meting",
        description="Cronbachs alfa voor elk thema van twee of meer vragen, per meting.",
    )
    common(reliability)
    reliability.add_argument(
        "--per-koploper", action="store_true", help="ook uitsplitsen naar koploper"
    )
    return parser


def read_cohorts(path: Path) -> dict[str, str]:
    """A koploper → cohort mapping from a CSV with columns koploper,cohort."""
    frame = read_responses_csv(path)
    missing = [c for c in ("koploper", "cohort") if c not in frame.columns]
    if missing:
        raise ResponsesError([f"{path}: kolom ontbreekt: {', '.join(missing)} (regel 1)"])
    problems = []
    mapping: dict[str, str] = {}
    for position, (koploper, cohort) in enumerate(
        zip(frame["koploper"], frame["cohort"], strict=True)
    ):
        line = position + 2
        koploper, cohort = koploper.strip(), cohort.strip()
        if not pd.Series([koploper]).str.fullmatch(KOPLOPER_PATTERN).iloc[0]:
            problems.append(f"{path}, regel {line}, kolom 'koploper': geen koploper-code")
        elif not cohort:
            problems.append(f"{path}, regel {line}, kolom 'cohort': leeg")
        elif mapping.get(koploper, cohort) != cohort:
            problems.append(
                f"{path}, regel {line}, kolom 'cohort': '{koploper}' staat al in "
                f"cohort '{mapping[koploper]}'"
            )
        else:
            mapping[koploper] = cohort
    if problems:
        raise ResponsesError(problems)
    return mapping


def _settings(base: Settings, args: argparse.Namespace) -> Settings:
    changes = {}
    if args.min_n is not None:
        changes["min_n"] = args.min_n
    if args.indicative_n is not None:
        changes["indicative_n"] = args.indicative_n
    elif args.min_n is not None:
        changes["indicative_n"] = max(base.indicative_n, args.min_n)
    return replace(base, **changes) if changes else base


def find_codebook(responses: Path, given: Path | None) -> Codebook | None:
    """The codebook given, else the one beside the responses file, else None (built-in)."""
    if given is not None:
        return read_codebook(given)
    beside = codebook_path(responses)
    return read_codebook(beside) if beside.is_file() else None


def _load(args: argparse.Namespace, indicators: IndicatorSet) -> dict[str, Scored]:
    codebook = find_codebook(args.responses, args.codebook)
    responses = check_responses(read_responses_csv(args.responses), indicators, codebook=codebook)
    scored = score(responses, indicators)
    if args.koploper is not None:
        known = responses.koplopers
        if args.koploper not in known:
            raise ResponsesError(
                [
                    f"koploper '{args.koploper}' komt niet voor in {args.responses} "
                    f"(wel: {', '.join(known)})"
                ]
            )
    return scored


def _only(table: pd.DataFrame, koploper: str | None) -> pd.DataFrame:
    if koploper is None or table.empty:
        return table
    return table[table["koploper"] == koploper]


def write_table(table: pd.DataFrame, out: Path | None, stdout: TextIO) -> None:
    """CSV with empty cells for missing figures (never 'nan'), counts as whole numbers, every
    text made safe for a spreadsheet (``surveys.spreadsheet.formula_safe``: a direction '=' or a
    koploper name from the input file never runs as a formula)."""
    clean = table.replace([np.inf, -np.inf], np.nan)
    for column in clean.columns:
        if column.startswith("n") and column.split("_")[0] == "n":
            clean[column] = clean[column].astype("Int64")
        elif not is_numeric_dtype(clean[column]):
            clean[column] = clean[column].map(formula_safe)
    options = {"index": False, "na_rep": "", "float_format": "%.10g", "lineterminator": "\n"}
    if out is None:
        clean.to_csv(stdout, **options)
    else:
        clean.to_csv(out, encoding="utf-8", **options)


def run(args: argparse.Namespace, stdout: TextIO) -> pd.DataFrame:
    indicators = load_indicators()
    settings = _settings(indicators.settings, args)
    scored = _load(args, indicators)
    if args.command == "compare":
        table = compare_waves(
            scored, args.baseline, args.followup, settings, args.koploper, args.design
        )[COMPARE_COLUMNS]
    elif args.command == "summary":
        parts = [wave_estimates(part, settings) for part in scored.values()]
        if args.subgroups:
            parts += [subgroup_estimates(part, settings) for part in scored.values()]
        table = pd.concat(parts, ignore_index=True).reindex(columns=SUMMARY_COLUMNS)
        table["category"] = table["category"].astype("Int64")
        table = _only(table, args.koploper)
    elif args.command == "benchmark":
        if args.wave is not None and args.wave not in {
            w for s in scored.values() for w in s.meta["wave"]
        }:
            raise ResponsesError([f"meting '{args.wave}' komt niet voor in {args.responses}"])
        cohorts = read_cohorts(args.cohorts) if args.cohorts else None
        table = _only(benchmark(scored, settings, cohorts, args.wave), args.koploper)
        table = table.drop(columns=["rank_test", "p_value_rank"], errors="ignore")
    else:
        per_koploper = args.per_koploper or args.koploper is not None
        by = ("koploper", "wave") if per_koploper else ("wave",)
        parts = [theme_reliability(part, settings, by) for part in scored.values()]
        table = _only(pd.concat(parts, ignore_index=True), args.koploper)
    write_table(table, args.out, stdout)
    return table


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdout = stdout or sys.stdout
    try:
        table = run(args, stdout)
    except (MeasuresError, CodebookError) as exc:
        for problem in exc.problems:
            print(f"fout: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"fout: kan niet schrijven of lezen: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.out is not None:
        print(f"{len(table)} regels geschreven naar {args.out}", file=sys.stderr)
    return 0
