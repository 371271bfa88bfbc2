"""Where a respondent's request comes from, as Streamlit tells it: the browser and the address.

Only for bounding abuse (``db.sources`` turns both into keyed hashes at once; neither is ever
stored as it is). The browser is known by Streamlit's XSRF cookie, which a browser keeps: its
value changes on every page load (a new random mask over the same token), so the token under the
mask is what names the browser. The address is the one Streamlit saw; behind a reverse proxy on
the same machine it is the one the proxy passes on (``X-Forwarded-For``), and ``None`` for
``localhost``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

XSRF_COOKIE = "_streamlit_xsrf"


def browser_token(cookie: str | None) -> str | None:
    """The lasting token in an XSRF cookie ('2|mask|masked token|time', hex), or None.

    An older or unknown form counts as it is; an unreadable one as no browser at all."""
    value = (cookie or "").strip("\"' ")
    if not value:
        return None
    if not value.startswith("2|"):
        return value[:200]
    try:
        _, mask_hex, masked_hex, _ = value.split("|")
        mask, masked = bytes.fromhex(mask_hex), bytes.fromhex(masked_hex)
    except ValueError:
        return None
    if not mask or not masked:
        return None
    return bytes(byte ^ mask[i % len(mask)] for i, byte in enumerate(masked)).hex()


def request_source(context: Any = None) -> tuple[str | None, str | None]:
    """(browser, address) of the current request (``st.context``); either may be None."""
    context = context if context is not None else st.context
    cookies = getattr(context, "cookies", None) or {}
    address = getattr(context, "ip_address", None)
    # Only a text is an address (Streamlit's AppTest, for one, gives a stand-in object).
    return browser_token(cookies.get(XSRF_COOKIE)), address if isinstance(address, str) else None
