"""How "Mijn koploper" draws the change for the same people: the panel respondents who answered
at both waves, beside (never instead of) the change of all respondents.

Rendering only: every number comes from ``Figures.paired`` (``measures.panel``, already
suppressed), written the Dutch way with ``measures.dutch``; a withheld figure shows its reason and
a count under the publication limit "minder dan 10".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from measures.dutch import difference_interval_text, difference_text, p_text
from measures.figures import Figures
from measures.groups import in_view
from measures.indicators import Settings
from measures.panel import TEST_NAMES
from pages.ui.dashboard_view import (
    effect_text,
    estimate_text,
    n_text,
    plain_or_detailed,
    reason_text,
    show_table,
)
from surveys.numbers import NO_FIGURE, missing
from surveys.vocabulary import (
    GOALS,
    PAIRS,
    QUESTIONNAIRES,
    SAME_PEOPLE,
    SAME_PEOPLE_EXPLAINED,
    SUPPRESSED,
    direction_text,
    wave_name,
    wave_title,
)

PAIRS_COLUMN = f"{PAIRS} (n)"
RANK_COLUMN = "Toets ernaast"


def paired_frame(
    fig: Figures, questionnaire: str, settings: Settings, details: bool = True
) -> pd.DataFrame:
    """One row per indicator of one questionnaire, in the order of the goals: the pairs, both
    waves' estimates for them, the change with its interval, the test and its p-value, ▲ / ▼ / =
    in words; with ``details`` also the q-value and the effect size. Empty without pairs."""
    table = in_view(fig.paired, [questionnaire])
    if table.empty:
        return pd.DataFrame()
    order = {goal: i for i, goal in enumerate(GOALS)}
    table = table.sort_values("goal", key=lambda g: g.map(order), kind="stable")
    first, second = wave_title(fig.baseline), wave_title(fig.followup)
    rows = []
    for row in table.to_dict("records"):
        kind = row["kind"]
        withheld = row["flag"] == SUPPRESSED or missing(row["difference"])
        line = {
            "Indicator": row["label"],
            PAIRS_COLUMN: n_text(row["n_pairs"], settings),
            first: estimate_text(row["estimate_baseline"], row["flag"], kind),
            second: estimate_text(row["estimate_followup"], row["flag"], kind),
            "Verschil": NO_FIGURE if withheld else difference_text(row["difference"], kind),
            settings.interval: NO_FIGURE
            if withheld
            else difference_interval_text(row["diff_ci_low"], row["diff_ci_high"], kind),
            "Toets": NO_FIGURE if withheld else TEST_NAMES.get(row["test"], NO_FIGURE),
            "p-waarde": NO_FIGURE if withheld else p_text(row["p_value"]),
            RANK_COLUMN: _rank_text(row, withheld),
            "q-waarde": NO_FIGURE if withheld else p_text(row["q_value"]),
            "Effectgrootte": NO_FIGURE if withheld else effect_text(row["effect_size"], kind),
            "Uitkomst": direction_text(row["direction"]),
            "Opmerking": reason_text(row["reason"]),
        }
        rows.append(line)
    frame = pd.DataFrame(rows)
    if (frame[RANK_COLUMN] == NO_FIGURE).all():  # shares only: no rank test beside
        frame = frame.drop(columns=RANK_COLUMN)
    if not frame["Opmerking"].astype(bool).any():
        frame = frame.drop(columns="Opmerking")
    return plain_or_detailed(frame, details)


def _rank_text(row: dict, withheld: bool) -> str:
    """'Wilcoxon-rangtekentoets: p = 0,020' beside the paired t-test of a mean."""
    if withheld or not row["rank_test"] or missing(row["p_value_rank"]):
        return NO_FIGURE
    return (
        f"{TEST_NAMES.get(row['rank_test'], row['rank_test'])}: p = {p_text(row['p_value_rank'])}"
    )


def draw_paired(
    fig: Figures, questionnaires: list[str], settings: Settings, details: bool = True
) -> None:
    """The section "Dezelfde mensen", only when some panel respondents answered both waves."""
    frames = [(q, paired_frame(fig, q, settings, details)) for q in questionnaires]
    frames = [(q, frame) for q, frame in frames if not frame.empty]
    if not frames:
        return
    st.header(SAME_PEOPLE)
    st.write(SAME_PEOPLE_EXPLAINED)
    for questionnaire, frame in frames:
        st.subheader(QUESTIONNAIRES[questionnaire], anchor=False)
        show_table(frame, "Indicator")
    st.caption(
        f"{wave_title(fig.followup)} tegenover {wave_name(fig.baseline)}, alleen voor "
        f"{SAME_PEOPLE.lower()}. {PAIRS} (n) is het aantal mensen dat de vraag bij allebei de "
        f"metingen beantwoordde; onder de {settings.min_n} staat er geen cijfer. De cijfers "
        "hierboven gaan over alle mensen die meededen, ook wie maar één keer antwoordde."
    )
