"""Respondent page: /respond?survey=<key>&koploper=<slug>&wave=<code>[&lang=nl-eenvoudig].

Intro, one screen at a time, an overview with 'Wijzig' per answer, sending, thank-you. Answers live
in the session and in a server-side draft (resume code in the link); nothing is a response until
the whole of it passes the check and is stored once.
"""

from __future__ import annotations

import html

import streamlit as st
from sqlalchemy.exc import DBAPIError, OperationalError

from db.drafts import DRAFT_DAYS, idempotency_key_for, load_draft, new_resume_code, save_draft
from db.engine import get_sessionmaker
from db.fieldwork import Fieldwork, resolve_draft, resolve_link
from db.models import utcnow
from db.responses import FieldworkClosed, response_exists
from surveys import widgets
from surveys.definition import from_stored
from surveys.flow import (
    EASY_READ,
    LANGUAGE_NAMES,
    display_value,
    is_unanswered,
    missing_required,
    progress_text,
    prune,
    screen_of,
    screens,
)
from surveys.submit import InvalidResponse, submit_response
from surveys.texts import LINK_PROBLEMS, TEXTS

DB_ERRORS = (OperationalError, DBAPIError)
factory = get_sessionmaker()
params = st.query_params


def text(name: str) -> str:
    return TEXTS[name][state.get("language", "nl")]


def focus(selector: str) -> None:
    """Move keyboard focus (e.g. to a question that needs an answer); our own constant script."""
    st.html(
        f"""<script>
        setTimeout(() => {{
          const el = document.querySelector({selector!r});
          if (el) {{ if (!el.matches('input,textarea,button')) el.setAttribute('tabindex', '-1');
                    el.focus(); }}
        }}, 150);
        </script>""",
        unsafe_allow_javascript=True,
    )


def stop_with(message: str) -> None:
    st.title("Vragenlijst", anchor=False)
    st.info(message)
    st.stop()


# --- which questionnaire, for whom ----------------------------------------------------------------
link = (params.get("survey", ""), params.get("koploper", ""), params.get("wave", ""))
resume = params.get("resume", "")
state = st.session_state.setdefault("respond", {})
if state.get("link") not in (None, link) or state.get("resume_param") not in (None, resume):
    state.clear()
state["link"], state["resume_param"] = link, resume

try:
    with factory() as session:
        if "fieldwork" not in state:
            if resume:
                draft = load_draft(session, resume)
                if draft is None:
                    if response_exists(session, idempotency_key_for(resume)):
                        stop_with(TEXTS["already_sent"]["nl"])
                    stop_with(TEXTS["draft_gone"]["nl"])
                found = resolve_draft(session, draft)
                state.update(
                    answers=dict(draft.answers),
                    language=draft.language,
                    screen=draft.position,
                    started_at=draft.started_at,
                    resume_code=resume,
                    stage="questions",
                )
            else:
                found = resolve_link(session, *link)
            if isinstance(found, str):
                stop_with(LINK_PROBLEMS[found])
            state["fieldwork"] = found
except DB_ERRORS:
    stop_with(TEXTS["db_down_start"]["nl"])

fieldwork: Fieldwork = state["fieldwork"]
questionnaire = from_stored(fieldwork.definition)
state.setdefault("stage", "intro")
state.setdefault("answers", {})
state.setdefault("screen", 0)
if params.get("lang") in LANGUAGE_NAMES and "language" not in state:
    state["language"] = params["lang"]
state.setdefault("language", "nl")
language = state["language"]
answers: dict = state["answers"]


def save_progress() -> None:
    """Save the draft after a screen; a failure here must not stop the respondent."""
    try:
        with factory.begin() as session:
            save_draft(
                session,
                state["resume_code"],
                questionnaire_version_id=fieldwork.questionnaire_version_id,
                koploper_id=fieldwork.koploper_id,
                wave_id=fieldwork.wave_id,
                language=language,
                answers=answers,
                position=state["screen"],
                started_at=state.get("started_at"),
            )
        state.pop("draft_failed", None)
    except DB_ERRORS:
        state["draft_failed"] = True


def require(screen) -> None:
    """Stay on this screen, with a message and the focus at each required question left open."""
    missing = missing_required(screen, answers)
    if missing:
        state["errors"] = {item.key: text("required") for item in missing}
        state["focus_error"] = True
        st.rerun()


def go(stage: str, screen: int | None = None) -> None:
    state["stage"] = stage
    if screen is not None:
        state["screen"] = screen
    state["moved"] = True
    st.rerun()


if language == EASY_READ:
    st.html("<style>.stApp p, .stApp label, .stApp li { font-size: 1.25rem; }</style>")

# --- intro -------------------------------------------------------------------------------------
if state["stage"] == "intro":
    st.title(questionnaire.title[language], anchor=False)
    st.write(text("asked_by").format(koploper=fieldwork.koploper_name))
    st.write(questionnaire.intro[language])
    st.write(text("duration").format(minutes=questionnaire.minutes))
    st.write(text("contact").format(koploper=fieldwork.koploper_name))
    choice = st.radio(
        text("choose_version"),
        list(LANGUAGE_NAMES),
        index=list(LANGUAGE_NAMES).index(language),
        format_func=lambda code: TEXTS["version_names"][language][code],
        key="language_choice",
    )
    if choice != language:
        state["language"] = choice
        st.rerun()
    if st.button(text("start"), type="primary"):
        # Back on the intro after starting ('Vorige'): keep the one code, draft and start time, so
        # an earlier resume link cannot lead to a second response under another idempotency key.
        if "resume_code" not in state:
            state["resume_code"] = new_resume_code()
            state["started_at"] = utcnow()
        st.query_params["resume"] = state["resume_code"]
        state["resume_param"] = state["resume_code"]
        save_progress()
        go("questions", 0)
    st.stop()

widgets.sync(questionnaire.items, answers)
all_screens = screens(questionnaire, answers, language)

# --- question screens ---------------------------------------------------------------------------
if state["stage"] == "questions":
    index = min(state["screen"], len(all_screens) - 1)
    screen = all_screens[index]
    st.caption(progress_text(index, len(all_screens), language))
    st.header(screen.title, anchor=False)
    # A message stays next to its question until the question is answered.
    errors: dict[str, str] = {
        key: message
        for key, message in state.get("errors", {}).items()
        if is_unanswered(questionnaire.item(key), answers.get(key))
    }
    state["errors"] = errors
    for item in screen.items:
        with st.container(key=f"item-{item.key}"):
            answers[item.key] = widgets.render(item, language, answers.get(item.key))
            if item.key in errors:
                st.error(errors[item.key], icon=":material/error:")
    # Conditions apply live: a change above can show or hide questions on this very screen.
    kept = prune(questionnaire, answers)
    given = {k for k, v in answers.items() if not is_unanswered(questionnaire.item(k), v)}
    if set(kept) != given:
        for key in set(answers) - set(kept):
            widgets.forget(questionnaire.item(key))
        state["answers"] = answers = kept
        st.rerun()
    state["answers"] = answers = kept
    if state.pop("focus_error", False) and errors:
        focus(
            f".st-key-item-{next(iter(errors))} input, .st-key-item-{next(iter(errors))} textarea"
        )
    elif state.pop("moved", False):
        focus("h2")

    back, forward = st.columns(2)
    if back.button(text("back"), use_container_width=True):
        if index == 0:
            go("intro")
        state["screen"] = index - 1
        save_progress()
        go("questions", index - 1)
    if forward.button(text("next"), type="primary", use_container_width=True):
        require(screen)
        state["screen"] = index + 1
        save_progress()
        go("overview" if index + 1 >= len(all_screens) else "questions", index + 1)
    if state.get("from_overview") and st.button(text("to_overview"), use_container_width=True):
        require(screen)
        save_progress()
        go("overview")
    if state.get("draft_failed"):
        st.warning(text("draft_failed"))
    with st.expander(text("later")):
        st.write(text("later_explained").format(days=DRAFT_DAYS))
        st.code(f"{st.context.url or ''}?resume={state['resume_code']}", language=None)
    st.stop()

# --- overview ------------------------------------------------------------------------------------
if state["stage"] == "overview":
    state.pop("from_overview", None)
    st.title(text("overview"), anchor=False)
    st.write(text("overview_explained"))
    shown = [item for s in all_screens for item in s.items]
    for number, item in enumerate(shown, start=1):
        with st.container(border=True, key=f"overview-{item.key}"):
            question, change = st.columns([4, 1])
            question.markdown(f"**{number}. {html.escape(item.text[language])}**")
            # What the respondent typed is shown as plain text, never as Markdown or HTML.
            question.text(display_value(item, answers.get(item.key), language))
            # "Wijzig vraag 3": every button has a name of its own for screen readers.
            if change.button(f"{text('change')} vraag {number}", key=f"change-{item.key}"):
                state["from_overview"] = True
                state.pop("problems", None)
                go("questions", screen_of(questionnaire, answers, language, item.key))
    if state.pop("moved", False):
        focus("h1")
    problems = state.get("problems")
    if problems:
        for problem in problems:
            st.error(problem, icon=":material/error:")
    if state.get("send_failed"):
        st.error(text("db_down_send"), icon=":material/error:")
    if state.get("closed"):
        st.error(LINK_PROBLEMS["closed"], icon=":material/error:")
        st.stop()
    back, send = st.columns(2)
    if back.button(text("back"), use_container_width=True):
        go("questions", len(all_screens) - 1)
    label = text("retry") if state.get("send_failed") else text("send")
    if send.button(label, type="primary", use_container_width=True):
        state.pop("problems", None)
        try:
            submit_response(
                factory,
                questionnaire,
                questionnaire_version_id=fieldwork.questionnaire_version_id,
                koploper_id=fieldwork.koploper_id,
                wave_id=fieldwork.wave_id,
                answers=answers,
                language=language,
                idempotency_key=idempotency_key_for(state["resume_code"]),
                started_at=state.get("started_at"),
                resume_code=state["resume_code"],
            )
        except InvalidResponse as invalid:
            state["problems"] = [p.message for p in invalid.problems]
            st.rerun()
        except FieldworkClosed:
            state["closed"] = True
            st.rerun()
        except DB_ERRORS:
            state["send_failed"] = True
            st.rerun()
        for item in questionnaire.items:
            widgets.forget(item)
        state.update(stage="done", answers={}, problems=None, send_failed=False)
        st.rerun()
    st.stop()

# --- thank you ------------------------------------------------------------------------------------
st.title(text("thanks"), anchor=False)
st.success(text("thanks_explained"), icon=":material/check_circle:")
focus("h1")
