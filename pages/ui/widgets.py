"""The question-type registry for the screen: one renderer per type, no if-chains in the page.

Every question looks the same whatever its type: the question in large bold text, its help text
right under it, then the answers, then any message. Each renderer draws the Streamlit widget for
one item, seeded with the answer given so far, and returns the current answer (``None``/``[]`` for
unanswered). Texts come from the definition (written by advisers) and are escaped all the same;
what a respondent types is only ever a widget value.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import streamlit as st

from surveys.definition import Item
from surveys.numbers import whole

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
        label_visibility="collapsed",
    )


def _grade(item: Item, language: str, value: Any) -> Any:
    return _choice(item, language, value, horizontal=True)


def _multiple(item: Item, language: str, value: Any) -> list[int]:
    chosen = set(value or [])
    result = []
    for option in item.options:
        key = f"{widget_key(item)}__{option.code}"
        _seed(key, option.code in chosen)
        if st.checkbox(option.label[language], key=key):
            result.append(option.code)
    return result


def _number(item: Item, language: str, value: Any) -> Any:
    # No min/max on the widget: the browser would refuse 150 with an English tooltip and drop it.
    # The check says, in Dutch and beside the question, which numbers fit.
    key = widget_key(item)
    _seed(key, value)
    integers = all(b is None or float(b).is_integer() for b in (item.min, item.max))
    return st.number_input(
        _label(item, language),
        step=1 if integers else 0.1,
        value=None,
        key=key,
        placeholder="Vul een getal in",
        label_visibility="collapsed",
    )


def _text(item: Item, language: str, value: Any) -> str:
    # No max_chars: a longer paste would be cut or emptied by the browser without a word. The
    # check names the limit beside the question instead.
    key = widget_key(item)
    _seed(key, value or "")
    st.caption(f"U kunt maximaal {whole(item.max_length or 0)} tekens typen.")
    return st.text_area(_label(item, language), key=key, height=160, label_visibility="collapsed")


RENDERERS: dict[str, Renderer] = {
    "single_choice": _choice,
    "yes_no": _choice,
    "agreement": _choice,
    "grade": _grade,
    "multiple_choice": _multiple,
    "number": _number,
    "text": _text,
}


def render(item: Item, language: str, value: Any, message: str | None = None) -> Any:
    """Draw one question in its own keyed container: text, help, answers, message."""
    with st.container(key=f"item-{item.key}"):
        st.html(f'<p class="km-question">{html.escape(_label(item, language))}</p>')
        # The help is visible text, not a tooltip that the keyboard cannot reach.
        if item.help:
            st.html(f'<p class="km-help">{html.escape(item.help[language])}</p>')
        answer = RENDERERS[item.type](item, language, value)
        if message:
            st.error(message, icon=":material/error:")
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
