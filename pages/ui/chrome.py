"""Streamlit's own chrome, made Dutch and calm: document language, title, menus for respondents.

Every script here is a constant of ours; nothing a respondent typed ever reaches it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

FAVICON = Path(__file__).parents[2] / "assets" / "favicon.svg"
"""The browser tab's icon: a file of ours, which Streamlit sends inline (no address to fetch)."""

_DUTCH_DOCUMENT = """<script>
document.documentElement.lang = 'nl';
if (!window.kmDutch) {
  // Streamlit's own words, for screen readers and eyes alike: Dutch, also in what it draws later.
  window.kmDutch = true;
  const words = {
    'Skip to main content': 'Naar de inhoud', 'Clear value': 'Wis het antwoord',
    'Decrement': 'Eén minder', 'Increment': 'Eén meer', 'Copy to clipboard': 'Kopieer',
    'Main menu': 'Menu', 'Close': 'Sluiten', 'Choose an option': 'Kies…',
    'Choose options': 'Kies…', 'No results': 'Niets gevonden', 'Show password': 'Toon wachtwoord',
    'Hide password': 'Verberg wachtwoord', 'Choose date': 'Kies een datum',
    'Show/hide columns': 'Kolommen tonen of verbergen', 'Link to heading': 'Link naar dit kopje',
    'Sidebar': 'Zijbalk', 'Collapse sidebar': 'Zijbalk inklappen',
    'Expand sidebar': 'Zijbalk uitklappen', 'Open': 'Openen', 'Fullscreen': 'Volledig scherm',
    'Close fullscreen': 'Volledig scherm sluiten', 'Clear all': 'Alles wissen',
    'Download as CSV': 'Downloaden als CSV', 'Search': 'Zoeken', 'Select all': 'Alles kiezen',
    'Clear selection': 'Selectie wissen', 'Running...': 'Bezig…', 'Stop': 'Stoppen',
    'Previous month': 'Vorige maand', 'Next month': 'Volgende maand',
    'Use arrow keys to navigate dates. Enter to select. Escape to close.':
      'Kies een dag met de pijltjestoetsen en Enter. Escape sluit de kalender.',
  };
  // A date field's month, read aloud ("11 – November").
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                  'September', 'October', 'November', 'December'];
  const maanden = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
                   'september', 'oktober', 'november', 'december'];
  const month = new RegExp(months.join('|'));
  // The same words as text: in tooltips, drop-down lists, the table's menus and the status.
  const texts = {
    ...words, 'Connecting': 'Verbinden…', 'Please wait...': 'Even geduld…', 'Rerun': 'Opnieuw',
    'Sort ascending': 'Oplopend sorteren', 'Sort descending': 'Aflopend sorteren',
    'Pin column': 'Kolom vastzetten', 'Unpin column': 'Kolom losmaken',
    'Hide column': 'Kolom verbergen', 'Autosize': 'Breedte passend maken', 'Format': 'Notatie',
    'Print': 'Afdrukken',
  };
  const patterns = [
    [/^Select ([0-9]+) matches$/, 'Kies alle $1 gevonden'],
    // Under a field while typing: "Press Enter to submit form" (the login form too).
    [/^Press (.+) to submit form$/, 'Druk op $1 om te versturen'],
    [/^Press (.+) to apply$/, 'Druk op $1 om toe te passen'],
    [/^Choose date, (.+)$/, 'Kies een datum, $1'],
  ];
  const chrome = '[data-baseweb="popover"], [role="listbox"], [data-testid="stTooltipContent"], '
    + '[data-testid="stStatusWidget"], '
    + '[data-testid="stDataFrameColumnVisibilityMenu"], [data-testid="stMainMenuList"], '
    + '[data-testid="InputInstructions"], [data-testid="stDateInputCalendar"]';
  // A table's toolbar names its table after a colon: "Download as CSV: Antwoorden".
  const prefixes = [['Help for ', 'Uitleg bij '], ['day, ', 'dag, '], ['month, ', 'maand, '],
                    ['year, ', 'jaar, '], ['Choose date, ', 'Kies een datum, '],
                    ...Object.keys(words).map(
                      english => [english + ': ', words[english] + ': '])];
  const named = '[aria-label], [title], [placeholder], [data-testid="stSkipToContent"]';
  const translate = () => {
    for (const el of document.querySelectorAll('[aria-valuetext]')) {
      const value = el.getAttribute('aria-valuetext');
      if (month.test(value)) {
        el.setAttribute('aria-valuetext', value.replace(month, m => maanden[months.indexOf(m)]));
      }
    }
    for (const el of document.querySelectorAll(named)) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(name);
        if (!value) continue;
        if (words[value]) { el.setAttribute(name, words[value]); continue; }
        for (const [english, dutch] of prefixes) {
          if (value.startsWith(english)) el.setAttribute(name, dutch + value.slice(english.length));
        }
      }
      if (el.dataset.testid === 'stSkipToContent' && words[el.textContent]) {
        el.textContent = words[el.textContent];
      }
    }
    // Only inside Streamlit's own chrome: never a word of the page itself.
    for (const box of document.querySelectorAll(chrome)) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = node.nodeValue.trim();
        const pattern = patterns.find(([english]) => english.test(value));
        const dutch = texts[value] || (pattern ? value.replace(...pattern) : null);
        if (dutch) node.nodeValue = node.nodeValue.replace(value, dutch);
      }
    }
  };
  // Streamlit's English "Page not found" (an address it did not know before our router ran, such
  // as '/Respond' on a server nobody visited yet): the router shows the right page anyway, so
  // close the notice rather than trap a respondent's focus in it.
  const closeNotFound = () => {
    for (const dialog of document.querySelectorAll('[role="dialog"]')) {
      if (dialog.textContent.includes('does not seem to exist')) {
        const close = dialog.querySelector('button');
        if (close) close.click();
      }
    }
  };
  // A table wider than the page scrolls sideways: the keyboard must reach it too (WCAG 2.1.1),
  // so a scrolling table gets a tab stop and a name; one that fits gets neither.
  const scrollable = () => {
    for (const box of document.querySelectorAll('[data-testid="stTable"] > div')) {
      const wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !box.hasAttribute('tabindex')) {
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', 'Tabel: schuif opzij voor meer kolommen');
        box.dataset.kmScroll = '1';
      } else if (!wide && box.dataset.kmScroll) {
        for (const name of ['tabindex', 'role', 'aria-label']) box.removeAttribute(name);
        delete box.dataset.kmScroll;
      }
    }
  };
  let pending = false;
  const later = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; scrollable(); });
  };
  translate();
  closeNotFound();
  scrollable();
  new MutationObserver(() => { translate(); closeNotFound(); later(); })
    .observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', later);
  // A tab that opens shows its tables without adding any: look again after a click or a key.
  document.addEventListener('click', later, true);
  document.addEventListener('keyup', later, true);
}
</script>"""

_CHROME_STYLE = """<style>
/* Streamlit fades a caption ("Werk", "Ingelogd als") to 60 % of the text colour: 4.4:1 on the
   sidebar's #eef2f7, under WCAG AA's 4.5:1. A solid grey is 6.7:1 there and 7.6:1 on white. */
[data-testid="stCaptionContainer"] { opacity: 1; color: #4b5563; }
</style>"""

_RESPONDENT_STYLE = """<style>
/* Respondents get the questionnaire only: no developer menu, no "Made with Streamlit". */
[data-testid="stToolbar"], [data-testid="stMainMenu"],
[data-testid="stDecoration"] { display: none; }
/* While the page works, no English "Running… Stop": the status stays, without its words. */
[data-testid="stStatusWidget"] button, [data-testid="stStatusWidget"] label { display: none; }
/* "Press Enter to apply" under a field: leaving the field applies the answer just as well. */
[data-testid="InputInstructions"] { display: none; }
/* On a phone a long word ("cliëntondersteuner") in the title fits whole, never broken. */
@media (max-width: 640px) {
  .stApp h1 { font-size: clamp(1.5rem, 7vw, 2.75rem); overflow-wrap: normal; word-break: normal; }
}
</style>"""

QUESTION_STYLE = """<style>
.stApp p.km-question { font-size: 1.3rem; font-weight: 700; line-height: 1.4; margin: 0 0 4px; }
.stApp p.km-help { font-size: 1.05rem; color: #374151; margin: 0 0 0.5rem 0; }
.stApp p.km-answer { font-size: 1.1rem; font-weight: 700; margin: 0; }
.stRadio label p, .stCheckbox label p, .stApp input, .stApp textarea, .stApp button p {
  font-size: 1.1rem;
}
/* Plain text from the database (contact details, what a respondent typed) as large as the rest. */
[data-testid="stText"] { font-size: 1rem; }
</style>"""

EASY_READ_STYLE = """<style>
.stApp p, .stApp label, .stApp li, [data-testid="stText"] { font-size: 1.25rem; }
.stRadio label p, .stCheckbox label p, .stApp input, .stApp textarea, .stApp button p {
  font-size: 1.25rem;
}
.stApp p.km-help { font-size: 1.25rem; }
.stApp p.km-question { font-size: 1.6rem; }
</style>"""


def dutch_document() -> None:
    """The page is Dutch for screen readers (WCAG 3.1.1), Streamlit's own words too; captions
    readable on every background."""
    st.html(_CHROME_STYLE + _DUTCH_DOCUMENT, unsafe_allow_javascript=True)


def for_respondents(title: str, easy_read: bool = False) -> None:
    """A respondent's page: a Dutch browser title, no menus, larger question text."""
    st.set_page_config(page_title=title)
    st.html(_RESPONDENT_STYLE + QUESTION_STYLE + (EASY_READ_STYLE if easy_read else ""))


def focus(selector: str, top: bool = False) -> None:
    """Move keyboard focus to the first element matching ``selector`` (a constant of ours).

    ``top``: show the new screen from its top first. Streamlit keeps the scroll position of the
    screen before, so on a phone the progress line ("Vraag 1 van 20") sat under the top bar.
    """
    prevent = "true" if top else "false"
    scroll = (
        "const main = document.querySelector('[data-testid=\"stMain\"]');"
        " if (main) main.scrollTop = 0; window.scrollTo(0, 0);"
        if top
        else ""
    )
    st.html(
        f"""<script>setTimeout(() => {{ {scroll}
          const el = document.querySelector({selector!r});
          if (el) {{ if (!el.matches('input,textarea,button')) el.setAttribute('tabindex', '-1');
                    el.focus({{preventScroll: {prevent}}}); }} }}, 150);</script>""",
        unsafe_allow_javascript=True,
    )


def focus_after_step(where: str, question_key: str | None) -> None:
    """After 'Volgende' and the like: to the question with a message, else to the heading."""
    if where == "message" and question_key:
        focus(f".st-key-item-{question_key} input, .st-key-item-{question_key} textarea")
    else:
        focus("h1, h2", top=True)
