"""Respondent links for letters and posters, and their QR codes (PNG to print, SVG to scale).

The link is the one ``pages/respond.py`` reads: ``/respond?survey=…&koploper=…&wave=…``, made
absolute on the public address of the monitor; an invitation's personal link is ``/code?c=…``,
and a letter points at the koploper's privacy notice, ``/privacy?koploper=…``.
segno makes the QR codes (pure Python).
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

from surveys.vocabulary import Audience

LOCAL = "http://localhost:8501"
QR_ERROR = "m"
"""Medium error correction: a poster that is a little creased or dirty still scans."""
PNG_SCALE = 30
"""Pixels per module: a link's code (about 45 modules with its margin) gets some 1,350 pixels,
11 cm at 300 dpi, sharp on an A4 or A3 poster."""
PNG_DPI = 300


def public_base(configured: str | None, visited: str | None) -> str:
    """Where respondents reach the monitor: the configured address, else the visited host.

    ``configured`` (``KOPLOPERMONITOR_PUBLIC_URL``) may carry a path, for a monitor served under
    one; from the visited address only the scheme and host count.
    """
    if configured and configured.strip():
        return configured.strip().rstrip("/")
    parts = urlsplit(visited or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return LOCAL


def respondent_link(
    base: str, survey: str, koploper: str, wave: str, language: str | None = None
) -> str:
    """The link; with ``language`` (``nl-eenvoudig``) it opens that version straight away."""
    parts = {"survey": survey, "koploper": koploper, "wave": wave}
    query = urlencode(parts | ({"lang": language} if language else {}))
    return f"{base}/respond?{query}"


def code_link(base: str, code: str) -> str:
    """A personal link (the QR on an invitation letter): ``/code`` with the code filled in; the
    page takes the code out of the address at once."""
    return f"{base}/code?c={code}"


def code_address(base: str) -> str:
    """The short address a letter prints for typing the code by hand."""
    return f"{base}/code"


def privacy_link(base: str, koploper: str, language: str | None = None) -> str:
    """The koploper's privacy notice (``pages/privacy.py``), in ``language`` when given."""
    query = urlencode({"koploper": koploper} | ({"lang": language} if language else {}))
    return f"{base}/privacy?{query}"


def qr_file_name(
    koploper: str, wave: str, audience: Audience, extension: str, language: str | None = None
) -> str:
    """E.g. ``qr-tilburg-T2-inwoners.png``, ``qr-tilburg-T2-inwoners-eenvoudig.png``."""
    register = f"-{language.removeprefix('nl-')}" if language else ""
    return f"qr-{koploper}-{wave}-{audience.file_part}{register}.{extension}"


def _qr(link: str):
    import segno  # only the pages that offer a QR code need it

    return segno.make(link, error=QR_ERROR, micro=False)


def qr_png(link: str) -> bytes:
    """A black-on-white PNG at 300 dpi, with the quiet zone scanners need."""
    out = io.BytesIO()
    _qr(link).save(out, kind="png", scale=PNG_SCALE, border=4, dpi=PNG_DPI)
    return out.getvalue()


def qr_svg(link: str, title: str) -> bytes:
    """A scalable SVG titled for screen readers; 2 mm a module, about 9 cm wide as printed."""
    out = io.BytesIO()
    _qr(link).save(out, kind="svg", scale=2, border=4, unit="mm", title=title)
    return out.getvalue()
