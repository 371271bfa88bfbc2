"""Who is looking: the viewer every data function takes, and the rules of what a role may see.

Access is enforced where data is read: each function in ``db/`` that returns responses, answers,
figures or exports takes a :class:`Viewer` and filters in SQL with :func:`koploper_filter`. The
pages only pass the viewer on; hiding a menu item is never the protection.

| role          | sees                                   | response-level data | open text        |
| ------------- | -------------------------------------- | ------------------- | ---------------- |
| ``beheerder`` | every koploper                         | yes                 | yes              |
| ``onderzoeker``| every koploper                        | yes                 | yes              |
| ``gemeente``  | its own koploper(s)                    | its own             | with that right  |
| ``adviesraad``| its own koploper's figures             | never               | never            |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, false, true

Role = Literal["beheerder", "onderzoeker", "gemeente", "adviesraad"]
ROLE_NAMES: dict[str, str] = {
    "beheerder": "Beheerder",
    "onderzoeker": "Onderzoeker (Movisie)",
    "gemeente": "Gemeente (projectleider of beleidsadviseur)",
    "adviesraad": "Adviesraad of cliëntenraad",
}
ALL_KOPLOPERS: frozenset[str] = frozenset({"beheerder", "onderzoeker"})
"""Roles that see every koploper; the others see only the koplopers of their account."""


class AccessDenied(PermissionError):
    """The viewer may not see this; the message (Dutch) says what, never why in detail."""

    def __init__(self, message: str = "Geen toegang.", koploper: str | None = None) -> None:
        super().__init__(message)
        self.koploper = koploper


@dataclass(frozen=True)
class Viewer:
    """A logged-in person as far as reading data goes: role and koplopers, nothing else."""

    email: str
    role: Role
    koploper_ids: frozenset[int] = frozenset()
    koploper_slugs: frozenset[str] = frozenset()
    free_text: bool = False
    user_id: int | None = None

    @property
    def sees_all(self) -> bool:
        return self.role in ALL_KOPLOPERS

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def reads_responses(self) -> bool:
        """Response-level data (exports, rows): never an adviesraad."""
        return self.role != "adviesraad"

    @property
    def reads_free_text(self) -> bool:
        if self.role in ALL_KOPLOPERS:
            return True
        return self.role == "gemeente" and self.free_text

    @property
    def is_admin(self) -> bool:
        return self.role == "beheerder"

    def sees(self, slug: str) -> bool:
        return self.sees_all or slug in self.koploper_slugs


def viewer_key(who: Viewer) -> tuple:
    """The whole viewer as a cache key: what is counted or drawn for one viewer is never served
    to another (``views.cache`` keeps counts and figures by it)."""
    return (
        who.email,
        who.role,
        tuple(sorted(who.koploper_slugs)),
        tuple(sorted(who.koploper_ids)),
        who.free_text,
        who.user_id,
    )


def command_line() -> Viewer:
    """Whoever runs ``python -m db`` on the server: the database is theirs already."""
    return Viewer(email="opdrachtregel", role="beheerder")


def koploper_filter(viewer: Viewer, column: ColumnElement[int]) -> ColumnElement[bool]:
    """A WHERE clause on a koploper id column that keeps only what the viewer may see."""
    if viewer.sees_all:
        return true()
    if not viewer.koploper_ids:
        return false()
    return column.in_(sorted(viewer.koploper_ids))


def require_koploper(viewer: Viewer, slug: str) -> None:
    if not viewer.sees(slug):
        raise AccessDenied("U hebt geen toegang tot de gegevens van deze koploper.", slug)


def require_responses(viewer: Viewer) -> None:
    if not viewer.reads_responses:
        raise AccessDenied("Uw rol geeft geen toegang tot antwoorden per persoon.")


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise AccessDenied("Alleen een beheerder mag dit.")


def visible(viewer: Viewer, slugs: Iterable[str]) -> list[str]:
    return [slug for slug in slugs if viewer.sees(slug)]
