"""Single sign-on through Streamlit's own ``st.login`` (OpenID Connect)."""

from __future__ import annotations

import streamlit as st


def sso_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section to log in with."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    return bool(auth) and bool(
        auth.get("client_id") or any(isinstance(v, dict) for v in auth.values())
    )
