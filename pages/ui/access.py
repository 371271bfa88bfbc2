"""Who is looking, for the pages: the login kept across page runs, and "Geen toegang".

A local login lives in ``st.session_state`` and, so that a reload or a typed address keeps it, as
a random token in a session cookie (gone when the browser closes; the database ends it after 8
hours at the latest). Single sign-on is Streamlit's own ``st.login``: its cookie, our accounts.
At every page run the database is asked again, so a disabled account is out at its next action.

The viewer found here only opens the door; the data functions in ``db/`` check it again.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from db.access import AccessDenied, Viewer
from db.audit import record
from db.engine import get_sessionmaker
from db.logins import (
    EXPIRED,
    Identity,
    Login,
    SessionEnded,
    current_viewer,
    log_out,
    recorded_sign_on,
    resume,
)
from db.logins import single_sign_on as sso_viewer
from db.responses import has_demo
from pages.ui import routing, sso
from pages.ui.downloads import end_downloads
from surveys.clock import utcnow

STATE = "km_login"
NOTICE = "km_notice"
SSO_REFUSED = "km_sso_refused"
"""(issuer and subject, the Dutch reason, what helps: 'logout' or 'again') of a refused identity."""
NEXT = "km_next"
"""The page someone wanted before logging in; the login page goes there afterwards."""
COOKIE = "km_login"
TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_run = threading.local()  # the viewer of this script run, found once by the router


@dataclass(frozen=True)
class Kept:
    """What the browser session keeps of a login."""

    user_id: int
    since: dt.datetime
    token: str | None
    """The login's token (for the local session cookie, or standing for one sign-on)."""
    sso: bool = False


def _sso_started() -> dt.datetime | None:
    """When the provider issued this ID token (``iat``), naive UTC: each sign-on has its own.

    Not ``auth_time``: a provider that still knows the person keeps it across sign-ons, so a
    new sign-on after 8 hours or after "Uitloggen" would look like the old one.
    """
    claims = st.user.to_dict()
    moment = claims.get("iat") or claims.get("auth_time")
    if not isinstance(moment, int | float):
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).replace(tzinfo=None)


def _sso_viewer(who: sso.Identity) -> Viewer | None:
    """Our account for the identity ``st.login`` brought, checked again at every run; or None,
    with the reason kept to show (the data layer records a refusal once per sign-on)."""
    started = _sso_started()
    key = (who.issuer, who.subject, started)
    refused = st.session_state.get(SSO_REFUSED)
    if refused is not None and refused[0] == key:
        return None
    refusal: AccessDenied | SessionEnded | None = None
    verified = st.user.to_dict().get("email_verified")
    identity = Identity(
        who.issuer,
        who.subject,
        who.email,
        started,
        verified if isinstance(verified, bool) else None,
    )
    # Most runs only read (the sign-on is recorded already): no write lock for them.
    with get_sessionmaker()() as session:
        known = recorded_sign_on(session, identity)
    if known is not None:
        viewer, token = known
    else:
        with get_sessionmaker().begin() as session:
            # A refusal is written to the log too: commit either way.
            try:
                viewer, token = sso_viewer(session, identity)
            except (AccessDenied, SessionEnded) as problem:
                refusal = problem
    if refusal is not None:
        # Signing on again helps after 8 hours; not for an unknown or a disabled account.
        remedy = "again" if str(refusal) == EXPIRED else "logout"
        st.session_state[SSO_REFUSED] = (key, str(refusal), remedy)
        st.session_state.pop(STATE, None)
        return None
    st.session_state[STATE] = Kept(viewer.user_id or 0, started or utcnow(), token, sso=True)
    return viewer


def _cookie_token() -> str | None:
    token = (st.context.cookies or {}).get(COOKIE)
    if token and len(token) <= 100 and set(token) <= TOKEN_CHARACTERS:
        return token
    return None


def _find() -> Viewer | None:
    who = sso.identity()
    if who is not None:
        return _sso_viewer(who)
    kept: Kept | None = st.session_state.get(STATE)
    if kept is not None and kept.token is not None and not kept.sso:
        try:
            with get_sessionmaker()() as session:
                return current_viewer(session, kept.user_id, kept.since, kept.token)
        except SessionEnded as ended:
            st.session_state.pop(STATE, None)
            st.session_state[NOTICE] = str(ended)
            return None
    token = _cookie_token()
    if token is None:
        return None
    with get_sessionmaker()() as session:
        login = resume(session, token)
    if login is None:
        return None
    keep(login)
    return login.viewer


def keep(login: Login) -> None:
    """Remember a new local login in this browser session and in its session cookie."""
    st.session_state[STATE] = Kept(login.viewer.user_id or 0, login.started_at, login.token)


def find_viewer() -> Viewer | None:
    """Once per run, by the router: the logged-in viewer, or ``None``."""
    _run.viewer = _find()
    return _run.viewer


def viewer() -> Viewer | None:
    """The viewer the router found for this run."""
    return getattr(_run, "viewer", None)


def cookie_script() -> None:
    """Keep the browser's session cookie in step with the login (a constant script of ours)."""
    kept: Kept | None = st.session_state.get(STATE)
    if kept is not None and not kept.sso and kept.token and set(kept.token) <= TOKEN_CHARACTERS:
        secure = "(location.protocol === 'https:' ? '; Secure' : '')"
        # Lax, not Strict: a link to a page in an e-mail must find the login too.
        value = f"'{COOKIE}={kept.token}; path=/; SameSite=Lax' + {secure}"
    elif _cookie_token() is not None:
        value = f"'{COOKIE}=; path=/; Max-Age=0; SameSite=Lax'"
    else:
        return
    st.html(f"<script>document.cookie = {value};</script>", unsafe_allow_javascript=True)


def log_out_here() -> None:
    """End the login in the database and in this browser session."""
    current = viewer()
    kept: Kept | None = st.session_state.pop(STATE, None)
    if current is not None:
        with get_sessionmaker().begin() as session:
            log_out(session, current, kept.token if kept else None)
    end_downloads(current)
    st.session_state[NOTICE] = "U bent uitgelogd."
    st.session_state.pop(SSO_REFUSED, None)
    if sso.identity() is not None:
        st.logout()


def deny(current: Viewer | None, page: str, koploper: str | None = None) -> None:
    """Record the refusal, show "Geen toegang" and stop this page.

    ``page`` is the url path of one of our pages (a constant), never what the visitor typed.
    """
    with get_sessionmaker().begin() as session:
        record(
            session,
            current if current is not None else "anoniem",
            "access_denied",
            koploper=koploper,
            outcome="refused",
            detail=f"pagina {page}",
        )
    st.title("Geen toegang")
    if current is None:
        st.write("Deze pagina is alleen voor ingelogde gebruikers. Log eerst in.")
        st.session_state[NEXT] = page if page in routing.URL_PATHS else None
        st.page_link("pages/login.py", label="Naar Inloggen", icon=":material/login:")
    elif koploper is not None:
        st.write(
            "U hebt geen toegang tot de gegevens van deze koploper. Kiest u een koploper uit "
            "het menu op deze pagina, dan ziet u alleen die van uw account."
        )
    else:
        st.write(
            "Deze pagina hoort niet bij uw rol. Denkt u dat dit niet klopt? Vraag de beheerder "
            "van de Koplopermonitor."
        )
    st.stop()


def require(page: str, roles: tuple[str, ...]) -> Viewer:
    """The viewer, when logged in with one of ``roles``; otherwise "Geen toegang" and stop."""
    current = viewer()
    if current is None or current.role not in roles:
        deny(current, page)
    assert current is not None
    return current


def require_koploper(current: Viewer, page: str, slug: str) -> None:
    if not current.sees(slug):
        deny(current, page, koploper=slug[:60])


def sidebar(current: Viewer | None) -> None:
    """Who is logged in and "Uitloggen", on every page; and a notice such as "U bent uitgelogd"."""
    cookie_script()
    routing.menu()
    with get_sessionmaker()() as session:
        demo = has_demo(session)
    if demo:
        st.warning(
            "Demogegevens: deze omgeving bevat verzonnen antwoorden en demo-accounts, om de app "
            "te laten zien. De cijfers zeggen niets over echte koplopers.",
            icon=":material/science:",
        )
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(notice, icon=":material/info:")
    refused = st.session_state.get(SSO_REFUSED)
    if current is None and refused is not None and sso.identity() is not None:
        _, reason, remedy = refused
        st.error(reason, icon=":material/block:")
        if remedy == "again":
            st.button("Opnieuw inloggen met uw organisatie", on_click=st.login, key="km-sso-again")
        elif st.button("Afmelden bij uw organisatie", key="km-sso-logout"):
            st.session_state.pop(SSO_REFUSED, None)
            st.logout()
    if current is None:
        return
    with st.sidebar:
        st.divider()
        st.caption("Ingelogd als")
        st.text(f"{current.email}\n{current.role_name}")
        if st.button("Uitloggen", icon=":material/logout:", key="km-logout"):
            log_out_here()
            st.switch_page(routing.START)


LANDING = {"gemeente": "mijn-koploper", "adviesraad": "mijn-koploper"}
"""A municipality and an adviesraad come for their figures; Movisie's roles for the fieldwork."""


def landing(current: Viewer) -> str:
    """Where a new login goes: the page asked for before, if the role may see it; else Mijn
    koploper (gemeente, adviesraad) or Veldwerk (the others)."""
    wanted = st.session_state.pop(NEXT, None)
    if wanted in routing.URL_PATHS and current.role in routing.page(wanted).roles:
        return routing.page(wanted).path
    return routing.page(LANDING.get(current.role, "veldwerk")).path


def require_page(url_path: str) -> Viewer:
    """First call of a page behind the login, after ``ensure_routed()``.

    A ``?koploper=`` in the address that the viewer may not see is refused here for every page
    behind the login, before the page reads anything.
    """
    current = require(url_path, routing.page(url_path).roles)
    asked = (st.query_params.get("koploper") or "").strip().lower()
    if asked:
        require_koploper(current, url_path, asked)
    return current


def without_koplopers() -> NoReturn:
    """What an account that belongs to no koploper yet sees on a koploper's page; stops it."""
    st.info(
        "Uw account hoort nog bij geen enkele koploper. Vraag de beheerder om u toegang te geven.",
        icon=":material/info:",
    )
    st.stop()
