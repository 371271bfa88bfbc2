"""Shared steps of the browser tests: wait for Streamlit to settle, ask axe-core."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"] *')
                 && !document.querySelector('[data-stale="true"]')""",
        timeout=15000,
    )
    page.wait_for_timeout(200)


def axe_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]
