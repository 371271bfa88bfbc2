"""Logboek: the audit log for the beheerder, filtered, newest first, and as CSV for Excel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from db.audit import ACTIONS, OUTCOMES, log_table, read_log
from db.engine import get_sessionmaker
from db.users import koploper_names
from pages.ui import access
from pages.ui.downloads import audited, download_button
from pages.ui.plain import text_table
from pages.ui.routing import ensure_routed
from surveys.clock import dutch_day, start_of_dutch_day
from surveys.numbers import whole
from surveys.spreadsheet import dutch_csv

ensure_routed()
viewer = access.require_page("logboek")

LIMIT = 10_000
DAYS = 30

st.title("Logboek")
st.write(
    "Wie deed wat, en wanneer: inloggen, geen toegang, downloads, gebruikers en metingen. "
    "Regels worden alleen toegevoegd, nooit gewijzigd of gewist. Tijden zijn Nederlandse tijd."
)

with get_sessionmaker()() as session:
    names = koploper_names(session)

today = dutch_day()
first_column, second_column = st.columns(2)
with first_column:
    since = st.date_input(
        "Van", value=today - dt.timedelta(days=DAYS), max_value=today, format="DD-MM-YYYY"
    )
    actor = st.text_input("E-mailadres bevat", max_chars=254)
    koploper = st.selectbox(
        "Koploper",
        [None, *names],
        format_func=lambda slug: "Alle koplopers" if slug is None else names[slug],
    )
with second_column:
    until = st.date_input("Tot en met", value=today, max_value=today, format="DD-MM-YYYY")
    actions = st.multiselect(
        "Soort gebeurtenis",
        list(ACTIONS),
        format_func=ACTIONS.__getitem__,
        placeholder="Alle soorten",
    )
    outcome = st.selectbox(
        "Uitkomst",
        [None, *OUTCOMES],
        format_func=lambda key: "Alle uitkomsten" if key is None else OUTCOMES[key],
    )

if since is None or until is None:
    st.error("Kies een begin- en een einddatum.", icon=":material/error:")
    st.stop()
if since > until:
    st.error("De datum bij Van ligt na de datum bij Tot en met.", icon=":material/error:")
    st.stop()

with get_sessionmaker()() as session:
    lines = read_log(
        session,
        viewer,
        since=start_of_dutch_day(since),
        until=start_of_dutch_day(until + dt.timedelta(days=1)),
        actor=actor,
        actions=actions,
        koploper=koploper,
        outcome=outcome,
        limit=LIMIT,
    )
table = log_table(lines, names)

if len(table) >= LIMIT:
    st.warning(
        f"Alleen de nieuwste {whole(LIMIT)} regels staan hier (en in de download). Kies "
        "een kortere periode of meer filters om de rest te zien.",
        icon=":material/warning:",
    )
SHOWN = 200
if len(table) > SHOWN:
    st.caption(
        f"{whole(len(table))} regels, nieuwste eerst. Hier staan de nieuwste {SHOWN}; "
        "de download bevat ze allemaal."
    )
else:
    st.caption(f"{whole(len(table))} regels, nieuwste eerst.")
# A plain HTML table that screen readers read (the canvas grid of st.dataframe is not), with every
# cell escaped: a failed login's e-mail address is whatever someone typed.
text_table(table.head(SHOWN), "Logboek, nieuwste regels eerst")


csv_text = dutch_csv(table)
download_button(
    "Download als CSV (voor Excel)",
    lambda: csv_text,
    file_name=f"koplopermonitor-logboek-{today.isoformat()}.csv",
    mime="text/csv",
    key="logboek_csv",
    viewer=viewer,
    audit=audited(viewer, "logboek csv"),
    icon=":material/download:",
)
