"""Privacy notice of one koploper: /privacy?koploper=<slug>[&lang=nl-eenvoudig].

Linked from the respondent intro. Draws what ``surveys.privacy`` writes, as headings (our own
constant text) and plain text: names and contact details come from the database and are never
read as Markdown or HTML.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from db.contacts import koploper_contact
from db.drafts import DRAFT_DAYS
from db.engine import get_sessionmaker
from pages.ui import chrome
from pages.ui.routing import ensure_routed
from surveys.privacy import privacy_notice
from surveys.vocabulary import EASY_READ

ensure_routed()

TITLES = {"nl": "Privacyverklaring", EASY_READ: "Wat doen we met uw antwoorden?"}
OTHER_REGISTER = {"nl": "Lees dit in makkelijke taal", EASY_READ: "Lees de gewone versie"}

params = st.query_params
language = params.get("lang") if params.get("lang") in TITLES else "nl"
with get_sessionmaker()() as session:
    found = koploper_contact(session, params.get("koploper", ""))

chrome.for_respondents(TITLES[language], easy_read=language == EASY_READ)
st.title(TITLES[language], anchor=False)
if found is None:
    st.info("Deze gemeente kennen wij niet. Controleer de link uit de brief of de vragenlijst.")
    st.stop()

st.text(f"Onderzoek naar cliëntondersteuning bij {found.name}.")
other = EASY_READ if language == "nl" else "nl"
st.link_button(OTHER_REGISTER[language], "?" + urlencode({"koploper": found.slug, "lang": other}))
for section in privacy_notice(
    found.name,
    found.kind,
    found.contact,
    language,
    draft_days=DRAFT_DAYS,
    members=found.members,
):
    st.subheader(section.heading, anchor=False)
    for paragraph in section.paragraphs:
        st.text(paragraph)
