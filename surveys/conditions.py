"""Skip logic as data: a small declarative condition language, parsed and checked, never ``eval``.

A condition is either one clause ``{item, op, value}`` or a group ``{all: [...]}`` or
``{any: [...]}`` of conditions. Answers are a mapping from item key to an int code, a list of
codes (multiple choice), a number or a text; an unanswered item is absent or ``None``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Answers = Mapping[str, Any]


def _contains(answer: Any, value: Any) -> bool:
    return isinstance(answer, list | tuple | set) and value in answer


def _in(answer: Any, value: Any) -> bool:
    return answer in value


def _not_in(answer: Any, value: Any) -> bool:
    return answer not in value


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
    "in": _in,
    "not_in": _not_in,
    "contains": _contains,
}
"""Every operator a clause may use. ``answered`` is handled apart: it takes no value."""

Operator = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "contains", "answered"]
LIST_OPERATORS = {"in", "not_in"}
ORDER_OPERATORS = {"gt", "ge", "lt", "le"}


class Clause(BaseModel):
    """One comparison with the answer to an earlier item."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: str
    op: Operator = "eq"
    value: int | float | str | list[int | float | str] | None = None

    @model_validator(mode="after")
    def _value_fits_operator(self) -> Clause:
        if self.op == "answered":
            if self.value is not None:
                raise ValueError("operator 'answered' neemt geen waarde")
        elif self.value is None:
            raise ValueError(f"operator '{self.op}' heeft een waarde nodig")
        elif (self.op in LIST_OPERATORS) != isinstance(self.value, list):
            need = "een lijst" if self.op in LIST_OPERATORS else "één waarde, geen lijst"
            raise ValueError(f"operator '{self.op}' heeft {need} als waarde nodig")
        return self

    def referenced_items(self) -> set[str]:
        return {self.item}

    def evaluate(self, answers: Answers) -> bool:
        answer = answers.get(self.item)
        if answer is None or answer == [] or answer == "":
            return False
        if self.op == "answered":
            return True
        if isinstance(answer, list) and self.op != "contains":
            return False
        try:
            return bool(OPERATORS[self.op](answer, self.value))
        except TypeError:  # e.g. comparing a text with a number: not shown, never a crash
            return False


class Group(BaseModel):
    """All (``all``) or at least one (``any``) of the conditions hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    all: list[Condition] | None = Field(default=None, min_length=1)
    any: list[Condition] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one(self) -> Group:
        if (self.all is None) == (self.any is None):
            raise ValueError("een groep heeft precies één van 'all' of 'any'")
        return self

    @property
    def members(self) -> list[Condition]:
        return self.all if self.all is not None else self.any  # type: ignore[return-value]

    def referenced_items(self) -> set[str]:
        return set().union(*(c.referenced_items() for c in self.members))

    def evaluate(self, answers: Answers) -> bool:
        results = (c.evaluate(answers) for c in self.members)
        return all(results) if self.all is not None else any(results)


def _shape(data: Any) -> str:
    if isinstance(data, dict):
        return "group" if "all" in data or "any" in data else "clause"
    return "group" if isinstance(data, Group) else "clause"


# A tagged union, so a malformed clause gets the clause's errors only, not a group's as well.
Condition = Annotated[  # noqa: UP007 - pydantic needs Union for the forward reference
    Annotated[Clause, Tag("clause")] | Annotated[Group, Tag("group")],
    Discriminator(_shape),
]
Group.model_rebuild()


def clauses(condition: Condition) -> list[Clause]:
    """Every clause in a condition, depth first."""
    if isinstance(condition, Clause):
        return [condition]
    return [c for member in condition.members for c in clauses(member)]
