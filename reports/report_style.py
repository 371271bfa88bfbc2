"""How the council report looks on paper: its style sheet and its charts sized for print.

A4, page numbers in the footer ("Pagina 3 van 12") and the title beside them; an indicator's
chart, its sentence and its tables kept together on one page, several indicators per page. No
text smaller than 9 pt: the tables, the notes, the footer and
the charts' legends and labels, which are drawn in pixels and printed at :data:`CHART_PRINT_MM`
wide (``tests/reports/test_report_document.py`` measures how large a chart's smallest text
comes out).
"""

from __future__ import annotations

from typing import Any

from reports.chart_images import CHART_WIDTH
from surveys.vocabulary import OWN, wave

MIN_POINTS = 9.0
"""The smallest text anywhere in the report, charts included."""
CHART_PRINT_MM = 64.0
"""The width of a chart on paper."""
CHART_PRINT_HEIGHT_MM = 38.0
PAGE_WIDTH_MM = 180.0
"""A4 less the margins."""
SIDE_MM = PAGE_WIDTH_MM - CHART_PRINT_MM - 4
"""The tables beside a chart, 4 mm from it."""
CHART_FONT_PX = 34
"""Text in the chart images: 34 of 680 pixels on 64 mm is 9.1 pt on paper."""
BAND_NAME = "Interval overige"
"""The legend's name for the other koplopers' 95 % band: short enough for two entries a row."""


def _codes_by_title() -> dict[str, str]:
    """'Eerste vervolgmeting' → 'T1', for every wave the vocabulary names (a chart's tick labels
    are wave titles, ``measures.charts``)."""
    codes: dict[str, str] = {}
    number = 0
    while (known := wave(f"T{number}")) is not None:
        codes[known.title] = known.code
        number += 1
    return codes


def for_print(chart: Any) -> Any:
    """A copy of a dashboard chart for the report: text large enough for paper, no title (the
    heading above it names it), no axis titles (the wave names and the '%' say it), a wave name
    of two words on two lines, the legend under the plot, and no values written beside the
    points (the table beside the chart holds them); the same data and marks as on the page."""
    import plotly.graph_objects as go

    printed = go.Figure(chart)
    height = round(CHART_WIDTH * CHART_PRINT_HEIGHT_MM / CHART_PRINT_MM)
    printed.update_layout(
        title=None,
        height=height,
        margin={"l": 10, "r": 14, "t": 14, "b": 6},
        font={"size": CHART_FONT_PX},
        legend={
            "font": {"size": CHART_FONT_PX},
            "orientation": "v",
            "yanchor": "middle",
            "y": 0.5,
            "x": 1.02,
            "tracegroupgap": 0,
        },
    )
    codes = _codes_by_title()
    ticks = printed.layout.xaxis.ticktext
    printed.update_xaxes(
        title=None,
        tickfont={"size": CHART_FONT_PX},
        # 'T0', 'T1' as in the table beside the chart: 'Eerste vervolgmeting' does not fit
        ticktext=[codes.get(str(t), t) for t in ticks] if ticks else None,
        automargin=True,
    )
    printed.update_yaxes(title=None, tickfont={"size": CHART_FONT_PX}, automargin=True)
    for trace in printed.data:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        if meta.get("group") == OWN:
            trace.update(mode="markers", text=None, name=str(trace.name).split(" (")[0])
        elif meta.get("role") == "band":
            trace.update(name=BAND_NAME)
    return printed


STYLE = f"""
@page {{
  size: A4;
  margin: 15mm 15mm 17mm 15mm;
  @bottom-left {{ content: string(title); font-size: {MIN_POINTS}pt; color: #374151; }}
  @bottom-right {{ content: "Pagina " counter(page) " van " counter(pages);
                   font-size: {MIN_POINTS}pt; color: #374151; }}
}}
html {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt;
        color: #111827; line-height: 1.35; }}
h1 {{ font-size: 19pt; margin: 0 0 2.5mm 0; string-set: title content(); }}
h2 {{ font-size: 14pt; margin: 5mm 0 2mm 0; }}
h3 {{ font-size: 11.5pt; margin: 3mm 0 1.5mm 0; }}
h4 {{ font-size: 10.5pt; margin: 0 0 1mm 0; }}
h2, h3, h4 {{ break-after: avoid; }}
p {{ margin: 0 0 1.5mm 0; }}
ul {{ margin: 0 0 2mm 0; padding-left: 5mm; }}
li {{ margin-bottom: 1mm; }}
.front .period {{ font-size: 11pt; }}
.front h2 {{ margin-top: 3.5mm; }}
.contents ol {{ list-style: none; padding: 0; margin: 0 0 2mm 0; columns: 2; column-gap: 8mm; }}
.contents li {{ margin: 0 0 0.6mm 0; }}
.contents a {{ color: inherit; text-decoration: none; }}
.contents a::after {{ content: leader(".") target-counter(attr(href), page); }}
.goal {{ break-before: auto; }}
.goal > h2 {{ margin-top: 4mm; }}
.appendix {{ margin-top: 4mm; }}
.indicator {{ break-inside: avoid; margin: 0 0 2mm 0; padding-top: 1mm;
              border-top: 0.4pt solid #d1d5db; }}
.indicator .pair {{ display: flex; align-items: flex-start; }}
.indicator img {{ flex: none; width: {CHART_PRINT_MM}mm; margin: 0 4mm 1mm 0; }}
.indicator .side {{ flex: none; width: {SIDE_MM}mm; padding-top: 1mm; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 1.5mm 0; font-size: {MIN_POINTS}pt;
         line-height: 1.2; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: 0.5mm; }}
th, td {{ border-bottom: 0.4pt solid #9ca3af; padding: 0.4mm 1mm; text-align: left;
          vertical-align: top; }}
thead th {{ border-bottom: 0.8pt solid #111827; }}
th.group {{ padding-top: 1.6mm; border-bottom: 0.8pt solid #111827; }}
td.number {{ text-align: right; white-space: nowrap; }}
td.withheld {{ font-style: italic; }}
td.interval {{ text-align: right; white-space: nowrap; }}
td.difference {{ text-align: right; }}
th, td {{ hyphens: manual; }}
.indicator .side table {{ margin-bottom: 1mm; table-layout: fixed; line-height: 1.15; }}
.indicator .side tbody th {{ font-weight: normal; }}
.indicator .side th, .indicator .side td {{ padding-top: 0.2mm; padding-bottom: 0.2mm; }}
.comparisons thead th {{ white-space: nowrap; }}
.figures th:nth-child(1) {{ width: 45%; }}
.figures th:nth-child(2) {{ width: 13%; }}
.figures th:nth-child(3) {{ width: 16%; }}
.figures th:nth-child(4) {{ width: 26%; }}
.comparisons th:nth-child(1) {{ width: 37%; }}
.comparisons th:nth-child(2) {{ width: 13.5%; }}
.comparisons th:nth-child(3) {{ width: 34.5%; }}
.comparisons th:nth-child(4) {{ width: 15%; }}
.indicator > p {{ margin-bottom: 1mm; }}
.flag {{ display: block; font-style: italic; }}
.note {{ font-size: {MIN_POINTS}pt; color: #374151; }}
.overview {{ table-layout: fixed; line-height: 1.12; }}
.overview td, .overview th {{ padding-top: 0.1mm; padding-bottom: 0.1mm; }}
.overview thead th {{ width: 13%; }}
.overview thead th:nth-child(1) {{ width: 53%; }}
.overview thead th:nth-child(2) {{ width: 10.5%; }}
.overview thead th:last-child {{ width: 22.5%; }}
.overview tr.group {{ break-after: avoid; }}
.overview tbody th {{ font-weight: normal; }}
.overview tbody th.group {{ font-weight: bold; background: #f3f4f6; }}
.profile-tables {{ columns: 2; column-gap: 6mm; }}
.profile-tables .answers {{ break-inside: avoid; margin-bottom: 3mm; }}
.appendix h2 {{ margin-top: 0; }}
.appendix .text {{ font-size: {MIN_POINTS}pt; line-height: 1.25; margin-bottom: 4mm; }}
.appendix .text h3 {{ font-size: 10pt; margin: 1.5mm 0 0.5mm 0; }}
.appendix .text p {{ margin-bottom: 1mm; }}
"""
