"""The "Rapport voor de raad", read back: its words with pdftotext, its tags with pypdf.

Drawing the charts needs Chromium (kaleido drives Debian's ``chromium``): those tests skip, with
the reason, when it is missing, and fail under ``CI=true``, as the browser tests do. Reading the
text needs ``pdftotext`` (Debian's ``poppler-utils``), under the same rule.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from measures.charts import chart_text, indicator_chart
from measures.dutch import p_text
from reports.chart_images import (
    ChartsUnavailable,
    browser_path,
)
from reports.report import chart_sources, council_report, key_changes, report_html
from reports.report_front import repeated_themes
from surveys.vocabulary import DOWN, OWN, UP
from tests.measures.view_figures import KOPLOPER_NAME, view, with_label

BOTH = ["client", "professional"]
EXPLANATION = [
    ("Wat is een 95%-interval?", "Het gebied waarin de echte waarde waarschijnlijk ligt."),
    ("Wat betekent onderdrukt?", "Op minder dan 10 antwoorden tonen we geen cijfer."),
]
METHODS = (
    "Percentages\nWe rekenen het interval uit met de methode van Wilson.\n\n"
    "Veel indicatoren tegelijk\nWe corrigeren met Benjamini en Hochberg."
)


def need(in_ci: bool, found: bool, what: str) -> None:
    if found:
        return
    if in_ci:
        pytest.fail(f"{what}: under CI=true the report tests must run")
    pytest.skip(f"{what}; report test skipped")


@pytest.fixture(scope="module")
def chromium(in_ci) -> str:
    path = browser_path()
    need(in_ci, Path(path).exists(), f"Chromium not found at {path} (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def pdftotext(in_ci) -> str:
    path = shutil.which("pdftotext")
    need(in_ci, path is not None, "pdftotext not found (apt-get install poppler-utils)")
    return path


def dashboard_charts(fig, questionnaires=BOTH) -> dict[tuple[str, str], go.Figure]:
    """The dashboard's own chart of every indicator of the view."""
    own = fig.estimates[
        (fig.estimates["group"] == OWN) & fig.estimates["questionnaire"].isin(questionnaires)
    ]
    keys = dict.fromkeys(zip(own["questionnaire"], own["indicator"], strict=True))
    return {key: indicator_chart(fig, *key, koploper_name=KOPLOPER_NAME) for key in keys}


class Complaints(logging.Handler):
    """What WeasyPrint warns about while it writes (a missing alt text or language, …)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Report:
    pdf: bytes
    steps: list[tuple[float, str]]
    charts: int
    complaints: list[str]


@pytest.fixture(scope="module")
def report(chromium) -> Report:
    fig = view()
    charts = dashboard_charts(fig)
    steps: list[tuple[float, str]] = []
    complaints = Complaints()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(complaints)
    try:
        pdf = council_report(
            fig,
            KOPLOPER_NAME,
            BOTH,
            charts,
            EXPLANATION,
            METHODS,
            progress=lambda fraction, text: steps.append((fraction, text)),
        )
    finally:
        weasyprint_log.removeHandler(complaints)
    return Report(pdf, steps, len(charts), complaints.messages)


@pytest.fixture(scope="module")
def text(report, pdftotext) -> str:
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-", "-"],
        input=report.pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture(scope="module")
def reader(report) -> PdfReader:
    return PdfReader(io.BytesIO(report.pdf))


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def structure_elements(reader: PdfReader) -> list[DictionaryObject]:
    """Every element of the structure tree, depth first."""
    found = []

    def walk(node) -> None:
        node = resolve(node)
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if node.get("/Type") == "/StructElem":
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.browser
def test_the_report_opens_with_its_title_the_koploper_and_the_period(text) -> None:
    assert f"Rapport voor de raad – {KOPLOPER_NAME}" in text
    assert "Dit rapport vergelijkt de eerste vervolgmeting (T1) met de nulmeting (T0)" in text


@pytest.mark.browser
def test_the_first_page_names_the_clear_changes_first(text) -> None:
    clear, same, none = key_changes(view(), BOTH)
    assert clear, "the synthetic view has clear rises"
    first = text.rindex("De belangrijkste veranderingen")  # the heading, after the contents
    positions = [text.index(" ".join(sentence.split()), first) for sentence in clear]
    assert positions == sorted(positions)
    assert f"Bij {same} indicatoren is de uitkomst niet duidelijk anders" in text
    assert f"Over {none} indicatoren zeggen we niets" in text


@pytest.mark.browser
def test_the_tables_hold_the_engines_figures_the_dutch_way(text) -> None:
    fig = view()
    change = fig.changes.set_index(["questionnaire", "indicator"]).loc["client", "aware_oco"]
    shown = f"{100 * change['estimate_followup']:.1f}".replace(".", ",") + " %"
    assert shown in text  # e.g. "53,8 %"
    interval = f"{100 * change['ci_low_followup']:.1f}".replace(".", ",")
    assert interval in text
    q_value = p_text(change["q_value"])
    assert q_value in text
    assert "Overige koplopers (T1)" in text and "Eigen cohort (T1)" in text


@pytest.mark.browser
def test_a_withheld_figure_says_onderdrukt_and_why(text) -> None:
    assert "onderdrukt" in text
    assert "te weinig antwoorden bij T1 (minder dan 10)" in text
    assert "n = 8" not in text


@pytest.mark.browser
def test_the_appendix_holds_the_explanation_and_the_methods(text) -> None:
    for title, explanation in EXPLANATION:
        assert title in text and explanation in text
    assert "We rekenen het interval uit met de methode van Wilson." in text


@pytest.mark.browser
def test_the_pdf_is_tagged_in_dutch_with_a_title(reader) -> None:
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert reader.metadata.title == f"Rapport voor de raad – {KOPLOPER_NAME}"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp  # declares PDF/UA-1
    assert f"Rapport voor de raad – {KOPLOPER_NAME}</rdf:li>" in xmp
    assert len(reader.pages) > 5
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points


@pytest.mark.browser
def test_every_chart_is_a_figure_with_alt_text(reader, report) -> None:
    elements = structure_elements(reader)
    figures = [e for e in elements if e["/S"] == "/Figure"]
    fig = view()
    shown = [key for key in dashboard_charts(fig) if key not in repeated_themes(fig, BOTH)]
    assert len(figures) == len(shown) == report.charts - 1  # the awareness theme is aware_oco
    alts = sorted(str(figure["/Alt"]) for figure in figures)
    assert alts == sorted(chart_text(fig, *key, KOPLOPER_NAME) for key in shown)
    images = {
        xobject.idnum
        for page in reader.pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
        if resolve(xobject)["/Subtype"] == "/Image"
    }
    assert len(images) == len(shown)  # no picture without its Figure tag and alt text
    tags = {str(e["/S"]) for e in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= tags


@pytest.mark.browser
def test_headings_never_skip_a_level(reader) -> None:
    levels = [
        int(str(e["/S"])[2:])
        for e in structure_elements(reader)
        if str(e["/S"]) in {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False))


@pytest.mark.browser
def test_weasyprint_had_nothing_to_complain_about(report) -> None:
    assert report.complaints == []


@pytest.mark.browser
def test_progress_goes_from_zero_to_done(report) -> None:
    steps, charts = report.steps, report.charts
    fractions = [fraction for fraction, _ in steps]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0 and steps[-1] == (1.0, "Klaar")
    assert sum("Grafieken tekenen (" in text for _, text in steps) == charts - 1  # one repeats


def test_without_chromium_there_is_no_report_and_a_dutch_reason(tmp_path, monkeypatch) -> None:
    missing = str(tmp_path / "chromium")
    monkeypatch.setenv("CHROMIUM_PATH", missing)
    steps = []
    fig = view()
    with pytest.raises(ChartsUnavailable) as caught:
        council_report(
            fig,
            KOPLOPER_NAME,
            BOTH,
            dashboard_charts(fig),
            EXPLANATION,
            METHODS,
            progress=lambda fraction, text: steps.append(fraction),
        )
    message = str(caught.value)
    assert message.startswith("Het rapport is niet gemaakt: de grafieken konden niet")
    assert missing in message and "Chromium" in message
    assert 1.0 not in steps


def test_every_text_in_the_html_is_escaped() -> None:
    label = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    fig = with_label(view(), "aware_oco", label)
    html = report_html(
        fig,
        "<b>Almere</b>",
        BOTH,
        chart_sources([("client", "aware_oco")]),
        [("<i>Titel</i>", "Tekst met <a href='x'>link</a>")],
        "<h1>Werkwijze</h1>\nTekst",
        dt.date(2025, 3, 14),
    )
    assert "<script>" not in html and "<b>Almere" not in html and "<i>Titel" not in html
    assert "<img src=x" not in html and "<a href='x'>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp;" in html  # Jinja2's escape
    assert "<title>Rapport voor de raad – &lt;b&gt;Almere&lt;/b&gt;</title>" in html
    assert '<html lang="nl">' in html
    assert "Gemaakt op 14 maart 2025" in html


def test_quotes_in_a_name_cannot_leave_an_attribute() -> None:
    label = 'Bekend" onload="alert(1)'
    fig = with_label(view(), "aware_oco", label)
    sources = chart_sources([("client", "aware_oco")])
    html = report_html(fig, "\"A\" & 'B'", BOTH, sources, [], "", dt.date(2025, 3, 14))
    assert (
        '<meta name="description" content="Rapport voor de raad – &#34;A&#34; &amp; &#39;B&#39;:'
        in html
    )
    alt = html[html.index('<img src="chart:0" alt="') :].split(">")[0]
    assert 'onload="' not in alt and "Bekend&#34; onload=&#34;alert(1)" in alt


def test_no_text_is_written_as_nothing_never_as_none_or_nan() -> None:
    fig = view()
    changes = fig.changes.copy()
    changes.loc[changes["indicator"] == "aware_oco", "sentence"] = float("nan")
    html = report_html(
        replace(fig, changes=changes), KOPLOPER_NAME, BOTH, {}, [], "", dt.date(2025, 3, 14)
    )
    assert ">nan<" not in html and ">None<" not in html
    assert "<h4>Bekendheid van onafhankelijke cliëntondersteuning</h4>\n<p></p>" in html


def test_clear_rises_come_before_clear_falls_on_the_first_page() -> None:
    fig = view()
    changes = fig.changes.copy()
    falls = changes.index[changes["direction"] == "="][:2]
    changes.loc[falls, "direction"] = DOWN
    changes.loc[falls, "sentence"] = ["Daling een.", "Daling twee."]
    clear, same, none = key_changes(replace(fig, changes=changes), BOTH)
    repeated = changes["indicator"].eq("awareness") & changes["questionnaire"].eq("client")
    rises = list(changes.loc[(changes["direction"] == UP) & ~repeated, "sentence"])
    assert clear == [*rises, "Daling een.", "Daling twee."]
    assert same + none + len(clear) == len(changes) - 1  # the awareness theme says aware_oco
    assert none == (changes["direction"] == "–").sum()


def test_the_methods_keep_their_titles_and_every_source_on_a_line_of_its_own() -> None:
    methods = "Intervallen\nWilson.\n\nBronnen\nWilson EB (1927).\nNewcombe RG (1998)."
    html = report_html(view(), KOPLOPER_NAME, BOTH, {}, [], methods, dt.date(2025, 3, 14))
    appendix = html[html.index("Bijlage: werkwijze") :]
    assert "<h3>Intervallen</h3>\n<p>Wilson.</p>\n<h3>Bronnen</h3>" in appendix
    assert "<p>Wilson EB (1927).</p>\n<p>Newcombe RG (1998).</p>" in appendix


def test_the_interval_header_takes_its_level_from_the_setting() -> None:
    fig = view()
    at_90 = replace(fig, settings=replace(fig.settings, confidence=0.9))
    html = report_html(at_90, KOPLOPER_NAME, BOTH, {}, [], "", dt.date(2025, 3, 14))
    assert '<th scope="col">90\u00a0%-interval</th>' in html
    assert "95\u00a0%" not in html and "95&nbsp;%" not in html


def test_without_weasyprint_the_report_says_so_in_dutch(monkeypatch) -> None:
    import sys

    from reports.report import PdfUnavailable, pdf_from_html

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if Pango (or WeasyPrint) is missing
    with pytest.raises(PdfUnavailable, match="Pango"):
        pdf_from_html("<html lang='nl'><title>x</title><p>x</p></html>")


def test_with_too_few_answers_everywhere_the_first_page_claims_no_chance_result() -> None:
    fig = view()
    changes = fig.changes.assign(direction="–", sentence="Te weinig antwoorden.")
    html = report_html(
        replace(fig, changes=changes), KOPLOPER_NAME, BOTH, {}, [], "", dt.date(2025, 3, 14)
    )
    front = html[: html.index('<section class="goal"')]
    assert "niet groter dan toeval" not in front
    assert "Bij geen enkele indicator zijn er genoeg antwoorden" in front
    # every indicator but the awareness theme, which is aware_oco said again
    assert f"Over {len(changes) - 1} indicatoren zeggen we niets" in front
    unclear = fig.changes.assign(direction="=")  # figures, none clearly different
    html = report_html(
        replace(fig, changes=unclear), KOPLOPER_NAME, BOTH, {}, [], "", dt.date(2025, 3, 14)
    )
    assert "niet groter dan toeval" in html[: html.index('<section class="goal"')]


def test_the_pdf_fetches_nothing_but_its_own_charts(tmp_path, caplog) -> None:
    from PIL import Image

    from reports.report import pdf_from_html

    secret = tmp_path / "geheim.png"
    Image.new("RGB", (4, 4), "red").save(secret)
    html = (
        "<html lang='nl'><head><title>x</title></head><body>"
        f"<img src='file://{secret}' alt='bestand'>"
        "<img src='http://127.0.0.1:9/x.png' alt='web'></body></html>"
    )
    asked: list[str] = []
    pdf = pdf_from_html(html, images=lambda address: asked.append(address) or b"")
    reader = PdfReader(io.BytesIO(pdf))
    pictures = [
        x
        for page in reader.pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if resolve(x)["/Subtype"] == "/Image"
    ]
    assert asked == [] and pictures == []
    assert caplog.text.count("not one of the report's charts") == 2


def test_a_chart_that_cannot_be_drawn_stops_the_pdf_with_its_dutch_reason() -> None:
    from reports.report import pdf_from_html

    def images(address: str) -> bytes:
        raise ChartsUnavailable(f"Het rapport is niet gemaakt: {address} lukte niet.")

    html = "<html lang='nl'><title>x</title><img src='chart:0' alt='grafiek'></html>"
    with pytest.raises(ChartsUnavailable, match="niet gemaakt: chart:0 lukte niet"):
        pdf_from_html(html, images)
