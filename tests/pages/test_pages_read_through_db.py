"""Pages have no unscoped way in: they get data only through the scoped functions of ``db/``.

Read from the source (AST), so no page runs: no module under ``pages/`` (nor ``streamlit_app.py``)
imports ``db.models`` or SQLAlchemy, or runs a query itself (``.execute``, ``.scalar``,
``.scalars``, ``.query`` …). Database errors to catch come from ``db.errors``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "pages").rglob("*.py")) + [ROOT / "streamlit_app.py"]
FORBIDDEN_MODULES = ("db.models", "sqlalchemy")
FORBIDDEN_CALLS = {"execute", "exec_driver_sql", "scalar", "scalars", "query", "connect"}


def _forbidden_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES)


def problems(source: str) -> list[str]:
    """What in this source reaches the database other than through a db function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {a.name}"
                for a in node.names
                if _forbidden_module(a.name)
            ]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            if _forbidden_module(node.module) or (
                node.module == "db" and any(_forbidden_module(n) for n in names)
            ):
                found.append(f"line {node.lineno}: from {node.module} import …")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FORBIDDEN_CALLS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(…)")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_reads_data_only_through_the_scoped_functions_of_db(path):
    found = problems(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.relative_to(ROOT)} reaches the database itself ({'; '.join(found)}). Pages get "
        "data only from a function in db/ that takes the viewer and filters in SQL: add one "
        "there (tests/db/test_viewer_scope.py checks it)."
    )


@pytest.mark.parametrize(
    "source",
    [
        "from db.models import Response",
        "import db.models",
        "from db import models",
        "import sqlalchemy",
        "from sqlalchemy import select",
        "from sqlalchemy.orm import Session",
        "with factory() as session:\n    session.execute(query)",
        "rows = session.scalars(query)",
        "n = s.scalar(query)",
    ],
)
def test_the_check_finds_each_way_around(source):
    assert problems(source)


def test_the_check_lets_through_what_reads_no_data():
    source = (
        "from db.errors import SQLAlchemyError\n"
        "from db.export import read_export\n"
        "value = st.session_state.get('x')\n"
    )
    assert problems(source) == []
