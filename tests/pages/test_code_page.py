"""The page /code, in-process through AppTest: a personal code from an invitation letter.

Each test opens a fresh SQLite database with wave T2 of Almere open and codes made for it. Typed
codes are forgiving; a wrong, used or withdrawn code gets its own message and opens nothing; ten
wrong codes from one browser pause code entry; the personal link's code leaves the address; the
journey is the open link's, in the code's register, and sending uses the code up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

import pages.ui.routing
import pages.ui.sources
from db.access import command_line
from db.engine import get_sessionmaker
from db.invitations import code_rows, make_codes, withdraw_batch
from db.models import Draft, InvitationCode, Koploper, Response, Wave
from surveys.texts import LINK_PROBLEMS, TEXTS
from surveys.vocabulary import EASY_READ
from tests.pages.test_respond import CLIENT_SCREENS, count, fill, press, to_overview

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
FIELD = "code_typed"
GO = TEXTS["code_go"]["nl"]
STANDARD_TITLE = "Vragenlijst over cliëntondersteuning"
EASY_TITLE = "Vragen over hulp van een cliëntondersteuner"


@pytest.fixture
def url(almere_t2_open) -> str:
    return almere_t2_open


@pytest.fixture(autouse=True)
def one_browser(monkeypatch):
    """AppTest has no cookies or network address: every run here is one browser, one address."""
    monkeypatch.setattr(pages.ui.sources, "request_source", lambda: ("browser-1", "192.0.2.10"))


def make(url: str, count_: int = 3, language: str = "nl", wave: str = "T2") -> list[str]:
    """Make codes for Almere's client questionnaire; their normalised forms, by letter number."""
    with get_sessionmaker(url).begin() as session:
        batch = make_codes(
            session, command_line(), "almere", wave, "client", count_, language=language
        )
        rows = code_rows(session, command_line(), "almere", wave, "client")
    return [row.code for row in rows if row.batch_id == batch.id]


def open_code_page(**params: str) -> AppTest:
    """The app at /code with these parameters, through the router, as in the browser."""
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def type_code(at: AppTest, typed: str) -> AppTest:
    at.text_input(key=FIELD).input(typed)
    return press(at, GO)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def everything_in_the_address(at: AppTest) -> str:
    return " ".join(f"{k}={v}" for k, v in at.query_params.items())


@pytest.fixture(autouse=True)
def at_code(monkeypatch):
    """The app as a browser at /code gets it.

    AppTest has no address bar: the router hears the path a browser reports. And AppTest starts
    every run in Streamlit's pages-folder mode (a real server leaves it at its first request), so
    a page whose address is its file's name ('code') would run once outside the router, whose
    rerun (``ensure_routed``) drops the click that started the run. Here /code's page is served
    as the respondent's default page instead, always through the router.
    """
    monkeypatch.setattr(pages.ui.routing, "_visited", lambda: "code")
    monkeypatch.setattr(pages.ui.routing, "RESPOND", pages.ui.routing.CODE)


# --- the form -------------------------------------------------------------------------------------
def test_the_page_asks_for_the_code_with_a_visible_label_a_hint_and_one_button(url):
    at = open_code_page()
    assert at.title[0].value == TEXTS["code_title"]["nl"]
    field = at.text_input(key=FIELD)
    assert field.label == "Uw code"
    assert field.proto.autocomplete == "off"
    assert "Bijvoorbeeld K7QM-2XPD" in [c.value for c in at.caption]
    assert [b.label for b in at.button] == ["Verder"]
    assert not at.error


@pytest.mark.parametrize("shape", ["lower-with-spaces", "hyphen", "plain"])
def test_a_typed_code_in_any_case_with_spaces_or_hyphens_opens_its_questionnaire(url, shape):
    code = make(url)[0]
    typed = {
        "lower-with-spaces": f" {code[:4].lower()} {code[4:].lower()} ",
        "hyphen": f"{code[:4]}-{code[4:]}",
        "plain": code,
    }[shape]
    at = type_code(open_code_page(), typed)
    assert not at.error
    assert at.title[0].value == STANDARD_TITLE
    assert [b.label for b in at.button][0] == TEXTS["start"]["nl"]
    assert TEXTS["resume_go"]["nl"] not in [b.label for b in at.button]  # the code resumes
    assert code not in everything_in_the_address(at)


def test_an_easy_read_code_opens_the_easy_read_version(url):
    code = make(url, language=EASY_READ)[0]
    at = type_code(open_code_page(), code)
    assert at.title[0].value == EASY_TITLE


# --- refusals -------------------------------------------------------------------------------------
def test_a_wrong_code_says_so_and_stores_nothing(url):
    make(url)
    at = type_code(open_code_page(), "K7QM-2XPD")
    assert errors(at) == [TEXTS["code_unknown"]["nl"]]
    assert at.text_input(key=FIELD).value == "K7QM-2XPD"  # to correct, not to type again
    assert count(url, Response) == 0 and count(url, Draft) == 0


def test_an_empty_field_asks_for_the_code_and_counts_nothing(url):
    at = press(open_code_page(), GO)
    assert errors(at) == [TEXTS["code_empty"]["nl"]]


def test_ten_wrong_codes_pause_code_entry_even_for_a_right_code(url):
    code = make(url)[0]
    at = open_code_page()
    for attempt in range(9):
        type_code(at, f"K7QM-2XP{attempt}")
        assert errors(at) == [TEXTS["code_unknown"]["nl"]]
    type_code(at, "K7QM-2XPZ")
    assert errors(at) == [TEXTS["code_paused"]["nl"]]
    assert (
        TEXTS["code_paused"]["nl"] == "Te veel onjuiste codes. Probeer het over 15 minuten opnieuw."
    )
    type_code(at, code)  # a right code from this browser waits too
    assert errors(at) == [TEXTS["code_paused"]["nl"]]
    assert at.title[0].value == TEXTS["code_title"]["nl"]
    with get_sessionmaker(url)() as session:
        assert (
            session.scalar(select(InvitationCode.used_on).where(InvitationCode.code == code))
            is None
        )


def test_a_used_code_says_so_with_the_phone_number_and_stores_nothing(url):
    code = make(url)[0]
    with get_sessionmaker(url).begin() as session:
        session.execute(
            update(InvitationCode)
            .where(InvitationCode.code == code)
            .values(used_on=dt.date(2026, 1, 1))
        )
    at = type_code(open_code_page(), code)
    assert errors(at) == [TEXTS["code_used"]["nl"]]
    assert errors(at)[0].startswith("Deze code is al gebruikt.")
    assert "Telefoon: 14 036" in [t.value for t in at.text]
    assert count(url, Response) == 0 and count(url, Draft) == 0


def test_a_code_of_a_withdrawn_batch_says_it_no_longer_works(url):
    code = make(url)[0]
    with get_sessionmaker(url).begin() as session:
        [batch] = session.scalars(
            select(InvitationCode.batch_id).where(InvitationCode.code == code)
        )
        withdraw_batch(session, command_line(), batch)
    at = type_code(open_code_page(), code)
    assert errors(at) == [TEXTS["code_withdrawn"]["nl"]]
    assert "Telefoon: 14 036" in [t.value for t in at.text]


def test_a_code_of_a_closed_wave_says_the_questionnaire_is_closed(url):
    code = make(url)[0]
    with get_sessionmaker(url).begin() as session:
        wave = session.scalar(
            select(Wave).join(Wave.koploper).where(Koploper.slug == "almere", Wave.code == "T2")
        )
        wave.is_open = False
    at = type_code(open_code_page(), code)
    assert errors(at) == [LINK_PROBLEMS["closed"]]


def test_a_code_of_a_wave_for_the_open_link_only_points_to_the_link(url):
    code = make(url)[0]
    with get_sessionmaker(url).begin() as session:
        wave = session.scalar(
            select(Wave).join(Wave.koploper).where(Koploper.slug == "almere", Wave.code == "T2")
        )
        wave.access = "open"
    at = type_code(open_code_page(), code)
    assert errors(at) == [TEXTS["code_open_only"]["nl"]]
    assert errors(at)[0] == (
        "Voor deze vragenlijst zijn geen codes nodig. Gebruik de link of de QR-code van de "
        "poster of de website."
    )
    assert STANDARD_TITLE not in " ".join(t.value for t in at.title)
    assert count(url, Response) == 0 and count(url, Draft) == 0
    with get_sessionmaker(url)() as session:
        assert (
            session.scalar(select(InvitationCode.used_on).where(InvitationCode.code == code))
            is None
        )


# --- the personal link ---------------------------------------------------------------------------
def test_the_personal_link_opens_the_questionnaire_and_its_code_leaves_the_address(url):
    code = make(url)[0]
    at = open_code_page(c=code)
    assert at.title[0].value == STANDARD_TITLE
    # The browser replaces its address at once (a script: AppTest runs none, so look at it).
    scripts = [h.proto.body for h in at.get("html")]
    assert any("replaceState" in s and "searchParams.delete('c')" in s for s in scripts)
    # ... and Streamlit's copy forgets it on the next run, without adding anything of its own.
    press(at, TEXTS["start"]["nl"])
    assert dict(at.query_params) == {"screen": "1"}
    assert code not in everything_in_the_address(at)


def test_a_personal_link_with_a_wrong_code_shows_the_field_with_it_and_the_message(url):
    at = open_code_page(c="XXXX-XXXX")
    assert errors(at) == [TEXTS["code_unknown"]["nl"]]
    assert at.text_input(key=FIELD).value == "XXXX-XXXX"


# --- the journey, the draft and sending ----------------------------------------------------------
def test_sending_with_a_code_stores_an_invited_response_and_the_code_then_is_used(url):
    code = make(url)[0]
    at = type_code(open_code_page(), code.lower())
    press(at, TEXTS["start"]["nl"])
    to_overview(at, CLIENT_SCREENS)
    assert "resume" not in at.query_params
    press(at, TEXTS["send"]["nl"])
    assert at.title[0].value == TEXTS["thanks"]["nl"]
    with get_sessionmaker(url)() as session:
        [response] = session.scalars(select(Response))
        assert response.invited is True
        assert session.scalar(select(InvitationCode.used_on).where(InvitationCode.code == code))
    assert count(url, Draft) == 0
    # The same code again, in a new browser session: refused, nothing more stored.
    again = type_code(open_code_page(), code)
    assert errors(again) == [TEXTS["code_used"]["nl"]]
    assert count(url, Response) == 1


def test_typing_the_code_again_later_goes_on_where_the_respondent_was(url):
    code = make(url)[0]
    at = type_code(open_code_page(), code)
    press(at, TEXTS["start"]["nl"])
    fill(at, CLIENT_SCREENS[0])
    press(at, TEXTS["next"]["nl"])
    assert at.query_params["screen"] == "2"
    [draft] = list(get_sessionmaker(url)().scalars(select(Draft)))
    assert draft.answers == CLIENT_SCREENS[0] | {"heard_via": [2, 3]}
    # A reload: a new session, the address without the code; the page asks for it again.
    later = open_code_page(screen="2")
    assert later.title[0].value == TEXTS["code_title"]["nl"]
    type_code(later, code)
    assert later.radio(key="answer__knew_where") is not None  # screen 2, answers kept
    assert [r.key for r in later.radio][0] == "answer__knew_where"


def test_the_later_box_of_a_code_journey_shows_no_resume_code(url):
    code = make(url)[0]
    at = type_code(open_code_page(), code)
    press(at, TEXTS["start"]["nl"])
    shown = [c.value for c in at.code] + [m.value for m in at.markdown]
    assert not any("resume" in s for s in shown)
    assert not any(code in s for s in shown)


# --- the open link of a wave with codes only -----------------------------------------------------
def test_the_open_link_of_a_wave_with_codes_only_leads_to_the_code_page(url, monkeypatch):
    monkeypatch.setattr(pages.ui.routing, "_visited", lambda: "respond")
    monkeypatch.setattr(pages.ui.routing, "RESPOND", "pages/respond.py")
    with get_sessionmaker(url).begin() as session:
        wave = session.scalar(
            select(Wave).join(Wave.koploper).where(Koploper.slug == "almere", Wave.code == "T2")
        )
        wave.access = "codes"
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in {"survey": "client", "koploper": "almere", "wave": "T2"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [LINK_PROBLEMS["codes_only"]]
    [button] = at.get("link_button")
    assert button.proto.label == TEXTS["to_code"]["nl"]
    assert button.proto.url == "code"
    assert count(url, Draft) == 0


def test_a_screen_left_in_the_address_does_not_skip_the_intro_of_a_code_without_a_draft(url):
    code = make(url)[0]
    at = type_code(open_code_page(screen="3"), code)
    assert at.title[0].value == STANDARD_TITLE
    assert [b.label for b in at.button][0] == TEXTS["start"]["nl"]
    assert "screen" not in at.query_params
