"""Small numbers: which figures may be shown, with which flag, and why not.

Below ``min_n`` (10) respondents in the base no estimate, interval or test leaves the engine, only
the reason; below ``indicative_n`` (30) the figure carries the flag "indicatief". Subgroup tables
get complementary suppression: a cell is also withheld when the total and the other cells would let
someone work a withheld cell out by subtraction.

What a published table (dashboard, report, downloads, Vergelijken, the export's figures) shows
for a count is one rule, :func:`shown_counts`: below ``min_n`` not even how many there were. The
engine's own tables (``python -m measures``) keep the count, for analysts who hold the data.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from measures.indicators import Settings
from measures.tabulate import key_codes
from surveys.numbers import whole
from surveys.vocabulary import (
    INDICATIVE,
    INDICATIVE_REASON,
    NO_ANSWERS,
    NO_VALID_ANSWERS,
    SUPPRESSED,
    TOO_FEW,
    TOO_FEW_HIDDEN,
    fewer_than,
)

ObjectArray = NDArray[np.object_]


def _fill(template: str, **values: object) -> object:
    """``template`` with its ``{name}`` fields filled per row: a field's value is one text or an
    array of texts (the result is then an array)."""
    pieces = re.split(r"\{(\w+)\}", template)
    text: object = pieces[0]
    for name, after in zip(pieces[1::2], pieces[2::2], strict=True):
        value = values[name]
        text = text + (value if isinstance(value, np.ndarray) else str(value)) + after
    return text


def shown_counts(n: ArrayLike, settings: Settings) -> NDArray[np.float64]:
    """The counts as a published table shows them: 1 to ``min_n`` − 1 becomes empty (NaN), so
    not even how many there were is shown; 0 stays 0 (nobody to recognise)."""
    n = np.asarray(n, dtype=float)
    return np.where((n > 0) & (n < settings.min_n), np.nan, n)


def shown_count_columns(
    table: pd.DataFrame, columns: list[str], settings: Settings
) -> pd.DataFrame:
    """``table`` (a copy) with its count ``columns`` as :func:`shown_counts` leaves them."""
    return table.assign(**{column: shown_counts(table[column], settings) for column in columns})


def count_text(n: object, settings: Settings) -> str:
    """One count as a published table writes it: '146', '1.204', or 'minder dan 10' for a count
    :func:`shown_counts` withholds (or already withheld: empty)."""
    shown = np.nan if n is None or pd.isna(n) else float(shown_counts(n, settings))  # type: ignore[arg-type]
    return fewer_than(settings.min_n) if np.isnan(shown) else whole(shown)


def flags(n: ArrayLike, settings: Settings) -> ObjectArray:
    """'' , 'indicatief' or 'onderdrukt' for each (smallest) base size."""
    n = np.asarray(n, dtype=float)
    n = np.where(np.isnan(n), 0, n)
    return np.select(
        [n < settings.min_n, n < settings.indicative_n], [SUPPRESSED, INDICATIVE], ""
    ).astype(object)


def reasons(
    n: ArrayLike,
    n_dont_know: ArrayLike,
    settings: Settings,
    where: ArrayLike | str = "",
    hide_counts: bool = False,
) -> ObjectArray:
    """Why a figure is withheld or indicative, in Dutch; '' when it is shown without reservation.

    ``where`` names the group the smallest base belongs to ("bij T0"), per row or for all rows.
    A withheld figure's reason says its count ("n = 8, minimaal 10"); with ``hide_counts`` (a
    published table) only what :func:`shown_counts` leaves of it ("minder dan 10").
    """
    n = np.nan_to_num(np.asarray(n, dtype=float))
    dont_know = np.nan_to_num(np.asarray(n_dont_know, dtype=float))
    where = np.broadcast_to(np.asarray(where, dtype=object), n.shape)
    suffix = np.where(where == "", "", " " + where.astype(str))
    count = n.astype(np.int64).astype(str)
    nothing = np.where(
        dont_know > 0, _fill(NO_VALID_ANSWERS, where=suffix), _fill(NO_ANSWERS, where=suffix)
    )
    hidden = np.isnan(shown_counts(n, settings)) if hide_counts else np.zeros(n.shape, dtype=bool)
    too_few = np.where(
        hidden,
        _fill(TOO_FEW_HIDDEN, where=suffix, min_n=settings.min_n),
        _fill(TOO_FEW, where=suffix, n=count, min_n=settings.min_n),
    )
    indicative = _fill(INDICATIVE_REASON, indicative_n=settings.indicative_n, where=suffix, n=count)
    return np.select(
        [n == 0, n < settings.min_n, n < settings.indicative_n], [nothing, too_few, indicative], ""
    ).astype(object)


def blank(table: pd.DataFrame, columns: list[str], mask: ArrayLike) -> pd.DataFrame:
    """Empty the figure columns where ``mask`` holds (a copy)."""
    mask = np.asarray(mask, dtype=bool)
    emptied = {
        column: np.where(mask, np.nan, table[column].to_numpy(dtype=float))
        for column in columns
        if column in table
    }
    return table.assign(**emptied)


def complement_of_partition(
    table: pd.DataFrame, partition: list[str], settings: Settings
) -> NDArray[np.bool_]:
    """Cells to withhold besides the small ones, when the cells of ``partition`` add up to a total.

    If exactly one cell with respondents is withheld, total minus the others gives it away: then the
    smallest shown cell with respondents is withheld too.
    """
    n = table["n"].to_numpy(dtype=float)
    small = (n > 0) & (n < settings.min_n)
    extra = np.zeros(len(table), dtype=bool)
    if not len(table):
        return extra
    (cell,) = key_codes([table], partition)
    lonely = np.bincount(cell, weights=small)[cell] == 1
    candidates = np.flatnonzero(lonely & ~small & (n > 0))
    # per partition the smallest candidate (the first of equals)
    by_size = candidates[np.argsort(n[candidates], kind="stable")]
    extra[by_size[np.unique(cell[by_size], return_index=True)[1]]] = True
    return extra


def complement_of_overlapping(
    n: ArrayLike, total_n: ArrayLike, settings: Settings
) -> NDArray[np.bool_]:
    """Overlapping groups (multiple choice): withhold a cell when the rest of the total is small.

    Shown next to the total, a cell otherwise reveals the figure of the few who are not in it.
    """
    rest = np.nan_to_num(np.asarray(total_n, dtype=float)) - np.asarray(n, dtype=float)
    return (rest > 0) & (rest < settings.min_n)
