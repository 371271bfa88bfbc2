"""Reference data: cohorts, the koplopers and their planned waves, loaded from ``koplopers.yaml``.

Loading is idempotent: what is there already (perhaps edited by an admin) is left alone, only what
is missing is added.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Cohort, Koploper, KoploperMember, Wave
from surveys.vocabulary import WAVES

REFERENCE_FILE = Path(__file__).parent / "koplopers.yaml"
FIELDWORK_DAYS = 42


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))


def planned_waves(start: dt.date) -> list[dict[str, Any]]:
    """The waves of surveys.vocabulary (T0, T1, T2) of a koploper whose cohort starts on
    ``start``, each with its long name as label."""
    waves = []
    for wave in WAVES:
        begin = add_months(start, wave.months)
        waves.append(
            {
                "code": wave.code,
                "kind": wave.kind,
                "label": wave.long,
                "fieldwork_start": begin,
                "fieldwork_end": begin + dt.timedelta(days=FIELDWORK_DAYS),
            }
        )
    return waves


def read_reference(path: Path = REFERENCE_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_reference(session: Session, path: Path = REFERENCE_FILE) -> int:
    """Add missing cohorts, koplopers, region members and waves; returns the rows added."""
    data = read_reference(path)
    added = 0
    cohorts = {c.code: c for c in session.scalars(select(Cohort))}
    for entry in data["cohorts"]:
        if entry["code"] not in cohorts:
            cohort = Cohort(
                code=entry["code"],
                name=entry["name"],
                start_date=entry["start"],
                note=" ".join(str(entry.get("note", "")).split()),
            )
            session.add(cohort)
            cohorts[cohort.code] = cohort
            added += 1
    existing = {k.slug for k in session.scalars(select(Koploper))}
    for entry in data["koplopers"]:
        slug = entry.get("slug") or slugify(entry["name"])
        if slug in existing:
            continue
        cohort = cohorts[entry["cohort"]]
        koploper = Koploper(
            slug=slug,
            name=entry["name"],
            kind=entry.get("kind", "gemeente"),
            province=entry["province"],
            cohort=cohort,
            members=[KoploperMember(name=m) for m in entry.get("members", [])],
            waves=[Wave(**wave, is_open=False) for wave in planned_waves(cohort.start_date)],
        )
        session.add(koploper)
        existing.add(slug)
        added += 1
    session.flush()
    return added
