"""What "Mijn koploper" shows: the count tables and figures of one koploper, for one viewer.

The responses come scored from ``views.responses`` (read from ``db.read_model`` once per data
version); the koploper's facts, wording and open answers from ``db.dashboard``; each of those
checks the viewer in ``db``. The engine counts (``measures.counts.from_scored``, with small
pools withheld) and makes the figures (``measures.figures.figures``). Count tables and figures
are kept in ``views.cache`` per viewer: the page calls :func:`dashboard_counts` for the
koploper's waves and :func:`dashboard_figures` for the view it draws, and a view seen before
costs no count.

What leaves this module are count tables of the koploper itself and of the other koplopers only
added together, never by name: the anonymous benchmark a ``gemeente`` account may see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy.orm import Session

from db.access import Viewer, viewer_key
from db.dashboard import MAX_OPEN_ANSWERS, KoploperFacts, koploper_facts, wording_changes
from db.dashboard import open_answers as stored_open_answers
from db.read_model import DataVersion, check_reader, data_version, koploper_slugs, panel_keys
from measures.counts import GroupCounts, from_scored
from measures.figures import Figures, figures
from measures.indicators import IndicatorSet, load_indicators
from measures.panel import panel_change
from measures.pools import withhold_small_pools
from measures.scoring import Scored
from measures.subgroups import subgroup_choices
from measures.wording import wording_notes
from views.cache import CACHE, Place, place_of
from views.responses import scored_responses

COUNTS, FIGURES = "counts", "figures"


@dataclass(frozen=True)
class Counter:
    """What counting a subgroup of one koploper for one viewer needs, all read at once: the
    counting itself then needs no session (on SQLite every transaction holds the write lock,
    ``db.engine``)."""

    place: Place
    version: DataVersion
    """The data version of the responses in ``scored``."""
    indicators: IndicatorSet
    facts: KoploperFacts
    scored: dict[str, Scored]
    who: tuple

    def count(self, subgroup: str | None) -> GroupCounts:
        facts = self.facts
        counts = from_scored(
            self.scored,
            facts.id,
            facts.cohort,
            self.indicators,
            subgroup=subgroup,
            known=facts.known,
        )
        counts = withhold_small_pools(counts, self.indicators.settings)
        return replace(counts, versions=facts.versions)

    def keep(self, koploper: str, subgroup: str | None, counts: GroupCounts) -> None:
        key = (self.place, COUNTS, self.who, koploper, subgroup)
        CACHE.put(key, self.version, self.indicators, counts)


def kept_counts(
    place: Place,
    version: DataVersion,
    indicators: IndicatorSet,
    viewer: Viewer,
    koploper: str,
    subgroups: list[str | None],
) -> dict[str | None, GroupCounts]:
    """The count tables of ``subgroups`` kept for this viewer, koploper and data version."""
    who = viewer_key(viewer)
    found = {}
    for subgroup in subgroups:
        counts = CACHE.get((place, COUNTS, who, koploper, subgroup), version, indicators)
        if isinstance(counts, GroupCounts):
            found[subgroup] = counts
    return found


def prepare(
    session: Session,
    viewer: Viewer,
    koploper: str,
    wanted: list[str | None],
    include_demo: bool,
    indicators: IndicatorSet,
    version: DataVersion | None = None,
) -> tuple[DataVersion, dict[str | None, GroupCounts], Counter | None]:
    """The data version, the views of ``wanted`` kept already, and a counter for the others
    (None when there are none). The viewer is checked first (``AccessDenied``)."""
    check_reader(viewer, koploper)
    version = data_version(session) if version is None else version
    place = place_of(session, include_demo, indicators)
    views = kept_counts(place, version, indicators, viewer, koploper, wanted)
    if all(subgroup in views for subgroup in wanted):
        return version, views, None
    facts = koploper_facts(session, viewer, koploper, include_demo)
    version, scored = scored_responses(session, viewer, koploper, indicators, include_demo, version)
    counter = Counter(place, version, indicators, facts, scored, viewer_key(viewer))
    return version, views, counter


def _views(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroups: list[str | None] | None,
    include_demo: bool,
    indicators: IndicatorSet,
    version: DataVersion | None,
) -> tuple[DataVersion, dict[str | None, GroupCounts]]:
    choices = subgroup_choices(indicators)
    wanted = [None, *choices] if subgroups is None else subgroups
    unknown = [s for s in wanted if s is not None and s not in choices]
    if unknown:
        raise ValueError(f"onbekende subgroep '{unknown[0]}'")
    version, views, counter = prepare(
        session, viewer, koploper, wanted, include_demo, indicators, version
    )
    if counter is not None:
        version = counter.version
        for subgroup in wanted:
            if subgroup not in views:
                views[subgroup] = counter.count(subgroup)
                counter.keep(koploper, subgroup, views[subgroup])
    return version, {subgroup: views[subgroup] for subgroup in wanted}


def dashboard_views(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroups: list[str | None] | None = None,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> dict[str | None, GroupCounts]:
    """Count tables of ``koploper`` and, added together, the rest of its cohort and all others,
    for several subgroups (default: none and every subgroup; a key of
    ``measures.subgroups.subgroup_choices``: then every table is per category too, and only the
    questionnaire that asks the question is counted). Kept per viewer and data version
    (``views.cache``), also when counted in the background (``views.subgroups``): the same
    tables (shared: do not change them).

    Raises ``AccessDenied`` when the viewer may not see the koploper, ``UnknownKoploper`` when
    there is none. ``version``: the data version the caller read just now, to spare reading it
    again; it only chooses what is taken from memory, whatever is read is checked against the
    database itself (``db.read_model``)."""
    indicators = indicators or load_indicators()
    return _views(session, viewer, koploper, subgroups, include_demo, indicators, version)[1]


def dashboard_counts(
    session: Session,
    viewer: Viewer,
    koploper: str,
    subgroup: str | None = None,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> GroupCounts:
    """:func:`dashboard_views` of one subgroup (None: everyone): what the page needs to know
    the koploper's waves and responses before it draws a view."""
    views = dashboard_views(
        session, viewer, koploper, [subgroup], include_demo, indicators, version=version
    )
    return views[subgroup]


def dashboard_figures(
    session: Session,
    viewer: Viewer,
    koploper: str,
    name: str,
    subgroup: str | None,
    category: int | None,
    baseline: str,
    followup: str,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
) -> Figures:
    """The figures of one view (every table suppressed), kept per viewer and data version.

    From the count tables of the subgroup (and, for a multiple-choice subgroup, those without
    it, which complementary suppression needs) and the questionnaires' wording changes; for
    everyone (no subgroup) and two waves, also the paired change of the koploper's panel
    (:func:`paired_figures`)."""
    indicators = indicators or load_indicators()
    check_reader(viewer, koploper)
    version = data_version(session)
    place = place_of(session, include_demo, indicators)
    key = (place, FIGURES, viewer_key(viewer), koploper, name, subgroup, category, baseline,
           followup)  # fmt: skip

    def make() -> tuple[DataVersion, Figures]:
        multiple = subgroup is not None and subgroup_choices(indicators)[subgroup].multiple
        wanted = [subgroup] if subgroup is None else [subgroup, None]
        made, views = _views(session, viewer, koploper, wanted, include_demo, indicators, version)
        counts, whole = views[subgroup], views[None]
        changed = wording_changes(session, viewer, koploper)
        notes = wording_notes(whole.versions, changed, indicators, baseline, followup)
        found = figures(
            counts,
            indicators,
            baseline,
            followup,
            category=category,
            multiple=multiple,
            total=whole if multiple else None,
            koploper_name=name,
            wording=notes,
        )
        if subgroup is None and baseline != followup:
            paired = paired_figures(
                session, viewer, koploper, baseline, followup, include_demo, indicators, made
            )
            found = replace(found, paired=paired)
        return made, found

    return CACHE.get_or_make(key, version, indicators, make)


def paired_figures(
    session: Session,
    viewer: Viewer,
    koploper: str,
    baseline: str,
    followup: str,
    include_demo: bool = True,
    indicators: IndicatorSet | None = None,
    version: DataVersion | None = None,
) -> pd.DataFrame:
    """The change for the same people of ``koploper`` (``measures.panel.panel_change``): the
    panel keys of its responses (``db.read_model.panel_keys``, a read apart from the packs that
    finds nothing for a koploper without a panel), paired on the scored responses kept per data
    version. Empty when nobody answered both waves."""
    indicators = indicators or load_indicators()
    keys = panel_keys(session, viewer, koploper, include_demo)
    if not keys:
        return panel_change({}, {}, None, baseline, followup, indicators)
    ids = {slug: number for number, slug in koploper_slugs(session, viewer).items()}
    _, scored = scored_responses(session, viewer, koploper, indicators, include_demo, version)
    return panel_change(scored, keys, ids[koploper], baseline, followup, indicators)


def open_answers(
    session: Session,
    viewer: Viewer,
    koploper: str,
    search: str = "",
    include_demo: bool = True,
    limit: int = MAX_OPEN_ANSWERS,
    indicators: IndicatorSet | None = None,
) -> pd.DataFrame:
    """The koploper's open answers (``db.dashboard.open_answers``: newest first, only with the
    right to read them) with each question's text in Dutch instead of its key."""
    indicators = indicators or load_indicators()
    frame = stored_open_answers(session, viewer, koploper, search, include_demo, limit)
    questions = {
        (q, item.key): item.text["nl"]
        for q, spec in indicators.questionnaires.items()
        for item in spec.definition.items
    }
    frame["question"] = [
        questions.get((q, item), item)
        for q, item in zip(frame["questionnaire"], frame["question"], strict=True)
    ]
    return frame
