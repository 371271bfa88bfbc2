"""The respondent page, in-process through Streamlit's AppTest.

Each test opens a fresh SQLite database with wave T2 of Almere open, and drives the page the way a
respondent would: through the link's query parameters, the widgets (by their keys) and the buttons.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from streamlit.testing.v1 import AppTest

import db.drafts
import db.fieldwork
import db.respondent
import db.submit
from db.drafts import load_draft
from db.engine import get_sessionmaker
from db.fieldwork import set_wave_open
from db.models import Answer, Draft, Koploper, Response, Wave
from surveys.texts import LINK_PROBLEMS, TEXTS
from surveys.vocabulary import EASY_READ

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
LINK = {"survey": "client", "koploper": "almere", "wave": "T2"}
NUMBERS = {"contacts"}
TEXTS_TYPED = {"comments"}

# A complete client questionnaire, screen by screen (standard version, help received).
CLIENT_SCREENS: list[dict[str, Any]] = [
    {"aware_oco": 1, "heard_via": [2, 3], "used_oco": 1},
    {"knew_where": 4, "easy_contact": 5, "quick_help": 9},
    {
        "taken_seriously": 5,
        "solutions_together": 4,
        "on_my_side": 3,
        "knew_enough": 2,
        "contacts": 3,
        "grade": 8,
    },
    {"outcome_choices": 4, "outcome_fit": 1, "outcome_cope": 9},
    {"need_domains": [1, 3], "target_group": [7], "age_group": 4, "filled_by": 2},
    {"comments": "Fijne hulp gehad."},
]


# --- helpers --------------------------------------------------------------------------------------
@pytest.fixture
def url(almere_t2_open) -> str:
    """A database with the reference data and wave T2 of Almere open for fieldwork."""
    return almere_t2_open


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; there are {[b.label for b in at.button]}"
    return matches[0]


def press(at: AppTest, label: str) -> AppTest:
    button(at, label).click().run()
    assert not at.exception
    return at


def start(**extra: str) -> AppTest:
    """Open the standard link and press 'Beginnen'."""
    return press(open_page(**LINK, **extra), TEXTS["start"]["nl"])


def set_answer(at: AppTest, key: str, value: Any) -> bool:
    """Give one question an answer through its widget; False when it is not on the screen."""
    try:
        if isinstance(value, list):
            for code in value:
                at.checkbox(key=f"answer__{key}__{code}").check()
            if not value:  # nothing chosen: make sure the widget exists
                at.checkbox(key=f"answer__{key}__1")
        elif key in NUMBERS:
            at.number_input(key=f"answer__{key}").set_value(value)
        elif key in TEXTS_TYPED:
            at.text_area(key=f"answer__{key}").input(value)
        else:
            at.radio(key=f"answer__{key}").set_value(value)
    except KeyError:
        return False
    return True


def fill(at: AppTest, answers: dict[str, Any]) -> AppTest:
    """Answer what is on the screen; questions that appear through a condition come next run."""
    todo = dict(answers)
    for _ in range(3):
        todo = {k: v for k, v in todo.items() if not set_answer(at, k, v)}
        at.run()
        assert not at.exception
        if not todo:
            return at
    raise AssertionError(f"never shown: {sorted(todo)}")


def to_overview(at: AppTest, answer_screens: list[dict[str, Any]]) -> AppTest:
    for answers in answer_screens:
        fill(at, answers)
        press(at, TEXTS["next"]["nl"])
    assert at.title[0].value == TEXTS["overview"]["nl"]
    return at


def block(at: AppTest, key: str):
    """The keyed container ``key`` (one per question: ``item-<item key>``)."""
    found = [c for c in at.container if getattr(c, "key", None) == key]
    assert found, f"no container {key!r}"
    return found[0]


def count(url: str, model) -> int:
    with get_sessionmaker(url)() as session:
        return session.scalar(select(func.count()).select_from(model))


def stored_answers(url: str) -> dict[str, list[Any]]:
    """The stored answers: item key → its values (codes, a number or a text), in stored order."""
    with get_sessionmaker(url)() as session:
        rows = session.execute(
            select(Answer.item_key, Answer.code, Answer.number, Answer.text).order_by(Answer.id)
        ).all()
    result: dict[str, list[Any]] = {}
    for key, code, number, text in rows:
        value = code if code is not None else number if number is not None else text
        result.setdefault(key, []).append(value)
    return result


def expected(answer_screens: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """What ``stored_answers`` should give for answers typed screen by screen."""
    flat = {k: v for screen in answer_screens for k, v in screen.items()}
    return {
        k: sorted(v) if isinstance(v, list) else [float(v) if k in NUMBERS else v]
        for k, v in flat.items()
        if v not in ([], "")
    }


def progress(at: AppTest) -> str:
    """The progress line above a question screen."""
    bars = at.get("progress")
    assert len(bars) == 1, "one progress bar on a question screen"
    return bars[0].proto.text


def texts_on_screen(at: AppTest) -> list[str]:
    return [
        e.value for kind in ("title", "header", "markdown", "caption") for e in getattr(at, kind)
    ]


# --- 1. forged and unknown links ------------------------------------------------------------------
def _open_wave_in_the_past(session) -> None:
    wave = session.scalar(
        select(Wave).join(Wave.koploper).where(Koploper.slug == "almere", Wave.code == "T0")
    )
    wave.is_open = True  # still flagged open, but its fieldwork dates lie years back


def _open_wave_in_the_future(session) -> None:
    wave = session.scalar(
        select(Wave).join(Wave.koploper).where(Koploper.slug == "amsterdam", Wave.code == "T2")
    )
    wave.is_open = True
    wave.fieldwork_start = dt.date.today() + dt.timedelta(days=10)
    wave.fieldwork_end = dt.date.today() + dt.timedelta(days=40)


@pytest.mark.parametrize(
    ("link", "prepare", "problem"),
    [
        ({**LINK, "survey": "onbekend"}, None, "survey"),
        ({**LINK, "survey": "x" * 500}, None, "survey"),
        ({**LINK, "koploper": "nergenshuizen"}, None, "koploper"),
        ({**LINK, "koploper": "<script>alert(1)</script>"}, None, "koploper"),
        ({"survey": "client"}, None, "incomplete"),
        ({**LINK, "wave": "T9"}, None, "wave"),
        ({**LINK, "wave": "' OR 1=1 --"}, None, "wave"),
        ({**LINK, "wave": "T1"}, None, "closed"),
        ({**LINK, "wave": "T0"}, _open_wave_in_the_past, "ended"),
        ({**LINK, "koploper": "amsterdam"}, _open_wave_in_the_future, "not_started"),
    ],
    ids=[
        "unknown-survey",
        "overlong-survey",
        "unknown-koploper",
        "script-as-koploper",
        "missing-koploper",
        "unknown-wave",
        "sql-as-wave",
        "closed-wave",
        "wave-in-the-past",
        "wave-not-yet-started",
    ],
)
def test_a_forged_or_unknown_link_shows_one_friendly_dutch_message_and_stores_nothing(
    url, link, prepare, problem
):
    if prepare:
        with get_sessionmaker(url).begin() as session:
            prepare(session)
    at = open_page(**link)
    assert not at.exception
    assert [i.value for i in at.info] == [LINK_PROBLEMS[problem]]
    assert not at.error and not at.button and not at.radio
    assert not any("<script" in t for t in texts_on_screen(at))
    assert count(url, Draft) == 0
    assert count(url, Response) == 0


def test_a_database_that_fails_when_the_link_is_opened_gives_a_friendly_message(url, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(db.respondent, "resolve_link", unreachable)
    at = open_page(**LINK)
    assert not at.exception
    assert [i.value for i in at.info] == [TEXTS["db_down_start"]["nl"]]
    assert not at.button


# --- 2. intro -------------------------------------------------------------------------------------
def test_the_intro_names_the_koploper_the_minutes_anonymity_and_offers_both_versions(url):
    at = open_page(**LINK)
    assert not at.exception
    assert at.title[0].value == "Vragenlijst over cliëntondersteuning"
    shown = " ".join(m.value for m in at.markdown)
    assert "gemeente Almere" in shown
    assert "ongeveer 10 minuten" in shown
    assert "Uw antwoorden zijn anoniem" in shown
    assert "U mag vragen overslaan" in shown
    contact = [t.value for t in at.text]  # from the database: plain text, not Markdown
    assert "Neem contact op met de gemeente Almere" in contact[0]
    assert contact[1:] == ["Telefoon: 14 036"]
    [notice] = at.get("link_button")
    assert notice.proto.label == TEXTS["privacy"]["nl"]
    assert notice.proto.url == "privacy?koploper=almere&lang=nl"
    choice = at.radio(key="language_choice")
    assert choice.label == TEXTS["choose_version"]["nl"]
    assert choice.options == ["Standaard", "Makkelijk lezen (korte zinnen, één vraag per keer)"]
    assert choice.value == "nl"
    # 'Beginnen', and the code from 'Later verder gaan?' typed by hand
    assert [b.label for b in at.button] == [TEXTS["start"]["nl"], TEXTS["resume_go"]["nl"]]
    assert count(url, Draft) == 0  # only reading the intro saves nothing


@pytest.mark.parametrize(
    ("lang", "version", "title"),
    [
        (EASY_READ, EASY_READ, "Vragen over hulp van een cliëntondersteuner"),
        ("nl", "nl", "Vragenlijst over cliëntondersteuning"),
        ("<b>en</b>", "nl", "Vragenlijst over cliëntondersteuning"),
    ],
    ids=["easy-read", "standard", "unknown-language"],
)
def test_the_lang_parameter_preselects_the_version_and_anything_else_means_standard(
    url, lang, version, title
):
    at = open_page(**LINK, lang=lang)
    assert not at.exception
    assert at.radio(key="language_choice").value == version
    assert at.title[0].value == title


def test_choosing_easy_read_on_the_intro_switches_to_one_question_per_screen(url):
    at = open_page(**LINK)
    at.radio(key="language_choice").set_value(EASY_READ).run()
    assert not at.exception
    assert at.title[0].value == "Vragen over hulp van een cliëntondersteuner"
    press(at, TEXTS["start"][EASY_READ])
    assert progress(at) == "Vraag 1 van 20"
    assert [r.key for r in at.radio] == ["answer__aware_oco"]


# --- 3. standard version: a screen, a draft, a required question ----------------------------------
def test_next_on_the_first_screen_saves_a_draft_and_stores_no_response(url):
    at = start()
    assert at.header[0].value == "Bekendheid"
    assert progress(at) == "Deel 1 van 6"
    fill(at, {"aware_oco": 0, "used_oco": 0})
    press(at, TEXTS["next"]["nl"])
    assert at.header[0].value == "Over u"
    assert progress(at) == "Deel 5 van 6"  # skipped parts count as done
    assert count(url, Draft) == 1
    assert count(url, Response) == 0
    with get_sessionmaker(url)() as session:
        draft = load_draft(session, at.query_params["resume"])
        assert draft.answers == {"aware_oco": 0, "used_oco": 0}
        assert draft.position == 1


def test_leaving_the_required_question_open_gives_a_dutch_message_on_the_same_screen(url):
    at = start()
    fill(at, {"aware_oco": 1})
    press(at, TEXTS["next"]["nl"])
    assert at.header[0].value == "Bekendheid"
    assert progress(at) == "Deel 1 van 6"
    assert [e.value for e in at.error] == [TEXTS["required"]["nl"]]
    assert [e.value for e in block(at, "item-used_oco").error] == [TEXTS["required"]["nl"]]
    assert at.radio(key="answer__aware_oco").value == 1  # what was answered is kept
    # Answering it makes the message go away and lets the respondent on.
    fill(at, {"used_oco": 0})
    assert not at.error
    press(at, TEXTS["next"]["nl"])
    assert at.header[0].value == "Over u"


def test_a_draft_that_cannot_be_saved_warns_but_lets_the_respondent_go_on(url, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("INSERT INTO drafts", {}, Exception("database is locked"))

    monkeypatch.setattr(db.respondent, "save_draft", unreachable)
    at = start()
    assert at.header[0].value == "Bekendheid"
    assert [w.value for w in at.warning] == [TEXTS["draft_failed"]["nl"]]
    fill(at, {"aware_oco": 0, "used_oco": 0})
    press(at, TEXTS["next"]["nl"])
    assert at.header[0].value == "Over u"
    assert count(url, Draft) == 0


# --- 4. conditions, live --------------------------------------------------------------------------
def test_a_condition_shows_and_hides_a_question_on_the_same_screen_and_drops_its_answer(url):
    at = start()
    heard_via = "answer__heard_via__2"
    assert heard_via not in [c.key for c in at.checkbox]

    fill(at, {"aware_oco": 1})
    assert at.header[0].value == "Bekendheid"
    assert heard_via in [c.key for c in at.checkbox]
    fill(at, {"heard_via": [2, 5]})
    assert at.session_state["respond"]["journey"].answers["heard_via"] == [2, 5]

    fill(at, {"aware_oco": 0})
    assert at.header[0].value == "Bekendheid"
    assert not at.checkbox
    assert "heard_via" not in at.session_state["respond"]["journey"].answers

    # Shown again, it starts empty: the earlier answer is gone, not merely hidden.
    fill(at, {"aware_oco": 1})
    assert [c.value for c in at.checkbox if c.key.startswith("answer__heard_via__")] == [False] * 7
    fill(at, {"aware_oco": 0, "used_oco": 0})
    press(at, TEXTS["next"]["nl"])
    to_overview(at, [{}, {}])
    press(at, TEXTS["send"]["nl"])
    assert at.title[0].value == TEXTS["thanks"]["nl"]
    assert stored_answers(url) == {"aware_oco": [0], "used_oco": [0]}


# --- 5. the whole client questionnaire ------------------------------------------------------------
def test_a_completed_client_questionnaire_is_stored_once_with_the_right_codes(url):
    at = start()
    to_overview(at, CLIENT_SCREENS)
    assert [c.value for c in at.caption] == []  # no progress line on the overview
    press(at, TEXTS["send"]["nl"])
    assert at.title[0].value == "Dank u wel!"
    assert at.success[0].value == TEXTS["thanks_explained"]["nl"]
    assert count(url, Response) == 1
    assert count(url, Draft) == 0  # the draft goes in the same transaction
    assert stored_answers(url) == expected(CLIENT_SCREENS)
    with get_sessionmaker(url)() as session:
        response = session.scalars(select(Response)).one()
        assert (response.language, response.channel, response.is_demo) == ("nl", "web", False)
        assert response.started_at is not None

    # Another run of the same session after sending shows the thanks again and stores nothing.
    at.run()
    assert not at.exception
    assert at.title[0].value == "Dank u wel!"
    # Opening the resume link again says it was sent already.
    again = open_page(resume=at.query_params["resume"])
    assert [i.value for i in again.info] == [TEXTS["already_sent"]["nl"]]
    assert count(url, Response) == 1


def test_sending_the_same_answers_twice_from_two_windows_stores_one_response(url):
    first = start()
    to_overview(first, CLIENT_SCREENS)
    # The same resume link open in a second window, both sent: one idempotency key, one row.
    second = open_page(resume=first.query_params["resume"])
    press(second, TEXTS["next"]["nl"])
    assert second.title[0].value == TEXTS["overview"]["nl"]

    press(first, TEXTS["send"]["nl"])
    press(second, TEXTS["send"]["nl"])
    assert first.title[0].value == second.title[0].value == "Dank u wel!"
    assert count(url, Response) == 1
    assert stored_answers(url) == expected(CLIENT_SCREENS)


def test_wijzig_on_the_overview_goes_to_the_question_and_back_with_the_new_answer(url):
    at = start()
    to_overview(at, [{"aware_oco": 0, "used_oco": 0}, {"age_group": 2}, {}])
    assert "18 tot en met 44 jaar" in [t.value for t in at.text]
    at.button(key="change-age_group").click().run()
    assert not at.exception
    assert at.header[0].value == "Over u"
    assert at.radio(key="answer__age_group").value == 2
    fill(at, {"age_group": 3})
    press(at, "Klaar, terug naar het overzicht")
    assert at.title[0].value == TEXTS["overview"]["nl"]
    shown = [t.value for t in at.text]
    assert "45 tot en met 64 jaar" in shown and "18 tot en met 44 jaar" not in shown
    press(at, TEXTS["send"]["nl"])
    assert stored_answers(url)["age_group"] == [3]


# --- 6. the database gone at the moment of sending ------------------------------------------------
def test_a_database_failure_on_sending_keeps_the_answers_and_the_retry_stores_them_once(
    url, monkeypatch
):
    real_store = db.submit.store_response
    calls = []

    def store_failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT INTO responses", {}, Exception("connection refused"))
        return real_store(*args, **kwargs)

    monkeypatch.setattr(db.submit, "store_response", store_failing_once)
    answer_screens = [{"aware_oco": 0, "used_oco": 0}, {"age_group": 5}, {}]
    at = start()
    to_overview(at, answer_screens)
    answers_before = dict(at.session_state["respond"]["journey"].answers)

    press(at, TEXTS["send"]["nl"])
    assert [e.value for e in at.error] == [TEXTS["db_down_send"]["nl"]]
    assert at.title[0].value == TEXTS["overview"]["nl"]
    assert TEXTS["send"]["nl"] not in [b.label for b in at.button]
    assert at.session_state["respond"]["journey"].answers == answers_before
    assert "75 jaar of ouder" in [t.value for t in at.text]
    assert count(url, Response) == 0

    press(at, "Opnieuw proberen")
    assert at.title[0].value == "Dank u wel!"
    assert not at.error
    assert len(calls) == 2
    assert count(url, Response) == 1
    assert stored_answers(url) == expected(answer_screens)


# --- 7. coming back later -------------------------------------------------------------------------
def test_going_back_to_the_intro_and_starting_again_keeps_one_resume_code_and_draft(url):
    at = start()
    code = at.query_params["resume"]
    started_at = at.session_state["respond"]["started_at"]
    fill(at, {"aware_oco": 1, "used_oco": 0})
    press(at, TEXTS["back"]["nl"])
    assert at.title[0].value == "Vragenlijst over cliëntondersteuning"
    at.radio(key="language_choice").set_value(EASY_READ).run()
    press(at, TEXTS["start"][EASY_READ])
    assert at.query_params["resume"] == code
    assert at.session_state["respond"]["started_at"] == started_at
    assert at.radio(key="answer__aware_oco").value == 1  # answers kept, now one per screen
    assert count(url, Draft) == 1
    with get_sessionmaker(url)() as session:
        draft = load_draft(session, code)
        assert (draft.language, draft.answers) == (EASY_READ, {"aware_oco": 1, "used_oco": 0})


def test_the_resume_code_in_the_link_continues_with_the_saved_answers(url):
    at = start()
    code = at.query_params["resume"]
    assert len(code) >= 22  # 128 random bits, url-safe
    assert f"?resume={code}" in [c.value for c in at.code]
    fill(at, CLIENT_SCREENS[0])
    press(at, TEXTS["next"]["nl"])
    assert at.query_params["resume"] == code

    later = open_page(resume=code)
    assert later.header[0].value == "Hulp vinden"
    assert progress(later) == "Deel 2 van 6"
    assert later.session_state["respond"]["journey"].answers == CLIENT_SCREENS[0]
    press(later, TEXTS["back"]["nl"])
    assert later.radio(key="answer__used_oco").value == 1
    assert later.radio(key="answer__aware_oco").value == 1
    ticked = [c.key for c in later.checkbox if c.value]
    assert ticked == ["answer__heard_via__2", "answer__heard_via__3"]


def test_a_resume_link_for_a_wave_that_has_closed_since_says_it_is_closed(url):
    at = start()
    with get_sessionmaker(url).begin() as session:
        set_wave_open(session, "almere", "T2", None, is_open=False)
    later = open_page(resume=at.query_params["resume"])
    assert [i.value for i in later.info] == [LINK_PROBLEMS["closed"]]
    assert not later.button


@pytest.mark.parametrize("code", ["verzonnen-code-123", "x" * 200, "<script>"])
def test_a_made_up_resume_code_says_the_link_no_longer_works(url, code):
    at = open_page(resume=code)
    assert [i.value for i in at.info] == [TEXTS["draft_gone"]["nl"]]
    assert "werkt niet meer" in at.info[0].value
    assert not at.button
    assert count(url, Draft) == 0


# --- 8. what a respondent typed is plain text -----------------------------------------------------
def test_typed_html_and_markdown_appear_on_the_overview_only_as_plain_text(url):
    typed = "<b>vet</b> **x** [klik](https://example.org)"
    at = start()
    to_overview(at, [{"aware_oco": 0, "used_oco": 0}, {}, {"comments": typed}])
    assert [t.value for t in block(at, "overview-comments").text] == [typed]
    for element in [*at.markdown, *at.caption, *at.title, *at.info, *at.error, *at.warning]:
        for part in ("<b>", "**x**", "example.org"):
            assert part not in element.value
    assert not at.html or all("vet" not in h.proto.body for h in at.html)
    press(at, TEXTS["send"]["nl"])
    assert stored_answers(url)["comments"] == [typed]


def test_a_database_fault_on_sending_is_logged_and_gets_its_own_message_not_try_later(
    url, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise IntegrityError("INSERT INTO answers", {}, Exception("CHECK constraint failed"))

    monkeypatch.setattr(db.submit, "store_response", broken)
    at = start()
    to_overview(at, [{"aware_oco": 0, "used_oco": 0}, {}, {}])
    with caplog.at_level("ERROR", logger="db.errors"):
        press(at, TEXTS["send"]["nl"])
    assert [e.value for e in at.error] == [TEXTS["db_fault"]["nl"]]
    assert TEXTS["db_down_send"]["nl"] not in [e.value for e in at.error]
    # logged with where it happened (the frames; not the message, which may quote answers)
    assert caplog.records and 'respond.py", line' in caplog.records[-1].getMessage()
    assert at.session_state["respond"]["journey"].answers == {"aware_oco": 0, "used_oco": 0}
    assert count(url, Response) == 0


def test_every_question_type_has_a_widget():
    from pages.ui.widgets import RENDERERS
    from surveys.types import QUESTION_TYPES

    assert set(RENDERERS) == set(QUESTION_TYPES)
