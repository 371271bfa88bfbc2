"""One background thread for work a page need not wait for.

A caller hands a piece of work to :meth:`Worker.submit` and goes on; one daemon thread does the
pieces one at a time, in the order they came. A piece that is still waiting or running under the
same key is not queued again: the caller gets the same :class:`concurrent.futures.Future`. A piece
that fails is logged, its future holds the error, and the thread goes on with the next one: the
app never notices. Of the database it knows only its errors, logged without the values
they quote (``db.errors``); nothing here knows Streamlit.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from concurrent.futures import wait as wait_for

from db.errors import SQLAlchemyError, log_error

LOG = logging.getLogger(__name__)


class Worker:
    """A queue and the one thread that works through it (started at the first piece, and again
    should it ever have stopped)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.SimpleQueue[tuple[Hashable, str, Callable[[], object], Future]] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._waiting: dict[Hashable, Future] = {}
        self._thread: threading.Thread | None = None

    def submit(self, key: Hashable, work: Callable[[], object], label: str = "") -> Future:
        """Queue ``work`` unless a piece with ``key`` is still waiting or running; the future
        of the piece that will do it. ``label`` names the piece in the log (the key may hold
        what a log should not)."""
        with self._lock:
            future = self._waiting.get(key)
            if future is not None:
                return future
            future = Future()
            self._waiting[key] = future
            self._queue.put((key, label, work, future))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        return future

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every piece queued so far is done; False when ``timeout`` (seconds) ran
        out first. For tests and benchmarks: a page never waits."""
        with self._lock:
            futures = list(self._waiting.values())
        return not wait_for(futures, timeout).not_done

    def _run(self) -> None:
        while True:
            key, label, work, future = self._queue.get()
            result: object = None
            error: Exception | None = None
            running = future.set_running_or_notify_cancel()
            if running:
                try:
                    result = work()
                except SQLAlchemyError as failed:  # logged without what the database quotes
                    LOG.error("%s: %s failed", self.name, label or "work")
                    log_error(failed)
                    error = failed
                except Exception as failed:
                    LOG.exception("%s: %s failed", self.name, label or "work")
                    error = failed
            # The key is free and the work let go before the future is settled: whoever sees
            # the piece done can queue it again and gets a new future.
            with self._lock:
                self._waiting.pop(key, None)
            del work
            if running:
                if error is None:
                    future.set_result(result)
                else:
                    future.set_exception(error)
            del future, result, error  # held no longer than the piece: it may hold much
