"""The dashboard's read model: every response's coded answers, read once from its pack.

One query reads every response with its pack (``db.packs``): its coded answers as a few 64-bit
words, written with the response, so no answer row is grouped and no text is moved. The packs
decode into the code columns the measures engine works with (float codes, NaN unanswered; a bit
mask for multiple choice). Counting, scoring and keeping what was read are for ``views``.

What comes back names no koploper: per response its id, the koploper's id, the wave and
questionnaire, and the channel and language by their numbers in ``surveys.vocabulary``
(``CHANNEL_NUMBERS``, ``LANGUAGE_NUMBERS``; 0 for another), as a pack's head holds them.
Every koploper is in it, because the dashboard of one koploper shows the others added together
(the anonymous benchmark a ``gemeente`` account may see); the caller counts it and hands on
nothing per response.

``data_version`` is the key of whatever is kept of a read: it changes whenever responses are
added or removed, or packed again. A read carries the data version it was made at, read in the
same statement as its packs (so on PostgreSQL, whose statements each see the latest commits,
too), never one the caller read before. After a new data version the caller can ask for only
the responses added since (``read_packs(kept=...)``), checked against the database itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer, koploper_filter, require_koploper
from db.models import Koploper, Response, ResponsePack, Wave
from db.packs import PACK_FORMAT, split_heads, unpack, unpacked_responses, version_layouts

DataVersion = tuple[int, int, int, int, int]
"""(responses, packs, highest packed id, demo packs, sum of the packs' checksums)."""

Packed = tuple[int, int, int, int]
"""What the packs of a read add up to: (packs, highest id, demo packs, sum of checksums), the
packed part of the data version, demo packs included whatever the demo choice."""

ALL_KOPLOPERS_REFUSED = "Alleen onderzoekers en beheerders zien alle koplopers."


def _version_columns() -> list:
    """The parts of the data version as scalar subqueries over the whole tables: selected on
    their own (:func:`data_version`) or beside the packs of a read, in the same statement."""
    return [
        select(func.count(Response.id)).scalar_subquery(),
        select(func.count(ResponsePack.response_id)).scalar_subquery(),
        select(func.max(ResponsePack.response_id)).scalar_subquery(),
        select(func.sum(ResponsePack.head.op("&")(1))).scalar_subquery(),
        select(func.sum(ResponsePack.checksum)).scalar_subquery(),
    ]


def _as_version(values: Sequence[Any]) -> DataVersion:
    responses, packs, highest, demo, checksums = (int(value or 0) for value in values)
    return (responses, packs, highest, demo, checksums)


def data_version(session: Session) -> DataVersion:
    """A key that changes whenever responses are added or removed, or packed again:
    (responses, packs, highest packed id, demo packs, sum of the packs' checksums).

    Only a cache key: never shown. Numbers of the whole tables, not of any koploper. Two
    databases with the same key hold the same packed responses (up to a 31-bit hash per
    response). The app never changes a stored answer; an ORM change drops the response's pack
    (so the key changes), plain SQL needs ``python -m db repack`` (``db.packs``). One pass over
    the short packs and a count of the responses' index.
    """
    return _as_version(session.execute(select(*_version_columns())).one())


@dataclass(frozen=True)
class PackRead:
    """The responses as read and decoded, in ascending response id. Never changed once made: a
    later read makes a new one, so a thread still holding this one is not disturbed."""

    meta: pd.DataFrame
    """response_id, koploper (its id), wave (code), questionnaire (key), channel and language
    (their numbers in ``surveys.vocabulary``, 0 for another)."""
    codes: dict[str, np.ndarray]
    """Per coded question asked for, its column (aligned with ``meta``)."""
    packed: Packed | None
    """What the packs read add up to, when they are exactly every response; None when some
    responses were packed on the way from their answers: a later read reads everything."""
    version: DataVersion | None
    """The data version this read is of: read in the same statement as its packs (a full read)
    or added up from what was checked (responses added to a kept read); None for only the
    responses after an id (``_fetch(after=...)``), a part of a read."""


def check_reader(viewer: Viewer, koploper: str | None) -> None:
    """The access rule of :func:`read_packs`, for a caller that serves what it kept of an
    earlier read: ``AccessDenied`` unless the viewer sees ``koploper`` or, for None, every
    koploper."""
    if koploper is None:
        if not viewer.sees_all:
            raise AccessDenied(ALL_KOPLOPERS_REFUSED, None)
    else:
        require_koploper(viewer, koploper)


def read_packs(
    session: Session,
    viewer: Viewer,
    koploper: str | None = None,
    items: Mapping[str, Mapping[str, bool]] | None = None,
    include_demo: bool = True,
    kept: PackRead | None = None,
    version: DataVersion | None = None,
) -> PackRead:
    """Every response of every koploper, decoded from its pack: for the dashboard of
    ``koploper`` (the viewer must see it) or, with ``koploper`` None, for a viewer who sees
    every koploper (anyone else gets ``AccessDenied``).

    ``items``: per questionnaire, the coded questions to decode (item key → multiple choice),
    in the order wanted; default every coded question of the stored versions. ``kept``: an
    earlier read with the same items and demo choice; when only responses were added since,
    only those are read and added to it (:func:`_added`), otherwise everything is read again.
    ``version``: the data version the caller read just now, to spare reading it again before
    trying to add to ``kept``; what is read is checked against the database itself, and the
    read carries the version it was made at (``PackRead.version``), never this one.
    """
    check_reader(viewer, koploper)
    wanted = dict(items) if items is not None else _every_item(session)
    if kept is not None:
        version = data_version(session) if version is None else version
        read = _added(session, kept, version, wanted, include_demo)
        if read is not None:
            return read
    return _fetch(session, wanted, include_demo)


def koploper_slugs(session: Session, viewer: Viewer) -> dict[int, str]:
    """Koploper id → slug, of the koplopers the viewer sees: to name what a read counts by
    id, for a viewer who may see the names."""
    rows = session.execute(
        select(Koploper.id, Koploper.slug).where(koploper_filter(viewer, Koploper.id))
    )
    return dict(rows.all())


def panel_keys(
    session: Session, viewer: Viewer, koploper: str, include_demo: bool = True
) -> dict[int, str]:
    """Response id → panel key, of the responses of ``koploper`` (the viewer must see it) that
    carry one: what the dashboard needs to pair the same people across waves. Apart from
    :func:`read_packs`, so the common read moves no key; the indexed ``panel_key`` makes this
    nearly free for a koploper without a panel (no row)."""
    require_koploper(viewer, koploper)
    query = select(Response.id, Response.panel_key).where(
        Response.panel_key.is_not(None),
        Response.koploper_id
        == select(Koploper.id).where(Koploper.slug == koploper).scalar_subquery(),
    )
    if not include_demo:
        query = query.where(Response.is_demo.is_(False))
    return {int(response_id): str(key) for response_id, key in session.execute(query)}


def _every_item(session: Session) -> dict[str, dict[str, bool]]:
    found: dict[str, dict[str, bool]] = {}
    for key, shape in version_layouts(session).values():
        for slot in shape.slots:
            found.setdefault(key, {}).setdefault(slot.item, slot.multiple)
    return found


def _added(
    session: Session,
    kept: PackRead,
    version: DataVersion,
    items: Mapping[str, Mapping[str, bool]],
    include_demo: bool,
) -> PackRead | None:
    """What was kept with the responses added since, read alone; None when more changed (then
    everything is read again).

    Only when every response was packed at the kept read (``kept.packed``) and the new version
    says every response is packed and one has a higher id than the highest kept. Then two checks
    against the database itself, not against the version (which the caller may have read
    earlier): the current packs up to the highest kept id add up to what was kept (count, demo
    packs, sum of checksums: a deleted response, a pack dropped, changed or packed again shows;
    the same guarantee as the data version's, up to a 31-bit hash per response), and the
    responses number exactly the kept packs and the new ones read (a response without a current
    pack shows). A change between the two reads shows in one of them, or in the data version of
    the next view, which is then read again. The new responses have higher ids than every kept
    one, so the order is that of a full read (ascending id)."""
    if kept.packed is None or version[0] != version[1] or version[2] <= kept.packed[1]:
        return None
    count, highest, demo, checksums = kept.packed
    responses = select(func.count(Response.id)).scalar_subquery()
    old = session.execute(
        select(
            func.count(ResponsePack.response_id),
            func.sum(ResponsePack.head.op("&")(1)),
            func.sum(ResponsePack.checksum),
            responses,
        ).where(ResponsePack.response_id <= highest, ResponsePack.format == PACK_FORMAT)
    ).one()
    if (int(old[0] or 0), int(old[1] or 0), int(old[2] or 0)) != (count, demo, checksums):
        return None
    new = _fetch(session, items, include_demo, after=highest)
    if new.packed is None or int(old[3] or 0) != count + new.packed[0]:
        return None
    if new.packed[0] == 0:
        return kept
    meta = pd.concat([kept.meta, new.meta], ignore_index=True)
    codes = {item: np.concatenate([kept.codes[item], new.codes[item]]) for item in kept.codes}
    packed = (
        count + new.packed[0],
        new.packed[1],
        demo + new.packed[2],
        checksums + new.packed[3],
    )
    # Every response has a current pack (counted above), so this is the data version.
    return PackRead(meta, codes, packed, (packed[0], *packed))


def _fetch(
    session: Session,
    items: Mapping[str, Mapping[str, bool]],
    demo: bool,
    after: int = 0,
) -> PackRead:
    """Every response (koploper id, wave, questionnaire, channel, language) with its coded
    answers decoded from its pack, in ascending response id.

    ``after``: only the responses with a higher id (bound as a parameter), with what their packs
    add up to; whether they are all the new responses is for the caller to check (``_added``).
    Otherwise every response, with the data version beside its packs in the same statement
    (one value a column, worked out once): the read is labelled with exactly what it read. A
    response without a current pack is packed from its answers on the way (and for good by
    ``db.setup.init_database``); then nothing is known of what the packs add up to, and the next
    refresh reads everything."""
    # Plain tuples from the driver's cursor: one integer head and one short blob per response.
    query = select(ResponsePack.response_id, ResponsePack.head, ResponsePack.words).where(
        ResponsePack.format == PACK_FORMAT
    )
    if after:  # few rows: their checksums too, to add up what is kept
        query = (
            query.add_columns(ResponsePack.checksum)
            .where(ResponsePack.response_id > after)
            .order_by(ResponsePack.response_id)
        )
    else:
        query = query.add_columns(*_version_columns())
    result = session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    columns = list(zip(*rows, strict=True)) if rows else [()] * 8
    ids = np.array(columns[0], dtype=np.int64)
    heads = np.array(columns[1], dtype=np.int64)
    words = _blobs(columns[2])
    highest = int(ids.max()) if ids.size else after
    demo_packs = int(np.count_nonzero(heads & 1))
    packed: Packed | None
    version: DataVersion | None = None
    if after:
        packed = (ids.size, highest, demo_packs, sum(columns[3]))
    else:
        version = _as_version(rows[0][3:]) if rows else data_version(session)
        packed = None
        if version[:4] == (ids.size, ids.size, highest, demo_packs):
            packed = (ids.size, highest, demo_packs, version[4])
        elif version[0] != ids.size:
            extra = unpacked_responses(session)  # stored before packs existed, or by hand
            ids = np.concatenate([ids, np.array([row[0] for row in extra], dtype=np.int64)])
            heads = np.concatenate([heads, np.array([row[1] for row in extra], dtype=np.int64)])
            words = np.concatenate([words, _blobs([row[2] for row in extra])])
    if ids.size > 1 and not np.all(ids[1:] > ids[:-1]):
        order = np.argsort(ids, kind="stable")
        ids, heads, words = ids[order], heads[order], words[order]
    meta, codes = _decoded(session, items, demo, ids, heads, words)
    return PackRead(meta, codes, packed, version)


def _blobs(values: Sequence[bytes]) -> np.ndarray:
    """An object array of the packs' words; not np.array: bytes would lose trailing zeros."""
    blobs = np.empty(len(values), dtype=object)
    blobs[:] = values
    return blobs


def _decoded(
    session: Session,
    items: Mapping[str, Mapping[str, bool]],
    demo: bool,
    ids: np.ndarray,
    heads: np.ndarray,
    words: np.ndarray,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The meta frame and code columns of these packs (without the demo ones unless ``demo``):
    waves and questionnaire versions looked up as they are now, so a new wave or version that
    came with new responses is known."""
    fields = split_heads(heads)
    if not demo:
        keep = np.flatnonzero(~fields["demo"])
        ids, words = ids[keep], words[keep]
        fields = {name: values[keep] for name, values in fields.items()}
    layouts = version_layouts(session)
    waves = session.execute(
        select(Wave.id, Koploper.id, Wave.code).join(Koploper, Koploper.id == Wave.koploper_id)
    ).all()
    version_ids = fields["version"]
    size = version_ids.size
    meta = pd.DataFrame(
        {
            "response_id": ids,
            "koploper": _looked_up(fields["wave"], {w: k for w, k, _ in waves}, np.int64),
            "wave": _looked_up(fields["wave"], {w: code for w, _, code in waves}),
            "questionnaire": _looked_up(version_ids, {v: key for v, (key, _) in layouts.items()}),
            "channel": fields["channel"],
            "language": fields["language"],
        }
    )
    codes: dict[str, np.ndarray] = {}
    for key, wanted in items.items():
        for item, multiple in wanted.items():  # an item two questionnaires share: one column
            codes.setdefault(item, np.zeros(size, np.int64) if multiple else np.full(size, np.nan))
        for version_id in np.unique(version_ids):
            version_key, shape = layouts[int(version_id)]
            if version_key != key:
                continue
            rows = np.flatnonzero(version_ids == version_id)
            decoded = unpack(shape, list(words[rows]), list(wanted))
            for item, column in decoded.items():
                codes[item][rows] = column
    return meta, codes


def _looked_up(keys: np.ndarray, names: dict[int, object], dtype: object = object) -> np.ndarray:
    """``names[key]`` for every key, looked up once per distinct key."""
    distinct_keys, where = np.unique(keys, return_inverse=True)
    return np.array([names[int(k)] for k in distinct_keys], dtype=dtype)[where]
