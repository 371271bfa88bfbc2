"""Responses out in the wide interchange format: one row per response, one column per item key.

Columns: ``response_id, koploper, wave, questionnaire, questionnaire_version, submitted_at,
channel, language`` and then every item key, holding its answer as the interchange codec writes it
(``surveys.interchange``: codes, multiple choice joined, numbers, texts safe for spreadsheets).
Beside the CSV goes the codebook (``surveys.codebook``): the stored definitions of the versions
the rows name, so every row can be checked against its own version.

Only what the viewer may see goes out (``db.access``): its koplopers, filtered in SQL; never to an
adviesraad; open-text answers only for a viewer with that right (else their columns are absent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import Viewer, koploper_filter, require_koploper, require_responses
from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave
from surveys.codebook import codebook_path, write_codebook
from surveys.definition import Item, from_stored
from surveys.interchange import META_COLUMNS

META = list(META_COLUMNS)
FREE_TEXT_COLUMN = "text"
"""The ``answers`` column of open-text answers (``surveys.types``: the ``text`` question type)."""


def is_free_text(item: Item) -> bool:
    """An open question: the respondent typed the answer, so it may hold anything personal."""
    return item.qtype.column == FREE_TEXT_COLUMN


def _items(session: Session) -> dict[str, Item]:
    """Item keys in questionnaire order, newest version of each questionnaire first-seen.

    A key means one thing in every version (same type and codes), so any version's item encodes it.
    """
    items: dict[str, Item] = {}
    versions = session.scalars(
        select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
        )
    )
    for version in versions:
        for item in from_stored(version.definition).items:
            items.setdefault(item.key, item)
    return items


def _encoded(item: Item, answers: pd.DataFrame) -> pd.Series:
    """One item's answers as interchange text, indexed by response id; each distinct one once."""
    qtype = item.qtype
    stored = answers[qtype.column]
    if qtype.multiple:
        grouped = stored.groupby(answers["response_id"], sort=False).agg(tuple)
    else:
        grouped = pd.Series(stored.to_numpy(), index=answers["response_id"].to_numpy())
    index, uniques = pd.factorize(grouped)
    texts = [qtype.encode(qtype.load(value if qtype.multiple else [value])) for value in uniques]
    return pd.Series(np.asarray(texts, dtype=object)[index], index=grouped.index)


def responses_wide(
    session: Session, viewer: Viewer, koploper: str | None = None, include_demo: bool = True
) -> pd.DataFrame:
    """The responses the viewer may see (optionally of one koploper) in the interchange format.

    Raises :class:`~db.access.AccessDenied` for an adviesraad and for a koploper out of scope.
    """
    require_responses(viewer)
    if koploper is not None:
        require_koploper(viewer, koploper)
    scope = koploper_filter(viewer, Response.koploper_id)
    query = (
        select(
            Response.id,
            Koploper.slug,
            Wave.code,
            QuestionnaireVersion.key,
            QuestionnaireVersion.version,
            Response.submitted_at,
            Response.channel,
            Response.language,
        )
        .join(Response.koploper)
        .join(Response.wave)
        .join(Response.questionnaire_version)
        .where(scope)
        .order_by(Response.id)
    )
    answers_query = (
        select(Answer.response_id, Answer.item_key, Answer.code, Answer.number, Answer.text)
        .join(Answer.response)
        .where(scope)
        .order_by(Answer.response_id, Answer.item_key, Answer.code)
    )
    items = _items(session)
    if not viewer.reads_free_text:
        items = {key: item for key, item in items.items() if not is_free_text(item)}
        answers_query = answers_query.where(getattr(Answer, FREE_TEXT_COLUMN).is_(None))
    if koploper is not None:
        query = query.where(Koploper.slug == koploper)
        answers_query = answers_query.join(Response.koploper).where(Koploper.slug == koploper)
    if not include_demo:
        query = query.where(Response.is_demo.is_(False))
        answers_query = answers_query.where(Response.is_demo.is_(False))
    meta = pd.DataFrame(session.execute(query).all(), columns=META)
    meta["submitted_at"] = pd.to_datetime(meta["submitted_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    long = pd.DataFrame(
        session.execute(answers_query).all(),
        columns=["response_id", "item_key", "code", "number", "text"],
    )
    columns = META + list(items)
    encoded = {
        key: _encoded(items[key], answers)
        for key, answers in long.groupby("item_key", sort=False)
        if key in items
    }
    wide = pd.DataFrame(encoded, dtype=object)
    result = meta.merge(wide, left_on="response_id", right_index=True, how="left")
    return result.reindex(columns=columns)


def codebook_entries(
    session: Session, frame: pd.DataFrame
) -> list[tuple[str, int, dict[str, Any]]]:
    """(key, version, stored definition) of every questionnaire version the exported rows name."""
    named = set(zip(frame["questionnaire"], frame["questionnaire_version"], strict=True))
    versions = session.scalars(select(QuestionnaireVersion))
    return [
        (version.key, version.version, version.definition)
        for version in versions
        if (version.key, version.version) in named
    ]


def write_export(session: Session, frame: pd.DataFrame, path: Path) -> Path:
    """Write the rows as CSV and, beside them, the codebook of their versions; returns its path."""
    frame.to_csv(path, index=False, encoding="utf-8")
    book = codebook_path(path)
    write_codebook(book, codebook_entries(session, frame))
    return book
