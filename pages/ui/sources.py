"""Where a respondent's request comes from: this browser and its network address, as
``db.sources`` keys (keyed hashes; neither is stored or shown as it is).

The browser is known by Streamlit's XSRF cookie (``_streamlit_xsrf``): Streamlit sets it on the
first page a browser loads, before the connection that runs the page opens, so it is there from
the very first code typed, and it keeps it for as long as the browser keeps its cookies. Streamlit
masks the cookie's value afresh on every page load (``2|mask|masked token|time``); the token under
the mask is what stays the same, so that is what identifies the browser.
"""

from __future__ import annotations

import binascii

import streamlit as st

from db.sources import source_keys

XSRF_COOKIE = "_streamlit_xsrf"


def browser_token(cookie: str | None) -> str | None:
    """The token under the cookie's mask, hex; ``None`` for a missing or unreadable cookie."""
    value = (cookie or "").strip("\"' ")
    parts = value.split("|")
    try:
        if len(parts) == 4 and parts[0] == "2":
            mask, masked = binascii.a2b_hex(parts[1]), binascii.a2b_hex(parts[2])
            if len(mask) != 4 or not masked:
                return None
            return bytes(b ^ mask[i % 4] for i, b in enumerate(masked)).hex()
    except (binascii.Error, ValueError):
        return None
    return value[:200] or None  # an older, unmasked token is the token itself


def request_sources(session) -> list[str]:
    """This request's source keys (``session``: the caller's database session): its browser and
    its network address, when known."""
    return source_keys(session, *browser_and_address())


def browser_and_address() -> tuple[str | None, str | None]:
    """The browser's token and the network address Streamlit saw (``None`` on localhost)."""
    return browser_token(st.context.cookies.get(XSRF_COOKIE)), st.context.ip_address
