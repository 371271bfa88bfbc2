"""The golden check: the figures of many dashboard and Vergelijken views, fingerprinted.

A demo-like database (every koploper at T0 and T1, a few at T2 under a reworded client version,
some of those on the web and not demo) is built the same way every time; then the figures of
many views are computed and each table fingerprinted (a SHA-256 of its columns and cells, floats
to 12 significant digits). ``golden_figures.json`` holds the fingerprints as the code before the
``views/`` package produced them; ``test_golden_figures.py`` checks that today's code gives the
same. Write the file again only on purpose, when a figure is meant to change:
``python -m tests.views.golden_figures``.

Views: every koploper without a subgroup for two wave pairs (a change, and one wave alone), every
category of every subgroup for three koplopers (with a change, and for one the single wave too),
the T2 pairs of the koplopers with a T2, a gemeente viewer of Tilburg (the koplopers it sees by
name do not make a pool anonymous), and Vergelijken as a researcher sees it.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from db.access import Viewer, command_line
from db.demo import demo_responses, seed_demo
from db.engine import get_engine, get_sessionmaker
from db.models import Koploper
from db.questionnaires import latest_version, register_definition
from db.responses import insert_responses
from db.setup import init_database
from measures.figures import Figures
from measures.indicators import load_indicators
from surveys.definition import DEFINITIONS_DIR, from_stored, parse_definition, read_definition
from surveys.synthetic import draw_koplopers

GOLDEN = Path(__file__).with_name("golden_figures.json")
SIZES = (12, 40)
WITH_T2 = ("almere", "tilburg", "breda")
SUBGROUP_KOPLOPERS = ("tilburg", "almere", "meppel")
TABLES = ("estimates", "changes", "benchmarks", "profile")

ViewFigures = Callable[[str, Viewer, str, str, str | None, int | None, str, str], Figures]
"""(url, viewer, koploper slug, koploper name, subgroup, category, baseline, followup) → the
figures of that view, as the page draws them."""


def _reworded(raw: dict) -> dict:
    raw = copy.deepcopy(raw)
    raw["version"] = 2
    for section in raw["sections"]:
        for item in section["items"]:
            if item["key"] == "knew_where":
                item["text"]["nl"] = "Ik wist waar ik terecht kon met mijn vraag."
    return raw


def build(url: str) -> None:
    """The demo-like database of the golden check."""
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, seed=20261205, sizes=SIZES)
        raw = _reworded(read_definition(DEFINITIONS_DIR / "client.yaml")[1])
        register_definition(session, parse_definition(raw, "client.yaml"), raw)
    with get_sessionmaker(url).begin() as session:
        rng = np.random.default_rng(5)
        koplopers = list(session.scalars(select(Koploper).order_by(Koploper.name)))
        levels = draw_koplopers(rng, len(koplopers))
        for number, koploper in enumerate(koplopers):
            if koploper.slug not in WITH_T2:
                continue
            t2 = next(w for w in koploper.waves if w.code == "T2")
            for key in ("client", "professional"):
                version = latest_version(session, key)
                questionnaire = from_stored(version.definition)
                batch = demo_responses(
                    questionnaire, version.id, koploper, number, levels, rng, SIZES
                )
                batch = [
                    dataclasses.replace(
                        r,
                        wave_id=t2.id,
                        idempotency_key=f"golden-{key}-{koploper.slug}-{i}",
                        is_demo=i % 3 != 0,
                        channel="demo" if i % 3 != 0 else "web",
                    )
                    for i, r in enumerate(batch)
                ]
                insert_responses(session, questionnaire, batch)


def views(names: dict[str, str]) -> list[tuple[str, str, str | None, int | None, str, str]]:
    """(viewer, koploper, subgroup, category, baseline, followup) of every view checked."""
    from measures.subgroups import subgroup_choices

    choices = subgroup_choices(load_indicators())
    found: list[tuple[str, str, str | None, int | None, str, str]] = []
    for slug in names:
        found += [("onderzoeker", slug, None, None, "T0", "T1")]
        found += [("onderzoeker", slug, None, None, "T0", "T0")]
    for slug in WITH_T2:
        found += [("onderzoeker", slug, None, None, "T0", "T2")]
        found += [("onderzoeker", slug, None, None, "T1", "T2")]
    for slug in SUBGROUP_KOPLOPERS:
        for key, choice in choices.items():
            for category in choice.categories:
                found.append(("onderzoeker", slug, key, category, "T0", "T1"))
                if slug == "tilburg":
                    found.append(("onderzoeker", slug, key, category, "T1", "T2"))
    found += [("gemeente", "tilburg", None, None, "T0", "T1")]
    found += [("gemeente", "tilburg", "age_group", 1, "T0", "T1")]
    found += [("gemeente", "tilburg", "channel", 1, "T1", "T2")]
    return found


def viewers(url: str) -> dict[str, Viewer]:
    with get_sessionmaker(url)() as session:
        tilburg = session.scalar(select(Koploper).where(Koploper.slug == "tilburg"))
        own = Viewer(
            "gemeente@golden.example",
            "gemeente",
            frozenset({tilburg.id}),
            frozenset({"tilburg"}),
            free_text=False,
            user_id=None,
        )
    return {"onderzoeker": command_line(), "gemeente": own}


def koploper_names(url: str) -> dict[str, str]:
    with get_sessionmaker(url)() as session:
        rows = session.execute(select(Koploper.slug, Koploper.name).order_by(Koploper.name))
        return dict(rows.all())


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(f"{float(value):.12g}")
    return str(value)


def fingerprint(value: object) -> str:
    """SHA-256 of a table (columns and cells in order) or of any JSON-able value."""
    if isinstance(value, pd.DataFrame):
        value = {
            "columns": [str(c) for c in value.columns],
            "rows": [[_cell(v) for v in row] for row in value.itertuples(index=False)],
        }
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def figures_prints(fig: Figures) -> dict[str, str]:
    prints = {name: fingerprint(getattr(fig, name)) for name in TABLES}
    prints["waves"] = fingerprint([fig.baseline, fig.followup, list(fig.waves)])
    return prints


def comparison_prints(data: object) -> dict[str, str]:
    prints = {
        "koplopers": fingerprint(data.koplopers),
        "waves": fingerprint(list(data.waves)),
        "estimates": fingerprint(data.estimates),
        "cohorts": fingerprint(data.cohorts),
    }
    for pair in sorted(data.changes):
        prints[f"changes {pair[0]}-{pair[1]}"] = fingerprint(data.changes[pair])
        prints[f"pools {pair[0]}-{pair[1]}"] = fingerprint(data.pools[pair])
    return prints


def record(url: str, view_figures: ViewFigures, comparison: Callable[[str, Viewer], object]):
    """Fingerprints of every view (by ``viewer|koploper|subgroup|category|baseline|followup``)
    and of Vergelijken."""
    names = koploper_names(url)
    who = viewers(url)
    found: dict[str, dict[str, str]] = {}
    for role, slug, subgroup, category, baseline, followup in views(names):
        fig = view_figures(
            url, who[role], slug, names[slug], subgroup, category, baseline, followup
        )
        found[f"{role}|{slug}|{subgroup}|{category}|{baseline}|{followup}"] = figures_prints(fig)
    return {"views": found, "vergelijken": comparison_prints(comparison(url, who["onderzoeker"]))}


def view_figures(url, viewer, slug, name, subgroup, category, baseline, followup) -> Figures:
    """The figures of one view as the page gets them (``views.dashboard``), with no figures or
    count tables kept: what was counted for one view must not decide another's (the scored
    responses are kept, as for the page)."""
    from views.cache import CACHE
    from views.dashboard import COUNTS, FIGURES, dashboard_figures

    CACHE.drop(FIGURES)
    CACHE.drop(COUNTS)
    with get_sessionmaker(url)() as session:
        return dashboard_figures(
            session, viewer, slug, name, subgroup, category, baseline, followup
        )


def comparison(url: str, viewer: Viewer):
    from views.compare import comparison

    with get_sessionmaker(url)() as session:
        return comparison(session, viewer, indicators=load_indicators())


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'golden.db'}"
        build(url)
        recorded = record(url, view_figures, comparison)
        get_engine(url).dispose()
    GOLDEN.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"{len(recorded['views'])} views written to {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    main()
