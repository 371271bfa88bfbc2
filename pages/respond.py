"""Respondent page: /respond?survey=<key>&koploper=<slug>&wave=<code>[&lang=nl-eenvoudig].

Only draws: the journey (intro, screens, overview, sent) is the pure state machine in
``surveys.journey``; opening the link, drafts and sending are in ``db``.
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from db.drafts import DRAFT_DAYS, DraftTooLarge, new_resume_code
from db.engine import get_sessionmaker
from db.errors import SQLAlchemyError, trouble
from db.respondent import Opened, open_questionnaire, save_progress, send
from db.responses import FieldworkClosed
from db.sources import source_keys
from db.submit import InvalidResponse
from pages.ui import chrome, widgets
from pages.ui.intro import ask_resume_code, draw_intro
from pages.ui.routing import ensure_routed
from pages.ui.sources import request_source
from surveys import journey as path
from surveys.clock import utcnow
from surveys.definition import from_stored
from surveys.flow import display_value, screens
from surveys.texts import LINK_PROBLEMS, TEXTS
from surveys.vocabulary import EASY_READ, LANGUAGES

ensure_routed()
factory = get_sessionmaker()
params = st.query_params


def stop_with(message: str) -> None:
    chrome.for_respondents("Vragenlijst")
    st.title("Vragenlijst", anchor=False)
    st.info(message)
    st.stop()


def draft_state(journey: path.Journey) -> tuple:
    """What a draft holds of a journey: compared to save only what changed."""
    return journey.language, journey.screen, journey.answers


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
        stop_with(LINK_PROBLEMS.get(opened) or TEXTS[opened]["nl"])
    state.update(opened=opened, resume_code=opened.resume_code, started_at=opened.started_at)
    state["journey"] = opened.journey(params.get("lang", ""))
    if opened.resume_code:  # what the draft holds now: saved again only when it changes
        state["saved"] = draft_state(state["journey"])

opened: Opened = state["opened"]
fieldwork = opened.fieldwork
questionnaire = from_stored(fieldwork.definition)
language = state["journey"].language
chrome.for_respondents(questionnaire.title[language], easy_read=language == EASY_READ)


def text(name: str) -> str:
    return TEXTS[name][language]


def keep(journey: path.Journey) -> None:
    """Save the draft when what it holds changed (a failure must not stop anyone)."""
    if not state["resume_code"] or state.get("saved") == draft_state(journey):
        return
    try:
        with factory.begin() as session:
            save_progress(session, state["resume_code"], fieldwork, journey, state["started_at"])
        state.pop("draft_failed", None)
        state["saved"] = draft_state(journey)
    except (SQLAlchemyError, DraftTooLarge) as error:
        if isinstance(error, SQLAlchemyError):
            trouble(error, "draft_failed", "draft_failed")
        state["draft_failed"] = True


def show_in_address(journey: path.Journey) -> None:
    """Put the screen (and, once started, the resume code) in the address, in one history entry."""
    wanted = {"screen": path.address(journey)}
    if state["resume_code"]:
        wanted["resume"] = state["resume_code"]
    if any(params.get(name) != value for name, value in wanted.items()):
        st.query_params.update(wanted)


def fresh_widgets() -> None:
    """The next screen's widgets start from the answers given, not from what Streamlit kept."""
    for item in questionnaire.items:
        widgets.forget(item)


def go(to: path.Journey) -> None:
    """Take a step: a new address (a history entry), the draft saved, then redraw."""
    state["journey"] = to
    fresh_widgets()
    if to.stage != "done":
        show_in_address(to)
        keep(to)
    st.rerun()


def place_focus() -> None:
    """After drawing: the focus goes where the last step asked, once (not on a widget's rerun)."""
    now = state["journey"]
    if now.focus:
        state["journey"] = replace(now, focus=None)
        chrome.focus_after_step(now.focus, next(iter(now.messages), None))


# The browser's Back or Forward, or a reload: the address names the screen to show. Back to the
# address the respondent started from (no code in it) is the intro, with the code and answers kept;
# the address then gets the code, so a reload there finds them too (Streamlit replaces the history
# entry while it follows the browser's history, so this adds no entry).
journey: path.Journey = state["journey"]
if state["resume_code"] and journey.stage != "done":
    where = params.get("screen") or ("" if resume else path.INTRO)
    if where and where != path.address(journey):
        journey = state["journey"] = path.at_address(questionnaire, journey, where)
        fresh_widgets()
    if not resume:
        show_in_address(journey)
    keep(journey)

# --- intro -------------------------------------------------------------------------------------
if journey.stage == "intro":
    draw_intro(questionnaire, fieldwork, language)
    choice = st.radio(
        text("choose_version"),
        LANGUAGES,
        index=LANGUAGES.index(language),
        format_func=lambda code: TEXTS["version_names"][language][code],
        key="language_choice",
    )
    if choice != language:
        state["journey"] = path.choose_language(journey, choice)
        keep(state["journey"])
        st.rerun()
    if st.button(text("start"), type="primary"):
        # Back on the intro after starting: keep the one code, draft and start time, so an
        # earlier resume link cannot lead to a second response under another idempotency key.
        if not state["resume_code"]:
            state.update(resume_code=new_resume_code(), started_at=utcnow())
        go(path.start(journey))
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
    place_focus()
    st.stop()

# --- question screens ---------------------------------------------------------------------------
if journey.stage == "questions":
    answers = dict(journey.answers)
    # Only this screen's widgets: Streamlit keeps a seeded key of a screen left behind with the
    # value it was seeded with, which would overwrite the answer given since.
    widgets.sync(path.current(questionnaire, journey)[1].items, answers)
    journey, dropped = path.edit(questionnaire, journey, answers)
    state["journey"] = journey
    for key in dropped:
        widgets.forget(questionnaire.item(key))
    if dropped:  # a question was hidden by an answer above it: draw the screen without it
        keep(journey)
        st.rerun()
    keep(journey)  # an answer given is saved at once, not only on 'Volgende'; never over a limit
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
        go(path.back(questionnaire, journey))
    if forward.button(text("next"), type="primary", width="stretch"):
        go(path.forward(questionnaire, journey))
    if journey.from_overview and st.button(text("to_overview"), width="stretch"):
        go(path.to_overview(questionnaire, journey))
    if state.get("draft_failed"):
        st.warning(text("draft_failed"))
    with st.expander(text("later")):
        # The whole address to keep, and the code alone to type on the intro (see draw_intro).
        st.write(text("later_explained").format(days=DRAFT_DAYS))
        st.code(  # wrapped: on a phone the whole address shows, not half of it
            f"{st.context.url or ''}?resume={state['resume_code']}", language=None, wrap_lines=True
        )
        st.write(text("later_code"))
        st.code(state["resume_code"], language=None)
    place_focus()
    st.stop()

# --- overview ------------------------------------------------------------------------------------
if journey.stage == "overview":
    codes = (state["resume_code"], state["started_at"])
    st.title(text("overview"), anchor=False)
    st.write(text("overview_explained"))
    shown = [item for s in screens(questionnaire, journey.answers, language) for item in s.items]
    for number, item in enumerate(shown, start=1):
        with st.container(border=True, key=f"overview-{item.key}"):
            question, change = st.columns([4, 1])
            question.html(f'<p class="km-answer">{number}. {html.escape(item.text[language])}</p>')
            # What the respondent typed is shown as plain text, never as Markdown or HTML.
            question.text(display_value(item, journey.answers.get(item.key), language))
            # "Wijzig vraag 3": every button has a name of its own for screen readers.
            if change.button(f"{text('change')} vraag {number}", key=f"change-{item.key}"):
                state.pop("problems", None)
                go(path.change(questionnaire, journey, item.key))
    for message in state.get("problems") or []:
        st.error(message, icon=":material/error:")
    failed = state.get("send_failed")  # "closed", "db_down_send" or "db_fault"
    if failed:
        st.error(LINK_PROBLEMS.get(failed) or text(failed), icon=":material/error:")
        if failed == "closed":
            st.stop()
    back, forward = st.columns(2)
    if back.button(text("back"), width="stretch"):
        go(path.back(questionnaire, journey))
    if forward.button(text("retry" if failed else "send"), type="primary", width="stretch"):
        state.pop("problems", None)
        try:
            with factory.begin() as session:
                # Where it came from, for bounding bursts through the open link (db.open_link).
                sources = source_keys(session, *request_source())
                send(session, questionnaire, fieldwork, journey, *codes, sources=sources)
        except InvalidResponse as invalid:
            state["problems"] = [p.message for p in invalid.problems]
            st.rerun()
        except FieldworkClosed:
            state["send_failed"] = "closed"
            st.rerun()
        except SQLAlchemyError as error:
            state["send_failed"] = trouble(error, "db_down_send", "db_fault")
            st.rerun()
        for item in questionnaire.items:
            widgets.forget(item)
        state.pop("send_failed", None)
        go(path.sent(journey))
    place_focus()
    st.stop()

# --- thank you ------------------------------------------------------------------------------------
st.title(text("thanks"), anchor=False)
st.success(text("thanks_explained"), icon=":material/check_circle:")
place_focus()
