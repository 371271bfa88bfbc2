"""Veldwerk's response part: per wave the invitations (codes sent, used, the response rate, and
the responses without a code apart) and per questionnaire a chart of responses per day with the
days letters and reminders went out marked. A wave without codes gets no rate, only its chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from measures.response_rates import (
    DAY_TITLE,
    per_day_chart,
    per_day_text,
    rate_percent,
    rate_text,
)
from pages.ui.dashboard_view import CHART_CONFIG
from pages.ui.plain import plain, plain_cells
from surveys.numbers import whole
from surveys.vocabulary import OPEN_LINK, QUESTIONNAIRES, RESPONSE, SENT, USED, wave_title
from views.response_rates import KoploperResponse

INVITATIONS = "Uitnodigingen"


def _invitations(rates: pd.DataFrame, koploper: str, wave: str) -> None:
    """The small table of one wave's codes, with the rate in a sentence under it."""
    st.markdown(f"**{INVITATIONS}**")
    st.table(
        pd.DataFrame(
            {
                "Vragenlijst": rates["questionnaire"].map(lambda q: QUESTIONNAIRES.get(q, q)),
                SENT: rates["sent"].map(whole),
                USED: rates["used"].map(whole),
                RESPONSE: [
                    rate_percent(u, s) for u, s in zip(rates["used"], rates["sent"], strict=True)
                ],
                f"Zonder code ({OPEN_LINK.lower()})": rates["open"].map(whole),
            }
        )
        .set_index("Vragenlijst")
        .pipe(plain_cells),
        alt=f"{INVITATIONS} van {koploper}, {wave_title(wave).lower()}: {SENT.lower()}, "
        f"{USED.lower()} en {RESPONSE.lower()}",
    )
    sentences = [
        f"{RESPONSE} {QUESTIONNAIRES.get(row.questionnaire, row.questionnaire).lower()}: "
        f"{rate_text(row.used, row.sent)}."
        for row in rates.itertuples()
    ]
    st.caption(
        plain(
            " ".join(sentences)
            + " De respons is het deel van de verstuurde codes dat gebruikt is. Antwoorden "
            "zonder code (de open link) tellen apart: daarvan is geen respons te berekenen."
        )
    )


def draw_response(response: KoploperResponse, koploper: str, waves: dict[str, str]) -> None:
    """The response part of one koploper (``koploper``: its name) at ``waves`` (code: name, in
    order)."""
    st.header(RESPONSE)
    rates = response.rates
    shown = [w for w in waves if w in set(rates["wave"]) or w in set(response.letters["wave"])]
    if not shown:
        st.info(
            "Er zijn nog geen uitnodigingen en geen antwoorden voor deze koploper.",
            icon=":material/info:",
        )
        return
    for wave in shown:
        st.subheader(f"Meting {wave}: {waves[wave]}")
        here = rates[rates["wave"] == wave]
        invited = here[here["sent"] > 0]
        if not invited.empty:
            _invitations(invited, koploper, wave)
        for questionnaire in QUESTIONNAIRES:
            days, letters = response.of(wave, questionnaire)
            if days.empty and letters.empty:
                continue
            name = QUESTIONNAIRES[questionnaire]
            text = per_day_text(days, letters)
            st.plotly_chart(
                per_day_chart(days, letters, f"{DAY_TITLE}: {name.lower()}"),
                theme=None,
                config=CHART_CONFIG,
                key=f"per-dag-{wave}-{questionnaire}",
            )
            st.caption(plain(f"Grafiek in woorden ({name.lower()}): {text}"))
