"""The charts of the page "Vergelijken": a forest plot per indicator, trends over the waves and
the calendar of the waves, each with the same in one line of text.

Built from the tables of ``measures.side_by_side`` and ``measures.meta`` only. As on the
dashboard (``measures.charts``): Okabe–Ito colours, never colour alone (▲ / ▼ / = have their own
marker symbol and are written in the hover text and the table beside the chart), no figure on
fewer than ``min_n`` answers (such a koploper is not drawn). A koploper's points carry its slug in
``customdata``, so that the page can open the koploper that was clicked.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from measures.charts import (
    BLUE,
    BLUISH_GREEN,
    FONT,
    TEXT_COLOUR,
    VERMILLION,
    Y_RANGES,
    Y_TITLES,
    plotly_text,
)
from measures.dutch import difference_text, value_text
from measures.indicators import PROPORTION
from surveys.numbers import PERCENT, PLOTLY_SEPARATORS, decimal, missing, percent, whole
from surveys.vocabulary import (
    DIRECTION_WORDS,
    DOWN,
    INDICATIVE,
    NO_ESTIMATE,
    SAME,
    SUPPRESSED,
    UP,
    fewer_than,
    wave_title,
)

BLACK, GREY = "#000000", "#6b7280"
MARKERS = {UP: ("triangle-up", BLUE), DOWN: ("triangle-down", VERMILLION), SAME: ("circle", GREY)}
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
COHORT_COLOURS = [BLACK, BLUE, VERMILLION, BLUISH_GREEN, "#CC79A7", GREY]

POOLED = "Alle koplopers samen (gewogen gemiddelde)"
"""The legend of the pooled changes (a random-effects model, said in plain Dutch)."""


def _escaped(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The names in ``columns`` as Plotly must get them (``measures.charts.plotly_text``)."""
    return frame.assign(
        **{column: frame[column].map(plotly_text) for column in columns if column in frame}
    )


def _layout(chart: go.Figure, title: str, height: int) -> None:
    chart.update_layout(
        title={"text": plotly_text(title), "x": 0, "xanchor": "left"},
        separators=PLOTLY_SEPARATORS,
        height=height,
        margin={"l": 20, "r": 20, "t": 50, "b": 60},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"color": TEXT_COLOUR, "size": 14, "family": FONT},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hovermode="closest",
    )


def _scale(kind: str) -> float:
    return 100.0 if kind == PROPORTION else 1.0


def _change_interval(low: float, high: float, kind: str) -> str:
    scale = _scale(kind)
    return f"{decimal(scale * low)} tot {decimal(scale * high)}"


def _error_x(
    centres: pd.Series, lows: pd.Series, highs: pd.Series, scale: float, colour: str, bold: bool
) -> dict:
    """Plotly's asymmetric horizontal error bars from ``lows`` to ``highs`` around ``centres``."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [scale * (h - c) for h, c in zip(highs, centres, strict=True)],
        "arrayminus": [scale * (c - lo) for lo, c in zip(lows, centres, strict=True)],
        "color": colour,
        "thickness": 2.5 if bold else 1.5,
        "width": 6 if bold else 4,
    }


def forest_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The koplopers with a change to draw, from the largest change down."""
    rows = table[(table["flag"] != SUPPRESSED) & table["difference"].notna()]
    return rows.sort_values(["difference", "name"], ascending=[False, True])


def forest_chart(
    table: pd.DataFrame, pools: pd.DataFrame, kind: str, label: str, min_n: int
) -> go.Figure:
    """Each koploper's change of one indicator with its interval, sorted, and below them the
    pooled changes (all koplopers, each cohort) as diamonds. A count left empty (under
    ``min_n``) reads 'minder dan 10' in the hover text."""
    rows = _escaped(forest_rows(table), "name")
    pools = _escaped(pools, "pool")
    unit = " procentpunt" if kind == PROPORTION else ""
    scale = _scale(kind)
    shown = pools[pools["estimate"].notna()]
    labels = [*rows["name"], *(f"{p} (samen)" for p in shown["pool"])]
    chart = go.Figure()
    for symbol, (marker, colour) in MARKERS.items():
        part = rows[rows["direction"] == symbol]
        if part.empty:
            continue
        chart.add_trace(
            go.Scatter(
                x=[scale * v for v in part["difference"]],
                y=list(part["name"]),
                mode="markers",
                marker={"symbol": marker, "size": 12, "color": colour},
                error_x=_error_x(
                    part["difference"],
                    part["diff_ci_low"],
                    part["diff_ci_high"],
                    scale,
                    colour,
                    False,
                ),
                name=f"{symbol} {DIRECTION_WORDS[symbol]}",
                customdata=list(part["koploper"]),
                hovertext=[
                    f"{name}: {difference_text(d, kind)} "
                    f"({_change_interval(lo, hi, kind)}{unit}), "
                    f"n = {_n(nb, min_n)} en {_n(nf, min_n)}"
                    + (f" ({INDICATIVE})" if flag == INDICATIVE else "")
                    for name, d, lo, hi, nb, nf, flag in zip(
                        part["name"],
                        part["difference"],
                        part["diff_ci_low"],
                        part["diff_ci_high"],
                        part["n_baseline"],
                        part["n_followup"],
                        part["flag"],
                        strict=True,
                    )
                ],
                hoverinfo="text",
            )
        )
    if not shown.empty:
        chart.add_trace(
            go.Scatter(
                x=[scale * v for v in shown["estimate"]],
                y=[f"{p} (samen)" for p in shown["pool"]],
                mode="markers",
                marker={"symbol": "diamond", "size": 15, "color": BLACK},
                error_x=_error_x(
                    shown["estimate"], shown["ci_low"], shown["ci_high"], scale, BLACK, True
                ),
                name=POOLED,
                customdata=["" for _ in range(len(shown))],
                hovertext=[
                    f"{p}: {difference_text(e, kind)} ({_change_interval(lo, hi, kind)}{unit}), "
                    f"{k} koplopers, I² {percent(100 * i2)}"
                    for p, e, lo, hi, k, i2 in zip(
                        shown["pool"],
                        shown["estimate"],
                        shown["ci_low"],
                        shown["ci_high"],
                        shown["k"],
                        shown["i2"].fillna(0),
                        strict=True,
                    )
                ],
                hoverinfo="text",
            )
        )
    _layout(chart, label, max(320, 26 * len(labels) + 140))
    chart.add_vline(x=0, line={"color": GREY, "width": 1})
    chart.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed(labels)),
        fixedrange=True,
        automargin=True,
        gridcolor="#f3f4f6",
    )
    chart.update_xaxes(
        title_text="Verandering" + (" (procentpunt)" if kind == PROPORTION else ""),
        zeroline=False,
        fixedrange=True,
        gridcolor="#e5e7eb",
    )
    return chart


def _n(value: object, min_n: int) -> str:
    return fewer_than(min_n) if missing(value) else whole(value)


def forest_text(table: pd.DataFrame, pools: pd.DataFrame, kind: str, label: str) -> str:
    """The forest plot in words: the pooled change, then how many koplopers rose or fell."""
    rows = forest_rows(table)
    parts = [f"{label}: verandering per koploper, {len(rows)} koplopers met een cijfer"]
    counts = rows["direction"].value_counts()
    parts.append(", ".join(f"{counts.get(s, 0)} {DIRECTION_WORDS[s]}" for s in (UP, SAME, DOWN)))
    for pool in pools.itertuples(index=False):
        if missing(pool.estimate):
            continue
        parts.append(
            f"{pool.pool} samen {difference_text(pool.estimate, kind)} "
            f"({_change_interval(pool.ci_low, pool.ci_high, kind)})"
        )
    return "; ".join(parts) + "."


def trend_chart(
    pools: pd.DataFrame, koplopers: pd.DataFrame, kind: str, scale_name: str, label: str
) -> go.Figure:
    """One indicator over the waves: each cohort (respondents pooled) and the chosen koplopers,
    every point with its interval. A withheld figure is not drawn."""
    pools, koplopers = _escaped(pools, "pool"), _escaped(koplopers, "name")
    axis = kind if kind == PROPORTION else scale_name
    factor = _scale(kind)
    chart = go.Figure()
    series = [(p, rows, "") for p, rows in pools.groupby("pool", sort=False)]
    series += [(n, rows, str(rows["koploper"].iloc[0])) for n, rows in koplopers.groupby("name")]
    for number, (name, rows, slug) in enumerate(series):
        rows = rows[(rows["flag"] != SUPPRESSED) & rows["estimate"].notna()].sort_values(
            "wave", key=lambda w: w.str[1:].astype(int)
        )
        if rows.empty:
            continue
        y = [factor * v for v in rows["estimate"]]
        colour = COHORT_COLOURS[number % len(COHORT_COLOURS)]
        chart.add_trace(
            go.Scatter(
                x=[wave_title(w) for w in rows["wave"]],
                y=y,
                mode="lines+markers",
                line={
                    "color": colour,
                    "dash": DASHES[number % len(DASHES)],
                    "width": 2.5 if not slug else 1.5,
                },
                marker={"size": 10 if not slug else 8, "symbol": number % 20, "color": colour},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [factor * h - v for h, v in zip(rows["ci_high"], y, strict=True)],
                    "arrayminus": [
                        v - factor * lo for lo, v in zip(rows["ci_low"], y, strict=True)
                    ],
                    "color": colour,
                    "thickness": 1.5,
                    "width": 5,
                },
                name=name,
                customdata=[slug] * len(rows),
                hovertext=[
                    f"{name}, {wave_title(w)}: {value_text(e, kind)}"
                    + (f" ({INDICATIVE})" if f == INDICATIVE else "")
                    for w, e, f in zip(rows["wave"], rows["estimate"], rows["flag"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    _layout(chart, label, 460)
    low, high = Y_RANGES.get(axis, (None, None))
    chart.update_yaxes(
        title_text=Y_TITLES.get(axis, "Score"),
        range=[low, high] if low is not None else None,
        ticksuffix=PERCENT if kind == PROPORTION else "",
        gridcolor="#e5e7eb",
        fixedrange=True,
    )
    chart.update_xaxes(title_text="Meting", fixedrange=True)
    return chart


def trend_text(pools: pd.DataFrame, kind: str, label: str) -> str:
    """The cohorts' trend in words: 'Cohort 1: nulmeting 27 %, eerste vervolgmeting 41 %'."""
    parts = []
    for pool, rows in pools.groupby("pool", sort=False):
        rows = rows.sort_values("wave", key=lambda w: w.str[1:].astype(int))
        waves = ", ".join(
            f"{wave_title(w).lower()} "
            + (value_text(e, kind) if f != SUPPRESSED and not missing(e) else NO_ESTIMATE)
            for w, e, f in zip(rows["wave"], rows["estimate"], rows["flag"], strict=True)
        )
        parts.append(f"{pool}: {waves}")
    return f"{label}. " + "; ".join(parts) + "."


def calendar_chart(waves: pd.DataFrame) -> go.Figure:
    """Every koploper's waves as bars from the first to the last day of fieldwork, by cohort;
    each bar says its wave."""
    frame = _escaped(waves, "cohort", "koploper_name", "status").sort_values(
        ["cohort", "koploper_name", "code"]
    )
    chart = go.Figure()
    for number, (code, rows) in enumerate(frame.groupby("code")):
        start = pd.to_datetime(rows["fieldwork_start"])
        end = pd.to_datetime(rows["fieldwork_end"]) + pd.Timedelta(days=1)
        chart.add_trace(
            go.Bar(
                y=[
                    f"{c} · {n}" for c, n in zip(rows["cohort"], rows["koploper_name"], strict=True)
                ],
                x=(end - start).dt.total_seconds() * 1000,
                base=start.dt.strftime("%Y-%m-%d"),
                orientation="h",
                marker={
                    "color": COHORT_COLOURS[(number + 1) % len(COHORT_COLOURS)],
                    "pattern": {"shape": ["", "/", "x", "."][number % 4]},
                },
                text=[code] * len(rows),
                textposition="inside",
                insidetextanchor="middle",
                name=wave_title(code),
                customdata=list(rows["koploper"]),
                hovertext=[
                    f"{n}, {wave_title(code)}: {s:%d-%m-%Y} tot en met {e:%d-%m-%Y} ({st})"
                    for n, s, e, st in zip(
                        rows["koploper_name"],
                        rows["fieldwork_start"],
                        rows["fieldwork_end"],
                        rows["status"],
                        strict=True,
                    )
                ],
                hoverinfo="text",
            )
        )
    labels = list(
        dict.fromkeys(
            f"{c} · {n}" for c, n in zip(frame["cohort"], frame["koploper_name"], strict=True)
        )
    )
    _layout(chart, "Wanneer loopt het veldwerk?", max(360, 22 * len(labels) + 140))
    chart.update_layout(barmode="overlay")
    chart.update_xaxes(type="date", title_text="Datum", fixedrange=True, gridcolor="#e5e7eb")
    chart.update_yaxes(
        categoryorder="array",
        categoryarray=list(reversed(labels)),
        fixedrange=True,
        automargin=True,
    )
    return chart
