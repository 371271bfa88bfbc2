"""Which browser a request came from, as ``pages.ui.sources`` reads it under a real Streamlit.

Not the app: a throwaway script shows what the respondent page passes on for bounding bursts
through the open link. Streamlit masks its XSRF cookie anew on every page load; the browser must
still come out the same, and another browser must not.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.browser.launch import ROOT, streamlit_server

pytestmark = pytest.mark.browser

SCRIPT = """
import streamlit as st

from pages.ui.sources import XSRF_COOKIE, request_source

browser, address = request_source()
st.text(f"browser={browser}")
st.text(f"address={address}")
st.text(f"cookie={st.context.cookies.get(XSRF_COOKIE)}")
"""


@pytest.fixture
def sources_app(tmp_path, browser):
    script = tmp_path / "sources_script.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    with streamlit_server(
        None, tmp_path / "streamlit.log", script=script, PYTHONPATH=str(ROOT)
    ) as base:
        yield base


def _seen(page, base: str) -> dict[str, str]:
    page.goto(base)
    page.get_by_text("cookie=").wait_for(timeout=30000)
    lines = page.locator("[data-testid='stText']").all_inner_texts()
    return dict(line.split("=", 1) for line in lines)


def test_one_browser_is_one_source_across_page_loads_and_another_is_another(sources_app, browser):
    first = browser.new_context()
    page = first.new_page()
    before, after = _seen(page, sources_app), _seen(page, sources_app)
    assert before["cookie"] != after["cookie"]  # masked anew on every load
    assert before["browser"] == after["browser"] != "None"
    assert len(before["browser"]) == 32  # the 16-byte token, hex
    assert before["address"] == "None"  # localhost: Streamlit gives no address
    other = browser.new_context()
    assert _seen(other.new_page(), sources_app)["browser"] not in ("None", before["browser"])
    first.close()
    other.close()
