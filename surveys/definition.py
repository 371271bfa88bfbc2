"""The questionnaire model: what a definition is, how it is checked, and how it is read from YAML.

A definition is data (``surveys/definitions/*.yaml``). This module turns one into a checked
``Questionnaire`` or refuses it with a ``DefinitionError`` whose lines each name the file, the item
and the problem, in Dutch, for the advisers who write definitions.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from surveys.conditions import ORDER_OPERATORS, Clause, Condition, clauses
from surveys.types import (
    DONT_KNOW_CODE,
    DONT_KNOW_LABEL,
    QUESTION_TYPES,
    QuestionType,
)
from surveys.vocabulary import LANGUAGES, THEMES

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
VERSION_FIELD = "version"


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` holds one Dutch line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _check_texts(value: dict[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"Nederlandse tekst ontbreekt voor: {', '.join(missing)}")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        allowed = ", ".join(LANGUAGES)
        raise ValueError(f"onbekende taal: {', '.join(unknown)} (toegestaan: {allowed})")
    return value


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: int
    label: dict[str, str]
    exclusive: bool = False
    """For multiple choice: this answer ('geen van deze') cannot be combined with another."""

    _texts = field_validator("label")(_check_texts)


class Item(BaseModel):
    """One question. After checking, ``options`` is complete: fixed scales and 'weet niet' too."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    type: str
    theme: str
    text: dict[str, str]
    help: dict[str, str] | None = None
    required: bool = False
    dont_know: bool = False
    options: list[Option] = Field(default_factory=list)
    show_if: Condition | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, gt=0, le=10000)

    _texts = field_validator("text", "help")(_check_texts)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in QUESTION_TYPES:
            raise ValueError(f"onbekend type '{value}' (toegestaan: {', '.join(QUESTION_TYPES)})")
        return value

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value not in THEMES:
            raise ValueError(f"onbekend thema '{value}' (toegestaan: {', '.join(THEMES)})")
        return value

    @model_validator(mode="after")
    def _complete_options(self) -> Item:
        qtype = QUESTION_TYPES[self.type]
        if qtype.fixed_scale is not None:
            if self.options:
                raise ValueError(f"type '{self.type}' heeft vaste antwoorden: laat 'options' weg")
            self.options = [Option(code=p.code, label=dict(p.label)) for p in qtype.fixed_scale]
        elif qtype.coded and not self.options:
            raise ValueError(f"type '{self.type}' heeft antwoordopties ('options') nodig")
        elif not qtype.coded and self.options:
            raise ValueError(f"type '{self.type}' heeft geen antwoordopties")
        if self.dont_know:
            if not qtype.dont_know_allowed:
                raise ValueError(f"type '{self.type}' kan geen 'weet niet' hebben")
            self.options.append(Option(code=DONT_KNOW_CODE, label=dict(DONT_KNOW_LABEL)))
        if any(o.exclusive for o in self.options) and not qtype.multiple:
            raise ValueError("'exclusive' hoort alleen bij een meerkeuzevraag")
        codes = [o.code for o in self.options]
        doubles = sorted({c for c in codes if codes.count(c) > 1})
        if doubles:
            raise ValueError(f"dubbele antwoordcode: {', '.join(map(str, doubles))}")
        if qtype.default_max_length is None and self.max_length is not None:
            raise ValueError("'max_length' hoort alleen bij open tekst")
        if self.max_length is None:
            self.max_length = qtype.default_max_length
        if not qtype.takes_range and (self.min is not None or self.max is not None):
            raise ValueError("'min' en 'max' horen alleen bij een getal")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' is groter dan 'max'")
        return self

    @property
    def qtype(self) -> QuestionType:
        return QUESTION_TYPES[self.type]

    def is_unanswered(self, value: Any) -> bool:
        """Whether a value means "not answered" for this question (see ``QuestionType.blank``)."""
        return self.qtype.unanswered(value)

    @property
    def allowed_codes(self) -> set[int]:
        return {o.code for o in self.options}

    @property
    def missing_codes(self) -> set[int]:
        return {DONT_KNOW_CODE} if self.dont_know else set()

    def label_of(self, code: int, language: str = "nl") -> str:
        for option in self.options:
            if option.code == code:
                return option.label[language]
        return str(code)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    title: dict[str, str]
    items: list[Item] = Field(min_length=1)

    _texts = field_validator("title")(_check_texts)


class Questionnaire(BaseModel):
    """A whole questionnaire: metadata, and its items grouped in sections (one screen each)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    version: int | None = Field(default=None, ge=1)
    """The version number the definition says it is; required in ``definitions/*.yaml``."""
    audience: Literal["client", "professional"]
    title: dict[str, str]
    intro: dict[str, str]
    minutes: int = Field(gt=0, le=120)
    sections: list[Section] = Field(min_length=1)

    _texts = field_validator("title", "intro")(_check_texts)

    @model_validator(mode="after")
    def _keys_and_conditions(self) -> Questionnaire:
        problems: list[str] = []
        seen: dict[str, Item] = {}
        for item in self.items:
            if item.key in seen:
                problems.append(f"vraag '{item.key}': dubbele sleutel")
            if item.show_if is not None:
                for clause in clauses(item.show_if):
                    problem = _clause_problem(clause, seen)
                    if problem:
                        problems.append(f"vraag '{item.key}': voorwaarde {problem}")
            seen[item.key] = item
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


def _clause_problem(clause: Clause, earlier: dict[str, Item]) -> str | None:
    """Why a clause cannot work, given the items before it; None when it can."""
    target = earlier.get(clause.item)
    if target is None:
        return f"verwijst naar '{clause.item}', die niet eerder in de vragenlijst staat"
    if clause.op == "answered":
        return None
    if target.qtype.multiple != (clause.op == "contains"):
        if target.qtype.multiple:
            return f"op meerkeuzevraag '{clause.item}' kan alleen 'contains' of 'answered'"
        return f"'contains' kan alleen op een meerkeuzevraag, niet op '{clause.item}'"
    if not target.qtype.ordered and clause.op in ORDER_OPERATORS:
        return f"'{clause.op}' kan niet op {target.qtype.label} '{clause.item}'"
    if target.qtype.coded:
        values = clause.value if isinstance(clause.value, list) else [clause.value]
        unknown = [v for v in values if v not in target.allowed_codes]
        if unknown and clause.op not in ORDER_OPERATORS:
            return f"gebruikt code {unknown[0]!r}, die '{clause.item}' niet heeft"
    return None


def _canonical(raw: dict[str, Any]) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content(raw: dict[str, Any]) -> dict[str, Any]:
    """The definition without its version number, which is stored beside it, not in it."""
    return {name: value for name, value in raw.items() if name != VERSION_FIELD}


def checksum(raw: dict[str, Any]) -> str:
    """SHA-256 of the definition's content, blind to YAML layout, comments, key order and the
    version number (so raising ``version`` alone changes nothing)."""
    return hashlib.sha256(_canonical(content(raw)).encode("utf-8")).hexdigest()


def _describe_location(raw: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into "vraag 'x'" / "deel 'y'" plus the field, in Dutch."""
    where, node, fields, parent = "vragenlijst", raw, [], None
    for part in loc:
        if isinstance(node, dict) and part in node:
            parent, node = part, node[part]
            fields.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if parent in ("items", "sections"):
                kind = "vraag" if parent == "items" else "deel"
                key = node.get("key") if isinstance(node, dict) else None
                where = f"{kind} '{key}'" if isinstance(key, str) else f"{kind} nr. {part + 1}"
                fields = []
            else:
                fields.append(str(part + 1))
        elif part in ("clause", "group") or not isinstance(part, str):
            continue
        else:
            fields.append(part)
    field = ".".join(f for f in fields if not f.startswith("function-"))
    return f"{where}, veld '{field}'" if field else where


PYDANTIC_MESSAGES = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_pattern_mismatch": "alleen kleine letters, cijfers en _, beginnend met een letter",
    "too_short": "mag niet leeg zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_parsing": "moet true of false zijn",
    "bool_type": "moet true of false zijn",
    "string_type": "moet tekst zijn",
    "dict_type": "moet een mapping zijn (sleutel: waarde)",
    "list_type": "moet een lijst zijn",
    "greater_than": "is te klein",
    "less_than_equal": "is te groot",
    "union_tag_invalid": "ongeldige voorwaarde",
}


def _dutch(error: dict[str, Any]) -> str:
    """A pydantic error message in Dutch; our own ValueErrors are Dutch already."""
    if error["type"] == "literal_error":
        return f"ongeldige waarde {error.get('input')!r} (toegestaan: {error['ctx']['expected']})"
    if error["type"] in PYDANTIC_MESSAGES:
        return PYDANTIC_MESSAGES[error["type"]]
    return str(error["msg"]).removeprefix("Value error, ")


def parse_definition(raw: Any, source: str) -> Questionnaire:
    """Check a definition already read from YAML; ``source`` names it in messages."""
    if not isinstance(raw, dict):
        raise DefinitionError([f"{source}: geen vragenlijst (verwacht een YAML-mapping bovenaan)"])
    try:
        return Questionnaire.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            where = _describe_location(raw, tuple(error["loc"]))
            for message in _dutch(error).split("; "):
                if where == "vragenlijst" and message.startswith(("vraag ", "deel ")):
                    problem = f"{source}, {message}"
                else:
                    problem = f"{source}, {where}: {message}"
                if problem not in problems:
                    problems.append(problem)
        raise DefinitionError(problems) from None


def read_definition(path: Path) -> tuple[Questionnaire, dict[str, Any]]:
    """Read and check a YAML definition; returns the model and the raw data (for storing)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DefinitionError(
            [f"{path.name}: kan het bestand niet lezen ({exc.strerror})"]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "ongeldige YAML"
        raise DefinitionError([f"{path.name}{where}: geen geldige YAML: {problem}"]) from None
    questionnaire = parse_definition(raw, path.name)
    if questionnaire.key != path.stem:
        raise DefinitionError(
            [f"{path.name}: sleutel '{questionnaire.key}' hoort gelijk te zijn aan de bestandsnaam"]
        )
    if questionnaire.version is None:
        raise DefinitionError(
            [f"{path.name}: veld 'version' ontbreekt (het versienummer, bijvoorbeeld 'version: 1')"]
        )
    return questionnaire, raw


def builtin_paths() -> list[Path]:
    return sorted(DEFINITIONS_DIR.glob("*.yaml"))


@cache
def load_builtin(key: str) -> Questionnaire:
    """The checked definition shipped in ``surveys/definitions/<key>.yaml``."""
    path = DEFINITIONS_DIR / f"{key}.yaml"
    if not path.is_file():
        raise DefinitionError([f"{key}.yaml: geen vragenlijst met sleutel '{key}'"])
    return read_definition(path)[0]


@cache
def _stored(canonical: str) -> Questionnaire:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return parse_definition(json.loads(canonical), f"versie {digest[:12]}")


def from_stored(raw: dict[str, Any]) -> Questionnaire:
    """The checked model of a definition stored in the database, parsed once per content."""
    return _stored(_canonical(raw))
