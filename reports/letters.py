"""Invitation letters: one A4 page per code, as one tagged PDF (PDF/UA-1), for a mailing house.

A letter says who asks and why, that taking part is voluntary and anonymous (a panel's letter:
that the answers get a number without a name, to compare them with another wave's), how long it
takes, the short address to type and the code in large type, a QR code of the personal link, the
koploper's contact, the closing date of the wave, where the privacy notice is and that a paper
questionnaire can be asked for. Codes made for easy read (``nl-eenvoudig``) get the easy-read
letter with larger type; a reminder (``reminder=True``) opens with "Enkele weken geleden kreeg u
een brief…". The words are the Jinja2 templates ``reports/templates/letter_*.html.j2``, which a
beheerder can read and change; every value is escaped (autoescape), so a name or a contact
detail cannot add markup.

WeasyPrint lays out one letter of each kind (register, panel or not, follow-up or not: the kinds
the run holds) once, with placeholders for the code, the QR code and the letter number (and a
follow-up's earlier letter number), and a last page holding every character a code or a number can
have (so the fonts hold their glyphs). :mod:`reports.pdf_pages` then writes each letter as a copy
of its kind's page with the code and numbers as real text (pdftotext reads them) and the QR
code drawn as vector rectangles, each page with its own tags. 10,000 letters take seconds this
way, not the minutes WeasyPrint needs to lay out 10,000 pages (bench/letters.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reports.letter_pages import CODE, EARLIER, NUMBER, QR, Hole, PageParts, page_streams
from reports.letter_qr import qr_matrix, qr_size
from reports.pdf_pages import PageTemplates, Text, UnsupportedTemplate, glyph_array
from reports.report import PdfUnavailable
from surveys.clock import dutch_long_date
from surveys.codes import ALPHABET, printed
from surveys.links import code_address, code_link, privacy_link
from surveys.privacy import Contact, Kind, koploper_phrase
from surveys.vocabulary import EASY_READ, LANGUAGES, STANDARD

CODE_PLACEHOLDER = "ZZZZ-ZZZZ"
"""Where a letter's code goes (in the printed form of ``surveys.codes.printed``)."""
NUMBER_DIGITS = 8
NUMBER_PLACEHOLDER = "0" * NUMBER_DIGITS
"""Where the letter number goes: up to 99,999,999 letters."""
EARLIER_PLACEHOLDER = "9" * NUMBER_DIGITS
"""Where a follow-up letter's earlier letter number goes."""
QR_TEXT = (
    "QR-code met uw persoonlijke link naar de vragenlijst. Scan de code met de camera van uw "
    "telefoon; u hoeft de code dan niet te typen."
)
Progress = Callable[[int, int], None]
"""``progress(done, total)``: letters made so far."""
LetterKind = tuple[str, bool, bool]
"""A letter's template page: (register, panel, follow-up)."""


@dataclass(frozen=True)
class Mailing:
    """What every letter of one run says: the koploper, its contact, the wave's last day."""

    survey: str
    """The questionnaire key: 'client' or 'professional'."""
    koploper: str
    """The koploper's slug (its privacy notice's link)."""
    koploper_name: str
    koploper_kind: Kind
    contact: Contact | None
    closing: dt.date
    """The last day of the wave's fieldwork."""
    base: str
    """The public address of the monitor (``surveys.links.public_base``)."""
    minutes: int | None = None
    """How long the questionnaire takes, when its definition says so."""
    reminder: bool = False


@dataclass(frozen=True)
class Letter:
    """One printed letter: its number in the run, its code (normalised) and register."""

    number: int
    code: str
    language: str = STANDARD
    panel: bool = False
    """A panel's code: the letter says the answers get a number without a name."""
    earlier: int | None = None
    """A panel follow-up's letter number at the earlier wave, printed beside its own."""

    @property
    def kind(self) -> LetterKind:
        """Which template page the letter is written from."""
        return (self.language, self.panel or self.earlier is not None, self.earlier is not None)


class LettersError(ValueError):
    """A letter cannot be made as asked; the message (Dutch) says why."""


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _placeholder_qr(size: int) -> str:
    """The QR code's place: an SVG of ``size`` units square with one unit filled at its corner,
    which :mod:`reports.letter_pages` replaces by the letter's own modules."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}"><rect x="0" y="0" width="1" height="1"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


def _contact_values(mailing: Mailing) -> dict[str, str]:
    phrase = koploper_phrase(mailing.koploper_name, mailing.koploper_kind)
    contact = mailing.contact
    return {
        "sender": contact.organisation if contact else phrase[:1].upper() + phrase[1:],
        "phone": (contact.phone or "") if contact else "",
        "email": (contact.email or "") if contact else "",
        "website": (contact.url or "") if contact else "",
    }


def letters_html(mailing: Mailing, kinds: Sequence[str | LetterKind], qr_units: int) -> str:
    """The template document: one letter per kind in ``kinds`` (a register, or (register,
    panel, follow-up)), with placeholders, then the page of every character a code or a letter
    number can have."""
    kinds = [(kind, False, False) if isinstance(kind, str) else kind for kind in kinds]
    phrase = koploper_phrase(mailing.koploper_name, mailing.koploper_kind)
    letter = {
        **_contact_values(mailing),
        "koploper": phrase,
        "koploper_capital": phrase[:1].upper() + phrase[1:],
        "minutes": mailing.minutes,
        "address": code_address(mailing.base),
        "code": CODE_PLACEHOLDER,
        "qr": {"source": _placeholder_qr(qr_units), "text": QR_TEXT},
        "closing": dutch_long_date(mailing.closing),
        "number": NUMBER_PLACEHOLDER,
    }
    pages = [
        {
            "template": f"letter_{language}.html.j2",
            "easy": language == EASY_READ,
            "letter": letter
            | {
                "privacy": privacy_link(
                    mailing.base, mailing.koploper, None if language == STANDARD else language
                ),
                "panel": panel,
                "follow_up": follow_up,
                "earlier": EARLIER_PLACEHOLDER if follow_up else None,
            },
        }
        for language, panel, follow_up in kinds
    ]
    kind = "Herinnering" if mailing.reminder else "Uitnodiging"
    return (
        _environment()
        .get_template("letters.html.j2")
        .render(
            title=f"{kind} onderzoek cliëntondersteuning – {mailing.koploper_name}",
            sender=letter["sender"],
            pages=pages,
            reminder=mailing.reminder,
            survey=mailing.survey,
            glyphs={"code": ALPHABET + "-", "number": "0123456789"},
        )
    )


def layout(html: str) -> bytes:
    """WeasyPrint's tagged PDF/UA-1 of the template document; it fetches nothing but the
    ``data:`` address of the QR code's placeholder."""
    try:
        import weasyprint
        from weasyprint import urls
    except (OSError, ImportError) as missing:  # WeasyPrint loads Pango when imported
        raise PdfUnavailable(
            "De brieven kunnen op deze server niet als PDF worden gemaakt: de programma's voor "
            "opmaak (Pango) ontbreken. Vraag de beheerder om ze te installeren (zie de README)."
        ) from missing
    fetcher = urls.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


def _one(texts: Sequence[Text], glyphs: tuple[str, ...], what: str) -> Text:
    found = [text for text in texts if _contains(text.glyphs, glyphs)]
    if len(found) != 1:
        raise UnsupportedTemplate(f"the {what} placeholder is found {len(found)} times")
    return found[0]


def _contains(glyphs: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(glyphs[at : at + len(part)] == part for at in range(len(glyphs) - len(part) + 1))


def _text_hole(content: bytes, text: Text, inside: bytes, what: str) -> tuple[int, int, Hole]:
    """The whole ``[…] TJ`` of ``text`` as a hole, keeping the glyphs around ``inside``."""
    at = content.index(inside, text.start, text.end)
    end = content.index(b"TJ", text.end) + 2
    hole = Hole(what, content[text.start : at], content[at + len(inside) : text.end])
    return text.start - 1, end, hole


def _page_parts(
    templates: PageTemplates, number: int, glyph_page: int, follow_up: bool
) -> PageParts:
    """A template page cut at its placeholders, and the glyphs to fill them with."""
    code_text, number_text = templates.texts(glyph_page)[:2]
    code_glyphs = dict(zip(ALPHABET + "-", code_text.glyphs, strict=True))
    digit_glyphs = dict(zip("0123456789", number_text.glyphs, strict=True))
    content = templates.content(number)
    texts = templates.texts(number)
    placeholder = tuple(code_glyphs[c] for c in CODE_PLACEHOLDER)
    code_at = _one([t for t in texts if t.font == code_text.font], placeholder, "code")
    zeros = tuple(digit_glyphs["0"] for _ in NUMBER_PLACEHOLDER)
    number_at = _one([t for t in texts if t.font == number_text.font], zeros, "number")
    qr_mark = b"0 0 1 1 re\nf\n"
    if content.count(qr_mark) != 1:
        raise UnsupportedTemplate("the QR code's placeholder is not found once")
    qr_start = content.index(qr_mark)
    cuts = [
        _text_hole(content, code_at, glyph_array(placeholder), CODE),
        _text_hole(content, number_at, glyph_array(zeros), NUMBER),
        (qr_start, qr_start + len(qr_mark), Hole(QR)),
    ]
    if follow_up:
        nines = tuple(digit_glyphs["9"] for _ in EARLIER_PLACEHOLDER)
        earlier_at = _one([t for t in texts if t.font == number_text.font], nines, "earlier")
        cuts.append(_text_hole(content, earlier_at, glyph_array(nines), EARLIER))
    cuts.sort(key=lambda cut: cut[0])
    pieces, holes, at = [], [], 0
    for start, end, hole in cuts:
        pieces.append(content[at:start])
        holes.append(hole)
        at = end
    pieces.append(content[at:])
    return PageParts(tuple(pieces), tuple(holes), code_glyphs, digit_glyphs)


def letters_pdf(
    mailing: Mailing,
    letters: Sequence[Letter],
    progress: Progress | None = None,
) -> bytes:
    """The letters as one tagged PDF, one A4 page each, in the order given; ``progress`` is
    told how many are made. Raises :class:`LettersError` for no letters, a register that has no
    letter, or a letter number too long to print.
    """
    if not letters:
        raise LettersError("Er zijn geen codes om brieven voor te maken.")
    languages = [language for language in LANGUAGES if any(x.language == language for x in letters)]
    unknown = {x.language for x in letters} - set(LANGUAGES)
    if unknown:
        raise LettersError(f"Geen brief voor de taal {', '.join(sorted(unknown))}.")
    numbers = [x.number for x in letters] + [x.earlier for x in letters if x.earlier is not None]
    if max(numbers) >= 10**NUMBER_DIGITS or min(numbers) < 0:
        raise LettersError("Een briefnummer past niet op de brief.")
    kinds = sorted({x.kind for x in letters}, key=lambda k: (languages.index(k[0]), k[1:]))
    units = qr_size(qr_matrix(code_link(mailing.base, letters[0].code)))
    html = letters_html(mailing, kinds, units)
    master = layout(html)
    templates = PageTemplates(master, list(range(len(kinds))))
    if len(templates.pages) != len(kinds) + 1:
        raise LettersError(
            "De brief past niet op één A4: maak de tekst in de sjabloon "
            "(reports/templates/letter_*.html.j2) of de contactgegevens korter."
        )
    glyph_page = len(kinds)
    parts = [
        _page_parts(templates, number, glyph_page, kind[2]) for number, kind in enumerate(kinds)
    ]
    which = {kind: number for number, kind in enumerate(kinds)}
    jobs = [
        (
            which[x.kind],
            printed(x.code),
            str(x.number),
            code_link(mailing.base, x.code),
            "" if x.earlier is None else str(x.earlier),
        )
        for x in letters
    ]
    streams = page_streams(parts, jobs, units, progress)
    pieces = [part.pieces for part in parts]
    return templates.write(pieces, zip((job[0] for job in jobs), streams, strict=True))
