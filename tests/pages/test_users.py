"""The page Gebruikers through AppTest: the beheerder manages accounts; nobody else gets in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.access import command_line
from db.audit import read_log
from db.engine import get_sessionmaker
from db.logins import LoginRefused, log_in
from db.setup import init_database
from db.users import UserError, add_user, get_user, list_users
from tests.pages.accounts import logged_in

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
PAGE = "pages/users.py"
GOOD = "zeilboot onder de brug 77"
NEW = "lantaarn kiwi biljart negen"


@pytest.fixture
def url(database_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    init_database(database_url)
    return database_url


def page(url: str, role: str = "beheerder", koplopers=(), email: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, role, koplopers, email=email)
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception
    return app


def widget(elements, label: str):
    return next(e for e in elements if e.label == label)


def button(app: AppTest, label: str):
    found = [b for b in (*app.button, *app.get("form_submit_button")) if b.label == label]
    assert found, f"no button {label!r}"
    return found[0]


def submit(app: AppTest, label: str) -> None:
    button(app, label).click()
    app.run()
    assert not app.exception


def shown(app: AppTest) -> str:
    """Every text on the page, tables included."""
    texts = (*app.markdown, *app.success, *app.error, *app.text, *app.caption, *app.info)
    return " ".join(str(e.value) for e in texts) + " ".join(d.value.to_csv() for d in app.dataframe)


def accounts(url: str) -> dict:
    with get_sessionmaker(url)() as session:
        return {a.email: a for a in list_users(session, command_line())}


def choose(app: AppTest, email: str) -> None:
    widget(app.selectbox, "Kies een gebruiker").select(email)
    app.run()
    assert not app.exception


def test_the_list_has_dutch_headers_and_no_password(url):
    app = page(url)
    assert app.title[0].value == "Gebruikers"
    table = app.dataframe[0].value
    assert list(table.columns) == [
        "E-mailadres",
        "Rol",
        "Koploper(s)",
        "Open antwoorden",
        "Status",
        "Demo",
        "Inloggen",
    ]
    row = table.iloc[0]
    assert row["E-mailadres"] == "beheerder-alle@test.example" and row["Rol"] == "Beheerder"
    assert row["Koploper(s)"] == "alle" and row["Inloggen"] == "wachtwoord"


def test_the_beheerder_adds_changes_disables_and_removes_a_user(url):
    app = page(url)
    widget(app.text_input, "E-mailadres").input("PL@tilburg.example")
    widget(app.selectbox, "Rol").select("gemeente")
    widget(app.multiselect, "Koploper(s)").select("tilburg")
    widget(app.checkbox, "Open antwoorden").check()
    widget(app.text_input, "Wachtwoord").input(GOOD)
    widget(app.text_input, "Herhaal wachtwoord").input(GOOD)
    submit(app, "Gebruiker toevoegen")
    assert not app.error
    assert "aangemaakt" in app.success[0].value
    made = accounts(url)["pl@tilburg.example"]
    assert made.koplopers == ("tilburg",) and made.free_text and made.has_password
    table = app.dataframe[0].value.set_index("E-mailadres")
    assert table.loc["pl@tilburg.example", "Koploper(s)"] == "Tilburg"
    assert GOOD not in shown(app)  # the password is shown nowhere
    assert widget(app.text_input, "E-mailadres").value == ""  # the form is empty again
    assert widget(app.text_input, "Wachtwoord").value == ""

    choose(app, "pl@tilburg.example")
    koplopers = [m for m in app.multiselect if m.label == "Koploper(s)"][-1]
    koplopers.select("breda")
    [c for c in app.checkbox if c.label == "Open antwoorden"][-1].uncheck()
    submit(app, "Wijzigingen opslaan")
    assert not app.error and "gewijzigd" in app.success[0].value
    changed = accounts(url)["pl@tilburg.example"]
    assert set(changed.koplopers) == {"tilburg", "breda"} and not changed.free_text

    submit(app, "Uitschakelen")
    assert "uitgeschakeld" in app.success[0].value
    with get_sessionmaker(url).begin() as session, pytest.raises(LoginRefused):
        log_in(session, "pl@tilburg.example", GOOD)
    submit(app, "Weer inschakelen")
    assert not accounts(url)["pl@tilburg.example"].disabled

    password_fields = [t for t in app.text_input if t.label in ("Nieuw wachtwoord",)]
    password_fields[0].input(NEW)
    [t for t in app.text_input if t.label == "Herhaal wachtwoord"][-1].input(NEW)
    submit(app, "Wachtwoord instellen")
    assert "Nieuw wachtwoord ingesteld" in app.success[0].value
    with get_sessionmaker(url).begin() as session:
        log_in(session, "pl@tilburg.example", NEW)

    submit(app, "Verwijderen")  # not confirmed yet
    assert "Vink eerst aan" in app.error[0].value
    assert "pl@tilburg.example" in accounts(url)
    app.checkbox[-1].check()
    submit(app, "Verwijderen")
    assert "verwijderd" in app.success[0].value
    assert "pl@tilburg.example" not in accounts(url)
    with get_sessionmaker(url)() as session:
        log = read_log(session, command_line())
    done = set(log[log["actor"] == "beheerder-alle@test.example"]["action"])
    assert {
        "user_created",
        "user_changed",
        "user_disabled",
        "user_enabled",
        "password_set",
        "user_removed",
    } <= done
    assert not log["detail"].str.contains(GOOD).any()
    assert not log["detail"].str.contains(NEW).any()


@pytest.mark.parametrize(
    ("fill", "message"),
    [
        ({"E-mailadres": "x@gemeente.example", "Rol": "gemeente"}, "minstens één koploper"),
        (
            {"E-mailadres": "x@gemeente.example", "Wachtwoord": GOOD, "Herhaal wachtwoord": NEW},
            "niet gelijk",
        ),
        (
            {
                "E-mailadres": "x@gemeente.example",
                "Wachtwoord": "kort",
                "Herhaal wachtwoord": "kort",
            },
            "te kort",
        ),
        (
            {
                "E-mailadres": "x@gemeente.example",
                "Wachtwoord": "welkom123456",
                "Herhaal wachtwoord": "welkom123456",
            },
            "te makkelijk te raden",
        ),
        ({"E-mailadres": "x@gemeente.example"}, "Vul een wachtwoord in"),
        (
            {
                "E-mailadres": "x@gemeente.example",
                "Rol": None,
                "Wachtwoord": GOOD,
                "Herhaal wachtwoord": GOOD,
            },
            "Kies een rol",
        ),
        (
            {"E-mailadres": "beheerder-alle@test.example", "Wachtwoord": GOOD},
            "Er is al een gebruiker",
        ),
        ({"E-mailadres": "geen adres", "Wachtwoord": GOOD}, "geen geldig e-mailadres"),
    ],
)
def test_bad_input_on_the_add_form_gives_a_dutch_message_and_adds_nobody(url, fill, message):
    app = page(url)
    fill = {"Rol": "onderzoeker"} | fill
    for label, value in fill.items():
        if label == "Rol":
            if value is not None:
                widget(app.selectbox, label).select(value)
        else:
            widget(app.text_input, label).input(value)
    if "Wachtwoord" in fill and "Herhaal wachtwoord" not in fill:
        widget(app.text_input, "Herhaal wachtwoord").input(fill["Wachtwoord"])
    if fill["Rol"] == "gemeente":
        for label in ("Wachtwoord", "Herhaal wachtwoord"):
            widget(app.text_input, label).input(GOOD)
    submit(app, "Gebruiker toevoegen")
    assert len(app.error) == 1 and message in app.error[0].value.replace("\\", "")
    assert set(accounts(url)) == {"beheerder-alle@test.example"}


def test_the_add_form_starts_without_a_role_not_beheerder(url):
    app = page(url)
    role = widget(app.selectbox, "Rol")
    assert role.value is None and role.placeholder == "Kies een rol"


def test_the_data_layer_refuses_an_account_without_a_role(url):
    with get_sessionmaker(url).begin() as session, pytest.raises(UserError, match="Kies een rol"):
        add_user(session, command_line(), "x@gemeente.example", None, password=GOOD)


def test_an_invitation_for_single_sign_on_has_no_password(url):
    app = page(url)
    widget(app.text_input, "E-mailadres").input("a@movisie.example")
    widget(app.selectbox, "Rol").select("onderzoeker")
    widget(app.checkbox, "Alleen inloggen via de eigen organisatie (uitnodiging)").check()
    submit(app, "Gebruiker toevoegen")
    assert not app.error
    table = app.dataframe[0].value.set_index("E-mailadres")
    assert table.loc["a@movisie.example", "Inloggen"] == "via de organisatie (uitnodiging)"
    assert not accounts(url)["a@movisie.example"].has_password


def test_two_beheerders_changing_one_user_the_second_is_told_it_changed_meanwhile(url):
    with get_sessionmaker(url).begin() as session:
        add_user(session, command_line(), "pl@tilburg.example", "gemeente", ["tilburg"])
    first = page(url, email="een@movisie.example")
    second = page(url, email="twee@movisie.example")
    for app in (first, second):
        choose(app, "pl@tilburg.example")
    [m for m in first.multiselect if m.label == "Koploper(s)"][-1].select("breda")
    submit(first, "Wijzigingen opslaan")
    assert not first.error

    [m for m in second.multiselect if m.label == "Koploper(s)"][-1].select("almere")
    submit(second, "Wijzigingen opslaan")
    assert "intussen gewijzigd" in second.error[0].value
    with get_sessionmaker(url)() as session:
        kept = get_user(session, command_line(), "pl@tilburg.example")
    assert set(kept.koplopers) == {"tilburg", "breda"}  # the first change stands

    # the page now shows the account as it is; trying again works
    [m for m in second.multiselect if m.label == "Koploper(s)"][-1].select("almere")
    submit(second, "Wijzigingen opslaan")
    assert not second.error
    with get_sessionmaker(url)() as session:
        again = get_user(session, command_line(), "pl@tilburg.example")
    assert set(again.koplopers) == {"tilburg", "breda", "almere"}


@pytest.mark.parametrize("target", ["pages/users.py", "pages/audit_log.py"])
def test_a_gemeente_account_gets_geen_toegang_and_an_audit_line(url, target):
    app = AppTest.from_file(APP, default_timeout=30)
    logged_in(app, url, "gemeente", ["tilburg"])
    app.run()
    app.switch_page(target)
    app.run()
    assert not app.exception
    assert app.title[0].value == "Geen toegang"
    assert not app.dataframe
    with get_sessionmaker(url)() as session:
        log = read_log(session, command_line(), actions=["access_denied"])
    assert log["actor"].tolist() == ["gemeente-tilburg@test.example"]
    assert log["outcome"].tolist() == ["refused"]
    assert log["detail"].iloc[0] == f"pagina {'gebruikers' if 'users' in target else 'logboek'}"
