"""The response rate, its sentences and the chart of responses per day."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from measures.response_rates import (
    per_day_chart,
    per_day_text,
    rate_percent,
    rate_table,
    rate_text,
    response_lines,
    response_sentence,
)
from surveys.numbers import PLOTLY_SEPARATORS

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("used", "sent", "text"),
    [
        (1, 200, f"1 van de 200 (0,5{NBSP}%)"),
        (75, 200, f"75 van de 200 (37,5{NBSP}%)"),
        (75, 240, f"75 van de 240 (31,3{NBSP}%)"),  # 31,25 rounded half up
        (0, 10, f"0 van de 10 (0,0{NBSP}%)"),
        (2000, 2000, f"2.000 van de 2.000 (100,0{NBSP}%)"),
        (1, 3, f"1 van de 3 (33,3{NBSP}%)"),
        (0, 0, "–"),
    ],
)
def test_the_rate_in_words(used, sent, text):
    assert rate_text(used, sent) == text


def test_no_codes_sent_no_rate_and_no_sentence():
    assert rate_percent(0, 0) == "–"
    assert response_sentence(0, 0, "client") == ""


def test_the_sentence_names_who_was_invited():
    assert response_sentence(75, 200, "client") == (
        f"Respons: 75 van de 200 uitgenodigde inwoners (37,5{NBSP}%)."
    )
    assert "uitgenodigde cliëntondersteuners en verwijzers" in response_sentence(
        3, 30, "professional"
    )


def table() -> pd.DataFrame:
    invitations = pd.DataFrame(
        [("tilburg", "T0", "client", 200, 75), ("tilburg", "T1", "professional", 30, 3)],
        columns=["koploper", "wave", "questionnaire", "sent", "used"],
    )
    responses = pd.DataFrame(
        [
            ("tilburg", "T0", "client", 75, 12),
            ("tilburg", "T1", "client", 0, 40),
            ("tilburg", "T1", "professional", 3, 0),
        ],
        columns=["koploper", "wave", "questionnaire", "invited", "open"],
    )
    return rate_table(invitations, responses)


def test_the_lines_of_a_view_say_nothing_of_a_rate_without_codes():
    lines = response_lines(table(), ["T0", "T1"], ["client", "professional"])
    assert lines == [
        f"Nulmeting (T0), inwoners en cliënten. Respons: 75 van de 200 uitgenodigde inwoners "
        f"(37,5{NBSP}%). Daarnaast 12 antwoorden zonder code (via de open link). Daarvan is geen "
        "respons te berekenen: niemand weet hoeveel mensen de open link zagen.",
        f"Eerste vervolgmeting (T1), cliëntondersteuners en verwijzers. Respons: 3 van de 30 "
        f"uitgenodigde cliëntondersteuners en verwijzers (10,0{NBSP}%).",
    ]
    assert response_lines(table(), ["T1"], ["client"]) == []  # open link only: no line


def test_the_chart_marks_letter_and_reminder_days_and_keeps_the_ways_in_apart():
    days = pd.DataFrame(
        {
            "day": [dt.date(2026, 3, 4), dt.date(2026, 3, 17)],
            "invited": [60, 15],
            "open": [12, 0],
        }
    )
    letters = pd.DataFrame(
        {"day": [dt.date(2026, 3, 2), dt.date(2026, 3, 16)], "kind": ["letters", "reminders"]}
    )
    chart = per_day_chart(days, letters, "Nulmeting: inwoners en cliënten")
    assert [trace.name for trace in chart.data] == ["Met een code", "Via de open link"]
    assert list(chart.data[0].y) == [60, 15] and list(chart.data[1].y) == [12, 0]
    assert chart.layout.separators == PLOTLY_SEPARATORS
    assert chart.layout.barmode == "stack"
    assert [(s.x0, s.x1) for s in chart.layout.shapes] == [
        (dt.date(2026, 3, 2),) * 2,
        (dt.date(2026, 3, 16),) * 2,
    ]
    assert [a.text for a in chart.layout.annotations] == ["brieven", "herinnering"]
    assert per_day_text(days, letters) == (
        "87 antwoorden op 2 dagen, van 4-3-2026 tot en met 17-3-2026: 75 met een code, 12 via "
        "de open link. De meeste op 4-3-2026: 72. Brieven: 2-3-2026; herinnering: 16-3-2026."
    )


def test_a_chart_without_codes_has_only_the_open_link():
    days = pd.DataFrame({"day": [dt.date(2026, 3, 4)], "invited": [0], "open": [5]})
    letters = pd.DataFrame({"day": [], "kind": []})
    chart = per_day_chart(days, letters, "Nulmeting")
    assert [trace.name for trace in chart.data] == ["Via de open link"]
    assert not chart.layout.shapes


def test_one_day_of_responses_is_one_bar_on_its_day_with_whole_numbers_on_the_axis():
    """Answers on a single day: one bar a day wide, the axis a day either side, a tick per day
    and whole counts (a bar spread from the day before, and '0, 1, 1, 2, 2', misled)."""
    day = dt.date(2026, 12, 5)
    days = pd.DataFrame({"day": [day], "invited": [2], "open": [0]})
    letters = pd.DataFrame({"day": [day], "kind": ["letters"]})
    chart = per_day_chart(days, letters, "Tweede vervolgmeting")
    [bar] = chart.data
    assert bar.width == 0.8 * 86_400_000
    low, high = (pd.Timestamp(x) for x in chart.layout.xaxis.range)
    assert (low, high) == (pd.Timestamp(2026, 12, 4), pd.Timestamp(2026, 12, 6))
    assert chart.layout.xaxis.dtick == 86_400_000
    assert chart.layout.yaxis.dtick == 1 and chart.layout.yaxis.tickformat == ",d"


def test_many_weeks_of_responses_leave_the_day_ticks_to_plotly():
    first = dt.date(2026, 3, 1)
    days = pd.DataFrame(
        {
            "day": [first + dt.timedelta(days=n) for n in range(40)],
            "invited": [30] * 40,
            "open": [1] * 40,
        }
    )
    chart = per_day_chart(days, pd.DataFrame({"day": [], "kind": []}), "Nulmeting")
    assert chart.layout.xaxis.dtick is None and chart.layout.yaxis.dtick is None
