"""The downloads of "Mijn koploper": the figures of the view as Excel and CSV, and the report for
the council as PDF. Each download is a line in the audit log, written when the file is made at
the click (``pages.ui.downloads``); the files come from ``views.documents``, from the same
figures as the page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from db.access import Viewer
from db.engine import get_sessionmaker
from measures.figures import Figures
from measures.indicators import Settings
from pages.ui.downloads import audited, download_button
from pages.ui.plain import plain
from surveys.clock import dutch_day
from views import documents
from views.response_rates import response_rates

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_KEY = "mk_rapport"


def draw_downloads(
    fig: Figures,
    viewer: Viewer,
    slug: str,
    name: str,
    title: str,
    view: str,
    questionnaires: list[str],
    settings: Settings,
) -> None:
    """Buttons for the Excel file, the CSV and the report of this view.

    ``name`` is the koploper's name (in the charts' legends, as on the page); ``title`` names
    the koploper (and the subgroup, when one is chosen) in the files; ``view`` describes the
    view for the audit log ("Nulmeting tegen Eerste vervolgmeting, …").
    """
    st.header("Downloaden")
    if not questionnaires:
        st.info("Met deze keuze zijn er geen cijfers om te downloaden.", icon=":material/info:")
        return
    day = dutch_day()
    with get_sessionmaker()() as session:
        rates = response_rates(session, viewer, slug)
    st.write(
        "De cijfers van deze weergave, met dezelfde onderdrukking van kleine aantallen als op "
        "het scherm. Elke download wordt in het logboek vastgelegd."
    )
    excel, csv = st.columns(2)
    download_button(
        "Cijfers als Excel-bestand",
        lambda: documents.figures_excel(fig, title, questionnaires, settings, rates),
        file_name=documents.file_name(slug, day, "xlsx"),
        mime=XLSX,
        key="mk_excel",
        viewer=viewer,
        audit=audited(viewer, f"Mijn koploper, Excel: {view}", slug),
        container=excel,
        icon=":material/table_view:",
    )
    download_button(
        "Cijfers als CSV (voor analisten)",
        lambda: documents.figures_text(fig, slug, questionnaires),
        file_name=documents.file_name(slug, day, "csv"),
        mime="text/csv",
        key="mk_csv",
        viewer=viewer,
        audit=audited(viewer, f"Mijn koploper, CSV: {view}", slug),
        container=csv,
        icon=":material/csv:",
        help="Voor analyseprogramma's zoals R, SPSS of Python: per cijfer een regel, getallen "
        "met een punt en kolommen gescheiden door komma's. Voor Excel is het Excel-bestand "
        "handiger.",
    )
    _report(fig, viewer, slug, name, title, view, questionnaires, settings, day, rates)


def _report(
    fig: Figures,
    viewer: Viewer,
    slug: str,
    name: str,
    title: str,
    view: str,
    questionnaires: list[str],
    settings: Settings,
    day: dt.date,
    rates: pd.DataFrame,
) -> None:
    st.subheader("Rapport voor de raad")
    st.write(
        "Een PDF-bestand (A4) voor de gemeenteraad: eerst de belangrijkste veranderingen in "
        "gewone taal, dan per doel de grafieken en tabellen, met uitleg en methoden in een "
        "bijlage. Het maken duurt enkele seconden."
    )
    documents.prepare_report()  # Chromium starts now, in the background: the report need not wait
    made = st.session_state.get(REPORT_KEY)
    if made is not None and made[0] != (slug, view):
        made = None  # another koploper or view: make it again
    if st.button("Rapport maken", icon=":material/picture_as_pdf:", key="mk_rapport_maken"):
        bar = st.progress(0.0, text="Rapport maken")
        try:
            pdf = documents.report_pdf(
                fig,
                name,
                title,
                questionnaires,
                settings,
                progress=lambda fraction, text: bar.progress(min(fraction, 1.0), text=text),
                rates=rates,
            )
        except (documents.ChartsUnavailable, documents.PdfUnavailable) as problem:
            bar.empty()
            st.error(plain(str(problem)), icon=":material/error:")
            return
        bar.empty()
        made = ((slug, view), pdf)
        st.session_state[REPORT_KEY] = made
    if made is not None:
        pdf = made[1]
        download_button(
            "Rapport downloaden (PDF)",
            lambda: pdf,
            file_name=documents.file_name(slug, day, "pdf"),
            mime="application/pdf",
            key="mk_rapport_pdf",
            viewer=viewer,
            audit=audited(viewer, f"Mijn koploper, rapport voor de raad: {view}", slug),
            icon=":material/download:",
            type="primary",
        )
