"""Log an AppTest in as an account of a given role, as the login page would."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from streamlit.testing.v1 import AppTest

from db.access import Viewer, command_line
from db.engine import get_sessionmaker
from db.logins import log_in
from db.users import UserError, add_user
from pages.ui.access import STATE, Kept

PASSWORD = "vier losse woorden paard"


def logged_in(
    app: AppTest,
    url: str,
    role: str,
    koplopers: Sequence[str] = (),
    *,
    free_text: bool = False,
    email: str | None = None,
) -> Viewer:
    """Create the account (if new), log it in and hand the login to ``app``'s session."""
    email = email or f"{role}-{'-'.join(koplopers) or 'alle'}@test.example"
    maker = get_sessionmaker(url)
    with maker.begin() as session, suppress(UserError):  # made by an earlier call
        add_user(
            session,
            command_line(),
            email,
            role,
            koplopers,
            free_text=free_text,
            password=PASSWORD,
        )
    with maker.begin() as session:
        login = log_in(session, email, PASSWORD)
    app.session_state[STATE] = Kept(login.viewer.user_id or 0, login.started_at, login.token)
    return login.viewer
