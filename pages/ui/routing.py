"""The one place that builds ``st.navigation``: which pages exist, and who gets a menu.

Streamlit has two ways to find pages. We use ``st.navigation`` from ``streamlit_app.py``, but
because a ``pages/`` folder sits beside it, a fresh server (before anyone ran the router) serves
``/respond`` by running ``pages/respond.py`` directly: no Dutch document, no database start-up.
Every page therefore calls ``ensure_routed()`` first; when the router did not run, it switches the
server to ``st.navigation`` for good and reruns, through the router, on the same address.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st

RESPONDENT_PARAMETERS = ("survey", "resume")
"""A link with one of these is a respondent's: the questionnaire only, no menu."""

START, RESPOND, PRIVACY = "pages/start.py", "pages/respond.py", "pages/privacy.py"
_run = threading.local()  # one script run per thread: the router marks the runs it started


def _pages(respondent: bool) -> list:
    if respondent:
        # The questionnaire also answers at '/' with the link's parameters; '/respond' must not be
        # the default page, whose address is always '/', or Streamlit says "Page not found".
        return [
            st.Page(RESPOND, title="Vragenlijst", url_path="vragenlijst", default=True),
            st.Page(RESPOND, title="Vragenlijst", url_path="respond"),
            st.Page(PRIVACY, title="Privacy", url_path="privacy"),
        ]
    return [
        st.Page(START, title="Start", icon=":material/home:", default=True),
        st.Page(RESPOND, title="Vragenlijst", url_path="respond", visibility="hidden"),
        st.Page(PRIVACY, title="Privacy", url_path="privacy", visibility="hidden"),
    ]


def is_respondent_link(params: Mapping[str, str]) -> bool:
    return any(name in params for name in RESPONDENT_PARAMETERS)


def navigation():
    """The navigation for this visitor; the caller runs the page it returns."""
    respondent = is_respondent_link(st.query_params)
    return st.navigation(_pages(respondent), position="hidden" if respondent else "sidebar")


@contextmanager
def routed() -> Iterator[None]:
    """Mark this script run as started by the router (``streamlit_app.py``)."""
    _run.routed = True
    try:
        yield
    finally:
        _run.routed = False


def ensure_routed() -> None:
    """First line of every page: continue only when the router started this run."""
    if getattr(_run, "routed", False):
        return
    # Calling st.navigation ends Streamlit's pages-folder mode for the whole server.
    navigation()
    st.rerun()
