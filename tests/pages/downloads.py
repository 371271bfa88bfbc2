"""The downloads a page offers, as an AppTest sees them: each file is made only when fetched.

The pages hand Streamlit a callable per download (``pages.ui.downloads``); Streamlit runs it when
the button is clicked in a browser, which an AppTest cannot do. ``offered`` keeps the callables by
file name; reading ``offered(...)[name]`` runs one, as the click would (audit line included).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping

from streamlit.runtime.media_file_manager import MediaFileManager


class Offered(Mapping[str, tuple[bytes, str]]):
    """File name → (the file's bytes, its media type), made at each reading."""

    def __init__(self) -> None:
        self.makers: dict[str, tuple[Callable[[], bytes | str], str]] = {}

    def __getitem__(self, name: str) -> tuple[bytes, str]:
        make, mimetype = self.makers[name]
        # In a context of its own, as Streamlit's worker runs it: its claim on the file's owner
        # (pages.ui.media.claim) must not stay behind in the test's context.
        data = contextvars.copy_context().run(make)
        return (data.encode() if isinstance(data, str) else data), mimetype

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.makers))

    def __len__(self) -> int:
        return len(self.makers)

    def clear(self) -> None:
        self.makers.clear()


def offered(monkeypatch) -> Offered:
    """From now on, keep every download callable a page registers."""
    kept = Offered()
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **options):
        kept.makers[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name, **options)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return kept
