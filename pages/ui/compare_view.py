"""How the page "Vergelijken" draws its tables and charts.

Rendering only: the figures come from ``views.compare`` (the engine's, already suppressed), written
the Dutch way with ``measures.dutch``. Sortable tables are ``st.dataframe`` with the numbers kept
as numbers (so a column sorts by value) and shown Dutch through a pandas Styler. Koploper and
cohort names are set by the beheerder: they appear in table cells and chart labels (never
Markdown) or through ``plain`` / ``text_table``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from measures.dutch import in_unit, p_text
from measures.indicators import PROPORTION
from measures.response_rates import rate_text
from pages.ui.dashboard_view import CHART_CONFIG
from surveys.numbers import NO_FIGURE, decimal, percent, signed, whole
from surveys.vocabulary import (
    DIRECTION_WORDS,
    DOWN,
    INDICATIVE,
    QUESTIONNAIRES,
    RESPONSE,
    SAME,
    SUPPRESSED,
    TOO_FEW_NOTE,
    UP,
    direction_text,
    fewer_than,
    wave_title,
)

DASHBOARD = "pages/dashboard.py"
DASHBOARD_URL = "mijn-koploper?koploper={slug}"
OPEN = "vg_open"
"""The koploper whose point was clicked in a chart; the next run opens its dashboard."""
COLOURS = {UP: "#dbeafe", DOWN: "#fde4cf"}
"""Light backgrounds (dark text stays readable) beside the words: ▲ blue, ▼ orange, as the
forest plot's markers."""


def _number(value: float, kind: str) -> str:
    if pd.isna(value):
        return NO_FIGURE
    return percent(value) if kind == PROPORTION else decimal(value)


def change_text(value: float, kind: str) -> str:
    text = signed(value)
    return f"{text} procentpunt" if kind == PROPORTION and text != NO_FIGURE else text


def _counter(min_n: int):
    """A count as written in a table: empty (fewer than ``min_n``) reads 'minder dan 10'."""
    return lambda value: fewer_than(min_n) if pd.isna(value) else whole(value)


def _styled(frame: pd.DataFrame, kinds: pd.Series, formats: Mapping[str, str], min_n: int):
    """A Styler that writes each figure the Dutch way: ``formats`` says per column 'value',
    'change', 'count' or 'p'; a count left empty (under ``min_n``) says so."""
    styler = frame.style
    for column, how in formats.items():
        for kind in kinds.unique():
            rows = kinds.index[kinds == kind]
            if how == "value":
                formatter = lambda v, k=kind: _number(v, k)  # noqa: E731
            elif how == "change":
                formatter = lambda v, k=kind: change_text(v, k)  # noqa: E731
            elif how == "count":
                formatter = _counter(min_n)
            else:
                formatter = p_text
            styler = styler.format(formatter, subset=pd.IndexSlice[rows, [column]])
    return styler


def count_header(wave: str) -> str:
    """The header of a wave's count, the same in every table: 'n nulmeting'."""
    return f"n {wave_title(wave).lower()}"


def koploper_frame(table: pd.DataFrame, baseline: str, followup: str, min_n: int):
    """The table of every koploper × indicator, styled for ``st.dataframe``: who, what, which
    way and how much first, the figures behind it after."""
    table = table.reset_index(drop=True)
    first, later = wave_title(baseline), wave_title(followup)
    n_first, n_later = count_header(baseline), count_header(followup)
    notes = [
        INDICATIVE if f == INDICATIVE else (TOO_FEW_NOTE if f == SUPPRESSED else "")
        for f in table["flag"]
    ]
    frame = pd.DataFrame(
        {
            "Koploper": table["name"],
            "Indicator": table["label"],
            "Richting": [direction_text(d) for d in table["direction"]],
            "Verandering": in_unit(table["difference"], table["kind"]),
            first: in_unit(table["estimate_baseline"], table["kind"]),
            n_first: table["n_baseline"].astype(float),
            later: in_unit(table["estimate_followup"], table["kind"]),
            n_later: table["n_followup"].astype(float),
            "q-waarde": table["q_value"].astype(float),
            "Let op": notes,
            "Dashboard": [DASHBOARD_URL.format(slug=s) for s in table["koploper"]],
            "Vragenlijst": table["questionnaire"].map(QUESTIONNAIRES),
            "Cohort": table["cohort"],
        }
    )
    styler = _styled(
        frame,
        table["kind"],
        {
            first: "value",
            later: "value",
            "Verandering": "change",
            n_first: "count",
            n_later: "count",
            "q-waarde": "p",
        },
        min_n,
    )

    def colour(value: object) -> str:
        symbol = str(value)[:1]
        return f"background-color: {COLOURS[symbol]}" if symbol in COLOURS else ""

    return styler.map(colour, subset=["Richting"])


LINK = st.column_config.LinkColumn(
    "Dashboard",
    display_text="Mijn koploper openen",
    help="Opent het dashboard van deze koploper in een nieuw tabblad",
    width=170,
)
WIDTHS = {"Koploper": 120, "Indicator": 240, "Richting": 160, "Verandering": 130}
"""Pixels of the first columns of the koploper table: who, what, which way and how much."""
ONE_KOPLOPER_WIDTHS = WIDTHS | {"Indicator": 360}
"""With one koploper its name column is left out, and the indicator gets its room."""


def header_width(header: str) -> int:
    """Pixels for a column whose header must be read whole: Streamlit's table cuts a header
    that does not fit (mid-word), it never wraps it. About 8 pixels a character, plus the
    room of the sort arrow."""
    return 8 * len(header) + 36


def whole_headers(frame) -> dict[str, object]:
    """Column widths (for ``column_config``) at which every header of ``frame`` (a DataFrame or
    a Styler) reads whole."""
    columns = frame.data.columns if hasattr(frame, "data") else frame.columns
    return {c: st.column_config.Column(width=header_width(str(c))) for c in columns}


def draw_koploper_table(
    table: pd.DataFrame, baseline: str, followup: str, min_n: int, *, one_koploper: bool = False
) -> None:
    frame = koploper_frame(table, baseline, followup, min_n)
    widths = ONE_KOPLOPER_WIDTHS if one_koploper else WIDTHS
    config = {
        c: st.column_config.Column(width=max(widths.get(c, 0), header_width(c)))
        for c in frame.columns
    }
    if one_koploper:
        config["Koploper"] = None  # the koploper is named in the select box above the table
    st.dataframe(
        frame,
        hide_index=True,
        placeholder=NO_FIGURE,  # a wave without figures: '–', never 'None'
        column_config=config | {"Dashboard": LINK},
        # One koploper (some 30 rows) whole, without a scroll bar inside the page; all of them
        # in a window of about 20 rows.
        height=38 + 35 * len(table) if one_koploper else min(38 + 35 * len(table), 740),
    )


def table_explanation(view: str, settings) -> list[str]:
    """The sheet "Uitleg" of the table's Excel file: what is in it and how to read it."""
    return [
        f"Wat u ziet: {view}.",
        "Per koploper en indicator het cijfer van beide metingen, het aantal antwoorden (n) en "
        "de verandering.",
        "Aandelen staan in procenten; hun verandering in procentpunten. Gemiddelden (zoals een "
        "rapportcijfer) en hun verandering staan in punten. De kolom Eenheid zegt welke.",
        f"{UP} {DIRECTION_WORDS[UP]} en {DOWN} {DIRECTION_WORDS[DOWN]}: de verandering is "
        "groter dan toeval, ook als je rekening houdt met het aantal indicatoren (q-waarde onder "
        f"{decimal(settings.significance, 2)}). {SAME} {DIRECTION_WORDS[SAME]}: dat is niet zo.",
        f"Onder {settings.min_n} antwoorden staat er geen cijfer (een lege cel, met 'te weinig "
        f"antwoorden' bij Let op); onder {settings.indicative_n} is het cijfer indicatief.",
        "Dezelfde cijfers als op de pagina Vergelijken van de Koplopermonitor.",
    ]


def selected_slug(event: object, known: Mapping[str, str]) -> str | None:
    """The slug of the koploper clicked in a chart (its point's ``customdata``), if any."""
    points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data in known:
            return data
    return None


def remember_click(key: str, known: Mapping[str, str]) -> None:
    """``on_select`` callback: keep the clicked koploper, opened at the top of the next run."""
    slug = selected_slug(st.session_state.get(key), known)
    if slug is not None:
        st.session_state[OPEN] = slug


def open_clicked() -> None:
    """Open the dashboard of a koploper clicked in a chart in the run before."""
    slug = st.session_state.pop(OPEN, None)
    if slug:
        st.switch_page(DASHBOARD, query_params={"koploper": slug})


def clickable_chart(figure, key: str, known: Mapping[str, str], alt: str) -> None:
    """A chart whose koploper points open that koploper's dashboard when clicked."""
    st.plotly_chart(
        figure,
        key=key,
        on_select=lambda: remember_click(key, known),
        selection_mode="points",
        config=CHART_CONFIG,
        alt=alt,
    )


def trend_frame(
    estimates: pd.DataFrame, names: Mapping[str, str], cohorts: Mapping[str, str], min_n: int
):
    """One indicator's estimate per koploper and wave, with n, styled for ``st.dataframe``."""
    kind = estimates["kind"].iloc[0]
    waves = sorted(set(estimates["wave"]), key=lambda w: int(w[1:]))
    rows = []
    for slug, part in estimates.groupby("koploper"):
        row: dict[str, object] = {"Koploper": names.get(slug, slug), "Cohort": cohorts.get(slug)}
        for wave in waves:
            at = part[part["wave"] == wave]
            shown = not at.empty and at["flag"].iloc[0] != SUPPRESSED
            factor = 100.0 if kind == PROPORTION else 1.0
            row[wave_title(wave)] = factor * float(at["estimate"].iloc[0]) if shown else None
            row[count_header(wave)] = float(at["n"].iloc[0]) if not at.empty else 0.0
        rows.append(row)
    frame = pd.DataFrame(rows)
    kinds = pd.Series(kind, index=frame.index)
    formats = {wave_title(w): "value" for w in waves} | {count_header(w): "count" for w in waves}
    return _styled(frame, kinds, formats, min_n)


def fieldwork_frame(table: pd.DataFrame, channels: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "Koploper": table["name"],
            "Cohort": table["cohort"],
            "Meting": table["wave"].map(wave_title),
            "Status": table["status"],
            "Vragenlijst": table["questionnaire"].map(QUESTIONNAIRES),
            **{c: table[c] for c in channels},
            "Totaal": table["total"],
            RESPONSE: [
                rate_text(u, s) if s else None
                for u, s in zip(table["used"], table["sent"], strict=True)
            ],
            "Onder 30 na afloop": ["ja" if v else "" for v in table["too_few"]],
        }
    )
    return frame
