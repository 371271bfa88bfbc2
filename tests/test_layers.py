"""The arrows between our packages hold, and every module says what it is for.

The arrows are import-linter contracts in ``pyproject.toml`` (README, "Layout"): they read every
import statement, a lazy one inside a function too, and follow chains through our own modules. What
a static reading cannot see, a third-party package that loads Streamlit or SQLAlchemy on import, is
checked by importing each package whole in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
NOT_PRODUCT = {"tests", "bench"}  # folders of Python files that ship no product code


def lint_imports() -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def test_the_import_contracts_hold():
    result = lint_imports()
    if result.returncode != 0:
        pytest.fail(f"{result.stdout}\n{result.stderr}", pytrace=False)


def product_packages() -> set[str]:
    """Top-level folders with Python files of their own (a virtualenv's are deeper down)."""
    return {
        path.parent.name
        for path in ROOT.glob("*/*.py")
        if path.parent.name not in NOT_PRODUCT and not path.parent.name.startswith(".")
    }


def test_every_package_of_ours_is_under_a_contract():
    sources = {module for contract in CONFIG["contracts"] for module in contract["source_modules"]}
    assert {"surveys", "measures", "db", "reports", "views", "pages"} <= product_packages()
    assert product_packages() <= set(CONFIG["root_packages"]), "add it to root_packages"
    assert product_packages() <= sources, "give it a contract: what may it not import?"


PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
"""
LOADS_NOT = {
    "surveys": {"streamlit", "sqlalchemy", "measures", "db", "reports", "views", "pages"},
    "measures": {"streamlit", "sqlalchemy", "db", "reports", "views", "pages"},
    "reports": {"streamlit", "sqlalchemy", "db", "views", "pages"},
    "db": {"streamlit", "reports", "views", "pages"},  # measures: see the db contract's ignores
    "views": {"streamlit", "pages"},
}


def modules_of(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts or path.name == "__main__.py":
            continue  # Alembic loads its scripts; __main__ runs a command line on import
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.mark.parametrize("package", sorted(LOADS_NOT))
def test_a_package_imported_whole_loads_nothing_it_may_not(package):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *modules_of(package)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert not LOADS_NOT[package] & loaded


def test_the_probe_sees_every_module():
    assert {"surveys.validation", "measures.cli", "db.export", "reports.report"} <= {
        name for package in LOADS_NOT for name in modules_of(package)
    }


def product_modules() -> list[Path]:
    return sorted(
        path
        for package in sorted(product_packages())
        for path in (ROOT / package).rglob("*.py")
        if "versions" not in path.relative_to(ROOT).parts  # Alembic's generated revisions
    )


@pytest.mark.parametrize("module", product_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_opens_with_a_docstring(module: Path):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    if module.name == "__init__.py" and not tree.body:
        return  # an empty package marker
    assert ast.get_docstring(tree), "say in a few lines what it is for and why"
