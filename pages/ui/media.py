"""Download addresses that cannot be guessed, expire, and end at "Uitloggen".

Streamlit serves every download at ``/media/<id>``, with no cookie asked: anyone with the address
gets the file. Its ``MemoryMediaFileStorage`` makes the id a hash of the content, so the same file
always has the same address, and the address lives as long as some session shows the button. For
response-level data and open answers that is not good enough. Here a download (Streamlit's kind
``DOWNLOADABLE``; images on the page are left alone) gets instead:

- a random id (``secrets.token_urlsafe(32)``, 256 bits), new for every file made;
- an expiry: ``KOPLOPERMONITOR_DOWNLOAD_SECONDS`` after it was made (default 120), then 404;
- an owner (the Streamlit session and the account), so that ``revoke`` removes every file of a
  login when it logs out.

The hook. Streamlit 1.67 builds one ``MemoryMediaFileStorage`` before the app runs and hands the
same object to the runtime's ``MediaFileManager`` (``_storage``) and to the ``/media`` route;
there is no supported option to pass another storage to ``streamlit run``. ``install`` therefore
turns that one object into a ``ProtectedDownloads`` (a subclass, by ``__class__``), once per
process, so both holders see the new behaviour. That reaches one private attribute; it is checked
here and by ``tests/pages/test_media.py``, which fails loudly when Streamlit changes it. When the
hook is not there, ``install()`` says False and the pages offer no download at all.

The owner of a download made by a button with ``data=callable`` (the only kind the pages use, see
``pages.ui.downloads``): Streamlit runs the callable and then stores its bytes in the same worker
call (``MediaFileManager.execute_deferred``, one ``asyncio.to_thread``), outside any script run.
The callable names its owner with ``claim`` in a ``ContextVar`` just before it returns; the store
that follows takes it. A file without a claim belongs to the script run's session, if any.
"""

from __future__ import annotations

import contextvars
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass

from streamlit import runtime
from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryFile, MemoryMediaFileStorage
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

log = logging.getLogger("koplopermonitor")

SECONDS_SETTING = "KOPLOPERMONITOR_DOWNLOAD_SECONDS"
DEFAULT_SECONDS = 120.0


@dataclass(frozen=True)
class Owner:
    """Whose download: the Streamlit session that showed the button, and the account."""

    session: str | None
    user: int | None


_claimed: contextvars.ContextVar[Owner | None] = contextvars.ContextVar(
    "koplopermonitor_download_owner", default=None
)
_install_lock = threading.Lock()


def lifetime() -> float:
    """Seconds a download address works: the setting, else 120 (also for a value that is no
    positive number, so a typo never makes addresses live for ever)."""
    try:
        seconds = float(os.environ.get(SECONDS_SETTING, ""))
    except ValueError:
        return DEFAULT_SECONDS
    return seconds if 0 < seconds < float("inf") else DEFAULT_SECONDS


def session_id() -> str | None:
    """The Streamlit session of this script run, or None outside one."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def claim(owner: Owner) -> None:
    """Name the owner of the file the running download callable is about to return."""
    _claimed.set(owner)


@dataclass(frozen=True)
class _Ticket:
    expires: float  # time.monotonic()
    owner: Owner


class ProtectedDownloads(MemoryMediaFileStorage):
    """Streamlit's memory storage, with random, expiring, revocable ids for downloads."""

    _tickets: dict[str, _Ticket]
    _tickets_lock: threading.Lock

    def _protect(self) -> None:
        self._tickets = {}
        self._tickets_lock = threading.Lock()
        # A download stored before this point has a content-derived id: it goes.
        for file_id, file in list(self._files_by_id.items()):
            if file.kind == MediaFileKind.DOWNLOADABLE:
                self._files_by_id.pop(file_id, None)

    def load_and_get_id(
        self,
        path_or_data: str | bytes,
        mimetype: str,
        kind: MediaFileKind,
        filename: str | None = None,
    ) -> str:
        if kind != MediaFileKind.DOWNLOADABLE:
            return super().load_and_get_id(path_or_data, mimetype, kind, filename)
        data = self._read_file(path_or_data) if isinstance(path_or_data, str) else path_or_data
        owner = _claimed.get() or Owner(session_id(), None)
        _claimed.set(None)
        file_id = secrets.token_urlsafe(32)  # letters, digits, '-' and '_': no '.' to split on
        now = time.monotonic()
        with self._tickets_lock:
            self._forget_expired(now)
            self._files_by_id[file_id] = MemoryFile(
                content=data, mimetype=mimetype, kind=kind, filename=filename
            )
            self._tickets[file_id] = _Ticket(now + lifetime(), owner)
        return file_id

    def get_file(self, filename: str) -> MemoryFile:
        file = super().get_file(filename)
        if file.kind != MediaFileKind.DOWNLOADABLE:
            return file
        file_id = os.path.splitext(filename)[0]
        with self._tickets_lock:
            ticket = self._tickets.get(file_id)
            if ticket is not None and ticket.expires > time.monotonic():
                return file
            self._drop(file_id)
        raise MediaFileStorageError(f"No media file with id '{file_id}'")

    def delete_file(self, file_id: str) -> None:
        with self._tickets_lock:
            self._drop(file_id)

    def revoke(self, session: str | None = None, user: int | None = None) -> int:
        """Remove every download of this session or this account; returns how many."""
        with self._tickets_lock:
            gone = [
                file_id
                for file_id, ticket in self._tickets.items()
                if (session is not None and ticket.owner.session == session)
                or (user is not None and ticket.owner.user == user)
            ]
            for file_id in gone:
                self._drop(file_id)
        return len(gone)

    def _forget_expired(self, now: float) -> None:
        for file_id in [f for f, ticket in self._tickets.items() if ticket.expires <= now]:
            self._drop(file_id)

    def _drop(self, file_id: str) -> None:
        """Caller holds ``_tickets_lock``."""
        self._tickets.pop(file_id, None)
        self._files_by_id.pop(file_id, None)


def _storage() -> object | None:
    if not runtime.exists():
        return None
    return getattr(runtime.get_instance().media_file_mgr, "_storage", None)


def install() -> bool:
    """Protect this process's downloads (once; cheap afterwards). False when Streamlit no longer
    has the storage this module expects: then the pages offer no downloads, and the server log
    says why."""
    with _install_lock:
        storage = _storage()
        if isinstance(storage, ProtectedDownloads):
            return True
        if type(storage) is not MemoryMediaFileStorage:
            log.error(
                "downloads switched off: Streamlit's media storage is %s, not the "
                "MemoryMediaFileStorage pages/ui/media.py protects",
                type(storage).__name__,
            )
            return False
        # Its own state first, then its class: a thread serving a file meanwhile never meets
        # the new class without the state it uses.
        ProtectedDownloads._protect(storage)  # type: ignore[arg-type]
        storage.__class__ = ProtectedDownloads
        return True


def revoke(session: str | None = None, user: int | None = None) -> int:
    """End every download address of a session or an account (at "Uitloggen")."""
    storage = _storage()
    if isinstance(storage, ProtectedDownloads):
        return storage.revoke(session, user)
    return 0
