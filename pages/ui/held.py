"""Veldwerk's part "Te controleren": open-link responses held after a burst (``db.open_link``).

The beheerder sees them per wave and questionnaire (when they came in, the version and how many
questions were answered; no answers) and accepts or removes them, each after a confirmation.
A ``gemeente`` or ``onderzoeker`` sees only how many wait; an ``adviesraad`` nothing.
"""

from __future__ import annotations

from itertools import groupby

import pandas as pd
import streamlit as st

from db.access import Viewer
from db.held import (
    Held,
    accept_held,
    describe,
    held_per_koploper,
    held_responses,
    remove_held,
)
from pages.ui.plain import plain_cells
from surveys.clock import dutch_clock
from surveys.numbers import whole
from surveys.vocabulary import REGISTER_NAMES

PENDING = "veldwerk_held_pending"
"""(what, koploper, wave, questionnaire, ids) of an accept or remove that waits for 'Ja, …'."""
NOTICE = "veldwerk_held_notice"
VERBS = {"accept": "accepteren", "remove": "verwijderen"}
DONE = {"accept": "geaccepteerd", "remove": "verwijderd"}
CONSEQUENCE = {
    "accept": "Ze tellen dan mee in alle cijfers, downloads en exports, als elk ander antwoord.",
    "remove": "Ze worden dan voorgoed gewist. Dat kan niet ongedaan worden gemaakt.",
}


def _responses(count: int) -> str:
    return "1 antwoord" if count == 1 else f"{whole(count)} antwoorden"


def section(maker, viewer: Viewer, koploper: str, names: dict[str, str]) -> None:
    """Draw the part for ``koploper``, and which other koplopers of ``names`` (slug → name,
    those the viewer sees) have responses waiting; nothing when nothing waits."""
    if viewer.role == "adviesraad":
        return
    with maker() as session:
        waiting = held_per_koploper(session, viewer)
    others = [
        f"{names.get(slug, slug)} ({whole(n)})" for slug, n in waiting.items() if slug != koploper
    ]
    if others:
        st.caption(
            "Bij andere koplopers wachten ook antwoorden op controle: "
            + ", ".join(sorted(others))
            + ". Kies de koploper hierboven."
        )
    here = waiting.get(koploper, 0)
    if viewer.is_admin:
        _held(maker, viewer, koploper, names.get(koploper, koploper))
    elif here:
        verb = "wacht" if here == 1 else "wachten"
        st.info(
            f"{_responses(here)} {verb} op controle. Een beheerder bekijkt ze. Tot dan tellen "
            "ze niet mee in de cijfers.",
            icon=":material/pending:",
        )


def _held(maker, viewer: Viewer, koploper: str, name: str) -> None:
    """The beheerder's list per wave and questionnaire, with what was done just now."""
    with maker() as session:
        held = held_responses(session, viewer, koploper)
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    if not held:
        return
    st.header("Te controleren")
    st.write(
        f"Deze antwoorden van {name} kwamen via de open link snel na elkaar binnen, uit dezelfde "
        "browser of van hetzelfde netwerkadres. Misschien vulde iemand de vragenlijst vaker in. "
        "Ze tellen niet mee in de cijfers en exports, tot u ze accepteert. De invuller heeft "
        "niets gemerkt."
    )
    for (wave, survey), rows in groupby(
        sorted(held, key=lambda h: (h.wave, h.questionnaire, h.submitted_at)),
        key=lambda h: (h.wave, h.questionnaire),
    ):
        _group(maker, viewer, koploper, wave, survey, list(rows))


def _group(maker, viewer: Viewer, koploper: str, wave: str, survey: str, rows: list[Held]) -> None:
    """One wave × questionnaire: the table, the choice, the two buttons and the confirmation."""
    key = f"held-{koploper}-{wave}-{survey}"
    labels = {
        h.id: f"{dutch_clock(h.submitted_at)}, {h.answered} vragen beantwoord ({n})"
        for n, h in enumerate(rows, start=1)
    }
    with st.container(border=True):
        st.subheader(f"{describe(wave, survey)}: {_responses(len(rows))}")
        st.table(
            pd.DataFrame(
                {
                    "Nummer": range(1, len(rows) + 1),
                    "Binnengekomen": [dutch_clock(h.submitted_at) for h in rows],
                    "Taalvorm": [REGISTER_NAMES.get(h.language, h.language) for h in rows],
                    "Vragen beantwoord": [h.answered for h in rows],
                }
            )
            .set_index("Nummer")
            .pipe(plain_cells),
            alt=f"Antwoorden die wachten op controle: {describe(wave, survey)}",
        )
        chosen = st.multiselect(
            "Welke antwoorden?",
            list(labels),
            default=list(labels),
            format_func=labels.__getitem__,
            key=f"{key}-chosen",
        )
        accept, remove = st.columns(2)
        for column, what in ((accept, "accept"), (remove, "remove")):
            label = "Accepteren" if what == "accept" else "Verwijderen"
            if column.button(label, key=f"{key}-{what}", disabled=not chosen):
                st.session_state[PENDING] = (what, koploper, wave, survey, tuple(chosen))
                st.rerun()
        pending = st.session_state.get(PENDING)
        if pending and pending[1:4] == (koploper, wave, survey):
            _confirm(maker, viewer, key, pending)


def _confirm(maker, viewer: Viewer, key: str, pending: tuple) -> None:
    """'Ja, …' does what was asked, 'Annuleren' forgets it."""
    what, _, wave, survey, ids = pending
    count = _responses(len(ids))
    st.warning(
        f"Weet u zeker dat u {count} wilt {VERBS[what]}? {CONSEQUENCE[what]}",
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    sure = yes.button(f"Ja, {count} {VERBS[what]}", type="primary", key=f"{key}-yes")
    if no.button("Annuleren", key=f"{key}-cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()
    if not sure:
        return
    st.session_state.pop(PENDING, None)
    act = accept_held if what == "accept" else remove_held
    with maker.begin() as session:
        done = act(session, viewer, ids)
    st.session_state[NOTICE] = (
        f"{_responses(done)} {DONE[what]} ({describe(wave, survey)})."
        if done
        else "Deze antwoorden waren al door iemand anders behandeld."
    )
    st.rerun()
