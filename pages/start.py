"""Start: what the monitor is and the koplopers by cohort. Public: no counts, no commands."""

from __future__ import annotations

import streamlit as st

from db.engine import get_sessionmaker
from db.queries import cohorts, koplopers_by_cohort
from pages.ui import access
from pages.ui.plain import plain, plain_cells
from pages.ui.routing import ensure_routed
from surveys.vocabulary import KOPLOPER_KINDS

ensure_routed()

KOPLOPER_COLUMNS = {
    "name": "Koploper",
    "kind": "Soort",
    "province": "Provincie",
    "members": "Gemeenten in de regio",
}

with get_sessionmaker()() as session:
    koplopers = koplopers_by_cohort(session)
    cohort_table = cohorts(session)

st.title("Koplopermonitor")
st.write(
    "Gemeenten in het programma Koplopers cliëntondersteuning willen weten of de onafhankelijke "
    "cliëntondersteuning beter wordt. De Koplopermonitor meet dat met vragenlijsten voor "
    "inwoners en cliënten en voor cliëntondersteuners en verwijzers: bij de start (de "
    "nulmeting) en daarna nog een paar keer, twee jaar lang."
)
st.write(
    "Wij kijken naar vier doelen: kennen inwoners de cliëntondersteuning (bekendheid), kunnen "
    "zij haar vinden (vindbaarheid), is zij goed (kwaliteit) en helpt zij (effect)."
)
current = access.viewer()
if current is None:
    st.page_link(
        "pages/login.py", label="Inloggen voor gemeenten en Movisie", icon=":material/login:"
    )
    st.caption(
        "Een vragenlijst invullen? Daarvoor hoeft u niet in te loggen: gebruik de link uit uw "
        "brief of e-mail."
    )
else:
    st.success(
        f"Welkom. U bent ingelogd als {current.role_name.lower()}.", icon=":material/person:"
    )

st.header(f"Koplopers ({len(koplopers)})")
for cohort in cohort_table.itertuples():
    members = koplopers[koplopers["cohort_code"] == cohort.code]
    st.subheader(f"{plain(cohort.name)} — {len(members)} koplopers")
    if members.empty:
        st.caption("Nog geen koplopers in dit cohort.")
        continue
    # st.table renders a plain HTML table: readable by screen readers, unlike the canvas grid.
    st.table(
        members.assign(kind=members["kind"].map(KOPLOPER_KINDS))
        .rename(columns=KOPLOPER_COLUMNS)[list(KOPLOPER_COLUMNS.values())]
        .set_index("Koploper")
        .pipe(plain_cells)
    )
