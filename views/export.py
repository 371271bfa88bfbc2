"""One export for analysts: read what the viewer may export, write the file, log it.

:func:`export_file` reads the selection from the database (``db.export.read_export``: access is
checked there), writes one format (``reports.export_files``) and adds the line in the audit log
(``db.audit.record``) in the caller's transaction: the caller commits, and only then is the file
put in place (:func:`replacing`), so there is no export without its line and never a half-written
file under the name asked for. ``python -m db export`` and the page Exporteren call it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from db.access import Viewer
from db.audit import record
from db.export import (
    EmptyExport,
    UnknownWave,
    check_choice,
    count_responses,
    read_export,
    wave_codes,
)
from measures.indicators import IndicatorSet
from reports import export_files
from reports.export_files import (
    CSV_FORMATS,
    EXTENSIONS,
    FORMATS,
    MEDIA_TYPES,
    Progress,
    file_name,
)
from surveys.numbers import whole

__all__ = [
    "CSV_FORMATS",
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "EmptyExport",
    "UnknownWave",
    "Written",
    "count_responses",
    "describe_choice",
    "export_file",
    "file_name",
    "replacing",
    "wave_codes",
]


@dataclass(frozen=True)
class Written:
    """What an export wrote: how many responses, in which format."""

    format: str
    responses: int
    codebook: bool


def _quiet(_fraction: float, _text: str) -> None:
    """No progress to show."""


def describe_choice(koploper: str | None, wave: str | None, include_demo: bool) -> str:
    """The choice in words, for messages: 'van tilburg, meting T1, zonder demo-antwoorden'."""
    parts = [f"van {koploper}" if koploper else "van alle koplopers die u mag zien"]
    parts.append(f"meting {wave}" if wave else "alle metingen")
    parts.append("met demo-antwoorden" if include_demo else "zonder demo-antwoorden")
    return ", ".join(parts)


def _empty_message(
    session: Session, viewer: Viewer, koploper: str | None, wave: str | None, include_demo: bool
) -> str:
    """Why there is nothing to export, in Dutch, with what would help."""
    message = f"Er zijn geen antwoorden {describe_choice(koploper, wave, include_demo)}."
    if not include_demo and count_responses(session, viewer, koploper, wave, include_demo=True):
        message += " Er zijn wel demo-antwoorden: kies 'met demo-antwoorden' (--include-demo)."
    return message + " Er is geen bestand gemaakt."


def export_file(
    session: Session,
    viewer: Viewer,
    fmt: str,
    out: Path,
    codebook: Path | None = None,
    *,
    koploper: str | None = None,
    wave: str | None = None,
    include_demo: bool = False,
    how: str = "opdrachtregel",
    progress: Progress = _quiet,
    indicators: IndicatorSet | None = None,
) -> Written:
    """Write the viewer's selection to ``out`` in ``fmt`` (and, for CSV, the codebook to
    ``codebook``) and add the audit line in the caller's transaction (pass a session that has
    done nothing yet: its transaction then holds no lock while the file is made).

    Raises ``AccessDenied`` (scope), ``UnknownKoploper``, :class:`~db.export.UnknownWave` and
    :class:`~db.export.EmptyExport` (nothing to export: nothing written, nothing logged).
    """
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}' (wel: {', '.join(FORMATS)})")
    # Read and write the file in a reading session of its own: an export can take a minute,
    # and in the caller's transaction SQLite's write lock would be held all that time, so no
    # respondent could send. The caller's transaction begins with the audit line at the end.
    with type(session)(bind=session.bind or session.get_bind()) as reading:
        check_choice(reading, koploper, wave)
        progress(0.05, "Antwoorden lezen")
        export = read_export(reading, viewer, koploper, wave, include_demo)
        if not len(export):
            raise EmptyExport(_empty_message(reading, viewer, koploper, wave, include_demo))
        progress(0.4, "Bestand schrijven")
        wrote_codebook = export_files.write_file(
            export, fmt, out, codebook, indicators=indicators, progress=progress
        )
    progress(0.95, "Vastleggen in het logboek")
    record(
        session,
        viewer,
        "export",
        koploper=koploper,
        detail=f"{fmt} ({how}), {whole(len(export))} antwoorden, "
        + describe_choice(None, wave, include_demo).split(", ", 1)[1],
    )
    progress(1.0, "Klaar")
    return Written(fmt, len(export), wrote_codebook)


@contextmanager
def replacing(*targets: Path) -> Iterator[list[Path]]:
    """Temporary files beside ``targets``; moved onto them when the block ends without error,
    else removed. So a target is either the whole new file or untouched, never half-written."""
    temporary = [
        target.with_name(f".{target.name}.{secrets.token_hex(4)}.deel") for target in targets
    ]
    try:
        yield temporary
    except BaseException:
        for path in temporary:
            path.unlink(missing_ok=True)
        raise
    for path, target in zip(temporary, targets, strict=True):
        if path.exists():
            os.replace(path, target)
