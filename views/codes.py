"""Invitation codes as a file for the mailing house: read in ``db`` (access checked there),
written by ``reports.codes_csv``, logged in the Logboek in the caller's transaction.

``python -m db codes export`` and the page Uitnodigingen call :func:`codes_file`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.access import Viewer
from db.invitations import code_rows, mark_exported
from reports.codes_csv import codes_csv, file_name


@dataclass(frozen=True)
class CodesFile:
    data: bytes
    count: int
    """How many codes (rows) it holds."""
    file_name: str


def codes_file(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wave: str,
    survey: str,
    *,
    base: str,
    unused: bool = False,
) -> CodesFile:
    """The CSV of the codes of the batches not withdrawn (``unused``: only codes not used yet),
    with links on ``base`` (``surveys.links.public_base``); one Logboek line, with the count."""
    rows = code_rows(session, viewer, koploper, wave, survey, unused=unused)
    data = codes_csv(((row.letter_number, row.code, row.earlier_letter) for row in rows), base)
    slug, code = koploper.strip().lower(), wave.strip().upper()
    mark_exported(session, viewer, slug, code, survey, count=len(rows), unused=unused)
    return CodesFile(data, len(rows), file_name(slug, code, survey, unused))
