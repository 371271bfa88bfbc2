"""Respondent page: /respond?survey=<key>&koploper=<slug>&wave=<code>[&lang=nl-eenvoudig].

Only draws: the journey (intro, screens, overview, sent) is drawn by ``pages.ui.journey``, shared
with ``/code``; opening the link, drafts and sending are in ``db``. The link of a wave open to
personal codes only leads to ``/code``.
"""

from __future__ import annotations

import streamlit as st

from db.engine import get_sessionmaker
from db.errors import SQLAlchemyError, trouble
from db.respondent import open_questionnaire
from pages.ui import chrome, journey
from pages.ui.intro import ask_resume_code
from pages.ui.journey import draft_state
from pages.ui.routing import ensure_routed
from surveys.texts import LINK_PROBLEMS, TEXTS

ensure_routed()
factory = get_sessionmaker()
params = st.query_params


def stop_with(message: str, to_code: bool = False) -> None:
    chrome.for_respondents("Vragenlijst")
    st.title("Vragenlijst", anchor=False)
    st.info(message)
    if to_code:  # a wave with codes only: its open link leads to the page for the code
        st.link_button(TEXTS["to_code"]["nl"], "code", type="primary", icon=":material/key:")
    st.stop()


# --- which questionnaire, for whom ----------------------------------------------------------------
# The screen's position is in the address (``screen=``, see ``path.address``): every step sets it,
# which Streamlit records as a new entry in the browser's history; the browser's Back and Forward
# rerun this page with the address of then, and a reload opens the draft on that screen.
link = (params.get("survey", ""), params.get("koploper", ""), params.get("wave", ""))
resume = params.get("resume", "")
state = st.session_state.setdefault("respond", {})
# Another questionnaire, or another resume code, starts afresh. The same link without a code is
# this respondent going Back to the address they started from: the code and answers stay.
if state.get("link") not in (None, link) or resume not in ("", state.get("resume_code", "")):
    state.clear()
state["link"] = link
if "opened" not in state and not resume and not all(link):
    stop_with(LINK_PROBLEMS["incomplete"])  # e.g. only '/respond', or the survey left off
if "opened" not in state:
    try:
        with factory() as session:
            opened = open_questionnaire(session, *link, resume=resume)
    except SQLAlchemyError as error:
        stop_with(TEXTS[trouble(error, "db_down_start", "db_fault")]["nl"])
    if isinstance(opened, str):
        stop_with(LINK_PROBLEMS.get(opened) or TEXTS[opened]["nl"], opened == "codes_only")
    state.update(opened=opened, resume_code=opened.resume_code, started_at=opened.started_at)
    state["journey"] = opened.journey(params.get("lang", ""))
    if opened.resume_code:  # what the draft holds now: saved again only when it changes
        state["saved"] = draft_state(state["journey"])


def ask_for_draft(language: str) -> None:
    """'Eerder begonnen?': the code from 'Later verder gaan?' typed by hand opens its draft."""
    typed = ask_resume_code(language)
    if typed and typed != state["resume_code"]:
        # Open the draft of that code on the screen it was saved on: the address names the code.
        names = ("survey", "koploper", "wave")
        st.query_params.from_dict(
            {
                **{name: value for name, value in zip(names, link, strict=True) if value},
                "resume": typed,
            }
        )
        st.rerun()


journey.draw(state, resumed=bool(resume), on_intro=ask_for_draft)
