"""The council report reads as a document for a council (issue 17, point 10), read back from the
PDF of a full view (both questionnaires, T0 against T1, every figure shown, as a demo koploper):
page numbers, a short table of contents, the overview per goal on the first page, no half-empty
pages, no '%' on a line of its own, one decimal for every percentage, a thousands point, no
indicator said twice, every comparison with its ▲ / = / ▼ and what its q-value compares, and no
file of the code repository named. The charts' text is checked against their printed width.

Drawing the charts needs Chromium and reading the PDF needs poppler-utils (``pdftotext``): those
tests skip, with the reason, when they are missing, and fail under ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from measures.charts import indicator_chart
from measures.explain import explanation, methods_text
from measures.indicators import load_indicators
from reports.chart_images import CHART_WIDTH, browser_path
from reports.report import council_report, report_html
from reports.report_style import CHART_PRINT_MM
from surveys.vocabulary import DIRECTION_WORDS, GOALS, OWN
from tests.measures.view_figures import KOPLOPER_NAME, full_view

BOTH = ["client", "professional"]
SETTINGS = load_indicators().settings
PERCENT = re.compile(r"(\d[\d.,]*)\s?%(?!-interval)")
ONE_DECIMAL = re.compile(r"\d{1,3}(\.\d{3})*,\d")
FOOTER_MM = 17
"""The page's bottom margin, where the page number stands."""


def need(in_ci: bool, found: bool, what: str) -> None:
    if found:
        return
    if in_ci:
        pytest.fail(f"{what}: under CI=true the report tests must run")
    pytest.skip(f"{what}; report test skipped")


@dataclass
class Document:
    pdf: Path
    pages: list[str]
    """The text of each page, as pdftotext reads it (lines kept)."""

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.pages).split())


@pytest.fixture(scope="module")
def document(in_ci, tmp_path_factory) -> Document:
    need(in_ci, Path(browser_path()).exists(), f"Chromium not found at {browser_path()}")
    pdftotext = shutil.which("pdftotext")
    need(in_ci, pdftotext is not None, "pdftotext not found (apt-get install poppler-utils)")
    fig = full_view()
    own = fig.estimates[fig.estimates["group"] == OWN]
    keys = dict.fromkeys(zip(own["questionnaire"], own["indicator"], strict=True))
    charts = {key: indicator_chart(fig, *key, koploper_name=KOPLOPER_NAME) for key in keys}
    pdf = council_report(
        fig, KOPLOPER_NAME, BOTH, charts, explanation(SETTINGS), methods_text(SETTINGS)
    )
    path = tmp_path_factory.mktemp("rapport") / "rapport.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return Document(path, [page for page in pages if page.strip()])


def between(text: str, start: str, end: str) -> str:
    """The text from the last ``start`` (a heading, after its line in the contents) to the last
    ``end``."""
    return text[text.rindex(start) : text.rindex(end)]


def figures_part(text: str) -> str:
    """Everything before the appendix, whose method text states the settings ('95 %')."""
    return text[: text.rindex("Bijlage: hoe leest u dit rapport?")]


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_full_view_is_ten_to_fifteen_pages(document) -> None:
    assert 10 <= len(document.pages) <= 15, len(document.pages)


@pytest.mark.browser
def test_every_page_has_its_number(document) -> None:
    total = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        assert f"Pagina {number} van {total}" in page, number


@pytest.mark.browser
def test_the_contents_name_every_goal_and_appendix_with_the_page_it_starts_on(document) -> None:
    first = " ".join(document.pages[0].split())
    assert "Inhoud" in first
    entries = [*GOALS.values(), "Bijlage: hoe leest u dit rapport?", "Bijlage: werkwijze"]
    for entry in entries:
        found = re.search(re.escape(entry) + r"[ .]*?(\d+)\b", first)
        assert found, entry
        page = document.pages[int(found[1]) - 1]
        assert re.search(rf"^{re.escape(entry)}$", page, re.MULTILINE), (entry, found[1])


@pytest.mark.browser
def test_the_first_page_holds_the_overview_per_goal_with_up_same_down(document) -> None:
    from reports.report_front import shown_indicators

    fig = full_view()
    first = " ".join(document.pages[0].split())
    assert "Overzicht per doel" in first
    assert "Rapport voor de raad" in first
    labels = fig.estimates.drop_duplicates(["questionnaire", "indicator"]).set_index(
        ["questionnaire", "indicator"]
    )["label"]
    on_first = [
        key for key in shown_indicators(fig, BOTH) if " ".join(labels[key].split()) in first
    ]
    assert len(on_first) >= 20, "most of the overview is on the first page"
    changes = fig.changes.set_index(["questionnaire", "indicator"])
    words = [f"{symbol} {DIRECTION_WORDS[symbol]}" for symbol in changes["direction"]]
    assert all(word in " ".join(document.pages[0:2]).replace("\n", " ") for word in set(words))


@pytest.mark.browser
def test_no_page_is_left_half_empty(document) -> None:
    """Each page but the last is filled at least two thirds down: an indicator that does not fit
    moves to the next page whole, the next goal and the appendix follow without a break."""
    result = subprocess.run(
        ["pdftotext", "-bbox", str(document.pdf), "-"], capture_output=True, check=True
    )
    pages = result.stdout.decode("utf-8").split("<page ")[1:]
    assert len(pages) == len(document.pages)
    for number, page in enumerate(pages):
        if number == len(pages) - 1:
            continue
        height = float(re.search(r'height="([\d.]+)"', page)[1])
        footer = height - FOOTER_MM * 72 / 25.4
        bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page)]
        lowest = max(y for y in bottoms if y < footer)
        assert lowest > 0.66 * height, f"page {number + 1} ends at {lowest / height:.0%}"


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.browser
def test_no_line_starts_with_a_percent_sign(document) -> None:
    for number, page in enumerate(document.pages, start=1):
        for line in page.splitlines():
            assert not line.strip().startswith("%"), (number, line)


@pytest.mark.browser
def test_every_percentage_of_a_figure_has_one_decimal(document) -> None:
    found = PERCENT.findall(figures_part(document.text))
    assert len(found) > 100
    assert [number for number in found if not ONE_DECIMAL.fullmatch(number)] == []


@pytest.mark.browser
def test_the_appendix_writes_only_settings_without_a_decimal(document) -> None:
    appendix = document.text[document.text.rindex("Bijlage: hoe leest u dit rapport?") :]
    settings = {
        f"{100 * SETTINGS.confidence:g}",
        f"{100 * SETTINGS.significance:g}",
    }
    whole = {n for n in PERCENT.findall(appendix) if not ONE_DECIMAL.fullmatch(n)}
    assert whole <= settings, whole


@pytest.mark.browser
def test_counts_have_a_thousands_point(document) -> None:
    part = figures_part(document.text)
    part = part[part.rindex("Overzicht per doel") :]  # after the date on the first page
    assert re.search(r"\b\d\.\d{3}\b", part), "the reference groups count thousands"
    assert re.findall(r"(?<![\d.,])\d{4,}(?![\d.,])", part) == []


@pytest.mark.browser
def test_no_file_of_the_code_repository_is_named(document) -> None:
    for name in ("METHODS.md", "README", ".md", "python -m", ".py"):
        assert name not in document.text, name


# --- what is said, and said once ----------------------------------------------------------------


def html() -> str:
    return report_html(
        full_view(),
        KOPLOPER_NAME,
        BOTH,
        {},
        explanation(SETTINGS),
        methods_text(SETTINGS),
        dt.date(2026, 12, 5),
    )


def numbers(sentence: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+,\d", sentence))


def test_the_overview_note_says_the_signs_and_the_limit_of_the_settings() -> None:
    from reports.report_front import front_pages

    made_on = dt.date(2026, 12, 5)
    assert f"* indicatief: minder dan {SETTINGS.indicative_n} antwoorden." in html()
    stricter = replace(SETTINGS, indicative_n=50)
    note = front_pages(full_view(), KOPLOPER_NAME, BOTH, made_on, stricter)["overview_note"]
    assert "* indicatief: minder dan 50 antwoorden." in note
    for symbol, words in DIRECTION_WORDS.items():
        assert f"{symbol} {words}" in note


def test_no_two_key_changes_say_the_same_figures() -> None:
    page = html()
    changes = page[page.index('id="veranderingen"') : page.index('<section class="goal"')]
    bullets = re.findall(r"<li>(.*?)</li>", changes)
    assert bullets
    said = [numbers(bullet) for bullet in bullets]
    assert len(said) == len(set(said)), bullets
    assert "De themascore bekendheid steeg van" not in changes.split("<li>")[1]


def test_a_theme_of_one_question_is_the_question_and_is_named_once_under_it() -> None:
    from reports.report_front import key_changes, repeated_themes, shown_indicators

    fig = full_view()
    repeated = repeated_themes(fig, BOTH)
    assert repeated == {("client", "awareness"): ("client", "aware_oco")}
    assert ("client", "awareness") not in shown_indicators(fig, BOTH)
    assert ("professional", "awareness") in shown_indicators(fig, BOTH)  # two questions
    clear, same, none = key_changes(fig, BOTH)
    assert len(clear) + same + none == len(fig.changes) - 1
    page = html()
    assert page.count("De themascore bekendheid is hier hetzelfde cijfer") == 1


def test_every_comparison_says_what_it_compares_with_its_outcome_and_q_value() -> None:
    from reports.report_front import shown_indicators

    page = html()
    tables = re.findall(r'<table class="comparisons">(.*?)</table>', page, re.S)
    assert len(tables) == len(shown_indicators(full_view(), BOTH))
    outcomes = "|".join(re.escape(f"{s} {w}") for s, w in DIRECTION_WORDS.items())
    for table in tables:
        assert f"{KOPLOPER_NAME} (T1) tegenover" in table
        assert '<th scope="col">Uitkomst</th><th scope="col">q-waarde</th>' in table
        rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table)
        assert [what for what, _ in rows] == [
            "nulmeting (T0)",
            "overige koplopers (T1)",
            "eigen cohort (T1)",
        ]
        for _, cells in rows:
            assert re.search(rf"<td>({outcomes})</td>", cells), cells
            assert re.search(r'<td class="number">(&lt; 0,001|0,\d{3,4}|–)</td>$', cells), cells


# --- the charts on paper ------------------------------------------------------------------------


POINTS_PER_MM = 72 / 25.4


def printed_points(pixels: float, drawn_width: float = CHART_WIDTH) -> float:
    """The size in points on paper of text ``pixels`` high in a chart drawn ``drawn_width``
    pixels wide and printed :data:`CHART_PRINT_MM` wide."""
    return pixels * CHART_PRINT_MM * POINTS_PER_MM / drawn_width


def smallest_text_px(chart: Any) -> float:
    """The smallest text size, in pixels, a chart sets anywhere: its font, its legend, its tick
    labels and the values written beside points (what is not set takes the chart's font)."""
    layout = chart.layout
    base = layout.font.size or 12
    sizes = [base, layout.legend.font.size or base]
    for axis in (layout.xaxis, layout.yaxis):
        sizes.append(axis.tickfont.size or base)
    for trace in chart.data:
        if "text" in (getattr(trace, "mode", "") or ""):
            sizes.append(trace.textfont.size or base)
    return float(min(sizes))


def test_every_chart_prints_its_legend_and_labels_at_nine_points_or_more() -> None:
    from reports.report_front import shown_indicators
    from reports.report_style import (
        CHART_PRINT_MM,
        MIN_POINTS,
        STYLE,
        for_print,
    )

    fig = full_view()
    assert f"width: {CHART_PRINT_MM}mm" in STYLE  # the width the sizes below are printed at
    for key in shown_indicators(fig, BOTH):
        chart = for_print(indicator_chart(fig, *key, koploper_name=KOPLOPER_NAME))
        assert chart.layout.showlegend is not False
        assert printed_points(smallest_text_px(chart)) >= MIN_POINTS, key
    on_screen = indicator_chart(fig, "client", "aware_oco", koploper_name=KOPLOPER_NAME)
    assert printed_points(smallest_text_px(on_screen)) < MIN_POINTS  # why the copy is needed


def test_every_text_of_the_style_is_at_least_nine_points() -> None:
    from reports.report_style import MIN_POINTS, STYLE

    sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)pt", STYLE)]
    assert sizes and min(sizes) >= MIN_POINTS


def test_withheld_figures_do_not_make_a_theme_the_same_as_a_question() -> None:
    from dataclasses import replace

    from reports.report_front import repeated_themes

    fig = full_view()
    hidden = fig.estimates.assign(estimate=float("nan"), flag="onderdrukt", n=5)
    assert repeated_themes(replace(fig, estimates=hidden), BOTH) == {}
