"""Vergelijken: every koploper side by side for Movisie: the change per indicator, the pooled
change per cohort, the trend over the waves, and the fieldwork.

The figures come from ``views.compare``, which keeps them per viewer and data version
(``views.cache``): this page caches nothing itself."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.audit import record
from db.engine import get_sessionmaker
from measures.compare_charts import (
    calendar_chart,
    forest_chart,
    forest_text,
    trend_chart,
    trend_text,
)
from measures.dutch import p_text
from measures.indicators import PROPORTION, load_indicators
from measures.meta import ALL_KOPLOPERS
from measures.wave_choice import (
    RUNNING,
    default_pair,
    wave_option,
    waves_most_have,
    waves_with_figures,
)
from pages.ui import access
from pages.ui import compare_view as view
from pages.ui.compare_downloads import draw_downloads
from pages.ui.dashboard_view import page_style
from pages.ui.plain import plain, text_table
from pages.ui.routing import ensure_routed
from pages.ui.state import keep
from surveys.clock import dutch_date
from surveys.numbers import NO_FIGURE, decimal, percent, whole
from surveys.vocabulary import CHANNEL_LABELS, GOALS, QUESTIONNAIRES, wave_name, wave_title
from views.compare import comparison, fieldwork_across

ensure_routed()
PAGE = "vergelijken"
viewer = access.require_page(PAGE)
view.open_clicked()

COHORT, QUESTIONNAIRE, GOAL = "vg_cohort", "vg_vragenlijst", "vg_doel"
BASELINE, FOLLOWUP, INDICATOR, TREND, PICKED = "vg_van", "vg_naar", "vg_ind", "vg_trend", "vg_kies"
SHOWN, VIEWED = "vg_koplopers", "vg_viewed"
PART = "onderdeel"  # also the address: ?onderdeel=Trends opens that part
EVERY = "alle"
PARTS = ["Alle koplopers", "Per indicator", "Trends", "Veldwerk"]
maker = get_sessionmaker()
indicators = load_indicators()
settings = indicators.settings


page_style()
st.title("Vergelijken")
st.write(
    "Alle koplopers naast elkaar: per indicator de verandering tussen twee metingen, de "
    "verandering van alle koplopers samen en per cohort, de cijfers per meting en het veldwerk. "
    "Klik op een koploper in een grafiek, of op de link in de tabel, om zijn dashboard te openen."
)
if not st.session_state.get(VIEWED):  # the audit line once per browser session
    with maker.begin() as session:
        record(session, viewer, "viewed", detail="Vergelijken")
    st.session_state[VIEWED] = True

with st.spinner("De cijfers van alle koplopers worden berekend…"), maker() as session:
    data = comparison(session, viewer, indicators=indicators)
names = dict(zip(data.koplopers["slug"], data.koplopers["name"], strict=True))
cohort_of = dict(zip(data.koplopers["slug"], data.koplopers["cohort"], strict=True))
cohorts = list(dict.fromkeys(data.koplopers["cohort"]))

# --- filters ------------------------------------------------------------------------------------
st.header("Wat wilt u zien?")


def _filter(label: str, key: str, choices: dict[str, str], every: str) -> str:
    """A select box with 'every' first; a choice that no longer fits goes back to it."""
    keep(key, [EVERY, *choices], EVERY)
    return st.selectbox(
        label, [EVERY, *choices], format_func=lambda c: every if c == EVERY else choices[c], key=key
    )


left, right = st.columns(2)
with left:
    cohort = _filter("Cohort", COHORT, {c: c for c in cohorts}, "Alle cohorten")
    questionnaire = _filter("Vragenlijst", QUESTIONNAIRE, QUESTIONNAIRES, "Beide vragenlijsten")
    goal = _filter("Doel", GOAL, GOALS, "Alle doelen")
waves = data.waves
# A wave that has just started has no figures yet: the default compares the waves that have,
# and a wave in fieldwork says so in the choice.
with maker() as session:
    fieldwork = fieldwork_across(session, viewer)
running = fieldwork.waves
status = {code: RUNNING for code in running.loc[running["status"] == RUNNING, "code"]}
answers = {str(w): int(n) for w, n in fieldwork.responses.groupby("wave")["total"].sum().items()}
enough = waves_with_figures(data.estimates)
# The default: the latest wave at which most koplopers have figures, not the first to start.
first, last = default_pair(waves, waves_most_have(data.estimates))


def _wave_label(wave: str) -> str:
    return wave_option(wave, status, answers, enough)


with right:
    if len(waves) > 1:
        keep(BASELINE, waves[:-1], first if first in waves[:-1] else waves[0])
        baseline = st.selectbox("Eerdere meting", waves[:-1], format_func=_wave_label, key=BASELINE)
        later = waves[waves.index(baseline) + 1 :]
        keep(FOLLOWUP, later, last if last in later else later[-1])
        followup = st.selectbox("Latere meting", later, format_func=_wave_label, key=FOLLOWUP)
        in_fieldwork = [_wave_label(w) for w in waves if status.get(w) == RUNNING]
        if in_fieldwork:
            st.caption(plain("; ".join(in_fieldwork) + "."))
    else:
        baseline = followup = waves[0] if waves else ""

if baseline != followup and followup not in enough:  # chosen by hand: say why it is empty
    st.info(
        f"{plain(_wave_label(followup))}: nog te weinig antwoorden voor cijfers. Kies een "
        "andere latere meting om te vergelijken.",
        icon=":material/hourglass_top:",
    )
in_cohort = [s for s in names if cohort == EVERY or cohort_of[s] == cohort]
pairs = [
    (q, i.name)
    for q, spec in indicators.questionnaires.items()
    for i in spec.indicators
    if questionnaire in (EVERY, q) and goal in (EVERY, spec.goal(i.name))
]


def _label(pair: tuple[str, str]) -> str:
    q, name = pair
    return f"{QUESTIONNAIRES[q]}: {indicators.questionnaires[q].label(name)}"


def _of(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the chosen cohort, questionnaire and goal."""
    keep = table["koploper"].isin(in_cohort)
    if questionnaire != EVERY:
        keep &= table["questionnaire"] == questionnaire
    wanted = set(pairs)
    keep &= pd.Series(
        [(q, i) in wanted for q, i in zip(table["questionnaire"], table["indicator"], strict=True)],
        index=table.index,
    )
    return table[keep]


def _indicator_picker(key: str) -> tuple[str, str] | None:
    if not pairs:
        st.info("Bij deze keuze hoort geen indicator.", icon=":material/info:")
        return None
    keep(key, pairs, pairs[0])
    return st.selectbox("Indicator", pairs, format_func=_label, key=key)


sections = st.tabs(PARTS, key=PART, on_change="rerun", bind="query-params")
changes = data.changes.get((baseline, followup))
pools = data.pools.get((baseline, followup))

# --- 1. all koplopers × indicators ---------------------------------------------------------------
with sections[0]:
    if sections[0].open is not False:
        st.header("Alle koplopers")
        if changes is None:
            st.info(
                "Er is nog maar één meting met antwoorden, of nog geen enkele. Een verandering "
                "kan pas als er een vervolgmeting is.",
                icon=":material/info:",
            )
        else:
            shown = _of(changes)
            st.write(
                f"Per koploper en indicator: {wave_name(baseline)} en {wave_name(followup)}, "
                "met het aantal antwoorden (n) en de verandering. ▲ duidelijk hoger en ▼ duidelijk "
                f"lager betekent: groter dan toeval (q-waarde onder "
                f"{decimal(settings.significance, 2)}); = niet duidelijk anders. Klik op een "
                f"kolomkop om te sorteren. Onder {settings.min_n} antwoorden staat er geen "
                f"cijfer; onder {settings.indicative_n} is het cijfer indicatief."
            )
        if in_cohort:
            # One koploper at a time reads well; all of them together is for sorting across.
            keep(PICKED, [EVERY, *in_cohort], in_cohort[0])
            picked = st.selectbox(
                "Koploper",
                [EVERY, *in_cohort],
                format_func=lambda s: "Alle koplopers (lange tabel)" if s == EVERY else names[s],
                key=PICKED,
            )
            if picked != EVERY:
                st.page_link(
                    view.DASHBOARD,
                    label=f"Mijn koploper: {plain(names[picked])}",
                    icon=":material/monitoring:",
                    query_params={"koploper": picked},
                )
        if changes is not None and in_cohort:
            if picked != EVERY:
                shown = shown[shown["koploper"] == picked]
            st.caption(
                f"{whole(len(shown))} regels, {shown['koploper'].nunique()} "
                f"{'koploper' if shown['koploper'].nunique() == 1 else 'koplopers'}."
            )
            view.draw_koploper_table(
                shown, baseline, followup, settings.min_n, one_koploper=picked != EVERY
            )
            described = ", ".join(
                [
                    f"{wave_title(baseline)} tegen {wave_title(followup)}",
                    "alle koplopers" if picked == EVERY else names[picked],
                    "alle cohorten" if cohort == EVERY else cohort,
                    "beide vragenlijsten"
                    if questionnaire == EVERY
                    else QUESTIONNAIRES[questionnaire],
                    "alle doelen" if goal == EVERY else GOALS[goal],
                ]
            )
            draw_downloads(
                shown,
                baseline,
                followup,
                viewer=viewer,
                koploper=None if picked == EVERY else picked,
                view=described,
                explanation=view.table_explanation(described, settings),
                min_n=settings.min_n,
            )

# --- 2. forest plot per indicator ----------------------------------------------------------------
with sections[1]:
    if sections[1].open is not False:
        st.header("Per indicator")
        pair = _indicator_picker(INDICATOR)
        if changes is None or pair is None:
            if changes is None:
                st.info("Een vergelijking kan pas als er twee metingen zijn.")
        else:
            q, name = pair
            spec = indicators.questionnaires[q]
            kind, label = spec.kind_of(name), spec.label(name)
            rows = _of(changes)
            rows = rows[(rows["questionnaire"] == q) & (rows["indicator"] == name)]
            pool = pools[(pools["questionnaire"] == q) & (pools["indicator"] == name)]
            if cohort != EVERY:
                pool = pool[pool["pool"].isin([ALL_KOPLOPERS, cohort])]
            st.write(
                f"De verandering van {wave_name(baseline)} naar {wave_name(followup)} per "
                f"koploper, met het {settings.interval}, van groot naar klein. Onderaan de "
                "verandering van alle koplopers samen en per cohort: een gemiddelde waarin elke "
                "koploper meetelt naar hoe zeker zijn cijfer is, en dat er rekening mee houdt dat "
                "koplopers echt van elkaar kunnen verschillen (in vaktaal: een "
                "random-effectsmodel volgens DerSimonian en Laird). Koplopers met minder dan "
                f"{settings.min_n} antwoorden tellen niet mee. Het interval hoort bij één "
                "koploper; ▲/▼ houdt rekening met het aantal indicatoren (q-waarde), dus een "
                "interval net naast 0 kan toch '=' zijn."
            )
            text = forest_text(rows, pool, kind, label)
            view.clickable_chart(
                forest_chart(rows, pool, kind, label, settings.min_n), "vg_forest", names, text
            )
            st.caption(f"Grafiek in woorden: {plain(text)}")
            unit = " (procentpunt)" if kind == PROPORTION else ""
            factor = 100.0 if kind == PROPORTION else 1.0
            text_table(
                pd.DataFrame(
                    {
                        "Groep": pool["pool"],
                        "Koplopers": pool["k"].astype(int).astype(str),
                        f"Verandering{unit}": [view.signed(factor * v) for v in pool["estimate"]],
                        f"{settings.interval}{unit}": [
                            "–"
                            if pd.isna(lo)
                            else f"{decimal(factor * lo)} tot {decimal(factor * hi)}"
                            for lo, hi in zip(pool["ci_low"], pool["ci_high"], strict=True)
                        ],
                        f"τ{unit}": [
                            "–" if pd.isna(t) else decimal(factor * t**0.5) for t in pool["tau2"]
                        ],
                        "I²": ["–" if pd.isna(i) else percent(100 * i) for i in pool["i2"]],
                        "p (heterogeniteit)": [p_text(p) for p in pool["heterogeneity_p"]],
                        "Opmerking": pool["reason"].fillna(""),
                    }
                ),
                "Verandering van alle koplopers samen en per cohort",
            )
            st.caption(
                "τ is de spreiding tussen koplopers die toeval niet verklaart, in dezelfde eenheid "
                "als de verandering. I² is het deel van de verschillen tussen koplopers dat niet "
                "door toeval komt. Een kleine p (heterogeniteit) zegt: de koplopers verschillen "
                "meer dan toeval verklaart. Die p hoort niet bij de verandering zelf."
            )

# --- 3. trends ---------------------------------------------------------------------------------
with sections[2]:
    if sections[2].open is not False:
        st.header("Trends")
        pair = _indicator_picker(TREND)
        if pair is not None and not data.estimates.empty:
            q, name = pair
            spec = indicators.questionnaires[q]
            kind, label = spec.kind_of(name), spec.label(name)
            estimates = data.estimates
            mine = estimates[
                (estimates["questionnaire"] == q)
                & (estimates["indicator"] == name)
                & estimates["koploper"].isin(in_cohort)
            ]
            trend = data.cohorts
            trend = trend[(trend["questionnaire"] == q) & (trend["indicator"] == name)]
            if cohort != EVERY:
                trend = trend[trend["pool"].isin([ALL_KOPLOPERS, cohort])]
            offered = [s for s in in_cohort if s in set(mine["koploper"])]
            st.session_state[SHOWN] = [s for s in st.session_state.get(SHOWN, []) if s in offered]
            chosen = st.multiselect(
                "Koplopers in de grafiek",
                offered,
                format_func=names.get,
                key=SHOWN,
                max_selections=6,
                placeholder="Kies koplopers (hooguit 6)",
            )
            st.write(
                "Per cohort de cijfers van alle antwoorden van zijn koplopers samen, per meting "
                f"met het {settings.interval}; kies hierboven koplopers om ze erbij te zetten."
            )
            lines = mine[mine["koploper"].isin(chosen)].assign(
                name=lambda f: f["koploper"].map(names)
            )
            scale_name = str(mine["scale"].iloc[0]) if len(mine) else ""
            text = trend_text(trend, kind, label)
            view.clickable_chart(
                trend_chart(trend, lines, kind, scale_name, label), "vg_trend_chart", names, text
            )
            st.caption(f"Grafiek in woorden: {plain(text)}")
            if len(mine):
                trend_table = view.trend_frame(mine, names, cohort_of, settings.min_n)
                st.dataframe(
                    trend_table,
                    hide_index=True,
                    column_config=view.whole_headers(trend_table),
                    placeholder=NO_FIGURE,  # an empty cell reads '–', never 'None'
                )
        st.subheader("Wanneer zijn de metingen?")
        cal = fieldwork.calendar
        if cohort != EVERY:
            cal = cal[cal["cohort"] == cohort]
        text_table(
            pd.DataFrame(
                {
                    "Cohort": cal["cohort"],
                    "Meting": cal["wave"].map(wave_title),
                    "Koplopers": cal["koplopers"].astype(str),
                    "Eerste dag": cal["first_start"].map(dutch_date),
                    "Laatste dag": cal["last_end"].map(dutch_date),
                }
            ),
            "Metingen per cohort",
        )
        per_koploper = fieldwork.waves[fieldwork.waves["koploper"].isin(in_cohort)]
        if not per_koploper.empty:
            view.clickable_chart(
                calendar_chart(per_koploper),
                "vg_calendar",
                names,
                "De metingen van elke koploper in de tijd; de tabel hierboven geeft ze per cohort.",
            )

# --- 4. fieldwork ------------------------------------------------------------------------------
with sections[3]:
    if sections[3].open is not False:
        st.header("Veldwerk")
        table = fieldwork.responses
        table = table[table["koploper"].isin(in_cohort)]
        if questionnaire != EVERY:
            table = table[table["questionnaire"] == questionnaire]
        few = table[table["too_few"]]
        if few.empty:
            st.success(
                f"Geen koploper bleef na een afgelopen of gesloten meting onder "
                f"{settings.indicative_n} antwoorden.",
                icon=":material/check_circle:",
            )
        else:
            many = few["koploper"].nunique()
            who = "1 koploper bleef" if many == 1 else f"{many} koplopers bleven"
            st.warning(
                f"{who} bij een afgelopen of gesloten meting onder {settings.indicative_n} "
                "antwoorden (per vragenlijst):",
                icon=":material/warning:",
            )
            text_table(
                pd.DataFrame(
                    {
                        "Koploper": few["name"],
                        "Meting": few["wave"].map(wave_title),
                        "Vragenlijst": few["questionnaire"].map(QUESTIONNAIRES),
                        "Antwoorden": few["total"].astype(str),
                    }
                ),
                f"Koplopers onder {settings.indicative_n} antwoorden",
            )
        st.subheader("Antwoorden per koploper, meting, vragenlijst en kanaal")
        channels = [c for c in CHANNEL_LABELS.values() if c in table.columns]
        fieldwork_table = view.fieldwork_frame(table, channels)
        st.dataframe(
            fieldwork_table,
            hide_index=True,
            column_config=view.whole_headers(fieldwork_table),
            placeholder=NO_FIGURE,
        )
        st.caption(
            "Respons: het deel van de verstuurde uitnodigingscodes dat gebruikt is. Zonder codes "
            f"is er geen respons ({NO_FIGURE}); antwoorden via de open link tellen daarin niet mee."
        )
