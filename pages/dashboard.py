"""Mijn koploper: the koploper's figures per goal of the programme, its baseline against a
follow-up, beside the other koplopers (pooled, anonymous) and its own cohort.

The counts and figures come from ``views.dashboard``, once per view; what is kept between views
is kept there (``views.cache``), so this page caches nothing itself."""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st

from db.audit import record
from db.engine import get_sessionmaker
from db.fieldwork_overview import fieldwork_waves, koplopers_in_scope
from measures.explain import explanation
from measures.groups import ALL
from measures.indicators import load_indicators
from measures.subgroups import subgroup_choices
from measures.wave_choice import RUNNING, default_pair, wave_option, waves_with_enough
from pages.ui import access
from pages.ui import dashboard_downloads as downloads
from pages.ui import dashboard_panel as panel
from pages.ui import dashboard_view as view
from pages.ui.plain import plain
from pages.ui.routing import ensure_routed
from pages.ui.state import keep as _keep
from surveys.vocabulary import GOALS, OWN, QUESTIONNAIRES, wave_name, wave_title
from views.dashboard import MAX_OPEN_ANSWERS, dashboard_counts, dashboard_figures, open_answers
from views.subgroups import count_subgroups_later

ensure_routed()
PAGE = "mijn-koploper"
viewer = access.require_page(PAGE)

PICK, QUESTIONNAIRE, BASELINE, FOLLOWUP = "mk_koploper", "mk_vragenlijst", "mk_van", "mk_naar"
SUBGROUP, CATEGORY, SEARCH, VIEWED = "mk_subgroep", "mk_categorie", "mk_zoek", "mk_viewed"
DETAILS = "mk_details"
GOAL = "doel"  # also the address: ?doel=Inzicht opens that goal
BOTH = "beide"
maker = get_sessionmaker()
indicators = load_indicators()
settings = indicators.settings
choices = subgroup_choices(indicators)


def _follow_picker() -> None:
    st.query_params["koploper"] = st.session_state[PICK]


# --- which koploper ---------------------------------------------------------------------------
with maker() as session:
    scope = koplopers_in_scope(session, viewer)
names = dict(zip(scope["slug"], scope["name"], strict=True))

view.page_style()
st.title("Mijn koploper")
wanted = (st.query_params.get("koploper") or "").strip().lower()[:60]
if wanted and wanted not in names:
    # require_page refused a koploper out of scope already: this one does not exist.
    st.error(
        "De koploper uit het webadres bestaat niet. Kies hieronder een koploper.",
        icon=":material/error:",
    )
    wanted = ""
if scope.empty:
    access.without_koplopers()
if wanted:
    st.session_state[PICK] = wanted
_keep(PICK, list(names), next(iter(names)))
if len(names) > 1:
    slug = st.selectbox(
        "Koploper",
        list(names),
        format_func=names.get,
        key=PICK,
        on_change=_follow_picker,
        help=None if viewer.sees_all else "U ziet alleen de koplopers van uw account.",
    )
else:
    slug = st.session_state[PICK]
name = names[slug]

viewed: set[str] = st.session_state.setdefault(VIEWED, set())
if slug not in viewed:  # the audit line once per koploper per browser session
    with maker.begin() as session:
        record(session, viewer, "viewed", koploper=slug, detail="Mijn koploper")
    viewed.add(slug)

st.write(
    f"Hoe gaat het met de cliëntondersteuning in {plain(name)}? Per doel van het programma "
    "ziet u de cijfers van elke meting, de verandering sinds de nulmeting, en "
    f"{plain(name)} naast de overige koplopers samen en naast het eigen cohort. Namen van "
    "andere koplopers staan er niet bij."
)

with maker() as session:  # a read: no write lock on SQLite
    total = dashboard_counts(session, viewer, slug, indicators=indicators)
waves = total.waves
if not waves:
    st.info(
        f"Er zijn nog geen antwoorden voor {plain(name)}. Zodra die er zijn, staan hier de "
        "cijfers.",
        icon=":material/info:",
    )
    st.stop()

# --- filters ------------------------------------------------------------------------------------
st.header("Wat wilt u zien?")
left, right = st.columns(2)
with left:
    _keep(QUESTIONNAIRE, [BOTH, *QUESTIONNAIRES], BOTH)
    chosen = st.selectbox(
        "Vragenlijst",
        [BOTH, *QUESTIONNAIRES],
        format_func=lambda key: "Beide vragenlijsten" if key == BOTH else QUESTIONNAIRES[key],
        key=QUESTIONNAIRE,
    )
    _keep(SUBGROUP, [None, *choices], None)
    subgroup = st.selectbox(
        "Subgroep",
        [None, *choices],
        format_func=lambda key: "Iedereen" if key is None else choices[key].label,
        key=SUBGROUP,
    )
    category = None
    if subgroup is not None:
        categories = choices[subgroup].categories
        _keep(CATEGORY, list(categories), next(iter(categories)))
        category = st.selectbox(
            "Welke groep", list(categories), format_func=categories.get, key=CATEGORY
        )
# A wave that has just started has no figures yet: the default compares the waves that have.
with maker() as session:
    fieldwork = fieldwork_waves(session, viewer, koploper=slug)
status = dict(zip(fieldwork["code"], fieldwork["status"], strict=True))
responses = {str(w): int(n) for w, n in total.versions.groupby("wave")["responses"].sum().items()}
own_base = total.base[(total.base["group"] == OWN) & (total.base["category"] == ALL)]
enough = waves_with_enough(own_base, settings.min_n)
first, last = default_pair(waves, enough)


def _wave_label(wave: str) -> str:
    return wave_option(wave, status, responses, enough)


with right:
    if len([w for w in waves if w in enough]) > 1:
        _keep(BASELINE, waves[:-1], first)
        baseline = st.selectbox("Eerdere meting", waves[:-1], format_func=_wave_label, key=BASELINE)
        later = [w for w in waves if waves.index(w) > waves.index(baseline)]
        _keep(FOLLOWUP, later, last if last in later else later[-1])
        followup = st.selectbox("Latere meting", later, format_func=_wave_label, key=FOLLOWUP)
        running = [_wave_label(w) for w in waves if status.get(w) == RUNNING]
        if running:
            st.caption(plain("; ".join(running) + "."))
    else:
        baseline = followup = first
        st.markdown(
            "**Metingen:** " + "; ".join(plain(_wave_label(w)) for w in waves),
            help="Een meting krijgt cijfers zodra een vraag minimaal "
            f"{settings.min_n} antwoorden heeft.",
        )

if baseline != followup and followup not in enough:  # chosen by hand: say why it is empty
    st.info(
        f"{plain(_wave_label(followup))}: nog te weinig antwoorden voor cijfers. Kies een "
        "andere latere meting om te vergelijken.",
        icon=":material/hourglass_top:",
    )
if baseline == followup:
    st.info(
        (
            f"Er is nog maar één meting met cijfers: {wave_name(baseline)}. Een vergelijking kan "
            "pas als een vervolgmeting genoeg antwoorden heeft. U ziet hieronder de cijfers van "
            "deze meting, naast de overige koplopers."
        )
        if baseline in enough
        else (
            "Er zijn nog te weinig antwoorden voor cijfers. Zodra een vraag minimaal "
            f"{settings.min_n} antwoorden heeft, staan hier de cijfers."
        ),
        icon=":material/info:",
    )
shown = list(QUESTIONNAIRES) if chosen == BOTH else [chosen]
if subgroup is not None and choices[subgroup].questionnaire is not None:
    asked_in = choices[subgroup].questionnaire
    st.info(
        f"{choices[subgroup].label} is een vraag uit de vragenlijst voor "
        f"{QUESTIONNAIRES[asked_in].lower()}. Met deze subgroep ziet u daarom alleen cijfers van "
        "die vragenlijst.",
        icon=":material/info:",
    )
    shown = [q for q in shown if q == asked_in]

# The plain view first for a council or a municipality; Movisie's roles read the tests too.
_keep(DETAILS, [True, False], viewer.sees_all)
details = st.toggle(
    "Meer details",
    key=DETAILS,
    help="Toont ook de q-waarde en de effectgrootte (Cohens h, Hedges' g) bij elke vergelijking.",
)

explained = explanation(settings)
if explained:
    with st.expander("Hoe lees ik dit?", icon=":material/help:"):
        for heading, text in explained:
            st.markdown(f"**{plain(heading)}**")
            for paragraph in text.split("\n\n"):
                st.markdown(plain(paragraph))

counting = (  # a subgroup not counted in the background yet is counted now
    nullcontext() if subgroup is None else st.spinner("De cijfers per subgroep worden geteld…")
)
with maker() as session, counting:
    fig = dashboard_figures(
        session, viewer, slug, name, subgroup, category, baseline, followup, indicators=indicators
    )

# --- the figures --------------------------------------------------------------------------------
st.header("Overzicht")
if subgroup is not None and category is not None:
    st.markdown(
        f"**Subgroep: {plain(choices[subgroup].label)}, "
        f"{plain(choices[subgroup].categories[category])}.** Alle cijfers hieronder gaan over "
        "deze groep, ook die van de overige koplopers en het eigen cohort."
    )
if not shown:
    st.info(
        "Met deze subgroep zijn er geen cijfers voor de gekozen vragenlijst.",
        icon=":material/info:",
    )
else:
    view.draw_overview(fig, shown, GOALS, settings, name, details)
    panel.draw_paired(fig, shown, settings, details)  # only with a panel's pairs

# Only the open tab is drawn (each has its charts); choosing another reruns the page.
sections = st.tabs(list(GOALS.values()), key=GOAL, on_change="rerun", bind="query-params")
for (goal, title), section in zip(GOALS.items(), sections, strict=True):
    if section.open is False:
        continue
    with section:
        st.header(title)
        for questionnaire in shown:
            names_of = [
                i.name
                for i in indicators.questionnaires[questionnaire].indicators
                if indicators.questionnaires[questionnaire].goal(i.name) == goal
            ]
            profile = goal == "profile"
            if not names_of and not profile:
                continue
            st.subheader(QUESTIONNAIRES[questionnaire])
            for indicator in names_of:
                view.draw_indicator(fig, questionnaire, indicator, name, settings, details)
            if profile:
                if subgroup is not None:
                    st.caption("Deze verdeling is van alle invullers, niet alleen van de subgroep.")
                view.draw_profile(fig, questionnaire, settings)

# --- downloads: the figures of this view, and the report for the council ---------------------
described = f"{wave_title(baseline)} tegen {wave_title(followup)}"
title = name
if subgroup is not None and category is not None:
    group_words = f"{choices[subgroup].label}: {choices[subgroup].categories[category]}"
    described += f", subgroep {group_words}"
    title = f"{name} (subgroep {group_words})"
if chosen != BOTH:
    described += f", {QUESTIONNAIRES[chosen].lower()}"
downloads.draw_downloads(fig, viewer, slug, name, title, described, shown, settings)

# --- open answers (only with that right) --------------------------------------------------------
if viewer.reads_free_text:
    with st.expander("Open antwoorden", icon=":material/chat:"):
        st.warning(
            "Open antwoorden kunnen laten zien wie iets schreef, ook zonder naam. Lees ze alleen "
            "voor uw werk en geef ze niet door, ook niet als voorbeeld.",
            icon=":material/privacy_tip:",
        )
        search = st.text_input("Zoek in de open antwoorden", key=SEARCH, max_chars=100)
        with maker() as session:
            answers = open_answers(session, viewer, slug, search, indicators=indicators)
        view.draw_open_answers(answers, MAX_OPEN_ANSWERS)

# --- afterwards: every subgroup counted in the background, so that choosing one is quick -------
if subgroup is None:
    with maker() as session:
        count_subgroups_later(session, viewer, slug, indicators=indicators)
