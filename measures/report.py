"""The "Rapport voor de raad": the figures of one dashboard view as an accessible A4 PDF.

Page 1 says in plain Dutch what changed between the two waves; then, per goal of the programme,
every indicator's chart (the dashboard's own Plotly figure as a PNG, with a text alternative), a
table with n, estimate and interval per wave, the change with its interval and q-value, the
benchmark at the follow-up, and what was withheld and why; an appendix holds the explanation and
the methods. The figures are the engine's (:class:`~measures.dashboard.Figures`, already
suppressed), so the report shows what the page shows.

The PDF is tagged (PDF/UA-1, by WeasyPrint): language nl, the title in the metadata, headings,
tables with header cells, and each chart a Figure with its alt text. The HTML is built here with
every text escaped. The charts are drawn by kaleido in the system Chromium, all in one browser
session; if Chromium cannot start, :class:`ChartsUnavailable` says so in Dutch and no report is
made: a council report without its charts is not a finished report.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from html import escape
from typing import Any

import pandas as pd

from measures import dutch
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
Progress = Callable[[float, str], None]

CHART_WIDTH = 680
CHART_HEIGHT = 380
"""Pixels, for a chart that sets no height of its own (the dashboard's charts do)."""
CHART_SCALE = 1.5
CHART_TIMEOUT = 30
"""Seconds one chart may take before the report gives up (kaleido's own default is 90)."""
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


class ChartsUnavailable(RuntimeError):
    """The charts could not be drawn (no Chromium, or it would not start): no report."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this server (its system libraries, Pango, are missing)."""


def browser_path() -> str:
    """The Chromium kaleido uses: ``CHROMIUM_PATH``, else ``chromium`` on the PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def dutch_date(day: dt.date) -> str:
    """'14 maart 2025'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def wave_title(code: str) -> str:
    """'Nulmeting (T0)'."""
    return f"{dutch.wave_title(code)} ({code})" if code in WAVE_NAMES else code


# --- charts -------------------------------------------------------------------------------------


def _kaleido_class() -> type:
    import kaleido

    class OneSession(kaleido.Kaleido):
        """Kaleido that keeps its page between charts.

        After every image kaleido reloads its tab, plotly.js (some 4 MB) included: for 35 charts
        that is about 5 of the 6 seconds. Plotly.toImage draws each figure in an element of its
        own and removes it afterwards, so the next chart starts clean without a reload: the
        images are byte for byte the same (tests/measures/test_report.py checks it). Should
        kaleido rename this hook, the override is simply never called: slower, still correct.
        """

        async def _return_kaleido_tab(self, tab: Any) -> None:
            await self.tabs_ready.put(tab)

    return OneSession


def _run(make_coroutine: Callable[[], Any]) -> Any:
    """Run a coroutine to its end from synchronous code (Streamlit's script thread has no
    event loop; where one already runs, a worker thread gets its own)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, make_coroutine()).result()


def render_charts(
    charts: Mapping[ChartKey, Any],
    browser: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[ChartKey, bytes]:
    """Every chart as PNG bytes, drawn by kaleido in one Chromium session.

    ``progress(done, total)`` is called after each chart. Raises :class:`ChartsUnavailable`
    (in Dutch) when Chromium is missing or does not start, or a chart cannot be drawn.
    """
    if not charts:
        return {}
    path = browser or browser_path()
    keys = list(charts)

    def opts(chart: Any) -> dict:
        height = getattr(getattr(chart, "layout", None), "height", None) or CHART_HEIGHT
        return {"format": "png", "width": CHART_WIDTH, "height": height, "scale": CHART_SCALE}

    started = False

    async def draw() -> list[bytes]:
        nonlocal started
        session = _kaleido_class()(n=1, path=path, mathjax=False, timeout=CHART_TIMEOUT)
        async with session as k:
            started = True
            done = 0

            def count(_: asyncio.Future) -> None:
                nonlocal done
                done += 1
                if progress is not None:
                    progress(done, len(keys))

            tasks = []
            for key in keys:
                task = asyncio.ensure_future(k.calc_fig(charts[key], opts=opts(charts[key])))
                task.add_done_callback(count)
                tasks.append(task)
            return list(await asyncio.gather(*tasks))

    if not os.path.isfile(path):
        raise ChartsUnavailable(_no_charts(path, "het programma is niet gevonden", False))
    try:
        images = _run(draw)
    except Exception as exc:  # whatever stops Chromium or kaleido: say so, make no report
        text = str(exc).strip()
        reason = text.splitlines()[0][:300] if text else type(exc).__name__
        raise ChartsUnavailable(_no_charts(path, reason, started)) from exc
    return dict(zip(keys, images, strict=True))


def _no_charts(path: str, reason: str, started: bool) -> str:
    if started:
        return (
            "Het rapport is niet gemaakt: de grafieken konden niet worden getekend. "
            f"Chromium ({path}) startte wel, maar een grafiek lukte niet: {reason}."
        )
    return (
        "Het rapport is niet gemaakt: de grafieken konden niet worden getekend. "
        f"Daarvoor is de webbrowser Chromium nodig ({path}), maar die start niet: {reason}. "
        "Vraag de beheerder van de Koplopermonitor om Chromium te installeren "
        "(apt-get install chromium) of CHROMIUM_PATH goed te zetten."
    )


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
    else:
        parts.append(
            "<p>Geen enkele indicator is duidelijk gestegen of gedaald: de verschillen zijn "
            "niet groter dan toeval.</p>"
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
    image: bytes | None,
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
    if image is not None:
        source = "data:image/png;base64," + base64.b64encode(image).decode("ascii")
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
        n, figure, interval = _estimate_cells(bench, "_reference")
        parts.append(
            _table_row(
                f"{name} ({fig.followup})",
                n,
                figure,
                interval,
                p_text(bench["q_value"]),
                _flag_text(bench["flag"]),
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
    images: Mapping[ChartKey, bytes],
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
                image = images.get((questionnaire, indicator))
                section.append(_indicator(fig, questionnaire, indicator, koploper_name, image))
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
    images: Mapping[ChartKey, bytes],
    explanation: Sequence[tuple[str, str]],
    methods_text: str,
    made_on: dt.date,
) -> str:
    """The report as one HTML document (every text escaped), ready for WeasyPrint."""
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
            _goal_sections(fig, koploper_name, questionnaires, images),
            "\n".join(appendix),
            "</body>",
            "</html>",
        ]
    )


def pdf_from_html(html: str) -> bytes:
    """A tagged PDF/UA-1 document from the report's HTML."""
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as missing:  # WeasyPrint loads Pango when imported
        raise PdfUnavailable(
            "Het rapport kan op deze server niet als PDF worden gemaakt: de programma's voor "
            "opmaak (Pango) ontbreken. Vraag de beheerder om ze te installeren (zie de README)."
        ) from missing

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


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
    charts of ``questionnaires`` are drawn. ``progress(fraction, text)`` is told how far it is.
    Raises :class:`ChartsUnavailable` when the charts cannot be drawn.
    """

    def tell(fraction: float, text: str) -> None:
        if progress is not None:
            progress(fraction, text)

    wanted = {key: chart for key, chart in charts.items() if key[0] in set(questionnaires)}
    tell(0.0, "Grafieken tekenen")
    images = render_charts(
        wanted,
        progress=lambda done, total: tell(
            0.6 * done / total, f"Grafieken tekenen ({done} van {total})"
        ),
    )
    tell(0.6, "Rapport opmaken")
    html = report_html(
        fig,
        koploper_name,
        questionnaires,
        images,
        explanation,
        methods_text,
        dt.date.today(),
    )
    tell(0.65, "PDF maken")
    pdf = pdf_from_html(html)
    tell(1.0, "Klaar")
    return pdf


__all__ = [
    "ChartsUnavailable",
    "PdfUnavailable",
    "browser_path",
    "council_report",
    "key_changes",
    "pdf_from_html",
    "render_charts",
    "report_html",
]
