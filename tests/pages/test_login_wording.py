"""The login page says in Dutch how the organisation's login works (AppTest): no "sign-on"."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.ui import sso

APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.fixture
def url(app_database) -> str:
    return app_database


def test_the_organisation_login_is_explained_in_dutch_without_single_sign_on(url, monkeypatch):
    # As with an [auth] section in the secrets: the page offers the organisation's login.
    monkeypatch.setattr(sso, "sso_configured", lambda: True)
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page("pages/login.py")
    app.run()
    assert not app.exception
    button = next(b for b in app.button if b.label == "Inloggen met uw organisatie")
    assert button.help.startswith("Inloggen via uw organisatie")
    shown = [
        str(getattr(element, name, "") or "")
        for element in app.main
        for name in ("value", "label", "help", "body")
    ]
    assert any("Inloggen via uw organisatie" in text for text in shown)  # help texts read too
    assert [text for text in shown if "sign-on" in text.lower()] == []
