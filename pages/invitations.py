"""Uitnodigingen: single-use codes per koploper, wave and questionnaire, made in batches, with
the files for the letters: the letters and the reminders (PDF, ``views.invitations``) and the
codes for a mailing house (CSV, ``views.codes``).

The beheerder works for every koploper, a gemeente account for its own; the data layer
(``db.invitations``) checks that on every read and change and writes the Logboek lines (codes
made, exported, letters printed, a batch withdrawn). Nothing here shows a code: codes are in the
files only.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from db.access import AccessDenied
from db.engine import get_sessionmaker
from db.fieldwork_overview import fieldwork_waves, koplopers_in_scope
from db.invitations import list_batches, make_codes, withdraw_batch
from pages.ui import access
from pages.ui.downloads import download_button
from pages.ui.plain import plain, plain_cells
from pages.ui.routing import ensure_routed
from pages.ui.state import keep
from surveys.clock import dutch_date, dutch_day
from surveys.links import public_base
from surveys.numbers import rate_percent, whole
from surveys.vocabulary import AUDIENCES, QUESTIONNAIRES, REGISTER_NAMES, REGISTERS, wave_title
from views.codes import codes_file
from views.codes import file_name as codes_file_name
from views.invitations import letters_pdf

ensure_routed()
PAGE = "uitnodigingen"
viewer = access.require_page(PAGE)

PICK, WAVE, SURVEY = "uitnodigingen_koploper", "uitnodigingen_wave", "uitnodigingen_survey"
NOTICE = "uitnodigingen_notice"
# What waits for "Ja, …": ('make', place, count, language, panel, follow_up_of) or
# ('withdraw', place, batch id); place is (koploper, wave, questionnaire).
PENDING = "uitnodigingen_pending"
MAX_COUNT = 50_000
maker = get_sessionmaker()


def _follow_picker() -> None:
    st.query_params["koploper"] = st.session_state[PICK]


def _done(message: str) -> None:
    """Show ``message`` after the rerun that redraws the page with the change."""
    st.session_state.pop(PENDING, None)
    st.session_state[NOTICE] = message
    st.rerun()


def _wave_label(code: str) -> str:
    return f"{code}: {wave_title(code)}"


def _codes(place: tuple[str, str, str], base: str, unused: bool) -> bytes:
    """The codes file, made at the click (in Streamlit's worker thread: no ``st`` here)."""
    with maker.begin() as session:
        return codes_file(session, viewer, *place, base=base, unused=unused).data


def _letters(place: tuple[str, str, str], base: str, reminder: bool) -> bytes:
    """The letters (or reminders) as one PDF, made at the click; printing is noted with it."""
    with maker.begin() as session:
        return letters_pdf(session, viewer, *place, reminder=reminder, base=base)


def _letter_numbers(batch) -> str:
    if batch.count == 0:
        return "–"
    return f"{whole(batch.first_letter)} tot en met {whole(batch.last_letter)}"


# --- which koploper, wave and questionnaire ------------------------------------------------------
with maker() as session:
    scope = koplopers_in_scope(session, viewer)
names = dict(zip(scope["slug"], scope["name"], strict=True))

st.title("Uitnodigingen")
st.write(
    "Maak persoonlijke codes voor een uitnodiging per brief. Elke code werkt één keer: wie de "
    "brief krijgt, typt de code op de website of scant de QR-code, en vult dan de vragenlijst "
    "in. De code bepaalt de gemeente, de meting, de vragenlijst en de taalvorm. Van een code "
    "wordt alleen bewaard dat hij gebruikt is en op welke dag, niet welke antwoorden erbij horen. "
    "Een panelcode heeft daarnaast een sleutel zonder naam, die de antwoorden van dezelfde "
    "persoon bij twee metingen aan elkaar koppelt."
)
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/check_circle:")
if scope.empty:
    access.without_koplopers()

wanted = (st.query_params.get("koploper") or "").strip().lower()[:60]
if wanted in names:
    st.session_state[PICK] = wanted
else:
    keep(PICK, list(names), next(iter(names)))
slug = st.selectbox(
    "Koploper",
    list(names),
    format_func=names.get,
    key=PICK,
    on_change=_follow_picker,
    help=None if viewer.sees_all else "U ziet alleen de koplopers van uw account.",
)
with maker() as session:
    waves = fieldwork_waves(session, viewer, koploper=slug)
wave_codes = list(waves["code"])
status = dict(zip(waves["code"], waves["status"], strict=True))
# The wave in fieldwork (or about to be) first: that is the one letters are for.
current = [code for code in wave_codes if status[code] in ("open", "gepland")]
keep(WAVE, wave_codes, (current or wave_codes)[-1])
left, right = st.columns(2)
wave = left.selectbox(
    "Meting", wave_codes, format_func=lambda c: f"{_wave_label(c)} ({status[c]})", key=WAVE
)
keep(SURVEY, [a.survey for a in AUDIENCES], AUDIENCES[0].survey)
survey = right.selectbox(
    "Vragenlijst", [a.survey for a in AUDIENCES], format_func=QUESTIONNAIRES.get, key=SURVEY
)
place = (slug, wave, survey)
where = f"{names[slug]}, meting {wave}, vragenlijst {QUESTIONNAIRES[survey].lower()}"

with maker() as session:
    batches = list_batches(session, viewer, slug, wave, survey)

# --- the batches ---------------------------------------------------------------------------------
st.header("Gemaakte codes")
if not batches:
    st.info(f"Er zijn nog geen codes voor {plain(where)}.", icon=":material/info:")
else:
    st.table(
        pd.DataFrame(
            {
                "Reeks": [b.id for b in batches],
                "Gemaakt op": [dutch_date(dutch_day(b.created_at)) for b in batches],
                "Taalvorm": [REGISTER_NAMES.get(b.language, b.language) for b in batches],
                "Panel": [
                    ("ja, vervolg op " + b.follow_up_of if b.follow_up_of else "ja")
                    if b.panel
                    else "nee"
                    for b in batches
                ],
                "Codes": [whole(b.count) for b in batches],
                "Gebruikt": [whole(b.used) for b in batches],
                "Respons": [rate_percent(b.used, b.count) for b in batches],
                "Briefnummers": [_letter_numbers(b) for b in batches],
                "Brieven geprint": [
                    dutch_date(b.letters_on) if b.letters_on else "nog niet" for b in batches
                ],
                "Herinneringen geprint": [
                    dutch_date(b.reminders_on) if b.reminders_on else "nog niet" for b in batches
                ],
                "Status": [
                    f"ingetrokken op {dutch_date(dutch_day(b.withdrawn_at))}"
                    if b.withdrawn_at
                    else "werkt"
                    for b in batches
                ],
            }
        )
        .set_index("Reeks")
        .pipe(plain_cells),
        alt=f"Reeksen codes van {where}: aantal, gebruikt, respons en status",
    )
    # As the response rate counts them (db.response_rates): every code of a working batch, and
    # the used codes of a withdrawn one.
    sent = sum(b.used if b.withdrawn_at else b.count for b in batches)
    used = sum(b.used for b in batches)
    st.caption(
        f"In totaal {whole(sent)} verstuurde codes, waarvan {whole(used)} gebruikt"
        + (f" ({rate_percent(used, sent)} respons)." if sent else ".")
        + " Van een ingetrokken reeks tellen alleen de gebruikte codes mee: de ongebruikte codes"
        " daarvan werken niet meer."
    )

# --- the files ---------------------------------------------------------------------------------
active = [b for b in batches if not b.withdrawn_at]
if active:
    st.header("Bestanden voor de brieven")
    st.write(
        "De brieven: één A4 per code, met de code, de QR-code, het korte webadres en wie "
        "inwoners kunnen bellen. De herinneringen: alleen voor de codes die nog niet gebruikt "
        "zijn. Het codebestand is voor een drukkerij of verzendhuis: briefnummer, code en "
        "persoonlijke link. Grote aantallen duren even: 10.000 brieven ongeveer een halve minuut."
    )
    base = public_base(os.environ.get("KOPLOPERMONITOR_PUBLIC_URL"), st.context.url)
    unused_left = sum(b.count - b.used for b in active)
    letters, reminders = st.columns(2)
    for column, label, reminder in (
        (letters, "Brieven (PDF)", False),
        (reminders, "Herinneringen (PDF)", True),
    ):
        if reminder and not unused_left:
            column.info("Alle codes zijn gebruikt: er zijn geen herinneringen nodig.")
            continue
        download_button(
            label,
            # The Logboek line ('brieven geprint', with the count) is written with the file.
            lambda reminder=reminder: _letters(place, base, reminder),
            file_name=f"{'herinneringen' if reminder else 'brieven'}-{slug}-{wave}-{survey}.pdf",
            mime="application/pdf",
            key=f"pdf-{'reminders' if reminder else 'letters'}-{slug}-{wave}-{survey}",
            viewer=viewer,
            container=column,
            icon=":material/picture_as_pdf:",
        )
    codes_all, codes_unused = st.columns(2)
    for column, label, unused in (
        (codes_all, "Alle codes (CSV)", False),
        (codes_unused, "Ongebruikte codes (CSV)", True),
    ):
        download_button(
            label,
            # The Logboek line ('codes geëxporteerd', with the count) is written with the file.
            lambda unused=unused: _codes(place, base, unused),
            file_name=codes_file_name(slug, wave, survey, unused),
            mime="text/csv",
            key=f"csv-{'unused' if unused else 'all'}-{slug}-{wave}-{survey}",
            viewer=viewer,
            container=column,
            icon=":material/download:",
        )
    st.caption(
        "Het Logboek houdt bij wie wanneer brieven of codes downloadde. Het CSV-bestand opent "
        "goed in Excel (puntkomma's, UTF-8)."
    )

# --- make codes ----------------------------------------------------------------------------------
st.header("Codes maken")
if status.get(wave) == "afgelopen":
    st.info(
        f"Meting {wave} is afgelopen. Codes voor deze meting werken niet meer.",
        icon=":material/info:",
    )
earlier = [code for code in wave_codes if code < wave]
with st.form(f"make-{slug}-{wave}-{survey}"):
    count = st.number_input(
        "Aantal codes", min_value=1, max_value=MAX_COUNT, value=100, step=1, format="%d"
    )
    language = st.radio(
        "Taalvorm van de brieven en de vragenlijst",
        [r.code for r in REGISTERS],
        format_func=lambda c: next(r.choice for r in REGISTERS if r.code == c),
    )
    panel = st.checkbox(
        "Panel: dezelfde mensen bij een volgende meting opnieuw uitnodigen",
        help="Elke code krijgt een sleutel zonder naam. Zo kunnen antwoorden van dezelfde "
        "persoon bij twee metingen aan elkaar gekoppeld worden, zonder dat iemand weet wie het is.",
    )
    follow_up_of = st.selectbox(
        "Vervolg op het panel van meting (alleen bij panel)",
        [None, *earlier],
        format_func=lambda c: "geen: een nieuw panel" if c is None else _wave_label(c),
        help="Dan komt er één code voor elke panelcode van die meting, en telt het aantal "
        "hierboven niet.",
    )
    asked = st.form_submit_button("Codes maken", type="primary")
if asked:
    st.session_state[PENDING] = (
        "make",
        place,
        int(count),
        language,
        bool(panel),
        follow_up_of if panel else None,
    )
    st.rerun()

pending = st.session_state.get(PENDING)
if pending and pending[0] == "make" and pending[1] == place:
    _, _, count, language, panel, follow_up_of = pending
    question = (
        f"Weet u zeker dat u {'codes' if follow_up_of else whole(count) + ' codes'} wilt maken "
        f"voor {where}, in de taalvorm {REGISTER_NAMES[language]}"
        + (f", als vervolg op het panel van meting {follow_up_of}" if follow_up_of else "")
        + (", met panelsleutels" if panel and not follow_up_of else "")
        + "? Gemaakte codes kunt u niet weggooien, wel intrekken."
    )
    st.warning(plain(question), icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button("Ja, codes maken", type="primary", key="confirm-make"):
        try:
            with maker.begin() as session:
                made = make_codes(
                    session,
                    viewer,
                    slug,
                    wave,
                    survey,
                    None if follow_up_of else count,  # one code per panel member then
                    language=language,
                    panel=panel,
                    follow_up_of=follow_up_of,
                )
        except (AccessDenied, LookupError, ValueError) as problem:
            st.session_state.pop(PENDING, None)
            st.error(plain(str(problem)), icon=":material/error:")
        else:
            _done(
                f"{whole(made.count)} codes gemaakt (reeks {made.id}, briefnummers "
                f"{_letter_numbers(made)}). Download hierboven de brieven."
            )
    if no.button("Annuleren", key="cancel-make"):
        st.session_state.pop(PENDING, None)
        st.rerun()

# --- withdraw a batch ---------------------------------------------------------------------------
if active:
    st.header("Codes intrekken")
    st.write(
        "Trek een reeks in als de brieven niet verstuurd worden of kwijt zijn. De codes van de "
        "reeks die nog niet gebruikt zijn, werken dan niet meer. Antwoorden die al binnen zijn, "
        "blijven bewaard."
    )
    for batch in active:
        if st.button(
            f"Reeks {batch.id} intrekken ({whole(batch.count)} codes)", key=f"withdraw-{batch.id}"
        ):
            st.session_state[PENDING] = ("withdraw", place, batch.id)
            st.rerun()
    if pending and pending[0] == "withdraw" and pending[1] == place:
        batch_id = pending[2]
        batch = next((b for b in active if b.id == batch_id), None)
        if batch is not None:
            unused = batch.count - batch.used
            st.warning(
                f"Weet u zeker dat u reeks {batch.id} wilt intrekken? {whole(unused)} ongebruikte "
                "codes werken dan niet meer. Dit kunt u niet terugdraaien.",
                icon=":material/warning:",
            )
            yes, no = st.columns(2)
            if yes.button(
                f"Ja, reeks {batch.id} intrekken", type="primary", key="confirm-withdraw"
            ):
                try:
                    with maker.begin() as session:
                        withdraw_batch(session, viewer, batch.id)
                except (AccessDenied, LookupError, ValueError) as problem:
                    st.session_state.pop(PENDING, None)
                    st.error(plain(str(problem)), icon=":material/error:")
                else:
                    _done(
                        f"Reeks {batch.id} is ingetrokken. De ongebruikte codes werken niet meer."
                    )
            if no.button("Annuleren", key="cancel-withdraw"):
                st.session_state.pop(PENDING, None)
                st.rerun()
