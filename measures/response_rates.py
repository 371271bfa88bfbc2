"""Response rates: codes used out of codes sent, per koploper × wave × questionnaire, with the
responses without a code (the open link) counted apart and given no rate; and responses per day
as a Plotly chart with the days letters and reminders went out marked.

The one place the rate is worked out and written: Veldwerk, Vergelijken, the Excel file and the
council report all take it from here ("37,5 %" with one decimal, rounded half up by
``surveys.numbers.rate_percent``, which the Uitnodigingen page and ``python -m db codes list``
use as well). A
questionnaire without codes has no rate: every function then says nothing of one.

Tables in are those of ``db.response_rates``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from measures.charts import BLUE, FONT, TEXT_COLOUR, VERMILLION, plotly_text
from surveys.clock import dutch_date
from surveys.numbers import NO_FIGURE, PLOTLY_SEPARATORS, rate_percent, whole
from surveys.vocabulary import (
    INVITEES,
    LETTER_DAYS,
    OPEN_LINK,
    QUESTIONNAIRES,
    RESPONSE,
    WITH_CODE,
    wave_with_code,
)

KEYS = ["koploper", "wave", "questionnaire"]
RATE_COLUMNS = [*KEYS, "sent", "used", "rate", "invited", "open"]
GREY = "#4b5563"
"""The letter marks: dark enough for 3:1 against white (WCAG 1.4.11)."""
DAY_TITLE = "Antwoorden per dag"


def rate(used: int, sent: int) -> float:
    """The response rate in percent (used out of sent); NaN without codes sent."""
    return 100.0 * used / sent if sent else float("nan")


def rate_table(invitations: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Per koploper × wave × questionnaire with codes or responses: ``sent``, ``used``,
    ``rate`` (percent; NaN without codes), and the responses with a code (``invited``) and
    without (``open``).

    ``invitations``: ``db.response_rates.invitation_counts``; ``responses``:
    ``response_counts_by_way_in``."""
    frame = invitations[[*KEYS, "sent", "used"]].merge(
        responses[[*KEYS, "invited", "open"]], on=KEYS, how="outer"
    )
    for column in ("sent", "used", "invited", "open"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    frame["rate"] = [rate(u, s) for u, s in zip(frame["used"], frame["sent"], strict=True)]
    return frame[RATE_COLUMNS].sort_values(KEYS, kind="stable").reset_index(drop=True)


def with_rates(table: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per koploper × wave × questionnaire, such as
    ``measures.side_by_side.fieldwork_table``) with the codes ``sent`` and ``used`` (0 without
    codes) and the ``rate`` (NaN without codes) of :func:`rate_table` beside each row."""
    found = rates[[*KEYS, "sent", "used", "rate"]]
    frame = table.drop(columns=["sent", "used", "rate"], errors="ignore").merge(
        found, on=KEYS, how="left"
    )
    for column in ("sent", "used"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame


def rate_text(used: int, sent: int) -> str:
    """'1 van de 200 (0,5 %)'; '–' without codes sent."""
    if not sent:
        return NO_FIGURE
    return f"{whole(used)} van de {whole(sent)} ({rate_percent(used, sent)})"


def invitees(questionnaire: str) -> str:
    return INVITEES.get(questionnaire, "personen")


def response_sentence(used: int, sent: int, questionnaire: str) -> str:
    """'Respons: 75 van de 200 uitgenodigde inwoners (37,5 %).'; '' without codes sent."""
    if not sent:
        return ""
    return (
        f"{RESPONSE}: {whole(used)} van de {whole(sent)} uitgenodigde {invitees(questionnaire)} "
        f"({rate_percent(used, sent)})."
    )


def _answers(count: int) -> str:
    return "1 antwoord" if count == 1 else f"{whole(count)} antwoorden"


def open_sentence(count: int) -> str:
    """The responses without a code, which have no rate; '' for none."""
    if not count:
        return ""
    return (
        f"Daarnaast {_answers(count)} zonder code ({OPEN_LINK.lower()}). Daarvan is geen "
        "respons te berekenen: niemand weet hoeveel mensen de open link zagen."
    )


def response_lines(
    table: pd.DataFrame, waves: Sequence[str], questionnaires: Sequence[str]
) -> list[str]:
    """The response of every wave and questionnaire of a view with codes sent, one line each:
    'Nulmeting (T0), inwoners en cliënten. Respons: 75 van de 200 uitgenodigde inwoners
    (37,5 %). Daarnaast 12 antwoorden zonder code …'. Nothing for a combination without codes:
    there is no rate to state (``table``: :func:`rate_table` of one koploper)."""
    lines = []
    for wave in dict.fromkeys(waves):
        for questionnaire in questionnaires:
            rows = table[(table["wave"] == wave) & (table["questionnaire"] == questionnaire)]
            if rows.empty or not int(rows["sent"].sum()):
                continue
            row = rows.iloc[0]
            named = QUESTIONNAIRES.get(questionnaire, questionnaire).lower()
            parts = [
                f"{wave_with_code(wave)}, {named}.",
                response_sentence(int(row["used"]), int(row["sent"]), questionnaire),
                open_sentence(int(row["open"])),
            ]
            lines.append(" ".join(part for part in parts if part))
    return lines


# --- responses per day ------------------------------------------------------------------------


def _marks(letters: pd.DataFrame) -> list[tuple[dt.date, str]]:
    """(day, label) of every letter day, a day with both kinds once with both labels."""
    by_day: dict[dt.date, list[str]] = {}
    for day, kind in sorted(zip(letters["day"], letters["kind"], strict=True)):
        label = LETTER_DAYS.get(kind, kind)
        if label not in by_day.setdefault(day, []):
            by_day[day].append(label)
    return [(day, " en ".join(labels)) for day, labels in by_day.items()]


DAY_MS = 86_400_000
"""A day in milliseconds: Plotly's unit on a date axis."""
DAILY_TICKS = 21
"""Up to three weeks on the axis, a tick per day; more days, Plotly spaces them itself."""


def per_day_chart(days: pd.DataFrame, letters: pd.DataFrame, title: str) -> go.Figure:
    """Responses per day as stacked bars, with a code and without (the open link) apart, and a
    dotted vertical line on every letter day labelled 'brieven' or 'herinnering'.

    ``days``: ``db.response_rates.responses_per_day`` of one wave and questionnaire;
    ``letters``: ``letter_days`` of the same."""
    days = days.sort_values("day")
    chart = go.Figure()
    for column, name, colour, pattern in (
        ("invited", WITH_CODE, BLUE, ""),
        ("open", OPEN_LINK, VERMILLION, "/"),
    ):
        if not int(days[column].sum()):
            continue
        chart.add_trace(
            go.Bar(
                x=list(days["day"]),
                y=list(days[column]),
                name=name,
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertext=[
                    f"{dutch_date(d)}: {whole(n)} {name.lower()}"
                    for d, n in zip(days["day"], days[column], strict=True)
                ],
                hoverinfo="text",
            )
        )
    for day, label in _marks(letters):
        chart.add_shape(
            type="line",
            x0=day,
            x1=day,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line={"color": GREY, "width": 2, "dash": "dot"},
        )
        chart.add_annotation(
            x=day,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            text=plotly_text(label),
            showarrow=False,
            font={"color": TEXT_COLOUR, "size": 13},
        )
    chart.update_layout(
        title={"text": plotly_text(title), "x": 0, "xanchor": "left"},
        separators=PLOTLY_SEPARATORS,
        barmode="stack",
        height=360,
        margin={"l": 60, "r": 20, "t": 80, "b": 80},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"color": TEXT_COLOUR, "size": 14, "family": FONT},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        showlegend=True,
    )
    # A day is a day: each bar one day wide (a single day no longer spreads over the axis),
    # the axis a whole day beyond the first and last, a tick per day while that stays legible,
    # and whole numbers of responses only (never '0, 1, 1, 2, 2').
    shown = [pd.Timestamp(d) for d in [*days["day"], *(day for day, _ in _marks(letters))]]
    first, last = (min(shown), max(shown)) if shown else (None, None)
    chart.update_traces(width=DAY_MS * 0.8, selector={"type": "bar"})
    chart.update_xaxes(
        title_text="Dag",
        type="date",
        tickformat="%-d-%-m",
        showgrid=False,
        range=[first - pd.Timedelta(days=1), last + pd.Timedelta(days=1)] if shown else None,
        dtick=DAY_MS if shown and (last - first).days <= DAILY_TICKS else None,
    )
    most = int((days["invited"] + days["open"]).max()) if len(days) else 0
    chart.update_yaxes(
        title_text="Antwoorden",
        rangemode="tozero",
        tickformat=",d",
        gridcolor="#e5e7eb",
        dtick=1 if most <= 10 else None,
    )
    return chart


def per_day_text(days: pd.DataFrame, letters: pd.DataFrame) -> str:
    """The chart in words: how many responses on how many days, the busiest day, and the
    letter days."""
    total = days["invited"] + days["open"]
    if total.sum() == 0:
        text = "Nog geen antwoorden."
    else:
        busiest = days.loc[total.idxmax()]
        count = int((total > 0).sum())
        on_days = "1 dag" if count == 1 else f"{whole(count)} dagen"
        text = (
            f"{_answers(int(total.sum()))} op {on_days}, van "
            f"{dutch_date(min(days['day']))} tot en met {dutch_date(max(days['day']))}: "
            f"{whole(int(days['invited'].sum()))} {WITH_CODE.lower()}, "
            f"{whole(int(days['open'].sum()))} {OPEN_LINK.lower()}. De meeste op "
            f"{dutch_date(busiest['day'])}: {whole(int(total.max()))}."
        )
    marks = _marks(letters)
    if marks:
        said = "; ".join(f"{label}: {dutch_date(day)}" for day, label in marks)
        text += f" {said[:1].upper()}{said[1:]}."
    return text


__all__ = [
    "DAY_TITLE",
    "RATE_COLUMNS",
    "open_sentence",
    "per_day_chart",
    "per_day_text",
    "rate",
    "rate_percent",
    "rate_table",
    "rate_text",
    "response_lines",
    "response_sentence",
    "with_rates",
]
