"""Contactgegevens: whom respondents of a koploper ask about the survey and their privacy.

The beheerder edits every koploper's, a gemeente account those of its own koploper(s); the data
layer (``db.contacts.change_contact``) checks that, checks every value as
``python -m db koploper set-contact`` does, and writes the audit line.
"""

from __future__ import annotations

import streamlit as st

from db.access import AccessDenied
from db.contacts import (
    ContactError,
    UnknownKoploper,
    change_contact,
    contact_fields,
    editable_koplopers,
)
from db.engine import get_sessionmaker
from pages.ui import access
from pages.ui.plain import plain
from pages.ui.routing import ensure_routed

ensure_routed()
PAGE = "contactgegevens"
viewer = access.require_page(PAGE)

PICK = "contact_koploper"
NOTICE = "contact_notice"
FIELDS = {
    "organisation": (
        "Organisatie",
        "Wie de vragen beantwoordt, bijvoorbeeld 'Gemeente Tilburg, team Wmo'. Leeg: de "
        "gemeente of regio zelf.",
    ),
    "phone": ("Telefoonnummer", "Een Nederlands nummer, bijvoorbeeld 14 013 of 013-5423000."),
    "email": ("E-mailadres", "Bijvoorbeeld wmo@tilburg.nl."),
    "url": ("Webadres (privacy)", "Begin met https://, bijvoorbeeld https://www.tilburg.nl/wmo."),
}
maker = get_sessionmaker()


def _follow_picker() -> None:
    st.query_params["koploper"] = st.session_state[PICK]


with maker() as session:
    names = editable_koplopers(session, viewer)

st.title("Contactgegevens")
st.write(
    "Bij wie kunnen inwoners terecht met vragen over het onderzoek en hun privacy? Dit staat in "
    "de uitleg aan het begin van de vragenlijst en in de privacyverklaring. Een meting kan pas "
    "open als er een telefoonnummer of een e-mailadres is."
)
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/check_circle:")
if not names:
    access.without_koplopers()

wanted = (st.query_params.get("koploper") or "").strip().lower()[:60]
if wanted in names:
    st.session_state[PICK] = wanted
elif st.session_state.get(PICK) not in names:
    st.session_state[PICK] = next(iter(names))
slug = st.selectbox(
    "Koploper",
    list(names),
    format_func=names.get,
    key=PICK,
    on_change=_follow_picker,
    help=None if viewer.is_admin else "U ziet alleen de koplopers van uw account.",
)

with maker() as session:
    current, is_demo = contact_fields(session, viewer, slug)
if is_demo:
    st.info(
        "Deze koploper heeft nu voorbeeldgegevens (demo), grijs in de velden hieronder. Vul de "
        "echte gegevens in: ze vervangen alle voorbeeldgegevens.",
        icon=":material/science:",
    )

# The stored values in the keys: after saving, the fields start again from what is stored.
version = f"{slug}-{hash(tuple(current.values()))}-{is_demo}"
with st.form(f"contact-{version}"):
    typed = {
        name: st.text_input(
            label,
            # Demo values only as a grey example: nothing of them is saved unless typed.
            value="" if is_demo else current[name],
            placeholder=current[name] if is_demo else None,
            help=help_text,
            max_chars=300,
            key=f"{name}-{version}",
        )
        for name, (label, help_text) in FIELDS.items()
    }
    save = st.form_submit_button("Contactgegevens opslaan", type="primary")

if save:
    try:
        with maker.begin() as session:
            change_contact(session, viewer, slug, typed)
    except (ContactError, UnknownKoploper, AccessDenied) as problem:
        for line in str(problem).splitlines():
            st.error(plain(line), icon=":material/error:")
    else:
        st.session_state[NOTICE] = plain(f"De contactgegevens van {names[slug]} zijn opgeslagen.")
        st.rerun()
