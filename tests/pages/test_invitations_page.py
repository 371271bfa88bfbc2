"""The page Uitnodigingen through AppTest: codes made in batches, withdrawn, and their file.

The data layer (``db.invitations``) checks who may do what; the page offers only the viewer's
koplopers, asks before it makes or withdraws codes, and shows no code itself.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.code_use import Invitation, use_code
from db.engine import get_sessionmaker
from db.invitations import make_codes, withdraw_batch
from db.models import AuditEvent, CodeBatch, InvitationCode
from tests.pages.accounts import logged_in
from tests.pages.downloads import offered

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/invitations.py"


@pytest.fixture
def url(almere_t2_open) -> str:
    return almere_t2_open


def invitations_page(url: str, role: str, koplopers=(), **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, role, koplopers)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def press(app: AppTest, label: str) -> AppTest:
    matches = [b for b in app.button if b.label == label]
    assert matches, f"no button {label!r}; there are {[b.label for b in app.button]}"
    matches[0].click().run()
    assert not app.exception, app.exception
    return app


def make(app: AppTest, count: int) -> AppTest:
    app.number_input[0].set_value(count)
    press(app, "Codes maken")
    assert "Weet u zeker dat u" in app.warning[0].value
    return press(app, "Ja, codes maken")


def codes(url: str) -> int:
    with get_sessionmaker(url)() as session:
        return session.scalar(select(func.count()).select_from(InvitationCode))


def actions(url: str) -> list[str]:
    with get_sessionmaker(url)() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_gemeente_sees_only_its_own_koploper_and_the_open_wave_first(url):
    app = invitations_page(url, "gemeente", ["almere"])
    assert app.title[0].value == "Uitnodigingen"
    assert app.selectbox(key="uitnodigingen_koploper").options == ["Almere"]
    assert app.selectbox(key="uitnodigingen_wave").value == "T2"  # the open wave
    assert "Er zijn nog geen codes" in app.info[0].value


def test_a_gemeente_asking_for_another_koploper_gets_no_access(url):
    app = invitations_page(url, "gemeente", ["almere"], koploper="tilburg")
    assert app.title[0].value == "Geen toegang"
    assert not app.main.button


@pytest.mark.parametrize("role", ["onderzoeker", "adviesraad"])
def test_roles_without_invitations_get_no_access(url, role):
    app = invitations_page(url, role, ["almere"] if role == "adviesraad" else [])
    assert app.title[0].value == "Geen toegang"


def test_the_beheerder_chooses_among_every_koploper(url):
    app = invitations_page(url, "beheerder")
    assert len(app.selectbox(key="uitnodigingen_koploper").options) == 28


def test_making_codes_asks_first_then_makes_the_batch_and_shows_it_in_the_table(url):
    app = invitations_page(url, "gemeente", ["almere"])
    app.number_input[0].set_value(1200)
    press(app, "Codes maken")
    assert codes(url) == 0  # asked, not made
    assert "1.200 codes" in app.warning[0].value.replace("\\", "")
    press(app, "Annuleren")
    assert codes(url) == 0 and not app.warning
    make(app, 1200)
    assert codes(url) == 1200
    assert app.success[0].value.startswith("1.200 codes gemaakt")
    table = app.table[0].value
    assert list(table["Codes"]) == ["1.200"]
    assert list(table["Gebruikt"]) == ["0"]
    assert list(table["Respons"]) == ["0,0\u00a0%"]
    assert list(table["Briefnummers"]) == ["1 tot en met 1.200"]
    assert actions(url).count("codes_made") == 1
    # No code is on the page: they are in the files only.
    with get_sessionmaker(url)() as session:
        one = session.scalar(select(InvitationCode.code).limit(1))
    shown = " ".join(
        str(e.value) for kind in ("markdown", "caption", "success") for e in getattr(app, kind)
    )
    assert one not in shown and one not in table.to_string()


def test_a_second_batch_continues_the_letter_numbers(url):
    app = invitations_page(url, "beheerder", koploper="almere")
    make(app, 10)
    make(app, 5)
    assert list(app.table[0].value["Briefnummers"]) == ["1 tot en met 10", "11 tot en met 15"]


def test_withdrawing_a_batch_asks_first_then_its_codes_stop_working(url):
    app = invitations_page(url, "gemeente", ["almere"])
    make(app, 3)
    with get_sessionmaker(url)() as session:
        batch = session.scalar(select(CodeBatch.id))
    press(app, f"Reeks {batch} intrekken (3 codes)")
    assert "3 ongebruikte codes werken dan niet meer" in app.warning[0].value
    press(app, f"Ja, reeks {batch} intrekken")
    assert app.success[0].value.startswith(f"Reeks {batch} is ingetrokken")
    assert actions(url).count("codes_withdrawn") == 1
    with get_sessionmaker(url)() as session:
        assert session.scalar(select(CodeBatch.withdrawn_at)) is not None
    assert list(app.table[0].value["Status"])[0].startswith("ingetrokken op ")
    assert not [b for b in app.button if "intrekken" in b.label]


def test_the_codes_file_holds_every_code_with_its_link_and_is_in_the_logboek(url, monkeypatch):
    files = offered(monkeypatch)
    app = invitations_page(url, "gemeente", ["almere"])
    make(app, 4)
    data, mime = files["codes-almere-T2-client.csv"]
    assert mime == "text/csv"
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "briefnummer;briefnummer_vorige_meting;code;link"
    assert len(lines) == 5
    number, earlier, code, link = lines[1].split(";")
    assert number == "1" and earlier == "" and link.endswith(f"/code?c={code.replace('-', '')}")
    with get_sessionmaker(url)() as session:
        assert session.scalar(
            select(InvitationCode.id).where(InvitationCode.code == code.replace("-", ""))
        )
    assert "codes-almere-T2-client-ongebruikt.csv" in list(files)  # offered, not made
    assert actions(url).count("codes_exported") == 1


def test_panel_codes_for_a_follow_up_carry_the_panel_keys_of_the_earlier_wave(url):
    app = invitations_page(url, "beheerder", koploper="almere")
    app.selectbox(key="uitnodigingen_wave").set_value("T1").run()
    app.checkbox[0].check()
    make(app, 3)
    app.selectbox(key="uitnodigingen_wave").set_value("T2").run()
    app.checkbox[0].check()
    [follow] = [s for s in app.selectbox if s.label.startswith("Vervolg op het panel")]
    follow.set_value("T1")
    app.number_input[0].set_value(50)  # left out: one code per panel member
    press(app, "Codes maken")
    assert "als vervolg op het panel van meting T1" in app.warning[0].value.replace("\\", "")
    press(app, "Ja, codes maken")
    assert app.success[0].value.startswith("3 codes gemaakt")
    assert list(app.table[0].value["Panel"]) == ["ja, vervolg op T1"]
    with get_sessionmaker(url)() as session:
        keys = {
            batch: sorted(
                session.scalars(
                    select(InvitationCode.panel_key).where(InvitationCode.batch_id == batch)
                )
            )
            for batch in session.scalars(select(CodeBatch.id))
        }
    first, second = keys.values()
    assert first == second and len(set(first)) == 3 and None not in first


def test_the_letters_and_the_reminders_are_one_page_per_code_and_noted_as_printed(url, monkeypatch):
    files = offered(monkeypatch)
    app = invitations_page(url, "gemeente", ["almere"])
    make(app, 3)
    with get_sessionmaker(url).begin() as session:
        first = session.scalar(select(InvitationCode.code).order_by(InvitationCode.letter_number))
        use_code(session, Invitation(first, "nl", None))
    app.run()  # the page as it is now: one code used
    letters, mime = files["brieven-almere-T2-client.pdf"]
    reminders, _ = files["herinneringen-almere-T2-client.pdf"]
    assert mime == "application/pdf"
    assert len(PdfReader(io.BytesIO(letters)).pages) == 3
    assert len(PdfReader(io.BytesIO(reminders)).pages) == 2  # the unused codes only
    assert actions(url).count("letters_printed") == 2
    app.run()
    table = app.table[0].value
    assert list(table["Brieven geprint"]) != ["nog niet"]
    assert list(table["Herinneringen geprint"]) != ["nog niet"]


def test_the_rate_is_rounded_as_veldwerk_does_and_a_withdrawn_batch_keeps_its_uses(url):
    with get_sessionmaker(url).begin() as session:
        batch = make_codes(session, command_line(), "almere", "T2", "client", 240)
        spare = make_codes(session, command_line(), "almere", "T2", "client", 20)
        for code in session.scalars(
            select(InvitationCode)
            .where(InvitationCode.batch_id == batch.id)
            .order_by(InvitationCode.letter_number)
            .limit(75)
        ):
            code.used_on = dt.date(2026, 3, 4)
        withdraw_batch(session, command_line(), spare.id)
    app = invitations_page(url, "beheerder", koploper="almere")
    table = app.table[0].value
    # 31,25 rounded half up, as Veldwerk, the Excel file and the report write it (not 31,2).
    assert list(table["Respons"]) == ["31,3\u00a0%", "0,0\u00a0%"]
    caption = " ".join(c.value for c in app.caption)
    # The withdrawn batch's 20 unused codes are not counted as sent.
    assert "In totaal 240 verstuurde codes, waarvan 75 gebruikt (31,3\u00a0%" in caption
