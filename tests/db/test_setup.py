"""Creating the database: migrations from empty, reference data, idempotence, clear failures."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text

from db.engine import DatabaseUnavailable, get_engine, get_sessionmaker
from db.models import Cohort, Koploper, QuestionnaireVersion, Wave
from db.reference import read_reference, slugify
from db.schema import SchemaTooNew, alembic_config, current_revision
from db.setup import init_database


def head_revision() -> str:
    """The newest migration of this release, read from Alembic's scripts."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


SEED_NAMES = [
    "Alkmaar",
    "Almelo",
    "Almere",
    "Amersfoort",
    "Amsterdam",
    "Breda",
    "Den Haag",
    "Deurne",
    "De Wolden",
    "Dordrecht",
    "Gouda",
    "Heeze-Leende",
    "Helmond",
    "Maastricht",
    "Meppel",
    "Midden-Groningen",
    "Meppel",
    "Ommen",
    "Oosterschelderegio",
    "Putten",
    "Regio Twente",
    "Roosendaal",
    "Stichtse Vecht",
    "Teylingen",
    "Tilburg",
    "Veldhoven",
    "Voorst",
    "Woerden",
    "Zaanstad",
]
SECOND_COHORT = {
    "Alkmaar",
    "Breda",
    "De Wolden",
    "Dordrecht",
    "Gouda",
    "Heeze-Leende",
    "Oosterschelderegio",
    "Putten",
    "Regio Twente",
    "Roosendaal",
    "Teylingen",
    "Tilburg",
    "Veldhoven",
    "Voorst",
}


def table_counts(url: str) -> dict[str, int]:
    engine = get_engine(url)
    with engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in inspect(connection).get_table_names()
        }


def test_migrating_from_empty_creates_every_table_at_the_head_revision(database_url):
    init_database(database_url)
    engine = get_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    assert {
        "cohorts",
        "koplopers",
        "koploper_members",
        "waves",
        "questionnaire_versions",
        "responses",
        "answers",
        "alembic_version",
    } <= tables
    assert current_revision(engine) == head_revision()


def test_the_28_koplopers_are_loaded_exactly_as_the_seeds_name_them(database_url):
    init_database(database_url)
    with get_sessionmaker(database_url)() as session:
        names = sorted(session.scalars(select(Koploper.name)))
        assert names == sorted(set(SEED_NAMES))
        assert len(names) == 28
        by_name = {k.name: k for k in session.scalars(select(Koploper))}
        assert {n for n, k in by_name.items() if k.cohort.code == "2018"} == SECOND_COHORT
        assert by_name["Almere"].cohort.code == "2017"
        assert by_name["Meppel"].slug == "meppel"
        assert by_name["Den Haag"].slug == "den-haag"
        regions = {n for n, k in by_name.items() if k.kind == "regio"}
        assert regions == {"Oosterschelderegio", "Regio Twente"}
        assert "Enschede" in [m.name for m in by_name["Regio Twente"].members]
        assert all(k.province for k in by_name.values())
        third = session.scalar(select(Cohort).where(Cohort.code == "2021"))
        assert third is not None and third.koplopers == []
        assert session.scalar(select(Cohort.start_date).where(Cohort.code == "2018")) == dt.date(
            2018, 11, 21
        )


def test_every_koploper_gets_a_baseline_and_two_follow_ups_from_its_cohort_start(database_url):
    init_database(database_url)
    with get_sessionmaker(database_url)() as session:
        for koploper in session.scalars(select(Koploper)):
            waves = {w.code: w for w in koploper.waves}
            assert set(waves) == {"T0", "T1", "T2"}
            assert waves["T0"].kind == "baseline"
            assert waves["T1"].kind == waves["T2"].kind == "follow_up"
            start = koploper.cohort.start_date
            assert waves["T0"].fieldwork_start == start
            assert waves["T1"].fieldwork_start.year == start.year + 1
            assert waves["T2"].fieldwork_start.year == start.year + 2
            assert all(
                w.fieldwork_end > w.fieldwork_start and not w.is_open for w in waves.values()
            )


def test_initialising_twice_changes_nothing(database_url):
    first = init_database(database_url)
    before = table_counts(database_url)
    second = init_database(database_url)
    assert table_counts(database_url) == before
    assert first.reference_rows_added == 31  # 3 cohorts and 28 koplopers
    assert second.reference_rows_added == 0
    assert [created for _, _, created in second.versions] == [False, False]


def test_both_questionnaires_are_recorded_as_version_1(database_url):
    report = init_database(database_url)
    assert sorted((key, version) for key, version, _ in report.versions) == [
        ("client", 1),
        ("professional", 1),
    ]
    with get_sessionmaker(database_url)() as session:
        stored = session.scalar(
            select(QuestionnaireVersion).where(QuestionnaireVersion.key == "client")
        )
        assert stored.definition["key"] == "client"
        assert len(stored.checksum) == 64


def test_a_database_from_a_newer_schema_is_refused_with_a_clear_message(database_url):
    init_database(database_url)
    with get_engine(database_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaTooNew, match="9999_future.*Werk de app bij"):
        init_database(database_url)


def test_an_unreachable_database_gives_one_dutch_message_without_the_password():
    url = "postgresql+psycopg://user:geheim@127.0.0.1:1/nergens"
    with pytest.raises(DatabaseUnavailable) as caught:
        init_database(url)
    assert "niet bereikbaar" in str(caught.value)
    assert "DATABASE_URL" in str(caught.value)
    assert "geheim" not in str(caught.value)


@pytest.mark.parametrize("url", ["mysql://x@localhost/db", "dit is geen url"])
def test_an_unsupported_or_malformed_url_is_refused(url):
    with pytest.raises(DatabaseUnavailable):
        init_database(url)


def test_a_broken_definition_writes_nothing(database_url, monkeypatch, tmp_path):
    import db.questionnaires as questionnaires

    init_database(database_url)
    good = questionnaires.builtin_paths()
    broken = tmp_path / "zzz.yaml"
    broken.write_text("key: zzz\naudience: client\n", encoding="utf-8")
    monkeypatch.setattr(questionnaires, "builtin_paths", lambda: [*good, broken])
    with get_engine(database_url).begin() as connection:
        connection.execute(text("DELETE FROM koploper_members"))
        connection.execute(text("DELETE FROM waves"))
        connection.execute(text("DELETE FROM koplopers"))
    before = table_counts(database_url)
    from surveys.definition import DefinitionError

    with pytest.raises(DefinitionError, match="zzz.yaml"):
        init_database(database_url)
    assert table_counts(database_url) == before  # reference data was rolled back too


def test_slugs_are_plain_ascii():
    assert slugify("Heeze-Leende") == "heeze-leende"
    assert slugify("Regio Twente") == "regio-twente"
    assert slugify("Cliënt Één") == "client-een"
    slugs = [slugify(k["name"]) for k in read_reference()["koplopers"]]
    assert len(slugs) == len(set(slugs)) == 28


def test_the_sqlite_default_runs_with_wal_foreign_keys_and_a_busy_timeout(sqlite_url):
    with get_engine(sqlite_url).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000


def test_waves_count_matches_koplopers(database_url):
    init_database(database_url)
    with get_sessionmaker(database_url)() as session:
        assert session.scalar(select(func.count()).select_from(Wave)) == 3 * 28


def test_a_populated_database_is_upgraded_through_every_migration(database_url):
    """Migrations run on real data too, not only on an empty database."""
    from alembic import command

    from db.models import Response
    from db.schema import alembic_config

    engine = get_engine(database_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    statements = [
        "INSERT INTO cohorts (code, name, start_date, note) "
        "VALUES ('2018', 'Tweede cohort', '2018-11-21', '')",
        "INSERT INTO koplopers (slug, name, kind, province, cohort_id) "
        "SELECT 'breda', 'Breda', 'gemeente', 'Noord-Brabant', id FROM cohorts",
        "INSERT INTO waves (koploper_id, code, kind, label, fieldwork_start, fieldwork_end, "
        "is_open) SELECT id, 'T0', 'baseline', 'Nulmeting', '2018-11-21', '2019-01-02', :no "
        "FROM koplopers",
        "INSERT INTO questionnaire_versions (key, version, audience, title, definition, "
        "checksum, created_at) VALUES ('client', 1, 'client', 't', '{}', 'x', '2019-01-01')",
        "INSERT INTO responses (questionnaire_version_id, koploper_id, wave_id, channel, "
        "language, submitted_at, idempotency_key, is_demo) SELECT q.id, w.koploper_id, w.id, "
        "'web', 'nl', '2019-01-01', 'k', :no FROM questionnaire_versions q, waves w",
    ]
    with engine.begin() as connection:  # the oldest schema, filled as a user would have it
        for statement in statements:
            parameters = {"no": False} if ":no" in statement else {}
            connection.execute(text(statement), parameters)
    init_database(database_url)  # upgrades to head, then adds what is missing
    assert current_revision(engine) == head_revision()
    with get_sessionmaker(database_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(Koploper)) == 28
        breda = session.scalar(select(Koploper).where(Koploper.slug == "breda"))
        assert [w.opened_for_demo for w in breda.waves] == [False]
        assert session.scalar(select(func.count()).select_from(Response)) == 1  # data kept
