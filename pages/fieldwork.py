"""Veldwerk: per koploper its waves, the responses so far, and the links and QR codes of open
waves; the beheerder opens and closes waves and sets their dates here."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import streamlit as st

from db.access import AccessDenied
from db.audit import record
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.fieldwork_overview import (
    STATUS_MEANING,
    fieldwork_waves,
    koplopers_in_scope,
    response_counts,
)
from db.waves import close_wave, open_wave, set_wave_dates
from pages.ui import access, held
from pages.ui.downloads import download_button
from pages.ui.fieldwork_response import draw_response
from pages.ui.plain import plain, plain_cells
from pages.ui.routing import ensure_routed
from surveys.clock import dutch_date, dutch_day
from surveys.links import (
    code_address,
    public_base,
    qr_file_name,
    qr_png,
    qr_svg,
    respondent_link,
)
from surveys.numbers import whole
from surveys.vocabulary import (
    ACCESS,
    AUDIENCES,
    CHANNEL_NAMES,
    QUESTIONNAIRES,
    REGISTER_NAMES,
    REGISTERS,
    STANDARD,
    WAVE_KINDS,
    Audience,
)
from surveys.vocabulary import wave as known_wave
from views.response_rates import koploper_response

ensure_routed()
PAGE = "veldwerk"
viewer = access.require_page(PAGE)

PICK = "veldwerk_koploper"
VIEWED = "veldwerk_viewed"
NOTICE = "veldwerk_notice"
# (koploper, wave, version, until) of an opening or closing that waits for "Ja, …".
PENDING = "veldwerk_pending"
DATE_FORMAT = "DD-MM-YYYY"
# The versions of a questionnaire (``lang=`` in the link), as the respondent chooses them.
VERSIONS = {register.code: register.choice for register in REGISTERS}
maker = get_sessionmaker()


def _wave_name(row) -> str:
    """A wave's long name ('Tweede vervolgmeting (na 2 jaar)'); the stored label for a wave the
    vocabulary does not know."""
    found = known_wave(row.code)
    return found.long if found else row.label


def _follow_picker() -> None:
    st.query_params["koploper"] = st.session_state[PICK]


def _done(message: str) -> None:
    """Show ``message`` after the rerun that redraws the page with the change."""
    st.session_state[NOTICE] = message
    st.rerun()


with maker() as session:
    scope = koplopers_in_scope(session, viewer)
names = dict(zip(scope["slug"], scope["name"], strict=True))

wanted = (st.query_params.get("koploper") or "").strip().lower()[:60]
unknown = False
if wanted and wanted not in names:
    # Ask the data layer, which decides: a koploper the viewer may not see, or none at all.
    try:
        with maker() as session:
            fieldwork_waves(session, viewer, koploper=wanted)
    except AccessDenied:
        access.require_koploper(viewer, PAGE, wanted)
    except UnknownKoploper:
        unknown = True
    wanted = ""

st.title("Veldwerk")
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/check_circle:")
if unknown:
    # The typed name is not shown back: it came from the address bar.
    st.error(
        "De koploper uit het webadres bestaat niet. Kies hieronder een koploper.",
        icon=":material/error:",
    )
if scope.empty:
    access.without_koplopers()
if wanted:
    st.session_state[PICK] = wanted
elif st.session_state.get(PICK) not in names:
    st.session_state[PICK] = next(iter(names))
slug = st.selectbox(
    "Koploper",
    list(names),
    format_func=names.get,
    key=PICK,
    on_change=_follow_picker,
    help=None if viewer.sees_all else "U ziet alleen de koplopers van uw account.",
)

with maker() as session:  # reads: no write lock on SQLite while counting
    waves = fieldwork_waves(session, viewer, koploper=slug)
    counts = response_counts(session, viewer, koploper=slug)
    response = koploper_response(session, viewer, slug)
viewed: set[str] = st.session_state.setdefault(VIEWED, set())
if slug not in viewed:  # the audit line once per koploper per browser session
    with maker.begin() as session:
        record(session, viewer, "viewed", koploper=slug, detail="Veldwerk")
    viewed.add(slug)

# --- waves ----------------------------------------------------------------------------------------
st.header("Metingen")
per_wave = counts.groupby("wave")["responses"].sum()
st.table(
    pd.DataFrame(
        {
            "Meting": waves["code"],
            "Naam": [_wave_name(w) for w in waves.itertuples()],
            "Soort": waves["kind"].map(WAVE_KINDS),
            "Eerste dag": waves["fieldwork_start"].map(dutch_date),
            "Laatste dag": waves["fieldwork_end"].map(dutch_date),
            "Status": waves["status"],
            "Toegang": waves["access"].map(ACCESS),
            "Antwoorden": [int(per_wave.get(code, 0)) for code in waves["code"]],
        }
    )
    .set_index("Meting")
    .pipe(plain_cells),
    alt=f"Metingen van {names[slug]}: data, status en aantal antwoorden",
)
st.caption(
    "Status: "
    + "; ".join(f"{status}: {meaning}" for status, meaning in STATUS_MEANING.items())
    + ". Data zijn Nederlandse kalenderdagen; de eerste en de laatste dag tellen mee."
)

# --- responses ------------------------------------------------------------------------------------
st.header("Antwoorden")
if counts.empty:
    st.info("Er zijn nog geen antwoorden voor deze koploper.", icon=":material/info:")
else:
    st.table(
        pd.DataFrame(
            {
                "Meting": counts["wave"],
                "Vragenlijst": counts["questionnaire"].map(lambda k: QUESTIONNAIRES.get(k, k)),
                "Kanaal": counts["channel"].map(lambda c: CHANNEL_NAMES.get(c, c)),
                "Taalvorm": counts["language"].map(lambda r: REGISTER_NAMES.get(r, r)),
                "Antwoorden": counts["responses"],
            }
        )
        .set_index("Meting")
        .pipe(plain_cells),
        alt=f"Antwoorden van {names[slug]} per meting, vragenlijst, kanaal en taalvorm",
    )
    st.caption(
        f"In totaal {whole(int(counts['responses'].sum()))} antwoorden. Taalvorm: standaard "
        "is taalniveau B1, makkelijk lezen: korte zinnen en één vraag per scherm. Kanaal demo: "
        "voorbeeldgegevens."
    )
held.section(maker, viewer, slug, names)  # "Te controleren": bursts via the open link

# --- response: invitations and responses per day -------------------------------------------------
draw_response(response, names[slug], {w.code: _wave_name(w) for w in waves.itertuples()})


def _link_with_qr(column, base: str, audience: Audience, code: str, language: str) -> None:
    """One version's link and its QR code (PNG and SVG) in ``column``."""
    easy = language != STANDARD
    link = respondent_link(base, audience.survey, slug, code, language if easy else None)
    register = REGISTER_NAMES[language]
    suffix = "-eenvoudig" if easy else ""
    title = (
        f"QR-code: vragenlijst {audience.name.lower()}, {register}, {names[slug]}, meting {code}"
    )
    with column:
        st.markdown(f"*{VERSIONS[language]}*")
        st.code(link, language=None, wrap_lines=True)
        files = {
            "png": ("QR-code als PNG (om te printen)", "image/png", lambda: qr_png(link)),
            "svg": (
                "QR-code als SVG (voor een drukker)",
                "image/svg+xml",
                lambda: qr_svg(link, title),
            ),
        }
        for extension, (label, mime, make) in files.items():
            download_button(
                label,
                make,
                file_name=qr_file_name(slug, code, audience, extension, language if easy else None),
                mime=mime,
                key=f"{extension}-{code}-{audience.survey}{suffix}",
                viewer=viewer,
                icon=":material/qr_code_2:",
            )


# --- links and QR codes ---------------------------------------------------------------------------
st.header("Links en QR-codes")
open_waves = waves[waves["is_open"] & (waves["status"] != "afgelopen")]
if open_waves.empty:
    st.info(
        "Er staat geen meting open. Als een meting open staat, vindt u hier de links voor de "
        "vragenlijsten en de QR-codes voor op een poster.",
        icon=":material/info:",
    )
base = public_base(os.environ.get("KOPLOPERMONITOR_PUBLIC_URL"), st.context.url)
for wave in open_waves.itertuples():
    st.subheader(f"Meting {wave.code}: {_wave_name(wave)}")
    if wave.status == "gepland":
        st.caption(f"De links werken vanaf {dutch_date(wave.fieldwork_start)}.")
    else:
        st.caption(f"De links werken tot en met {dutch_date(wave.fieldwork_end)}.")
    if wave.access == "codes":
        # The open link only says 'you need a code' here: a poster with it would lead nowhere.
        st.info(
            f"{ACCESS['codes']}: deze meting heeft geen open link. Wie een brief kreeg, typt "
            f"de code op {code_address(base)} of scant de QR-code in de brief. Codes en brieven "
            "maakt u op de pagina Uitnodigingen.",
            icon=":material/key:",
        )
        continue
    if wave.access == "open":
        st.caption(f"{ACCESS['open']}: codes uit brieven werken bij deze meting niet.")
    for audience in AUDIENCES:
        st.markdown(f"**{audience.name}**")
        for language, column in zip(VERSIONS, st.columns(2), strict=True):
            _link_with_qr(column, base, audience, wave.code, language)
if not open_waves.empty:
    st.caption(
        "Makkelijk lezen is de versie met korte zinnen en één vraag per scherm. De "
        "antwoorden tellen mee met die van de standaardversie. Iedereen met de link kan de "
        "vragenlijst invullen; er is geen inlog nodig."
    )

# --- the beheerder's forms ----------------------------------------------------------------------
if not viewer.is_admin:
    st.stop()


def _question(wave, until: dt.date | None) -> str:
    """What opening or closing ``wave`` will do, asked before it happens."""
    answers = int(per_wave.get(wave.code, 0))
    if wave.is_open:
        return (
            f"Weet u zeker dat u meting {wave.code} ({_wave_name(wave)}) wilt sluiten? De links en "
            "QR-codes werken dan meteen niet meer; wie de vragenlijst nu invult, kan niet meer "
            "versturen. "
            + (
                "Er zijn nog geen antwoorden."
                if answers == 0
                else "Het ene antwoord dat er is, blijft bewaard."
                if answers == 1
                else f"De {whole(answers)} antwoorden die er zijn, blijven bewaard."
            )
        )
    question = (
        f"Weet u zeker dat u meting {wave.code} ({_wave_name(wave)}) wilt openen tot en met "
        f"{dutch_date(until)}? De links en QR-codes gaan dan werken."
    )
    if wave.fieldwork_end < dutch_day():
        start = min(wave.fieldwork_start, dutch_day())
        question += (
            f" Let op: deze meting is al afgelopen. Haar laatste dag was "
            f"{dutch_date(wave.fieldwork_end)}, dat ligt in het verleden. Als u haar opnieuw "
            f"opent, loopt zij van {dutch_date(start)} tot en met {dutch_date(until)}, en nieuwe "
            f"antwoorden tellen mee bij deze meting uit {wave.fieldwork_start.year}"
            + (
                ""
                if answers == 0
                else ", naast het ene antwoord van toen"
                if answers == 1
                else f", naast de {whole(answers)} antwoorden van toen"
            )
            + ". Open voor een nieuwe ronde liever de volgende meting."
        )
    return question


def _confirm(column, wave, until: dt.date | None) -> None:
    """The second step of opening or closing: 'Ja, …' does it, 'Annuleren' forgets it."""
    verb = "sluiten" if wave.is_open else "openen"
    with column:
        st.warning(plain(_question(wave, until)), icon=":material/warning:")
        yes, no = st.columns(2)
        sure = yes.button(
            f"Ja, meting {wave.code} {verb}", type="primary", key=f"confirm-{wave.code}"
        )
        if no.button("Annuleren", key=f"cancel-{wave.code}"):
            st.session_state.pop(PENDING, None)
            st.rerun()
    if not sure:
        return
    st.session_state.pop(PENDING, None)
    try:
        with maker.begin() as session:
            if wave.is_open:
                close_wave(session, viewer, slug, wave.code)
            else:
                open_wave(session, viewer, slug, wave.code, until)
    except (AccessDenied, LookupError, ValueError) as problem:
        column.error(str(problem), icon=":material/error:")
    else:
        _done(
            f"Meting {wave.code} is gesloten. De links werken niet meer."
            if wave.is_open
            else f"Meting {wave.code} staat open tot en met {dutch_date(until)}."
        )


st.header("Metingen beheren")
st.write(
    "Open een meting om de links te laten werken, sluit haar om te stoppen, of verander de "
    "data. Een meting openen kan alleen als de koploper contactgegevens heeft voor vragen van "
    "inwoners."
)
today = dutch_day()
earliest, latest = dt.date(2017, 1, 1), dt.date(today.year + 10, 12, 31)
for wave in waves.itertuples():
    # The dates in the keys: after a change the fields start again from the stored dates.
    version = f"{wave.code}-{wave.fieldwork_start}-{wave.fieldwork_end}-{wave.is_open}"
    with st.container(border=True):
        st.subheader(f"Meting {wave.code}: {_wave_name(wave)}")
        st.text(
            f"Nu: {wave.status}, van {dutch_date(wave.fieldwork_start)} tot en met "
            f"{dutch_date(wave.fieldwork_end)}."
        )
        left, right = st.columns(2)
        with left.form(f"open-{version}", border=False):
            if wave.is_open:
                st.write("De links van deze meting werken. Sluiten stopt ze meteen.")
                act = st.form_submit_button(f"Meting {wave.code} sluiten", key=f"close-{wave.code}")
                until = None
            else:
                until = st.date_input(
                    "Open tot en met",
                    value=max(today + dt.timedelta(days=30), wave.fieldwork_end),
                    min_value=today,
                    max_value=latest,
                    format=DATE_FORMAT,
                    key=f"until-{version}",
                )
                act = st.form_submit_button(
                    f"Meting {wave.code} openen", type="primary", key=f"open-{wave.code}"
                )
        if act:
            # Nothing changes yet: the next run asks "are you sure?" below the forms.
            st.session_state[PENDING] = (slug, wave.code, version, until)
            st.rerun()
        if st.session_state.get(PENDING, (None, None, None))[:3] == (slug, wave.code, version):
            _confirm(left, wave, st.session_state[PENDING][3])
        with right.form(f"dates-{version}", border=False):
            start = st.date_input(
                "Eerste dag",
                value=wave.fieldwork_start,
                min_value=min(earliest, wave.fieldwork_start),
                max_value=latest,
                format=DATE_FORMAT,
                key=f"start-{version}",
            )
            end = st.date_input(
                "Laatste dag",
                value=wave.fieldwork_end,
                min_value=min(earliest, wave.fieldwork_start),
                max_value=latest,
                format=DATE_FORMAT,
                key=f"end-{version}",
            )
            save = st.form_submit_button("Data opslaan", key=f"dates-{wave.code}")
        if save:
            try:
                with maker.begin() as session:
                    set_wave_dates(session, viewer, slug, wave.code, start, end)
            except (AccessDenied, LookupError, ValueError) as problem:
                right.error(str(problem), icon=":material/error:")
            else:
                _done(
                    f"Meting {wave.code} loopt nu van {dutch_date(start)} tot en met "
                    f"{dutch_date(end)}."
                )
