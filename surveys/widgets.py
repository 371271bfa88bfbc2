"""The question-type registry for the screen: one renderer per type, no if-chains in the page.

Each renderer draws the Streamlit widget for one item, seeded with the answer given so far, and
returns the current answer (``None``/``[]`` for unanswered). Widget labels come from the
definition (trusted, written by advisers); what a respondent types is only ever a widget value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from surveys.definition import Item

Renderer = Callable[[Item, str, Any], Any]


def widget_key(item: Item) -> str:
    return f"answer__{item.key}"


def _seed(key: str, value: Any) -> None:
    """Give a widget the stored answer when it is drawn anew (e.g. after 'Vorige')."""
    if key not in st.session_state:
        st.session_state[key] = value


def _label(item: Item, language: str) -> str:
    return item.text[language] + (" (verplicht)" if item.required else "")


def _choice(item: Item, language: str, value: Any, horizontal: bool = False) -> Any:
    key = widget_key(item)
    codes = [option.code for option in item.options]
    _seed(key, value if value in codes else None)
    return st.radio(
        _label(item, language),
        codes,
        format_func=lambda code: item.label_of(code, language),
        index=None,
        key=key,
        horizontal=horizontal,
    )


def _grade(item: Item, language: str, value: Any) -> Any:
    return _choice(item, language, value, horizontal=True)


def _multiple(item: Item, language: str, value: Any) -> list[int]:
    chosen = set(value or [])
    st.markdown(f"**{_label(item, language)}**")
    result = []
    for option in item.options:
        key = f"{widget_key(item)}__{option.code}"
        _seed(key, option.code in chosen)
        if st.checkbox(option.label[language], key=key):
            result.append(option.code)
    return result


def _number(item: Item, language: str, value: Any) -> Any:
    key = widget_key(item)
    _seed(key, value)
    whole = all(b is None or float(b).is_integer() for b in (item.min, item.max))
    cast = int if whole else float
    return st.number_input(
        _label(item, language),
        min_value=None if item.min is None else cast(item.min),
        max_value=None if item.max is None else cast(item.max),
        step=1 if whole else 0.1,
        value=None,
        key=key,
        placeholder="Vul een getal in",
    )


def _text(item: Item, language: str, value: Any) -> str:
    key = widget_key(item)
    _seed(key, value or "")
    value = st.text_area(_label(item, language), max_chars=item.max_length, key=key)
    st.caption(f"U kunt maximaal {item.max_length} tekens typen.")
    return value


RENDERERS: dict[str, Renderer] = {
    "single_choice": _choice,
    "yes_no": _choice,
    "agreement": _choice,
    "grade": _grade,
    "multiple_choice": _multiple,
    "number": _number,
    "text": _text,
}


def render(item: Item, language: str, value: Any) -> Any:
    """Draw the question; its help text is shown in full, not hidden in a tooltip that the
    keyboard cannot reach."""
    answer = RENDERERS[item.type](item, language, value)
    if item.help:
        st.caption(item.help[language])
    return answer


def sync(items: list[Item], answers: dict[str, Any]) -> None:
    """Copy what the widgets hold now into ``answers``, before screens and conditions are judged.

    A change in a widget reruns the page before that widget is drawn again; without this the
    conditions would lag one interaction behind.
    """
    for item in items:
        if item.qtype.multiple:
            boxes = {o.code: f"{widget_key(item)}__{o.code}" for o in item.options}
            if any(key in st.session_state for key in boxes.values()):
                answers[item.key] = [c for c, key in boxes.items() if st.session_state.get(key)]
        elif widget_key(item) in st.session_state:
            answers[item.key] = st.session_state[widget_key(item)]


def forget(item: Item) -> None:
    """Drop an item's widget state, so it is seeded again from the stored answer next time."""
    for key in [k for k in st.session_state if str(k).startswith(widget_key(item))]:
        del st.session_state[key]
