"""The one cache of what viewers see: kept in this process, bounded in bytes.

What is kept, each under the data version it was made for (``db.read_model.data_version``) and
the indicator set it was counted with, per *place*: the database (its address), the demo choice
and the indicator set (:data:`Place`):

- ``responses``: every response as read and scored (``views.responses``), shared by every
  viewer: it names no koploper and leaves ``views`` only as counts;
- ``counts``: the count tables of one koploper, subgroup and viewer (``views.dashboard``; the
  background thread fills them for every subgroup after a first view);
- ``figures``: the figures of one view of "Mijn koploper" (koploper, subgroup, category, pair
  of waves) for one viewer;
- ``comparison``: Vergelijken for one viewer (``views.compare``).

Anything per viewer is keyed on the whole viewer (``db.access.viewer_key``) and never served to
another. An entry is served only for the very data version and indicator set it was made for;
storing an entry of a newer data version drops the place's entries of every other version at
once. The responses of a place set its data version: the rest is kept only for theirs. After new
responses only those are read and added to the last read (``views.responses``), which stays until
the new read replaces it. Beyond :data:`BUDGET` bytes (``KOPLOPERMONITOR_CACHE_MB``, default
1024) the least recently used entries go first, a place's responses last; the entry just stored
always stays, however large.

No page-level cache sits on top of this one: pages call ``views`` once per view.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields, is_dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from db.read_model import DataVersion
from measures.indicators import IndicatorSet, QuestionnaireIndicators

BUDGET = int(os.environ.get("KOPLOPERMONITOR_CACHE_MB", "1024")) * 2**20
"""Bytes the cache may hold (as :func:`size_of` estimates them)."""
DEEP_ROWS = 10_000

Place = tuple[str, bool, int]
"""Where what is kept comes from: the database (its address), the demo choice and the indicator
set. The set is known by its identity (``id``); an entry holds the set itself and is only served
for that very set (``is``): while an entry lives its set cannot be freed, so no other set can be
handed the same ``id``. Identity rather than a hash of the set's contents: hashing every
definition on every view would cost more than the counting it spares, and ``load_indicators``
hands out one set per file anyway."""

T = TypeVar("T")

RESPONSES = "responses"
"""The kind of the entry that holds a place's responses (and so its data version)."""


def place_of(session: Session, include_demo: bool, indicators: IndicatorSet) -> Place:
    return (str(session.get_bind().engine.url), include_demo, id(indicators))


@dataclass(frozen=True)
class _Entry:
    version: DataVersion
    indicators: IndicatorSet
    value: object
    size: int


def size_of(value: object, seen: set[int] | None = None) -> int:
    """Bytes held by ``value``, roughly: arrays and frames with their contents, dataclasses and
    containers with theirs; what two parts share is counted once, and the indicator set (held
    by the process anyway) not at all. The texts of a frame's
    columns are counted in frames up to :data:`DEEP_ROWS` rows (tables of figures, with their
    sentences); in larger ones (the responses, whose texts are a few codes shared by every row)
    only the pointers, which is quick and about right."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, IndicatorSet | QuestionnaireIndicators):
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, pd.DataFrame | pd.Series):
        return int(np.sum(value.memory_usage(index=True, deep=len(value) <= DEEP_ROWS)))
    if isinstance(value, dict):
        return sum(size_of(k, seen) + size_of(v, seen) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(size_of(v, seen) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return sum(size_of(getattr(value, f.name), seen) for f in fields(value))
    return sys.getsizeof(value)


class ViewCache:
    """Entries by key (a tuple: place, kind, then whatever else tells them apart), least
    recently used first; one lock, held only to look up and to store (never while computing:
    two threads may compute one entry at once, and both are right)."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self._kept: OrderedDict[tuple, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, version: DataVersion, indicators: IndicatorSet) -> object | None:
        """What is kept under ``key`` for this very data version and indicator set, or None."""
        with self._lock:
            entry = self._kept.get(key)
            if entry is None or entry.version != version or entry.indicators is not indicators:
                return None
            self._kept.move_to_end(key)
            return entry.value

    def get_or_make(
        self,
        key: tuple,
        version: DataVersion,
        indicators: IndicatorSet,
        make: Callable[[], tuple[DataVersion, T]],
    ) -> T:
        """What is kept under ``key`` for this data version and indicator set, or else what
        ``make()`` returns (the data version it was made from, and the value), kept under that
        version (which may be newer than ``version``: responses came in since)."""
        kept = self.get(key, version, indicators)
        if kept is not None:
            return kept  # type: ignore[return-value]
        made, value = make()
        self.put(key, made, indicators, value)
        return value

    def latest(self, key: tuple, indicators: IndicatorSet) -> object | None:
        """What is kept under ``key`` whatever its data version (for the same indicator set):
        what a read of only the responses added since starts from."""
        with self._lock:
            entry = self._kept.get(key)
            return None if entry is None or entry.indicators is not indicators else entry.value

    def put(
        self, key: tuple, version: DataVersion, indicators: IndicatorSet, value: object
    ) -> None:
        """Keep ``value`` under ``key``: the place's entries of other data versions go, then the
        least recently used (responses last) until the cache fits its budget again (never this
        entry). Anything
        but responses is only kept for the data version of the place's responses: it was
        counted from them (a background thread may finish counting after a newer read)."""
        size = size_of(value)
        place = key[0]
        with self._lock:
            if key[1] != RESPONSES:
                responses = self._kept.get((place, RESPONSES))
                if responses is None or responses.version != version:
                    return  # counted from responses that are not the place's latest read
            stale = [k for k, e in self._kept.items() if k[0] == place and e.version != version]
            for old in [*stale, key]:
                self._drop(old)
            self._kept[key] = _Entry(version, indicators, value, size)
            self._bytes += size
            while self._bytes > self.budget and len(self._kept) > 1:
                self._drop(self._victim(key))

    def _victim(self, keep: tuple) -> tuple:
        """The least recently used entry other than ``keep``, responses last: every other entry
        is quicker to make again than a read of every response."""
        others = [k for k in self._kept if k != keep]
        return next((k for k in others if k[1] != RESPONSES), others[0])

    def _drop(self, key: Hashable) -> None:
        entry = self._kept.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def drop(self, kind: str) -> None:
        """Forget every entry of one kind (``responses``, ``counts``…): for tests and the
        benchmark, to time a read as right after new responses."""
        with self._lock:
            for key in [k for k in self._kept if k[1] == kind]:
                self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0

    def entries(self, kind: str) -> list[tuple[tuple, object]]:
        """(key, value) of every entry of one kind, whatever its version: for tests."""
        with self._lock:
            return [(k, e.value) for k, e in self._kept.items() if k[1] == kind]

    def count(self, kind: str) -> int:
        """How many entries of one kind are kept."""
        with self._lock:
            return sum(1 for k in self._kept if k[1] == kind)

    @property
    def bytes(self) -> int:
        return self._bytes


CACHE = ViewCache()
"""The process's one cache (Streamlit serves every session from one process)."""
