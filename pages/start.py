"""Start page: the koplopers by cohort and the questionnaires with their versions."""

from __future__ import annotations

import streamlit as st

from db.engine import get_sessionmaker
from db.queries import cohorts, koplopers_by_cohort, questionnaire_versions
from db.responses import count_demo
from pages.ui.routing import ensure_routed

ensure_routed()

KOPLOPER_COLUMNS = {
    "name": "Koploper",
    "kind": "Soort",
    "province": "Provincie",
    "members": "Gemeenten in de regio",
    "responses": "Antwoorden",
}

with get_sessionmaker()() as session:
    koplopers = koplopers_by_cohort(session)
    cohort_table = cohorts(session)
    versions = questionnaire_versions(session)
    demo = count_demo(session)

st.title("Koplopermonitor")
st.write(
    "Meten of de onafhankelijke cliëntondersteuning in de koplopergemeenten beter wordt: "
    "bekendheid, vindbaarheid, kwaliteit en effect, van nulmeting tot eindmeting."
)
if demo:
    st.warning(
        f"Demogegevens: deze database bevat {demo} verzonnen antwoorden om de app te laten zien. "
        "Verwijder ze met `python -m db remove-demo`.",
        icon=":material/science:",
    )

st.header(f"Koplopers ({len(koplopers)})")
for cohort in cohort_table.itertuples():
    members = koplopers[koplopers["cohort_code"] == cohort.code]
    st.subheader(f"{cohort.name} — {len(members)} koplopers")
    if members.empty:
        st.caption("Nog geen koplopers in dit cohort; een beheerder voegt ze later toe.")
        continue
    # st.table renders a plain HTML table: readable by screen readers, unlike the canvas grid.
    st.table(
        members.assign(kind=members["kind"].map({"gemeente": "Gemeente", "regio": "Regio"}))
        .rename(columns=KOPLOPER_COLUMNS)[list(KOPLOPER_COLUMNS.values())]
        .set_index("Koploper")
    )

st.header("Vragenlijsten")
st.dataframe(
    versions.assign(
        audience=versions["audience"].map(
            {"client": "Inwoners en cliënten", "professional": "Cliëntondersteuners en verwijzers"}
        ),
        checksum=versions["checksum"].str[:12],
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "key": "Sleutel",
        "version": st.column_config.NumberColumn("Versie", format="%d"),
        "title": "Titel",
        "audience": "Voor",
        "created_at": st.column_config.DatetimeColumn("Vastgelegd op", format="D-M-YYYY HH:mm"),
        "checksum": "Controlegetal",
        "responses": st.column_config.NumberColumn("Antwoorden", format="%d"),
    },
)
