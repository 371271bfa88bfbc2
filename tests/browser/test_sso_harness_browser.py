"""Streamlit's ``st.login`` against a real OpenID provider (oidc-provider-mock), in Chromium.

Not the app: a throwaway script shows what ``pages.ui.sso`` reads from ``st.user``. This proves
the harness (provider, secrets file, fixed port, registered redirect address) the real login page
and its end-to-end test build on.
"""

from __future__ import annotations

import re
import secrets
import textwrap

import pytest
from playwright.sync_api import expect

from tests.browser.launch import ROOT, free_port, streamlit_server
from tests.browser.oidc import oidc_provider

pytestmark = pytest.mark.browser

SCRIPT = """
import streamlit as st

from pages.ui.sso import identity, sso_configured

st.text(f"configured={sso_configured()}")
who = identity()
if who is None:
    st.text("nobody logged in")
    if st.button("Inloggen"):
        st.login()
else:
    st.text(f"iss={who.issuer}")
    st.text(f"sub={who.subject}")
    st.text(f"email={who.email}")
    st.text(f"name={who.name}")
    if st.button("Uitloggen"):
        st.logout()
"""


@pytest.fixture
def sso_app(tmp_path, browser):
    """The script on its own server, logging in at a strict provider that knows one user."""
    script = tmp_path / "sso_script.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    port = free_port()
    callback = f"http://127.0.0.1:{port}/oauth2callback"
    users = {"tilburg-pl-1": {"email": "pl@tilburg.example", "name": "Pim Tilburg"}}
    with oidc_provider(redirect_uris=[callback], users=users) as provider:
        auth = provider.auth_secrets(callback, cookie_secret=secrets.token_urlsafe(32))
        with streamlit_server(
            None,
            tmp_path / "streamlit.log",
            script=script,
            port=port,
            secrets=auth,
            PYTHONPATH=str(ROOT),
        ) as base:
            yield {"base": base, "issuer": provider.issuer, "log": tmp_path / "streamlit.log"}


def test_login_through_the_provider_form_and_logout(sso_app, page):
    # The mock's pages load a stylesheet from a CDN; no network is needed or wanted.
    page.route(re.compile(r"^https://cdn\.jsdelivr\.net/"), lambda route: route.abort())
    base, issuer = sso_app["base"], sso_app["issuer"]

    page.goto(base)
    page.get_by_text("configured=True").wait_for(timeout=15000)
    page.get_by_text("nobody logged in").wait_for()
    page.get_by_role("button", name="Inloggen").click()

    # The provider's own authorize form: we type the subject and authorize.
    page.wait_for_url(re.compile(rf"^{re.escape(issuer)}/oauth2/authorize\?"), timeout=15000)
    page.shots.append(("authorize", page.screenshot()))
    page.locator('input[name="sub"]').fill("tilburg-pl-1")
    page.get_by_role("button", name="Authorize", exact=True).click()

    page.wait_for_url(f"{base}/", timeout=15000)
    # The script's run writes its lines one by one: wait for the last, then read them all.
    page.get_by_role("button", name="Uitloggen").wait_for(timeout=15000)
    page.shots.append(("logged-in", page.screenshot()))
    lines = page.locator('[data-testid="stText"]').all_inner_texts()
    assert lines == [
        "configured=True",
        f"iss={issuer}",
        "sub=tilburg-pl-1",
        "email=pl@tilburg.example",
        "name=Pim Tilburg",
    ]
    cookies = {c["name"] for c in page.context.cookies(base)}
    assert "_streamlit_user" in cookies

    # A reload is a new session: st.user comes from the signed cookie again.
    page.reload()
    expect(page.get_by_text("sub=tilburg-pl-1", exact=True)).to_be_visible(timeout=15000)

    # st.logout clears the cookie and sends the browser to the provider's end-session page,
    # which returns to /oauth2callback and from there to the app, logged out.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(rf"^{re.escape(issuer)}/oauth2/end_session\?"), timeout=15000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{base}/", timeout=15000)
    page.get_by_role("button", name="Inloggen").wait_for(timeout=15000)
    lines = page.locator('[data-testid="stText"]').all_inner_texts()
    assert lines == ["configured=True", "nobody logged in"]
    assert "_streamlit_user" not in {c["name"] for c in page.context.cookies(base)}

    # Denying at the provider brings the user back to the app, still logged out.
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(rf"^{re.escape(issuer)}/oauth2/authorize\?"), timeout=15000)
    page.locator('button[name="action"][value="deny"]').click()
    page.wait_for_url(f"{base}/", timeout=15000)
    page.get_by_role("button", name="Inloggen").wait_for(timeout=15000)
    assert page.locator('[data-testid="stText"]').all_inner_texts() == [
        "configured=True",
        "nobody logged in",
    ]
    assert "access_denied" in sso_app["log"].read_text()
