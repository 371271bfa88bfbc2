"""Responses out in the wide interchange format: one row per response, one column per item key.

Columns: ``response_id, koploper, wave, questionnaire, questionnaire_version, submitted_at,
channel, language`` and then every item key, holding its code (multiple choice: codes joined by
``;``), its number or its text. Text is made safe for spreadsheets (no formula injection).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Answer, Koploper, QuestionnaireVersion, Response, Wave
from surveys.definition import from_stored
from surveys.interchange import META_COLUMNS, MULTIPLE_SEPARATOR

META = list(META_COLUMNS)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Prefix a text a spreadsheet would read as a formula with an apostrophe (OWASP advice)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _item_order(session: Session) -> list[str]:
    """Item keys in questionnaire order, newest version of each questionnaire first-seen."""
    keys: list[str] = []
    versions = session.scalars(
        select(QuestionnaireVersion).order_by(
            QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
        )
    )
    for version in versions:
        for item in from_stored(version.definition).items:
            if item.key not in keys:
                keys.append(item.key)
    return keys


def responses_wide(
    session: Session, koploper: str | None = None, include_demo: bool = True
) -> pd.DataFrame:
    """All responses (optionally of one koploper) in the interchange format."""
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
        .order_by(Response.id)
    )
    answers_query = select(
        Answer.response_id, Answer.item_key, Answer.code, Answer.number, Answer.text
    ).join(Answer.response)
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
    columns = META + _item_order(session)
    if long.empty:
        return meta.reindex(columns=columns)
    value = pd.Series(pd.NA, index=long.index, dtype="object")
    codes = long["code"].notna()
    value[codes] = long.loc[codes, "code"].astype("int64").astype(str)
    numbers = long["number"].notna()
    value[numbers] = long.loc[numbers, "number"].map(
        lambda n: str(int(n)) if float(n).is_integer() else repr(float(n))
    )
    texts = long["text"].notna()
    value[texts] = long.loc[texts, "text"].map(spreadsheet_safe)
    long["value"] = value
    # Multiple choice gives several rows per item: join their codes with ';' in ascending order.
    long = long.sort_values(["response_id", "item_key", "code"])
    wide = (
        long.groupby(["response_id", "item_key"], sort=False)["value"]
        .agg(MULTIPLE_SEPARATOR.join)
        .unstack("item_key")
    )
    result = meta.merge(wide, left_on="response_id", right_index=True, how="left")
    return result.reindex(columns=columns)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8")
