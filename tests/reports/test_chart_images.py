"""Charts drawn by kaleido in one Chromium that stays open (``reports.chart_images``).

These tests start real Chromium processes (Debian's ``chromium``): they skip without it, and fail
under ``CI=true``, as the browser tests do.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go
import pytest

from reports import chart_images
from reports.chart_images import (
    CHART_SCALE,
    CHART_WIDTH,
    ChartsUnavailable,
    Painter,
    browser_path,
    draw_charts,
    render_charts,
)
from tests.measures.view_figures import view
from tests.reports.test_report import dashboard_charts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium(in_ci) -> str:
    path = browser_path()
    if not Path(path).exists():
        if in_ci:
            pytest.fail(f"Chromium not found at {path}: under CI=true the chart tests must run")
        pytest.skip(f"Chromium not found at {path} (apt-get install chromium)")
    return path


@pytest.fixture
def uncached(chromium):
    """No image kept from an earlier test (the browser may stay open between tests)."""
    chart_images.clear_cache()
    yield chromium
    chart_images.clear_cache()


@pytest.fixture
def fresh(uncached):
    """As ``uncached``, and no browser open before the test; every browser closed afterwards."""
    chart_images.close_all()
    yield uncached
    chart_images.close_all()


def two_charts() -> dict:
    return dict(list(dashboard_charts(view(), ["client"]).items())[:2])


def until(condition, seconds: float = 20.0) -> bool:
    """Wait for a condition of the background thread (not a speed check: it only must come)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_kaleido_draws_the_same_image_in_one_session_as_with_a_fresh_page(uncached) -> None:
    import kaleido

    charts = two_charts()
    ours = render_charts(charts, uncached)

    async def plain() -> list[bytes]:
        async with kaleido.Kaleido(n=1, path=uncached, mathjax=False) as k:
            return [
                await k.calc_fig(
                    chart,
                    opts={
                        "format": "png",
                        "width": CHART_WIDTH,
                        "height": chart.layout.height,
                        "scale": CHART_SCALE,
                    },
                )
                for chart in charts.values()
            ]

    # Its own thread: under the browser tests an event loop may run in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        theirs = pool.submit(lambda: asyncio.run(plain())).result()
    assert list(ours.values()) == theirs
    assert all(image.startswith(b"\x89PNG") for image in theirs)


def test_kaleido_is_used_through_its_public_api_only() -> None:
    """No subclass of kaleido and no private name of it: an upgrade of kaleido cannot quietly
    change how the charts are drawn."""
    import kaleido

    tree = ast.parse(Path(chart_images.__file__).read_text(encoding="utf-8"))
    from_kaleido = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "kaleido"
    }
    assert from_kaleido == {"Kaleido"}
    bases = [
        ast.unparse(base)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for base in node.bases
    ]
    assert not any("kaleido" in base.lower() for base in bases)
    on_browser = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and ast.unparse(node.value) in ("browser", "self._browser")
    }
    assert on_browser <= {"open", "calc_fig", "close", "subprocess"}
    for method in ("open", "calc_fig", "close"):
        assert inspect.iscoroutinefunction(getattr(kaleido.Kaleido, method)), method


def test_warm_up_returns_at_once_and_the_report_finds_the_browser_open(fresh) -> None:
    assert chart_images.warm_up(fresh) is True
    painter = chart_images.painter(fresh)
    assert until(painter.is_open)
    render_charts(two_charts(), fresh)
    render_charts(dict(list(dashboard_charts(view(), ["professional"]).items())[:1]), fresh)
    assert painter.launches == 1  # one Chromium for the warm-up and both drawings


def test_warm_up_without_a_browser_starts_nothing(tmp_path) -> None:
    assert chart_images.warm_up(str(tmp_path / "chromium")) is False


def test_a_chart_drawn_before_comes_from_the_cache(uncached, monkeypatch) -> None:
    charts = two_charts()
    first = render_charts(charts, uncached)
    submitted = []
    original = Painter.submit
    monkeypatch.setattr(
        Painter, "submit", lambda self, *a: submitted.append(a) or original(self, *a)
    )
    again = render_charts(charts, uncached)
    assert again == first and submitted == []
    changed = go.Figure(next(iter(charts.values())))
    changed.update_layout(title_text="Een andere titel")
    render_charts({"other": changed}, uncached)
    assert len(submitted) == 1  # another figure is drawn anew


def test_a_browser_that_died_is_started_again(fresh) -> None:
    charts = two_charts()
    render_charts(charts, fresh)
    painter = chart_images.painter(fresh)
    painter._browser.subprocess.kill()  # as the out-of-memory killer would
    chart_images.clear_cache()
    images = render_charts(charts, fresh)
    assert all(image.startswith(b"\x89PNG") for image in images.values())
    assert painter.launches == 2


def test_a_browser_that_dies_while_drawing_is_started_again_for_the_charts_left(fresh) -> None:
    charts = dashboard_charts(view())  # every chart of the view: drawing takes a while
    drawing = draw_charts(charts, fresh)
    painter = chart_images.painter(fresh)
    first = next(iter(charts))
    assert drawing.image(first).startswith(b"\x89PNG")
    painter._browser.subprocess.kill()  # in the middle of the drawing
    images = drawing.all()
    assert len(images) == len(charts)
    assert all(image.startswith(b"\x89PNG") for image in images.values())
    assert painter.launches == 2


def test_after_a_chart_fails_the_next_one_gets_a_fresh_browser(uncached) -> None:
    painter = chart_images.painter(uncached)
    broken = {"layout": {"title": {"text": "geen data"}}}  # kaleido refuses a figure without data
    with pytest.raises(ChartsUnavailable, match="startte wel"):
        render_charts({"broken": broken}, uncached)
    before = painter.launches
    assert render_charts(two_charts(), uncached)
    assert painter.launches == before + 1


def test_the_browser_closes_itself_when_idle(chromium) -> None:
    painter = Painter(chromium, idle=0.5)
    try:
        painter.submit(next(iter(two_charts().values())), chart_images._options(go.Figure()))
        assert until(painter.is_open)
        assert until(lambda: not painter.is_open())
        assert painter.launches == 1
    finally:
        painter.close()


def test_progress_is_told_in_the_calling_thread_once_per_chart(uncached) -> None:
    charts = two_charts()
    told = []
    render_charts(
        charts,
        uncached,
        progress=lambda done, total: told.append(
            (done, total, threading.current_thread() is threading.main_thread())
        ),
    )
    assert told == [(1, 2, True), (2, 2, True)]


def test_drawing_hands_out_each_image_as_it_is_done(uncached) -> None:
    charts = two_charts()
    drawing = draw_charts(charts, uncached)
    assert len(drawing) == 2
    keys = list(charts)
    assert drawing.image(keys[1]).startswith(b"\x89PNG")
    assert drawing.image(keys[0]).startswith(b"\x89PNG")


def test_a_browser_that_does_not_start_gives_the_dutch_reason(tmp_path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    chart = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
    try:
        with pytest.raises(ChartsUnavailable, match="Het rapport is niet gemaakt.*start niet"):
            render_charts({("client", "aware_oco"): chart}, str(fake))
    finally:
        chart_images.close_all()


def test_a_missing_browser_is_said_at_once(tmp_path) -> None:
    missing = str(tmp_path / "chromium")
    with pytest.raises(ChartsUnavailable, match="niet gevonden") as caught:
        draw_charts({"x": go.Figure()}, missing)
    assert missing in str(caught.value)


def test_no_chromium_is_left_running_after_the_process_ends(chromium, tmp_path) -> None:
    script = textwrap.dedent(
        f"""
        import plotly.graph_objects as go
        from reports import chart_images
        chart_images.render_charts({{"x": go.Figure(go.Bar(y=[1, 2]))}}, {chromium!r})
        print(chart_images.painter({chromium!r})._browser.subprocess.pid, flush=True)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    pid = int(result.stdout.split()[-1])
    assert until(lambda: not _running(pid), 10)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_names_and_labels_show_as_written_in_the_drawn_chart(uncached) -> None:
    from xml.etree import ElementTree

    from measures.charts import indicator_chart
    from tests.measures.view_figures import with_label

    label, name = "A & B <b>vet</b>", "Gemeente <i>X</i> & Y"
    chart = indicator_chart(with_label(view(), "aware_oco", label), "client", "aware_oco", name)
    options = {"format": "svg", "width": CHART_WIDTH, "height": 420, "scale": 1}
    svg = chart_images.painter(uncached).submit(chart, options).result(timeout=120)
    root = ElementTree.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert label in texts  # the title, with its tag as text
    assert f"{name} (met 95\u00a0%-interval)" in texts  # the legend
    styles = " ".join(element.get("style") or "" for element in root.iter())
    assert "font-weight:bold" not in styles.replace(" ", "")
    assert "font-style:italic" not in styles.replace(" ", "")


def test_the_idle_time_is_a_setting(monkeypatch, tmp_path, caplog) -> None:
    monkeypatch.delenv(chart_images.IDLE_SETTING, raising=False)
    assert chart_images.idle_seconds() == chart_images.IDLE_SECONDS
    monkeypatch.setenv(chart_images.IDLE_SETTING, "90")
    assert chart_images.idle_seconds() == 90
    assert Painter(str(tmp_path / "chromium")).idle_seconds == 90
    for wrong in ("tien", "-5", "inf", "nan"):
        monkeypatch.setenv(chart_images.IDLE_SETTING, wrong)
        assert chart_images.idle_seconds() == chart_images.IDLE_SECONDS
    assert "is not a number of seconds" in caplog.text


def test_with_idle_time_zero_nothing_starts_ahead(monkeypatch, chromium) -> None:
    monkeypatch.setenv(chart_images.IDLE_SETTING, "0")
    assert chart_images.warm_up(chromium) is False
