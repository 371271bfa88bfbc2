"""Inloggen: e-mail address and password, or the organisation's single sign-on; Uitloggen."""

from __future__ import annotations

import streamlit as st

from db.engine import get_sessionmaker
from db.logins import LoginRefused, log_in
from db.users import demo_accounts_exist, koploper_names
from pages.ui import access
from pages.ui.own_password import password_form
from pages.ui.routing import ensure_routed
from pages.ui.sso import sso_configured

ensure_routed()

current = access.viewer()
if current is not None:
    st.title("Mijn account")
    st.text(f"U bent ingelogd als {current.email}.\nRol: {current.role_name}")
    if current.koploper_slugs:
        with get_sessionmaker()() as session:
            known = koploper_names(session)
        mine = sorted(known.get(slug, slug) for slug in current.koploper_slugs)
        st.text("Koploper(s): " + ", ".join(mine))  # as people write them: Tilburg
    if st.button("Uitloggen", icon=":material/logout:", type="primary"):
        access.log_out_here()
        st.switch_page("pages/start.py")
    password_form(current)
    st.stop()

st.title("Inloggen")
st.write(
    "Voor medewerkers van gemeenten, adviesraden en Movisie. Wie een vragenlijst invult, hoeft "
    "niet in te loggen: gebruik de link uit uw brief of e-mail."
)
if sso_configured():
    st.button(
        "Inloggen met uw organisatie",
        icon=":material/domain:",
        type="primary",
        on_click=st.login,
        help=(
            "Inloggen via uw organisatie: met het account waarmee u ook bij uw gemeente of "
            "organisatie inlogt. Een apart wachtwoord voor de Koplopermonitor is dan niet nodig."
        ),
    )
    st.write("Of log in met uw e-mailadres en wachtwoord van de Koplopermonitor:")

with st.form("inloggen", enter_to_submit=True):
    email = st.text_input("E-mailadres", autocomplete="username", max_chars=254)
    password = st.text_input(
        "Wachtwoord", type="password", autocomplete="current-password", max_chars=256
    )
    submitted = st.form_submit_button("Inloggen", type="primary")

if submitted:
    if not email.strip() or not password:
        st.error("Vul uw e-mailadres en uw wachtwoord in.", icon=":material/error:")
        st.stop()
    refused: LoginRefused | None = None
    with get_sessionmaker().begin() as session:
        # The failure is written too (it counts towards a lock): commit either way.
        try:
            login = log_in(session, email, password)
        except LoginRefused as problem:
            refused = problem
    if refused is not None:
        st.error(str(refused), icon=":material/error:")
        st.stop()
    access.keep(login)
    # The first page behind the login: Mijn koploper for a gemeente or adviesraad, Veldwerk for
    # the others, or the page asked for before logging in.
    st.switch_page(access.landing(login.viewer))

with get_sessionmaker()() as session:
    if demo_accounts_exist(session):
        st.info(
            "Dit is een demonstratie-omgeving met demo-accounts per rol. De e-mailadressen en "
            "wachtwoorden staan in de README.",
            icon=":material/science:",
        )
