"""The "Rapport voor de raad": the figures of one dashboard view as an accessible A4 PDF.

Page 1 says in plain Dutch what changed between the two waves; then, per goal of the programme,
every indicator's chart (the dashboard's own Plotly figure as a PNG, with a text alternative), a
table with n, estimate and interval per wave, the change with its interval and q-value, the
benchmark at the follow-up, and what was withheld and why; an appendix holds the explanation and
the methods. The figures are the engine's (:class:`~measures.dashboard.Figures`, already
suppressed), so the report shows what the page shows.

The PDF is tagged (PDF/UA-1, by WeasyPrint): language nl, the title in the metadata, headings,
tables with header cells, and each chart a Figure with its alt text. The HTML is built here with
every text escaped. The charts are drawn by kaleido in the system Chromium
(``measures.chart_images``: one browser kept open between reports) while the HTML is written and
read; WeasyPrint takes each image, by its ``chart:`` address, as it is done, and fetches nothing
else. If Chromium cannot start, :class:`ChartsUnavailable` says so in Dutch and no report is made:
a council report without its charts is not a finished report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd

from measures import dutch
from measures.chart_images import ChartsUnavailable, browser_path, draw_charts
from measures.charts import chart_text
from measures.dashboard import (
    COHORT,
    DOWN,
    GOALS,
    NONE,
    OTHERS,
    OWN,
    QUESTIONNAIRES,
    UP,
    Figures,
    in_view,
)
from measures.dutch import (
    NO_FIGURE,
    WAVE_NAMES,
    difference_interval_text,
    difference_text,
    interval_text,
    p_text,
    value_text,
    wave_name,
)
from measures.suppression import INDICATIVE, SUPPRESSED

ChartKey = tuple[str, str]
"""(questionnaire, indicator)."""
CHART_SCHEME = "chart:"
"""Images in the report's HTML are ``chart:<number>``, fetched only from the drawn charts."""
Progress = Callable[[float, str], None]

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
WITHHELD = "onderdrukt"


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this server (its system libraries, Pango, are missing)."""


def dutch_date(day: dt.date) -> str:
    """'14 maart 2025'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def wave_title(code: str) -> str:
    """'Nulmeting (T0)'."""
    return f"{dutch.wave_title(code)} ({code})" if code in WAVE_NAMES else code


# --- the HTML -----------------------------------------------------------------------------------

STYLE = """
@page { size: A4; margin: 18mm 17mm 18mm 17mm; }
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt;
       color: #111827; line-height: 1.4; }
h1 { font-size: 20pt; margin: 0 0 4mm 0; }
h2 { font-size: 15pt; margin: 0 0 3mm 0; }
h3 { font-size: 12pt; margin: 5mm 0 2mm 0; }
h4 { font-size: 11pt; margin: 0 0 1.5mm 0; }
h2, h3, h4 { break-after: avoid; }
p { margin: 0 0 2mm 0; }
.front .period { font-size: 11pt; }
.front li { margin-bottom: 2mm; }
.goal, .appendix { break-before: page; }
.indicator { break-inside: avoid; margin-bottom: 6mm; }
.indicator img { display: block; width: 105mm; margin: 0 0 1mm 0; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.5mm 0; font-size: 9pt;
        line-height: 1.25; }
caption { text-align: left; font-weight: bold; margin-bottom: 1mm; }
th, td { border-bottom: 0.4pt solid #9ca3af; padding: 0.6mm 1.5mm; text-align: left;
         vertical-align: top; }
thead th { border-bottom: 0.8pt solid #111827; }
td.number { text-align: right; white-space: nowrap; }
td.withheld { font-style: italic; }
.note { font-size: 9pt; color: #374151; }
"""


def _text(value: object) -> str:
    """Escaped text for the HTML; '' for no text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape(str(value))


def _count(value: object) -> str:
    if value is None or pd.isna(value):
        return NO_FIGURE
    return f"{int(value)}"


def _row(table: pd.DataFrame, **where: object) -> dict | None:
    if table.empty:
        return None
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    rows = table[mask]
    return None if rows.empty else rows.iloc[0].to_dict()


def _questionnaire_words(questionnaires: Sequence[str]) -> str:
    names = [QUESTIONNAIRES.get(q, q).lower() for q in questionnaires]
    if not names:
        return "geen vragenlijst"
    if len(names) == 1:
        return f"de vragenlijst voor {names[0]}"
    return "de vragenlijsten voor " + ", ".join(names[:-1]) + " en voor " + names[-1]


def key_changes(fig: Figures, questionnaires: Sequence[str]) -> tuple[list[str], int, int]:
    """The sentences of the clear changes (rises first), how many indicators stayed the same,
    and how many had too few answers to compare."""
    changes = in_view(fig.changes, questionnaires)
    if changes.empty:
        return [], 0, 0
    clear = [
        sentence
        for direction in (UP, DOWN)
        for sentence in changes.loc[changes["direction"] == direction, "sentence"]
    ]
    same = int((~changes["direction"].isin([UP, DOWN, NONE])).sum())
    none = int((changes["direction"] == NONE).sum())
    return clear, same, none


def _indicators(word: int) -> str:
    return "1 indicator" if word == 1 else f"{word} indicatoren"


def _front(
    fig: Figures, koploper_name: str, questionnaires: Sequence[str], made_on: dt.date
) -> str:
    clear, same, none = key_changes(fig, questionnaires)
    one_wave = fig.baseline == fig.followup
    period = (
        f"Dit rapport geeft de cijfers van {_text(wave_name(fig.baseline))} "
        f"({_text(fig.baseline)}), voor {_text(_questionnaire_words(questionnaires))}. Er is "
        "nog geen vervolgmeting, dus nog geen verandering om te laten zien."
        if one_wave
        else f"Dit rapport vergelijkt {_text(wave_name(fig.followup))} "
        f"({_text(fig.followup)}) met {_text(wave_name(fig.baseline))} ({_text(fig.baseline)}), "
        f"voor {_text(_questionnaire_words(questionnaires))}."
    )
    parts = [
        '<section class="front">',
        f"<h1>Rapport voor de raad – {_text(koploper_name)}</h1>",
        f'<p class="period">{period}</p>',
        f"<p>Gemaakt op {dutch_date(made_on)} met de Koplopermonitor.</p>",
        "<h2>De belangrijkste veranderingen</h2>",
    ]
    if one_wave:
        parts.append(
            "<p>Na de volgende meting staat hier wat er veranderd is. Hierna volgen de cijfers "
            "van deze meting, naast de andere koplopers.</p>"
        )
    elif clear:
        parts.append("<ul>")
        parts += [f"<li>{_text(sentence)}</li>" for sentence in clear]
        parts.append("</ul>")
    elif same:
        parts.append(
            "<p>Geen enkele indicator is duidelijk gestegen of gedaald: de verschillen zijn "
            "niet groter dan toeval.</p>"
        )
    else:
        parts.append(
            "<p>Bij geen enkele indicator zijn er genoeg antwoorden om een verandering te laten "
            "zien.</p>"
        )
    if same and not one_wave:
        parts.append(
            f"<p>Bij {_indicators(same)} is de uitkomst niet duidelijk anders dan bij "
            f"{_text(wave_name(fig.baseline))}.</p>"
        )
    if none and not one_wave:
        parts.append(
            f"<p>Over {_indicators(none)} zeggen we niets: daarvoor waren er te weinig "
            "antwoorden. Cijfers op te weinig antwoorden tonen we nooit.</p>"
        )
    parts.append(
        "<p>Hierna volgt per doel van het programma elke indicator: een grafiek, de cijfers per "
        "meting en de vergelijking met de andere koplopers. Achterin staat hoe u de cijfers "
        "leest en hoe ze berekend zijn.</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


def _estimate_cells(row: dict | None, prefix: str = "") -> tuple[str, str, str]:
    """(n, figure, interval) cells of one group at one wave."""
    if row is None:
        return NO_FIGURE, NO_FIGURE, NO_FIGURE
    n = _count(row[f"n{prefix}"])
    if row["flag"] == SUPPRESSED or pd.isna(row[f"estimate{prefix}"]):
        return n, WITHHELD, NO_FIGURE
    kind = row["kind"]
    figure = value_text(row[f"estimate{prefix}"], kind)
    interval = interval_text(row[f"ci_low{prefix}"], row[f"ci_high{prefix}"], kind)
    return n, figure, interval


def _flag_text(flag: object) -> str:
    return flag if flag in (SUPPRESSED, INDICATIVE) else ""


def _table_row(header: str, n: str, figure: str, interval: str, q: str, note: str) -> str:
    figure_class = "number withheld" if figure == WITHHELD else "number"
    return (
        f'<tr><th scope="row">{_text(header)}</th><td class="number">{_text(n)}</td>'
        f'<td class="{figure_class}">{_text(figure)}</td><td class="number">{_text(interval)}</td>'
        f'<td class="number">{_text(q)}</td><td>{_text(note)}</td></tr>'
    )


def _indicator(
    fig: Figures,
    questionnaire: str,
    indicator: str,
    koploper_name: str,
    source: str | None,
) -> str:
    own = fig.estimates[
        (fig.estimates["group"] == OWN)
        & (fig.estimates["questionnaire"] == questionnaire)
        & (fig.estimates["indicator"] == indicator)
    ]
    label = own["label"].iloc[0]
    change = _row(fig.changes, questionnaire=questionnaire, indicator=indicator)
    parts = ['<section class="indicator">', f"<h4>{_text(label)}</h4>"]
    if change is not None:
        parts.append(f"<p>{_text(change['sentence'])}</p>")
    if source is not None:
        alt = chart_text(fig, questionnaire, indicator, koploper_name)
        parts.append(f'<img src="{source}" alt="{_text(alt)}">')
    parts += [
        "<table>",
        f"<caption>Cijfers: {_text(label)}</caption>",
        '<thead><tr><th scope="col">Meting of groep</th><th scope="col">n</th>'
        '<th scope="col">Cijfer</th><th scope="col">95%-interval</th>'
        '<th scope="col">q-waarde</th><th scope="col">Let op</th></tr></thead>',
        "<tbody>",
    ]
    reasons: list[str] = []

    def keep(reason: object) -> None:
        if isinstance(reason, str) and reason and reason not in reasons:
            reasons.append(reason)

    order = {wave: position for position, wave in enumerate(fig.waves)}
    for row in sorted(own.to_dict("records"), key=lambda r: order.get(r["wave"], len(order))):
        n, figure, interval = _estimate_cells(row)
        parts.append(
            _table_row(wave_title(row["wave"]), n, figure, interval, "", _flag_text(row["flag"]))
        )
        keep(row["reason"])
    if change is not None:
        kind = change["kind"]
        withheld = change["flag"] == SUPPRESSED or pd.isna(change["difference"])
        parts.append(
            _table_row(
                f"Verandering {fig.baseline} → {fig.followup}",
                "",
                WITHHELD if withheld else difference_text(change["difference"], kind),
                difference_interval_text(change["diff_ci_low"], change["diff_ci_high"], kind),
                p_text(change["q_value"]),
                _flag_text(change["flag"]),
            )
        )
        keep(change["reason"])
    for reference, name in ((OTHERS, "Overige koplopers"), (COHORT, "Eigen cohort")):
        bench = _row(
            fig.benchmarks,
            wave=fig.followup,
            reference=reference,
            questionnaire=questionnaire,
            indicator=indicator,
        )
        if bench is None:
            continue
        # The reference's own figure, as the page and the chart show it (a comparison withheld
        # for the koploper's side leaves the reference's figure standing).
        shown = _row(
            fig.estimates,
            group=reference,
            wave=fig.followup,
            questionnaire=questionnaire,
            indicator=indicator,
        )
        n, figure, interval = _estimate_cells(shown)
        parts.append(
            _table_row(
                f"{name} ({fig.followup})",
                n,
                figure,
                interval,
                p_text(bench["q_value"]),
                _flag_text(bench["flag"] if shown is None else shown["flag"]),
            )
        )
        keep(bench["reason"])
    parts += ["</tbody>", "</table>"]
    if reasons:
        parts.append(
            '<p class="note">Niet getoond of met voorzichtigheid te lezen: '
            + _text("; ".join(reasons))
            + ".</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _profile(fig: Figures, questionnaires: Sequence[str]) -> str:
    """Who answered (under Inzicht): per question the share of each answer at both waves."""
    profile = in_view(fig.profile, questionnaires)
    if profile.empty:
        return ""
    waves = [w for w in (fig.baseline, fig.followup) if w in set(profile["wave"])]
    parts = ["<h3>Wie vulden de vragenlijst in</h3>"]
    for (questionnaire, _item), rows in profile.groupby(
        ["questionnaire", "item"], sort=False, observed=True
    ):
        question = rows["question"].iloc[0]
        parts += [
            '<section class="indicator">',
            "<table>",
            f"<caption>{_text(question)} ({_text(QUESTIONNAIRES.get(questionnaire, ''))})"
            "</caption>",
            '<thead><tr><th scope="col">Antwoord</th>'
            + "".join(f'<th scope="col">{_text(wave_title(w))}</th>' for w in waves)
            + "</tr></thead>",
            "<tbody>",
        ]
        reasons: list[str] = []
        for category, answers in rows.groupby("category", sort=False, observed=True):
            cells = []
            for wave in waves:
                at = answers[answers["wave"] == wave]
                if at.empty:
                    cells.append(f'<td class="number">{NO_FIGURE}</td>')
                    continue
                entry = at.iloc[0]
                if entry["flag"] == SUPPRESSED or pd.isna(entry["share"]):
                    cells.append(f'<td class="number withheld">{WITHHELD}</td>')
                    if entry["reason"] and entry["reason"] not in reasons:
                        reasons.append(entry["reason"])
                else:
                    share = value_text(entry["share"], "proportion")
                    cells.append(
                        f'<td class="number">{_text(share)} '
                        f"({_count(entry['count'])} van {_count(entry['answered'])})</td>"
                    )
            parts.append(f'<tr><th scope="row">{_text(category)}</th>{"".join(cells)}</tr>')
        parts += ["</tbody>", "</table>"]
        if reasons:
            parts.append(f'<p class="note">{_text("; ".join(reasons))}.</p>')
        parts.append("</section>")
    return "\n".join(parts)


def _goal_sections(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    sources: Mapping[ChartKey, str],
) -> str:
    estimates = in_view(fig.estimates, questionnaires)
    own = estimates[estimates["group"] == OWN] if not estimates.empty else estimates
    parts = []
    for goal, name in GOALS.items():
        in_goal = own[own["goal"] == goal] if not own.empty else own
        section = ['<section class="goal">', f"<h2>{_text(name)}</h2>"]
        for questionnaire in questionnaires:
            here = in_goal[in_goal["questionnaire"] == questionnaire] if not own.empty else own
            indicators = list(dict.fromkeys(here["indicator"])) if not here.empty else []
            if not indicators:
                continue
            section.append(f"<h3>{_text(QUESTIONNAIRES.get(questionnaire, questionnaire))}</h3>")
            for indicator in indicators:
                source = sources.get((questionnaire, indicator))
                section.append(_indicator(fig, questionnaire, indicator, koploper_name, source))
        if goal == "profile":
            section.append(_profile(fig, questionnaires))
        if len(section) == 2:
            section.append("<p>Voor dit doel zijn er in deze weergave geen cijfers.</p>")
        section.append("</section>")
        parts.append("\n".join(section))
    return "\n".join(parts)


def _paragraphs(text: str) -> str:
    """Plain text as HTML: blocks split by blank lines; a block's first line is its title when
    more lines follow, and every further line a paragraph (a list of sources stays a list)."""
    parts = []
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) > 1:
            parts.append(f"<h3>{_text(lines[0])}</h3>")
            lines = lines[1:]
        parts += [f"<p>{_text(line)}</p>" for line in lines]
    return "\n".join(parts)


def report_html(
    fig: Figures,
    koploper_name: str,
    questionnaires: Sequence[str],
    sources: Mapping[ChartKey, str],
    explanation: Sequence[tuple[str, str]],
    methods_text: str,
    made_on: dt.date,
) -> str:
    """The report as one HTML document (every text escaped), ready for WeasyPrint.

    ``sources`` gives the image address of each chart (:func:`chart_sources`); a chart without
    one is left out."""
    title = f"Rapport voor de raad – {koploper_name}"
    appendix = ['<section class="appendix">', "<h2>Bijlage: hoe leest u dit rapport?</h2>"]
    for subject, text in explanation:
        appendix += [f"<h3>{_text(subject)}</h3>", f"<p>{_text(text)}</p>"]
    appendix += ["<h2>Bijlage: werkwijze</h2>", _paragraphs(methods_text), "</section>"]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="nl">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{_text(title)}</title>",
            '<meta name="author" content="Koplopermonitor">',
            f'<meta name="description" content="{_text(title)}: '
            f'{_text(wave_name(fig.baseline))} en {_text(wave_name(fig.followup))}">',
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            _front(fig, koploper_name, questionnaires, made_on),
            _goal_sections(fig, koploper_name, questionnaires, sources),
            "\n".join(appendix),
            "</body>",
            "</html>",
        ]
    )


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
) -> bytes:
    """The "Rapport voor de raad" as PDF bytes.

    ``charts`` maps (questionnaire, indicator) to the dashboard's Plotly figure of it; only the
    charts of ``questionnaires`` are drawn. ``progress(fraction, text)`` is told how far it is
    (in the calling thread). Raises :class:`ChartsUnavailable` when the charts cannot be drawn,
    :class:`PdfUnavailable` when WeasyPrint cannot run.

    The charts are drawn in Chromium (``measures.chart_images``) while this thread writes the
    HTML and WeasyPrint reads it; WeasyPrint then takes each image as it is done.
    """

    def tell(fraction: float, text: str) -> None:
        if progress is not None:
            progress(fraction, text)

    _weasyprint()  # no PDF possible: say so before Chromium starts
    wanted = {key: chart for key, chart in charts.items() if key[0] in set(questionnaires)}
    tell(0.0, "Grafieken tekenen")
    drawing = draw_charts(wanted)
    try:
        sources = chart_sources(list(wanted))
        keys = {source: key for key, source in sources.items()}
        html = report_html(
            fig, koploper_name, questionnaires, sources, explanation, methods_text, dt.date.today()
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
