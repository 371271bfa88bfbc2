"""Download addresses (``pages.ui.media``): random, expiring, revoked at logout, on the very
storage object Streamlit serves ``/media`` from.

The hook reaches one private attribute of Streamlit (the ``MediaFileManager``'s ``_storage``,
which the ``/media`` route holds too) and relies on ``execute_deferred`` running a download's
callable and storing its bytes in one call. These tests build Streamlit's real server objects,
so they fail loudly when a Streamlit upgrade changes either.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.applications import Starlette
from streamlit.runtime import Runtime
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.web.server.server import Server
from streamlit.web.server.starlette.starlette_app import create_streamlit_routes

from pages.ui import media

APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.fixture
def server() -> Iterator[tuple[MediaFileManager, Starlette]]:
    """Streamlit's own runtime and routes, as ``streamlit run`` builds them (not started). A
    runtime another test left in this process is set aside meanwhile (there is one per process)."""
    earlier = Runtime._instance
    Runtime._instance = None
    try:
        runtime = Server(APP, is_hello=False)._runtime
        yield runtime.media_file_mgr, Starlette(routes=create_streamlit_routes(runtime))
    finally:
        Runtime._instance = earlier


def run(work: Coroutine) -> object:
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright (sync API) keeps an
    event loop running in this thread for the whole test session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def fetch(app: Starlette, url: str) -> tuple[int, bytes]:
    """GET ``url`` from the app, without a cookie or anything else: as anyone could."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": url,
        "raw_path": url.encode(),
        "query_string": b"",
        "headers": [],
        "root_path": "",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "http_version": "1.1",
    }
    run(app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def download(manager: MediaFileManager, data: bytes, owner: media.Owner | None = None) -> str:
    """What a click on a download button does: run the callable, store its bytes, give a URL."""

    def make() -> bytes:
        if owner is not None:
            media.claim(owner)
        return data

    file_id = manager.add_deferred(make, "text/csv", "1.(2)", file_name="cijfers.csv")
    return run(asyncio.to_thread(manager.execute_deferred, file_id))


def test_without_the_hook_streamlit_gives_the_same_file_the_same_guessable_address(server):
    manager, app = server
    first, second = download(manager, b"a;b\n1;2\n"), download(manager, b"a;b\n1;2\n")
    assert first == second  # why pages/ui/media.py exists


def test_the_hook_reaches_the_storage_the_media_route_serves_from(server):
    manager, app = server
    assert type(manager._storage) is MemoryMediaFileStorage
    assert media.install() and media.install()  # once, then cheap
    assert isinstance(manager._storage, media.ProtectedDownloads)
    url = download(manager, b"a;b\n1;2\n")
    assert fetch(app, url) == (200, b"a;b\n1;2\n")


def test_the_same_file_gets_a_new_random_address_each_time(server):
    manager, app = server
    media.install()
    urls = {download(manager, b"zelfde inhoud") for _ in range(5)}
    assert len(urls) == 5
    for url in urls:
        file_id = url.removeprefix("/media/").removesuffix(".csv")
        assert len(file_id) == 43  # secrets.token_urlsafe(32): 256 random bits
        assert fetch(app, url) == (200, b"zelfde inhoud")


def test_an_address_expires_after_the_setting(server, monkeypatch):
    manager, app = server
    media.install()
    monkeypatch.setenv(media.SECONDS_SETTING, "0.5")
    url = download(manager, b"kort")
    assert fetch(app, url)[0] == 200
    time.sleep(0.7)
    assert fetch(app, url)[0] == 404
    assert fetch(app, url)[0] == 404


@pytest.mark.parametrize("value", ["", "nul", "0", "-5", "inf", "nan"])
def test_a_missing_or_wrong_setting_means_two_minutes(monkeypatch, value):
    monkeypatch.setenv(media.SECONDS_SETTING, value)
    assert media.lifetime() == 120


def test_logout_ends_the_addresses_of_that_session_and_account_only(server):
    manager, app = server
    media.install()
    mine = download(manager, b"van mij", media.Owner("sessie-1", 7))
    other_tab = download(manager, b"ander tabblad", media.Owner("sessie-2", 7))
    someone_else = download(manager, b"van een ander", media.Owner("sessie-3", 8))
    assert media.revoke("sessie-1", 7) == 2
    assert fetch(app, mine)[0] == 404 and fetch(app, other_tab)[0] == 404
    assert fetch(app, someone_else) == (200, b"van een ander")


def test_images_on_the_page_keep_streamlits_own_addresses(server):
    manager, app = server
    media.install()
    storage = manager._storage
    first = storage.load_and_get_id(b"png", "image/png", MediaFileKind.MEDIA)
    assert storage.load_and_get_id(b"png", "image/png", MediaFileKind.MEDIA) == first
    assert fetch(app, storage.get_url(first)) == (200, b"png")


def test_a_download_stored_before_the_hook_is_dropped(server):
    manager, app = server
    old = download(manager, b"oud")
    media.install()
    assert fetch(app, old)[0] == 404


def test_every_download_of_the_pages_goes_through_the_protected_button():
    """A plain ``st.download_button`` with bytes puts the address in the page before any click,
    logs nothing on a direct fetch, and would expire while the page is open."""
    root = Path(APP).parent
    helper = root / "pages" / "ui" / "downloads.py"
    plain = [
        str(path.relative_to(root))
        for path in [root / "streamlit_app.py", *sorted((root / "pages").rglob("*.py"))]
        if path != helper and ".download_button(" in path.read_text(encoding="utf-8")
    ]
    assert plain == []
