"""Packs: each response's coded answers in a few 64-bit words, a cache of ``answers`` that the
dashboard reads instead of grouping every answer; always equal to what the answers say."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

import db.read_model
from db.access import command_line
from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Answer, Response, ResponsePack
from db.packs import (
    PACK_FORMAT,
    _layout,
    head,
    layout,
    pack,
    repack,
    split_heads,
    unpack,
)
from db.read_model import data_version
from db.setup import init_database
from measures import load_indicators
from surveys.definition import load_builtin
from surveys.vocabulary import CHANNEL_NUMBERS, LANGUAGE_NUMBERS
from views.cache import CACHE
from views.dashboard import dashboard_counts
from views.responses import wanted_items

QUESTIONNAIRES = ("client", "professional")


def coded_items(key: str):
    return [item for item in load_builtin(key).items if item.qtype.coded]


@st.composite
def answers(draw, key: str):
    """Random coded answers to a questionnaire, as (item, code) pairs the way ``answers``
    stores them (one row per chosen code of a multiple-choice question)."""
    pairs = []
    for item in coded_items(key):
        codes = sorted(item.allowed_codes)
        if item.qtype.multiple:
            pairs += [(item.key, c) for c in draw(st.sets(st.sampled_from(codes)))]
        elif draw(st.booleans()):
            pairs.append((item.key, draw(st.sampled_from(codes))))
    return pairs


@pytest.mark.parametrize("key", QUESTIONNAIRES)
@given(data=st.data())
def test_a_pack_decodes_to_exactly_the_answers(key, data):
    shape = layout(load_builtin(key))
    given_answers = [data.draw(answers(key)) for _ in range(3)]
    packs = [pack(shape, pairs) for pairs in given_answers]
    items = [item.key for item in coded_items(key)]
    columns = unpack(shape, packs, items)
    for row, pairs in enumerate(given_answers):
        for item in coded_items(key):
            chosen = [code for name, code in pairs if name == item.key]
            value = columns[item.key][row]
            if item.qtype.multiple:
                assert value == sum(1 << code for code in chosen)
            elif chosen:
                assert value == chosen[0]
            else:
                assert np.isnan(value)


def test_a_question_a_version_does_not_ask_is_unanswered():
    shape = layout(load_builtin("professional"))
    columns = unpack(shape, [pack(shape, [])], ["not_asked"])
    assert np.isnan(columns["not_asked"][0])


def test_a_code_that_does_not_fit_is_refused():
    shape = layout(load_builtin("client"))
    single = next(s for s in shape.slots if not s.multiple)
    with pytest.raises(ValueError, match="past niet"):
        pack(shape, [(single.item, 1 << single.width)])


@given(
    wave=st.integers(0, (1 << 31) - 1),
    version=st.integers(0, (1 << 24) - 1),
    channel=st.sampled_from([*CHANNEL_NUMBERS, "fax"]),
    language=st.sampled_from([*LANGUAGE_NUMBERS, "en"]),
    demo=st.booleans(),
)
def test_a_head_splits_into_what_went_in(wave, version, channel, language, demo):
    fields = split_heads(np.array([head(wave, version, channel, language, demo)]))
    assert fields["wave"][0] == wave and fields["version"][0] == version
    assert fields["channel"][0] == CHANNEL_NUMBERS.get(channel, 0)
    assert fields["language"][0] == LANGUAGE_NUMBERS.get(language, 0)
    assert fields["demo"][0] == demo


@pytest.fixture
def seeded(database_url) -> str:
    init_database(database_url)
    with get_sessionmaker(database_url).begin() as session:
        seed_demo(session, sizes=(4, 12))
    return database_url


def test_every_stored_response_has_its_pack_in_the_same_transaction(seeded):
    with get_sessionmaker(seeded)() as session:
        responses = session.scalar(select(func.count(Response.id)))
        packs = session.scalar(
            select(func.count()).select_from(ResponsePack).where(ResponsePack.format == PACK_FORMAT)
        )
    assert responses and packs == responses


def counts_of(url: str):
    with get_sessionmaker(url)() as session:
        return dashboard_counts(session, command_line(), "tilburg").counts


def test_without_packs_the_figures_are_the_same_and_setup_packs_them_again(seeded):
    before = counts_of(seeded)
    maker = get_sessionmaker(seeded)
    with maker.begin() as session:
        session.execute(delete(ResponsePack))  # as a database from before packs existed
    CACHE.clear()
    without = counts_of(seeded)
    assert without.equals(before)
    with maker.begin() as session:
        assert repack(session) > 0
        assert repack(session) == 0  # nothing left to do
    CACHE.clear()
    assert counts_of(seeded).equals(before)


def test_the_data_version_changes_when_an_answer_changes(seeded):
    maker = get_sessionmaker(seeded)
    with maker() as session:
        first = data_version(session)
    with maker.begin() as session:
        answer = session.scalar(select(Answer).where(Answer.code == 1).limit(1))
        response_id = answer.response_id
        answer.code = 2  # through the ORM: the response's pack goes with the change
    with maker() as session:
        assert session.get(ResponsePack, response_id) is None
        assert data_version(session) != first
    with maker.begin() as session:
        assert repack(session) == 1
    with maker() as session:
        again = data_version(session)
    assert again != first and again[0] == again[1]


def test_a_changed_response_loses_its_pack_and_the_read_follows_the_change(seeded):
    maker = get_sessionmaker(seeded)
    with maker.begin() as session:
        response = session.scalar(select(Response).where(Response.is_demo).limit(1))
        response.is_demo = False
        changed = response.id
    with maker() as session:
        assert session.get(ResponsePack, changed) is None
        read = db.read_model._fetch(session, wanted_items(load_indicators()), demo=False)
    assert list(read.meta["response_id"]) == [changed]  # read from its answers, no longer demo
    with maker.begin() as session:
        assert repack(session) == 1
        assert session.get(ResponsePack, changed).format == PACK_FORMAT


def test_the_packing_rules_are_pinned_so_a_change_raises_the_format():
    """Changing how questions are laid out changes every stored pack's meaning: raise
    PACK_FORMAT (packs of the old format are then packed again) and update these lines."""
    shape = _layout((("a", 9, False), ("b", 5, True), ("c", 1, False), ("d", 62, True)))
    placed = [(s.item, s.word, s.shift, s.width, s.multiple) for s in shape.slots]
    assert PACK_FORMAT == 1
    assert placed == [
        ("a", 0, 0, 4, False),
        ("b", 0, 4, 6, True),
        ("c", 0, 10, 2, False),
        ("d", 1, 0, 63, True),
    ]
    assert shape.words == 2
    for key in QUESTIONNAIRES:
        definition = load_builtin(key)
        coded = tuple(
            (item.key, max(item.allowed_codes), item.qtype.multiple)
            for item in definition.items
            if item.qtype.coded
        )
        assert layout(definition) == _layout(coded)


def test_a_stored_code_the_question_lacks_is_left_out_not_fatal(seeded, caplog):
    maker = get_sessionmaker(seeded)
    shape = layout(load_builtin("client"))
    single = next(s for s in shape.slots if not s.multiple)
    with maker.begin() as session:
        response_id = session.scalar(select(Response.id).limit(1))
        session.execute(
            Answer.__table__.update()
            .where(Answer.response_id == response_id, Answer.item_key == single.item)
            .values(code=(1 << single.width) + 3)
        )
        session.execute(delete(ResponsePack).where(ResponsePack.response_id == response_id))
    with maker.begin() as session:
        assert repack(session) == 1
    assert "tellen niet mee" in caplog.text
    with pytest.raises(ValueError, match="past niet"):
        pack(shape, [(single.item, (1 << single.width) + 3)])


def test_the_repack_command_packs_every_response_again(seeded, monkeypatch, capsys):
    from db.__main__ import main

    maker = get_sessionmaker(seeded)
    with maker.begin() as session:
        response_id = session.scalar(select(Response.id).limit(1))
        session.execute(  # a pack that no longer says what the answers say, as after plain SQL
            ResponsePack.__table__.update()
            .where(ResponsePack.response_id == response_id)
            .values(words=b"\xff" * 16)
        )
        total = session.scalar(select(func.count(Response.id)))
    monkeypatch.setenv("DATABASE_URL", seeded)
    assert main(["repack"]) == 0
    assert f"opnieuw verpakt voor het dashboard: {total}" in capsys.readouterr().out
    with maker() as session:
        words = session.get(ResponsePack, response_id).words
    assert words != b"\xff" * 16


def test_stored_heads_decode_as_before_with_the_vocabulary_numbers():
    """The channel and register numbers are stored in every pack: heads written before the
    vocabulary existed (pinned here as integers) still decode to the same channel and register,
    and the engine's numbers are the pack's numbers."""

    stored = {
        # head: (channel, language, demo); wave 5, version 7
        21474838291: ("web", "nl", True),
        21474838308: ("paper", "nl-eenvoudig", False),
        21474838322: ("import", "nl", False),
        21474838341: ("demo", "nl-eenvoudig", True),
        21474838272: ("fax", "en", False),
    }
    for value, (channel, language, demo) in stored.items():
        assert head(5, 7, channel, language, demo) == value
        fields = split_heads(np.array([value], dtype=np.uint64))
        assert (fields["wave"][0], fields["version"][0]) == (5, 7)
        assert fields["channel"][0] == CHANNEL_NUMBERS.get(channel, 0)
        assert fields["language"][0] == LANGUAGE_NUMBERS.get(language, 0)
    assert CHANNEL_NUMBERS == {"web": 1, "paper": 2, "import": 3, "demo": 4}
    assert LANGUAGE_NUMBERS == {"nl": 1, "nl-eenvoudig": 2}
