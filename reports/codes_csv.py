"""The mailing house's file of invitation codes: letter number, code and personal link.

Columns ``briefnummer``, ``code`` (as printed, ``K7QM-2XPD``) and ``link`` (the personal link the
QR code holds, ``surveys.links.code_link``), for Dutch Excel: ';' separated, UTF-8 with a byte
order mark, CRLF line ends, every text through ``surveys.spreadsheet.formula_safe``
(``surveys.spreadsheet.dutch_csv``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from surveys.codes import printed
from surveys.links import code_link
from surveys.spreadsheet import dutch_csv

COLUMNS = ("briefnummer", "code", "link")


def codes_csv(letters: Iterable[tuple[int, str]], base: str) -> bytes:
    """CSV bytes for ``(letter number, normalised code)`` pairs, in the order given."""
    numbers, codes = [], []
    for number, code in letters:
        numbers.append(int(number))
        codes.append(code)
    frame = pd.DataFrame(
        {
            "briefnummer": pd.Series(numbers, dtype="int64"),
            "code": [printed(code) for code in codes],
            "link": [code_link(base, code) for code in codes],
        },
        columns=list(COLUMNS),
    )
    return dutch_csv(frame)


def file_name(koploper: str, wave: str, survey: str, unused: bool) -> str:
    """E.g. ``codes-tilburg-T2-client.csv``, ``codes-tilburg-T2-client-ongebruikt.csv``."""
    return f"codes-{koploper}-{wave}-{survey}{'-ongebruikt' if unused else ''}.csv"
