"""Responses out: read the selection a viewer may export, fast, as one column of values per item.

:func:`read_export` reads the responses (one row each: ``response_id, koploper, wave,
questionnaire, questionnaire_version, submitted_at, channel, language``, the day only, and
``panel_key``: the pseudonymous key of a panel member, empty otherwise) and their
answers, and gives them as a ``surveys.export.Export``: per item one array on the rows (a code, a
bit mask for multiple choice, a number or a text). ``reports.export_*`` write the formats from it;
``views.export`` puts the two together with the audit line.

The coded answers come from the response packs (``db.packs``), the one coded form of a response
that the dashboard reads too: one short row per response, decoded with a shift and a mask. What
no pack holds is read from the answer rows: responses without a current pack, questions outside
a version's pack layout, numbers and texts.

Only what the viewer may see goes out (``db.access``): its koplopers, filtered in SQL; never to an
adviesraad; open-text answers only for a viewer with that right (else their columns are absent).
Demo responses only when asked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Select,
    func,
    select,
)
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter, require_koploper, require_responses
from db.contacts import find_koploper
from db.models import Answer, Koploper, QuestionnaireVersion, Response, ResponsePack, Wave
from db.packs import PACK_FORMAT, WORD, unpack, version_layouts
from surveys.definition import Item, from_stored
from surveys.export import FREE_TEXT_COLUMN, NUMBER_COLUMN, Export, is_free_text
from surveys.interchange import META_COLUMNS
from surveys.vocabulary import PANEL_KEY

META = [*META_COLUMNS, PANEL_KEY]
"""The interchange format's columns, then the panel key (empty without a panel)."""
DUTCH_ZONE = "Europe/Amsterdam"
CHUNK = 5000
"""Response ids bound per statement."""


class EmptyExport(LookupError):
    """Nothing to export for this choice; the message (Dutch) says which choice gave nothing."""


class UnknownWave(LookupError):
    """A wave code that no koploper has."""


def wave_codes(session: Session) -> list[str]:
    """The codes of the waves any koploper has, in order: T0, T1, T2 (reference data)."""
    return sorted(set(session.scalars(select(Wave.code))), key=lambda c: (len(c), c))


def check_choice(session: Session, koploper: str | None, wave: str | None) -> None:
    """Refuse, in Dutch, a koploper or a wave that does not exist (``UnknownKoploper``,
    :class:`UnknownWave`)."""
    if koploper is not None:
        find_koploper(session, koploper)
    if wave is not None:
        codes = wave_codes(session)
        if wave not in codes:
            raise UnknownWave(f"Meting '{wave}' bestaat niet (wel: {', '.join(codes)}).")


def _items(
    session: Session,
) -> tuple[dict[str, Item], dict[str, list[tuple[str, int]]], dict[int, set[str]]]:
    """Item keys in questionnaire order, newest version of each questionnaire first-seen; the
    versions that hold each key; and per questionnaire version id, the keys it asks.

    A key means one thing in every version (same type and codes), so any version's item encodes it.
    """
    items: dict[str, Item] = {}
    versions: dict[str, list[tuple[str, int]]] = {}
    asked: dict[int, set[str]] = {}
    stored = session.scalars(
        select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
        )
    )
    for version in stored:
        asked[version.id] = set()
        for item in from_stored(version.definition).items:
            items.setdefault(item.key, item)
            versions.setdefault(item.key, []).append((version.key, version.version))
            asked[version.id].add(item.key)
    return items, {key: sorted(held) for key, held in versions.items()}, asked


def _selection(
    query: Select,
    viewer: Viewer,
    koploper: str | None,
    wave: str | None,
    include_demo: bool,
) -> Select:
    """The WHERE clauses of a query over ``responses``: scope, koploper, wave, demo."""
    query = query.where(koploper_filter(viewer, Response.koploper_id))
    if koploper is not None:
        query = query.where(
            Response.koploper_id
            == select(Koploper.id).where(Koploper.slug == koploper).scalar_subquery()
        )
    if wave is not None:
        query = query.where(Response.wave_id.in_(select(Wave.id).where(Wave.code == wave)))
    if not include_demo:
        query = query.where(Response.is_demo.is_(False))
    return query


def _days(moments: pd.Series) -> np.ndarray:
    """Submission moments (naive UTC) as the Dutch calendar day, ``2026-11-26``: no time."""
    days = (
        pd.to_datetime(moments, format="ISO8601")
        .dt.tz_localize("UTC")
        .dt.tz_convert(DUTCH_ZONE)
        .dt.normalize()
    )
    index, uniques = pd.factorize(days)
    return np.asarray([*uniques.strftime("%Y-%m-%d"), None], dtype=object)[index]


def _plain(connection: Connection, query: Select) -> list[tuple]:
    """The rows of ``query`` as the driver gives them (no SQLAlchemy row object or type
    conversion each: a million rows fast). Compiled with its parameters bound, as always."""
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    parameters = compiled.params
    if compiled.positional:
        parameters = tuple(parameters[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return rows


def count_responses(
    session: Session,
    viewer: Viewer,
    koploper: str | None = None,
    wave: str | None = None,
    include_demo: bool = False,
) -> int:
    """How many responses :func:`read_export` would give for this choice (same checks)."""
    require_responses(viewer)
    if koploper is not None:
        require_koploper(viewer, koploper)
    query = _selection(select(func.count(Response.id)), viewer, koploper, wave, include_demo)
    return int(session.scalar(query) or 0)


def read_export(
    session: Session,
    viewer: Viewer,
    koploper: str | None = None,
    wave: str | None = None,
    include_demo: bool = False,
) -> Export:
    """The responses the viewer may export (optionally of one koploper and one wave).

    Raises :class:`~db.access.AccessDenied` for an adviesraad and for a koploper out of scope.
    An empty selection is an :class:`Export` of no rows (the writers refuse it).
    """
    require_responses(viewer)
    if koploper is not None:
        require_koploper(viewer, koploper)
    items, versions, asked = _items(session)
    if not viewer.reads_free_text:
        items = {key: item for key, item in items.items() if not is_free_text(item)}
    versions = {key: versions[key] for key in items}
    connection = session.connection()  # Core, not the ORM: plain tuples
    rows = _plain(
        connection,
        _selection(
            select(
                Response.id,
                Response.koploper_id,
                Response.wave_id,
                Response.questionnaire_version_id,
                Response.submitted_at,
                Response.channel,
                Response.language,
                Response.panel_key,
            ),
            viewer,
            koploper,
            wave,
            include_demo,
        ).order_by(Response.id),
    )
    frame = pd.DataFrame.from_records(
        rows,
        columns=[
            "response_id",
            "koploper",
            "wave",
            "version",
            "submitted_at",
            "channel",
            "language",
            PANEL_KEY,
        ],
    )
    koplopers = session.execute(select(Koploper.id, Koploper.slug, Koploper.name)).all()
    slugs = {number: slug for number, slug, _ in koplopers}
    codes = dict(session.execute(select(Wave.id, Wave.code)).all())
    stored = {
        row.id: (row.key, row.version)
        for row in session.execute(
            select(QuestionnaireVersion.id, QuestionnaireVersion.key, QuestionnaireVersion.version)
        )
    }
    named = [stored[v] for v in frame["version"]]
    named_versions = set(named)
    meta = pd.DataFrame(
        {
            "response_id": frame["response_id"].to_numpy(dtype=np.int64),
            "koploper": frame["koploper"].map(slugs).to_numpy(dtype=object),
            "wave": frame["wave"].map(codes).to_numpy(dtype=object),
            "questionnaire": np.asarray([k for k, _ in named], dtype=object),
            "questionnaire_version": np.asarray([v for _, v in named], dtype=np.int64),
            "submitted_at": _days(frame["submitted_at"]),
            "channel": frame["channel"].to_numpy(dtype=object),
            "language": frame["language"].to_numpy(dtype=object),
            PANEL_KEY: frame[PANEL_KEY].to_numpy(dtype=object),
        },
        columns=META,
    )
    ids = meta["response_id"].to_numpy()
    choice = (viewer, koploper, wave, include_demo)
    values = _empty_values(items, ids.size)
    if ids.size:
        version_ids = frame["version"].to_numpy(dtype=np.int64)
        _codes(session, choice, items, asked, ids, version_ids, values)
        _numbers_and_texts(connection, choice, items, ids, values)
    definitions = [
        (key, version, definition)
        for key, version, definition in session.execute(
            select(
                QuestionnaireVersion.key,
                QuestionnaireVersion.version,
                QuestionnaireVersion.definition,
            ).order_by(QuestionnaireVersion.key, QuestionnaireVersion.version)
        )
        if (key, version) in named_versions
    ]
    exported = set(meta["koploper"])
    names = {slug: name for _, slug, name in koplopers if slug in exported}
    return Export(meta, items, values, versions, definitions, names)


def _rows(ids: np.ndarray, responses: np.ndarray) -> np.ndarray:
    """The row of each response in ``ids`` (sorted), −1 for a response not among them: one sent
    between the reads (on PostgreSQL each statement sees what was committed)."""
    row = np.searchsorted(ids, responses)
    inside = row < ids.size
    inside[inside] = ids[row[inside]] == responses[inside]
    return np.where(inside, row, -1)


def _empty_values(items: dict[str, Item], n: int) -> dict[str, np.ndarray]:
    """Every item's array of ``n`` unanswered values (see ``surveys.export``)."""
    values: dict[str, np.ndarray] = {}
    for key, item in items.items():
        if item.qtype.multiple:
            values[key] = np.zeros(n, dtype=np.int64)
        elif item.qtype.coded or item.qtype.column == NUMBER_COLUMN:
            values[key] = np.full(n, np.nan)
        else:
            values[key] = np.full(n, None, dtype=object)
    return values


def _put_codes(
    values: dict[str, np.ndarray],
    items: dict[str, Item],
    rows: np.ndarray,
    keys: np.ndarray,
    codes: np.ndarray,
) -> None:
    """Codes of answer rows in place: a single choice set, a multiple choice's bit OR-ed in (so
    reading one answer twice changes nothing)."""
    for key in np.unique(keys):
        here = keys == key
        if items[key].qtype.multiple:
            np.bitwise_or.at(values[key], rows[here], np.left_shift(1, codes[here]))
        else:
            values[key][rows[here]] = codes[here]


def _codes(
    session: Session,
    choice: tuple[Viewer, str | None, str | None, bool],
    items: dict[str, Item],
    asked: dict[int, set[str]],
    ids: np.ndarray,
    version_ids: np.ndarray,
    values: dict[str, np.ndarray],
) -> None:
    """The coded answers of the rows ``ids`` (sorted), of questionnaire versions ``version_ids``,
    from the response packs (``db.packs``): the one coded form of a response, which the dashboard
    reads too. What a pack does not hold comes from the answer rows, so nothing is lost: every
    coded answer of a response without a current pack (or with one of the wrong length), and
    the questions a version asks outside its pack layout (too wide for a pack)."""
    connection = session.connection()
    coded = {key for key, item in items.items() if item.qtype.coded}
    if not coded:
        return
    layouts = version_layouts(session)
    query = select(ResponsePack.response_id, ResponsePack.words)
    query = query.join(Response, Response.id == ResponsePack.response_id)
    query = _selection(query.where(ResponsePack.format == PACK_FORMAT), *choice)
    found = _plain(connection, query.order_by(ResponsePack.response_id))
    packed = np.zeros(ids.size, dtype=bool)
    if found:
        row = _rows(ids, np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found)))
        words = np.empty(len(found), dtype=object)  # not np.array: bytes lose trailing zeros
        words[:] = [bytes(r[1]) for r in found]
        lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=words.size)
        version_of = np.where(row >= 0, version_ids[np.maximum(row, 0)], -1)
        for version_id in np.unique(version_of[row >= 0]):
            _, shape = layouts[int(version_id)]
            here = np.flatnonzero(
                (version_of == version_id) & (lengths == WORD.itemsize * shape.words)
            )
            keys = [key for key in coded if shape.slot(key) is not None]
            for key, column in unpack(shape, list(words[here]), keys).items():
                values[key][row[here]] = column
            packed[row[here]] = True
    wide = sorted(
        {
            key
            for version_id, keys in asked.items()
            if version_id in layouts
            for key in keys & coded
            if layouts[version_id][1].slot(key) is None
        }
    )
    answers = select(Answer.response_id, Answer.item_key, Answer.code).where(
        Answer.code.is_not(None)
    )
    reads = []
    unpacked = ids[~packed].tolist()
    for start in range(0, len(unpacked), CHUNK):
        chunk = unpacked[start : start + CHUNK]
        reads.append(answers.where(Answer.response_id.in_(chunk), Answer.item_key.in_(coded)))
    if wide:
        joined = answers.join(Response, Response.id == Answer.response_id)
        reads.append(_selection(joined.where(Answer.item_key.in_(wide)), *choice))
    for read in reads:
        rows = _plain(connection, read)
        if not rows:
            continue
        response, key, code = (np.asarray(part, dtype=object) for part in zip(*rows, strict=True))
        row = _rows(ids, response.astype(np.int64))
        keep = row >= 0
        _put_codes(values, items, row[keep], key[keep], code[keep].astype(np.int64))


def _numbers_and_texts(
    connection: Connection,
    choice: tuple[Viewer, str | None, str | None, bool],
    items: dict[str, Item],
    ids: np.ndarray,
    values: dict[str, np.ndarray],
) -> None:
    """Numbers and (only for items that go out) texts of the rows ``ids`` (sorted): they are
    few, so plain rows of (response, item key, value)."""
    for column in (NUMBER_COLUMN, FREE_TEXT_COLUMN):
        keyed = [key for key, item in items.items() if item.qtype.column == column]
        if not keyed:
            continue
        stored = getattr(Answer, column)
        query = select(Answer.response_id, Answer.item_key, stored)
        query = query.join(Response, Response.id == Answer.response_id)
        query = query.where(stored.is_not(None), Answer.item_key.in_(keyed))
        rows = connection.execute(_selection(query, *choice)).all()
        if not rows:
            continue
        response, item_key, given = (
            np.asarray(part, dtype=object) for part in zip(*rows, strict=True)
        )
        row = _rows(ids, response.astype(np.int64))
        for key in keyed:
            here = (item_key == key) & (row >= 0)
            values[key][row[here]] = given[here]
