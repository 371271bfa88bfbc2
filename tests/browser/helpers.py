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


def assert_dutch(page, timeout: float = 30000) -> None:
    """The document says it is Dutch (``lang="nl"``). Our script sets it once the page has drawn
    (Streamlit's own document says 'en'); on a busy machine that can come a moment after the
    first heading, so wait for it, and fail when it never comes."""
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=timeout)
    assert page.evaluate("document.documentElement.lang") == "nl"


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


_CONTRAST = """selector => {
  // The text's colour with the opacity of it and its parents, over the nearest opaque
  // background (the page's white when none): the contrast ratio of WCAG 2.1.
  const el = document.querySelector(selector);
  if (!el) return null;
  const rgba = c => { const [r, g, b, a = 1] = (c.match(/[0-9.]+/g) || []).map(Number);
                      return [r, g, b, a]; };
  let [r, g, b, alpha] = rgba(getComputedStyle(el).color);
  let background = [255, 255, 255];
  for (let e = el; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    alpha *= parseFloat(style.opacity);
    const [br, bg, bb, ba] = rgba(style.backgroundColor);
    if (ba === 1) { background = [br, bg, bb]; break; }
  }
  const text = [r, g, b].map((v, i) => alpha * v + (1 - alpha) * background[i]);
  const luminance = rgb => rgb.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
  const style = getComputedStyle(el);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
  return {ratio: (light + 0.05) / (dark + 0.05), needed};
}"""


def axe_violations(page) -> list[str]:
    """What axe-core finds on the whole page (WCAG 2.1 A and AA), plus text whose contrast axe
    left undecided and that fails when worked out here.

    Streamlit fades a caption with CSS ``opacity``; axe then reports its contrast as
    "incomplete" instead of failing it, so a caption at 4.4:1 in the sidebar passed unseen.
    An undecided text (opacity, a tab's underline drawn as a pseudo-element) is checked with
    its colour, its opacity and its background.
    """
    results = Axe().run(page, options=WCAG).response
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results["violations"]]
    for rule in results["incomplete"]:
        if rule["id"] != "color-contrast":
            continue
        for node in rule["nodes"]:
            selector = node["target"][0]  # a list only inside a frame or a shadow root
            contrast = page.evaluate(_CONTRAST, selector) if isinstance(selector, str) else None
            if contrast is None or contrast["ratio"] < contrast["needed"]:
                problems.append(f"color-contrast (undecided by axe): {node['target']} {contrast}")
    return problems
