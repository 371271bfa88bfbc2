"""Respondent page /code: the personal code from an invitation letter opens its questionnaire.

Typed ('k7qm 2xpd' works as well as 'K7QM-2XPD'), or from the personal link of the letter's QR
code, ``/code?c=K7QM2XPD``. That link's code is taken out of the address at once, before anything
else changes it, so it is left neither in the address bar nor in the browser's history (nor on a
screen someone else looks at): the browser replaces the address it came in with by ``/code``.
Streamlit would add a history entry instead, keeping the old one, so the browser does this itself
(a script of ours); Streamlit's own copy of the address forgets the code on the next run.

The code decides koploper, wave, questionnaire and register; then the journey is the one of the
open link (``pages.ui.journey``), with the code's draft: typing the code again, after a reload or
another day, goes on where the respondent was. Wrong codes are counted per browser and network
address in the database (``db.invitations``): after ten the way in pauses for that source.
"""

from __future__ import annotations

import streamlit as st

from db.engine import get_sessionmaker
from db.errors import SQLAlchemyError, trouble
from db.invitations_contact import contact_for_code
from db.respondent import open_with_code
from db.sources import source_keys
from pages.ui import chrome, journey, sources
from pages.ui.journey import draft_state
from pages.ui.routing import ensure_routed
from surveys.privacy import contact_lines
from surveys.texts import LINK_PROBLEMS, TEXTS

ensure_routed()
factory = get_sessionmaker()
params = st.query_params
state = st.session_state.setdefault("code", {})
FIELD = "code_typed"
# Refusals that name whom to call: the code exists, and only its koploper can help further.
WITH_CONTACT = ("code_used", "code_withdrawn")

# The personal link's code goes out of the address in the browser, replacing the entry the link
# made. Only the code: 'screen=' and anything else stay. A constant script, never typed text.
FORGET_CODE = """<script>
(() => { const url = new URL(window.location.href);
  if (!url.searchParams.has('c')) return;
  url.searchParams.delete('c');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
})();
</script>"""


def text(name: str, language: str = "nl") -> str:
    return TEXTS[name][language]


def refuse(problem: str, typed: str) -> None:
    """Why the code opens nothing, under the field; for a used or withdrawn code whom to call."""
    state["problem"] = problem
    if problem in WITH_CONTACT:
        try:
            with factory() as session:
                found = contact_for_code(session, typed)
        except SQLAlchemyError as error:
            trouble(error, "db_down_start", "db_fault")
            found = None
        state["contact"] = found


def try_code(typed: str, from_link: bool = False) -> bool:
    """Open the questionnaire of ``typed``; False (with the reason in ``state``) when it cannot."""
    state.pop("problem", None)
    state.pop("contact", None)
    if not typed.strip():
        state["problem"] = "code_empty"
        return False
    try:
        with factory.begin() as session:
            keys = source_keys(session, *sources.request_source())
            opened = open_with_code(session, typed, keys)
    except SQLAlchemyError as error:
        state["problem"] = trouble(error, "db_down_start", "db_fault")
        return False
    if isinstance(opened, str):
        refuse(opened, typed)
        return False
    state.update(opened=opened, resume_code=opened.draft_code, started_at=opened.started_at)
    state["journey"] = opened.journey(opened.invitation.language)
    state["saved"] = draft_state(state["journey"])  # a draft only once something changes
    state["fresh"] = True  # the address does not name a screen yet: stay on the draft's
    if opened.resume_code is None and "screen" in params and not from_link:
        # A screen left in the address (a reload) means nothing to a code without a draft: it
        # starts on the intro.
        del st.query_params["screen"]
    st.session_state.pop(FIELD, None)
    return True


def show_problem() -> None:
    problem = state.get("problem")
    if not problem:
        return
    found = state.get("contact")
    language = found.language if found is not None else "nl"
    message = LINK_PROBLEMS.get(problem) or text(problem, language)
    st.error(message, icon=":material/error:")
    if problem in WITH_CONTACT:
        # Contact details come from the database: plain text, never Markdown or HTML.
        for line in contact_lines(found.contact if found is not None else None, language):
            st.text(line)


# --- the personal link: the code in the address -------------------------------------------------
from_link = params.get("c")
hold_address = False
if from_link is not None:
    if state.get("from_link") == from_link:
        # Streamlit's copy of the address still had the code (the browser's no longer does):
        # forgetting it here changes nothing the browser shows or keeps.
        del st.query_params["c"]
    else:
        state.clear()
        state["from_link"] = from_link
        st.html(FORGET_CODE, unsafe_allow_javascript=True)
        # Nothing in this run may change the address: Streamlit would add the code's address
        # to the history before the browser replaced it.
        hold_address = True
        st.session_state[FIELD] = from_link[:40]
        try_code(from_link, from_link=True)

if "opened" in state:
    journey.draw(state, resumed=bool(state.get("fresh")), with_code=True, hold_address=hold_address)

# --- the code typed -------------------------------------------------------------------------------
chrome.for_respondents(text("code_title"))
st.title(text("code_title"), anchor=False)
st.write(text("code_explained"))
show_problem()  # above the field, read out at once (an error is an alert)
with st.form("code_form", border=False, enter_to_submit=True):
    typed = st.text_input(
        text("code_label"),
        max_chars=40,
        autocomplete="off",
        key=FIELD,
    )
    st.caption(text("code_hint"))
    sent = st.form_submit_button(text("code_go"), type="primary")
if sent:
    try_code(typed)
    st.rerun()  # the questionnaire, or the field again with why not above it
