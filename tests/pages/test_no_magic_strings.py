"""Streamlit's "magic" writes any bare string in a page script onto the page.

So a page (and the router) holds no bare string statement besides its module docstring: a note
for developers must be a comment, or a user sees English notes such as "A number in the add
form's widget keys…" above the page title.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "streamlit_app.py"]


def bare_strings(source: str) -> list[int]:
    tree = ast.parse(source)
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    return [
        node.lineno
        for top in body
        for node in ast.walk(top)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and not _is_function_docstring(top, node)
    ]


def _is_function_docstring(top: ast.stmt, node: ast.Expr) -> bool:
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return any(
        isinstance(scope, scopes) and scope.body and scope.body[0] is node
        for scope in ast.walk(top)
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_script_has_no_bare_strings_that_magic_would_show(script):
    assert bare_strings(script.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_note_after_an_assignment_and_spares_docstrings():
    source = '"""Module."""\nX = 1\n"""A note."""\ndef f():\n    """Doc."""\n    return 1\n'
    assert bare_strings(source) == [3]
