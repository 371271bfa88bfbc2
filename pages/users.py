"""Gebruikers: the beheerder adds, changes, disables and removes accounts (logic in db.users).

Every change passes the ``version`` of the account as this page showed it, so when another
beheerder changed the same account in between, the change is refused ("intussen gewijzigd")
instead of overwriting theirs. No password is ever shown, and nothing typed is read as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from db.access import ROLE_NAMES, AccessDenied
from db.contacts import UnknownKoploper
from db.engine import get_sessionmaker
from db.passwords import PasswordRejected
from db.users import (
    NO_ROLE,
    Account,
    ChangedMeanwhile,
    UnknownUser,
    UserError,
    add_user,
    change_user,
    koploper_names,
    list_users,
    remove_user,
    set_disabled,
    set_password,
)
from pages.ui import access
from pages.ui.plain import plain
from pages.ui.routing import ensure_routed

ensure_routed()
viewer = access.require_page("gebruikers")

REFUSALS = (UserError, UnknownUser, PasswordRejected, UnknownKoploper, AccessDenied)
FLASH = "km_users_flash"
# Per e-mail address, the version of the account the page showed (and the widgets hold).
SEEN = "km_users_seen"
MEANWHILE = "km_users_meanwhile"
# A number in the add form's widget keys: raised after a success, so the form is empty again.
ADD_FORM = "km_users_add_form"


def seen() -> dict[str, int]:
    return st.session_state.setdefault(SEEN, {})


def attempt(email: str, change: Callable[[Any], Account | None]) -> Account | None | bool:
    """Run one change in one transaction; on a refusal show it and return False."""
    try:
        with get_sessionmaker().begin() as session:
            return change(session)
    except ChangedMeanwhile as problem:
        meanwhile = str(problem)
    except REFUSALS as problem:
        st.error(plain(str(problem)), icon=":material/error:")
        return False
    # Show the account as it is now, with the message above it; the next try can then work.
    seen().pop(email, None)
    st.session_state[MEANWHILE] = meanwhile
    st.rerun()


def done(message: str, email: str, account: Account | None) -> None:
    """Say what happened at the top of the page, freshly read."""
    if account is None:
        seen().pop(email, None)
    else:
        seen()[email] = account.version
    st.session_state[FLASH] = message
    st.rerun()


def passwords_match(first: str, second: str) -> bool:
    if first != second:
        st.error(
            "De twee wachtwoorden zijn niet gelijk. Typ het wachtwoord twee keer hetzelfde.",
            icon=":material/error:",
        )
        return False
    return True


with get_sessionmaker()() as session:
    accounts = {account.email: account for account in list_users(session, viewer)}
    names = koploper_names(session)

st.title("Gebruikers")
st.write(
    "Wie mag inloggen, met welke rol en voor welke koploper(s). Een gemeente of adviesraad ziet "
    "alleen de eigen koploper(s)."
)
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(plain(flash), icon=":material/check_circle:")
meanwhile = st.session_state.pop(MEANWHILE, None)
if meanwhile:
    st.error(plain(meanwhile), icon=":material/sync_problem:")


def koplopers_text(slugs: tuple[str, ...]) -> str:
    return ", ".join(names.get(slug, slug) for slug in slugs) or "alle"


st.dataframe(
    pd.DataFrame(
        [
            {
                "E-mailadres": account.email,
                "Rol": account.role_name,
                "Koploper(s)": koplopers_text(account.koplopers),
                "Open antwoorden": "ja"
                if account.free_text or account.role in ("beheerder", "onderzoeker")
                else "nee",
                "Status": "uitgeschakeld" if account.disabled else "actief",
                "Demo": "ja" if account.is_demo else "nee",
                "Inloggen": account.login_kind,
            }
            for account in accounts.values()
        ],
        columns=[
            "E-mailadres",
            "Rol",
            "Koploper(s)",
            "Open antwoorden",
            "Status",
            "Demo",
            "Inloggen",
        ],
    ),
    hide_index=True,
    width="stretch",
)

# --- add ------------------------------------------------------------------------------------------
st.subheader("Gebruiker toevoegen")
number = st.session_state.setdefault(ADD_FORM, 0)
with st.form(f"add-{number}"):
    email = st.text_input("E-mailadres", max_chars=254, autocomplete="off")
    # No role chosen beforehand: a press on "toevoegen" must never make a beheerder by default.
    role = st.selectbox(
        "Rol",
        list(ROLE_NAMES),
        index=None,
        format_func=ROLE_NAMES.__getitem__,
        placeholder="Kies een rol",
    )
    koplopers = st.multiselect(
        "Koploper(s)",
        list(names),
        format_func=names.__getitem__,
        help="Verplicht voor de rollen gemeente en adviesraad; leeg voor de andere rollen.",
        placeholder="Kies een of meer koplopers",
    )
    free_text = st.checkbox(
        "Open antwoorden", help="Alleen voor de rol gemeente: mag de open antwoorden lezen."
    )
    sso_only = st.checkbox(
        "Alleen inloggen via de eigen organisatie (uitnodiging)",
        help="Geen wachtwoord: de gebruiker logt in met het account van de eigen organisatie "
        "dat dit e-mailadres heeft.",
    )
    password = st.text_input(
        "Wachtwoord",
        type="password",
        max_chars=256,
        autocomplete="new-password",
        help="Minstens 12 tekens en niet veelgebruikt; een zin van losse woorden is goed.",
    )
    repeat = st.text_input(
        "Herhaal wachtwoord", type="password", max_chars=256, autocomplete="new-password"
    )
    add = st.form_submit_button("Gebruiker toevoegen", type="primary")

if add:
    if role is None:
        st.error(NO_ROLE, icon=":material/error:")
    elif sso_only and (password or repeat):
        st.error(
            "Kies een wachtwoord óf alleen inloggen via de eigen organisatie: laat dan de "
            "wachtwoordvelden leeg.",
            icon=":material/error:",
        )
    elif not sso_only and not password:
        st.error(
            "Vul een wachtwoord in (twee keer), of kies alleen inloggen via de eigen organisatie "
            "(uitnodiging).",
            icon=":material/error:",
        )
    elif sso_only or passwords_match(password, repeat):
        made = attempt(
            email,
            lambda session: add_user(
                session,
                viewer,
                email,
                role,
                koplopers,
                free_text=free_text,
                password=None if sso_only else password,
            ),
        )
        if made:
            st.session_state[ADD_FORM] = number + 1
            done(f"Gebruiker {made.email} is aangemaakt.", made.email, made)

# --- change one -----------------------------------------------------------------------------------
st.subheader("Gebruiker wijzigen")
chosen = st.selectbox(
    "Kies een gebruiker",
    list(accounts),
    index=None,
    placeholder="Kies een e-mailadres",
    key="km-users-chosen",
)
if chosen is None or chosen not in accounts:
    st.stop()
account = accounts[chosen]
version = seen().setdefault(chosen, account.version)
key = f"{chosen}-{version}"

with st.form(f"change-{key}"):
    new_role = st.selectbox(
        "Rol",
        list(ROLE_NAMES),
        index=list(ROLE_NAMES).index(account.role),
        format_func=ROLE_NAMES.__getitem__,
        key=f"role-{key}",
    )
    new_koplopers = st.multiselect(
        "Koploper(s)",
        list(names),
        default=[slug for slug in account.koplopers if slug in names],
        format_func=names.__getitem__,
        key=f"koplopers-{key}",
        placeholder="Kies een of meer koplopers",
    )
    new_free_text = st.checkbox(
        "Open antwoorden",
        value=account.free_text,
        key=f"free-text-{key}",
        help="Alleen voor de rol gemeente: mag de open antwoorden lezen.",
    )
    save = st.form_submit_button("Wijzigingen opslaan", type="primary")
if save:
    changed = attempt(
        chosen,
        lambda session: change_user(
            session,
            viewer,
            chosen,
            role=new_role,
            koplopers=new_koplopers,
            free_text=new_free_text,
            expected_version=version,
        ),
    )
    if changed:
        done(f"Gebruiker {chosen} is gewijzigd.", chosen, changed)

if account.disabled:
    st.write("Dit account is uitgeschakeld: het kan niet inloggen.")
    switch = st.button("Weer inschakelen", key=f"enable-{key}", icon=":material/toggle_on:")
else:
    switch = st.button(
        "Uitschakelen",
        key=f"disable-{key}",
        icon=":material/block:",
        help="Het account logt direct overal uit en kan niet meer inloggen.",
    )
if switch:
    switched = attempt(
        chosen,
        lambda session: set_disabled(
            session, viewer, chosen, not account.disabled, expected_version=version
        ),
    )
    if switched:
        state = "uitgeschakeld" if switched.disabled else "weer ingeschakeld"
        done(f"Gebruiker {chosen} is {state}.", chosen, switched)

with st.form(f"password-{key}"):
    st.write("Nieuw wachtwoord (het account logt daarna overal uit; een blokkade vervalt)")
    new_password = st.text_input(
        "Nieuw wachtwoord", type="password", max_chars=256, autocomplete="new-password"
    )
    new_repeat = st.text_input(
        "Herhaal wachtwoord", type="password", max_chars=256, autocomplete="new-password"
    )
    set_it = st.form_submit_button("Wachtwoord instellen")
if set_it:
    if not new_password:
        st.error("Vul het nieuwe wachtwoord twee keer in.", icon=":material/error:")
    elif passwords_match(new_password, new_repeat):
        renewed = attempt(
            chosen,
            lambda session: set_password(
                session, viewer, chosen, new_password, expected_version=version
            ),
        )
        if renewed:
            done(f"Nieuw wachtwoord ingesteld voor {chosen}.", chosen, renewed)

confirmed = st.checkbox(f"Ja, verwijder {plain(chosen)}", key=f"confirm-{key}")
if st.button("Verwijderen", key=f"remove-{key}", icon=":material/delete:"):
    if not confirmed:
        st.error("Vink eerst aan dat u deze gebruiker wilt verwijderen.", icon=":material/error:")
    elif (
        attempt(
            chosen,
            lambda session: remove_user(session, viewer, chosen, expected_version=version),
        )
        is None
    ):
        done(f"Gebruiker {chosen} is verwijderd.", chosen, None)
