"""Invitation letters for a mailing house: the codes read in ``db`` (access checked there), the
letters written by ``reports.letters``, the printing noted in the Logboek in the caller's
transaction.

``python -m db letters`` (``db.letter_commands``) and the page Uitnodigingen call
:func:`letters_pdf`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from db.access import Viewer
from db.contacts import koploper_contact
from db.invitations import code_rows, mark_printed
from db.questionnaires import latest_version
from db.waves import find_wave
from reports.letters import Letter, LettersError, Mailing
from reports.letters import letters_pdf as write_letters
from reports.report import PdfUnavailable

__all__ = ["LettersError", "PdfUnavailable", "letters_pdf"]

Progress = Callable[[int, int], None]
"""``progress(done, total)``: letters made so far."""


def letters_pdf(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wave: str,
    survey: str,
    *,
    reminder: bool = False,
    base: str,
    progress: Progress | None = None,
) -> bytes:
    """One A4 letter per code of the batches not withdrawn (``reminder``: per code not used
    yet, with the reminder's text), as one tagged PDF with links on ``base``
    (``surveys.links.public_base``); the printing is noted on the batches and in the Logboek,
    with the count, when the PDF is made (the caller commits). Raises ``LettersError`` (Dutch)
    when there is no code to print."""
    rows = code_rows(session, viewer, koploper, wave, survey, unused=reminder)
    if not rows:
        raise LettersError(
            "Alle codes zijn al gebruikt: er zijn geen herinneringen te maken."
            if reminder and code_rows(session, viewer, koploper, wave, survey)
            else "Er zijn nog geen codes voor deze meting en vragenlijst. Maak eerst codes."
        )
    found = find_wave(session, koploper, wave)
    contact = koploper_contact(session, found.koploper.slug)
    version = latest_version(session, survey)
    minutes = version.definition.get("minutes") if version is not None else None
    mailing = Mailing(
        survey=survey,
        koploper=contact.slug,
        koploper_name=contact.name,
        koploper_kind=contact.kind,
        contact=contact.contact,
        closing=found.fieldwork_end,
        base=base,
        minutes=minutes if isinstance(minutes, int) else None,
        reminder=reminder,
    )
    letters = [
        Letter(row.letter_number, row.code, row.language, row.panel, row.earlier_letter)
        for row in rows
    ]
    pdf = write_letters(mailing, letters, progress=progress)
    mark_printed(
        session, viewer, contact.slug, found.code, survey, reminder=reminder, count=len(rows)
    )
    return pdf
