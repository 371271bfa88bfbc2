"""The one place that builds ``st.navigation``: which pages exist, and who gets a menu.

Streamlit has two ways to find pages. We use ``st.navigation`` from ``streamlit_app.py``, but
because a ``pages/`` folder sits beside it, a fresh server (before anyone ran the router) serves
``/respond`` by running ``pages/respond.py`` directly: no Dutch document, no database start-up.
Every page therefore calls ``ensure_routed()`` first; when the router did not run, it switches the
server to ``st.navigation`` for good and reruns, through the router, on the same address.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import urlparse

import streamlit as st

RESPONDENT_PARAMETERS = ("survey", "resume")
"""A link with one of these is a respondent's: the questionnaire only, no menu."""

START, RESPOND, PRIVACY = "pages/start.py", "pages/respond.py", "pages/privacy.py"
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
"""A path part that can name a page (never '_', the questionnaire's address at '/')."""
_run = threading.local()  # one script run per thread: the router marks the runs it started


def _visited() -> str:
    """The last part of the address's path: 'respond' for /respond?survey=… (may be '')."""
    return urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]


def _pages(respondent: bool) -> list:
    if respondent:
        # A respondent's link works whatever its path says: '/respond', '/Respond' typed from the
        # letter, '/' or a typo all get the questionnaire, never Streamlit's English "Page not
        # found". A page must exist under the visited name for that; the default page (address
        # '/') cannot be it, as Streamlit matches only other pages by name.
        visited = _visited()
        named = visited if SEGMENT.fullmatch(visited) else "respond"
        privacy = named if named.lower() == "privacy" else "privacy"
        respond = "respond" if named == privacy else named
        return [
            st.Page(RESPOND, title="Vragenlijst", url_path="_", default=True),
            st.Page(RESPOND, title="Vragenlijst", url_path=respond),
            st.Page(PRIVACY, title="Privacy", url_path=privacy),
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
