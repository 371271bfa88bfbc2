"""The audit log: append-only lines of who did what, when, on which koploper, and the outcome.

:func:`record` adds a line in the caller's transaction; :func:`read_log` is for the beheerder
only. Never pass a password or an answer as ``detail``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.access import ROLE_NAMES, Viewer, require_admin
from db.models import AuditEvent
from surveys.clock import dutch_clock, utcnow

ACTIONS: dict[str, str] = {
    "login_ok": "Ingelogd",
    "login_failed": "Inloggen mislukt",
    "login_locked": "Inloggen geblokkeerd",
    "login_refused": "Inloggen geweigerd",
    "logout": "Uitgelogd",
    "session_ended": "Sessie beëindigd",
    "access_denied": "Geen toegang",
    "viewed": "Gegevens bekeken",
    "download": "Download",
    "export": "Export",
    "user_created": "Gebruiker aangemaakt",
    "user_changed": "Gebruiker gewijzigd",
    "user_disabled": "Gebruiker uitgeschakeld",
    "user_enabled": "Gebruiker weer ingeschakeld",
    "user_removed": "Gebruiker verwijderd",
    "password_set": "Wachtwoord ingesteld",
    "password_changed": "Eigen wachtwoord gewijzigd",
    "password_change_failed": "Eigen wachtwoord wijzigen mislukt",
    "contact_set": "Contactgegevens gewijzigd",
    "wave_opened": "Meting geopend",
    "wave_closed": "Meting gesloten",
    "wave_dates": "Data van meting gewijzigd",
    "demo_seeded": "Demogegevens gemaakt",
    "demo_removed": "Demogegevens verwijderd",
    "codes_made": "Uitnodigingscodes gemaakt",
    "codes_exported": "Uitnodigingscodes geëxporteerd",
    "letters_printed": "Uitnodigingsbrieven gemaakt",
    "codes_withdrawn": "Uitnodigingscodes ingetrokken",
    "code_gepauzeerd": "Code invoeren gepauzeerd",
}
OUTCOMES: dict[str, str] = {"ok": "gelukt", "refused": "geweigerd", "failed": "mislukt"}
ANONYMOUS = "anoniem"
MAX_DETAIL = 500


def record(
    session: Session,
    actor: str | Viewer,
    action: str,
    *,
    koploper: str | None = None,
    outcome: str = "ok",
    detail: str = "",
    role: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one line in the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if isinstance(actor, Viewer):
        actor, role = actor.email, actor.role
    session.add(
        AuditEvent(
            at=at or utcnow(),
            actor=(actor or ANONYMOUS)[:254],
            role=role,
            action=action,
            koploper=koploper[:60] if koploper else None,
            outcome=outcome,
            detail=detail[:MAX_DETAIL],
        )
    )
    session.flush()


LOG_COLUMNS = ["at", "actor", "role", "action", "koploper", "outcome", "detail"]


def read_log(
    session: Session,
    viewer: Viewer,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    actions: list[str] | None = None,
    koploper: str | None = None,
    outcome: str | None = None,
    limit: int = 10_000,
) -> pd.DataFrame:
    """The newest lines first, filtered; beheerder only. ``actor`` matches part of the e-mail.

    ``koploper`` also finds lines about several koplopers ("tilburg,breda", as a user's koplopers
    are written).
    """
    require_admin(viewer)
    query = select(*(getattr(AuditEvent, name) for name in LOG_COLUMNS))
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    if actor:
        query = query.where(AuditEvent.actor.contains(actor.strip().lower(), autoescape=True))
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    if koploper:
        column = AuditEvent.koploper
        query = query.where(
            or_(
                column == koploper,
                column.startswith(koploper + ",", autoescape=True),
                column.endswith("," + koploper, autoescape=True),
                column.contains("," + koploper + ",", autoescape=True),
            )
        )
    if outcome:
        query = query.where(AuditEvent.outcome == outcome)
    rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


LOG_HEADERS = {
    "at": "Tijd",
    "actor": "Wie",
    "role": "Rol",
    "action": "Gebeurtenis",
    "koploper": "Koploper",
    "outcome": "Uitkomst",
    "detail": "Toelichting",
}


def _koploper_names(listed: str | None, names: Mapping[str, str]) -> str:
    """'tilburg,breda' as people write them: 'Tilburg, Breda' (an unknown slug as it is)."""
    if not listed:
        return ""
    return ", ".join(names.get(slug, slug) for slug in listed.split(","))


def log_table(frame: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """:func:`read_log`'s lines for people: Dutch headers and names, Dutch clock times
    (5-12-2026 14:03). ``names`` maps koploper slugs to their names."""
    names = names or {}
    table = pd.DataFrame(
        {
            "at": [dutch_clock(moment) for moment in frame["at"]],
            "actor": frame["actor"],
            "role": [ROLE_NAMES.get(role, role or "") for role in frame["role"]],
            "action": [ACTIONS.get(action, action) for action in frame["action"]],
            "koploper": [_koploper_names(listed, names) for listed in frame["koploper"]],
            "outcome": [OUTCOMES.get(outcome, outcome) for outcome in frame["outcome"]],
            "detail": frame["detail"].fillna(""),
        },
        columns=LOG_COLUMNS,
    )
    return table.rename(columns=LOG_HEADERS)
