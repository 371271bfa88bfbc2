"""The background worker: one thread, one piece at a time, a failure logged and passed over."""

from __future__ import annotations

import logging
import threading

import pytest

from views.background import Worker


@pytest.fixture
def worker():
    worker = Worker("test-worker")
    yield worker
    assert worker.wait(timeout=30)


def blocked(worker: Worker) -> threading.Event:
    """Hold the worker's thread until the event is set: what is queued meanwhile waits."""
    release = threading.Event()
    worker.submit(("block", id(release)), lambda: release.wait(timeout=30))
    return release


def test_work_runs_in_one_thread_in_the_order_it_came(worker):
    release = blocked(worker)
    done: list[tuple[int, str]] = []
    futures = [
        worker.submit(n, lambda n=n: done.append((n, threading.current_thread().name)))
        for n in range(4)
    ]
    assert not any(f.done() for f in futures)
    release.set()
    assert worker.wait(timeout=30)
    assert done == [(n, "test-worker") for n in range(4)]
    assert threading.current_thread().name != "test-worker"


def test_a_piece_waiting_under_the_same_key_is_not_queued_again(worker):
    release = blocked(worker)
    runs = []
    first = worker.submit("same", lambda: runs.append(1) or len(runs))
    again = worker.submit("same", lambda: runs.append(2) or len(runs))
    assert again is first
    release.set()
    assert first.result(timeout=30) == 1 and runs == [1]
    later = worker.submit("same", lambda: runs.append(3) or len(runs))  # the first is done
    assert later is not first and later.result(timeout=30) == 2


def test_a_failing_piece_is_logged_and_the_next_one_still_runs(worker, caplog):
    def failing():
        raise RuntimeError("kapot")

    with caplog.at_level(logging.ERROR, logger="views.background"):
        failed = worker.submit("failing", failing, label="the failing piece")
        after = worker.submit("after", lambda: "gedaan")
        assert after.result(timeout=30) == "gedaan"
    assert isinstance(failed.exception(), RuntimeError)
    assert [r.getMessage() for r in caplog.records] == ["test-worker: the failing piece failed"]
    assert "kapot" in caplog.text  # the traceback is in the log


def test_wait_says_when_the_time_ran_out(worker):
    release = blocked(worker)
    assert worker.wait(timeout=0.01) is False
    release.set()
    assert worker.wait(timeout=30) is True
