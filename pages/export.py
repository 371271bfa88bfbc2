"""Exporteren: the responses the account may export, as CSV, Excel, SPSS or Stata, with labels.

``views.export.export_file`` makes the file: the data layer decides what goes out (the viewer's
koplopers, open text only with that right, never for an adviesraad) and the audit line is written
before the file is offered; this page only asks what, shows the progress and offers the file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from db.access import AccessDenied
from db.engine import get_sessionmaker
from db.fieldwork_overview import koplopers_in_scope
from pages.ui import access
from pages.ui.downloads import download_button
from pages.ui.routing import ensure_routed
from surveys.clock import dutch_day
from surveys.numbers import whole
from surveys.vocabulary import wave_with_code
from views.export import (
    FORMATS,
    MEDIA_TYPES,
    EmptyExport,
    count_responses,
    export_file,
    file_name,
    wave_codes,
)

ensure_routed()
PAGE = "exporteren"
viewer = access.require_page(PAGE)
MADE = "export_made"
ALL = ""
maker = get_sessionmaker()

with maker() as session:
    scope = koplopers_in_scope(session, viewer)
    waves = wave_codes(session)
names = dict(zip(scope["slug"], scope["name"], strict=True))
if not names:
    st.title("Exporteren")
    access.without_koplopers()

st.title("Exporteren")
st.write(
    "De antwoorden per ingevulde vragenlijst, voor analyse in R, Python, Excel, SPSS of Stata. "
    "Elk bestand heeft de versie van de vragenlijst en alleen de dag van insturen. Excel, SPSS, "
    "Stata en de CSV voor Nederlandse Excel krijgen de vraagteksten en antwoorden als labels, "
    "en per antwoord op een meerkeuzevraag een kolom met 1 (gekozen) of 0. Elke export komt in "
    "het logboek."
)
if not viewer.reads_free_text:
    st.caption("Open antwoorden staan niet in het bestand: uw account mag ze niet lezen.")

fmt = st.radio("Formaat", list(FORMATS), format_func=FORMATS.__getitem__, key="export_format")
koplopers = ([ALL] if viewer.sees_all else []) + list(names)
asked = (st.query_params.get("koploper") or "").strip().lower()
koploper = st.selectbox(
    "Koploper",
    koplopers,
    index=koplopers.index(asked) if asked in koplopers else 0,
    format_func=lambda slug: names.get(slug, "Alle koplopers"),
    key="export_koploper",
)
wave = st.selectbox(
    "Meting",
    [ALL, *waves],
    format_func=lambda code: wave_with_code(code) if code else "Alle metingen",
    key="export_wave",
)
include_demo = st.checkbox("Ook demo-antwoorden (verzonnen, voor een demonstratie)")
choice = (fmt, koploper or None, wave or None, include_demo)

try:
    with maker() as session:
        available = count_responses(session, viewer, choice[1], choice[2], include_demo)
except AccessDenied:
    access.deny(viewer, PAGE, koploper=koploper or None)

if not available:
    st.info(
        "Met deze keuze zijn er geen antwoorden: er is niets om te exporteren. Kies een andere "
        "koploper of meting"
        + ("." if include_demo else ", of zet de demo-antwoorden aan als u die wilt."),
        icon=":material/info:",
    )
    st.stop()

st.write(f"Met deze keuze: **{whole(available)}** ingevulde vragenlijsten.")
if st.button("Bestand maken", icon=":material/file_export:", key="export_make"):
    st.session_state.pop(MADE, None)
    bar = st.progress(0.0, text="Bestand maken")
    try:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "export"
            codebook = Path(folder) / "codebook.json"
            with maker.begin() as session:
                export_file(
                    session,
                    viewer,
                    fmt,
                    out,
                    codebook,
                    koploper=choice[1],
                    wave=choice[2],
                    include_demo=include_demo,
                    how="app",
                    progress=lambda done, text: bar.progress(done, text=text),
                )
            made = out.read_bytes(), codebook.read_bytes() if codebook.exists() else None
    except EmptyExport as empty:
        bar.empty()
        st.warning(str(empty), icon=":material/info:")
        st.stop()
    except AccessDenied:
        access.deny(viewer, PAGE, koploper=choice[1])
    bar.empty()
    st.session_state[MADE] = (choice, *made)

made = st.session_state.get(MADE)
if made is not None and made[0] == choice:
    day = dutch_day()
    st.success("Het bestand is klaar.", icon=":material/check_circle:")
    name = file_name(fmt, choice[1], choice[2], day)
    # The export line was committed when the file was made: the clicks below only hand out
    # that file, each on an address of its own that soon expires.
    data, codebook = made[1], made[2]
    download_button(
        f"Downloaden ({name})",
        lambda: data,
        file_name=name,
        mime=MEDIA_TYPES[fmt],
        key="export_download",
        viewer=viewer,
        icon=":material/download:",
    )
    if codebook is not None:
        download_button(
            "Codeboek downloaden (JSON, voor analyseprogramma's)",
            lambda: codebook,
            file_name=name.removesuffix(".csv") + ".codebook.json",
            mime="application/json",
            key="export_codebook",
            viewer=viewer,
            icon=":material/data_object:",
            help="Welke vraag bij elke kolom hoort en wat elke antwoordcode betekent, in een "
            "vorm die analyseprogramma's kunnen lezen.",
        )
