"""The "Rapport voor de raad": the figures of one dashboard view as an accessible A4 PDF.

A document for a council: page numbers, a short table of contents, a first page with the overview
per goal (every indicator with ▲ / = / ▼), the clear changes in sentences, then per goal every
indicator's chart (the dashboard's own Plotly figure, with text large enough for paper and a text
alternative) beside its sentence and two tables: n, estimate and interval per wave and for the
other koplopers, and each comparison with its ▲ / = / ▼ and q-value; an appendix that stands on
its own explains how to read it and how it was computed. The figures are the engine's
(:class:`~measures.figures.Figures`, already suppressed), so the report shows what the page
shows. The HTML comes from the Jinja2 templates in ``reports/templates/`` (fed by
:mod:`reports.report_html`), its look from :mod:`reports.report_style`.

The PDF is tagged (PDF/UA-1, by WeasyPrint): language nl, the title in the metadata, headings,
tables with header cells, and each chart a Figure with its alt text. The charts are drawn by
kaleido in the system Chromium (``reports.chart_images``: one browser kept open between reports)
while the HTML is written and read; WeasyPrint takes each image, by its ``chart:`` address, as it
is done, and fetches nothing else. If Chromium cannot start, :class:`ChartsUnavailable` says so
in Dutch and no report is made: a council report without its charts is not a finished report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from measures.figures import Figures
from reports.chart_images import ChartsUnavailable, browser_path, draw_charts
from reports.report_front import ChartKey, key_changes, shown_indicators
from reports.report_html import report_html
from reports.report_style import for_print

CHART_SCHEME = "chart:"
"""Images in the report's HTML are ``chart:<number>``, fetched only from the drawn charts."""
Progress = Callable[[float, str], None]


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this server (its system libraries, Pango, are missing)."""


def chart_sources(keys: Sequence[ChartKey]) -> dict[ChartKey, str]:
    """The image address of each chart in the report's HTML: ``chart:0``, ``chart:1``, …"""
    return {key: f"{CHART_SCHEME}{number}" for number, key in enumerate(keys)}


class _ChartsStopped(Exception):
    """Raised inside WeasyPrint's fetcher (wrapped in its fatal error) to stop the layout."""


def _weasyprint() -> Any:
    try:
        import weasyprint
        from weasyprint import urls
    except (OSError, ImportError) as missing:  # WeasyPrint loads Pango when imported
        raise PdfUnavailable(
            "Het rapport kan op deze server niet als PDF worden gemaakt: de programma's voor "
            "opmaak (Pango) ontbreken. Vraag de beheerder om ze te installeren (zie de README)."
        ) from missing
    return weasyprint, urls


def pdf_from_html(
    html: str,
    images: Callable[[str], bytes] | None = None,
    laid_out: Callable[[], None] | None = None,
) -> bytes:
    """A tagged PDF/UA-1 document from the report's HTML.

    ``images(address)`` gives the PNG of a ``chart:`` address (it may wait for the chart to be
    drawn: WeasyPrint asks for each image while it builds the pages, after reading the HTML and
    the styles). Nothing else is fetched: no file, no network. A :class:`ChartsUnavailable`
    raised by ``images`` stops the PDF and comes out as it is. ``laid_out()`` is called when the
    pages are laid out, before the PDF is written.
    """
    weasyprint, urls = _weasyprint()

    class ChartFetcher(urls.URLFetcher):
        """Only the report's own charts."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if images is None or not url.startswith(CHART_SCHEME):
                raise ValueError(f"not one of the report's charts: {url[:80]}")
            try:
                data = images(url)
            except ChartsUnavailable as problem:
                raise urls.FatalURLFetchingError(str(problem)) from _ChartsStopped(problem)
            return urls.URLFetcherResponse(url, data, {"Content-Type": "image/png"})

    try:
        document = weasyprint.HTML(string=html, url_fetcher=ChartFetcher()).render(
            pdf_variant="pdf/ua-1"
        )
    except urls.FatalURLFetchingError as stopped:
        cause = stopped.__cause__
        if isinstance(cause, _ChartsStopped):
            raise cause.args[0] from None
        raise
    if laid_out is not None:
        laid_out()
    return document.write_pdf(pdf_variant="pdf/ua-1")


def council_report(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    charts: Mapping[ChartKey, Any],
    explanation: Sequence[tuple[str, str]],
    methods_text: str,
    progress: Progress | None = None,
    response: Sequence[str] = (),
) -> bytes:
    """The "Rapport voor de raad" as PDF bytes.

    ``charts`` maps (questionnaire, indicator) to the dashboard's Plotly figure of it; only the
    charts the report shows are drawn (those of ``questionnaires``, but for a theme score that
    repeats a question), restyled for paper (:func:`reports.report_style.for_print`).
    ``progress(fraction, text)`` is told how far it is (in the calling thread). The limits and
    levels the report states are those the figures were made with (``fig.settings``);
    ``response`` the lines on the response in the methods appendix (``report_html``). Raises
    :class:`ChartsUnavailable` when the charts cannot be drawn, :class:`PdfUnavailable` when
    WeasyPrint cannot run.

    The charts are drawn in Chromium (``reports.chart_images``) while this thread writes the
    HTML and WeasyPrint reads it; WeasyPrint then takes each image as it is done.
    """

    def tell(fraction: float, text: str) -> None:
        if progress is not None:
            progress(fraction, text)

    _weasyprint()  # no PDF possible: say so before Chromium starts
    shown = shown_indicators(fig, questionnaires)
    wanted = {key: for_print(charts[key]) for key in shown if key in charts}
    tell(0.0, "Grafieken tekenen")
    drawing = draw_charts(wanted)
    try:
        sources = chart_sources(list(wanted))
        keys = {source: key for key, source in sources.items()}
        html = report_html(
            fig,
            koploper_name,
            questionnaires,
            sources,
            explanation,
            methods_text,
            dt.date.today(),
            response,
        )
        fetched: set[str] = set()

        def image(address: str) -> bytes:
            data = drawing.image(keys[address])
            if address not in fetched:
                fetched.add(address)
                tell(
                    round(0.05 + 0.55 * len(fetched) / len(keys), 4),
                    f"Grafieken tekenen ({len(fetched)} van {len(keys)})",
                )
            if len(fetched) == len(keys):
                tell(0.6, "Bladzijden opmaken")
            return data

        if not wanted:
            tell(0.6, "Bladzijden opmaken")
        pdf = pdf_from_html(html, image, laid_out=lambda: tell(0.9, "PDF maken"))
    finally:
        drawing.cancel()
    tell(1.0, "Klaar")
    return pdf


__all__ = [
    "CHART_SCHEME",
    "ChartsUnavailable",
    "PdfUnavailable",
    "browser_path",
    "chart_sources",
    "council_report",
    "key_changes",
    "pdf_from_html",
    "report_html",
]
