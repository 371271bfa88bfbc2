"""The files a viewer downloads from "Mijn koploper" and "Vergelijken", made from the figures the
page shows (already counted and suppressed by ``views.dashboard`` / ``views.compare``).

Pages ask here and hand the bytes to their download button; the documents themselves are
written in ``reports`` (Excel and CSV of the figures, the council report as PDF).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

from measures.charts import indicator_chart
from measures.explain import explanation, methods_text
from measures.figures import Figures
from measures.indicators import Settings
from measures.response_rates import response_lines
from reports.chart_images import warm_up
from reports.compare_downloads import comparison_csv, comparison_rows, comparison_xlsx
from reports.downloads import download_name, figures_csv, figures_xlsx
from reports.report import ChartsUnavailable, PdfUnavailable, council_report
from surveys.vocabulary import OWN

__all__ = ["ChartsUnavailable", "PdfUnavailable", "prepare_report", "file_name"]

prepare_report = warm_up
"""Start the browser that draws the report's charts, ahead of a click (never waits)."""


def file_name(slug: str, day: dt.date, extension: str) -> str:
    """'koplopermonitor-tilburg-2025-03-14.xlsx'."""
    return download_name(slug, day, extension)


def response_of(
    fig: Figures, questionnaires: Sequence[str], rates: pd.DataFrame | None
) -> list[str]:
    """The lines on the response of the view's waves and questionnaires with codes (``rates``:
    ``views.response_rates.response_rates`` of the koploper); none without codes."""
    if rates is None:
        return []
    return response_lines(rates, [fig.baseline, fig.followup], questionnaires)


def figures_excel(
    fig: Figures,
    title: str,
    questionnaires: list[str],
    settings: Settings,
    rates: pd.DataFrame | None = None,
) -> bytes:
    """The view's figures as an Excel workbook, with the explanation sheet (and on it the
    response, from ``rates``)."""
    response = response_of(fig, questionnaires, rates)
    return figures_xlsx(fig, title, questionnaires, explanation(settings), response)


def figures_text(fig: Figures, slug: str, questionnaires: list[str]) -> bytes:
    """The view's change table as CSV for analysts."""
    return figures_csv(fig, slug, questionnaires)


def report_pdf(
    fig: Figures,
    name: str,
    title: str,
    questionnaires: Sequence[str],
    settings: Settings,
    progress: Callable[[float, str], None] | None = None,
    rates: pd.DataFrame | None = None,
) -> bytes:
    """The council report of the view: the dashboard's chart of every indicator of the koploper
    (``name`` in the legends), drawn for paper, with the figures, the explanation and the
    methods of ``settings``, and the response (``rates``) in the methods appendix. Raises
    ``ChartsUnavailable`` or ``PdfUnavailable``."""
    own = fig.estimates[fig.estimates["group"] == OWN]
    charts = {
        (questionnaire, indicator): indicator_chart(fig, questionnaire, indicator, name)
        for questionnaire, indicator in dict.fromkeys(
            zip(own["questionnaire"], own["indicator"], strict=True)
        )
        if questionnaire in questionnaires
    }
    return council_report(
        fig,
        title,
        questionnaires,
        charts,
        explanation(settings),
        methods_text(settings),
        progress=progress,
        response=response_of(fig, questionnaires, rates),
    )


def comparison_files(
    table: pd.DataFrame,
    baseline: str,
    followup: str,
    title: str,
    notes: Sequence[str],
    min_n: int,
) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """Makers of Vergelijken's table as shown (``table``), as Excel and as CSV: each makes its
    file when called (at the click). A count under ``min_n`` is worded as on the page."""
    rows = comparison_rows(table, baseline, followup, min_n)
    return (lambda: comparison_xlsx(rows, title, notes)), (lambda: comparison_csv(rows))
