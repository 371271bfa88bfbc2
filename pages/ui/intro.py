"""The intro of a questionnaire: who asks and why, how long, whom to ask, the privacy notice."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from surveys.definition import Questionnaire
from surveys.privacy import contact_lines
from surveys.texts import TEXTS, intro


def draw_intro(questionnaire: Questionnaire, fieldwork, language: str) -> None:
    """``fieldwork``: what the link resolved to (``db.fieldwork.Fieldwork``)."""
    st.title(questionnaire.title[language], anchor=False)
    kind = fieldwork.koploper_kind
    for paragraph in intro(questionnaire, language, fieldwork.koploper_name, kind):
        st.write(paragraph)  # our own texts and the adviser-written definition
    # Contact details come from the database: plain text, never Markdown or HTML.
    for line in contact_lines(fieldwork.contact, language):
        st.text(line)
    notice = "privacy?" + urlencode({"koploper": fieldwork.koploper_slug, "lang": language})
    st.link_button(TEXTS["privacy"][language], notice, icon=":material/shield:")


def ask_resume_code(language: str) -> str:
    """'Eerder begonnen?': the code from 'Later verder gaan?' typed by hand; '' until sent."""
    with (
        st.expander(TEXTS["resume_title"][language]),
        st.form("resume_form", border=False, enter_to_submit=True),
    ):
        typed = st.text_input(TEXTS["resume_label"][language], max_chars=100)
        if st.form_submit_button(TEXTS["resume_go"][language]):
            return "".join(typed.split())  # spaces or a line break copied along
    return ""
