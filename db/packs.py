"""Each response's coded answers packed into a few 64-bit words, stored beside the response.

Reading the coded answers of 80,000 responses from ``answers`` means grouping a million rows; the
dashboard needs them on every cold read (its benchmark pools every koploper). So when a response
is stored (``db.responses.insert_responses``), its coded answers are also written, in the same
transaction, as one ``response_packs`` row: a small bit field per coded question of its
questionnaire version (:func:`layout`), little-endian unsigned 64-bit words. A read then fetches
one short row per response and decodes every question with a shift and a mask (:func:`unpack`).

The layout follows from the stored definition of the version (immutable) and from the packing
rules, which :data:`PACK_FORMAT` numbers (``tests/db/test_packs.py`` pins the layout of the
built-in questionnaires, so a change of rules fails until the format is raised). A response
without a current pack (stored before packs existed, or by hand), of another format, or of the
wrong length is packed again from its answers on reading (:func:`pack_stored`), so the packs are
a cache of ``answers`` and never the only copy. The app never changes a stored response or
answer; an ORM change of either drops the pack (``db.models``), and after changing them with
plain SQL run ``python -m db repack``.

- single choice: code + 1 in the smallest width that holds the highest code + 1 (0: unanswered);
- multiple choice: one bit per code (bit ``code``), as the measures engine keeps such answers.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Answer, QuestionnaireVersion, Response, ResponsePack
from surveys.definition import DefinitionError, Questionnaire, from_stored
from surveys.vocabulary import CHANNEL_NUMBERS, LANGUAGE_NUMBERS, OTHER_CHANNEL

PACK_FORMAT = 1
"""Raise when the packing rules change: packs of an older format are then packed again."""
LOG = logging.getLogger(__name__)
CHUNK = 5000
"""Response ids bound per statement."""
WORD_BITS = 64
WORD = np.dtype("<u8")
OTHER_LANGUAGE = 0
"""A pack's head holds a channel's and a register's number in surveys.vocabulary (stored: they
never change), :data:`OTHER_LANGUAGE` or ``OTHER_CHANNEL`` for another."""
_HEAD_FIELDS = (("demo", 0, 1), ("language", 1, 3), ("channel", 4, 4), ("version", 8, 24))
_WAVE_SHIFT = 32
_WAVE_LIMIT = 1 << 31


def head(wave_id: int, version_id: int, channel: str, language: str, demo: bool) -> int:
    """One integer holding what the dashboard needs of a response besides its answers, so a
    read needs no join: wave id (bits 32–62), version id (8–31), channel (4–7), language
    (1–3), demo (0)."""
    if not (0 <= wave_id < _WAVE_LIMIT and 0 <= version_id < 1 << 24):
        raise ValueError("meting- of versienummer te groot voor de verpakking")
    channel_code = CHANNEL_NUMBERS.get(channel, OTHER_CHANNEL)
    language_code = LANGUAGE_NUMBERS.get(language, OTHER_LANGUAGE)
    return (
        wave_id << _WAVE_SHIFT
        | version_id << 8
        | channel_code << 4
        | language_code << 1
        | int(bool(demo))
    )


def checksum(head_: int, words: bytes) -> int:
    """31 bits of a hash of a pack: the sum over all packs changes with any answer, so
    in-memory caches of decoded packs can be keyed by it (``views.cache``)."""
    digest = hashlib.blake2b(head_.to_bytes(8, "little") + words, digest_size=4).digest()
    return int.from_bytes(digest, "little") & 0x7FFFFFFF


def pack_row(response_id: int, head_: int, words: bytes) -> dict:
    """A ``response_packs`` row."""
    return {
        "response_id": response_id,
        "format": PACK_FORMAT,
        "head": head_,
        "words": words,
        "checksum": checksum(head_, words),
    }


def split_heads(heads: np.ndarray) -> dict[str, np.ndarray]:
    """The fields of many heads: ``wave``, ``version``, ``channel``, ``language`` (their numbers
    in surveys.vocabulary, 0 for another) and ``demo`` (bool)."""
    heads = heads.astype(np.int64)
    fields = {name: (heads >> shift) & ((1 << width) - 1) for name, shift, width in _HEAD_FIELDS}
    fields["wave"] = heads >> _WAVE_SHIFT
    fields["demo"] = fields["demo"].astype(bool)
    return fields


@dataclass(frozen=True)
class PackSlot:
    """Where one coded question's answer sits in a pack."""

    item: str
    word: int
    shift: int
    width: int
    multiple: bool


@dataclass(frozen=True)
class Layout:
    slots: tuple[PackSlot, ...]
    words: int
    by_item: dict[str, PackSlot] = field(compare=False, hash=False, repr=False)

    def slot(self, item: str) -> PackSlot | None:
        return self.by_item.get(item)


def layout(questionnaire: Questionnaire) -> Layout:
    """The slot of every coded question of this version, in questionnaire order, each slot
    within one word."""
    return _layout(tuple(_coded(questionnaire)))


def _coded(questionnaire: Questionnaire) -> Iterable[tuple[str, int, bool]]:
    for item in questionnaire.items:
        if item.qtype.coded:
            yield item.key, max(item.allowed_codes), item.qtype.multiple


@lru_cache(maxsize=64)
def _layout(coded: tuple[tuple[str, int, bool], ...]) -> Layout:
    placed: list[PackSlot] = []
    word, used = 0, 0
    for key, top, multiple in coded:
        width = top + 1 if multiple else (top + 1).bit_length()
        if width > WORD_BITS - 1:  # bit 63 would turn a bit mask negative in int64, as the
            continue  # engine keeps multiple choice: such a question is not on the dashboard
        if used + width > WORD_BITS:
            word, used = word + 1, 0
        placed.append(PackSlot(key, word, used, width, multiple))
        used += width
    return Layout(tuple(placed), word + 1 if placed else 0, {s.item: s for s in placed})


def pack(
    shape: Layout,
    answers: Iterable[tuple[str, int | None]],
    left_out: list[tuple[str, int]] | None = None,
) -> bytes:
    """The pack of one response from its stored answers as (item key, code) pairs; answers
    without a code (numbers, texts) and items outside the layout are left out. A code the
    question does not have raises ``ValueError``, or, given ``left_out``, is added to it and
    left out (stored answers the app did not check: packing them must not stop the app)."""
    words = [0] * shape.words
    for item, code in answers:
        slot = shape.slot(item)
        if slot is None or code is None:
            continue
        top = slot.width - 1 if slot.multiple else (1 << slot.width) - 2
        if not 0 <= code <= top:
            if left_out is None:
                raise ValueError(f"code {code} past niet bij vraag '{item}'")
            left_out.append((item, code))
            continue
        value = (1 << code) if slot.multiple else code + 1
        words[slot.word] |= value << slot.shift
    return np.asarray(words, dtype=WORD).tobytes()


def unpack(shape: Layout, packs: Sequence[bytes], items: Iterable[str]) -> dict[str, np.ndarray]:
    """The engine's code columns of ``items`` from packs of this layout: float codes with NaN
    for unanswered single choice, an integer bit mask for multiple choice. An item the version
    does not ask is all unanswered."""
    count = len(packs)
    if shape.words:
        joined = b"".join(packs)
        if len(joined) != count * WORD.itemsize * shape.words:
            raise ValueError("verpakkingen van een andere lengte dan de vragenlijstversie")
        words = np.frombuffer(joined, dtype=WORD).reshape(count, shape.words)
    else:
        words = np.zeros((count, 0), dtype=WORD)
    columns: dict[str, np.ndarray] = {}
    for item in items:
        slot = shape.slot(item)
        if slot is None:
            columns[item] = np.full(count, np.nan)
            continue
        mask = np.uint64((1 << slot.width) - 1)
        bits = (words[:, slot.word] >> np.uint64(slot.shift)) & mask
        if slot.multiple:
            columns[item] = bits.astype(np.int64)
        else:
            columns[item] = np.where(bits == 0, np.nan, bits.astype(np.float64) - 1.0)
    return columns


def pack_stored(
    session: Session, shapes: dict[int, Layout], responses: Sequence[tuple[int, int]]
) -> dict[int, bytes]:
    """Packs made from the stored answers of (response id, version id) pairs, for responses
    whose pack is missing or of another format; read in chunks of bound ids."""
    version_of = dict(responses)
    found: dict[int, list[tuple[str, int]]] = {response_id: [] for response_id in version_of}
    ids = sorted(version_of)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(Answer.response_id, Answer.item_key, Answer.code).where(
            Answer.response_id.in_(chunk), Answer.code.is_not(None)
        )
        for response_id, item, code in session.execute(query):
            found[response_id].append((item, code))
    left_out: list[tuple[str, int]] = []
    packs = {
        response_id: pack(shapes[version_of[response_id]], answers, left_out)
        for response_id, answers in found.items()
    }
    if left_out:
        item, code = left_out[0]
        LOG.warning(
            "%d opgeslagen antwoorden met een code die de vraag niet kent (zoals %s bij '%s') "
            "tellen niet mee op het dashboard.",
            len(left_out),
            code,
            item,
        )
    return packs


def unpacked_responses(session: Session) -> list[tuple[int, int, bytes]]:
    """(response id, head, words) of every response without a current pack (stored before
    packs existed, by hand, or packed by older rules), packed now from its answers."""
    stale = session.execute(
        select(
            Response.id,
            Response.wave_id,
            Response.questionnaire_version_id,
            Response.channel,
            Response.language,
            Response.is_demo,
        )
        .outerjoin(
            ResponsePack,
            (ResponsePack.response_id == Response.id) & (ResponsePack.format == PACK_FORMAT),
        )
        .where(ResponsePack.response_id.is_(None))
        .order_by(Response.id)
    ).all()
    if not stale:
        return []
    shapes = {version_id: shape for version_id, (_, shape) in version_layouts(session).items()}
    words = pack_stored(session, shapes, [(row[0], row[2]) for row in stale])
    return [(row[0], head(*row[1:]), words[row[0]]) for row in stale]


_VERSION_LAYOUTS: dict[tuple[int, str], tuple[str, Layout]] = {}


def version_layouts(session: Session) -> dict[int, tuple[str, Layout]]:
    """Questionnaire version id → (questionnaire key, layout); a stored definition is parsed
    once per process (versions are immutable; the checksum keys the cache all the same)."""
    found = {}
    rows = session.execute(select(QuestionnaireVersion.id, QuestionnaireVersion.checksum)).all()
    for version_id, checksum in rows:
        key = (version_id, checksum)
        if key not in _VERSION_LAYOUTS:
            version = session.get(QuestionnaireVersion, version_id)
            try:
                shape = layout(from_stored(version.definition))
            except DefinitionError:  # not a questionnaire (never stored by this app): no codes
                shape = _layout(())
            _VERSION_LAYOUTS[key] = (version.key, shape)
        found[version_id] = _VERSION_LAYOUTS[key]
    return found


def repack(session: Session, everything: bool = False) -> int:
    """Pack every response whose pack is missing or of another format (in the caller's
    transaction); returns how many. For existing databases and after :data:`PACK_FORMAT`
    changes: ``db.setup.init_database`` runs it. ``everything``: first drop every pack, after
    answers were changed with plain SQL (``python -m db repack``)."""
    if everything:
        session.execute(ResponsePack.__table__.delete())
    fresh = unpacked_responses(session)
    table = ResponsePack.__table__
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        ids = [response_id for response_id, _, _ in chunk]
        session.execute(table.delete().where(table.c.response_id.in_(ids)))
        session.execute(table.insert(), [pack_row(*row) for row in chunk])
    return len(fresh)
