"""The one download button of the pages: the file is made when it is clicked, with its audit line.

Every download of the app goes through ``download_button``, so that:

- the file exists only after the click (``data=callable``): no address is in the page before, and
  the address made then is random and short-lived (``pages.ui.media``);
- the audit line is written by the same callable, after the file was made and before its address
  exists: a file cannot be fetched without its line, and a download that failed logs nothing
  (an ``on_click`` callback would log at the click, and miss a direct fetch of the address);
- the login is checked again at the click: a tab still showing the button after "Uitloggen" in
  another tab, after 8 hours or after the account was disabled, gets no file;
- a click does not rerun the page (``on_click="ignore"``): a rerun replaces the ids of every
  button on the page, so a second quick click on another button would ask for an id that is gone
  (``MediaFileStorageError: Deferred file … not found``).

The callable runs in Streamlit's worker thread, outside the script run: ``make`` must not use
``st`` or ``st.session_state``; take what it needs as arguments when the page runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from db.access import Viewer, viewer_key
from db.audit import record
from db.engine import get_sessionmaker
from db.logins import current_viewer
from pages.ui import media

log = logging.getLogger("koplopermonitor")

UNAVAILABLE = "Downloaden kan op dit moment niet. Probeer het later opnieuw of meld het ons."


def audited(viewer: Viewer, what: str, koploper: str | None = None) -> Callable[[], None]:
    """A line "download" in the audit log, for ``download_button``'s ``audit``."""

    def write() -> None:
        with get_sessionmaker().begin() as session:
            record(session, viewer, "download", koploper=koploper, detail=what)

    return write


def download_button(
    label: str,
    make: Callable[[], bytes | str],
    *,
    file_name: str,
    mime: str,
    key: str,
    viewer: Viewer,
    audit: Callable[[], None] | None = None,
    container=st,
    **options,
) -> None:
    """``st.download_button`` with the file made at the click, audited, on a protected address.

    ``audit`` writes the audit line (see ``audited``); leave it out only for a file whose line
    was written when it was made (the Export page) or that holds nothing of anyone (a QR code).
    ``container`` is where the button goes (a column); ``options`` are ``st.download_button``'s
    (``icon``, ``help``, ``type``).
    """
    if not media.install():
        container.error(UNAVAILABLE, icon=":material/error:")
        return
    owner = media.Owner(media.session_id(), viewer.user_id)
    from pages.ui.access import STATE  # here: access imports this module for "Uitloggen"

    kept = st.session_state.get(STATE)

    def produce() -> bytes | str:
        # The login as the database has it now (SessionEnded: no file, no line; Streamlit logs
        # the refusal). Rights taken away since the page was drawn (a koploper, open answers, a
        # role) mean no file either: the button was drawn for rights the viewer no longer has.
        if kept is None:
            raise PermissionError("download without a login")
        with get_sessionmaker()() as session:
            now = current_viewer(session, kept.user_id, kept.since, kept.token)
        if viewer_key(now) != viewer_key(viewer):
            raise PermissionError("the viewer's rights changed since the page was drawn")
        data = make()
        if audit is not None:
            audit()
        media.claim(owner)
        return data

    container.download_button(
        label,
        data=produce,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        **options,
    )


def end_downloads(viewer: Viewer | None) -> None:
    """At "Uitloggen": every download address of this session and this account stops working."""
    gone = media.revoke(media.session_id(), viewer.user_id if viewer is not None else None)
    if gone:
        log.info("%d download address(es) ended at logout", gone)
