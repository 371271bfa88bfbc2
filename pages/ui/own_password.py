"""The form "Wachtwoord wijzigen" on Mijn account: the current password, the new one twice.

The checks (the current password, how often it may be wrong, the strength rules) are in
``db.own_account``; this form only draws and says what happened.
"""

from __future__ import annotations

import streamlit as st

from db.access import AccessDenied, Viewer
from db.engine import get_sessionmaker
from db.own_account import PasswordChangeRefused, change_own_password
from db.passwords import MIN_LENGTH, PasswordRejected
from pages.ui.access import STATE, Kept

FORM = "km_own_password"
"""A number in the form's key: raised after a change, so the fields are empty again."""
DONE = "km_own_password_done"


def password_form(viewer: Viewer) -> None:
    st.header("Wachtwoord wijzigen")
    if st.session_state.pop(DONE, False):
        st.success(
            "Uw wachtwoord is gewijzigd. Op andere computers en browsers bent u uitgelogd.",
            icon=":material/check_circle:",
        )
    number = st.session_state.setdefault(FORM, 0)
    with st.form(f"own-password-{number}"):
        current = st.text_input(
            "Huidig wachtwoord", type="password", max_chars=256, autocomplete="current-password"
        )
        new = st.text_input(
            "Nieuw wachtwoord",
            type="password",
            max_chars=256,
            autocomplete="new-password",
            help=f"Minstens {MIN_LENGTH} tekens en niet veelgebruikt; een zin van losse woorden "
            "is goed.",
        )
        repeat = st.text_input(
            "Herhaal nieuw wachtwoord", type="password", max_chars=256, autocomplete="new-password"
        )
        change = st.form_submit_button("Wachtwoord wijzigen")
    if not change:
        return
    if not current or not new:
        st.error("Vul uw huidige wachtwoord en twee keer het nieuwe in.", icon=":material/error:")
        return
    if new != repeat:
        st.error(
            "De twee nieuwe wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord twee keer "
            "hetzelfde.",
            icon=":material/error:",
        )
        return
    kept: Kept | None = st.session_state.get(STATE)
    refused: Exception | None = None
    with get_sessionmaker().begin() as session:
        # A wrong current password is written to the audit log and counts: commit either way.
        try:
            change_own_password(session, viewer, current, new, token=kept.token if kept else None)
        except (PasswordChangeRefused, PasswordRejected, AccessDenied) as problem:
            refused = problem
    if refused is not None:
        st.error(str(refused), icon=":material/error:")
        return
    st.session_state[FORM] = number + 1
    st.session_state[DONE] = True
    st.rerun()
