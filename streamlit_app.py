"""Koplopermonitor: the router. Page config, database start-up, navigation; nothing else."""

from __future__ import annotations

import logging

import streamlit as st

from db.engine import DatabaseUnavailable, database_url
from db.errors import SQLAlchemyError, connection_lost, log_error
from db.setup import init_database
from pages.ui import access, chrome, media, routing
from surveys.definition import DefinitionError

log = logging.getLogger("koplopermonitor")

UNAVAILABLE = (
    "Deze pagina is op dit moment niet bereikbaar door een storing. "
    "Probeer het over een paar minuten opnieuw."
)
FAULT = "Er ging bij ons iets mis. Wij hebben het gemeld. Probeer het later opnieuw."

# Our own icon, sent inline: a ":material/…:" icon would make every browser fetch it from Google.
st.set_page_config(page_title="Koplopermonitor", page_icon=chrome.FAVICON, layout="wide")
chrome.dutch_document()
# Download addresses: random, short-lived, gone at logout (see pages/ui/media.py for why here).
media.install()


@st.cache_resource(show_spinner="Even geduld, de vragenlijst wordt klaargezet…")
def _database_ready(url: str) -> str:
    """Create or upgrade the database once per process and URL; returns its description."""
    return init_database(url).url


with routing.routed():
    try:
        _database_ready(database_url())
    except (DatabaseUnavailable, DefinitionError) as exc:
        # The details (address, user, what to do) are for whoever runs the server, never for a
        # respondent: they go to the log; `python -m db init` prints them too.
        log.error("Koplopermonitor kan niet starten: %s", exc)
        st.error(UNAVAILABLE, icon=":material/error:")
        st.stop()
    try:
        if routing.is_respondent_link(st.query_params):
            routing.navigation().run()  # respondents never log in: no accounts asked
        else:
            viewer = access.find_viewer()
            page = routing.navigation(viewer)
            access.sidebar(viewer)
            page.run()
    except SQLAlchemyError as exc:
        # Logged without the statement's values or the row the database quotes: answers.
        lost = connection_lost(exc)
        log_error(exc, unreachable=lost)
        st.error(UNAVAILABLE if lost else FAULT, icon=":material/error:")
