"""The indicator registry: reads ``indicators.yaml`` and checks it against the questionnaires.

What each indicator *is* lives in the YAML file; this module only turns it into typed objects and
refuses, in Dutch, a declaration that does not fit the questionnaire definition (an unknown item, a
success code the item does not have, a theme made of items that cannot be scored).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from measures.errors import IndicatorError
from surveys.definition import Item, Questionnaire, load_builtin
from surveys.numbers import percent
from surveys.vocabulary import INTERVAL

INDICATORS_FILE = Path(__file__).with_name("indicators.yaml")

Kind = Literal["proportion", "mean"]
PROPORTION: Kind = "proportion"
MEAN: Kind = "mean"


def theme_scores(item: Item) -> dict[int, float]:
    """How an item's code becomes a 0–100 score inside a theme score: its fixed scale from the
    lowest code (0) to the highest (100), evenly; agreement 1 → 0, 2 → 25, …, 5 → 100; yes/no
    nee (0) → 0, ja (1) → 100. Only for types whose table entry says ``scored``."""
    codes = sorted(point.code for point in item.qtype.fixed_scale or ())
    low, high = codes[0], codes[-1]
    return {code: 100.0 * (code - low) / (high - low) for code in codes}


@dataclass(frozen=True)
class Settings:
    """Thresholds and levels; defaults come from ``indicators.yaml``."""

    min_n: int = 10
    indicative_n: int = 30
    confidence: float = 0.95
    theme_min_answered_share: float = 0.5
    significance: float = 0.05
    min_koplopers: int = 3

    def __post_init__(self) -> None:
        if self.min_n < 2:
            raise IndicatorError(["min_n moet minstens 2 zijn"])
        if self.min_koplopers < 2:
            raise IndicatorError(["min_koplopers moet minstens 2 zijn"])
        if self.indicative_n < self.min_n:
            raise IndicatorError(["indicative_n mag niet kleiner zijn dan min_n"])
        if not 0.5 <= self.confidence < 1:
            raise IndicatorError(["confidence moet tussen 0,5 en 1 liggen"])
        if not 0 < self.theme_min_answered_share <= 1:
            raise IndicatorError(["theme_min_answered_share moet tussen 0 en 1 liggen"])

    @property
    def level(self) -> str:
        """The intervals' confidence level as set, the Dutch way: '95\u00a0%'."""
        return percent(100 * self.confidence, 3, trim=True)

    @property
    def interval(self) -> str:
        """An interval's name with its level as set: '95\u00a0%-interval' (a header, a legend)."""
        return INTERVAL.format(level=self.level)


@dataclass(frozen=True)
class ItemIndicator:
    """An indicator of one item: a share of codes, or the mean code."""

    name: str
    item: str
    kind: Kind
    valid_codes: frozenset[int]
    dont_know_codes: frozenset[int]
    success: frozenset[int] = frozenset()
    scale: str = "0-1"


@dataclass(frozen=True)
class ThemeIndicator:
    """A theme score: per respondent the mean 0–100 score over the validly answered items."""

    name: str
    items: tuple[str, ...]
    scores: tuple[Mapping[int, float], ...]
    dont_know_codes: tuple[frozenset[int], ...]
    min_answered: int
    kind: Kind = MEAN
    scale: str = "0-100"


@dataclass(frozen=True)
class Subgroup:
    """A profile item estimates can be split by; ``multiple``: a respondent may be in several."""

    item: str
    multiple: bool
    labels: Mapping[int, str]


@dataclass(frozen=True)
class QuestionnaireIndicators:
    key: str
    items: tuple[ItemIndicator, ...]
    themes: tuple[ThemeIndicator, ...]
    subgroups: tuple[Subgroup, ...]
    definition: Questionnaire = field(repr=False, compare=False)
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Dutch name of each indicator (``labels:`` in the YAML; else the question text)."""

    @property
    def indicators(self) -> tuple[ItemIndicator | ThemeIndicator, ...]:
        return (*self.items, *self.themes)

    def kind_of(self, name: str) -> Kind:
        return next(i.kind for i in self.indicators if i.name == name)

    def label(self, name: str) -> str:
        """The Dutch name of an indicator."""
        if name in self.labels:
            return self.labels[name]
        indicator = next(i for i in self.indicators if i.name == name)
        if isinstance(indicator, ItemIndicator):
            return self.definition.item(indicator.item).text["nl"]
        return name

    def goal(self, name: str) -> str:
        """The goal of the programme an indicator measures: the theme of its question
        (``awareness``, ``findability``, ``quality``, ``outcome``; ``profile`` for who answered)."""
        indicator = next(i for i in self.indicators if i.name == name)
        if isinstance(indicator, ThemeIndicator):
            return indicator.name
        return self.definition.item(indicator.item).theme


@dataclass(frozen=True)
class IndicatorSet:
    settings: Settings
    questionnaires: Mapping[str, QuestionnaireIndicators]


def _item_indicator(
    spec: dict[str, Any], definition: Questionnaire, where: str
) -> tuple[ItemIndicator | None, list[str]]:
    key = spec.get("item")
    try:
        item = definition.item(str(key))
    except KeyError:
        return None, [f"{where}: vraag '{key}' staat niet in de vragenlijst"]
    name = str(spec.get("name") or key)
    measure = spec.get("measure")
    valid = frozenset(item.allowed_codes - item.missing_codes)
    dont_know = frozenset(item.missing_codes)
    if measure == "mean":
        if not item.qtype.quantity:
            return None, [f"{where}: een gemiddelde kan niet van vraagtype '{item.type}'"]
        scale = f"{min(valid)}-{max(valid)}" if valid else "getal"
        return ItemIndicator(name, item.key, MEAN, valid, dont_know, scale=scale), []
    if measure != "share":
        return None, [f"{where}: onbekende maat '{measure}' (toegestaan: share, mean)"]
    if not item.qtype.coded or item.qtype.multiple:
        return None, [f"{where}: een aandeel kan niet van vraagtype '{item.type}'"]
    success = frozenset(int(c) for c in spec.get("success") or [])
    problems = []
    if not success:
        problems.append(f"{where}: 'success' ontbreekt")
    if success - valid:
        wrong = ", ".join(map(str, sorted(success - valid)))
        problems.append(f"{where}: code(s) {wrong} zijn geen geldig antwoord op '{item.key}'")
    if problems:
        return None, problems
    return ItemIndicator(name, item.key, PROPORTION, valid, dont_know, success), []


def _theme_indicator(
    theme: str, keys: list[str], definition: Questionnaire, share: float, where: str
) -> tuple[ThemeIndicator | None, list[str]]:
    problems, items = [], []
    for key in keys:
        try:
            item: Item = definition.item(key)
        except KeyError:
            problems.append(f"{where}: vraag '{key}' staat niet in de vragenlijst")
            continue
        if not item.qtype.scored:
            problems.append(f"{where}: vraag '{key}' ({item.type}) kan niet in een themascore")
        elif item.theme != theme:
            problems.append(
                f"{where}: vraag '{key}' hoort bij thema '{item.theme}', niet '{theme}'"
            )
        else:
            items.append(item)
    if not keys:
        problems.append(f"{where}: geen vragen")
    if problems:
        return None, problems
    indicator = ThemeIndicator(
        name=theme,
        items=tuple(i.key for i in items),
        scores=tuple(theme_scores(i) for i in items),
        dont_know_codes=tuple(frozenset(i.missing_codes) for i in items),
        min_answered=max(1, math.ceil(share * len(items) - 1e-9)),
    )
    return indicator, []


def _subgroup(key: str, definition: Questionnaire, where: str) -> tuple[Subgroup | None, list[str]]:
    try:
        item = definition.item(key)
    except KeyError:
        return None, [f"{where}: vraag '{key}' staat niet in de vragenlijst"]
    if not item.qtype.groups:
        return None, [f"{where}: vraag '{key}' ({item.type}) kan geen subgroep maken"]
    labels = {o.code: o.label["nl"] for o in item.options if o.code not in item.missing_codes}
    return Subgroup(item.key, item.qtype.multiple, labels), []


def parse_indicators(
    raw: Any, definitions: Callable[[str], Questionnaire] = load_builtin, source: str = "indicators"
) -> IndicatorSet:
    """Check a declaration already read from YAML against the questionnaire definitions."""
    if not isinstance(raw, dict) or not isinstance(raw.get("questionnaires"), dict):
        raise IndicatorError([f"{source}: verwacht 'settings' en 'questionnaires' bovenaan"])
    try:
        settings = Settings(**(raw.get("settings") or {}))
    except TypeError as exc:
        raise IndicatorError([f"{source}: onbekende instelling ({exc})"]) from None
    problems: list[str] = []
    questionnaires: dict[str, QuestionnaireIndicators] = {}
    for key, spec in raw["questionnaires"].items():
        try:
            definition = definitions(key)
        except (ValueError, OSError) as exc:
            problems.append(f"{source}: vragenlijst '{key}' niet gevonden ({exc})")
            continue
        items, themes, subgroups, names = [], [], [], set()
        for n, item_spec in enumerate(spec.get("items") or [], start=1):
            found, more = _item_indicator(item_spec, definition, f"{source}, {key}, item {n}")
            problems += more
            if found:
                items.append(found)
        for theme, keys in (spec.get("themes") or {}).items():
            where = f"{source}, {key}, thema '{theme}'"
            found, more = _theme_indicator(
                theme, list(keys or []), definition, settings.theme_min_answered_share, where
            )
            problems += more
            if found:
                themes.append(found)
        for sub in spec.get("subgroups") or []:
            found, more = _subgroup(str(sub), definition, f"{source}, {key}, subgroep")
            problems += more
            if found:
                subgroups.append(found)
        for indicator in (*items, *themes):
            if indicator.name in names:
                problems.append(f"{source}, {key}: indicator '{indicator.name}' staat er twee keer")
            names.add(indicator.name)
        labels = spec.get("labels") or {}
        if not isinstance(labels, dict):
            problems.append(f"{source}, {key}: 'labels' moet per indicator een naam geven")
            labels = {}
        for name in sorted(set(labels) - names):
            problems.append(f"{source}, {key}: label voor onbekende indicator '{name}'")
        questionnaires[key] = QuestionnaireIndicators(
            key,
            tuple(items),
            tuple(themes),
            tuple(subgroups),
            definition,
            {str(k): str(v) for k, v in labels.items()},
        )
    if problems:
        raise IndicatorError(problems)
    return IndicatorSet(settings, questionnaires)


@cache
def load_indicators(path: Path = INDICATORS_FILE) -> IndicatorSet:
    """The checked registry in ``indicators.yaml`` (or another file of the same shape)."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return parse_indicators(raw, source=path.name)
