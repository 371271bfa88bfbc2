"""How the page "Mijn koploper" draws the figures: tables, charts, sentences, the profile.

Rendering only: every number comes from :class:`measures.figures.Figures` (already suppressed)
and is written the Dutch way with ``measures.dutch``. A figure that was withheld shows its reason,
never a number; a count below the publication limit shows as "minder dan 10". The other koplopers
are only ever "overige koplopers" and "eigen cohort".
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from measures.charts import chart_text, indicator_chart
from measures.dutch import (
    difference_interval_text,
    difference_text,
    interval_text,
    p_text,
    value_text,
)
from measures.figures import Figures, overview
from measures.indicators import PROPORTION, Settings
from measures.sentences import MANY_TESTS_NOTE, looks_clear_but_is_not
from measures.suppression import count_text
from pages.ui.plain import plain, plain_cells, text_table
from surveys.clock import dutch_date
from surveys.numbers import NO_FIGURE, decimal, missing, percent, whole
from surveys.vocabulary import (
    COHORT,
    DIRECTION_WORDS,
    DOWN,
    INDICATIVE,
    NO_ESTIMATE,
    OTHERS,
    OWN,
    QUESTIONNAIRES,
    REFERENCE_LABELS,
    SAME,
    SUPPRESSED,
    UP,
    direction_text,
    wave_name,
    wave_title,
)

REFERENCES = {OTHERS: REFERENCE_LABELS[OTHERS], COHORT: REFERENCE_LABELS[COHORT]}
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
"""No Plotly toolbar: its buttons are English, mouse-only, and add nothing the table lacks."""
TOGETHER = (
    (re.compile(r" %"), "\u00a0%"),
    (re.compile(r"\bn = "), "n\u00a0=\u00a0"),
)
"""Spaces a table cell must not break at: '26,3 %', 'n = 156'."""
WAVE_CODE = re.compile(r"\bbij (T\d+)\b")


def n_text(n: object, settings: Settings) -> str:
    """A count as shown: 'minder dan 10' below the publication limit (never the count itself;
    ``measures.figures.figures`` leaves such a count empty already)."""
    return count_text(n, settings)


def reason_text(reason: object) -> str:
    """The reason, with wave names for codes (``figures`` already took out small counts)."""
    if missing(reason) or not str(reason):
        return ""
    return WAVE_CODE.sub(lambda m: "bij " + wave_name(m[1]), str(reason))


def estimate_text(estimate: object, flag: object, kind: str) -> str:
    """'41,2 %', '41,2 % (indicatief)' or 'geen cijfer'."""
    if flag == SUPPRESSED or missing(estimate):
        return NO_ESTIMATE
    text = value_text(float(estimate), kind)  # type: ignore[arg-type]
    return f"{text} ({INDICATIVE})" if flag == INDICATIVE else text


def effect_text(value: object, kind: str) -> str:
    if missing(value):
        return NO_FIGURE
    name = "Cohen's h" if kind == PROPORTION else "Hedges' g"
    return f"{decimal(float(value), 2)} ({name})"  # type: ignore[arg-type]


PAGE_STYLE = """<style>
/* Room for the tables beside the menu: less white space at the sides on a narrow screen. */
.stMainBlockContainer { padding-left: 2.5rem; padding-right: 2.5rem; }
[data-testid="stTable"] table { font-size: 0.92rem; }
</style>"""


def page_style() -> None:
    st.html(PAGE_STYLE)


def show_table(frame: pd.DataFrame, index: str) -> None:
    """A table of figures, each figure kept on one line."""

    def together(value: object) -> object:
        if not isinstance(value, str):
            return value
        for pattern, replacement in TOGETHER:
            value = pattern.sub(replacement, value)
        return value

    st.table(plain_cells(frame.map(together).set_index(index)))


def comparable(fig: Figures) -> bool:
    """Whether the view compares two different waves."""
    return fig.baseline != fig.followup


# --- the overview -------------------------------------------------------------------------------


TECHNICAL = ["q-waarde", "Effectgrootte"]
"""The columns behind "Meer details": what a statistician reads, not a council member."""


def plain_or_detailed(frame: pd.DataFrame, details: bool) -> pd.DataFrame:
    """The table as it is, or without the technical columns (the plain view)."""
    return frame if details else frame.drop(columns=TECHNICAL, errors="ignore")


def overview_frame(
    fig: Figures,
    questionnaire: str,
    goals: dict[str, str],
    settings: Settings,
    details: bool = True,
) -> pd.DataFrame:
    """One row per indicator of one questionnaire, in the order of the goals: both waves with n,
    the change, (with ``details``) its q-value, and ▲ / ▼ / = in words."""
    table = overview(fig)
    table = table[table["questionnaire"] == questionnaire]
    order = {goal: i for i, goal in enumerate(goals)}
    table = table.sort_values("goal", key=lambda g: g.map(order), kind="stable")
    first, second = wave_title(fig.baseline), wave_title(fig.followup)
    rows = []
    for row in table.to_dict("records"):
        line = {"Indicator": row["label"]}
        line[first] = _estimate_with_n(_own(fig, row, fig.baseline), row["kind"], settings)
        if comparable(fig):
            line[second] = _estimate_with_n(_own(fig, row, fig.followup), row["kind"], settings)
            suppressed = row["flag"] == SUPPRESSED
            kind = row["kind"]
            line["Verschil"] = NO_FIGURE if suppressed else difference_text(row["difference"], kind)
            line["q-waarde"] = NO_FIGURE if suppressed else p_text(row["q_value"])
            line["Uitkomst"] = direction_text(row["direction"])
        rows.append(line)
    return plain_or_detailed(pd.DataFrame(rows), details)


def _estimate_with_n(row: dict, kind: str, settings: Settings) -> str:
    """'41,2 % (n = 146)'; 'geen cijfer (minder dan 10 antwoorden)'."""
    n = n_text(row["n"], settings)
    count = "geen antwoorden" if n == "0" else f"{n} antwoorden" if n[0].isalpha() else f"n = {n}"
    return f"{estimate_text(row['estimate'], row['flag'], kind)} ({count})"


def _own(fig: Figures, row: dict, wave: str) -> dict:
    """The koploper's own estimate at one wave, as the chart shows it (a change is withheld as a
    whole when one side is small; the other wave's estimate still stands on its own)."""
    table = fig.estimates
    found = table[
        (table["group"] == OWN)
        & (table["wave"] == wave)
        & (table["questionnaire"] == row["questionnaire"])
        & (table["indicator"] == row["indicator"])
    ]
    if found.empty:
        return {"estimate": float("nan"), "flag": SUPPRESSED, "n": 0}
    return found.iloc[0].to_dict()


def draw_overview(
    fig: Figures,
    questionnaires: list[str],
    goals: dict[str, str],
    settings: Settings,
    name: str,
    details: bool = True,
) -> None:
    for questionnaire in questionnaires:
        frame = overview_frame(fig, questionnaire, goals, settings, details)
        if frame.empty:
            continue
        st.subheader(QUESTIONNAIRES[questionnaire], anchor=False)
        show_table(frame, "Indicator")
    if comparable(fig):
        test = f" (q-waarde kleiner dan {decimal(settings.significance, 2)})" if details else ""
        st.caption(
            f"{wave_title(fig.baseline)} tegenover {wave_name(fig.followup)} van {plain(name)}; "
            f"n is het aantal antwoorden. {UP} {DIRECTION_WORDS[UP]} en {DOWN} "
            f"{DIRECTION_WORDS[DOWN]}: het verschil is groter dan toeval{test}. {SAME} "
            f"{DIRECTION_WORDS[SAME]}: het verschil kan toeval zijn. "
            "Verschillen in procenten zijn procentpunten."
        )


# --- one indicator ------------------------------------------------------------------------------


def figures_frame(
    fig: Figures, questionnaire: str, indicator: str, name: str, settings: Settings
) -> pd.DataFrame:
    """Per wave the koploper's n, estimate and interval; then the references at the follow-up."""
    table = fig.estimates
    rows = table[(table["questionnaire"] == questionnaire) & (table["indicator"] == indicator)]
    own = rows[(rows["group"] == OWN) & rows["wave"].isin(fig.waves)]
    own = own.sort_values("wave", key=lambda w: w.map({v: i for i, v in enumerate(fig.waves)}))
    lines = []
    for row in own.to_dict("records"):
        lines.append(_figure_line(name, wave_title(row["wave"]), row, settings))
    for group, label in REFERENCES.items():
        at = rows[(rows["group"] == group) & (rows["wave"] == fig.followup)]
        for row in at.to_dict("records"):
            lines.append(_figure_line(label, wave_title(row["wave"]), row, settings))
        if at.empty:
            lines.append(
                {
                    "Wie": label,
                    "Meting": wave_title(fig.followup),
                    "n": "0",
                    "Cijfer": NO_ESTIMATE,
                    settings.interval: NO_FIGURE,
                    "Opmerking": "nog geen antwoorden bij deze meting",
                }
            )
    return pd.DataFrame(lines)


def _figure_line(who: str, wave: str, row: dict, settings: Settings) -> dict[str, str]:
    kind = row["kind"]
    shown = row["flag"] != SUPPRESSED and not missing(row["estimate"])
    return {
        "Wie": who,
        "Meting": wave,
        "n": n_text(row["n"], settings),
        "Cijfer": estimate_text(row["estimate"], row["flag"], kind),
        settings.interval: interval_text(row["ci_low"], row["ci_high"], kind)
        if shown
        else NO_FIGURE,
        "Opmerking": reason_text(row["reason"]),
    }


def comparisons_frame(
    fig: Figures, questionnaire: str, indicator: str, name: str, details: bool = True
) -> pd.DataFrame:
    """The change since the baseline, and the koploper beside the references: the difference,
    its interval and ▲ / ▼ / =; with ``details`` also the q-value and the effect size."""
    lines = []
    changes = fig.changes
    if comparable(fig) and not changes.empty:
        found = changes[
            (changes["questionnaire"] == questionnaire) & (changes["indicator"] == indicator)
        ]
        for row in found.to_dict("records"):
            what = f"{wave_title(fig.followup)} tegenover {wave_name(fig.baseline)}"
            lines.append(_comparison_line(what, row, fig.settings))
    marks = fig.benchmarks
    if not marks.empty:
        found = marks[
            (marks["questionnaire"] == questionnaire)
            & (marks["indicator"] == indicator)
            & (marks["wave"] == fig.followup)
        ]
        for group, label in REFERENCES.items():
            for row in found[found["reference"] == group].to_dict("records"):
                what = f"{name} tegenover {label.lower()} (bij {wave_name(fig.followup)})"
                lines.append(_comparison_line(what, row, fig.settings))
    return plain_or_detailed(pd.DataFrame(lines), details)


def _comparison_line(what: str, row: dict, settings: Settings) -> dict[str, str]:
    kind = row["kind"]
    suppressed = row["flag"] == SUPPRESSED or missing(row["difference"])
    return {
        "Vergelijking": what,
        "Verschil": NO_FIGURE if suppressed else difference_text(row["difference"], kind),
        settings.interval: NO_FIGURE
        if suppressed
        else difference_interval_text(row["diff_ci_low"], row["diff_ci_high"], kind),
        "q-waarde": NO_FIGURE if suppressed else p_text(row["q_value"]),
        "Effectgrootte": NO_FIGURE if suppressed else effect_text(row["effect_size"], kind),
        "Uitkomst": direction_text(row["direction"]),
        "Opmerking": " ".join(
            part
            for part in (
                reason_text(row["reason"]),
                MANY_TESTS_NOTE if not suppressed and looks_clear_but_is_not(row) else "",
            )
            if part
        ),
    }


def _sentences(fig: Figures, questionnaire: str, indicator: str) -> tuple[list[str], str]:
    """The plain sentences of the indicator, and its wording note ('' when none)."""
    said, note = [], ""
    if comparable(fig) and not fig.changes.empty:
        found = fig.changes[
            (fig.changes["questionnaire"] == questionnaire)
            & (fig.changes["indicator"] == indicator)
        ]
        for row in found.to_dict("records"):
            note = str(row.get("wording") or "")
            sentence = str(row["sentence"])
            said.append(sentence.replace(note, "").strip() if note else sentence)
    if not fig.benchmarks.empty:
        found = fig.benchmarks[
            (fig.benchmarks["questionnaire"] == questionnaire)
            & (fig.benchmarks["indicator"] == indicator)
            & (fig.benchmarks["wave"] == fig.followup)
            & (fig.benchmarks["reference"] == OTHERS)
        ]
        said += [str(s) for s in found["sentence"]]
    return said, note


def _without_empty_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """No column 'Opmerking' when nothing is remarked: a narrower table reads better."""
    if "Opmerking" in frame and not frame["Opmerking"].astype(bool).any():
        return frame.drop(columns="Opmerking")
    return frame


def draw_indicator(
    fig: Figures,
    questionnaire: str,
    indicator: str,
    name: str,
    settings: Settings,
    details: bool = True,
) -> None:
    """Heading, sentences, chart, its figures as tables, the text alternative, any wording note."""
    rows = fig.estimates[
        (fig.estimates["questionnaire"] == questionnaire)
        & (fig.estimates["indicator"] == indicator)
    ]
    if rows.empty:
        return
    label = str(rows["label"].iloc[0])
    st.markdown(f"#### {plain(label)}")
    said, note = _sentences(fig, questionnaire, indicator)
    for sentence in said:
        st.markdown(plain(sentence))
    if note:
        st.warning(plain(note), icon=":material/edit_note:")
    st.plotly_chart(
        indicator_chart(fig, questionnaire, indicator, koploper_name=name),
        theme=None,  # the chart as measures.charts made it: the same in the page and the report
        config=CHART_CONFIG,
        key=f"chart-{questionnaire}-{indicator}",
    )
    st.caption(plain("Grafiek in woorden: " + chart_text(fig, questionnaire, indicator, name)))
    figures_table = figures_frame(fig, questionnaire, indicator, name, settings)
    show_table(_without_empty_notes(figures_table), "Wie")
    comparisons = comparisons_frame(fig, questionnaire, indicator, name, details)
    if not comparisons.empty:
        show_table(_without_empty_notes(comparisons), "Vergelijking")


# --- who answered (Inzicht) ---------------------------------------------------------------------


def profile_frames(
    fig: Figures, questionnaire: str, settings: Settings
) -> list[tuple[str, pd.DataFrame, list[str]]]:
    """Per profile question: (question, a table of shares per wave, the reasons of withheld cells).

    A cell reads '37,9 % (22)': the share of those who answered the question, with the count.
    """
    profile = fig.profile
    profile = profile[(profile["questionnaire"] == questionnaire) & profile["wave"].isin(fig.waves)]
    found = []
    for _item, part in profile.groupby("item", sort=False):
        question = str(part["question"].iloc[0])
        columns: dict[str, list[str]] = {}
        answered: dict[str, str] = {}
        reasons: list[str] = []
        categories = list(dict.fromkeys(part["category"]))
        for wave in [w for w in fig.waves if w in set(part["wave"])]:
            at = part[part["wave"] == wave].set_index("category")
            title = wave_title(wave)
            cells = []
            for category in categories:
                row = at.loc[category]
                if row["flag"] == SUPPRESSED or missing(row["share"]):
                    cells.append(NO_ESTIMATE)
                    text = reason_text(row["reason"])
                    if text and text not in reasons:
                        reasons.append(text)
                else:
                    share = percent(100 * float(row["share"]))
                    note = f" ({INDICATIVE})" if row["flag"] == INDICATIVE else ""
                    cells.append(f"{share} ({whole(row['count'])}){note}")
            columns[title] = cells
            answered[title] = n_text(at["answered"].iloc[0], settings)
        frame = pd.DataFrame({"Antwoord": categories, **columns})
        total = pd.DataFrame([{"Antwoord": "Beantwoord door (n)", **answered}])
        found.append((question, pd.concat([frame, total], ignore_index=True), reasons))
    return found


def draw_profile(fig: Figures, questionnaire: str, settings: Settings) -> None:
    frames = profile_frames(fig, questionnaire, settings)
    if not frames:
        return
    st.markdown("#### Wie vulden de vragenlijst in")
    st.write(
        "Het aandeel van de mensen die de vraag beantwoordden, met tussen haakjes hoeveel mensen "
        "dat waren. Bij vragen waar meer antwoorden mogen, tellen de percentages op tot meer dan "
        "100 %."
    )
    for question, frame, reasons in frames:
        st.markdown(f"**{plain(question)}**")
        show_table(frame, "Antwoord")
        if reasons:
            st.caption(plain("Geen cijfer: " + "; ".join(reasons) + "."))


# --- open answers -------------------------------------------------------------------------------

OPEN_COLUMNS = {
    "day": "Dag",
    "wave": "Meting",
    "questionnaire": "Vragenlijst",
    "question": "Vraag",
    "answer": "Antwoord",
}


def draw_open_answers(frame: pd.DataFrame, limit: int) -> None:
    """What respondents typed: only as escaped plain text, never Markdown or HTML."""
    if frame.empty:
        st.info("Geen open antwoorden gevonden.", icon=":material/info:")
        return
    shown = frame.assign(
        day=[dutch_date(d) for d in frame["day"]],
        wave=[wave_title(w) for w in frame["wave"]],
        questionnaire=[QUESTIONNAIRES.get(q, q) for q in frame["questionnaire"]],
    )[list(OPEN_COLUMNS)].rename(columns=OPEN_COLUMNS)
    count = len(shown)
    st.caption(
        f"{whole(count)} antwoorden, de nieuwste eerst."
        + (f" U ziet er hoogstens {whole(limit)}: zoek gerichter." if count >= limit else "")
    )
    text_table(shown, "Open antwoorden")
