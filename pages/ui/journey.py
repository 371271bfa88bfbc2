"""The respondent's journey on a page: intro, question screens, overview, thank you.

Shared by the two ways in: the open link (``pages/respond.py``) and a personal code
(``pages/code.py``). The journey itself is the pure state machine in ``surveys.journey``; saving
the draft and sending are in ``db.respondent``. ``state`` is the way in's own dict in
``st.session_state``; it holds ``opened`` (``db.respondent.Opened``), ``journey``,
``resume_code`` and ``started_at``.

The screen's position is in the address (``screen=``): every step sets it, which Streamlit records
as a new entry in the browser's history; the browser's Back and Forward rerun the page with the
address of then, and a reload opens the draft on that screen. The open link puts its resume code
in the address too (``resume=``); a code journey never does: its draft is found again by typing
the code on ``/code``, so nothing in the address, the history or a shared screen leads to it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st

from db.code_use import CodeUsed
from db.drafts import DRAFT_DAYS, DraftTooLarge, new_resume_code
from db.engine import get_sessionmaker
from db.errors import SQLAlchemyError, trouble
from db.respondent import Opened, save_progress, send
from db.responses import FieldworkClosed
from db.sources import source_keys
from db.submit import InvalidResponse
from pages.ui import chrome, sources, widgets
from pages.ui.intro import draw_intro
from surveys import journey as path
from surveys.clock import utcnow
from surveys.definition import from_stored
from surveys.flow import display_value, screens
from surveys.texts import LINK_PROBLEMS, TEXTS
from surveys.vocabulary import EASY_READ, LANGUAGES

STOPPING = ("closed", "code_used", "code_withdrawn", "code_open_only")
"""What sending can run into that no retry mends: the wave closed, the code used (another tab,
another person), its batch withdrawn or its wave set to the open link only meanwhile."""


def draft_state(journey: path.Journey) -> tuple:
    """What a draft holds of a journey: compared to save only what changed."""
    return journey.language, journey.screen, journey.answers


def draw(
    state: dict,
    *,
    resumed: bool,
    with_code: bool = False,
    hold_address: bool = False,
    on_intro: Callable[[str], None] | None = None,
) -> None:
    """Draw the journey held in ``state``, then stop the script.

    ``resumed``: the address already names the draft (the open link's ``?resume=``; a code's
    first run after opening it), so an address without ``screen=`` keeps the draft's screen
    instead of meaning the intro. ``with_code``: the journey of a personal code (the invitation
    is in ``state['opened'].invitation``): the address gets the screen only, never a code.
    ``hold_address``: change nothing in the address in this run (the run that still has the
    personal link's code in it, see ``pages/code.py``). ``on_intro(language)`` draws what the
    intro has besides 'Beginnen' (the open link's 'Eerder begonnen?').
    """
    factory = get_sessionmaker()
    params = st.query_params
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
                save_progress(
                    session,
                    state["resume_code"],
                    fieldwork,
                    journey,
                    state["started_at"],
                    invitation=opened.invitation,
                )
            state.pop("draft_failed", None)
            state["saved"] = draft_state(journey)
        except (SQLAlchemyError, DraftTooLarge) as error:
            if isinstance(error, SQLAlchemyError):
                trouble(error, "draft_failed", "draft_failed")
            state["draft_failed"] = True

    def show_in_address(journey: path.Journey) -> None:
        """Put the screen (and, for the open link once started, the resume code) in the address,
        in one history entry."""
        if hold_address:
            return
        wanted = {"screen": path.address(journey)}
        if state["resume_code"] and not with_code:
            wanted["resume"] = state["resume_code"]
        if any(params.get(name) != value for name, value in wanted.items()):
            st.query_params.update(wanted)
        state.pop("fresh", None)  # from now on the address names the screen

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
        """After drawing: the focus goes where the last step asked, once (not on a rerun)."""
        now = state["journey"]
        if now.focus:
            state["journey"] = replace(now, focus=None)
            chrome.focus_after_step(now.focus, next(iter(now.messages), None))

    # The browser's Back or Forward, or a reload: the address names the screen to show. Back to
    # the address the respondent started from (no screen in it) is the intro, with the code and
    # answers kept; for the open link the address then gets the code, so a reload there finds
    # them too (Streamlit replaces the history entry while it follows the browser's history, so
    # this adds no entry).
    journey: path.Journey = state["journey"]
    if state["resume_code"] and journey.stage != "done":
        where = params.get("screen") or ("" if resumed else path.INTRO)
        if where and where != path.address(journey):
            journey = state["journey"] = path.at_address(questionnaire, journey, where)
            fresh_widgets()
        if with_code:
            if params.get("screen") or journey.stage != "intro":
                show_in_address(journey)
        elif not resumed:
            show_in_address(journey)
        keep(journey)

    # --- intro ---------------------------------------------------------------------------------
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
                state["resume_code"] = new_resume_code()
            if not state["started_at"]:
                state["started_at"] = utcnow()
            go(path.start(journey))
        if on_intro is not None:
            on_intro(language)
        place_focus()
        st.stop()

    # --- question screens -----------------------------------------------------------------------
    if journey.stage == "questions":
        answers = dict(journey.answers)
        # Only this screen's widgets: Streamlit keeps a seeded key of a screen left behind with
        # the value it was seeded with, which would overwrite the answer given since.
        widgets.sync(path.current(questionnaire, journey)[1].items, answers)
        journey, dropped = path.edit(questionnaire, journey, answers)
        state["journey"] = journey
        for key in dropped:
            widgets.forget(questionnaire.item(key))
        if dropped:  # a question was hidden by an answer above it: draw the screen without it
            keep(journey)
            st.rerun()
        keep(journey)  # an answer given is saved at once, not only on 'Volgende'
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
            if with_code:
                # The same code again, on the short address of the letter: no address to keep.
                where = urlsplit(st.context.url or "")
                address = f"{where.scheme}://{where.netloc}{where.path}" if where.netloc else ""
                st.write(text("later_with_code").format(days=DRAFT_DAYS))
                if address:
                    st.code(address, language=None, wrap_lines=True)
            else:
                # The whole address to keep, and the code alone to type on the intro.
                st.write(text("later_explained").format(days=DRAFT_DAYS))
                st.code(  # wrapped: on a phone the whole address shows, not half of it
                    f"{st.context.url or ''}?resume={state['resume_code']}",
                    language=None,
                    wrap_lines=True,
                )
                st.write(text("later_code"))
                st.code(state["resume_code"], language=None)
        place_focus()
        st.stop()

    # --- overview -------------------------------------------------------------------------------
    if journey.stage == "overview":
        st.title(text("overview"), anchor=False)
        st.write(text("overview_explained"))
        shown = [
            item for s in screens(questionnaire, journey.answers, language) for item in s.items
        ]
        for number, item in enumerate(shown, start=1):
            with st.container(border=True, key=f"overview-{item.key}"):
                question, change = st.columns([4, 1])
                question.html(
                    f'<p class="km-answer">{number}. {html.escape(item.text[language])}</p>'
                )
                # What the respondent typed is shown as plain text, never as Markdown or HTML.
                question.text(display_value(item, journey.answers.get(item.key), language))
                # "Wijzig vraag 3": every button has a name of its own for screen readers.
                if change.button(f"{text('change')} vraag {number}", key=f"change-{item.key}"):
                    state.pop("problems", None)
                    go(path.change(questionnaire, journey, item.key))
        for message in state.get("problems") or []:
            st.error(message, icon=":material/error:")
        failed = state.get("send_failed")  # one of STOPPING, "db_down_send" or "db_fault"
        if failed:
            st.error(LINK_PROBLEMS.get(failed) or text(failed), icon=":material/error:")
            if failed in STOPPING:
                st.stop()
        back, forward = st.columns(2)
        if back.button(text("back"), width="stretch"):
            go(path.back(questionnaire, journey))
        if forward.button(text("retry" if failed else "send"), type="primary", width="stretch"):
            state.pop("problems", None)
            failed = _send(state, factory, questionnaire, journey)
            if failed is not None:
                st.rerun()
            for item in questionnaire.items:
                widgets.forget(item)
            go(path.sent(journey))
        place_focus()
        st.stop()

    # --- thank you ------------------------------------------------------------------------------
    st.title(text("thanks"), anchor=False)
    st.success(text("thanks_explained"), icon=":material/check_circle:")
    place_focus()
    st.stop()


def _send(state: dict, factory, questionnaire, journey: path.Journey) -> str | None:
    """Send the response; ``None`` when it is stored, else why not (kept in ``state``)."""
    opened: Opened = state["opened"]
    try:
        with factory.begin() as session:
            # Where it came from, for bounding bursts through the open link (db.open_link).
            keys = None if opened.invitation else source_keys(session, *sources.request_source())
            send(
                session,
                questionnaire,
                opened.fieldwork,
                journey,
                state["resume_code"],
                state["started_at"],
                sources=keys,
                invitation=opened.invitation,
            )
    except InvalidResponse as invalid:
        state["problems"] = [p.message for p in invalid.problems]
        return "invalid"
    except FieldworkClosed:
        state["send_failed"] = "closed"
    except CodeUsed as used:
        state["send_failed"] = used.problem
    except SQLAlchemyError as error:
        state["send_failed"] = trouble(error, "db_down_send", "db_fault")
    else:
        state.pop("send_failed", None)
        return None
    return state["send_failed"]
