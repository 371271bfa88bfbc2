"""Responses out: read the selection a viewer may export, fast, as one column of values per item.

:func:`read_export` reads the responses (one row each: ``response_id, koploper, wave,
questionnaire, questionnaire_version, submitted_at, channel, language``, the day only) and their
answers, and gives them as a ``surveys.export.Export``: per item one array on the rows (a code, a
bit mask for multiple choice, a number or a text). ``reports.export_*`` write the formats from it;
``views.export`` puts the two together with the audit line.

Only what the viewer may see goes out (``db.access``): its koplopers, filtered in SQL; never to an
adviesraad; open-text answers only for a viewer with that right (else their columns are absent).
Demo responses only when asked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    Text,
    case,
    cast,
    func,
    select,
)
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter, require_koploper, require_responses
from db.contacts import find_koploper
from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave
from surveys.definition import Item, from_stored
from surveys.export import FREE_TEXT_COLUMN, NUMBER_COLUMN, Export, is_free_text
from surveys.interchange import META_COLUMNS

META = list(META_COLUMNS)
DUTCH_ZONE = "Europe/Amsterdam"
ITEMS = 1 << 8
CODES = 1 << 16
"""How an answer is packed into one integer: (response id × ITEMS + item) × CODES + code."""


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


def _items(session: Session) -> tuple[dict[str, Item], dict[str, list[tuple[str, int]]]]:
    """Item keys in questionnaire order, newest version of each questionnaire first-seen, and
    the versions that hold each key.

    A key means one thing in every version (same type and codes), so any version's item encodes it.
    """
    items: dict[str, Item] = {}
    versions: dict[str, list[tuple[str, int]]] = {}
    stored = session.scalars(
        select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
        )
    )
    for version in stored:
        for item in from_stored(version.definition).items:
            items.setdefault(item.key, item)
            versions.setdefault(item.key, []).append((version.key, version.version))
    return items, {key: sorted(held) for key, held in versions.items()}


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
    items, versions = _items(session)
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
        },
        columns=META,
    )
    ids = meta["response_id"].to_numpy()
    values = _answers(connection, viewer, koploper, wave, include_demo, items, ids)
    definitions = [
        (key, version, definition)
        for key, version, definition in session.execute(
            select(
                QuestionnaireVersion.key,
                QuestionnaireVersion.version,
                QuestionnaireVersion.definition,
            ).order_by(QuestionnaireVersion.key, QuestionnaireVersion.version)
        )
        if (key, version) in set(named)
    ]
    names = {slug: name for _, slug, name in koplopers if slug in set(meta["koploper"])}
    return Export(meta, items, values, versions, definitions, names)


def _joined(connection: Connection, number: ColumnElement[int]) -> ColumnElement[str]:
    """All values of ``number`` as one text, ``1,5,2``, in any order: one value to fetch instead of
    a row per answer (a million Python objects fewer); numpy reads it back at once."""
    if connection.dialect.name == "sqlite":
        return func.group_concat(number, ",")
    return func.string_agg(cast(number, Text), ",")


def _rows(ids: np.ndarray, responses: np.ndarray) -> np.ndarray:
    """The row of each answer's response in ``ids`` (sorted), −1 for a response not among them:
    one sent between the two reads (on PostgreSQL each statement sees what was committed)."""
    row = np.searchsorted(ids, responses)
    inside = row < ids.size
    inside[inside] = ids[row[inside]] == responses[inside]
    return np.where(inside, row, -1)


def _answers(
    connection: Connection,
    viewer: Viewer,
    koploper: str | None,
    wave: str | None,
    include_demo: bool,
    items: dict[str, Item],
    ids: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every item's values on the rows ``ids`` (sorted), from three plain reads of the answers:
    codes, numbers and (only for items that go out) texts."""
    n = ids.size
    keys = list(items)
    position = {key: number for number, key in enumerate(keys)}
    values: dict[str, np.ndarray] = {}
    for key, item in items.items():
        if item.qtype.multiple:
            values[key] = np.zeros(n, dtype=np.int64)
        elif item.qtype.coded or item.qtype.column == NUMBER_COLUMN:
            values[key] = np.full(n, np.nan)
        else:
            values[key] = np.full(n, None, dtype=object)
    if n == 0:
        return values

    coded = [key for key in keys if items[key].qtype.coded]
    if any(not 0 <= code < CODES for key in coded for code in items[key].allowed_codes):
        raise ValueError("an answer code outside 0–65535 does not fit the packed read")
    if coded:
        # One integer per answer, (response id, item, code) packed by the database, and all of
        # them joined into one text: no row object per answer, and no item key text in Python.
        number = case({key: position[key] for key in coded}, value=Answer.item_key)
        packed = (cast(Answer.response_id, BigInteger) * ITEMS + number) * CODES + Answer.code
        query = select(_joined(connection, packed)).select_from(Answer)
        query = query.join(Response, Response.id == Answer.response_id)
        query = query.where(Answer.code.is_not(None), Answer.item_key.in_(coded))
        joined = connection.execute(
            _selection(query, viewer, koploper, wave, include_demo)
        ).scalar()
        found = np.fromstring(joined or "", dtype=np.int64, sep=",")
        code = found % CODES
        item = found // CODES % ITEMS
        row = _rows(ids, found // CODES // ITEMS)
        code, item = code[row >= 0], item[row >= 0]
        row = row[row >= 0]
        for key in coded:
            here = item == position[key]
            if items[key].qtype.multiple:
                # Codes are distinct within an answer, so adding the bits is a bitwise OR.
                np.add.at(values[key], row[here], np.left_shift(1, code[here]))
            else:
                values[key][row[here]] = code[here]

    for column in (NUMBER_COLUMN, FREE_TEXT_COLUMN):
        # Numbers and texts are few: plain rows of (response, item key, value).
        keyed = [key for key in keys if items[key].qtype.column == column]
        if not keyed:
            continue
        stored = getattr(Answer, column)
        query = select(Answer.response_id, Answer.item_key, stored)
        query = query.join(Response, Response.id == Answer.response_id)
        query = query.where(stored.is_not(None), Answer.item_key.in_(keyed))
        rows = connection.execute(_selection(query, viewer, koploper, wave, include_demo)).all()
        if not rows:
            continue
        response, item_key, given = (
            np.asarray(part, dtype=object) for part in zip(*rows, strict=True)
        )
        row = _rows(ids, response.astype(np.int64))
        for key in keyed:
            here = (item_key == key) & (row >= 0)
            values[key][row[here]] = given[here]
    return values
