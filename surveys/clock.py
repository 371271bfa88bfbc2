"""One clock: fieldwork dates are Dutch calendar days, wherever they are checked.

A wave runs from its first to its last day in the Netherlands (Europe/Amsterdam), whatever time
zone the server keeps: a respondent who starts at 00:30 on the first day, or sends at 23:50 on the
last, is inside the fieldwork.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> dt.datetime:
    """Now, as the naive UTC time the database stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def dutch_day(moment: dt.datetime | None = None) -> dt.date:
    """The calendar day in the Netherlands at ``moment`` (naive means UTC; default: now)."""
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(AMSTERDAM).date()


def dutch_date(day: dt.date) -> str:
    """A date as Dutch readers write it, d-m-jjjj: 5-3-2026."""
    return f"{day.day}-{day.month}-{day.year}"


MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_long_date(day: dt.date) -> str:
    """A date written out, as in a letter or on a report's cover: 14 maart 2027."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` (naive means UTC, as stored) as the time on a Dutch clock."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(AMSTERDAM)


def dutch_clock(moment: dt.datetime) -> str:
    """A moment as Dutch readers write it, on a Dutch clock: 5-12-2026 14:03."""
    local = dutch_time(moment)
    return f"{dutch_date(local.date())} {local:%H:%M}"


def start_of_dutch_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the Netherlands, as the naive UTC time stored."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=AMSTERDAM)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)
