"""Single sign-on into the real app, in Chromium, through a real OpenID provider started here.

The provider (oidc-provider-mock) knows two people: Tilburg's projectleider, whom the beheerder
invited by e-mail address, and someone without an account. The first logs in through the
provider's form and sees Tilburg only; the second gets "Geen toegang", recorded once.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from db.access import command_line
from db.engine import get_sessionmaker
from db.models import AuditEvent, User
from db.setup import init_database
from db.users import add_user
from tests.browser.helpers import axe_violations, settle
from tests.browser.launch import free_port, streamlit_server
from tests.browser.oidc import oidc_provider

pytestmark = pytest.mark.browser

INVITED = "pl@tilburg.example"
PEOPLE = {
    "tilburg-pl-1": {"email": INVITED, "name": "Pim Tilburg"},
    "onbekend-7": {"email": "iemand@elders.example", "name": "Iemand Anders"},
}


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("sso-app")
    url = f"sqlite:///{folder / 'app.db'}"
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        # An invitation: no password, single sign-on only, matched on the e-mail address once.
        add_user(session, command_line(), INVITED, "gemeente", ["tilburg"])
    port = free_port()
    callback = f"http://127.0.0.1:{port}/oauth2callback"
    with oidc_provider(redirect_uris=[callback], users=PEOPLE) as provider:
        auth = provider.auth_secrets(callback, cookie_secret=secrets.token_urlsafe(32))
        with streamlit_server(url, folder / "streamlit.log", port=port, secrets=auth) as base:
            yield {"base": base, "issuer": provider.issuer, "database": url}


def through_the_provider(page, app: dict, subject: str) -> None:
    page.route(re.compile(r"^https://cdn\.jsdelivr\.net/"), lambda route: route.abort())
    page.goto(app["base"] + "/inloggen")
    page.get_by_role("heading", name="Inloggen").wait_for(timeout=20000)
    settle(page)
    page.get_by_role("button", name="Inloggen met uw organisatie").click()
    page.wait_for_url(re.compile(rf"^{re.escape(app['issuer'])}/oauth2/authorize\?"), timeout=15000)
    page.locator('input[name="sub"]').fill(subject)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{app['base']}/", timeout=15000)
    page.get_by_role("heading", name="Koplopermonitor").wait_for(timeout=20000)
    settle(page)


def events(app: dict, action: str) -> list[AuditEvent]:
    with get_sessionmaker(app["database"])() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_invited_projectleider_logs_in_through_the_provider_and_sees_tilburg_only(
    sso_app, page
):
    through_the_provider(page, sso_app, "tilburg-pl-1")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text(INVITED)).to_be_visible()
    sidebar.get_by_role("link", name="Veldwerk").click()
    page.get_by_role("heading", name="Veldwerk").wait_for(timeout=20000)
    settle(page)
    assert page.get_by_role("combobox", name="Koploper").input_value() == "Tilburg"
    assert axe_violations(page) == []
    page.goto(sso_app["base"] + "/veldwerk?koploper=breda")
    page.get_by_role("heading", name="Geen toegang").wait_for(timeout=20000)
    assert "Gebruikers" not in sidebar.inner_text()  # not a beheerder's menu
    with get_sessionmaker(sso_app["database"])() as session:
        user = session.scalar(select(User).where(User.email == INVITED))
        assert (user.oidc_issuer, user.oidc_subject) == (sso_app["issuer"], "tilburg-pl-1")
    assert [e.actor for e in events(sso_app, "login_ok")] == [INVITED]


def test_an_identity_without_an_account_gets_geen_toegang_once_in_the_log(sso_app, page):
    through_the_provider(page, sso_app, "onbekend-7")
    expect(page.get_by_text("Geen toegang: u bent aangemeld bij uw organisatie")).to_be_visible()
    assert page.get_by_role("button", name="Uitloggen").count() == 0
    page.goto(sso_app["base"] + "/veldwerk")
    page.get_by_role("heading", name="Geen toegang").wait_for(timeout=20000)
    settle(page)
    refused = [e for e in events(sso_app, "login_refused") if e.actor == "iemand@elders.example"]
    assert len(refused) == 1 and "onbekend account van een organisatie" in refused[0].detail
