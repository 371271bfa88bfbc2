"""What the page "Mijn koploper" reads: count tables made in the database, never responses.

A few GROUP BY queries count, per group (the koploper, the rest of its cohort, the other
koplopers), wave, questionnaire and (with a subgroup) category: how often each code of each
indicator question was given, and per respondent the sum and number of valid theme scores. The
engine turns those into figures (``measures.dashboard``) with its own rules, so no response is
ever loaded row by row and no text is grouped in pandas.

Access: the viewer must see the koploper (``require_koploper``). The other koplopers come back
only added together, never by name, the way a ``gemeente`` account may see them (the anonymous
benchmark). Open answers only for a viewer with that right.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from db.access import AccessDenied, Viewer, require_koploper
from db.contacts import find_koploper
from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave
from db.questionnaires import wording_changes_of
from measures.dashboard import (
    ALL,
    CHANNELS,
    COHORT,
    LANGUAGES,
    OWN,
    REST,
    GroupCounts,
    SubgroupChoice,
    complete_profile,
    from_aggregates,
    profile_items,
    subgroup_choices,
)
from measures.indicators import IndicatorSet, ItemIndicator, load_indicators
from measures.indicators import theme_scores as item_theme_scores
from surveys.definition import Item

OPEN_ANSWER_COLUMNS = ["wave", "questionnaire", "question", "answer", "day"]
MAX_OPEN_ANSWERS = 500


def data_version(session: Session) -> tuple[int, int]:
    """A key that changes whenever responses are added or removed: (count, highest id).

    Only a cache key: never shown. Two numbers of the whole table, not of any koploper.
    """
    count, highest = session.execute(select(func.count(Response.id), func.max(Response.id))).one()
    return int(count or 0), int(highest or 0)


def _joined(query: Select) -> Select:
    return (
        query.join(Koploper, Koploper.id == Response.koploper_id)
        .join(Wave, Wave.id == Response.wave_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Response.questionnaire_version_id)
    )


def _category(choice: SubgroupChoice | None) -> tuple[ColumnElement, object | None]:
    """The category expression and, for a question, the aliased answers to join."""
    if choice is None:
        return literal(ALL, Integer), None
    if choice.column == "channel":
        return case(
            *((Response.channel == value, code) for value, code in CHANNELS.items()), else_=0
        ), None
    if choice.column == "language":
        return case(
            *((Response.language == value, code) for value, code in LANGUAGES.items()), else_=0
        ), None
    chosen = aliased(Answer, name="subgroup_answer")
    return func.coalesce(chosen.code, -1), chosen


def _with_subgroup(query: Select, chosen: object | None, choice: SubgroupChoice | None) -> Select:
    """A single-choice question adds 'niet ingevuld' (-1) for those who left it open, so the
    categories add up to the total; a multiple-choice one counts a respondent in each chosen
    category (as ``measures.estimates.subgroup_estimates``)."""
    if chosen is None or choice is None:
        return query
    on = and_(chosen.response_id == Response.id, chosen.item_key == choice.key)
    return query.join(chosen, on) if choice.multiple else query.outerjoin(chosen, on)


def _theme_expressions(indicators: IndicatorSet) -> tuple[list[str], ColumnElement, ColumnElement]:
    """Theme items, the item → theme expression and the item × code → 0–100 score expression,
    with the engine's own score table (``measures.indicators.theme_scores``)."""
    items: dict[str, tuple[str, Item]] = {}
    for spec in indicators.questionnaires.values():
        for theme in spec.themes:
            for key in theme.items:
                items[key] = (theme.name, spec.definition.item(key))
    theme = case(*((Answer.item_key == key, name) for key, (name, _) in items.items()))
    score_cases = []
    for key, (_, item) in items.items():
        valid = set(item.allowed_codes) - set(item.missing_codes)
        for code, score in item_theme_scores(item).items():
            if code in valid:
                score_cases.append((and_(Answer.item_key == key, Answer.code == code), score))
    score = case(*score_cases, else_=None)
    return list(items), theme, score


def _indicator_items(indicators: IndicatorSet) -> list[str]:
    return sorted(
        {
            i.item
            for s in indicators.questionnaires.values()
            for i in s.items
            if isinstance(i, ItemIndicator)
        }
    )


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
    indicators = indicators or load_indicators()
    require_koploper(viewer, koploper)
    own = find_koploper(session, koploper)
    require_koploper(viewer, own.slug)
    choice = None
    if subgroup is not None:
        choice = subgroup_choices(indicators).get(subgroup)
        if choice is None:
            raise ValueError(f"onbekende subgroep '{subgroup}'")
    group = case(
        (Response.koploper_id == own.id, OWN),
        (Koploper.cohort_id == own.cohort_id, COHORT),
        else_=REST,
    ).label("grp")
    category, chosen = _category(choice)
    category = category.label("category")
    wave = Wave.code.label("wave")
    key = QuestionnaireVersion.key.label("questionnaire")
    filters: list[ColumnElement[bool]] = [true()]
    if not include_demo:
        filters.append(Response.is_demo.is_(False))
    if choice is not None and choice.questionnaire is not None:
        filters.append(QuestionnaireVersion.key == choice.questionnaire)
    keys = (group, category, wave, key)

    totals_query = _with_subgroup(
        _joined(select(*keys, func.count().label("responses")).select_from(Response)),
        chosen,
        choice,
    ).where(*filters)
    totals = _frame(
        session,
        totals_query.group_by(*keys),
        ["group", "category", "wave", "questionnaire", "responses"],
    )

    value = func.coalesce(cast(Answer.code, Float), Answer.number).label("value")
    item_query = _with_subgroup(
        _joined(
            select(*keys, Answer.item_key, value, func.count().label("count"))
            .select_from(Answer)
            .join(Response, Response.id == Answer.response_id)
        ),
        chosen,
        choice,
    ).where(*filters, Answer.item_key.in_(_indicator_items(indicators)))
    items = _frame(
        session,
        item_query.group_by(*keys, Answer.item_key, value),
        ["group", "category", "wave", "questionnaire", "item", "value", "count"],
    )

    theme_items, theme, score = _theme_expressions(indicators)
    per_response = (
        _with_subgroup(
            _joined(
                select(
                    Response.id.label("response"),
                    *keys,
                    theme.label("theme"),
                    func.sum(score).label("total"),
                    func.count(score).label("n_valid"),
                    func.count().label("n_answered"),
                )
                .select_from(Answer)
                .join(Response, Response.id == Answer.response_id)
            ),
            chosen,
            choice,
        )
        .where(*filters, Answer.item_key.in_(theme_items))
        .group_by(Response.id, *keys, theme)
        .subquery()
    )
    outer_keys = [
        per_response.c.grp,
        per_response.c.category,
        per_response.c.wave,
        per_response.c.questionnaire,
        per_response.c.theme,
        per_response.c.total,
        per_response.c.n_valid,
        per_response.c.n_answered,
    ]
    themes = _frame(
        session,
        select(*outer_keys, func.count().label("count")).group_by(*outer_keys),
        [
            "group",
            "category",
            "wave",
            "questionnaire",
            "theme",
            "total",
            "n_valid",
            "n_answered",
            "count",
        ],
    )
    themes["total"] = themes["total"].astype(float).fillna(0.0)

    demo = [] if include_demo else [Response.is_demo.is_(False)]
    profile = _profile(session, own.id, indicators, demo)
    versions = _frame(
        session,
        _joined(select(wave, key, QuestionnaireVersion.version, func.count()).select_from(Response))
        .where(Response.koploper_id == own.id, *filters)
        .group_by(wave, key, QuestionnaireVersion.version),
        ["wave", "questionnaire", "version", "responses"],
    )
    return from_aggregates(items, themes, totals, indicators, profile, versions, subgroup)


def _frame(session: Session, query: Select, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def _profile(
    session: Session, own_id: int, indicators: IndicatorSet, filters: Iterable[ColumnElement]
) -> pd.DataFrame:
    """Who answered, for the koploper only: per wave how often each option of each profile
    question was chosen, and how many answered it."""
    wanted = profile_items(indicators)
    pairs = [(q, item) for q, items in wanted.items() for item in items]
    if not pairs:
        return complete_profile(pd.DataFrame(), pd.DataFrame(), indicators)
    which = or_(
        *(and_(QuestionnaireVersion.key == q, Answer.item_key == item) for q, item in pairs)
    )
    wave = Wave.code.label("wave")
    key = QuestionnaireVersion.key.label("questionnaire")
    base = _joined(
        select().select_from(Answer).join(Response, Response.id == Answer.response_id)
    ).where(Response.koploper_id == own_id, which, *filters)
    counted = _frame(
        session,
        base.add_columns(wave, key, Answer.item_key, Answer.code, func.count()).group_by(
            wave, key, Answer.item_key, Answer.code
        ),
        ["wave", "questionnaire", "item", "code", "count"],
    )
    answered = _frame(
        session,
        base.add_columns(
            wave, key, Answer.item_key, func.count(distinct(Answer.response_id))
        ).group_by(wave, key, Answer.item_key),
        ["wave", "questionnaire", "item", "answered"],
    )
    return complete_profile(counted, answered, indicators)


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
