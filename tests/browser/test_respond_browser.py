"""Filling in both questionnaires in Chromium, keyboard only; the database holds exactly that.

The respondent never touches a mouse here: every step is Tab, arrow keys, Space, Enter or typing.
axe-core checks every screen against the WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from db.engine import get_sessionmaker
from db.models import Answer, Response

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ACTIVE = """() => {
  const e = document.activeElement;
  const box = e && e.closest(
    '[class*="st-key-item-"], [class*="st-key-change-"], .st-key-language_choice');
  const label = e && e.closest('label');
  return {
    tag: e ? e.tagName : '', type: e && e.type || '', checked: !!(e && e.checked),
    text: ((label || e).innerText || '').trim(),
    box: box ? [...box.classList].find(c => c.startsWith('st-key-')) : '',
  };
}"""


class Respondent:
    """Drives the page with the keyboard only, saving a screenshot and an axe run per screen."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.violations: list[str] = []

    def active(self) -> dict:
        return self.page.evaluate(ACTIVE)

    def tab_until(self, wanted, what: str, limit: int = 80, backwards: bool = False) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            now = self.active()
            if wanted(now):
                return now
        raise AssertionError(f"Tab never reached {what}; last focus: {self.active()}")

    def settle(self) -> None:
        self.page.wait_for_timeout(250)
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=15000
        )
        self.page.wait_for_timeout(150)

    def screen(self, name: str, expect: str) -> None:
        """Wait for a screen that shows ``expect``; screenshot it and run axe on it."""
        self.page.get_by_text(expect, exact=False).first.wait_for(timeout=15000)
        self.settle()
        self.page.shots.append((name, self.page.screenshot(full_page=True)))
        results = self.axe.run(self.page, options=WCAG)
        for violation in results.response["violations"]:
            targets = [n["target"] for n in violation["nodes"]]
            self.violations.append(f"{name}: {violation['id']} {targets}")

    def choose(self, item: str, label: str) -> None:
        """Select a radio option: Tab into the question, then arrow keys until ``label``."""
        box = "st-key-language_choice" if item == "language_choice" else f"st-key-item-{item}"
        now = self.tab_until(lambda a: a["box"] == box and a["type"] == "radio", item)
        if not now["checked"]:
            self.page.keyboard.press("Space")
        for _ in range(12):
            now = self.active()
            if now["text"] == label and now["checked"]:
                break
            self.page.keyboard.press("ArrowDown")
            self.settle()
        else:
            raise AssertionError(f"option {label!r} not found in {item}")
        self.settle()

    def tick(self, item: str, labels: list[str]) -> None:
        """Tick checkboxes of a multiple-choice question with Space."""
        remaining = set(labels)
        while remaining:
            now = self.tab_until(
                lambda a: a["box"] == f"st-key-item-{item}" and a["type"] == "checkbox",
                item,
            )
            if now["text"] in remaining:
                self.page.keyboard.press("Space")
                self.settle()
                remaining.discard(now["text"])

    def type_into(self, item: str, text: str) -> None:
        self.tab_until(
            lambda a: a["box"] == f"st-key-item-{item}" and a["tag"] in {"TEXTAREA", "INPUT"}, item
        )
        self.page.keyboard.type(text)
        self.page.keyboard.press("Tab")  # leaving the field commits it
        self.settle()

    def press(self, button: str) -> None:
        self.tab_until(lambda a: a["tag"] == "BUTTON" and a["text"] == button, f"button {button}")
        self.page.keyboard.press("Enter")
        self.settle()


def stored(url: str) -> list[dict]:
    with get_sessionmaker(url)() as session:
        responses = session.scalars(select(Response).order_by(Response.id)).all()
        result = []
        for response in responses:
            answers: dict = {}
            for answer in session.scalars(select(Answer).where(Answer.response_id == response.id)):
                value = answer.code if answer.code is not None else answer.number or answer.text
                if answer.item_key in answers or answer.item_key in {
                    "heard_via",
                    "need_domains",
                    "unmet_groups",
                }:
                    answers.setdefault(answer.item_key, []).append(value)
                else:
                    answers[answer.item_key] = value
            result.append(
                {
                    "key": response.questionnaire_version.key,
                    "language": response.language,
                    "wave": response.wave.code,
                    "koploper": response.koploper.slug,
                    "channel": response.channel,
                    "answers": answers,
                }
            )
        return result


def test_client_questionnaire_standard_version_keyboard_only(server, page):
    before = len(stored(server["database_url"]))
    me = Respondent(page)
    page.goto(f"{server['base']}/respond?survey=client&koploper=almere&wave=T2")
    me.screen("intro", "Vragenlijst over cliëntondersteuning")
    me.press("Beginnen")

    me.screen("bekendheid", "Deel 1 van 6")
    me.press("Volgende")  # the required question is still open
    me.screen("bekendheid-verplicht", "Deze vraag is verplicht")
    assert me.active()["box"] == "st-key-item-used_oco"  # focus moved to the question
    page.keyboard.press("Shift+Tab")
    me.choose("aware_oco", "Ja")
    me.screen("bekendheid-meer", "Hoe heeft u over cliëntondersteuning gehoord?")
    me.tick("heard_via", ["Huisarts of praktijkondersteuner", "Wijkteam of sociaal team"])
    me.choose("used_oco", "Ja")
    me.press("Volgende")

    me.screen("vindbaarheid", "Deel 2 van 6")
    me.choose("knew_where", "Mee eens")
    me.choose("easy_contact", "Weet niet / niet van toepassing")
    me.choose("quick_help", "Helemaal mee eens")
    me.press("Volgende")

    me.screen("kwaliteit", "Deel 3 van 6")
    me.choose("taken_seriously", "Helemaal mee eens")
    me.choose("solutions_together", "Mee eens")
    me.choose("on_my_side", "Neutraal")
    me.type_into("contacts", "4")
    me.choose("grade", "8")
    me.press("Volgende")

    me.screen("effect", "Deel 4 van 6")
    me.choose("outcome_choices", "Mee eens")
    me.choose("outcome_cope", "Niet mee eens")
    me.press("Volgende")

    me.screen("over-u", "Deel 5 van 6")
    me.tick("need_domains", ["Wonen"])
    me.choose("age_group", "75 jaar of ouder")
    me.choose("filled_by", "Ikzelf, met hulp")
    me.press("Volgende")

    me.screen("tot-slot", "Deel 6 van 6")
    me.type_into("comments", "<script>alert('x')</script> Goed geholpen **echt**")
    me.press("Volgende")

    me.screen("overzicht", "Uw antwoorden")
    assert page.get_by_text("<script>alert('x')</script> Goed geholpen **echt**").count() == 1
    me.press("Versturen")
    me.screen("bedankt", "Dank u wel!")

    responses = stored(server["database_url"])
    assert len(responses) == before + 1
    assert responses[-1] == {
        "key": "client",
        "language": "nl",
        "wave": "T2",
        "koploper": "almere",
        "channel": "web",
        "answers": {
            "aware_oco": 1,
            "heard_via": [1, 2],
            "used_oco": 1,
            "knew_where": 4,
            "easy_contact": 9,
            "quick_help": 5,
            "taken_seriously": 5,
            "solutions_together": 4,
            "on_my_side": 3,
            "contacts": 4.0,
            "grade": 8,
            "outcome_choices": 4,
            "outcome_cope": 2,
            "need_domains": [1],
            "age_group": 5,
            "filled_by": 2,
            "comments": "<script>alert('x')</script> Goed geholpen **echt**",
        },
    }
    assert me.violations == []


def test_professional_questionnaire_easy_read_version_keyboard_only(server, page):
    before = len(stored(server["database_url"]))
    me = Respondent(page)
    page.goto(f"{server['base']}/respond?survey=professional&koploper=almere&wave=T2")
    me.screen("intro", "Vragenlijst voor cliëntondersteuners en verwijzers")
    me.choose("language_choice", "Makkelijk lezen (korte zinnen, één vraag per keer)")
    me.screen("intro-eenvoudig", "Vragen voor cliëntondersteuners en verwijzers")
    me.press("Beginnen")

    steps = [
        ("role", "Ik werk in het wijkteam"),
        ("aware_offer", "Waar"),
        ("referrals", "3 tot 5 keer"),
        ("knows_how_refer", "Helemaal waar"),
        ("findable_for_residents", "Weet ik niet"),
        ("near_access", None),
        ("independent_position", "Soms waar, soms niet"),
        ("formal_informal", None),
        ("expertise_elderly", None),
        ("expertise_lvb", None),
        ("expertise_homeless", None),
        ("quality_grade", "7"),
        ("unmet_groups", ["Mensen zonder huis"]),
        ("comments", None),
    ]
    for number, (item, answer) in enumerate(steps, start=1):
        me.screen(f"vraag-{number}-{item}", f"Vraag {number} van")
        if isinstance(answer, list):
            me.tick(item, answer)
        elif answer is not None:
            me.choose(item, answer)
        me.press("Verder")

    me.screen("overzicht", "Dit zijn uw antwoorden")
    me.tab_until(lambda a: a["box"] == "st-key-change-aware_offer", "Wijzig aware_offer")
    page.keyboard.press("Enter")
    me.settle()
    me.screen("wijzig", "Vraag 2 van")
    me.choose("aware_offer", "Helemaal waar")
    me.press("Klaar, naar het overzicht")
    me.screen("overzicht-2", "Dit zijn uw antwoorden")
    me.press("Versturen")
    me.screen("bedankt", "Dank u wel!")

    responses = stored(server["database_url"])
    assert len(responses) == before + 1
    assert responses[-1] == {
        "key": "professional",
        "language": "nl-eenvoudig",
        "wave": "T2",
        "koploper": "almere",
        "channel": "web",
        "answers": {
            "role": 5,
            "aware_offer": 5,
            "referrals": 3,
            "knows_how_refer": 5,
            "findable_for_residents": 9,
            "independent_position": 3,
            "quality_grade": 7,
            "unmet_groups": [3],
        },
    }
    assert me.violations == []


def test_a_forged_link_gets_a_friendly_message_and_nothing_is_stored(server, page):
    before = len(stored(server["database_url"]))
    page.goto(f"{server['base']}/respond?survey=client&koploper=<script>&wave=T2")
    page.get_by_text("Deze gemeente kennen wij niet").wait_for(timeout=15000)
    page.goto(f"{server['base']}/respond?survey=client&koploper=almere&wave=T1")
    page.get_by_text("Deze vragenlijst is nu gesloten").wait_for(timeout=15000)
    assert len(stored(server["database_url"])) == before
