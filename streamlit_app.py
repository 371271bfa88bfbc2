"""Koplopermonitor: the router. Page config, database start-up, navigation; nothing else."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import DBAPIError, OperationalError

from db.engine import DatabaseUnavailable, database_url, describe
from db.setup import init_database
from surveys.definition import DefinitionError

st.set_page_config(page_title="Koplopermonitor", page_icon=":material/assignment:", layout="wide")
# Everything here is Dutch: screen readers must pronounce it so (WCAG 3.1.1). A constant script.
st.html("<script>document.documentElement.lang = 'nl';</script>", unsafe_allow_javascript=True)


@st.cache_resource(show_spinner="Database voorbereiden…")
def _database_ready(url: str) -> str:
    """Create or upgrade the database once per process and URL; returns its description."""
    return init_database(url).url


try:
    _database_ready(database_url())
except (DatabaseUnavailable, DefinitionError) as exc:
    st.error(f"Koplopermonitor kan niet starten.\n\n{exc}", icon=":material/error:")
    st.stop()

respond = st.Page("pages/respond.py", title="Vragenlijst", url_path="respond", default=True)
if "survey" in st.query_params or "resume" in st.query_params:
    # A respondent's link: only the questionnaire, no menu, nothing else to wander into.
    navigation = st.navigation([respond], position="hidden")
else:
    navigation = st.navigation(
        [st.Page("pages/start.py", title="Start", icon=":material/home:", default=True)]
    )
try:
    navigation.run()
except (OperationalError, DBAPIError):
    st.error(
        f"De database {describe(database_url())} is op dit moment niet bereikbaar. "
        "Probeer het over een paar minuten opnieuw.",
        icon=":material/error:",
    )
