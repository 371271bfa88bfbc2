"""Where a respondent's request came from, as keyed hashes: enough to tell that two requests came
from the same browser or network address, not which ones.

Bounding abuse (wrong invitation codes: ``db.code_attempts``; bursts through the open link:
``db.open_link``) needs only that. A source is an HMAC-SHA256 of the browser's or address's text
under a random key made once per database (``server_keys``), so every server process computes the
same key. This is pseudonymous, not anonymous: whoever holds the whole database holds the key too,
and could try every IPv4 address. That is why the rows holding a source are short-lived (deleted
once outside their window, ``forget_attempts`` / ``forget_arrivals``) and never hold a response.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ServerKey

KEY_NAME = "sources"
_cache: dict[str, bytes] = {}


def _server_key(session: Session) -> bytes:
    """The database's key for sources, made on first use (two processes racing agree on one)."""
    bind = str(session.get_bind().url)
    if bind in _cache:
        return _cache[bind]
    value = session.scalar(select(ServerKey.value).where(ServerKey.name == KEY_NAME))
    if value is None:
        try:
            with session.begin_nested():
                session.add(ServerKey(name=KEY_NAME, value=secrets.token_hex(32)))
        except IntegrityError:
            pass  # another process made it first: use theirs
        value = session.scalar(select(ServerKey.value).where(ServerKey.name == KEY_NAME))
    _cache[bind] = bytes.fromhex(value)
    return _cache[bind]


def network(address: str) -> str:
    """The part of an address that names one network: an IPv4 address whole, an IPv6 address by
    its /64 (one home or phone gets a whole /64, so each of its addresses is not a new source)."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def source_keys(session: Session, browser: str | None, address: str | None) -> list[str]:
    """One key per known source ('browser:…', 'address:…' of its :func:`network`), hex, 64
    characters; may be empty."""
    address = network(address) if address else None
    key = _server_key(session)
    return [
        hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        for kind, value in (("browser", browser), ("address", address))
        if value
    ]
