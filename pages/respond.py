"""Respondent page: /respond?survey=<key>&koploper=<slug>&wave=<code>[&lang=nl-eenvoudig].

Only draws: the journey (intro, screens, overview, sent) is the pure state machine in
``surveys.journey``; opening the link, drafts and sending are in ``db``.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from db.drafts import DRAFT_DAYS, idempotency_key_for, new_resume_code
from db.engine import get_sessionmaker
from db.errors import connection_lost
from db.respondent import Opened, open_questionnaire, save_progress
from db.responses import FieldworkClosed
from db.submit import InvalidResponse, submit_response
from pages.ui import chrome, widgets
from pages.ui.routing import ensure_routed
from surveys import journey as path
from surveys.clock import utcnow
from surveys.definition import from_stored
from surveys.flow import EASY_READ, LANGUAGE_NAMES, display_value, screens
from surveys.texts import LINK_PROBLEMS, TEXTS, koploper_phrase

ensure_routed()
log = logging.getLogger(__name__)
factory = get_sessionmaker()
params = st.query_params


def database_trouble(error: SQLAlchemyError, lost: str) -> str:
    """The message for a database error: ``lost`` for a lost connection, else a fault of ours."""
    if connection_lost(error):
        log.warning("database unreachable: %s", error)
        return lost
    log.exception("database error on the respondent page")
    return "db_fault"


def stop_with(message: str) -> None:
    chrome.for_respondents("Vragenlijst")
    st.title("Vragenlijst", anchor=False)
    st.info(message)
    st.stop()


def focus(selector: str) -> None:
    """Move keyboard focus to a heading or a question; our own constant script."""
    st.html(
        f"""<script>setTimeout(() => {{
          const el = document.querySelector({selector!r});
          if (el) {{ if (!el.matches('input,textarea,button')) el.setAttribute('tabindex', '-1');
                    el.focus(); }} }}, 150);</script>""",
        unsafe_allow_javascript=True,
    )


# --- which questionnaire, for whom ----------------------------------------------------------------
link = (params.get("survey", ""), params.get("koploper", ""), params.get("wave", ""))
resume = params.get("resume", "")
state = st.session_state.setdefault("respond", {})
if state.get("link") not in (None, link) or state.get("resume_param") not in (None, resume):
    state.clear()
state["link"], state["resume_param"] = link, resume
if "opened" not in state:
    try:
        with factory() as session:
            opened = open_questionnaire(session, *link, resume=resume)
    except SQLAlchemyError as error:
        stop_with(TEXTS[database_trouble(error, "db_down_start")]["nl"])
    if isinstance(opened, str):
        stop_with(LINK_PROBLEMS.get(opened) or TEXTS[opened]["nl"])
    language = opened.language or (
        params.get("lang") if params.get("lang") in LANGUAGE_NAMES else "nl"
    )
    state.update(opened=opened, resume_code=opened.resume_code, started_at=opened.started_at)
    state["journey"] = path.Journey(
        stage="questions" if opened.resume_code else "intro",
        screen=opened.position,
        language=language,
        answers=opened.answers,
    )

opened: Opened = state["opened"]
fieldwork = opened.fieldwork
questionnaire = from_stored(fieldwork.definition)
journey: path.Journey = state["journey"]
language = journey.language
chrome.for_respondents(questionnaire.title[language], easy_read=language == EASY_READ)


def text(name: str) -> str:
    return TEXTS[name][language]


def go(to: path.Journey, save: bool = False) -> None:
    """Take a step: save the draft when asked (a failure must not stop anyone), then redraw."""
    state["journey"] = to
    if save:
        try:
            with factory.begin() as session:
                save_progress(
                    session,
                    state["resume_code"],
                    fieldwork,
                    language=to.language,
                    answers=to.answers,
                    position=to.screen,
                    started_at=state["started_at"],
                )
            state.pop("draft_failed", None)
        except SQLAlchemyError as error:
            database_trouble(error, "draft_failed")
            state["draft_failed"] = True
    st.rerun()


if journey.focus:  # once per step: a rerun from a widget must not move the focus again
    state["journey"] = replace(journey, focus=None)
    if journey.focus == "message" and journey.messages:
        first = next(iter(journey.messages))
        focus(f".st-key-item-{first} input, .st-key-item-{first} textarea")
    else:
        focus("h1, h2")

# --- intro -------------------------------------------------------------------------------------
if journey.stage == "intro":
    who = koploper_phrase(fieldwork.koploper_name, fieldwork.koploper_kind)
    st.title(questionnaire.title[language], anchor=False)
    st.write(text("asked_by").format(koploper=who))
    st.write(questionnaire.intro[language])
    st.write(text("duration").format(minutes=questionnaire.minutes))
    st.write(text("contact").format(koploper=who))
    choice = st.radio(
        text("choose_version"),
        list(LANGUAGE_NAMES),
        index=list(LANGUAGE_NAMES).index(language),
        format_func=lambda code: TEXTS["version_names"][language][code],
        key="language_choice",
    )
    if choice != language:
        go(path.choose_language(journey, choice))
    if st.button(text("start"), type="primary"):
        # Back on the intro after starting: keep the one code, draft and start time, so an
        # earlier resume link cannot lead to a second response under another idempotency key.
        if not state["resume_code"]:
            state.update(resume_code=new_resume_code(), started_at=utcnow())
        st.query_params["resume"] = state["resume_param"] = state["resume_code"]
        go(path.start(journey), save=True)
    st.stop()

# --- question screens ---------------------------------------------------------------------------
if journey.stage == "questions":
    answers = dict(journey.answers)
    widgets.sync(questionnaire.items, answers)
    journey, dropped = path.edit(questionnaire, journey, answers)
    state["journey"] = journey
    for key in dropped:
        widgets.forget(questionnaire.item(key))
    if dropped:  # a question was hidden by an answer above it: draw the screen without it
        st.rerun()
    index, screen = path.current(questionnaire, journey)
    progress = path.progress(questionnaire, screen, language)
    st.progress(progress.fraction, text=progress.text)
    st.header(screen.title, anchor=False)
    for item in screen.items:
        widgets.render(
            item, language, journey.answers.get(item.key), journey.messages.get(item.key)
        )

    back, forward = st.columns(2)
    if back.button(text("back"), width="stretch"):
        go(path.back(questionnaire, journey), save=True)
    if forward.button(text("next"), type="primary", width="stretch"):
        go(path.forward(questionnaire, journey), save=True)
    if journey.from_overview and st.button(text("to_overview"), width="stretch"):
        go(path.to_overview(questionnaire, journey), save=True)
    if state.get("draft_failed"):
        st.warning(text("draft_failed"))
    with st.expander(text("later")):
        st.write(text("later_explained").format(days=DRAFT_DAYS))
        st.code(f"{st.context.url or ''}?resume={state['resume_code']}", language=None)
    st.stop()

# --- overview ------------------------------------------------------------------------------------
if journey.stage == "overview":
    st.title(text("overview"), anchor=False)
    st.write(text("overview_explained"))
    shown = [item for s in screens(questionnaire, journey.answers, language) for item in s.items]
    for number, item in enumerate(shown, start=1):
        with st.container(border=True, key=f"overview-{item.key}"):
            question, change = st.columns([4, 1])
            question.markdown(f"**{number}. {html.escape(item.text[language])}**")
            # What the respondent typed is shown as plain text, never as Markdown or HTML.
            question.text(display_value(item, journey.answers.get(item.key), language))
            # "Wijzig vraag 3": every button has a name of its own for screen readers.
            if change.button(f"{text('change')} vraag {number}", key=f"change-{item.key}"):
                state.pop("problems", None)
                go(path.change(questionnaire, journey, item.key))
    for problem in state.get("problems") or []:
        st.error(problem, icon=":material/error:")
    trouble = state.get("send_trouble")
    if trouble:
        st.error(
            LINK_PROBLEMS["closed"] if trouble == "closed" else text(trouble),
            icon=":material/error:",
        )
    if trouble == "closed":
        st.stop()
    back, send = st.columns(2)
    if back.button(text("back"), width="stretch"):
        go(path.back(questionnaire, journey))
    if send.button(text("retry") if trouble else text("send"), type="primary", width="stretch"):
        state.pop("problems", None)
        try:
            with factory.begin() as session:
                submit_response(
                    session,
                    questionnaire,
                    questionnaire_version_id=fieldwork.questionnaire_version_id,
                    koploper_id=fieldwork.koploper_id,
                    wave_id=fieldwork.wave_id,
                    answers=journey.answers,
                    language=language,
                    idempotency_key=idempotency_key_for(state["resume_code"]),
                    started_at=state["started_at"],
                    resume_code=state["resume_code"],
                )
        except InvalidResponse as invalid:
            state["problems"] = [p.message for p in invalid.problems]
            st.rerun()
        except FieldworkClosed:
            state["send_trouble"] = "closed"
            st.rerun()
        except SQLAlchemyError as error:
            state["send_trouble"] = database_trouble(error, "db_down_send")
            st.rerun()
        for item in questionnaire.items:
            widgets.forget(item)
        state.pop("send_trouble", None)
        go(path.sent(journey))
    st.stop()

# --- thank you ------------------------------------------------------------------------------------
st.title(text("thanks"), anchor=False)
st.success(text("thanks_explained"), icon=":material/check_circle:")
