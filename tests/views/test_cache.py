"""The one cache (``views.cache``): served only for its data version and indicator set, the
place's other versions dropped when its responses change, bounded in bytes."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from measures.indicators import load_indicators
from views.cache import RESPONSES, ViewCache, size_of

PLACE = ("sqlite:///a.db", True, 1)
OTHER_PLACE = ("sqlite:///b.db", True, 1)
V1, V2 = (1, 1, 1, 0, 10), (2, 2, 2, 0, 20)
MB = 2**20


def block(megabytes: int) -> np.ndarray:
    return np.zeros(megabytes * MB, dtype=np.uint8)


def test_an_entry_is_served_only_for_its_data_version_and_indicator_set():
    cache, indicators = ViewCache(), load_indicators()
    cache.put((PLACE, RESPONSES), V1, indicators, "read")
    cache.put((PLACE, "counts", "viewer a", "tilburg", None), V1, indicators, "tables")
    assert cache.get((PLACE, "counts", "viewer a", "tilburg", None), V1, indicators) == "tables"
    assert cache.get((PLACE, "counts", "viewer a", "tilburg", None), V2, indicators) is None
    assert cache.get((PLACE, "counts", "viewer b", "tilburg", None), V1, indicators) is None
    other = copy.deepcopy(indicators)  # the same contents, another set
    assert cache.get((PLACE, "counts", "viewer a", "tilburg", None), V1, other) is None
    assert cache.latest((PLACE, RESPONSES), indicators) == "read"
    assert cache.latest((PLACE, RESPONSES), other) is None


def test_new_responses_drop_what_was_kept_for_the_older_version_of_that_place_only():
    cache, indicators = ViewCache(), load_indicators()
    for place in (PLACE, OTHER_PLACE):
        cache.put((place, RESPONSES), V1, indicators, "read")
        cache.put((place, "figures", "viewer a"), V1, indicators, "figures")
    cache.put((PLACE, RESPONSES), V2, indicators, "read again")
    assert cache.get((PLACE, "figures", "viewer a"), V1, indicators) is None
    assert cache.get((OTHER_PLACE, "figures", "viewer a"), V1, indicators) == "figures"
    assert cache.get((PLACE, RESPONSES), V2, indicators) == "read again"
    assert cache.count("figures") == 1


def test_get_or_make_serves_what_is_kept_or_keeps_what_it_makes_under_its_version():
    cache, indicators = ViewCache(), load_indicators()
    made = []

    def make():
        made.append(1)
        return V2, "figures"  # responses came in since the caller read V1

    cache.put((PLACE, RESPONSES), V2, indicators, "read")
    key = (PLACE, "figures", "viewer a")
    assert cache.get_or_make(key, V1, indicators, make) == "figures"
    assert cache.get(key, V2, indicators) == "figures" and cache.get(key, V1, indicators) is None
    assert cache.get_or_make(key, V2, indicators, make) == "figures"
    assert made == [1]  # the second time it was kept


def test_what_was_counted_from_responses_no_longer_kept_is_not_kept():
    """A background thread that finishes counting after a newer read keeps nothing."""
    cache, indicators = ViewCache(), load_indicators()
    cache.put((PLACE, "counts", "viewer a"), V1, indicators, "no responses kept at all")
    cache.put((PLACE, RESPONSES), V2, indicators, "read")
    cache.put((PLACE, "counts", "viewer a"), V1, indicators, "of the older read")
    assert cache.count("counts") == 0
    cache.put((PLACE, "counts", "viewer a"), V2, indicators, "of this read")
    assert cache.get((PLACE, "counts", "viewer a"), V2, indicators) == "of this read"


def test_beyond_its_budget_the_least_recently_used_go_first_and_the_newest_always_stays():
    cache, indicators = ViewCache(budget=10 * MB), load_indicators()
    cache.put((PLACE, RESPONSES), V1, indicators, block(4))
    cache.put((PLACE, "figures", "a"), V1, indicators, block(3))
    cache.put((PLACE, "figures", "b"), V1, indicators, block(2))
    assert cache.get((PLACE, "figures", "a"), V1, indicators) is not None
    cache.put((PLACE, "figures", "c"), V1, indicators, block(3))
    assert cache.get((PLACE, "figures", "b"), V1, indicators) is None  # least recently used
    assert cache.get((PLACE, RESPONSES), V1, indicators) is not None  # older, but responses
    assert cache.get((PLACE, "figures", "a"), V1, indicators) is not None
    assert cache.bytes <= 10 * MB
    cache.put((PLACE, RESPONSES), V1, indicators, block(12))  # larger than the whole budget
    assert cache.get((PLACE, RESPONSES), V1, indicators) is not None
    assert cache.count("figures") == 0 and cache.bytes == 12 * MB


def test_sizes_count_arrays_and_frames_with_their_contents_and_shared_parts_once():
    column = np.zeros(1000, dtype=np.float64)
    frame = pd.DataFrame({"x": column, "text": ["een zin van enige lengte"] * 1000})
    assert size_of(column) == 8000
    assert size_of(frame) > 8000 + 1000 * len("een zin van enige lengte")
    assert size_of({"a": column, "b": column}) < 2 * 8000
    assert size_of(load_indicators()) == 0  # the process holds the set anyway
