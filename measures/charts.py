"""One Plotly chart per indicator of the dashboard, and the same in one line of text.

The koploper's waves are points with their 95 % interval as error bars; the other koplopers
together are a band (their interval) with their estimate as a dashed line; the rest of the cohort
is a second kind of point. Colours come from the Okabe–Ito palette, which people with a colour
vision deficiency tell apart, and never carry the meaning alone: every series has its own marker
symbol or line dash and a legend entry, and the koploper's values are written beside its points.
A withheld figure (too few answers) is simply not drawn: no point, no placeholder, no zero.

Built from :class:`measures.figures.Figures` only, so a chart shows exactly the engine's
figures; the page, the Excel file and the report can all use the same function.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from measures.dutch import span_text, value_text
from measures.figures import Figures
from measures.indicators import PROPORTION, Settings
from measures.suppression import count_text
from surveys.numbers import PERCENT, PLOTLY_SEPARATORS, missing
from surveys.vocabulary import (
    COHORT,
    INDICATIVE,
    NO_ESTIMATE,
    OTHERS,
    OWN,
    REFERENCE_LABELS,
    SUPPRESSED,
    wave_name,
    wave_title,
)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour deficiency.
# Of its eight colours these three have at least 3:1 contrast with white (WCAG 1.4.11); the band is
# a light fill of the palette's orange, the line on it the palette's vermillion.
BLUE, VERMILLION, BLUISH_GREEN = "#0072B2", "#D55E00", "#009E73"
BAND_FILL = "rgba(230, 159, 0, 0.25)"
TEXT_COLOUR = "#1f2937"
SERIES = {
    OWN: {"colour": BLUE, "symbol": "circle", "offset": -0.22},
    COHORT: {"colour": BLUISH_GREEN, "symbol": "diamond-open", "offset": 0.16},
}
BAND = (-0.08, 0.36)
"""Where the benchmark's band lies around a wave: right of the koploper's point, so that the
point and its value never sit on the band's line."""
FONT = '"Source Sans", "Source Sans Pro", "Helvetica Neue", Arial, sans-serif'
"""Streamlit's own letter where the browser has it, so a chart reads like the page around it."""
OTHERS_NAME = REFERENCE_LABELS[OTHERS]
COHORT_NAME = REFERENCE_LABELS[COHORT]
X_TITLE = "Meting"
Y_TITLES = {
    PROPORTION: "Percentage",
    "1-10": "Gemiddeld rapportcijfer (1 tot 10)",
    "0-100": "Score (0 tot 100)",
}
Y_RANGES = {PROPORTION: (0, 100), "1-10": (1, 10), "0-100": (0, 100)}


def _rows(fig: Figures, questionnaire: str, indicator: str, group: str) -> pd.DataFrame:
    """The group's estimates of one indicator at the koploper's waves, in wave order."""
    table = fig.estimates
    if table.empty:
        return table
    rows = table[
        (table["group"] == group)
        & (table["questionnaire"] == questionnaire)
        & (table["indicator"] == indicator)
        & table["wave"].isin(fig.waves)
    ]
    order = {wave: i for i, wave in enumerate(fig.waves)}
    return rows.sort_values("wave", key=lambda w: w.map(order))


def _drawn_waves(fig: Figures, questionnaire: str, indicator: str) -> list[str]:
    """The waves on the axis: those with a figure of any group, so that a wave just begun (a
    few answers, no figure) is no empty column; all of the koploper's waves if none has one."""
    drawn = {
        wave
        for group in (OWN, OTHERS, COHORT)
        for wave in _shown(_rows(fig, questionnaire, indicator, group))["wave"]
    }
    return [w for w in fig.waves if w in drawn] or list(fig.waves)


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    """Only the figures that may be shown: a withheld one has no estimate and is left out."""
    if rows.empty:
        return rows
    return rows[(rows["flag"] != SUPPRESSED) & rows["estimate"].notna()]


def _kind_and_scale(fig: Figures, questionnaire: str, indicator: str) -> tuple[str, str]:
    table = fig.estimates
    row = table[(table["questionnaire"] == questionnaire) & (table["indicator"] == indicator)]
    if row.empty:
        raise KeyError(f"no figures for {questionnaire}/{indicator}")
    return str(row["kind"].iloc[0]), str(row["scale"].iloc[0])


def plotly_text(text: object) -> str:
    """``text`` as Plotly shows it, literally: Plotly reads a few HTML tags (``<b>``,
    ``<a href>``, ``<br>``) and entities in titles, trace names, tick labels and hover texts, so
    names and labels go in escaped (``<`` as ``&lt;``, ``&`` as ``&amp;``)."""
    return html.escape(str(text), quote=False)


def _label(fig: Figures, questionnaire: str, indicator: str) -> str:
    table = fig.estimates
    row = table[(table["questionnaire"] == questionnaire) & (table["indicator"] == indicator)]
    return str(row["label"].iloc[0])


def _plotted(values: pd.Series, kind: str) -> list[float]:
    """Shares as percentages (0–100) on the axis; means as they are."""
    factor = 100.0 if kind == PROPORTION else 1.0
    return [factor * float(v) for v in values]


def _hover(rows: pd.DataFrame, kind: str, name: str, settings: Settings) -> list[str]:
    texts = []
    for row in rows.to_dict("records"):
        note = f" ({INDICATIVE})" if row["flag"] == INDICATIVE else ""
        texts.append(
            f"{name}, {wave_name(row['wave']).removeprefix('de ')}: "
            f"{value_text(row['estimate'], kind)}{note}<br>"
            f"{settings.interval}: {span_text(row['ci_low'], row['ci_high'], kind)}<br>"
            f"n = {count_text(row['n'], settings)}"
        )
    return texts


def indicator_chart(
    fig: Figures, questionnaire: str, indicator: str, koploper_name: str = "Deze koploper"
) -> go.Figure:
    """The chart of one indicator: the koploper per wave, the other koplopers, the cohort."""
    koploper_name = plotly_text(koploper_name)
    kind, scale = _kind_and_scale(fig, questionnaire, indicator)
    axis = kind if kind == PROPORTION else scale
    waves = _drawn_waves(fig, questionnaire, indicator)
    position = {wave: i for i, wave in enumerate(waves)}
    chart = go.Figure()

    others = _shown(_rows(fig, questionnaire, indicator, OTHERS))
    if not others.empty:
        xs = [position[w] for w in others["wave"]]
        low, high = _plotted(others["ci_low"], kind), _plotted(others["ci_high"], kind)
        band_x: list[float | None] = []
        band_y: list[float | None] = []
        line_x: list[float | None] = []
        line_y: list[float | None] = []
        line_hover: list[str] = []
        estimates = _plotted(others["estimate"], kind)
        hovers = _hover(others, kind, OTHERS_NAME, fig.settings)
        for x, lo, hi, est, hover in zip(xs, low, high, estimates, hovers, strict=True):
            left, right = x + BAND[0], x + BAND[1]
            band_x += [left, right, right, left, left, None]
            band_y += [lo, lo, hi, hi, lo, None]
            line_x += [left, right, None]
            line_y += [est, est, None]
            line_hover += [hover, hover, ""]
        chart.add_trace(
            go.Scatter(
                x=band_x,
                y=band_y,
                mode="lines",
                fill="toself",
                fillcolor=BAND_FILL,
                line={"width": 0},
                name=f"{OTHERS_NAME}: {fig.settings.interval}",
                legendrank=3,
                legendgroup=OTHERS,
                hoverinfo="skip",
                meta={"group": OTHERS, "role": "band"},
            )
        )
        chart.add_trace(
            go.Scatter(
                x=line_x,
                y=line_y,
                mode="lines",
                line={"color": VERMILLION, "dash": "dash", "width": 2.5},
                name=OTHERS_NAME,
                legendgroup=OTHERS,
                legendrank=2,
                hovertext=line_hover,
                hoverinfo="text",
                meta={"group": OTHERS, "role": "estimate"},
            )
        )

    for group, name in ((COHORT, COHORT_NAME), (OWN, koploper_name)):
        rows = _shown(_rows(fig, questionnaire, indicator, group))
        if rows.empty:
            continue
        style = SERIES[group]
        y = _plotted(rows["estimate"], kind)
        error = None
        if group == OWN:
            error = {
                "type": "data",
                "symmetric": False,
                "array": [h - v for h, v in zip(_plotted(rows["ci_high"], kind), y, strict=True)],
                "arrayminus": [
                    v - lo for lo, v in zip(_plotted(rows["ci_low"], kind), y, strict=True)
                ],
                "color": style["colour"],
                "thickness": 2,
                "width": 6,
            }
        chart.add_trace(
            go.Scatter(
                x=[position[w] + style["offset"] for w in rows["wave"]],
                y=y,
                mode="markers+text" if group == OWN else "markers",
                marker={
                    "symbol": style["symbol"],
                    "size": 12 if group == OWN else 11,
                    "color": style["colour"],
                    "line": {"width": 2, "color": style["colour"]},
                },
                error_y=error,
                # Only the koploper's values are written in the chart, left of its points (a
                # space keeps them off the marker), where nothing else is drawn: values of the
                # references there would collide at similar heights. Theirs are in the table
                # under the chart, in the text alternative and on hover.
                text=[value_text(v, kind) + "\u00a0\u00a0" for v in rows["estimate"]]
                if group == OWN
                else None,
                textposition="middle left",
                textfont={"color": TEXT_COLOUR, "size": 14},
                name=f"{name} (met {fig.settings.interval})" if group == OWN else name,
                customdata=list(rows["wave"]),
                hovertext=_hover(rows, kind, name, fig.settings),
                hoverinfo="text",
                legendrank=1 if group == OWN else 4,
                meta={"group": group, "role": "estimate"},
            )
        )

    low, high = Y_RANGES.get(axis, (None, None))
    pad = 0.06 * (high - low) if low is not None and high is not None else 0
    chart.update_layout(
        title={
            "text": plotly_text(_label(fig, questionnaire, indicator)),
            "x": 0,
            "xanchor": "left",
        },
        separators=PLOTLY_SEPARATORS,
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 100},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"color": TEXT_COLOUR, "size": 14, "family": FONT},
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "traceorder": "normal"},
        hovermode="closest",
        showlegend=True,
    )
    chart.update_xaxes(
        title_text=X_TITLE,
        tickmode="array",
        tickvals=list(range(len(waves))),
        ticktext=[wave_title(w) for w in waves],
        range=[-0.7, len(waves) - 0.3],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        linecolor="#6b7280",
    )
    chart.update_yaxes(
        title_text=Y_TITLES.get(axis, "Score"),
        range=[low - pad, high + pad] if low is not None else None,
        ticksuffix=PERCENT if kind == PROPORTION else "",
        gridcolor="#e5e7eb",
        zeroline=False,
        fixedrange=True,
    )
    return chart


def _estimate_text(row: dict, kind: str) -> str:
    if row["flag"] == SUPPRESSED or missing(row["estimate"]):
        return f"{NO_ESTIMATE} (te weinig antwoorden)"
    note = f", {INDICATIVE}" if row["flag"] == INDICATIVE else ""
    interval = span_text(row["ci_low"], row["ci_high"], kind)
    return f"{value_text(row['estimate'], kind)} ({interval}{note})"


def chart_text(
    fig: Figures, questionnaire: str, indicator: str, koploper_name: str | None = None
) -> str:
    """The chart in one line, for screen readers and for whoever cannot read the picture.

    'Bekendheid …: nulmeting 27 % (23–31 %), eerste vervolgmeting 41 % (36–46 %); bij de eerste
    vervolgmeting overige koplopers 35 %, eigen cohort 33 %.'
    """
    kind, _ = _kind_and_scale(fig, questionnaire, indicator)
    label = _label(fig, questionnaire, indicator)
    own = _rows(fig, questionnaire, indicator, OWN).to_dict("records")
    waves = ", ".join(
        f"{wave_name(r['wave']).removeprefix('de ')} {_estimate_text(r, kind)}" for r in own
    )
    who = f"{koploper_name}, " if koploper_name else ""
    text = f"{label}: {who}{waves or 'nog geen metingen'}"
    references = []
    for group, name in ((OTHERS, OTHERS_NAME.lower()), (COHORT, COHORT_NAME.lower())):
        rows = _rows(fig, questionnaire, indicator, group)
        at = rows[rows["wave"] == fig.followup].to_dict("records")
        if not at:
            continue
        row = at[0]
        shown = row["flag"] != SUPPRESSED and not missing(row["estimate"])
        references.append(f"{name} {value_text(row['estimate'], kind) if shown else NO_ESTIMATE}")
    if references:
        text += f"; bij {wave_name(fig.followup)} " + ", ".join(references)
    return text + "."


__all__ = ["chart_text", "indicator_chart"]
