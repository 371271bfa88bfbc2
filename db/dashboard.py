"""What the page "Mijn koploper" reads: count tables of one koploper and its benchmark groups.

One query reads every response once, with its pack: its coded answers as a few 64-bit words,
written with the response (``db.packs``), so no answer row is grouped and no text is moved. The
packs decode into exactly the code columns the measures engine works with, and the engine counts
them (``measures.counts.from_scored``) with its own rules: the dashboard's figures are the
engine's.

Kept in memory, so that a view costs no more than it must: per database, demo choice and
indicator set, the responses as read and decoded (meta frame and code columns, in ascending id)
and their scores, under the data version of what was read (``_all_scored``: until the data
version changes, any view of any koploper, subgroup or viewer reads nothing again). After a new
data version only the responses added since are read, when nothing else changed: every response
packed, and the current packs up to the highest kept id adding up (count, demo packs, sum of
checksums) to what was kept, checked in the database (``_added``; the guarantee of the data
version: up to a 31-bit hash per response). Everything is read again after any other change (a
response deleted, a pack dropped or packed again with other content, a response without a
current pack), and when what was read did not add up to a known version. Either way every
response is scored again.

Also kept: the count tables of every subgroup of a koploper, counted in one background thread
after the page's first view (``count_subgroups_later``) and kept per data version and viewer,
never served across viewers (``_CountedViews``), so that a subgroup chosen later only needs its
figures. ``dashboard_views`` takes what is kept there and counts only the rest; what it returns
is the same either way.

Access: the viewer must see the koploper (``require_koploper``). What comes back are count tables
of the koploper itself and of the other koplopers only added together, never by name: the
anonymous benchmark a ``gemeente`` account may see. Nothing per response leaves this module.
Open answers only for a viewer with that right.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd
from sqlalchemy import (
    Engine,
    Select,
    distinct,
    func,
    select,
)
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer, require_koploper, viewer_key
from db.background import Worker
from db.contacts import find_koploper
from db.models import Answer, Koploper, QuestionnaireVersion, Response, ResponsePack, Wave
from db.packs import CHANNELS as PACKED_CHANNELS
from db.packs import LANGUAGES as PACKED_LANGUAGES
from db.packs import PACK_FORMAT, split_heads, unpack, unpacked_responses, version_layouts
from db.questionnaires import wording_changes_of
from measures.counts import GroupCounts, from_scored
from measures.indicators import IndicatorSet, ItemIndicator, load_indicators
from measures.pools import withhold_small_pools
from measures.profile import profile_items
from measures.responses import QuestionnaireResponses
from measures.scoring import Scored, score_questionnaire
from measures.subgroups import subgroup_choices
from surveys.vocabulary import CHANNEL_NUMBERS as CHANNELS
from surveys.vocabulary import LANGUAGE_NUMBERS as LANGUAGES

OPEN_ANSWER_COLUMNS = ["wave", "questionnaire", "question", "answer", "day"]
MAX_OPEN_ANSWERS = 500


DataVersion = tuple[int, int, int, int, int]


def data_version(session: Session) -> DataVersion:
    """A key that changes whenever responses are added or removed, or packed again:
    (responses, packs, highest packed id, demo packs, sum of the packs' checksums).

    Only a cache key: never shown. Numbers of the whole tables, not of any koploper. Two
    databases with the same key hold the same packed responses (up to a 31-bit hash per
    response). The app never changes a stored answer; an ORM change drops the response's pack
    (so the key changes), plain SQL needs ``python -m db repack`` (``db.packs``). One pass over
    the short packs and a count of the responses' index.
    """
    responses = session.scalar(select(func.count(Response.id)))
    packs, highest, demo, checksums = session.execute(
        select(
            func.count(ResponsePack.response_id),
            func.max(ResponsePack.response_id),
            func.sum(ResponsePack.head.op("&")(1)),
            func.sum(ResponsePack.checksum),
        )
    ).one()
    return (
        int(responses or 0),
        int(packs or 0),
        int(highest or 0),
        int(demo or 0),
        int(checksums or 0),
    )


Place = tuple[str, bool, int]
"""Where counts come from: the database (its address), the demo choice and the indicator set.

The indicator set is known by its identity (``id``), and whatever is kept under a place holds the
set itself and is only served for that very set (``is``): while an entry lives, its set cannot be
freed, so no other set can be handed the same ``id`` and be taken for it. Identity rather than a
hash of the set's contents: hashing every definition on every view would cost more than the
counting it spares, and ``load_indicators`` hands out one set per file anyway."""


def _place(session: Session, include_demo: bool, indicators: IndicatorSet) -> Place:
    return (str(session.get_bind().engine.url), include_demo, id(indicators))


Packed = tuple[int, int, int, int]
"""What the packs read for a place add up to: (packs, highest id, demo packs, sum of checksums),
the packed part of the data version, demo packs included whatever the demo choice."""


@dataclass(frozen=True)
class _Read:
    """The responses of one place as read and decoded (``_fetch``), in ascending response id:
    the meta frame and the code columns, before scoring. Never changed once made: a refresh
    makes new ones, so a thread still holding these is not disturbed."""

    meta: pd.DataFrame
    codes: dict[str, np.ndarray]
    packed: Packed | None
    """What the packs read add up to, when they are exactly every response (then the data
    version of what was read is ``(packs, packs, highest, demo, checksums)``); None when some
    responses were packed on the way from their answers: the next refresh reads everything."""


@dataclass(frozen=True)
class _Kept:
    """Everything kept for one place: the data version it is served for, the indicator set,
    what was read and its scores."""

    version: DataVersion
    indicators: IndicatorSet
    read: _Read
    scored: dict[str, Scored]


_SCORED: dict[Place, _Kept] = {}
_SCORED_LOCK = threading.Lock()


def _all_scored(
    session: Session,
    indicators: IndicatorSet,
    include_demo: bool,
    version: DataVersion | None = None,
) -> dict[str, Scored]:
    """Every response scored, kept in memory per place (``Place``) until the data version
    changes: a view of another koploper, subgroup or viewer then needs no read. Only this module
    sees it; every caller checks the viewer. ``version``: the data version the caller read in
    this session already.

    After a new data version only the responses added since are read, when nothing else changed
    (``_added``); otherwise everything is read again. Every response is scored again either way.
    Two threads may refresh one place at once: each reads on its own and puts a complete entry
    in place (under ``_SCORED_LOCK``); the last one stays, both are right.
    """
    where = _place(session, include_demo, indicators)
    version = data_version(session) if version is None else version
    with _SCORED_LOCK:
        kept = _SCORED.get(where)
    if kept is not None and kept.indicators is not indicators:
        kept = None
    if kept is not None and kept.version == version:
        return kept.scored
    read = None if kept is None else _added(session, kept.read, version, indicators, include_demo)
    if read is None:
        read = _fetch(session, indicators, include_demo, version=version)
    scored = _scored(read.meta, read.codes, indicators)
    if read.packed is not None:  # the version of what was read, whatever the caller had
        packs, highest, demo, checksums = read.packed
        version = (packs, packs, highest, demo, checksums)
    with _SCORED_LOCK:
        if len(_SCORED) >= 8 and where not in _SCORED:
            _SCORED.clear()
        _SCORED[where] = _Kept(version, indicators, read, scored)
    return scored


def _added(
    session: Session,
    kept: _Read,
    version: DataVersion,
    indicators: IndicatorSet,
    include_demo: bool,
) -> _Read | None:
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
    new = _fetch(session, indicators, include_demo, after=highest)
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
    return _Read(meta, codes, packed)


def _joined(query: Select) -> Select:
    return (
        query.join(Koploper, Koploper.id == Response.koploper_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
    )


def wanted_items(indicators: IndicatorSet) -> dict[str, list[str]]:
    """Per questionnaire, the coded questions the dashboard needs: indicators, theme scores,
    subgroups and the profile (who answered), in questionnaire order."""
    wanted_by: dict[str, list[str]] = {}
    for key, spec in indicators.questionnaires.items():
        wanted = {i.item for i in spec.items if isinstance(i, ItemIndicator)}
        wanted |= {item for theme in spec.themes for item in theme.items}
        wanted |= {s.item for s in spec.subgroups}
        wanted |= set(profile_items(indicators).get(key, []))
        wanted |= {c.key for c in subgroup_choices(indicators).values() if c.questionnaire == key}
        wanted_by[key] = [
            item.key for item in spec.definition.items if item.key in wanted and item.qtype.coded
        ]
    return wanted_by


def _fetch(
    session: Session,
    indicators: IndicatorSet,
    demo: bool,
    after: int = 0,
    version: DataVersion | None = None,
) -> _Read:
    """Every response (id, koploper slug, wave, questionnaire, channel, language) with its coded
    answers decoded from its pack (``db.packs``) into the engine's code columns (float, NaN
    unanswered; a bit mask for multiple choice), in ascending response id. Stays in this module:
    callers get only count tables.

    ``after``: only the responses with a higher id (bound as a parameter), with what their packs
    add up to; whether they are all the new responses is for the caller to check (``_added``).
    Otherwise every response: a response without a current pack is packed from its answers on
    the way (and for good by ``db.setup.init_database``). ``version``: the data version read
    just before, which spares counting the responses when the packs read add up to it (every
    response packed); when they do not (an older version, or a change since), the responses are
    counted as ever."""
    # Plain tuples from the driver's cursor: one integer head and one short blob per response.
    query = select(ResponsePack.response_id, ResponsePack.head, ResponsePack.words).where(
        ResponsePack.format == PACK_FORMAT
    )
    if after:  # few rows: their checksums too, to add up what is kept (a full read needs none)
        query = (
            query.add_columns(ResponsePack.checksum)
            .where(ResponsePack.response_id > after)
            .order_by(ResponsePack.response_id)
        )
    result = session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    ids = np.array(columns[0], dtype=np.int64)
    heads = np.array(columns[1], dtype=np.int64)
    words = _blobs(columns[2])
    highest = int(ids.max()) if ids.size else after
    demo_packs = int(np.count_nonzero(heads & 1))
    packed: Packed | None
    if after:
        packed = (ids.size, highest, demo_packs, sum(columns[3]))
    elif version is not None and version[:4] == (ids.size, ids.size, highest, demo_packs):
        packed = (ids.size, highest, demo_packs, version[4])
    else:  # the sum of their checksums is not known: the next refresh reads everything
        packed = None
        if session.scalar(select(func.count(Response.id))) != ids.size:
            extra = unpacked_responses(session)  # stored before packs existed, or by hand
            ids = np.concatenate([ids, np.array([row[0] for row in extra], dtype=np.int64)])
            heads = np.concatenate([heads, np.array([row[1] for row in extra], dtype=np.int64)])
            words = np.concatenate([words, _blobs([row[2] for row in extra])])
    if ids.size > 1 and not np.all(ids[1:] > ids[:-1]):
        order = np.argsort(ids, kind="stable")
        ids, heads, words = ids[order], heads[order], words[order]
    meta, codes = _decoded(session, indicators, demo, ids, heads, words)
    return _Read(meta, codes, packed)


def _blobs(values: Sequence[bytes]) -> np.ndarray:
    """An object array of the packs' words; not np.array: bytes would lose trailing zeros."""
    blobs = np.empty(len(values), dtype=object)
    blobs[:] = values
    return blobs


def _decoded(
    session: Session,
    indicators: IndicatorSet,
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
        select(Wave.id, Koploper.slug, Wave.code).join(Koploper, Koploper.id == Wave.koploper_id)
    ).all()
    version_ids = fields["version"]
    meta = pd.DataFrame(
        {
            "response_id": ids,
            "koploper": _looked_up(fields["wave"], {w: slug for w, slug, _ in waves}),
            "wave": _looked_up(fields["wave"], {w: code for w, _, code in waves}),
            "questionnaire": _looked_up(version_ids, {v: key for v, (key, _) in layouts.items()}),
            "channel": _recoded(fields["channel"], PACKED_CHANNELS, CHANNELS),
            "language": _recoded(fields["language"], PACKED_LANGUAGES, LANGUAGES),
        }
    )
    codes: dict[str, np.ndarray] = {}
    for key, items in wanted_items(indicators).items():
        for item in indicators.questionnaires[key].definition.items:
            if item.key in items:
                multiple = item.qtype.multiple
                codes[item.key] = (
                    np.zeros(ids.size, np.int64) if multiple else np.full(ids.size, np.nan)
                )
        for version_id in np.unique(version_ids):
            version_key, shape = layouts[int(version_id)]
            if version_key != key:
                continue
            rows_ = np.flatnonzero(version_ids == version_id)
            decoded = unpack(shape, list(words[rows_]), items)
            for item, column in decoded.items():
                codes[item][rows_] = column
    return meta, codes


def _recoded(codes: np.ndarray, packed: tuple[str, ...], engine: dict[str, int]) -> np.ndarray:
    """Channel or language codes of the packs as the engine numbers them (0: another)."""
    table = np.array([0, *(engine.get(name, 0) for name in packed)], dtype=np.int64)
    return table[codes]


def _looked_up(keys: np.ndarray, names: dict[int, str]) -> np.ndarray:
    """``names[key]`` for every key, looked up once per distinct key."""
    distinct_keys, where = np.unique(keys, return_inverse=True)
    return np.array([names[int(k)] for k in distinct_keys], dtype=object)[where]


def _scored(
    meta: pd.DataFrame, codes: dict[str, np.ndarray], indicators: IndicatorSet
) -> dict[str, Scored]:
    scored = {}
    wanted = wanted_items(indicators)
    for key, spec in indicators.questionnaires.items():
        rows = np.flatnonzero(meta["questionnaire"].to_numpy() == key)
        if rows.size == 0:
            continue
        part = meta.iloc[rows].reset_index(drop=True).assign(panel_id="", line=0)
        own = {item: codes[item][rows] for item in wanted[key]}
        responses = QuestionnaireResponses(key, part, pd.DataFrame(own))
        scored[key] = score_questionnaire(responses, spec)
    return scored


def scored_responses(
    session: Session,
    viewer: Viewer,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
) -> dict[str, Scored]:
    """Every response of every koploper, scored by the engine (per questionnaire), from the
    packs. Only for a viewer who sees every koploper (``db.compare`` counts them per koploper);
    raises ``AccessDenied`` for anyone else."""
    if not viewer.sees_all:
        raise AccessDenied("Alleen onderzoekers en beheerders zien alle koplopers.", None)
    return _all_scored(session, indicators or load_indicators(), include_demo)


def dashboard_counts(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroup: str | None = None,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> GroupCounts:
    """Count tables of ``koploper`` and, added together, the rest of its cohort and all others.

    ``subgroup`` is a key of ``measures.subgroups.subgroup_choices`` (a profile question,
    ``channel`` or ``language``); then every table is per category too, and only the
    questionnaire that asks the question is counted. Raises ``AccessDenied`` when the viewer may
    not see the koploper, ``UnknownKoploper`` when there is none. ``version``: see
    :func:`dashboard_views`.
    """
    views = dashboard_views(
        session, viewer, koploper, [subgroup], include_demo, indicators, version=version
    )
    return views[subgroup]


def dashboard_views(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroups: list[str | None] | None = None,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> dict[str | None, GroupCounts]:
    """:func:`dashboard_counts` for several subgroups (default: none and every subgroup): the
    engine (``measures.counts.from_scored``) counts the packed responses, read once per data
    version and kept in memory (``_all_scored``). A subgroup counted in the background for this
    viewer, koploper and data version (:func:`count_subgroups_later`) is taken from there, not
    counted again: the same tables (shared: do not change them).

    ``version``: the data version the caller read just now (the page has it), to spare reading
    it again. It only chooses what is taken from memory: what was kept for that very version
    (responses and tables as stored at that version, or at a read made for it). Whatever is read
    is checked against the database itself, never against ``version`` (``_fetch``, ``_added``),
    and the responses are kept under the data version of what was read whenever every response
    is packed: an older or wrong version can cost a read that was not needed, never figures of
    responses that were not stored."""
    indicators = indicators or load_indicators()
    require_koploper(viewer, koploper)
    choices = subgroup_choices(indicators)
    wanted = [None, *choices] if subgroups is None else subgroups
    unknown = [s for s in wanted if s is not None and s not in choices]
    if unknown:
        raise ValueError(f"onbekende subgroep '{unknown[0]}'")
    views, counter = _prepare(session, viewer, koploper, wanted, include_demo, indicators, version)
    for subgroup in wanted:
        if subgroup not in views:
            views[subgroup] = counter.count(subgroup)
    return {subgroup: views[subgroup] for subgroup in wanted}


@dataclass(frozen=True)
class _Counter:
    """What counting a subgroup of one koploper for one viewer needs, all read at once: the
    counting itself then needs no session (on SQLite every transaction holds the write lock,
    ``db.engine``)."""

    place: Place
    version: DataVersion
    indicators: IndicatorSet
    koploper: str
    cohort: set[str]
    known: set[str]
    """Koplopers the viewer sees by name: they do not make a pool anonymous."""
    scored: dict[str, Scored]
    versions: pd.DataFrame

    def count(self, subgroup: str | None) -> GroupCounts:
        counts = from_scored(
            self.scored,
            self.koploper,
            self.cohort,
            self.indicators,
            subgroup=subgroup,
            known=self.known,
        )
        counts = withhold_small_pools(counts, self.indicators.settings)
        return replace(counts, versions=self.versions)


def _prepare(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wanted: list[str | None],
    include_demo: bool,
    indicators: IndicatorSet,
    version: DataVersion | None = None,
) -> tuple[dict[str | None, GroupCounts], _Counter | None]:
    """The views of ``wanted`` counted in the background already, and a counter for the others
    (None when there are none). ``version``: the data version the caller read, if any."""
    require_koploper(viewer, koploper)
    own = find_koploper(session, koploper)
    version = data_version(session) if version is None else version
    place = _place(session, include_demo, indicators)
    views = _COUNTED.found(place, version, indicators, viewer, own.slug, wanted)
    if all(subgroup in views for subgroup in wanted):
        return views, None
    cohort = set(session.scalars(select(Koploper.slug).where(Koploper.cohort_id == own.cohort_id)))
    scored = _all_scored(session, indicators, include_demo, version)
    wave = Wave.code.label("wave")
    key = QuestionnaireVersion.key.label("questionnaire")
    demo = [] if include_demo else [Response.is_demo.is_(False)]
    versions = _frame(
        session,
        _joined(select(wave, key, QuestionnaireVersion.version, func.count()).select_from(Response))
        .where(Response.koploper_id == own.id, *demo)
        .group_by(wave, key, QuestionnaireVersion.version),
        ["wave", "questionnaire", "version", "responses"],
    )
    known = set() if viewer.sees_all else set(viewer.koploper_slugs)
    counter = _Counter(place, version, indicators, own.slug, cohort, known, scored, versions)
    return views, counter


# --- every subgroup counted in the background ---------------------------------------------------


class _CountedViews:
    """Count tables of subgroups counted in the background, per place (``Place``), viewer (all
    of it: ``viewer_key``; never served to another), koploper and subgroup, each with the data
    version and the indicator set it was counted for: only served for that very version and set.
    At most ``size`` tables, the least recently used go first; a new data version of a place
    drops that place's older tables at once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, tuple[DataVersion, IndicatorSet, GroupCounts]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def found(
        self,
        place: Place,
        version: DataVersion,
        indicators: IndicatorSet,
        viewer: Viewer,
        koploper: str,
        subgroups: list[str | None],
    ) -> dict[str | None, GroupCounts]:
        found = {}
        who = viewer_key(viewer)
        with self._lock:
            for subgroup in subgroups:
                key = (place, who, koploper, subgroup)
                kept = self._kept.get(key)
                if kept is not None and kept[0] == version and kept[1] is indicators:
                    self._kept.move_to_end(key)
                    found[subgroup] = kept[2]
        return found

    def keep(self, counter: _Counter, viewer: Viewer, subgroup: str, counts: GroupCounts) -> None:
        key = (counter.place, viewer_key(viewer), counter.koploper, subgroup)
        with self._lock:
            older = [
                k
                for k, (version, _, _) in self._kept.items()
                if k[0] == counter.place and version != counter.version
            ]
            for stale in older:
                del self._kept[stale]
            self._kept[key] = (counter.version, counter.indicators, counts)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)


_COUNTED = _CountedViews(size=200)
_WORKER = Worker("koplopermonitor-subgroups")
PAUSE = 0.01
"""Seconds the background thread rests between two subgroups, so that a page script that wants
the interpreter (Python runs one thread at a time) gets it between two subgroups; a click within
the first second after a view still shares it with the counting."""


def count_subgroups_later(
    session: Session,
    viewer: Viewer,
    koploper: str,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> Future[dict[str, GroupCounts]]:
    """Count every subgroup of ``koploper`` for ``viewer`` in the background, so that choosing
    one later takes its tables from memory (:func:`dashboard_views`) and leaves only the figures
    to compute. Returns at once.

    The viewer is checked now: ``AccessDenied`` (or ``UnknownKoploper``) before anything is
    queued. Nothing is queued when every subgroup is counted for this data version already (the
    future is done) or when the same request is still waiting (its future is returned). One
    thread for the whole process does the requests one by one (``db.background``): with a
    session of its own on the same engine, it reads what it needs (the responses only when the
    data version is new: ``_all_scored``), closes it, and counts subgroup by subgroup, resting
    ``PAUSE`` between them. A failure is logged and kept in the future; the caller never waits
    for it, unless it wants to (tests, the benchmark: ``wait_for_counting``).

    ``version``: the data version the caller read just now (the page has it), to spare a query.
    An older one can only make this skip or repeat work: what is served is checked against the
    data version of the moment.
    """
    indicators = indicators or load_indicators()
    require_koploper(viewer, koploper)
    own = find_koploper(session, koploper).slug
    version = data_version(session) if version is None else version
    place = _place(session, include_demo, indicators)
    wanted: list[str | None] = list(subgroup_choices(indicators))
    counted = _COUNTED.found(place, version, indicators, viewer, own, wanted)
    if len(counted) == len(wanted):
        done: Future[dict[str, GroupCounts]] = Future()
        done.set_result(counted)
        return done
    engine = session.get_bind().engine
    return _WORKER.submit(
        (place, viewer_key(viewer), own, version),
        partial(_count_subgroups, engine, viewer, own, wanted, include_demo, indicators),
        label=f"counting the subgroups of {own}",
    )


def _count_subgroups(
    engine: Engine,
    viewer: Viewer,
    koploper: str,
    wanted: list[str | None],
    include_demo: bool,
    indicators: IndicatorSet,
) -> dict[str | None, GroupCounts]:
    """In the background thread: every subgroup in ``wanted`` counted and kept."""
    with Session(engine) as session:
        views, counter = _prepare(session, viewer, koploper, wanted, include_demo, indicators)
    for subgroup in wanted:
        if subgroup not in views:
            time.sleep(PAUSE)
            views[subgroup] = counter.count(subgroup)
            _COUNTED.keep(counter, viewer, subgroup, views[subgroup])
    return views


def wait_for_counting(timeout: float | None = None) -> bool:
    """Wait until the background thread has done every request made so far; False when
    ``timeout`` (seconds) ran out first. For tests and benchmarks: a page never waits."""
    return _WORKER.wait(timeout)


def _frame(session: Session, query: Select, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def wording_changes(
    session: Session, viewer: Viewer, koploper: str
) -> dict[str, dict[str, list[int]]]:
    """Per questionnaire, item → the versions from which its question was worded differently.

    Questionnaire definitions are public; the viewer is checked for the koploper all the same.
    """
    require_koploper(viewer, koploper)
    keys = session.scalars(select(distinct(QuestionnaireVersion.key))).all()
    return {key: wording_changes_of(session, key) for key in keys}


def open_answers(
    session: Session,
    viewer: Viewer,
    koploper: str,
    search: str = "",
    include_demo: bool = True,
    limit: int = MAX_OPEN_ANSWERS,
) -> pd.DataFrame:
    """The koploper's open answers (newest first), optionally those containing ``search``.

    Only for a viewer who reads open text (``Viewer.reads_free_text``); the day of sending, never
    the time. ``search`` is matched case-insensitively as plain text (a bound parameter; ``%`` and
    ``_`` match themselves).
    """
    require_koploper(viewer, koploper)
    if not viewer.reads_free_text:
        raise AccessDenied("Uw account mag de open antwoorden niet lezen.", koploper)
    own = find_koploper(session, koploper)
    query = (
        _joined(
            select(
                Wave.code,
                QuestionnaireVersion.key,
                Answer.item_key,
                Answer.text,
                Response.submitted_at,
            )
            .select_from(Answer)
            .join(Response, Response.id == Answer.response_id)
        )
        .where(Response.koploper_id == own.id, Answer.text.is_not(None))
        .order_by(Response.submitted_at.desc(), Answer.id.desc())
        .limit(limit)
    )
    if not include_demo:
        query = query.where(Response.is_demo.is_(False))
    needle = search.strip()
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Answer.text).like(f"%{escaped.lower()}%", escape="\\"))
    rows = session.execute(query).all()
    indicators = load_indicators()
    questions = {
        (q, item.key): item.text["nl"]
        for q, spec in indicators.questionnaires.items()
        for item in spec.definition.items
    }
    frame = pd.DataFrame(
        [
            (wave, q, questions.get((q, item), item), text, submitted.date())
            for wave, q, item, text, submitted in rows
        ],
        columns=OPEN_ANSWER_COLUMNS,
    )
    return frame
