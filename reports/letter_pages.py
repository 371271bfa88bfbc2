"""The own content of each letter's page: the texts with its code and letter number, and its
QR code, that go between the pieces of its register's page.

Made in chunks, in this process, with the progress told after each chunk. (Worker processes were
tried: every worker starts a fresh interpreter that imports the calling program again, 250-400 MB
each; one process keeps 10,000 letters within the memory goal and within the time goal, see
bench/README.md.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reports.letter_qr import qr_matrix, qr_path, qr_size
from reports.pdf_pages import glyph_array, stream

CODE, NUMBER, QR, EARLIER = "code", "number", "qr", "earlier"
"""The holes of a letter's page (the earlier letter number: a panel follow-up's page only)."""
CHUNK = 250
"""Letters between two reports of progress."""
Job = tuple[int, str, str, str, str]
"""(template page, printed code, letter number, personal link, earlier letter number or "") of
one letter."""


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


def _streams(
    parts: PageParts, code: str, number: str, link: str, earlier: str, units: int
) -> list[bytes]:
    """The page's own streams, one per hole (a text small and plain, the QR code compressed)."""
    matrix = qr_matrix(link)
    if qr_size(matrix) != units:
        raise ValueError("a personal link needs a larger QR code than the first one")
    glyphs = {
        CODE: glyph_array([parts.code_glyphs[c] for c in code]),
        NUMBER: glyph_array([parts.digit_glyphs[c] for c in number]),
        EARLIER: glyph_array([parts.digit_glyphs[c] for c in earlier]),
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
    return [
        _streams(parts[page], code, number, link, earlier, units)
        for page, code, number, link, earlier in jobs
    ]


def page_streams(
    parts: Sequence[PageParts],
    jobs: Sequence[Job],
    units: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[bytes]]:
    """The own streams of every letter's page, in the order of ``jobs``."""
    total = len(jobs)
    streams: list[list[bytes]] = []
    for at in range(0, total, CHUNK):
        streams += _chunk(parts, jobs[at : at + CHUNK], units)
        if progress is not None:
            progress(len(streams), total)
    return streams
