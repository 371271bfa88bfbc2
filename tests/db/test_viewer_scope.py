"""Access is enforced where data is read: every data function in ``db/`` takes the viewer.

The test finds every public function of every module in the ``db`` package. Each one either takes
``viewer`` (right after ``session``) or is named in ``NOT_DATA`` with the reason it reads no
responses, answers, counts, figures or exports. Every function with a viewer is then called, with
each argument its parameters can take, by a ``gemeente`` viewer of Tilburg on a database with the
responses of Tilburg and Breda. It must get nothing of Breda: either ``AccessDenied``, or exactly
what the same call returns on a database that holds only Tilburg's responses, with no trace of
Breda in it. A new data function without a viewer fails here, and so does one that forgets to
filter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import inspect
import itertools
import pkgutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import db
from db.access import AccessDenied, Viewer, command_line
from db.contacts import find_koploper
from db.engine import get_sessionmaker
from db.invitations import make_codes
from db.models import CodeBatch, HeldResponse, InvitationCode, User
from db.questionnaires import latest_version
from db.responses import NewResponse, insert_responses
from db.setup import init_database
from db.users import add_user, viewer_of
from surveys.codes import new_code
from surveys.definition import from_stored
from surveys.export import interchange
from surveys.synthetic import generate

NOT_DATA: dict[str, str] = {
    # the rules themselves
    "db.access.command_line": "the viewer of `python -m db`; reads nothing",
    "db.access.koploper_filter": "builds the WHERE clause the data functions use",
    "db.access.require_admin": "an access check; reads nothing",
    "db.access.require_koploper": "an access check; reads nothing",
    "db.access.require_responses": "an access check; reads nothing",
    "db.access.visible": "filters slugs the caller already has by the viewer",
    "db.access.viewer_key": "a cache key of the viewer it is given; reads nothing",
    # accounts, logins and the audit log: beheerder only (require_admin) or the person themselves
    "db.audit.record": "writes an audit line",
    "db.logins.current_viewer": "who is logged in: the person's own account",
    "db.logins.log_in": "logging in: the person's own account",
    "db.logins.log_out": "logging out: writes",
    "db.logins.resume": "a login resumed: the person's own account",
    "db.logins.single_sign_on": "logging in: the person's own account",
    "db.logins.recorded_sign_on": "logging in: the person's own account, read only",
    "db.passwords.check_strength": "checks a password; no database",
    "db.passwords.hash_password": "no database",
    "db.passwords.needs_rehash": "no database",
    "db.passwords.verify": "no database",
    "db.fieldwork_overview.wave_status": "pure: a status from dates and a flag",
    "db.waves.open_wave": "writes: require_admin(actor) and an audit line",
    "db.waves.close_wave": "writes: require_admin(actor) and an audit line",
    "db.waves.set_wave_dates": "writes: require_admin(actor) and an audit line",
    "db.waves.find_wave": "one wave row by slug and code, for the writes above; no responses",
    "db.users.demo_accounts_exist": "yes/no: are there demo accounts (login page hint)",
    "db.users.add_user": "accounts: require_admin(actor)",
    "db.users.change_user": "accounts: require_admin(actor)",
    "db.users.end_sessions": "logs an account out: writes",
    "db.users.get_user": "accounts: require_admin(actor)",
    "db.users.list_users": "accounts: require_admin(actor)",
    "db.users.normalise_email": "no database",
    "db.users.remove_user": "accounts: require_admin(actor)",
    "db.users.set_disabled": "accounts: require_admin(actor)",
    "db.users.set_password": "accounts: require_admin(actor)",
    "db.users.viewer_of": "turns an account into its viewer; reads nothing",
    "db.own_account.change_own_password": "the person's own account: writes",
    # the command line runs as db.access.command_line()
    "db.__main__.main": "the command line; it reads as command_line(), the server's owner",
    # public reference data: koplopers, cohorts, questionnaires, contacts for the privacy page
    "db.contacts.check_email": "checks input; no database",
    "db.contacts.check_organisation": "checks input; no database",
    "db.contacts.check_phone": "checks input; no database",
    "db.contacts.check_url": "checks input; no database",
    "db.contacts.clear_demo_contacts": "writes",
    "db.contacts.contact_of": "a koploper's public contact (privacy page)",
    "db.contacts.demo_organisation": "no database",
    "db.contacts.fill_demo_contacts": "writes",
    "db.contacts.find_koploper": "reference data: a koploper by slug",
    "db.contacts.koploper_contact": "a koploper's public contact (privacy page)",
    "db.contacts.open_waves_without_contact": "which waves are open (public links); no responses",
    "db.contacts.require_contact": "a check; reads nothing",
    "db.contacts.set_contact": "writes",
    "db.contacts.may_edit_contact": "an access check; reads nothing",
    "db.contacts.change_contact": "writes: may_edit_contact in _editable, and an audit line",
    "db.queries.cohorts": "reference data: cohorts and how many koplopers each has",
    "db.queries.koplopers_by_cohort": "reference data: the koplopers; no counts",
    "db.questionnaires.latest_version": "reference data: a questionnaire definition",
    "db.questionnaires.register_builtin_definitions": "writes definitions",
    "db.questionnaires.register_definition": "writes a definition",
    "db.questionnaires.wording_changes_of": "reference data: definitions compared",
    "db.reference.add_months": "no database",
    "db.reference.load_reference": "writes reference data",
    "db.reference.planned_waves": "no database",
    "db.reference.read_reference": "reads the YAML file of reference data",
    "db.reference.slugify": "no database",
    # setting up
    "db.engine.data_dir": "a folder",
    "db.engine.database_url": "configuration",
    "db.engine.describe": "a URL without its password",
    "db.engine.get_engine": "the connection itself",
    "db.engine.get_sessionmaker": "the connection itself",
    "db.engine.is_sqlite": "configuration",
    "db.errors.connection_lost": "classifies an error",
    "db.errors.trouble": "logs an error",
    "db.errors.described": "an error for the log, without values",
    "db.errors.log_error": "logs an error, without values",
    "db.schema.alembic_config": "migrations",
    "db.schema.current_revision": "migrations",
    "db.schema.upgrade": "migrations",
    "db.setup.check_connection": "configuration",
    "db.setup.init_database": "creates the schema and loads reference data",
    # the respondent's path: one respondent's own link, draft and answers
    "db.drafts.delete_draft": "the respondent's own draft: writes",
    "db.drafts.idempotency_key_for": "no database",
    "db.drafts.load_draft": "the respondent's own draft, by its secret resume code",
    "db.drafts.new_resume_code": "no database",
    "db.drafts.purge_expired": "writes",
    "db.drafts.save_draft": "the respondent's own draft: writes",
    "db.fieldwork.resolve_draft": "the respondent's link: is the wave open",
    "db.fieldwork.resolve_link": "the respondent's link: is the wave open",
    "db.fieldwork.set_wave_open": "writes",
    "db.respondent.open_questionnaire": "the respondent's link and own draft",
    "db.respondent.save_progress": "the respondent's own draft: writes",
    "db.respondent.send": "the respondent's own answers: writes",
    "db.responses.answer_rows": "no database",
    "db.responses.delete_demo": "writes",
    "db.responses.has_demo": "one yes/no for the whole database (the demo banner); no count",
    "db.responses.insert_responses": "writes",
    "db.responses.response_exists": "the respondent's own submission, by its idempotency key",
    "db.responses.store_response": "writes",
    "db.submit.submit_response": "writes",
    "db.demo.demo_responses": "builds demo responses; no database",
    "db.demo.seed_demo": "writes demo data",
    "db.demo.seed_demo_accounts": "writes the demo accounts (require_admin(actor))",
    "db.demo.remove_demo_accounts": "deletes the demo accounts (require_admin(actor))",
    "db.audit.log_table": "pure: Dutch headers for read_log lines (read_log checks the viewer)",
    "db.user_commands.add_user_commands": "command line: adds argparse parsers",
    "db.users.check_new_user": "checks input for a new account; reads only koploper slugs",
    "db.users.koploper_names": "public reference data: koploper slugs and names",
    # exports that only write what a scoped function returned
    "db.read_model.data_version": "a cache key (counts and checksums of all responses); never "
    "shown",
    "db.read_model.check_reader": "an access check; reads nothing",
    "db.packs.layout": "pure: where each coded question sits in a pack; no database",
    "db.packs.pack": "pure: packs one response's answers it is given; no database",
    "db.packs.unpack": "pure: decodes packs it is given; no database",
    "db.packs.head": "pure: one integer of a response's wave, version, channel, language, demo",
    "db.packs.split_heads": "pure: the fields of heads it is given; no database",
    "db.packs.checksum": "pure: a hash of a pack it is given; no database",
    "db.packs.pack_row": "pure: a row to insert, from what it is given; no database",
    "db.packs.unpacked_responses": "packs of responses without a current pack, for "
    "db.read_model's scoped read and repack",
    "db.packs.version_layouts": "questionnaire definitions, public; no responses",
    "db.packs.pack_stored": "packs the answers of response ids its callers (db.read_model's "
    "scoped read, repack) chose",
    "db.packs.repack": "writes packs of every response, returns only how many; setup and "
    "migrations",
    "db.export.check_choice": "reference data: does the koploper or wave exist",
    # invitation codes (tests/db/test_invitations.py): codes, never responses
    "db.sources.network": "no database",
    "db.sources.source_keys": "keyed hashes of a request's browser and address; no responses",
    "db.code_attempts.paused": "wrong-code counts of the request's own sources",
    "db.code_attempts.count_wrong": "writes the request's own wrong-code counts",
    "db.code_commands.add_code_commands": "command line: adds argparse parsers",
    "db.letter_commands.add_letter_commands": "command line: adds argparse parsers",
    "db.invitations.require_manager": "an access check; reads nothing",
    "db.held.describe": "no database",
    "db.code_attempts.forget_attempts": "deletes wrong-code counts out of their window",
    "db.open_link.burst_count": "a setting",
    "db.open_link.burst_window": "a setting",
    "db.open_link.forget_arrivals": "deletes arrivals out of their window (no response)",
    "db.open_link.in_burst": "the respondent's own sources: yes/no",
    "db.open_link.sent_already": "the respondent's own idempotency key: the id it was stored under",
    "db.open_link.store_open": "stores the respondent's own response",
    "db.code_use.draft_key": "no database",
    "db.code_use.is_code_draft": "no database",
    "db.code_use.redeem": "the respondent's own code: the fieldwork it opens",
    "db.code_use.code_is_unused": "the respondent's own code: yes/no",
    "db.code_use.use_code": "the respondent's own code: writes its day of use",
    "db.invitations.make_codes": "writes: require_manager(viewer, koploper) and an audit line",
    "db.invitations.withdraw_batch": "writes: require_manager(viewer, its koploper), audit line",
    "db.invitations.mark_printed": "writes: require_manager(viewer, koploper) and an audit line",
    "db.invitations.mark_exported": "writes an audit line: require_manager(viewer, koploper)",
    "db.invitations.code_rows": "one koploper's codes (no responses): require_manager(viewer, "
    "koploper) before anything is read",
    "db.respondent.open_with_code": "the respondent's own code and draft",
    "db.invitations_contact.contact_for_code": "the koploper's public contact of the "
    "respondent's own (used or withdrawn) code: what its letter prints",
    "db.export.wave_codes": "reference data: the wave codes (T0, T1, T2)",
}
"""Public functions of ``db`` that read no responses, answers, counts, figures or exports."""

RESPONSE_LEVEL = {
    "db.export.read_export",
    "db.export.count_responses",
}
ALL_KOPLOPERS_ONLY: set[str] = set()
"""Functions for viewers who see every koploper: a gemeente or adviesraad always gets
AccessDenied."""
MANAGERS_ONLY = {"db.invitations.list_batches"}
"""Functions for who works with invitations (``db.invitations.require_manager``): a beheerder,
or a gemeente account for its own koplopers; an adviesraad always gets AccessDenied."""
ANONYMOUS_BENCHMARK = {"db.read_model.read_packs"}
"""Functions that also return the other koplopers' coded answers, by koploper id and never by
name or with any text, for ``views`` to count the anonymous benchmark a ``gemeente`` account may
see (``views`` hands on only counts): the koploper's own part must equal the Tilburg-only result,
and the rest holds no name or text of Breda."""
"""Functions giving data per response: an adviesraad gets AccessDenied from each."""

EXPORT_FILE = Path(tempfile.gettempdir()) / f"koplopermonitor-scope-{uuid.uuid4().hex}.xlsx"
"""Where a function given a file (``out``) writes in these calls; removed after the module."""
ARGUMENTS: dict[str, list[Any]] = {
    "koploper": [None, "tilburg", "breda"],
    "include_demo": [True, False],
    "wave": [None, "T1"],
    "fmt": ["xlsx"],
    "out": [EXPORT_FILE],
    "ids": [[1], [2], [1, 2]],
}
"""Values tried for the parameters of the functions with a viewer, by parameter name."""

TILBURG_TEXT = "qz-open-antwoord-t-41"
BREDA_TEXT = "qz-open-antwoord-b-93"
"""Open answers with a unique marker, to find them back in whatever a function returns."""
SEEDS = {"tilburg": 11, "breda": 12}
PER_WAVE = 4


def public_functions() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a module of the ``db`` package (not its migrations)."""
    found = {}
    for info in pkgutil.iter_modules(db.__path__):
        if info.name == "migrations":
            continue
        module = importlib.import_module(f"db.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = function
    return found


FUNCTIONS = public_functions()
SCOPED = sorted(
    name
    for name, function in FUNCTIONS.items()
    if "viewer" in inspect.signature(function).parameters and name not in NOT_DATA
)


def test_every_public_function_in_db_takes_the_viewer_or_says_why_it_reads_no_data():
    missing = [
        name
        for name, function in FUNCTIONS.items()
        if name not in NOT_DATA and "viewer" not in inspect.signature(function).parameters
    ]
    assert not missing, (
        f"{', '.join(missing)}: public in db/ without a `viewer` parameter. If it returns "
        "responses, answers, counts of responses, figures or exports, give it "
        "`viewer: Viewer` right after `session` and filter in SQL with "
        "db.access.koploper_filter(viewer, <koploper id column>) (see db/export.py). If it reads "
        f"no such data, add it to NOT_DATA in {Path(__file__).name} with the reason."
    )
    assert set(NOT_DATA) <= set(FUNCTIONS), (
        f"NOT_DATA names functions that no longer exist: {sorted(set(NOT_DATA) - set(FUNCTIONS))}"
    )
    assert set(SCOPED) >= RESPONSE_LEVEL
    assert "db.export.read_export" in SCOPED and "db.responses.count_demo" in SCOPED


@pytest.mark.parametrize("name", SCOPED)
def test_the_viewer_comes_right_after_the_session(name):
    parameters = list(inspect.signature(FUNCTIONS[name]).parameters)
    assert parameters[:2] == ["session", "viewer"], name


# --- two databases: Tilburg and Breda, and Tilburg alone ----------------------------------------


def add_responses(session, slug: str, text: str) -> None:
    """A few responses of one koploper to each questionnaire, the same every time for a slug."""
    koploper = find_koploper(session, slug)
    waves = {wave.code: wave for wave in koploper.waves}
    rng = np.random.default_rng(SEEDS[slug])
    for key in ("client", "professional"):
        version = latest_version(session, key)
        questionnaire = from_stored(version.definition)
        wave_number = np.repeat([0, 1], PER_WAVE)
        answers = generate(questionnaire, wave_number.size, rng, wave=wave_number).answers()
        responses = []
        for number, (wave, given) in enumerate(zip(wave_number, answers, strict=True)):
            if number % 3 == 0:
                given["comments"] = f"{text} ({key} {number})"
            moment = dt.datetime(2019, 3, 1, 9) + dt.timedelta(days=int(wave) * 400, hours=number)
            responses.append(
                NewResponse(
                    questionnaire_version_id=version.id,
                    koploper_id=koploper.id,
                    wave_id=waves[("T0", "T1")[wave]].id,
                    channel=("web", "demo")[number % 2],
                    language="nl",
                    idempotency_key=f"scope-{slug}-{key}-{number}",
                    submitted_at=moment,
                    started_at=moment - dt.timedelta(minutes=7),
                    is_demo=number % 2 == 1,
                    # a panel: the same person at T0 and T1 (db.read_model.panel_keys)
                    panel_key=f"panel-{slug}-{key}-{number % PER_WAVE}",
                    answers=given,
                )
            )
        insert_responses(session, questionnaire, responses)


BATCHES_MADE = dt.datetime(2026, 1, 5, 9)
VIEWERS = {
    "gemeente": ("pl@tilburg.example", "gemeente", False),
    "gemeente_free_text": ("open@tilburg.example", "gemeente", True),
    "adviesraad": ("raad@tilburg.example", "adviesraad", False),
}


def add_codes(session, slug: str) -> None:
    """A batch of invitation codes of one koploper at T0 (two of them used), letters printed."""
    koploper = find_koploper(session, slug)
    t0 = next(wave for wave in koploper.waves if wave.code == "T0")
    batch = CodeBatch(
        koploper_id=koploper.id,
        wave_id=t0.id,
        survey="client",
        language="nl",
        created_by="scope@test.example",
        created_at=BATCHES_MADE,
        letters_on=dt.date(2019, 2, 25),
    )
    session.add(batch)
    session.flush()
    used = dt.date(2019, 3, 1)
    session.add_all(
        InvitationCode(
            batch_id=batch.id, letter_number=n, code=new_code(), used_on=used if n < 3 else None
        )
        for n in range(1, 6)
    )


def build(url: str, with_breda: bool) -> dict[str, Viewer]:
    """Reference data, Tilburg's responses and codes (and then Breda's), and the Tilburg
    accounts."""
    init_database(url)
    slugs = ("tilburg", "breda") if with_breda else ("tilburg",)
    with get_sessionmaker(url).begin() as session:
        # Tilburg's rows first, so their ids are the same with Breda and without
        for slug, text in zip(slugs, (TILBURG_TEXT, BREDA_TEXT), strict=False):
            add_responses(session, slug, text)
        for email, role, free_text in VIEWERS.values():
            add_user(session, command_line(), email, role, ["tilburg"], free_text=free_text)
        # invitation batches (counted by db.invitations.list_batches)
        for slug in slugs:
            add_codes(session, slug)
            make_codes(session, command_line(), slug, "T1", "client", 3, now=BATCHES_MADE)
        # an open-link response held for a check (db.held): Tilburg's is 1, Breda's 2
        for slug in slugs:
            koploper = find_koploper(session, slug)
            session.add(
                HeldResponse(
                    questionnaire_version_id=latest_version(session, "client").id,
                    koploper_id=koploper.id,
                    wave_id=next(w.id for w in koploper.waves if w.code == "T1"),
                    channel="web",
                    language="nl",
                    answers={"comments": f"{SEEDS[slug]} held"},
                    submitted_at=BATCHES_MADE,
                    idempotency_key=f"held-{slug}",
                )
            )
            session.flush()
    with get_sessionmaker(url)() as session:
        users = session.scalars(select(User).options(selectinload(User.koplopers)))
        by_email = {user.email: viewer_of(user) for user in users}
    return {name: by_email[email] for name, (email, _, _) in VIEWERS.items()}


@pytest.fixture(scope="module", autouse=True)
def _remove_export_file() -> Iterator[None]:
    yield
    EXPORT_FILE.unlink(missing_ok=True)


@pytest.fixture
def worlds(database_url, second_database_url):
    """(url with Tilburg and Breda, url with Tilburg only, their viewers of Tilburg)."""
    both = build(database_url, with_breda=True)
    alone = build(second_database_url, with_breda=False)
    assert both == alone  # the same accounts, the same koploper ids
    return database_url, second_database_url, both


def calls(name: str) -> Iterator[dict[str, Any]]:
    """Every combination of the values in ARGUMENTS for the parameters the function has."""
    parameters = list(inspect.signature(FUNCTIONS[name]).parameters.values())[2:]
    unknown = [
        p.name
        for p in parameters
        if p.name not in ARGUMENTS
        and p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    assert not unknown, f"{name}: add values for {unknown} to ARGUMENTS in {Path(__file__).name}"
    tried = [p.name for p in parameters if p.name in ARGUMENTS]
    for values in itertools.product(*(ARGUMENTS[p] for p in tried)):
        yield dict(zip(tried, values, strict=True))


def call(url: str, name: str, viewer: Viewer, arguments: dict[str, Any]) -> Any:
    """The function's result, or the AccessDenied it raised; nothing it does is kept. Work handed
    to a background thread (a ``Future``) is waited for: its result is the result."""
    with get_sessionmaker(url)() as session:
        try:
            result = FUNCTIONS[name](session, viewer, **arguments)
        except AccessDenied as denied:
            return denied
        finally:
            session.rollback()
    return result.result(timeout=300) if isinstance(result, Future) else result


def texts(value: Any, seen: dict[int, Any] | None = None) -> Iterator[str]:
    """Every piece of text in a result: frames (columns, index, cells), dataclasses, containers.

    ``seen`` holds each visited object (not just its id, which a freed temporary would hand on)
    so that a cycle is walked once.
    """
    seen = {} if seen is None else seen
    if id(value) in seen:
        return
    seen[id(value)] = value
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode("utf-8", errors="replace")
    elif isinstance(value, pd.DataFrame):
        yield from texts([*value.columns, *value.index], seen)
        for column in value.columns:
            yield from texts(value[column].tolist(), seen)
    elif isinstance(value, pd.Series):
        yield from texts([value.name, *value.index, *value.tolist()], seen)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from texts(key, seen)
            yield from texts(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from texts(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from texts(getattr(value, field.name), seen)
    elif isinstance(value, enum.Enum):
        yield from texts(value.value, seen)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        yield from texts({k: v for k, v in vars(value).items() if not k.startswith("_sa_")}, seen)
    else:
        yield str(value)


def traces(value: Any, *markers: str) -> list[str]:
    return [t for t in texts(value) if any(m.casefold() in t.casefold() for m in markers)]


def assert_same(found: Any, expected: Any, what: str) -> None:
    if isinstance(expected, AccessDenied):
        assert isinstance(found, AccessDenied), f"{what}: AccessDenied on one database only"
    elif isinstance(expected, pd.DataFrame):
        assert isinstance(found, pd.DataFrame), what
        pd.testing.assert_frame_equal(found, expected, obj=what)
    elif isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(found, expected, err_msg=what)
    elif isinstance(expected, dict):
        assert isinstance(found, dict) and list(found) == list(expected), what
        for key, value in expected.items():
            assert_same(found[key], value, f"{what}[{key}]")
    elif dataclasses.is_dataclass(expected) and not isinstance(expected, type):
        assert type(found) is type(expected), what
        for field in dataclasses.fields(expected):
            assert_same(getattr(found, field.name), getattr(expected, field.name), what)
    else:
        assert found == expected, what


# --- the proofs: one database pair per function, every check on it ----------------------------


def check_nothing_of_breda(both: str, alone: str, name: str, role: str, viewer: Viewer) -> list:
    """Each call: AccessDenied, or the Tilburg-only result without a trace of Breda."""
    results = []
    for arguments in calls(name):
        what = f"{name}(session, <{role} of Tilburg>, {arguments})"
        result = call(both, name, viewer, arguments)
        results.append(result)
        if arguments.get("koploper") == "breda":
            assert isinstance(result, AccessDenied), f"{what}: expected AccessDenied"
        if isinstance(result, AccessDenied):
            continue
        assert not traces(result, "breda", BREDA_TEXT), f"{what} shows something of Breda"
        expected = call(alone, name, viewer, arguments)
        if name in ANONYMOUS_BENCHMARK:
            result, expected = own_part(result, viewer), own_part(expected, viewer)
        assert_same(result, expected, what)
    return results


def own_part(read: Any, viewer: Viewer) -> Any:
    """The rows of a ``PackRead`` of the viewer's own koplopers (what the packs add up to is of
    every response)."""
    if isinstance(read, AccessDenied):
        return read
    own = read.meta["koploper"].isin(viewer.koploper_ids).to_numpy()
    return {
        "meta": read.meta[own].reset_index(drop=True),
        **{item: column[own] for item, column in read.codes.items()},
    }


def check_not_vacuous(name: str, results: list) -> None:
    """Unless refused outright (the audit log), Tilburg's own data comes back."""
    if all(isinstance(r, AccessDenied) for r in results):
        return
    assert any(not isinstance(r, AccessDenied) and not _empty(r) for r in results), (
        f"{name} returned only empty results to the gemeente viewer of Tilburg, so the "
        "comparison with the Tilburg-only database proves nothing: give it data in build()"
    )


def _empty(result: Any) -> bool:
    if isinstance(result, pd.DataFrame):
        return result.empty
    return result is None or result == 0 or (hasattr(result, "__len__") and len(result) == 0)


def check_no_open_text(name: str, role: str, results: list) -> None:
    for result in results:
        assert not traces(result, TILBURG_TEXT), f"{name} shows open text to {role}"


def check_adviesraad(name: str, results: list) -> None:
    if name in RESPONSE_LEVEL:
        assert all(isinstance(r, AccessDenied) for r in results), f"{name} to an adviesraad"
    for result in results:
        if not isinstance(result, AccessDenied):
            assert not traces(list(getattr(result, "columns", [])), "response_id"), (
                f"{name} gives an adviesraad data per response: add it to RESPONSE_LEVEL and "
                "call db.access.require_responses(viewer) in it"
            )


@pytest.mark.parametrize("name", SCOPED)
def test_a_tilburg_viewer_gets_nothing_of_breda_and_only_what_its_role_allows(worlds, name):
    both, alone, viewers = worlds
    seen = {
        role: check_nothing_of_breda(both, alone, name, role, viewer)
        for role, viewer in viewers.items()
    }
    if name in ALL_KOPLOPERS_ONLY:
        assert all(isinstance(r, AccessDenied) for rs in seen.values() for r in rs), name
    if name in MANAGERS_ONLY:
        assert all(isinstance(r, AccessDenied) for r in seen["adviesraad"]), name
    check_not_vacuous(name, seen["gemeente"])
    check_no_open_text(name, "a gemeente without the right to open text", seen["gemeente"])
    check_no_open_text(name, "an adviesraad", seen["adviesraad"])
    check_adviesraad(name, seen["adviesraad"])


def test_with_the_right_a_gemeente_viewer_reads_its_own_open_text(worlds):
    both, _, viewers = worlds
    frame = interchange(call(both, "db.export.read_export", viewers["gemeente_free_text"], {}))
    assert traces(frame, TILBURG_TEXT) and "comments" in frame.columns
    without = interchange(call(both, "db.export.read_export", viewers["gemeente"], {}))
    assert "comments" not in without.columns and len(without) == len(frame)
    assert set(frame["koploper"]) == {"tilburg"}
    everything = interchange(call(both, "db.export.read_export", command_line(), {}))
    assert traces(everything, BREDA_TEXT)  # the marker is there to be found
