"""Single sign-on through Streamlit's own ``st.login`` (OpenID Connect), read-only helpers.

Streamlit keeps the login in a signed cookie and exposes the ID token's claims as ``st.user``;
these helpers only read that. Configuration lives in the ``[auth]`` section of the secrets
(``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``, ``server_metadata_url``;
or per provider in ``[auth.<name>]``). See the README, "Single sign-on".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
"""What a provider needs, in ``[auth]`` itself (the default provider) or in ``[auth.<name>]``."""


@dataclass(frozen=True)
class Identity:
    """Who the identity provider says this is. ``(issuer, subject)`` is the stable key."""

    issuer: str
    subject: str
    email: str | None
    name: str | None


def _filled(section: Mapping, keys: tuple[str, ...]) -> bool:
    return all(isinstance(section.get(key), str) and section.get(key).strip() for key in keys)


def sso_configured() -> bool:
    """True when the secrets hold an ``[auth]`` section ``st.login()`` can use.

    That is: ``redirect_uri`` ending in ``/oauth2callback`` and a ``cookie_secret``, plus the
    provider keys for the default provider or at least one named ``[auth.<name>]`` provider.
    False (never an error) when there is no secrets file, or it has no or an incomplete ``[auth]``.
    """
    if not st.secrets.load_if_toml_exists():
        return False
    auth = st.secrets.get("auth")
    if not isinstance(auth, Mapping) or not _filled(auth, ("redirect_uri", "cookie_secret")):
        return False
    if not str(auth["redirect_uri"]).rstrip().endswith("/oauth2callback"):
        return False
    if _filled(auth, PROVIDER_KEYS):
        return True
    return any(
        isinstance(section, Mapping) and _filled(section, PROVIDER_KEYS)
        for section in auth.values()
    )


def identity() -> Identity | None:
    """The identity of a user logged in with ``st.login()``; None when nobody is.

    Also None when a provider's token lacks ``iss`` or ``sub`` (an OpenID Connect ID token always
    has both), so an account can never be matched on an empty key.
    """
    user = st.user.to_dict()  # a plain dict; no ``is_logged_in`` key at all without [auth]
    if user.get("is_logged_in") is not True:
        return None
    issuer, subject = user.get("iss"), user.get("sub")
    if not isinstance(issuer, str) or not issuer or not isinstance(subject, str) or not subject:
        return None
    email, name = user.get("email"), user.get("name")
    return Identity(
        issuer=issuer,
        subject=subject,
        email=email if isinstance(email, str) and email else None,
        name=name if isinstance(name, str) and name else None,
    )
