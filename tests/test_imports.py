"""Imports go one way: each module imported alone, in a fresh interpreter, loads only what it may.

``surveys`` and ``measures`` load neither Streamlit nor ``db`` nor SQLAlchemy; ``db`` may use
``surveys`` and, to count what it may return with the engine's own rules, ``measures`` (pure: it
loads no ``db``, so there is no cycle), never Streamlit; Streamlit only in ``streamlit_app.py``
and ``pages/``. Only ``db.dashboard`` uses ``measures``: it turns responses into count tables
before anything leaves the data layer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "surveys": {"streamlit", "db", "sqlalchemy", "measures", "pages"},
    "measures": {"streamlit", "db", "sqlalchemy", "pages"},
    "db": {"streamlit", "pages"},
}
PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
"""


def module_names() -> list[str]:
    names = []
    for package in FORBIDDEN:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path.name == "__main__.py":
                continue  # Alembic loads its scripts; __main__ runs a command line on import
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = module_names()


@cache
def loaded_by_each() -> dict[str, list[str]]:
    """Top-level packages that importing each module alone loads (imported in parallel)."""

    def probe(module: str) -> tuple[str, list[str]]:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, module],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"{module} does not import alone:\n{result.stderr}"
        return module, json.loads(result.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(probe, MODULES))


def test_every_package_module_is_probed():
    assert {"surveys.validation", "measures.cli", "db.export", "db.respondent"} <= set(MODULES)


MEASURES_IN_DB = {"db.dashboard", "db.compare"}
"""The modules of ``db`` that may load ``measures``: ``db.dashboard`` counts one koploper's
figures with the engine, ``db.compare`` every koploper's (the page Vergelijken), so that no
data per response leaves ``db``."""


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imported_alone_loads_nothing_it_may_not(module):
    forbidden = FORBIDDEN[module.split(".")[0]]
    if module.startswith("db.") and module not in MEASURES_IN_DB:
        forbidden = forbidden | {"measures"}
    assert not forbidden & set(loaded_by_each()[module])


def test_streamlit_is_imported_only_by_the_app_and_its_pages():
    importers = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", ".venv-ci", "tests", "pages"} or relative.name == (
            "streamlit_app.py"
        ):
            continue
        source = path.read_text(encoding="utf-8")
        if "import streamlit" in source or "from streamlit" in source:
            importers.append(str(relative))
    assert importers == []
