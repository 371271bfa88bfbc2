"""Every figure stays identical: the figures of many views against the fingerprints recorded
from the code before ``views/`` (``golden_figures.py`` says which views and how)."""

from __future__ import annotations

import json

from tests.views import golden_figures as golden


def test_the_figures_of_many_views_are_those_recorded(database_url):
    golden.build(database_url)
    found = golden.record(database_url, golden.view_figures, golden.comparison)
    expected = json.loads(golden.GOLDEN.read_text())
    assert list(found["views"]) == list(expected["views"]) or set(found["views"]) == set(
        expected["views"]
    ), "the golden check's views changed: write golden_figures.json again on purpose"
    differ = [
        f"{view}: {table}"
        for view, tables in expected["views"].items()
        for table, digest in tables.items()
        if found["views"][view].get(table) != digest
    ]
    differ += [
        f"Vergelijken: {table}"
        for table, digest in expected["vergelijken"].items()
        if found["vergelijken"].get(table) != digest
    ]
    assert not differ, f"{len(differ)} tables differ from the recorded figures:\n" + "\n".join(
        differ[:40]
    )
