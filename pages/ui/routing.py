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
from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st

from db.access import Viewer

RESPONDENT_PARAMETERS = ("survey", "resume")
"""A link with one of these is a respondent's: the questionnaire only, no menu."""
RESPONDENT_PATHS = ("respond", "privacy", "code")
"""An address ending in one of these (whatever case) is a respondent's too, however incomplete:
'/respond', '/Respond?koploper=almere&wave=T2', '/privacy?koploper=almere', '/Code' typed from
an invitation letter."""

START, RESPOND, PRIVACY = "pages/start.py", "pages/respond.py", "pages/privacy.py"
CODE = "pages/code.py"
LOGIN = "pages/login.py"
EVERYONE = ("beheerder", "onderzoeker", "gemeente", "adviesraad")


@dataclass(frozen=True)
class StaffPage:
    """A page behind the login: in the menu of these roles, "Geen toegang" for anyone else."""

    path: str
    title: str
    icon: str
    url_path: str
    roles: tuple[str, ...]
    section: str


STAFF_PAGES: tuple[StaffPage, ...] = (
    StaffPage(
        "pages/dashboard.py",
        "Mijn koploper",
        ":material/monitoring:",
        "mijn-koploper",
        EVERYONE,
        "Werk",
    ),
    StaffPage(
        "pages/fieldwork.py", "Veldwerk", ":material/fact_check:", "veldwerk", EVERYONE, "Werk"
    ),
    StaffPage(
        "pages/compare.py",
        "Vergelijken",
        ":material/compare_arrows:",
        "vergelijken",
        ("onderzoeker", "beheerder"),
        "Werk",
    ),
    StaffPage(
        "pages/export.py",
        "Exporteren",
        ":material/file_export:",
        "exporteren",
        ("beheerder", "onderzoeker", "gemeente"),
        "Werk",
    ),
    StaffPage(
        "pages/invitations.py",
        "Uitnodigingen",
        ":material/mail:",
        "uitnodigingen",
        ("beheerder", "gemeente"),
        "Werk",
    ),
    StaffPage(
        "pages/contacts.py",
        "Contactgegevens",
        ":material/contact_phone:",
        "contactgegevens",
        ("beheerder", "gemeente"),
        "Werk",
    ),
    StaffPage(
        "pages/users.py", "Gebruikers", ":material/group:", "gebruikers", ("beheerder",), "Beheer"
    ),
    StaffPage(
        "pages/audit_log.py", "Logboek", ":material/history:", "logboek", ("beheerder",), "Beheer"
    ),
)
"""Every page behind the login. Its file calls ``pages.ui.access.require(url_path, roles)``
through :func:`require`."""
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
"""A path part that can name a page (never '_', the questionnaire's address at '/')."""
_run = threading.local()  # one script run per thread: the router marks the runs it started


def _visited() -> str:
    """The last part of the address's path: 'respond' for /respond?survey=… (may be '')."""
    return urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]


def _pages(respondent: bool, viewer: Viewer | None = None) -> list:
    if respondent:
        # A respondent's link works whatever its path says: '/respond', '/Respond' typed from the
        # letter, '/' or a typo all get the questionnaire, never Streamlit's English "Page not
        # found". A page must exist under the visited name for that; the default page (address
        # '/') cannot be it, as Streamlit matches only other pages by name.
        visited = _visited()
        named = visited if SEGMENT.fullmatch(visited) else "respond"
        privacy = named if named.lower() == "privacy" else "privacy"
        code = named if named.lower() == "code" else "code"
        respond = "respond" if named in (privacy, code) else named
        return [
            st.Page(RESPOND, title="Vragenlijst", url_path="_", default=True),
            st.Page(RESPOND, title="Vragenlijst", url_path=respond),
            st.Page(PRIVACY, title="Privacy", url_path=privacy),
            st.Page(CODE, title="Vragenlijst met uw code", url_path=code),
        ]
    pages = [
        st.Page(START, title="Start", icon=":material/home:", default=True),
        st.Page(
            LOGIN,
            title="Inloggen" if viewer is None else "Mijn account",
            icon=":material/login:" if viewer is None else ":material/person:",
            url_path="inloggen",
        ),
        st.Page(RESPOND, title="Vragenlijst", url_path="respond"),
        st.Page(PRIVACY, title="Privacy", url_path="privacy"),
        st.Page(CODE, title="Vragenlijst met uw code", url_path="code"),
    ]
    # Every page exists for everyone, so a typed address gets "Geen toegang" rather than
    # Streamlit's "Page not found"; only the viewer's role has it in the menu.
    staff = [
        st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path)
        for page in STAFF_PAGES
    ]
    _run.menu = [("", pages[0]), ("", pages[1])] + [
        (page.section, entry)
        for page, entry in zip(STAFF_PAGES, staff, strict=True)
        if viewer is not None and viewer.role in page.roles
    ]
    return pages + staff


def is_respondent_link(params: Mapping[str, str]) -> bool:
    """A respondent's address: no login, no staff menu, no sidebar, no demo banner."""
    return (
        any(name in params for name in RESPONDENT_PARAMETERS)
        or _visited().lower() in RESPONDENT_PATHS
    )


def navigation(viewer: Viewer | None = None):
    """The navigation for this visitor; the caller runs the page it returns."""
    # Our own menu (``menu()``), not Streamlit's: it shows exactly the viewer's pages, and
    # the pages/ folder's list never appears (``showSidebarNavigation = false``).
    return st.navigation(_pages(is_respondent_link(st.query_params), viewer), position="hidden")


def menu() -> None:
    """The viewer's pages as links in the sidebar, grouped by section."""
    section = ""
    for name, entry in getattr(_run, "menu", []):
        if name != section:
            st.sidebar.caption(name)
            section = name
        st.sidebar.page_link(entry)


URL_PATHS = frozenset(p.url_path for p in STAFF_PAGES)


def page(url_path: str) -> StaffPage:
    return next(p for p in STAFF_PAGES if p.url_path == url_path)


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
