"""Charts as PNG images, drawn by kaleido in the system Chromium, which stays open between uses.

Starting Chromium takes about two seconds; drawing one chart after that a few tenths of a second
at most (kaleido loads its page, plotly.js included, again for every image: only its public API is
used, ``kaleido.Kaleido``'s ``open``, ``calc_fig`` and ``close``). So one Chromium per browser
path stays open in a thread of its own, with its own event loop (:class:`Painter`):

- the page "Mijn koploper" starts it when it shows the download buttons (:func:`warm_up`), so a
  report asked for a moment later finds it ready;
- :func:`draw_charts` hands every chart over at once and returns a :class:`Drawing` whose images
  can be taken one by one as they are done (the report writes its text meanwhile);
- after ``IDLE_SECONDS`` without work the browser closes itself; when Chromium dies (killed, out
  of memory), idle or while drawing, each chart it was drawing or about to draw is tried once
  more in a new one; after any other failure of a chart the next one gets a fresh Chromium;
- a chart drawn before (the same figure at the same size) comes from a small cache.

Everything that touches the browser runs on the painter's event loop; callers wait on
:class:`concurrent.futures.Future` objects, in their own thread, so a progress bar can be moved
from the thread that owns it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import json
import logging
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future, TimeoutError, as_completed
from typing import Any

LOG = logging.getLogger(__name__)

CHART_WIDTH = 680
CHART_HEIGHT = 380
"""Pixels, for a chart that sets no height of its own (the dashboard's charts do)."""
CHART_SCALE = 1.5
CHART_TIMEOUT = 30
"""Seconds one chart may take before the report gives up (kaleido's own default is 90)."""
START_TIMEOUT = 60
"""Seconds Chromium may take to start and load plotly.js."""
CLOSE_TIMEOUT = 15
"""Seconds Chromium may take to close before its process is killed."""
IDLE_SECONDS = 600
"""The browser closes after this long without a chart to draw (``KOPLOPERMONITOR_CHART_IDLE``)."""
IDLE_SETTING = "KOPLOPERMONITOR_CHART_IDLE"
TABS = 1
"""Pages kaleido draws in. Kaleido reloads its page (plotly.js included) after every image; a
second page would draw while the first reloads, but costs some 170 MB more and made the report no
faster, as the charts are drawn while WeasyPrint works."""
CACHE_BYTES = 64 * 2**20
"""At most this many bytes of drawn images are kept (about 25 reports' worth)."""


class ChartsUnavailable(RuntimeError):
    """The charts could not be drawn (no Chromium, or it would not start): no report."""


def browser_path() -> str:
    """The Chromium kaleido uses: ``CHROMIUM_PATH``, else ``chromium`` on the PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def idle_seconds() -> float:
    """Seconds Chromium stays open without work: ``KOPLOPERMONITOR_CHART_IDLE`` (0: close it
    after every drawing and start nothing ahead), else ``IDLE_SECONDS``."""
    setting = os.environ.get(IDLE_SETTING, "").strip()
    if not setting:
        return IDLE_SECONDS
    try:
        seconds = float(setting)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        LOG.warning(
            "%s=%r is not a number of seconds; using %s", IDLE_SETTING, setting, IDLE_SECONDS
        )
        return IDLE_SECONDS
    return seconds


def _options(chart: Any) -> dict:
    height = getattr(getattr(chart, "layout", None), "height", None) or CHART_HEIGHT
    return {"format": "png", "width": CHART_WIDTH, "height": height, "scale": CHART_SCALE}


def _serialised(chart: Any, options: dict) -> tuple[dict, str]:
    """The figure as plotly serialises it, once: what kaleido draws, and the key of its image
    (with the size), so the image kept is always that of the key."""
    import plotly.io as pio

    figure = pio.to_json(chart, validate=False, engine="json")
    text = figure + json.dumps(options, sort_keys=True)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()
    return json.loads(figure), digest


def _alive(browser: Any) -> bool:
    process = getattr(browser, "subprocess", None)
    return process is not None and process.poll() is None


async def _shut(browser: Any) -> None:
    """Close ``browser``; kill its process when it does not close within ``CLOSE_TIMEOUT``."""
    try:
        await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
    except Exception:  # hung or half-open: make sure no Chromium is left running
        process = getattr(browser, "subprocess", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(Exception):
                process.kill()


async def _died(browser: Any, seconds: float = 2.0) -> bool:
    """Whether Chromium has stopped, or stops within ``seconds`` (it may still be exiting)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while _alive(browser):
        if loop.time() >= end:
            return False
        await asyncio.sleep(0.05)
    return True


def no_charts_reason(path: str, reason: str, started: bool) -> str:
    """The Dutch message of :class:`ChartsUnavailable`."""
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


def _reason(problem: BaseException) -> str:
    if isinstance(problem, TimeoutError | asyncio.TimeoutError):
        return "het duurde te lang"
    text = str(problem).strip()
    return text.splitlines()[0][:300] if text else type(problem).__name__


class Painter:
    """One Chromium with kaleido's pages, kept open between charts, on an event loop of its own.

    Thread-safe: any thread may call :meth:`start`, :meth:`submit` and :meth:`close`. The browser
    itself is only touched on the painter's loop.
    """

    def __init__(self, path: str, idle: float | None = None) -> None:
        self.path = path
        self.idle_seconds = idle_seconds() if idle is None else idle
        self.launches = 0
        """How many times Chromium was started (for tests and the benchmark)."""
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        # Only on the loop:
        self._browser: Any = None
        self._opening: asyncio.Lock | None = None
        self._busy = 0
        self._last_used = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None
        self._closing: set[asyncio.Task] = set()

    # --- from any thread ---------------------------------------------------------------------

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._thread is None or not self._thread.is_alive():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="koplopermonitor-charts", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def start(self) -> Future:
        """Start Chromium now (if it is not open yet), without waiting for it."""
        return asyncio.run_coroutine_threadsafe(self._open_browser(), self._running_loop())

    def submit(self, chart: Any, options: dict) -> Future:
        """Draw one chart; the future holds its PNG bytes."""
        return asyncio.run_coroutine_threadsafe(self._draw(chart, options), self._running_loop())

    def is_open(self) -> bool:
        """Whether Chromium is running for this painter."""
        loop = self._loop
        if loop is None:
            return False

        async def check() -> bool:
            return self._browser is not None and _alive(self._browser)

        return asyncio.run_coroutine_threadsafe(check(), loop).result(timeout=10)

    def close(self) -> None:
        """Close the browser and stop the loop (at exit, and in tests)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None or not thread.is_alive():
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._close_browser(), loop).result(
                timeout=2 * CLOSE_TIMEOUT + 5
            )
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)

    # --- on the loop -------------------------------------------------------------------------

    async def _open_browser(self) -> Any:
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            browser = self._browser
            if browser is not None and not _alive(browser):
                LOG.warning("Chromium for the charts stopped; starting it again")
                self._browser = None
                await _shut(browser)
            if self._browser is None:
                import kaleido

                browser = kaleido.Kaleido(
                    n=TABS, path=self.path, mathjax=False, timeout=CHART_TIMEOUT
                )
                try:
                    await asyncio.wait_for(browser.open(), START_TIMEOUT)
                except BaseException:
                    await _shut(browser)
                    raise
                self._browser = browser
                self.launches += 1
            self._touch()
            return self._browser

    async def _draw(self, chart: Any, options: dict) -> bytes:
        self._busy += 1
        try:
            for attempt in (1, 2):
                browser = await self._open_browser()
                # A task of its own: when Chromium dies, kaleido cancels the tasks drawing in it
                # (this inner one), not this chart's task, which may then try once more.
                inner = asyncio.ensure_future(browser.calc_fig(chart, opts=options))
                try:
                    return await inner
                except (Exception, asyncio.CancelledError):
                    task = asyncio.current_task()
                    if task is not None and task.cancelling():
                        raise  # the caller gave up on this chart
                    if attempt == 1 and await _died(browser):
                        continue  # Chromium died (under this chart, or while idle)
                    if _alive(browser):
                        # A chart that failed (one that timed out above all) may leave its page
                        # hung, and kaleido reloads that page for the next chart: the next
                        # chart gets a fresh Chromium rather than a page left in doubt.
                        self._discard(browser)
                    if inner.cancelled():
                        raise RuntimeError("Chromium stopte onverwacht") from None
                    raise
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            self._busy -= 1
            self._touch()

    def _discard(self, browser: Any) -> None:
        """Stop using ``browser`` now and close it in the background."""
        if self._browser is browser:
            self._browser = None
        task = asyncio.get_running_loop().create_task(_shut(browser))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def _touch(self) -> None:
        loop = asyncio.get_running_loop()
        self._last_used = loop.time()
        if self._idle_timer is None:
            self._idle_timer = loop.call_later(self.idle_seconds, self._when_idle)

    def _when_idle(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle_timer = None
        if self._browser is None:
            return
        left = self._last_used + self.idle_seconds - loop.time()
        if self._busy or left > 0:
            self._idle_timer = loop.call_later(max(left, 1.0), self._when_idle)
            return
        self._discard(self._browser)  # no chart can take it any more from here

    async def _close_browser(self) -> None:
        browser, self._browser = self._browser, None
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        if browser is not None:
            await _shut(browser)
        if self._closing:
            await asyncio.wait(set(self._closing), timeout=CLOSE_TIMEOUT)


_PAINTERS: dict[str, Painter] = {}
_PAINTERS_LOCK = threading.Lock()
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def painter(path: str | None = None) -> Painter:
    """The one painter of this browser path in this process."""
    path = path or browser_path()
    with _PAINTERS_LOCK:
        if not _PAINTERS:
            atexit.register(close_all)
        if path not in _PAINTERS:
            _PAINTERS[path] = Painter(path)
        return _PAINTERS[path]


def close_all() -> None:
    """Close every painter's browser (registered to run at exit)."""
    with _PAINTERS_LOCK:
        painters = list(_PAINTERS.values())
        _PAINTERS.clear()
    for each in painters:
        each.close()


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def _cached(digest: str) -> bytes | None:
    with _CACHE_LOCK:
        image = _CACHE.get(digest)
        if image is not None:
            _CACHE.move_to_end(digest)
        return image


def _keep(digest: str, image: bytes) -> None:
    with _CACHE_LOCK:
        _CACHE[digest] = image
        _CACHE.move_to_end(digest)
        while sum(len(kept) for kept in _CACHE.values()) > CACHE_BYTES and len(_CACHE) > 1:
            _CACHE.popitem(last=False)


def warm_up(browser: str | None = None) -> bool:
    """Start Chromium in the background for charts to come; never waits, never raises.

    Returns whether it was started (not without a browser, nor when it is set to close at once).
    """
    path = browser or browser_path()
    if not os.path.isfile(path) or idle_seconds() == 0:
        return False
    future = painter(path).start()
    future.add_done_callback(_log_failed_start)
    return True


def _log_failed_start(future: Future) -> None:
    problem = future.exception()
    if problem is not None:
        LOG.warning("Chromium for the charts did not start: %s", _reason(problem))


class Drawing:
    """Charts being drawn in the painter: take each image with :meth:`image` (waits for it)."""

    def __init__(self, path: str, futures: Mapping[Hashable, Future], started: Future | None):
        self.path = path
        self.futures = dict(futures)
        self._started = started
        self._taken: set[Hashable] = set()

    def __len__(self) -> int:
        return len(self.futures)

    def _unavailable(self, problem: BaseException) -> ChartsUnavailable:
        started = self._started is None or (
            self._started.done() and self._started.exception() is None
        )
        return ChartsUnavailable(no_charts_reason(self.path, _reason(problem), started))

    def image(self, key: Hashable) -> bytes:
        """The PNG of one chart. Raises :class:`ChartsUnavailable` (in Dutch) when it fails."""
        try:
            return self.futures[key].result(timeout=START_TIMEOUT + CHART_TIMEOUT)
        except Exception as problem:  # whatever stopped Chromium or kaleido
            self.cancel()
            raise self._unavailable(problem) from problem

    def all(self, progress: Callable[[int, int], None] | None = None) -> dict[Hashable, bytes]:
        """Every image, ``progress(done, total)`` after each (in the calling thread)."""
        keys = {future: key for key, future in self.futures.items()}
        done = 0
        try:
            for future in as_completed(keys, timeout=START_TIMEOUT + CHART_TIMEOUT * len(keys)):
                future.result()
                done += 1
                if progress is not None:
                    progress(done, len(keys))
        except Exception as problem:
            self.cancel()
            raise self._unavailable(problem) from problem
        return {key: future.result() for key, future in self.futures.items()}

    def cancel(self) -> None:
        for future in self.futures.values():
            future.cancel()


def draw_charts(charts: Mapping[Hashable, Any], browser: str | None = None) -> Drawing:
    """Start drawing every chart (in order) and return at once.

    Raises :class:`ChartsUnavailable` at once when there is no Chromium at the browser path.
    """
    path = browser or browser_path()
    if charts and not os.path.isfile(path):
        raise ChartsUnavailable(no_charts_reason(path, "het programma is niet gevonden", False))
    futures: dict[Hashable, Future] = {}
    started: Future | None = None
    for key, chart in charts.items():
        options = _options(chart)
        figure, digest = _serialised(chart, options)
        image = _cached(digest)
        if image is not None:
            futures[key] = Future()
            futures[key].set_result(image)
            continue
        if started is None:
            started = painter(path).start()
        future = painter(path).submit(figure, options)
        future.add_done_callback(
            lambda done, digest=digest: (
                _keep(digest, done.result())
                if not done.cancelled() and done.exception() is None
                else None
            )
        )
        futures[key] = future
    return Drawing(path, futures, started)


def render_charts(
    charts: Mapping[Hashable, Any],
    browser: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[Hashable, bytes]:
    """Every chart as PNG bytes; ``progress(done, total)`` after each.

    Raises :class:`ChartsUnavailable` (in Dutch) when Chromium is missing or does not start, or a
    chart cannot be drawn.
    """
    if not charts:
        return {}
    return draw_charts(charts, browser).all(progress)


__all__ = [
    "CHART_HEIGHT",
    "CHART_SCALE",
    "CHART_WIDTH",
    "ChartsUnavailable",
    "Drawing",
    "Painter",
    "browser_path",
    "clear_cache",
    "close_all",
    "draw_charts",
    "painter",
    "render_charts",
    "warm_up",
]
