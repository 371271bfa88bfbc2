"""The own content of each letter's page: the texts with its code and letter number, and its
QR code, that go between the pieces of its register's page; made in worker processes when there
are many.

Making a QR code is the slow part of a letter (a few milliseconds, :mod:`reports.letter_qr`), so
from some thousands of letters on the pages are made in chunks by one process per CPU, handed
back in order. Everything a worker needs travels with its chunk: the pieces of each template
page and the glyph of every character.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from reports.letter_qr import qr_matrix, qr_path, qr_size
from reports.pdf_pages import glyph_array, stream

CODE, NUMBER, QR = "code", "number", "qr"
"""The three holes of a letter's page."""
CHUNK = 250
"""Letters per task of a worker process: few enough to report progress often."""
Job = tuple[int, str, str, str]
"""(template page, printed code, letter number, personal link) of one letter."""


@dataclass(frozen=True)
class Hole:
    """Where a template page gets a letter's own part: a whole text (``[…] TJ``) with the code
    or the number between the glyphs ``before`` and ``after`` it, or the QR code's path."""

    what: str
    before: bytes = b""
    after: bytes = b""


@dataclass(frozen=True)
class PageParts:
    """A template page's content stream cut at its holes: ``pieces[0]``, ``holes[0]``,
    ``pieces[1]``, …; and the glyph id of each character of a code and of a number."""

    pieces: tuple[bytes, ...]
    holes: tuple[Hole, ...]
    code_glyphs: dict[str, str]
    digit_glyphs: dict[str, str]


def _streams(parts: PageParts, code: str, number: str, link: str, units: int) -> list[bytes]:
    """The page's own streams, one per hole (a text small and plain, the QR code compressed)."""
    matrix = qr_matrix(link)
    if qr_size(matrix) != units:
        raise ValueError("a personal link needs a larger QR code than the first one")
    glyphs = {
        CODE: glyph_array([parts.code_glyphs[c] for c in code]),
        NUMBER: glyph_array([parts.digit_glyphs[c] for c in number]),
    }
    own = []
    for hole in parts.holes:
        if hole.what == QR:
            own.append(stream(qr_path(matrix)))
        else:
            text = b"[%s%s%s] TJ\n" % (hole.before, glyphs[hole.what], hole.after)
            own.append(stream(text, compress=False))
    return own


def _chunk(parts: Sequence[PageParts], jobs: Sequence[Job], units: int) -> list[list[bytes]]:
    return [_streams(parts[page], code, number, link, units) for page, code, number, link in jobs]


def page_streams(
    parts: Sequence[PageParts],
    jobs: Sequence[Job],
    units: int,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[bytes]]:
    """The own streams of every letter's page, in the order of ``jobs``."""
    total = len(jobs)
    chunks = [jobs[at : at + CHUNK] for at in range(0, total, CHUNK)]
    streams: list[list[bytes]] = []

    def done(made: list[list[bytes]]) -> None:
        streams.extend(made)
        if progress is not None:
            progress(len(streams), total)

    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            done(_chunk(parts, chunk, units))
        return streams
    # "spawn": a fresh interpreter, safe beside the threads of a web server
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for made in pool.map(_chunk, [parts] * len(chunks), chunks, [units] * len(chunks)):
            done(made)
    return streams
