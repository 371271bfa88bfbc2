"""Shared steps of the browser tests: wait for Streamlit to settle, ask axe-core."""

from __future__ import annotations

from contextlib import suppress

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"] *')
                 && !document.querySelector('[data-stale="true"]')""",
        timeout=30000,
    )
    page.wait_for_timeout(200)


MAIN = '[data-testid="stMain"]'


def click_and_settle(page, locator, timeout: float = 20000) -> None:
    """Click, wait until the page shows something else, then until Streamlit is done.

    Waiting for the change first matters on a busy machine: the script run a click starts may
    begin later than ``settle``'s first look, which would then see the old screen as settled.
    """
    before = page.inner_text(MAIN)
    locator.click()
    # A click that changes nothing times out here; the test then says what it expected.
    with suppress(PlaywrightTimeout):
        page.wait_for_function(
            "before => { const main = document.querySelector('[data-testid=\"stMain\"]');"
            " return main && main.innerText !== before; }",
            arg=before,
            timeout=timeout,
        )
    settle(page)


def axe_violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]
