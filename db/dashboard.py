"""What the page "Mijn koploper" reads: count tables of one koploper and its benchmark groups.

One query reads every response once: the database groups the answers per response (in the order
of the index on ``answers.response_id``) into a few 64-bit integers, one small bit field per
question (:func:`slots`), so no text is moved or grouped in Python. Those integers decode into
exactly the code columns the measures engine works with, and the engine counts them
(``measures.dashboard.from_scored``) with its own rules: the dashboard's figures are the engine's.

Access: the viewer must see the koploper (``require_koploper``). What comes back are count tables
of the koploper itself and of the other koplopers only added together, never by name: the
anonymous benchmark a ``gemeente`` account may see. Nothing per response leaves this module.
Open answers only for a viewer with that right.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    case,
    cast,
    distinct,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from db.access import AccessDenied, Viewer, require_koploper
from db.contacts import find_koploper
from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave
from db.questionnaires import wording_changes_of
from measures.dashboard import (
    CHANNELS,
    LANGUAGES,
    GroupCounts,
    from_scored,
    profile_items,
    subgroup_choices,
    withhold_small_pools,
)
from measures.indicators import IndicatorSet, ItemIndicator, load_indicators
from measures.responses import QuestionnaireResponses
from measures.scoring import Scored, score_questionnaire

OPEN_ANSWER_COLUMNS = ["wave", "questionnaire", "question", "answer", "day"]
MAX_OPEN_ANSWERS = 500


def data_version(session: Session) -> tuple[int, int, int]:
    """A key that changes whenever responses are added or removed, or marked demo or not:
    (count, highest id, demo count).

    Only a cache key: never shown. Numbers of the whole table, not of any koploper.
    """
    count, highest, demo = session.execute(
        select(
            func.count(Response.id),
            func.max(Response.id),
            func.count(Response.id).filter(Response.is_demo.is_(True)),
        )
    ).one()
    return int(count or 0), int(highest or 0), int(demo or 0)


def _joined(query: Select) -> Select:
    return (
        query.join(Koploper, Koploper.id == Response.koploper_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
    )


@dataclass(frozen=True)
class Slot:
    """Where one question's answer sits in a response's packed integers.

    A single-choice code is stored as code + 1 in ``width`` bits (0: not answered); a
    multiple-choice answer as a bit per chosen code, as the engine keeps it (bit ``code``).
    """

    questionnaire: str
    item: str
    word: int
    shift: int
    width: int
    multiple: bool


WORD_BITS = 62
"""Bits used of each 64-bit integer (signed in both databases)."""


def slots(indicators: IndicatorSet) -> list[Slot]:
    """A slot for every coded question the dashboard needs: indicators, theme scores, subgroups
    and the profile (who answered)."""
    placed: list[Slot] = []
    word, used = 0, 0
    for key, spec in indicators.questionnaires.items():
        wanted = {i.item for i in spec.items if isinstance(i, ItemIndicator)}
        wanted |= {item for theme in spec.themes for item in theme.items}
        wanted |= {s.item for s in spec.subgroups}
        wanted |= set(profile_items(indicators).get(key, []))
        wanted |= {c.key for c in subgroup_choices(indicators).values() if c.questionnaire == key}
        for item in spec.definition.items:
            if item.key not in wanted or not item.qtype.coded:
                continue
            top = max(item.allowed_codes)
            width = top + 1 if item.qtype.multiple else (top + 1).bit_length()
            if used + width > WORD_BITS:
                word, used = word + 1, 0
            placed.append(Slot(key, item.key, word, used, width, item.qtype.multiple))
            used += width
    shared = {s.item for s in placed if sum(t.item == s.item for t in placed) > 1}
    if shared:
        raise ValueError(f"questions in more than one questionnaire: {sorted(shared)}")
    return placed


def _packed(slots_: list[Slot]) -> list[ColumnElement]:
    """Per word, the sum over a response's answers of each answer's bits (distinct, so a sum is
    a bitwise OR), computed while the database groups the answers by response. Item keys are
    unique across the questionnaires (``slots`` checks), so the key alone finds the slot."""
    words = []
    for word in range(max(s.word for s in slots_) + 1):
        parts = []
        for slot in (s for s in slots_ if s.word == word):
            if slot.multiple:
                bits = literal(1 << slot.shift, BigInteger).op("<<")(Answer.code)
            else:
                bits = (Answer.code + 1) * literal(1 << slot.shift, BigInteger)
            parts.append((slot.item, bits))
        words.append(
            cast(func.sum(case(dict(parts), value=Answer.item_key, else_=0)), BigInteger).label(
                f"w{word}"
            )
        )
    return words


def _fetch(
    session: Session, slots_: list[Slot], demo: bool
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Every response (id, koploper slug, wave, questionnaire, channel, language) with its packed
    answers, decoded into code columns: the engine's codes (float, NaN unanswered; a bit mask
    for multiple choice). Stays in this module: callers get only count tables."""
    per_response = (
        select(Answer.response_id.label("response"), *_packed(slots_))
        .where(Answer.item_key.in_(sorted({s.item for s in slots_})))
        .group_by(Answer.response_id)
        .subquery()
    )
    words = [c for c in per_response.c if c.name.startswith("w")]
    query = select(
        Response.id,
        Response.koploper_id,
        Response.wave_id,
        Response.questionnaire_version_id,
        Response.channel,
        Response.language,
        *words,
    ).outerjoin(per_response, per_response.c.response == Response.id)
    if not demo:
        query = query.where(Response.is_demo.is_(False))
    # Core, not the ORM: 80,000 plain tuples, no ORM rows.
    rows = session.connection().execute(query).all()
    names = [c.name for c in words]
    columns = ["response_id", "koploper_id", "wave_id", "version_id", "channel", "language"]
    frame = pd.DataFrame.from_records(rows, columns=[*columns, *names])
    koplopers = dict(session.execute(select(Koploper.id, Koploper.slug)).all())
    waves = dict(session.execute(select(Wave.id, Wave.code)).all())
    versions = dict(
        session.execute(select(QuestionnaireVersion.id, QuestionnaireVersion.key)).all()
    )
    meta = pd.DataFrame(
        {
            "response_id": frame["response_id"].to_numpy(),
            "koploper": frame["koploper_id"].map(koplopers).to_numpy(dtype=object),
            "wave": frame["wave_id"].map(waves).to_numpy(dtype=object),
            "questionnaire": frame["version_id"].map(versions).to_numpy(dtype=object),
            "channel": frame["channel"].map(CHANNELS).fillna(0).to_numpy(dtype=np.int64),
            "language": frame["language"].map(LANGUAGES).fillna(0).to_numpy(dtype=np.int64),
        }
    )
    packed = {name: frame[name].fillna(0).to_numpy(dtype=np.int64) for name in names}
    codes: dict[str, np.ndarray] = {}
    for slot in slots_:
        bits = (packed[f"w{slot.word}"] >> slot.shift) & ((1 << slot.width) - 1)
        if slot.multiple:
            codes[slot.item] = bits
        else:
            codes[slot.item] = np.where(bits == 0, np.nan, bits - 1.0)
    return meta, codes


def _scored(
    meta: pd.DataFrame,
    codes: dict[str, np.ndarray],
    slots_: list[Slot],
    indicators: IndicatorSet,
) -> dict[str, Scored]:
    scored = {}
    for key, spec in indicators.questionnaires.items():
        rows = np.flatnonzero(meta["questionnaire"].to_numpy() == key)
        if rows.size == 0:
            continue
        part = meta.iloc[rows].reset_index(drop=True).assign(panel_id="", line=0)
        own = {s.item: codes[s.item][rows] for s in slots_ if s.questionnaire == key}
        responses = QuestionnaireResponses(key, part, pd.DataFrame(own))
        scored[key] = score_questionnaire(responses, spec)
    return scored


def scored_responses(
    session: Session, indicators: IndicatorSet, include_demo: bool = True
) -> dict[str, Scored]:
    """Every response of every koploper, scored by the engine (per questionnaire), from the
    packed read. For modules of ``db`` that count them (this one, ``db.compare``): per-response
    data never leaves ``db``, and callers check the viewer first."""
    placed = slots(indicators)
    meta, codes = _fetch(session, placed, include_demo)
    return _scored(meta, codes, placed, indicators)


def dashboard_counts(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroup: str | None = None,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
) -> GroupCounts:
    """Count tables of ``koploper`` and, added together, the rest of its cohort and all others.

    ``subgroup`` is a key of ``measures.dashboard.subgroup_choices`` (a profile question,
    ``channel`` or ``language``); then every table is per category too, and only the
    questionnaire that asks the question is counted. Raises ``AccessDenied`` when the viewer may
    not see the koploper, ``UnknownKoploper`` when there is none.
    """
    return dashboard_views(session, viewer, koploper, [subgroup], include_demo, indicators)[
        subgroup
    ]


def dashboard_views(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroups: list[str | None] | None = None,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
) -> dict[str | None, GroupCounts]:
    """:func:`dashboard_counts` for several subgroups (default: none and every subgroup) from
    one read: the database groups the answers per response into a few integers (one pass over
    the answers, in index order), the engine counts them (``measures.dashboard.from_scored``)."""
    indicators = indicators or load_indicators()
    require_koploper(viewer, koploper)
    own = find_koploper(session, koploper)
    choices = subgroup_choices(indicators)
    wanted = [None, *choices] if subgroups is None else subgroups
    unknown = [s for s in wanted if s is not None and s not in choices]
    if unknown:
        raise ValueError(f"onbekende subgroep '{unknown[0]}'")
    cohort = set(session.scalars(select(Koploper.slug).where(Koploper.cohort_id == own.cohort_id)))
    scored = scored_responses(session, indicators, include_demo)
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
    # Koplopers the viewer sees by name do not make a pool anonymous.
    known = set() if viewer.sees_all else set(viewer.koploper_slugs)
    views = {}
    for subgroup in wanted:
        counts = from_scored(scored, own.slug, cohort, indicators, subgroup=subgroup, known=known)
        counts = withhold_small_pools(counts, indicators.settings)
        views[subgroup] = replace(counts, versions=versions)
    return views


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
