"""The mailing house's file of invitation codes: letter number, code and personal link.

Columns ``briefnummer``, ``briefnummer_vorige_meting`` (for a panel's follow-up code: the letter
number the same person had at the earlier wave, so the mailing house sends the letter to them;
empty for every other code, the column always there so the file has one shape), ``code`` (as
printed, ``K7QM-2XPD``) and ``link`` (the personal link the QR code holds,
``surveys.links.code_link``), for Dutch Excel: ';' separated, UTF-8 with a byte
order mark, CRLF line ends, every text through ``surveys.spreadsheet.formula_safe``
(``surveys.spreadsheet.dutch_csv``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from surveys.codes import printed
from surveys.links import code_link
from surveys.spreadsheet import dutch_csv

COLUMNS = ("briefnummer", "briefnummer_vorige_meting", "code", "link")


def codes_csv(letters: Iterable[tuple[int, str, int | None]], base: str) -> bytes:
    """CSV bytes for ``(letter number, normalised code, earlier letter number or None)``, in
    the order given."""
    numbers, codes, earlier = [], [], []
    for number, code, before in letters:
        numbers.append(int(number))
        codes.append(code)
        earlier.append(None if before is None else int(before))
    frame = pd.DataFrame(
        {
            "briefnummer": pd.Series(numbers, dtype="int64"),
            "briefnummer_vorige_meting": pd.Series(earlier, dtype="Int64"),
            "code": [printed(code) for code in codes],
            "link": [code_link(base, code) for code in codes],
        },
        columns=list(COLUMNS),
    )
    return dutch_csv(frame)


def file_name(koploper: str, wave: str, survey: str, unused: bool) -> str:
    """E.g. ``codes-tilburg-T2-client.csv``, ``codes-tilburg-T2-client-ongebruikt.csv``."""
    return f"codes-{koploper}-{wave}-{survey}{'-ongebruikt' if unused else ''}.csv"
