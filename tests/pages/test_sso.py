"""pages.ui.sso: when single sign-on counts as configured, and the identity read from st.user.

``sso_configured`` is checked against real secrets files (Streamlit's ``secrets.files`` option
pointed at a temporary folder); ``identity`` in an AppTest run with a seeded ``st.user``. The
browser test tests/browser/test_sso_harness_browser.py covers a real login.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit import config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from pages.ui.sso import Identity, sso_configured

COMPLETE = """
[auth]
redirect_uri = "http://127.0.0.1:8501/oauth2callback"
cookie_secret = "a-long-random-cookie-secret"
client_id = "koplopermonitor"
client_secret = "s3cret"
server_metadata_url = "http://127.0.0.1:9400/.well-known/openid-configuration"
"""


@pytest.fixture
def secrets_file(tmp_path, monkeypatch):
    """Point Streamlit at ``tmp_path/secrets.toml`` (absent until written) with fresh secrets."""
    path = tmp_path / "secrets.toml"
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    monkeypatch.setattr(st, "secrets", Secrets())
    yield path
    config.set_option("secrets.files", before)


def test_no_secrets_file_at_all_is_not_configured_and_no_error(secrets_file):
    assert not secrets_file.exists()
    assert sso_configured() is False


def test_a_complete_auth_section_is_configured(secrets_file):
    secrets_file.write_text(COMPLETE)
    assert sso_configured() is True


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("[auth]", "[other]"),
        lambda text: text.replace('client_secret = "s3cret"', ""),
        lambda text: text.replace('cookie_secret = "a-long-random-cookie-secret"', ""),
        lambda text: text.replace('client_id = "koplopermonitor"', 'client_id = "  "'),
        lambda text: text.replace("/oauth2callback", "/callback"),
    ],
    ids=["no auth section", "no client secret", "no cookie secret", "blank id", "wrong callback"],
)
def test_an_incomplete_auth_section_is_not_configured(secrets_file, change):
    secrets_file.write_text(change(COMPLETE))
    assert sso_configured() is False


def test_a_named_provider_section_is_configured(secrets_file):
    shared, provider = COMPLETE.split('client_id = "koplopermonitor"')
    secrets_file.write_text(f'{shared}\n[auth.tilburg]\nclient_id = "koplopermonitor"{provider}')
    assert sso_configured() is True


def _show_identity():
    import streamlit as st

    from pages.ui.sso import identity

    st.text(repr(identity()))


def _shown(user: dict) -> str:
    at = AppTest.from_function(_show_identity)
    at.user = user
    at.run()
    assert not at.exception
    return at.text[0].value


def test_identity_of_a_logged_in_user_comes_from_the_id_token_claims():
    user = {
        "is_logged_in": True,
        "iss": "https://login.example",
        "sub": "tilburg-pl-1",
        "email": "pl@tilburg.example",
        "name": "Pim Tilburg",
        "aud": ["koplopermonitor"],
        "provider": "default",
    }
    expected = Identity(
        "https://login.example", "tilburg-pl-1", "pl@tilburg.example", "Pim Tilburg"
    )
    assert _shown(user) == repr(expected)


def test_identity_without_email_or_name_keeps_issuer_and_subject():
    user = {"is_logged_in": True, "iss": "https://login.example", "sub": "x1"}
    assert _shown(user) == repr(Identity("https://login.example", "x1", None, None))


@pytest.mark.parametrize(
    "user",
    [
        {"email": "test@example.com"},  # AppTest's default: no is_logged_in, as without [auth]
        {"is_logged_in": False},
        {"is_logged_in": True, "iss": "https://login.example", "email": "pl@tilburg.example"},
        {"is_logged_in": True, "sub": "tilburg-pl-1", "email": "pl@tilburg.example"},
    ],
    ids=["no auth", "logged out", "no sub", "no iss"],
)
def test_no_identity_unless_logged_in_with_issuer_and_subject(user):
    assert _shown(user) == "None"
